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

"""End to end on a tiny random Qwen2 model: train, save, reload, generate, refuse mismatch."""

import csv
import json
from pathlib import Path
import shutil
import signal
import subprocess
import sys
import time

from lint_paths import ROOT
import pytest

from ros2_prompt_tuning.adapter import (AdapterMismatchError, METADATA_FILE, read_vocabulary,
                                        save_vocabulary)
from ros2_prompt_tuning.calibrate import CANDIDATES, main as calibrate_main
from ros2_prompt_tuning.config import TrainingConfig
from ros2_prompt_tuning.evaluate import main as evaluate_main
from ros2_prompt_tuning.generation import CommandGenerator
from ros2_prompt_tuning.train import main as train_main
from ros2_prompt_tuning.trainer import (CHECKPOINT_FILE, CheckpointError, CURVE_FILE, LOG_FILE,
                                        train)
import torch


def checkpoint_step(path):
    """Return the step a checkpoint file was written at."""
    return torch.load(path, map_location='cpu', weights_only=False)['step']


@pytest.fixture(scope='module')
def trained(tiny_qwen2, pair_files, tmp_path_factory):
    """Train a prompt for 40 steps on the tiny model; return ``(peft_model, metadata, dir)``."""
    output_dir = tmp_path_factory.mktemp('adapter')
    train_data, validation_data = pair_files
    config = TrainingConfig(train_data=train_data, validation_data=validation_data,
                            test_data=validation_data, output_dir=str(output_dir),
                            model=tiny_qwen2, num_virtual_tokens=4, learning_rate=0.1,
                            warmup_steps=2, max_steps=40, batch_size=3, eval_every=10,
                            device='cpu')
    peft_model, metadata = train(config, progress=False)
    return peft_model, metadata, output_dir


def test_training_lowers_the_loss(trained):
    _, metadata, output_dir = trained
    with open(output_dir / LOG_FILE, encoding='utf-8') as stream:
        rows = list(csv.DictReader(stream))
    assert [int(row['step']) for row in rows] == [10, 20, 30, 40]
    assert float(rows[-1]['train_loss']) < float(rows[0]['train_loss']) - 0.1
    assert metadata['metrics']['best_validation_loss'] <= float(rows[0]['validation_loss'])
    assert (output_dir / CURVE_FILE).stat().st_size > 0


def test_metadata_describes_the_run(trained, tiny_qwen2, pair_files):
    _, metadata, output_dir = trained
    saved = json.loads((output_dir / METADATA_FILE).read_text())
    assert saved == json.loads(json.dumps(metadata))
    assert saved['method'] == 'prompt_tuning'
    assert saved['base_model']['hidden_size'] == 32
    assert saved['base_model']['architecture'] == 'Qwen2ForCausalLM'
    assert len(saved['base_model']['sha256']) == 64
    assert saved['datasets']['train']['examples'] == 6
    assert saved['datasets']['validation']['examples'] == 3
    assert saved['num_virtual_tokens'] == 4
    assert 0.0 <= saved['metrics']['validation_exact_match'] <= 1.0
    assert 0.0 <= saved['metrics']['test_exact_match'] <= 1.0
    assert 0.0 <= saved['metrics']['test_semantic_accuracy'] <= 1.0
    assert 0.0 <= saved['metrics']['test_validity'] <= 1.0
    assert saved['datasets']['test']['examples'] == 3
    assert '{instruction}' in saved['prompt_template']
    adapter_config = json.loads((output_dir / 'adapter_config.json').read_text())
    assert adapter_config['base_model_name_or_path'] == saved['base_model']['name']
    assert adapter_config['num_virtual_tokens'] == 4
    # No word of the six requests is seen three times: nothing to correct typos toward.
    assert read_vocabulary(output_dir) is None


