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

"""Training options: validation of each field, YAML + flag merging and the train command line."""

from dataclasses import fields
from pathlib import Path
import subprocess
import sys

import pytest

from ros2_prompt_tuning import train
from ros2_prompt_tuning.config import TrainingConfig

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def train_file(pair_files):
    return pair_files[0]


def write_yaml(path, text):
    path.write_text(text, encoding='utf-8')
    return str(path)


def test_defaults_are_valid(train_file):
    config = TrainingConfig(train_data=train_file)
    assert config.train_data == train_file
    assert config.method == 'prompt_tuning'
    assert config.prompt_init == 'text'
    assert config.device == 'auto'
    assert config.num_virtual_tokens > 0


def test_every_field_has_help_text():
    for item in fields(TrainingConfig):
        assert item.metadata.get('help'), item.name


@pytest.mark.parametrize('train_data', [None, ''])
def test_missing_train_data_is_rejected(train_data):
    with pytest.raises(ValueError, match='^train_data: '):
        TrainingConfig(train_data=train_data)


def test_missing_train_file_is_rejected(tmp_path):
    missing = tmp_path / 'nowhere.jsonl'
    with pytest.raises(ValueError, match='^train_data: file not found') as error:
        TrainingConfig(train_data=str(missing))
    assert str(missing) in str(error.value)


def test_missing_validation_file_is_rejected(train_file, tmp_path):
    with pytest.raises(ValueError, match='^validation_data: file not found'):
        TrainingConfig(train_data=train_file, validation_data=str(tmp_path / 'val.jsonl'))


def test_a_folder_is_not_a_train_file(tmp_path):
    with pytest.raises(ValueError, match='^train_data: file not found'):
        TrainingConfig(train_data=str(tmp_path))


@pytest.mark.parametrize('name, value', [
    ('method', 'lora'),
    ('prompt_init', 'zeros'),
    ('device', 'tpu'),
])
def test_unknown_choice_is_rejected(train_file, name, value):
    with pytest.raises(ValueError, match=f'^{name}: must be one of') as error:
        TrainingConfig(train_data=train_file, **{name: value})
    assert repr(value) in str(error.value)


@pytest.mark.parametrize('name', ['num_virtual_tokens', 'max_steps', 'batch_size',
                                  'max_length', 'eval_every'])
@pytest.mark.parametrize('value', [0, -1])
def test_non_positive_count_is_rejected(train_file, name, value):
    with pytest.raises(ValueError, match=f'^{name}: must be > 0, not {value}$'):
        TrainingConfig(train_data=train_file, **{name: value})


def test_negative_warmup_is_rejected(train_file):
    with pytest.raises(ValueError, match='^warmup_steps: must be >= 0'):
        TrainingConfig(train_data=train_file, warmup_steps=-1)


def test_zero_warmup_is_accepted(train_file):
    assert TrainingConfig(train_data=train_file, warmup_steps=0).warmup_steps == 0


@pytest.mark.parametrize('value', [0, 0.0, -0.01, float('nan')])
def test_non_positive_learning_rate_is_rejected(train_file, value):
    with pytest.raises(ValueError, match='^learning_rate: must be > 0'):
        TrainingConfig(train_data=train_file, learning_rate=value)


@pytest.mark.parametrize('text', ['', '   \n'])
def test_empty_init_text_is_rejected_for_text_init(train_file, text):
    with pytest.raises(ValueError, match='^prompt_init_text: '):
        TrainingConfig(train_data=train_file, prompt_init='text', prompt_init_text=text)


@pytest.mark.parametrize('prompt_init', ['random', 'vocab'])
def test_empty_init_text_is_fine_for_other_inits(train_file, prompt_init):
    config = TrainingConfig(train_data=train_file, prompt_init=prompt_init, prompt_init_text='')
    assert config.prompt_init == prompt_init


