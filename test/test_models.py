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

"""Base model sources and devices, and the generation helpers that need only a tokenizer."""

import hashlib
from pathlib import Path

import pytest

from ros2_prompt_tuning.generation import first_line, line_end_token_ids
from ros2_prompt_tuning.models import ModelSource, select_device
from ros2_prompt_tuning.resources import EMBEDDED_MODEL, EMBEDDED_MODEL_PACKAGE
import torch

HUB_ID = 'Qwen/Qwen2.5-Coder-1.5B-Instruct'


# --- ModelSource ----------------------------------------------------------------------------

def test_resolve_embedded():
    source = ModelSource.resolve(EMBEDDED_MODEL)
    assert source.gguf_file.endswith('.gguf')
    assert source.name == source.gguf_file
    gguf = Path(source.location) / source.gguf_file
    assert gguf.is_file()
    assert gguf.stat().st_size > 1_000_000
    assert Path(source.location).name == EMBEDDED_MODEL_PACKAGE
    assert ModelSource.resolve(str(gguf)) == source


def test_resolve_a_missing_gguf_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='x.gguf'):
        ModelSource.resolve(str(tmp_path / 'x.gguf'))


def test_resolve_a_gguf_file(tmp_path):
    gguf = tmp_path / 'tiny-model.Q8_0.gguf'
    gguf.write_bytes(b'GGUF')
    source = ModelSource.resolve(str(gguf))
    assert source == ModelSource(name='tiny-model.Q8_0.gguf', location=str(tmp_path),
                                 gguf_file='tiny-model.Q8_0.gguf')


def test_resolve_a_folder(tmp_path):
    folder = tmp_path / 'my-model'
    folder.mkdir()
    source = ModelSource.resolve(str(folder))
    assert source == ModelSource(name='my-model', location=str(folder), gguf_file=None)
    assert ModelSource.resolve(str(folder) + '/').name == 'my-model'
    assert ModelSource.resolve(str(folder / '.')).name == 'my-model'


def test_resolve_a_hub_id():
    source = ModelSource.resolve(HUB_ID)
    assert source.location == source.name == HUB_ID
    assert source.gguf_file is None


def test_fingerprint_of_a_folder(tmp_path):
    content = bytes(range(256)) * 4099
    (tmp_path / 'model.safetensors').write_bytes(content)
    (tmp_path / 'config.json').write_text('{}', encoding='utf-8')
    assert ModelSource.resolve(str(tmp_path)).fingerprint() == {
        'size_bytes': len(content), 'sha256': hashlib.sha256(content).hexdigest()}


def test_fingerprint_changes_with_the_weights(tmp_path):
    weights = tmp_path / 'model.safetensors'
    weights.write_bytes(b'\x00' * 100)
    source = ModelSource.resolve(str(tmp_path))
    before = source.fingerprint()
    weights.write_bytes(b'\x00' * 99 + b'\x01')
    after = source.fingerprint()
    assert before['size_bytes'] == after['size_bytes'] == 100
    assert before['sha256'] != after['sha256']


def test_fingerprint_of_a_gguf_file(tmp_path):
    content = b'GGUF' + b'\x07' * 1000
    gguf = tmp_path / 'model.gguf'
    gguf.write_bytes(content)
    (tmp_path / 'other.safetensors').write_bytes(b'not part of the model')
    assert ModelSource.resolve(str(gguf)).fingerprint() == {
        'size_bytes': len(content), 'sha256': hashlib.sha256(content).hexdigest()}


def test_fingerprint_of_a_hub_id():
    assert ModelSource.resolve(HUB_ID).fingerprint() == {'size_bytes': None, 'sha256': None}


def test_fingerprint_of_a_folder_without_weights(tmp_path):
    (tmp_path / 'config.json').write_text('{}', encoding='utf-8')
    fingerprint = ModelSource.resolve(str(tmp_path)).fingerprint()
    assert fingerprint == {'size_bytes': None, 'sha256': None}


# --- select_device --------------------------------------------------------------------------

def test_select_cpu():
    device, dtype = select_device('cpu')
    assert device == torch.device('cpu')
    assert dtype == torch.float32


def test_select_auto():
    expected = ((torch.device('cuda'), torch.bfloat16) if torch.cuda.is_available()
                else (torch.device('cpu'), torch.float32))
    assert select_device('auto') == expected
    assert select_device() == expected


@pytest.mark.parametrize('device', ['tpu', 'gpu', 'CPU', ''])
def test_select_an_unknown_device(device):
    with pytest.raises(ValueError, match='device must be one of') as error:
        select_device(device)
    assert repr(device) in str(error.value)


@pytest.mark.skipif(torch.cuda.is_available(), reason='this machine has CUDA')
def test_select_cuda_without_cuda():
    with pytest.raises(ValueError, match='CUDA is not available'):
        select_device('cuda')


# --- generation helpers ---------------------------------------------------------------------

@pytest.mark.parametrize('text, expected', [
    ('a\nb', 'a'),
    ('  ros2 service call /clear std_srvs/srv/Empty  \nRequest: more', 'ros2 service call '
     '/clear std_srvs/srv/Empty'),
    ('UNSUPPORTED', 'UNSUPPORTED'),
    ('\nsecond line', ''),
    ('', ''),
    (' \t x \t ', 'x'),
])
def test_first_line(text, expected):
    assert first_line(text) == expected


@pytest.fixture(scope='module')
def stop_ids(embedded_tokenizer):
    return line_end_token_ids(embedded_tokenizer)


def test_line_end_token_ids_hold_eos_and_newline(embedded_tokenizer, stop_ids):
    tokenizer = embedded_tokenizer
    assert stop_ids == sorted(set(stop_ids))
    assert tokenizer.eos_token_id in stop_ids
    newline = tokenizer('\n', add_special_tokens=False)['input_ids']
    assert len(newline) == 1
    assert newline[0] in stop_ids
    for text in ('a\n', 'x;\n\n', 'Command: ros2\n'):
        ids = tokenizer(text, add_special_tokens=False)['input_ids']
        assert ids[-1] in stop_ids, text


def test_line_end_token_ids_hold_only_line_ends(embedded_tokenizer, stop_ids):
    tokenizer = embedded_tokenizer
    for token_id in stop_ids:
        if token_id != tokenizer.eos_token_id:
            assert '\n' in tokenizer.decode([token_id]), token_id
    command = 'ros2 service call /clear std_srvs/srv/Empty "{x: 1.0}" UNSUPPORTED'
    ids = tokenizer(command, add_special_tokens=False)['input_ids']
    assert not set(ids) & set(stop_ids)
    assert len(stop_ids) < len(tokenizer) // 10
