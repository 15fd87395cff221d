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

"""Importing the tutorials' prompt files (c01 soft prompt, c02 P-tuning) as prompt weights."""

import json

from conftest import PAIRS, write_jsonl
import pytest
from ros2_prompt_tuning.adapter import METADATA_FILE
from ros2_prompt_tuning.evaluate import main as evaluate_main
from ros2_prompt_tuning.generation import CommandGenerator
from ros2_prompt_tuning.tutorial_import import main as import_main, virtual_tokens
import torch


def test_soft_prompt_file_round_trips(tiny_qwen2, tmp_path, capsys):
    prompt = torch.randn(5, 32)
    source = tmp_path / 'soft_prompt_ros2.pt'
    torch.save({'prompt_embeddings': prompt}, source)
    output = tmp_path / 'imported'
    assert import_main([str(source), '--output', str(output), '--model', tiny_qwen2]) == 0
    assert 'prompt_tuning prompt of 5 virtual tokens' in capsys.readouterr().out
    generator = CommandGenerator.load(tiny_qwen2, str(output), device='cpu', max_new_tokens=4,
                                      precision='fp32')
    assert torch.equal(generator.prompt, prompt)
    assert generator.template == '{instruction}'
    assert len(generator.generate(['move forward 1 meter'])) == 1
    metadata = json.loads((output / METADATA_FILE).read_text())
    assert metadata['imported_from']['tutorial_method'] == 'prompt_tuning'
    assert metadata['base_model']['hidden_size'] == 32
    data = write_jsonl(tmp_path / 'data.jsonl', PAIRS[:2])
    assert evaluate_main(['--data', data, '--model', tiny_qwen2, '--adapter', str(output),
                          '--device', 'cpu', '--max-new-tokens', '4', '--quiet']) == 0


def test_p_tuning_file_is_collapsed_to_its_encoder_output(tiny_qwen2, tmp_path):
    torch.manual_seed(1)
    embedding = torch.nn.Embedding(6, 32)
    mlp = torch.nn.Sequential(torch.nn.Linear(32, 32), torch.nn.Tanh(),
                              torch.nn.Linear(32, 32))
    state = {'embedding.weight': embedding.weight.detach()}
    state.update({f'mlp.{name}': value for name, value in mlp.state_dict().items()})
    source = tmp_path / 'p_tuning_ros2.pt'
    torch.save(state, source)
    output = tmp_path / 'imported'
    assert import_main([str(source), '--output', str(output), '--model', tiny_qwen2]) == 0
    generator = CommandGenerator.load(tiny_qwen2, str(output), device='cpu', precision='fp32')
    with torch.no_grad():
        expected = mlp(embedding.weight)
    assert torch.allclose(generator.prompt, expected, atol=1e-6)
    metadata = json.loads((output / METADATA_FILE).read_text())
    assert metadata['imported_from']['tutorial_method'] == 'p_tuning'
    assert metadata['num_virtual_tokens'] == 6


def test_width_mismatch_is_refused_naming_both(tiny_qwen2, tmp_path, capsys):
    source = tmp_path / 'soft_prompt_ros2.pt'
    torch.save({'prompt_embeddings': torch.randn(5, 48)}, source)
    assert import_main([str(source), '--output', str(tmp_path / 'out'), '--model',
                        tiny_qwen2]) == 2
    error = capsys.readouterr().err
    assert 'width 48' in error and 'hidden size 32' in error
    assert not (tmp_path / 'out').exists()


@pytest.mark.parametrize('state, words', [
    ({'weights': torch.zeros(2, 2)}, 'not a tutorial prompt file'),
    ({'prompt_embeddings': torch.zeros(2, 2, 2)}, 'must be [N, hidden]'),
    ({'embedding.weight': torch.zeros(3, 4), 'mlp.0.weight': torch.zeros(4, 5),
      'mlp.0.bias': torch.zeros(4), 'mlp.2.weight': torch.zeros(4, 4),
      'mlp.2.bias': torch.zeros(4)}, 'mlp.0.weight must be [4, 4]'),
])
def test_files_that_are_not_tutorial_prompts_are_refused(state, words):
    with pytest.raises(ValueError, match='^x.pt: ') as error:
        virtual_tokens(state, 'x.pt')
    assert words in str(error.value)