def test_from_sources_merges_yaml_and_overrides(train_file, tmp_path):
    config_file = write_yaml(tmp_path / 'run.yaml', (
        f'train_data: {train_file}\n'
        'max_steps: 7\n'
        'learning_rate: 0.5\n'
        'num_virtual_tokens: 3\n'))
    config = TrainingConfig.from_sources(config_file, max_steps=11, learning_rate=None,
                                         seed=5)
    assert config.train_data == train_file
    assert config.max_steps == 11  # the override wins
    assert config.learning_rate == 0.5  # None means "not given"
    assert config.num_virtual_tokens == 3  # from the file only
    assert config.seed == 5  # from the overrides only
    assert config.batch_size == TrainingConfig(train_data=train_file).batch_size  # default


def test_from_sources_without_yaml(train_file):
    config = TrainingConfig.from_sources(None, train_data=train_file, max_steps=None,
                                         batch_size=2)
    assert config.batch_size == 2
    assert config.max_steps == TrainingConfig(train_data=train_file).max_steps


def test_from_sources_accepts_an_empty_yaml(train_file, tmp_path):
    config_file = write_yaml(tmp_path / 'empty.yaml', '')
    assert TrainingConfig.from_sources(config_file, train_data=train_file).train_data == \
        train_file


def test_from_sources_rejects_unknown_keys(train_file, tmp_path):
    config_file = write_yaml(tmp_path / 'typo.yaml', (
        f'train_data: {train_file}\n'
        'max_step: 7\n'
        'lr: 0.1\n'))
    with pytest.raises(ValueError, match='unknown option') as error:
        TrainingConfig.from_sources(config_file)
    message = str(error.value)
    assert 'lr, max_step' in message
    assert config_file in message


@pytest.mark.parametrize('text', ['- train_data\n- max_steps\n', 'just a string\n', '42\n',
                                  '0\n', 'false\n'])
def test_from_sources_rejects_a_yaml_that_is_not_a_mapping(train_file, tmp_path, text):
    config_file = write_yaml(tmp_path / 'list.yaml', text)
    with pytest.raises(ValueError, match='expected a mapping') as error:
        TrainingConfig.from_sources(config_file, train_data=train_file)
    assert config_file in str(error.value)


@pytest.mark.parametrize('template', ['no slot', '{instruction} and {instruction}'])
def test_prompt_template_needs_one_instruction_slot(train_file, template):
    with pytest.raises(ValueError, match='^prompt_template: '):
        TrainingConfig(train_data=train_file, prompt_template=template)


def test_numbers_written_as_text_become_floats(train_file, tmp_path):
    config_file = write_yaml(tmp_path / 'lr.yaml', 'learning_rate: 3e-2\nmax_grad_norm: 2\n')
    config = TrainingConfig.from_sources(config_file, train_data=train_file)
    assert config.learning_rate == 0.03
    assert config.max_grad_norm == 2.0 and isinstance(config.max_grad_norm, float)


@pytest.mark.parametrize('name, value, words', [
    ('learning_rate', 'fast', 'must be a number'),
    ('max_steps', '300', 'must be an integer'),
    ('batch_size', 2.5, 'must be an integer'),
    ('seed', True, 'must be an integer'),
    ('model', 7, 'must be str'),
])
def test_values_of_the_wrong_type_are_rejected(train_file, name, value, words):
    with pytest.raises(ValueError, match=f'^{name}: {words}'):
        TrainingConfig(train_data=train_file, **{name: value})


def test_train_reports_a_wrong_type_in_yaml(train_file, tmp_path, capsys):
    config_file = write_yaml(tmp_path / 'bad.yaml', 'max_steps: "300"\n')
    assert train.main(['--config', config_file, '--train-data', train_file]) == 2
    assert 'train: error: max_steps: must be an integer' in capsys.readouterr().err


def test_from_sources_validates_yaml_values(train_file, tmp_path):
    config_file = write_yaml(tmp_path / 'bad.yaml', f'train_data: {train_file}\nmax_steps: 0\n')
    with pytest.raises(ValueError, match='^max_steps: '):
        TrainingConfig.from_sources(config_file)


