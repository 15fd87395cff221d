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

"""Evaluation: the figures from scored predictions, baselines, and the command line."""

import json

from conftest import MOVE, PAIRS, write_jsonl
import pytest
from ros2_prompt_tuning.data import Example
from ros2_prompt_tuning.evaluate import main as evaluate_main
from ros2_prompt_tuning.evaluation import (calibrate_refusal, few_shot_template, percentile,
                                           predict, Prediction, refusal_accuracy, summarise)
from ros2_prompt_tuning.generation import Reply

CLEAR = 'ros2 service call /clear std_srvs/srv/Empty'


class CannedGenerator:
    """Stand-in for a model: a fixed reply per request."""

    def __init__(self, replies):
        """Remember the replies, keyed by request."""
        self.replies = replies

    def generate(self, instructions):
        """Return the canned reply of each request; ``...`` marks one cut off."""
        return [Reply(self.replies[text].rstrip('.'), not self.replies[text].endswith('...'),
                      text) for text in instructions]


def test_predict_scores_by_the_spec_not_by_the_letter():
    examples = [Example('go 1 m', MOVE.format(x=1.0), 'move'),
                Example('go 2 m', MOVE.format(x=2.0), 'move'),
                Example('coffee', 'UNSUPPORTED', 'unsupported'),
                Example('clear', CLEAR, 'clear'),
                Example('unknown', None),
                Example('reset', 'ros2 service call /reset std_srvs/srv/Empty', 'reset')]
    generator = CannedGenerator({
        'go 1 m': MOVE.format(x=1.0),
        'go 2 m': MOVE.format(x=2.005).replace('--once', '-1'),
        'coffee': CLEAR,
        'clear': CLEAR + '; rm -rf /',
        'unknown': 'UNSUPPORTED',
        'reset': 'ros2 service call /reset std_srvs/srv/Empty...',
    })
    predictions = predict(generator, examples, batch_size=2, progress=False)
    assert [p.correct for p in predictions] == [True, True, False, False, False, False]
    assert [p.valid for p in predictions] == [True, True, True, False, True, False]
    assert predictions[3].reason
    assert predictions[5].reason == 'cut off by the token budget'
    summary = summarise(predictions)
    assert summary['requests'] == 6
    assert summary['semantic_accuracy'] == 0.4
    assert summary['exact_match'] == 0.2
    assert summary['validity'] == 4 / 6
    assert summary['unsupported_recall'] == 0.0
    assert summary['unsupported_precision'] is None
    assert summary['per_category'] == {'clear': 0.0, 'move': 1.0, 'reset': 0.0,
                                       'unsupported': 0.0}
    assert [f['instruction'] for f in summary['worst_failures']] == ['clear', 'reset', 'coffee']


def test_unsupported_precision_and_recall():
    def scored(expected, predicted):
        return Prediction('x', expected, predicted, True, expected == predicted, 1.0)
    summary = summarise([scored('UNSUPPORTED', 'UNSUPPORTED'), scored(CLEAR, 'UNSUPPORTED'),
                         scored('UNSUPPORTED', CLEAR), scored('UNSUPPORTED', 'UNSUPPORTED')])
    assert summary['unsupported_precision'] == pytest.approx(2 / 3)
    assert summary['unsupported_recall'] == pytest.approx(2 / 3)


def test_a_refusal_bias_refuses_the_replies_whose_margin_it_lifts_above_zero():
    def never_refused(expected, command_right, margin):
        predicted = expected if command_right else CLEAR
        return Prediction('x', expected, predicted, True, predicted == expected, 1.0,
                          refusal_margin=margin)
    predictions = [never_refused(MOVE.format(x=1.0), True, -3.0),
                   never_refused(MOVE.format(x=2.0), False, -1.5),
                   never_refused('UNSUPPORTED', False, -1.0),
                   never_refused('UNSUPPORTED', False, 0.5),
                   # Answered without the model (shell syntax): no margin, kept as it is.
                   Prediction('x; rm', 'UNSUPPORTED', 'UNSUPPORTED', True, True, 1.0)]
    assert refusal_accuracy(predictions, -10.0) == pytest.approx(2 / 5)
    assert refusal_accuracy(predictions, 0.0) == pytest.approx(3 / 5)
    assert refusal_accuracy(predictions, 1.2) == pytest.approx(4 / 5)
    assert refusal_accuracy(predictions, 2.0) == pytest.approx(4 / 5)
    assert refusal_accuracy(predictions, 5.0) == pytest.approx(3 / 5)
    best, curve = calibrate_refusal(predictions, (-10.0, 0.0, 1.2, 2.0, 5.0))
    assert best == 1.2 and curve[5.0] == pytest.approx(3 / 5)


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 0.5) == 50
    assert percentile(values, 0.95) == 95
    assert percentile([7.0], 0.95) == 7.0


def test_few_shot_template_shows_one_example_per_category_first():
    examples = [Example(f'request {i}', CLEAR if i % 2 else 'UNSUPPORTED',
                        'clear' if i % 2 else 'unsupported') for i in range(10)]
    template = few_shot_template(examples, shots=3)
    text = template.format(instruction='clear it')
    assert text.endswith('Request: clear it\nCommand:')
    assert text.count('Request: ') == 4
    assert 'Command: UNSUPPORTED' in text and f'Command: {CLEAR}' in text
    payload = few_shot_template([Example('go', MOVE.format(x=1.0), 'move')], shots=1)
    assert MOVE.format(x=1.0) in payload.format(instruction='go')


def test_command_line_writes_predictions(tiny_qwen2, tmp_path, capsys):
    data = write_jsonl(tmp_path / 'data.jsonl', PAIRS[:3])
    out = tmp_path / 'predictions.jsonl'
    assert evaluate_main(['--data', data, '--model', tiny_qwen2, '--baseline', 'few-shot',
                          '--train-data', data, '--shots', '2', '--device', 'cpu',
                          '--max-new-tokens', '8', '--out', str(out), '--quiet']) == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line['instruction'] for line in lines] == [pair[0] for pair in PAIRS[:3]]
    assert {'instruction', 'expected', 'predicted', 'valid', 'correct',
            'latency_ms'} <= set(lines[0])
    printed = capsys.readouterr().out
    assert 'semantic accuracy' in printed and 'UNSUPPORTED recall' in printed


def test_command_line_rejects_bad_input(tmp_path, capsys):
    missing = str(tmp_path / 'missing.jsonl')
    assert evaluate_main(['--data', missing, '--baseline', 'zero-shot']) == 2
    assert 'evaluate: error:' in capsys.readouterr().err
