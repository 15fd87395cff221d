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


"""The base model's number formats on a tiny random Qwen2 model: fp32, bf16 and int8."""

import json

from conftest import train_tiny_weights
import pytest

from ros2_prompt_tuning.benchmark import main as benchmark_main
from ros2_prompt_tuning.evaluate import main as evaluate_main
from ros2_prompt_tuning.generation import CommandGenerator
from ros2_prompt_tuning.models import (CPU_AUTO_PRECISION, load_base_model, PRECISIONS,
                                       select_precision)
from ros2_prompt_tuning.quantization import Int8Linear
from ros2_prompt_tuning.validator import check_line
import torch

REQUESTS = ['move forward 3 meters', 'clear the drawing', 'turn left', 'make me a coffee',
            'go back 2 m', 'reset the simulation', 'move forward 1 meter', 'go back 1 meter']
FORMATS = ('fp32', 'bf16', 'int8')
DTYPES = {'fp32': torch.float32, 'bf16': torch.bfloat16, 'int8': torch.float32}
CHOICES = 'auto, fp32, bf16, int8'


@pytest.fixture(scope='module', params=['prompt_tuning', 'prefix_tuning'])
def weights(request, tiny_qwen2, pair_files, tmp_path_factory):
    """Train prompt weights of each method for 40 steps on the tiny model; return the folder."""
    return train_tiny_weights(tiny_qwen2, pair_files[0], tmp_path_factory.mktemp(request.param),
                              request.param, max_steps=40)


@pytest.fixture(scope='module')
def replies(weights, tiny_qwen2):
    """Return, per number format, the generator and its replies to ``REQUESTS``."""
    answers = {}
    for precision in FORMATS:
        generator = CommandGenerator.load(tiny_qwen2, weights, 'cpu', precision=precision)
        answers[precision] = generator, generator.generate(REQUESTS)
    return answers


@pytest.mark.parametrize('precision', FORMATS)
def test_each_precision_answers_every_request_within_the_grammar(replies, precision):
    generator, answers = replies[precision]
    assert generator.constraint is not None
    assert len(answers) == len(REQUESTS)
    for reply in answers:
        assert reply.complete, reply
        assert check_line(reply.text) == (True, ''), reply


@pytest.mark.parametrize('precision', FORMATS)
def test_the_prompt_weights_meet_the_model_in_its_dtype(replies, precision):
    generator, _ = replies[precision]
    embeddings = generator.network.get_input_embeddings().weight
    assert embeddings.dtype == generator.network.dtype == DTYPES[precision]
    weights = [generator.prompt] if generator.prompt is not None else \
        [tensor for pair in generator.prefix for tensor in pair]
    assert weights and all(tensor.dtype == DTYPES[precision] for tensor in weights)


def test_bf16_replies_agree_with_fp32(replies):
    """Within the grammar the choices are few and far apart: bf16 makes the same ones."""
    texts = {precision: [reply.text for reply in answers]
             for precision, (_, answers) in replies.items()}
    assert texts['bf16'] == texts['fp32']


def test_an_int8_model_quantises_every_linear_layer_and_keeps_what_generation_needs(tiny_qwen2):
    base = load_base_model(tiny_qwen2, 'cpu', 'int8')
    network = base.model
    modules = list(network.modules())
    assert not any(type(module) is torch.nn.Linear for module in modules)
    # two layers of q, k, v, o, gate, up and down projections, and the output layer
    assert sum(isinstance(module, Int8Linear) for module in modules) == 2 * 7 + 1
    output = network.get_output_embeddings()
    assert isinstance(output, Int8Linear)
    # tied embeddings: the output layer shows the input embeddings' own float weight
    assert output.weight is network.get_input_embeddings().weight
    assert output.weight.shape == (len(base.tokenizer), 32)
    assert not any('scale' in key or 'packed' in key for key in network.state_dict())
    assert all(not parameter.requires_grad for parameter in network.parameters())


def test_an_int8_model_refuses_to_pass_gradients_it_would_drop(tiny_qwen2):
    network = load_base_model(tiny_qwen2, 'cpu', 'int8').model
    hidden = torch.zeros(1, 2, 32, requires_grad=True)
    with pytest.raises(RuntimeError, match='no gradient'):
        network(inputs_embeds=hidden)


