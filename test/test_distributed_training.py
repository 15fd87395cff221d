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

"""Data-parallel training: two CPU processes end with the weights of one on the same batches."""

import csv
import json
import subprocess
import sys

from lint_paths import ROOT
import pytest

from ros2_prompt_tuning import trainer
from ros2_prompt_tuning.adapter import METADATA_FILE
from ros2_prompt_tuning.config import TrainingConfig
from ros2_prompt_tuning.methods.prompt_tuning import initial_prompt
from ros2_prompt_tuning.models import load_base_model
from safetensors.torch import load_file
import torch

pytestmark = pytest.mark.skipif(
    not (torch.distributed.is_available() and torch.distributed.is_gloo_available()),
    reason='this torch has no gloo backend: CPU processes cannot train together')

# Batches of 3 pairs: the two processes take 2 and 1 of each. In fp32, as each process pads
# its share to another length, which would change bf16 rounding, not the result.
SETTINGS = {'num_virtual_tokens': 4, 'learning_rate': 0.1, 'warmup_steps': 0, 'max_steps': 3,
            'batch_size': 3, 'eval_every': 2, 'save_every': 1, 'cpu_bf16': False,
            'device': 'cpu'}
TOLERANCE = 1e-5


class Interrupted(Exception):
    """Stands for a run killed after its first step."""


def trained_prompt(output_dir):
    """Return the saved virtual-token embeddings of a run."""
    return load_file(output_dir / 'adapter_model.safetensors')['prompt_embeddings']


def train_in_two_processes(settings, output_dir, *extra):
    """Run the training command in two CPU processes started by torchrun."""
    flags = [f'--{"" if value else "no-"}{name}'.replace('_', '-') if isinstance(value, bool)
             else f'--{name.replace("_", "-")}={value}' for name, value in settings.items()]
    result = subprocess.run(
        [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2',
         '-m', 'ros2_prompt_tuning.train', *flags, '--output-dir', str(output_dir), '--quiet',
         *extra], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]


def training_losses(output_dir):
    """Return the logged steps and training losses of a run."""
    with open(output_dir / trainer.LOG_FILE, encoding='utf-8') as stream:
        return [(int(row['step']), float(row['train_loss'])) for row in csv.DictReader(stream)]


@pytest.fixture(scope='module')
def settings(tiny_qwen2, pair_files):
    """Return the settings of the runs compared: tiny model, validation, checkpoints."""
    return {'model': tiny_qwen2, 'train_data': pair_files[0],
            'validation_data': pair_files[1], **SETTINGS}


@pytest.fixture(scope='module')
def one_process(settings, tmp_path_factory):
    """Train in this process; return the output folder."""
    output_dir = tmp_path_factory.mktemp('one-process')
    trainer.train(TrainingConfig(output_dir=str(output_dir), **settings), progress=False)
    return output_dir


def test_two_processes_train_the_weights_of_one(settings, one_process, tmp_path):
    train_in_two_processes(settings, tmp_path)
    expected = trained_prompt(one_process)
    start = initial_prompt(TrainingConfig(**settings),
                           load_base_model(settings['model'], 'cpu', 'fp32'))
    assert (expected - start).abs().max() > 100 * TOLERANCE, 'training left the prompt as is'
    assert torch.allclose(trained_prompt(tmp_path), expected, rtol=0.0, atol=TOLERANCE)
    steps, losses = zip(*training_losses(tmp_path))
    expected_steps, expected_losses = zip(*training_losses(one_process))
    assert steps == expected_steps == (2, 3)
    assert losses == pytest.approx(expected_losses, rel=TOLERANCE)
    metadata = json.loads((tmp_path / METADATA_FILE).read_text())
    assert metadata['training']['processes'] == 2
    assert metadata['training']['steps'] == 3
    assert (tmp_path / trainer.CHECKPOINT_FILE).is_file()


def test_two_processes_resume_the_checkpoint_of_one(settings, one_process, tmp_path,
                                                    monkeypatch):
    accumulate_gradient, calls = trainer.accumulate_gradient, []

    def first_step_only(*args):
        calls.append(args)
        if len(calls) > 1:
            raise Interrupted
        return accumulate_gradient(*args)

    with monkeypatch.context() as patch, pytest.raises(Interrupted):
        patch.setattr(trainer, 'accumulate_gradient', first_step_only)
        trainer.train(TrainingConfig(output_dir=str(tmp_path), **settings), progress=False)
    assert torch.load(tmp_path / trainer.CHECKPOINT_FILE, weights_only=True)['step'] == 1
    train_in_two_processes(settings, tmp_path, '--resume')
    assert torch.allclose(trained_prompt(tmp_path), trained_prompt(one_process), rtol=0.0,
                          atol=TOLERANCE)
