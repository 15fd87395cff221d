# Copyright 2026 The ros2_prompt_tuning Authors
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.

"""A missing, corrupt or mismatched model or prompt-weight folder fails at once, in one line."""

import json
import shutil

import pytest

from ros2_prompt_tuning.adapter import (AdapterMismatchError, METADATA_FILE, read_metadata,
                                        read_vocabulary, save_vocabulary, VOCABULARY_FILE)
from ros2_prompt_tuning.config import TrainingConfig
from ros2_prompt_tuning.evaluate import main as evaluate_main
from ros2_prompt_tuning.generation import CommandGenerator
from ros2_prompt_tuning.models import load_base_model, ModelLoadError
from ros2_prompt_tuning.trainer import train


@pytest.fixture(scope='module')
def adapter(tiny_qwen2, pair_files, tmp_path_factory):
    """Return a prompt-weight folder for the tiny model (one training step)."""
    output_dir = tmp_path_factory.mktemp('weights')
    train(TrainingConfig(train_data=pair_files[0], output_dir=str(output_dir), model=tiny_qwen2,
                         num_virtual_tokens=2, max_steps=1, device='cpu'), progress=False)
    return output_dir


def copy_of(adapter, tmp_path):
    """Return a copy of the prompt-weight folder to spoil."""
    return shutil.copytree(adapter, tmp_path / 'copy')


def one_line(error):
    """Return the message of an exception, checking it is one line."""
    message = str(error.value)
    assert '\n' not in message
    return message


def test_a_missing_folder_or_file_is_named(adapter, tmp_path):
    with pytest.raises(ModelLoadError) as error:
        read_metadata(tmp_path / 'nothing')
    assert one_line(error) == f'{tmp_path / "nothing"}: expected a prompt-weight folder, ' \
        'found no such folder'
    spoilt = copy_of(adapter, tmp_path)
    (spoilt / 'adapter_model.safetensors').unlink()
    with pytest.raises(ModelLoadError, match='adapter_model.safetensors: expected a file'):
        read_metadata(spoilt)


@pytest.mark.parametrize('text, found', [('{"base_model": ', 'JSONDecodeError'),
                                         ('{"method": "prefix_tuning"}', 'prefix_tuning')])
def test_corrupt_metadata_is_named(adapter, tmp_path, text, found):
    spoilt = copy_of(adapter, tmp_path)
    (spoilt / METADATA_FILE).write_text(text)
    with pytest.raises(ModelLoadError) as error:
        read_metadata(spoilt)
    assert one_line(error).startswith(f'{spoilt / METADATA_FILE}: expected ')
    assert found in str(error.value)


def test_a_vocabulary_round_trips_and_a_corrupt_one_is_named(tmp_path):
    assert read_vocabulary(tmp_path) is None
    save_vocabulary(tmp_path, {'turn': 9, 'left': 4})
    assert read_vocabulary(tmp_path) == {'left': 4, 'turn': 9}
    for text in ('["turn"]', '{"turn": "often"}', '{"turn": '):
        (tmp_path / VOCABULARY_FILE).write_text(text)
        with pytest.raises(ModelLoadError) as error:
            read_vocabulary(tmp_path)
        assert one_line(error).startswith(f'{tmp_path / VOCABULARY_FILE}: expected a JSON mapping')


def test_corrupt_weights_are_named(adapter, tiny_qwen2, tmp_path):
    spoilt = copy_of(adapter, tmp_path)
    (spoilt / 'adapter_model.safetensors').write_bytes(b'\0' * 64)
    with pytest.raises(ModelLoadError) as error:
        CommandGenerator.load(tiny_qwen2, str(spoilt), device='cpu', grammar=False)
    assert one_line(error).startswith(f'{spoilt}: expected PEFT prompt weights')


def test_weights_for_another_model_file_are_refused_by_sha256(adapter, tiny_qwen2, tmp_path):
    spoilt = copy_of(adapter, tmp_path)
    metadata = json.loads((spoilt / METADATA_FILE).read_text())
    assert metadata['base_model']['sha256']
    metadata['base_model']['sha256'] = 'f' * 64
    (spoilt / METADATA_FILE).write_text(json.dumps(metadata))
    with pytest.raises(AdapterMismatchError, match=r'weights SHA-256 ffffffffffff\.\.\. != '):
        CommandGenerator.load(tiny_qwen2, str(spoilt), device='cpu', grammar=False)


def test_a_corrupt_or_empty_model_is_named(tmp_path):
    gguf = tmp_path / 'broken.gguf'
    gguf.write_bytes(b'GGUF' + b'\0' * 60)
    with pytest.raises(ModelLoadError) as error:
        load_base_model(str(gguf), 'cpu')
    assert one_line(error).startswith(f'{gguf}: expected a GGUF causal language model, found ')
    (tmp_path / 'empty').mkdir()
    with pytest.raises(ModelLoadError, match='empty: expected a causal language model folder'):
        load_base_model(str(tmp_path / 'empty'), 'cpu')


def test_evaluate_says_what_is_wrong_in_one_line_and_exits_2(adapter, tiny_qwen2, pair_files,
                                                             tmp_path, capsys):
    spoilt = copy_of(adapter, tmp_path)
    (spoilt / METADATA_FILE).write_text('[]')
    assert evaluate_main(['--data', pair_files[1], '--model', tiny_qwen2, '--adapter',
                          str(spoilt), '--device', 'cpu', '--quiet']) == 2
    [error] = [line for line in capsys.readouterr().err.splitlines() if 'error' in line]
    assert error.startswith(f'evaluate: error: {spoilt / METADATA_FILE}: expected ')


def test_loading_a_model_and_its_weights_warns_about_nothing(adapter, tiny_qwen2, recwarn):
    generator = CommandGenerator.load(tiny_qwen2, str(adapter), device='cpu', grammar=False)
    assert generator.prefix or generator.prompt is not None
    assert [str(warning.message) for warning in recwarn] == []