def test_adapter_round_trips(trained, tiny_qwen2, embedded_tokenizer):
    peft_model, _, output_dir = trained
    requests = ['move forward 3 meters', 'clear the drawing', 'turn left']
    # In fp32, as the weights in memory: the replies of the two must agree token for token.
    reloaded = CommandGenerator.load(tiny_qwen2, str(output_dir), device='cpu',
                                     max_new_tokens=12, precision='fp32')
    # The weights were trained on rewritten requests: they are read the same way again.
    assert reloaded.rewrite and reloaded.constraint is not None
    in_memory = CommandGenerator.from_peft(peft_model, embedded_tokenizer, max_new_tokens=12,
                                           template=reloaded.template,
                                           constraint=reloaded.constraint,
                                           rewrite=reloaded.rewrite)
    assert reloaded.metadata['method'] == 'prompt_tuning'
    assert reloaded.prompt.shape == (4, 32)
    assert (reloaded.prompt == in_memory.prompt).all()
    replies = reloaded.generate(requests)
    assert replies == in_memory.generate(requests)
    assert replies[0].request == 'move forward 3.0 m'
    assert reloaded.rewrite('FACE NORTH') == 'face 1.5708 rad'
    assert all('\n' not in reply.text for reply in replies)
    free = CommandGenerator.load(tiny_qwen2, str(output_dir), device='cpu', max_new_tokens=12,
                                 grammar=False, rewrite=False)
    assert free.constraint is None and not free.rewrite


def test_the_words_saved_beside_the_weights_correct_the_requests(trained, tiny_qwen2,
                                                                 tmp_path):
    _, _, output_dir = trained
    folder = tmp_path / 'weights'
    shutil.copytree(output_dir, folder)
    save_vocabulary(folder, {'turn': 5, 'left': 5})
    generator = CommandGenerator.load(tiny_qwen2, str(folder), 'cpu')
    assert generator.generate(['trun lfet'])[0].request == 'turn left'
    generator = CommandGenerator.load(tiny_qwen2, str(output_dir), 'cpu')
    assert generator.generate(['trun lfet'])[0].request == 'trun lfet'


def test_adapter_for_another_model_is_refused(trained, wider_tiny_qwen2, tiny_qwen2):
    _, _, output_dir = trained
    with pytest.raises(AdapterMismatchError) as error:
        CommandGenerator.load(wider_tiny_qwen2, str(output_dir), device='cpu')
    message = str(error.value)
    assert 'hidden size 32' in message and 'hidden size 48' in message
    assert tiny_qwen2.rstrip('/').split('/')[-1] in message
    assert wider_tiny_qwen2.rstrip('/').split('/')[-1] in message


def test_command_line_trains_from_yaml_and_flags(tiny_qwen2, pair_files, tmp_path, capsys):
    train_data, _ = pair_files
    config_file = tmp_path / 'train.yaml'
    config_file.write_text(f'model: {tiny_qwen2}\ntrain_data: {train_data}\n'
                           'num_virtual_tokens: 2\nmax_steps: 50\ndevice: cpu\n')
    output_dir = tmp_path / 'out'
    assert train_main(['--config', str(config_file), '--max-steps', '2', '--eval-every', '1',
                       '--output-dir', str(output_dir), '--quiet']) == 0
    metadata = json.loads((output_dir / METADATA_FILE).read_text())
    assert metadata['training']['steps'] == 2
    assert metadata['num_virtual_tokens'] == 2
    assert 'validation' not in metadata['datasets']
    assert str(output_dir) in capsys.readouterr().out


def test_evaluation_of_the_trained_adapter(trained, tiny_qwen2, pair_files, tmp_path, capsys):
    _, _, output_dir = trained
    out = tmp_path / 'predictions.jsonl'
    assert evaluate_main(['--data', pair_files[1], '--model', tiny_qwen2, '--adapter',
                          str(output_dir), '--device', 'cpu', '--max-new-tokens', '8',
                          '--out', str(out), '--quiet']) == 0
    assert len(out.read_text().splitlines()) == 3
    assert 'exact match' in capsys.readouterr().out


KILLED_RUN = {'train_data': None, 'num_virtual_tokens': 4, 'learning_rate': 0.1,
              'warmup_steps': 2, 'max_steps': 200, 'batch_size': 3, 'eval_every': 50,
              'save_every': 5, 'device': 'cpu'}


