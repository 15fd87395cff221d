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

"""Checkpoints: what a resumed run must share, safe loading, no silent overwrite."""

from dataclasses import replace
from pathlib import Path

import pytest

from ros2_prompt_tuning.config import TrainingConfig
from ros2_prompt_tuning.resources import share_dir
from ros2_prompt_tuning.train import main as train_main
from ros2_prompt_tuning.trainer import (check_output_dir, CHECKPOINT_FILE, CheckpointError,
                                        load_checkpoint, run_identity)
import torch


@pytest.fixture
def config(pair_files, tmp_path):
    """Return a training config writing into an empty folder."""
    return TrainingConfig(train_data=pair_files[0], validation_data=pair_files[1],
                          output_dir=str(tmp_path / 'out'), device='cpu')


def save_run(path, identity, extra=None):
    """Write a checkpoint of a one-parameter run; return its module, optimizer, schedule."""
    module = torch.nn.Linear(2, 1)
    optimizer = torch.optim.AdamW(module.parameters(), lr=0.1)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1.0)
    module(torch.ones(1, 2)).sum().backward()
    optimizer.step()
    schedule.step()
    torch.save({'identity': identity, 'step': 1, 'rows': [{'train_loss': 0.5}],
                'weights': module.state_dict(), 'optimizer': optimizer.state_dict(),
                'schedule': schedule.state_dict(), **(extra or {})}, path)
    return module, optimizer, schedule


@pytest.mark.parametrize('name, value', [
    ('learning_rate', 0.05), ('warmup_steps', 3), ('max_steps', 10), ('max_grad_norm', 2.0),
    ('per_sequence_loss', False), ('decisions_only', False), ('eval_every', 7),
    ('rewrite_quantities', False), ('cpu_bf16', False), ('prompt_init', 'random')])
def test_every_setting_that_alters_the_run_is_in_its_identity(config, name, value):
    assert run_identity(replace(config, **{name: value})) != run_identity(config)


def test_data_is_identified_by_content_and_bookkeeping_options_are_not(config, pair_files):
    identity = run_identity(config)
    assert identity['train_data_sha256'] and identity['validation_data_sha256']
    assert run_identity(replace(config, validation_data=pair_files[0])) != identity
    # The robot description is a YAML file, identified by its bytes as the data are.
    robot = str(share_dir() / 'robots' / 'turtlesim.yaml')
    with_robot = run_identity(replace(config, robot=robot))
    assert len(with_robot['robot_sha256']) == 64 and with_robot != identity
    for name, value in [('save_every', 3), ('output_dir', 'elsewhere'), ('device', 'auto'),
                        ('resume', True)]:
        assert run_identity(replace(config, **{name: value})) == identity, name


def test_resume_refuses_other_settings_naming_them(config, tmp_path):
    path = tmp_path / CHECKPOINT_FILE
    identity = run_identity(config)
    module, optimizer, schedule = save_run(path, identity)
    changed = run_identity(replace(config, learning_rate=0.5, warmup_steps=1))
    with pytest.raises(CheckpointError, match=r'other learning_rate \(0\.1 there, 0\.5 now\), '
                                              r'warmup_steps \(30 there, 1 now\)'):
        load_checkpoint(path, changed, module, optimizer, schedule)
    assert load_checkpoint(path, identity, module, optimizer, schedule)['step'] == 1


def test_a_checkpoint_holding_objects_is_refused(config, tmp_path):
    path = tmp_path / CHECKPOINT_FILE
    identity = run_identity(config)
    module, optimizer, schedule = save_run(path, identity, {'config': config})
    with pytest.raises(CheckpointError, match=f'{path}: expected a training checkpoint'):
        load_checkpoint(path, identity, module, optimizer, schedule)
    path.write_bytes(b'not a checkpoint')
    with pytest.raises(CheckpointError, match=f'{path}: expected a training checkpoint'):
        load_checkpoint(path, identity, module, optimizer, schedule)


def test_an_older_checkpoint_resumes_with_a_warning_naming_what_it_lacks(config, tmp_path):
    path = tmp_path / CHECKPOINT_FILE
    identity = run_identity(config)
    older = {key: value for key, value in identity.items() if key != 'learning_rate'}
    module, optimizer, schedule = save_run(path, older)
    with pytest.warns(UserWarning, match='does not record learning_rate'):
        load_checkpoint(path, identity, module, optimizer, schedule)


def test_a_checkpoint_is_not_overwritten_without_resume_or_overwrite(config, capsys):
    check_output_dir(config)
    folder = Path(config.output_dir)
    folder.mkdir()
    (folder / CHECKPOINT_FILE).write_bytes(b'')
    with pytest.raises(CheckpointError, match='--resume or start again with --overwrite'):
        check_output_dir(config)
    check_output_dir(replace(config, resume=True))
    check_output_dir(replace(config, overwrite=True))
    assert train_main(['--train-data', config.train_data, '--output-dir', str(folder),
                       '--device', 'cpu', '--quiet']) == 2
    error = capsys.readouterr().err
    assert error.startswith('train: error: ') and error.count('\n') == 1
    assert train_main(['--train-data', config.train_data, '--output-dir', str(folder),
                       '--resume', '--overwrite']) == 2
    assert 'cannot be combined with resume' in capsys.readouterr().err