def test_bf16_and_int8_logits_follow_fp32(tiny_qwen2):
    """
    The logits stay close to fp32's and move with them.

    Free greedy text does legitimately differ: the random model's logits over 49152 tokens
    are nearly flat (ties within bf16's and int8's rounding), so that is not compared.
    """
    networks = {precision: load_base_model(tiny_qwen2, 'cpu', precision) for precision in FORMATS}
    tokenizer = networks['fp32'].tokenizer
    ids = tokenizer(['move forward 3 meters: ros2 topic pub --once /turtle1/cmd_vel '
                     'geometry_msgs/msg/Twist "{linear: {x: 3.0}}"'],
                    return_tensors='pt')['input_ids']
    with torch.inference_mode():
        logits = {precision: base.model(input_ids=ids).logits[0].float()
                  for precision, base in networks.items()}
    reference = logits['fp32']
    for precision, tolerance in (('bf16', 0.03), ('int8', 0.15)):
        error = (logits[precision] - reference).abs().mean() / reference.std()
        assert error < tolerance, precision
        correlation = torch.corrcoef(torch.stack([logits[precision].flatten(),
                                                  reference.flatten()]))[0, 1]
        assert correlation > 1 - tolerance, precision


def test_auto_is_bf16_on_cuda_and_the_chosen_format_on_cpu():
    assert select_precision('auto', 'cuda') == 'bf16'
    assert select_precision('auto', 'cpu') == select_precision() == CPU_AUTO_PRECISION
    assert CPU_AUTO_PRECISION in PRECISIONS and CPU_AUTO_PRECISION != 'auto'
    for precision in FORMATS:
        assert select_precision(precision, 'cpu') == precision


def test_int8_is_refused_on_cuda():
    with pytest.raises(ValueError, match='int8.*CPU only'):
        select_precision('int8', 'cuda')


@pytest.mark.parametrize('precision', ['fp16', 'INT8', 'float32', ''])
def test_an_unknown_precision_is_refused_before_the_model_is_read(precision, tmp_path):
    missing = str(tmp_path / 'missing.gguf')
    for load in (lambda: load_base_model(missing, 'cpu', precision),
                 lambda: CommandGenerator.load(missing, device='cpu', precision=precision)):
        with pytest.raises(ValueError) as error:
            load()
        assert str(error.value) == f'precision must be one of {CHOICES}, not {precision!r}'


@pytest.mark.parametrize('main', [evaluate_main, benchmark_main])
def test_the_command_lines_refuse_an_unknown_precision(main, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(['--data', 'unused.jsonl', '--precision', 'fp16'])
    assert exit_.value.code == 2
    error = capsys.readouterr().err
    assert "--precision: invalid choice: 'fp16'" in error
    assert all(f"'{precision}'" in error for precision in PRECISIONS)


def test_evaluate_runs_in_int8(weights, tiny_qwen2, pair_files, tmp_path, capsys):
    out = tmp_path / 'predictions.jsonl'
    assert evaluate_main(['--data', pair_files[1], '--model', tiny_qwen2, '--adapter', weights,
                          '--device', 'cpu', '--precision', 'int8', '--max-new-tokens', '8',
                          '--out', str(out), '--quiet']) == 0
    assert len(out.read_text().splitlines()) == 3
    assert 'exact match' in capsys.readouterr().out


@pytest.mark.parametrize('precision', ['bf16', 'int8'])
def test_the_benchmark_runs_both_paths_in_the_precision(precision, weights, tiny_qwen2,
                                                        pair_files, tmp_path, capsys):
    out = tmp_path / 'benchmark.json'
    assert benchmark_main(['--model', tiny_qwen2, '--adapter', weights, '--data', pair_files[0],
                           '--device', 'cpu', '--precision', precision, '--requests', '1',
                           '--burst', '2', '--max-new-tokens', '6', '--out', str(out),
                           '--quiet']) == 0
    results = json.loads(out.read_text())
    assert results['setup']['precision'] == precision
    assert results['setup']['dtype'] == str(DTYPES[precision])
    assert results['ours']['commands'] == results['tutorial']['commands'] == 3
    assert f'cpu {precision}' in capsys.readouterr().out
