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

"""The benchmark end to end on a tiny random Qwen2 model: every figure, ratio and table row."""

import json

from conftest import train_tiny_weights
import pytest

from ros2_prompt_tuning import training_race
from ros2_prompt_tuning.benchmark import (main, NOT_MEASURED, PATHS, RACE_KEY, ROWS,
                                          TutorialLoop)
from ros2_prompt_tuning.data import encode_prompt
from ros2_prompt_tuning.generation import CommandGenerator, first_line
import torch
import yaml

REQUESTS = 3
BURST = 4
MAX_NEW_TOKENS = 12


@pytest.fixture(scope='module', params=['prompt_tuning', 'prefix_tuning'])
def weights(request, tiny_qwen2, pair_files, tmp_path_factory):
    """Train prompt weights of each method for two steps on the tiny model; return the folder."""
    return train_tiny_weights(tiny_qwen2, pair_files[0], tmp_path_factory.mktemp(request.param),
                              request.param, max_steps=2)


def test_the_benchmark_reports_every_figure_and_consistent_ratios(
        weights, tiny_qwen2, pair_files, tmp_path, capsys):
    out, plot = tmp_path / 'benchmark.json', tmp_path / 'benchmark.png'
    assert main(['--model', tiny_qwen2, '--adapter', weights, '--data', pair_files[0],
                 '--device', 'cpu', '--requests', str(REQUESTS), '--burst', str(BURST),
                 '--max-batch', '2', '--max-new-tokens', str(MAX_NEW_TOKENS), '--out', str(out),
                 '--plot', str(plot), '--quiet']) == 0
    results = json.loads(out.read_text())
    assert results['setup']['requests'] == REQUESTS and results['setup']['burst'] == BURST
    for path in PATHS:
        figures = results[path]
        for key, _, _ in ROWS:
            assert figures[key] is not None, (path, key)
        assert len(figures['latencies']) == REQUESTS
        assert figures['commands'] == REQUESTS + BURST
        assert figures['burst_commands_per_s'] == pytest.approx(BURST / figures['burst_seconds'])
        assert figures['computed_tokens'] + figures['forced_tokens'] == figures['output_tokens']
        assert figures['output_tokens'] > 0
        assert figures['latency_p50'] in figures['latencies']
        assert figures['latency_p50'] <= figures['latency_p95'] <= max(figures['latencies'])
        assert figures['computed_share'] + figures['forced_share'] == pytest.approx(1.0)
    assert results['tutorial']['forced_tokens'] == 0
    assert results['tutorial']['output_tokens'] <= (REQUESTS + BURST) * MAX_NEW_TOKENS
    assert results['ours']['forced_tokens'] > 0
    for key, _, _ in ROWS:
        ours, tutorial = results['ours'][key], results['tutorial'][key]
        # A share of 0 (tokens the tutorials' loop forces, say) has no ratio.
        assert results['ratios'][key] == (pytest.approx(ours / tutorial) if tutorial else None)
    assert {target['figure'] for target in results['targets']} == {
        'latency_p50', 'burst_commands_per_s', 'computed_share'}
    assert results['not_measured'] == NOT_MEASURED
    assert results['memory']['process_peak_rss_mb'] > 0
    table = capsys.readouterr().out
    for _, label, _ in ROWS:
        assert f'| {label}' in table, label
    for missing in NOT_MEASURED.values():
        assert missing['figure'] in table and 'not measured' in table
    assert plot.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'


def test_the_tutorials_loop_writes_what_the_weights_compute(weights, tiny_qwen2):
    # In fp32: the loop's cached decoding must match a forward pass token for token.
    generator = CommandGenerator.load(tiny_qwen2, weights, 'cpu', max_new_tokens=8,
                                      precision='fp32')
    loop = TutorialLoop.beside(generator, tiny_qwen2, weights)
    tokenizer = generator.tokenizer
    request = 'move forward 2 meters'
    ids = encode_prompt(tokenizer, request, generator.template)
    written = []
    with torch.no_grad():
        # Greedy by the PEFT model's own forward pass on the whole sequence, without a cache.
        while len(written) < 8 and tokenizer.eos_token_id not in written:
            sequence = torch.tensor([ids + written])
            logits = loop.peft_model(input_ids=sequence,
                                     attention_mask=torch.ones_like(sequence)).logits
            written.append(int(logits[0, -1].argmax()))
    written = written[:written.index(tokenizer.eos_token_id)] \
        if tokenizer.eos_token_id in written else written
    reply = loop.answer(request)
    assert reply.output_tokens == len(written)
    assert reply.text == first_line(tokenizer.decode(written, skip_special_tokens=True))


def test_counts_that_are_not_positive_are_refused(capsys):
    assert main(['--requests', '0', '--quiet']) == 2
    assert 'must be > 0' in capsys.readouterr().err


def test_the_bare_base_model_is_benchmarked_without_weights(tiny_qwen2, pair_files, tmp_path):
    out = tmp_path / 'bare.json'
    assert main(['--model', tiny_qwen2, '--adapter', '', '--data', pair_files[0], '--device',
                 'cpu', '--requests', '1', '--burst', '2', '--max-new-tokens', '6', '--out',
                 str(out), '--quiet']) == 0
    results = json.loads(out.read_text())
    assert results['setup']['adapter'] is None and results['setup']['method'] is None
    assert results['ours']['commands'] == results['tutorial']['commands'] == 3


def test_the_training_race_adds_its_row_and_target(
        weights, tiny_qwen2, pair_files, tmp_path, capsys, monkeypatch):
    config = tmp_path / 'race.yaml'
    config.write_text(yaml.safe_dump({
        'model': tiny_qwen2, 'method': 'prompt_tuning', 'train_data': pair_files[0],
        'validation_data': pair_files[1], 'output_dir': str(tmp_path / 'unused'),
        'num_virtual_tokens': 4, 'learning_rate': 0.1, 'warmup_steps': 1, 'max_steps': 2,
        'batch_size': 3, 'max_new_tokens': 8, 'device': 'cpu'}), encoding='utf-8')
    monkeypatch.setattr(training_race, 'tutorial_accuracy', lambda *args: 0.5)
    out = tmp_path / 'benchmark.json'
    assert main(['--model', tiny_qwen2, '--adapter', weights, '--data', pair_files[0],
                 '--device', 'cpu', '--requests', '1', '--burst', '1', '--max-new-tokens', '4',
                 '--race-minutes', '0.01', '--race-config', str(config),
                 '--race-eval-examples', '3', '--out', str(out), '--quiet']) == 0
    results = json.loads(out.read_text())
    assert results['training']['tutorial']['accuracy'] == 0.5
    assert results['not_measured'] == {}
    race = [target for target in results['targets'] if target['figure'] == RACE_KEY]
    # A race of other than 60 minutes is no check of the target.
    assert race == [{'figure': RACE_KEY, 'of': 'ratio', 'target': '<= 0.0333333',
                     'value': results['training']['ratio'], 'met': None}]
    assert "time to the tutorials' loop's 0.01-minute accuracy (50.0 %)" in \
        capsys.readouterr().out