def test_train_help_exits_zero(capsys):
    with pytest.raises(SystemExit) as error:
        train.main(['--help'])
    assert error.value.code == 0
    out = capsys.readouterr().out
    for item in fields(TrainingConfig):
        assert '--' + item.name.replace('_', '-') in out
    assert '--config' in out


def test_train_rejects_a_missing_train_file(tmp_path, capsys):
    missing = str(tmp_path / 'missing.jsonl')
    assert train.main(['--train-data', missing, '--quiet']) == 2
    err = capsys.readouterr().err
    assert err.startswith('train: error: ')
    assert 'train_data' in err
    assert missing in err


def test_train_rejects_a_bad_value(train_file, capsys):
    assert train.main(['--train-data', train_file, '--num-virtual-tokens', '0']) == 2
    err = capsys.readouterr().err
    assert err.startswith('train: error: num_virtual_tokens')


def test_train_without_train_data_fails(capsys):
    assert train.main([]) == 2
    assert 'train: error: train_data' in capsys.readouterr().err


def test_train_reports_a_bad_yaml(train_file, tmp_path, capsys):
    config_file = write_yaml(tmp_path / 'typo.yaml', f'train_data: {train_file}\nstepz: 3\n')
    assert train.main(['--config', config_file]) == 2
    err = capsys.readouterr().err
    assert err.startswith('train: error: ')
    assert 'stepz' in err


def test_train_reports_a_missing_yaml(tmp_path, capsys):
    assert train.main(['--config', str(tmp_path / 'none.yaml')]) == 2
    assert capsys.readouterr().err.startswith('train: error: ')


def test_train_flag_choices_are_checked_by_the_parser(train_file, capsys):
    with pytest.raises(SystemExit) as error:
        train.main(['--train-data', train_file, '--method', 'lora'])
    assert error.value.code == 2
    assert 'lora' in capsys.readouterr().err


def test_train_help_does_not_import_torch():
    code = ('import sys\n'
            'from ros2_prompt_tuning import train\n'
            'try:\n'
            '    train.main(["--help"])\n'
            'except SystemExit as error:\n'
            '    assert error.code == 0, error.code\n'
            'print("torch" in sys.modules, "transformers" in sys.modules)\n')
    result = subprocess.run([sys.executable, '-c', code], cwd=str(REPO_ROOT),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == 'False False'


def test_several_train_files_from_a_yaml_list_or_commas(pair_files, tmp_path):
    train_file, validation_file = map(str, pair_files)
    config_file = write_yaml(tmp_path / 'run.yaml',
                             f'train_data:\n  - {train_file}\n  - {validation_file}\n')
    assert TrainingConfig.from_sources(config_file).train_files == [train_file,
                                                                    validation_file]
    flags = TrainingConfig.from_sources(None, train_data=f'{train_file}, {validation_file}')
    assert flags.train_files == [train_file, validation_file]
    with pytest.raises(ValueError, match='^train_data: file not found: .*absent.jsonl'):
        TrainingConfig(train_data=f'{train_file},{tmp_path / "absent.jsonl"}')


def test_starting_weights_must_be_a_folder_of_a_method_that_saves_them(train_file, tmp_path):
    with pytest.raises(ValueError, match='^init_weights: folder not found'):
        TrainingConfig(train_data=train_file, init_weights=str(tmp_path / 'absent'))
    with pytest.raises(ValueError, match="^init_weights: p_tuning saves its encoder's output"):
        TrainingConfig(train_data=train_file, init_weights=str(tmp_path), method='p_tuning')
    assert TrainingConfig(train_data=train_file, init_weights=str(tmp_path),
                          method='prefix_tuning').init_weights == str(tmp_path)


def test_negative_resample_copies_are_rejected(train_file):
    with pytest.raises(ValueError, match='^resample_copies: must be >= 0, not -1'):
        TrainingConfig(train_data=train_file, resample_copies=-1)
