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

"""The training race of benchmark, end to end on a tiny random model."""

import pytest
from ros2_prompt_tuning import trainer, training_race
from ros2_prompt_tuning.config import TrainingConfig
from ros2_prompt_tuning.resources import share_dir
from ros2_prompt_tuning.training_race import first_reaching, located_config, run_race
import yaml


@pytest.fixture
def race_config(tmp_path, tiny_qwen2, pair_files):
    path = tmp_path / 'race.yaml'
    train, validation = pair_files
    path.write_text(yaml.safe_dump({
        'model': tiny_qwen2, 'method': 'prompt_tuning', 'train_data': train,
        'validation_data': validation, 'output_dir': str(tmp_path / 'unused'),
        'num_virtual_tokens': 4, 'learning_rate': 0.1, 'warmup_steps': 1, 'max_steps': 4,
        'batch_size': 3, 'max_new_tokens': 8, 'device': 'cpu'}), encoding='utf-8')
    return path


def test_relative_paths_of_a_config_are_the_package_folders():
    config = located_config(share_dir() / 'config' / 'train_turtlesim.yaml')
    assert isinstance(config, TrainingConfig)
    assert config.train_data.endswith('data/turtlesim/train.jsonl')
    assert config.train_data.startswith('/')


def test_first_reaching_skips_rows_without_an_accuracy():
    rows = [{'step': '10', 'validation_accuracy': ''},
            {'step': '20', 'validation_accuracy': '0.25'},
            {'step': '30', 'validation_accuracy': '0.5'}]
    assert first_reaching(rows, 0.3)['step'] == '30'
    assert first_reaching(rows, 0.25)['step'] == '20'
    assert first_reaching(rows, 0.75) is None


def test_a_tutorial_loop_that_answers_nothing_right_is_reached_at_once(race_config):
    result = run_race(race_config, minutes=0.02, eval_examples=3, eval_every=2, device='cpu',
                      progress=False)
    assert result['tutorial']['steps'] > 0 and result['tutorial']['accuracy'] == 0.0
    assert result['ours']['training_seconds'] == 0.0 and result['ratio'] == 0.0


def test_our_run_stops_without_reaching_an_accuracy_it_never_gets(race_config, monkeypatch):
    monkeypatch.setattr(training_race, 'tutorial_accuracy', lambda *args: 0.5)
    result = run_race(race_config, minutes=0.01, eval_examples=3, eval_every=2, device='cpu',
                      progress=False)
    assert result['tutorial']['accuracy'] == 0.5
    steps = [int(row['step']) for row in result['ours']['evaluations']]
    assert steps == [2, 4]
    assert all(float(row['training_s']) <= float(row['elapsed_s'])
               for row in result['ours']['evaluations'])
    assert result['ours']['training_seconds'] is None and result['ratio'] is None


def test_our_run_stops_at_the_first_evaluation_that_reaches_the_accuracy(race_config,
                                                                         monkeypatch):
    scores = iter([0.25, 0.75])
    monkeypatch.setattr(trainer, 'summarise', lambda predictions: dict.fromkeys(
        ('semantic_accuracy', 'exact_match', 'validity'), next(scores, 1.0)))
    monkeypatch.setattr(training_race, 'tutorial_accuracy', lambda *args: 0.5)
    config = yaml.safe_load(race_config.read_text(encoding='utf-8'))
    race_config.write_text(yaml.safe_dump({**config, 'max_steps': 6}), encoding='utf-8')
    result = run_race(race_config, minutes=0.01, eval_examples=3, eval_every=2, device='cpu',
                      progress=False)
    assert [row['step'] for row in result['ours']['evaluations']] == ['2', '4']
    assert result['ours']['step'] == 4 and result['ours']['accuracy'] == 0.75
    assert result['ratio'] == result['ours']['training_seconds'] / result['tutorial']['seconds']


def test_stop_at_accuracy_is_a_share():
    with pytest.raises(ValueError, match='stop_at_accuracy: must be within 0..1'):
        TrainingConfig(train_data='config/train_turtlesim.yaml', stop_at_accuracy=1.5)