def kill_run(settings, output_dir, at_step):
    """Start ``train`` with ``settings`` and kill it once it has saved step ``at_step``."""
    flags = [f'--{name.replace("_", "-")}={value}' for name, value in settings.items()]
    process = subprocess.Popen(
        [sys.executable, '-m', 'ros2_prompt_tuning.train', *flags, '--output-dir',
         str(output_dir), '--quiet'], cwd=ROOT, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    checkpoint = output_dir / CHECKPOINT_FILE
    while process.poll() is None:
        if checkpoint.is_file() and checkpoint_step(checkpoint) >= at_step:
            process.kill()
            break
        time.sleep(0.01)
    assert process.wait() == -signal.SIGKILL, 'the run ended before it could be killed'
    killed_at = checkpoint_step(checkpoint)
    assert at_step <= killed_at < settings['max_steps']
    assert killed_at % settings['save_every'] == 0
    return killed_at


def test_a_killed_run_resumes_from_its_last_checkpoint(tiny_qwen2, pair_files, tmp_path):
    settings = {**KILLED_RUN, 'model': tiny_qwen2, 'train_data': pair_files[0]}
    killed_dir = tmp_path / 'killed'
    kill_run(settings, killed_dir, 20)

    resumed, metadata = train(TrainingConfig(output_dir=str(killed_dir), resume=True,
                                             **settings), progress=False)
    straight, _ = train(TrainingConfig(output_dir=str(tmp_path / 'straight'), **settings),
                        progress=False)
    assert metadata['training']['steps'] == 200
    assert torch.allclose(resumed.prompt_encoder['default'].embedding.weight,
                          straight.prompt_encoder['default'].embedding.weight, atol=1e-6)
    logs = [(directory / LOG_FILE).read_text().splitlines()
            for directory in (killed_dir, tmp_path / 'straight')]
    assert [line.split(',')[:4] for line in logs[0]] == [line.split(',')[:4] for line in logs[1]]


def test_a_killed_run_finishes_at_its_checkpoint(tiny_qwen2, pair_files, tmp_path):
    settings = {**KILLED_RUN, 'model': tiny_qwen2, 'train_data': pair_files[0],
                'validation_data': pair_files[1], 'eval_every': 10, 'eval_examples': 3,
                'max_new_tokens': 4}
    output_dir = tmp_path / 'killed'
    killed_at = kill_run(settings, output_dir, 20)
    with pytest.raises(ValueError, match='finish: needs resume'):
        TrainingConfig(output_dir=str(output_dir), finish=True, **settings)
    with pytest.raises(CheckpointError, match='no checkpoint to finish'):
        train(TrainingConfig(output_dir=str(tmp_path / 'empty'), resume=True, finish=True,
                             **settings), progress=False)
    _, metadata = train(TrainingConfig(output_dir=str(output_dir), resume=True, finish=True,
                                       **settings), progress=False)
    assert metadata['training']['steps'] == killed_at
    assert (output_dir / 'adapter_model.safetensors').is_file()
    rows = (output_dir / LOG_FILE).read_text().splitlines()[1:]
    assert [int(row.split(',')[0]) for row in rows] == list(range(10, killed_at + 1, 10))


def test_resuming_with_other_settings_is_refused(trained, tiny_qwen2, pair_files):
    _, _, output_dir = trained
    with pytest.raises(ValueError, match=r'other batch_size \(3 there, 8 now\), .*'
                       r'num_virtual_tokens \(4 there, 3 now\).*: resume'):
        train(TrainingConfig(model=tiny_qwen2, train_data=pair_files[0], num_virtual_tokens=3,
                             output_dir=str(output_dir), resume=True, max_steps=2,
                             device='cpu'), progress=False)


def test_early_stopping_ends_the_run(tiny_qwen2, pair_files, tmp_path):
    _, metadata = train(TrainingConfig(
        model=tiny_qwen2, train_data=pair_files[0], validation_data=pair_files[1],
        num_virtual_tokens=2, learning_rate=1e-9, max_steps=50, eval_every=1,
        early_stopping_patience=2, output_dir=str(tmp_path / 'out'), device='cpu'),
        progress=False)
    assert metadata['training']['steps'] < 50


def test_a_run_can_start_from_trained_weights(trained, tiny_qwen2, pair_files, tmp_path):
    peft_model, _, output_dir = trained
    # A learning rate too small to move the prompt: the run ends where the weights began.
    _, metadata = train(TrainingConfig(
        model=tiny_qwen2, train_data=','.join(map(str, pair_files)), init_weights=str(output_dir),
        num_virtual_tokens=4, learning_rate=1e-12, warmup_steps=0, max_steps=2,
        batch_size=3, output_dir=str(tmp_path / 'tuned'), device='cpu'), progress=False)
    tuned = CommandGenerator.load(tiny_qwen2, adapter=str(tmp_path / 'tuned'), device='cpu',
                                  precision='fp32')
    trained_prompt = peft_model.prompt_encoder['default'].embedding.weight
    assert torch.allclose(tuned.prompt, trained_prompt.cpu(), atol=1e-6)
    assert [entry['file'] for entry in metadata['datasets']['train']] == \
        [Path(path).name for path in pair_files]
    assert metadata['training']['pairs'] == sum(entry['examples']
                                                for entry in metadata['datasets']['train'])


def test_resampled_copies_join_the_training_pairs(tiny_qwen2, pair_files, tmp_path):
    settings = {'model': tiny_qwen2, 'train_data': str(pair_files[0]),
                'num_virtual_tokens': 2, 'max_steps': 1, 'batch_size': 2, 'device': 'cpu'}
    _, plain = train(TrainingConfig(output_dir=str(tmp_path / 'plain'), **settings),
                     progress=False)
    _, more = train(TrainingConfig(output_dir=str(tmp_path / 'more'), resample_copies=2,
                                   **settings), progress=False)
    assert plain['training']['pairs'] < more['training']['pairs'] <= \
        3 * plain['training']['pairs']


def test_starting_weights_of_another_size_are_refused(trained, tiny_qwen2, pair_files,
                                                      tmp_path):
    _, _, output_dir = trained
    with pytest.raises(ValueError, match='with 4 virtual tokens: set method and '
                                         'num_virtual_tokens to match'):
        train(TrainingConfig(model=tiny_qwen2, train_data=pair_files[0], num_virtual_tokens=3,
                             init_weights=str(output_dir), output_dir=str(tmp_path / 'out'),
                             max_steps=1, device='cpu'), progress=False)


def test_the_refusal_bias_moves_the_first_choice_only(trained, tiny_qwen2):
    _, _, output_dir = trained
    requests = ['move forward 3 meters', 'clear the drawing', 'turn left']

    def replies(bias):
        return CommandGenerator.load(tiny_qwen2, str(output_dir), device='cpu',
                                     max_new_tokens=12, refusal_bias=bias).generate(requests)
    never, always = replies(-1e4), replies(1e4)
    assert all(reply.text == 'UNSUPPORTED' for reply in always)
    assert not any(reply.text == 'UNSUPPORTED' for reply in never)
    # The margin is the model's own lean, before the bias.
    assert [reply.refusal_margin for reply in never] == pytest.approx(
        [reply.refusal_margin for reply in always])


def test_calibration_writes_the_best_bias_that_loading_then_uses(trained, tiny_qwen2,
                                                                 pair_files, tmp_path, capsys):
    _, _, output_dir = trained
    folder = tmp_path / 'weights'
    shutil.copytree(output_dir, folder)
    assert calibrate_main(['--adapter', str(folder), '--data', str(pair_files[1]), '--model',
                           tiny_qwen2, '--device', 'cpu', '--max-new-tokens', '12', '--write',
                           '--quiet']) == 0
    assert '<- best' in capsys.readouterr().out
    metadata = json.loads((folder / METADATA_FILE).read_text())
    assert metadata['refusal_bias'] in CANDIDATES
    assert len(metadata['refusal_calibration']['accuracy_by_bias']) == len(CANDIDATES)
    loaded = CommandGenerator.load(tiny_qwen2, str(folder), device='cpu')
    assert loaded.refusal_bias == metadata['refusal_bias']
