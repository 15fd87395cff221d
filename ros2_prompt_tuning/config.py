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

"""Training options: one validated dataclass, filled from a YAML file and/or flags."""

from dataclasses import dataclass, field, fields
from pathlib import Path

from ros2_prompt_tuning.data import PROMPT_TEMPLATE
from ros2_prompt_tuning.methods import METHODS
from ros2_prompt_tuning.models import DEVICES
from ros2_prompt_tuning.resources import EMBEDDED_MODEL

PROMPT_INITS = ('text', 'random', 'vocab')


def option(default, help_text, **extra):
    """Declare a config field with the help text its command-line flag shows."""
    return field(default=default, metadata={'help': help_text, **extra})


@dataclass
class TrainingConfig:
    """Everything a training run needs; checked in ``__post_init__``."""

    train_data: str = option(None, 'JSONL file of {"instruction", "command"} pairs, or several '
                             'separated by commas (a list in YAML) (required)')
    validation_data: str = option(None, 'held-out JSONL file for validation loss and accuracy')
    test_data: str = option(None, 'held-out JSONL file scored (exact match) after training')
    output_dir: str = option('prompt_weights', 'folder the adapter and its logs are written to')
    model: str = option(EMBEDDED_MODEL, 'base model: "embedded", a .gguf file, a folder or a '
                        'hub id (e.g. Qwen/Qwen2.5-Coder-1.5B-Instruct)')
    method: str = option('prompt_tuning', 'prompt method', choices=METHODS)
    prompt_template: str = option(PROMPT_TEMPLATE, 'text around each request, with an '
                                  '{instruction} slot; saved with the weights and used at '
                                  'inference')
    num_virtual_tokens: int = option(32, 'number of trainable virtual tokens')
    prompt_init: str = option('text', 'initial virtual tokens: embeddings of prompt_init_text, '
                              'random, or the first rows of the vocabulary',
                              choices=PROMPT_INITS)
    prompt_init_text: str = option(
        'Write the one ros2 command line that does what the robot request asks.',
        'text whose token embeddings start the virtual tokens (prompt_init: text)')
    init_weights: str = option(None, 'prompt-weight folder whose trained prompt starts the run '
                               'instead of prompt_init, to fine-tune it on new pairs (same '
                               'base model, method and num_virtual_tokens; not p_tuning)')
    learning_rate: float = option(0.1, 'peak AdamW learning rate')
    warmup_steps: int = option(30, 'steps of linear learning-rate warm-up before cosine decay')
    max_steps: int = option(480, 'optimizer steps')
    batch_size: int = option(8, 'pairs per mini-batch')
    max_length: int = option(192, 'longest tokenised pair; longer ones are cut')
    max_new_tokens: int = option(128, 'token budget of one reply when held-out requests are '
                                 'answered (raise it for long commands such as a pose with '
                                 'its covariance)')
    max_grad_norm: float = option(1.0, 'gradient clipping norm')
    eval_every: int = option(40, 'steps between validation-loss evaluations (each one also '
                             'saves a checkpoint)')
    save_every: int = option(20, 'steps between checkpoints (output_dir/checkpoint.pt)')
    resume: bool = option(False, 'continue from output_dir/checkpoint.pt with the same '
                          'optimizer state and data order')
    finish: bool = option(False, 'with resume: end the run at its checkpoint, writing out the '
                          'best weights so far (when there is no time for more steps)')
    overwrite: bool = option(False, 'start a new run even when output_dir holds the '
                             'checkpoint of an earlier one (without it, or --resume, that '
                             'is refused)')
    stop_at_accuracy: float = option(0.0, 'stop at the first evaluation whose validation '
                                     'accuracy reaches this share (0: never)')
    early_stopping_patience: int = option(0, 'stop after this many evaluations without a '
                                          'better validation loss (0: never)')
    resample_copies: int = option(0, 'join each training pair by up to this many copies whose '
                                  'numbers shared by request and command are drawn anew '
                                  "within the robot description's ranges (for a few hundred "
                                  'hand-written pairs; 0: none)')
    rewrite_quantities: bool = option(True, 'rewrite requests before the model sees them: '
                                      "capitals to lower case, the robot's named values to "
                                      'their values, quantities to SI units, numbers to '
                                      'digits (saved with the weights and used at inference)')
    decisions_only: bool = option(True, 'leave tokens the command grammar forces out of the '
                                  'loss: the model learns only what it chooses')
    per_sequence_loss: bool = option(True, 'average the loss over each command, then over '
                                     'the batch, so short replies such as UNSUPPORTED weigh '
                                     'as much as long ones')
    eval_examples: int = option(128, 'validation requests answered (with the grammar) at each '
                                'evaluation; the kept weights have the best semantic accuracy '
                                'on them (0: keep the lowest validation loss)')
    cpu_bf16: bool = option(True, 'on CPU, run the frozen model under bf16 autocast (about '
                            '1.4x faster where the CPU has AVX-512 BF16); the prompt weights '
                            'and optimizer stay fp32')
    robot: str = option(None, 'robot description YAML whose grammar decides which tokens are '
                        'forced and whose named values are rewritten (default: the shipped '
                        'turtlesim)')
    seed: int = option(0, 'random seed for initialisation and data order')
    device: str = option('auto', 'auto (CUDA bf16 if present, else CPU fp32), cuda or cpu',
                         choices=DEVICES)

    def __post_init__(self):
        """Reject values that cannot work, naming the field."""
        self._check_types()
        if not self.train_data:
            raise ValueError('train_data: a JSONL file of training pairs is required')
        for path in self.train_files:
            if not Path(path).is_file():
                raise ValueError(f'train_data: file not found: {path}')
        for name in ('validation_data', 'test_data'):
            path = getattr(self, name)
            if path and not Path(path).is_file():
                raise ValueError(f'{name}: file not found: {path}')
        if self.init_weights:
            if not Path(self.init_weights).is_dir():
                raise ValueError(f'init_weights: folder not found: {self.init_weights}')
            if self.method == 'p_tuning':
                raise ValueError("init_weights: p_tuning saves its encoder's output, not the "
                                 'encoder, so it cannot continue from saved weights: use '
                                 'prompt_tuning or prefix_tuning, or prompt_init')
        for item in fields(self):
            choices = item.metadata.get('choices')
            if choices and getattr(self, item.name) not in choices:
                raise ValueError(f'{item.name}: must be one of {", ".join(choices)}, '
                                 f'not {getattr(self, item.name)!r}')
        for name in ('num_virtual_tokens', 'max_steps', 'batch_size', 'max_length',
                     'max_new_tokens', 'eval_every', 'save_every'):
            if getattr(self, name) <= 0:
                raise ValueError(f'{name}: must be > 0, not {getattr(self, name)}')
        if self.resample_copies < 0:
            raise ValueError(f'resample_copies: must be >= 0, not {self.resample_copies}')
        if self.eval_examples < 0:
            raise ValueError(f'eval_examples: must be >= 0, not {self.eval_examples}')
        if self.robot and not Path(self.robot).is_file():
            raise ValueError(f'robot: file not found: {self.robot}')
        if self.resume and self.overwrite:
            raise ValueError('overwrite: cannot be combined with resume')
        if self.finish and not self.resume:
            raise ValueError('finish: needs resume (it ends a run at its checkpoint)')
        if self.early_stopping_patience < 0:
            raise ValueError('early_stopping_patience: must be >= 0, not '
                             f'{self.early_stopping_patience}')
        if not 0.0 <= self.stop_at_accuracy <= 1.0:
            raise ValueError(f'stop_at_accuracy: must be within 0..1, not '
                             f'{self.stop_at_accuracy}')
        if self.warmup_steps < 0:
            raise ValueError(f'warmup_steps: must be >= 0, not {self.warmup_steps}')
        if not self.learning_rate > 0:
            raise ValueError(f'learning_rate: must be > 0, not {self.learning_rate}')
        if self.prompt_template.count('{instruction}') != 1:
            raise ValueError('prompt_template: must hold {instruction} exactly once, not '
                             f'{self.prompt_template!r}')
        if self.prompt_init == 'text' and not self.prompt_init_text.strip():
            raise ValueError('prompt_init_text: must not be empty when prompt_init is text')

    @property
    def train_files(self):
        """Return the training files ``train_data`` names, in order."""
        return [path.strip() for path in self.train_data.split(',') if path.strip()]

    def _check_types(self):
        """Check each value against its field's type; numbers written as text become floats."""
        for item in fields(self):
            value = getattr(self, item.name)
            if value is None and item.default is None:
                continue
            if item.type is float and isinstance(value, (int, str)) \
                    and not isinstance(value, bool):
                try:
                    value = float(value)
                except ValueError:
                    raise ValueError(f'{item.name}: must be a number, not {value!r}') from None
                setattr(self, item.name, value)
            elif item.type is int and (isinstance(value, bool) or not isinstance(value, int)):
                raise ValueError(f'{item.name}: must be an integer, not {value!r}')
            elif not isinstance(value, item.type):
                raise ValueError(f'{item.name}: must be {item.type.__name__}, not {value!r}')

    @classmethod
    def from_sources(cls, yaml_file=None, **overrides):
        """
        Build a config from a YAML mapping, then flags given on the command line.

        :param yaml_file: optional YAML file whose keys are field names.
        :param overrides: field values that win over the file; ``None`` means not given.
        :raises ValueError: for unknown keys or a file that is not a mapping.
        """
        values = {}
        if yaml_file:
            import yaml
            with open(yaml_file, encoding='utf-8') as stream:
                loaded = yaml.safe_load(stream)
            loaded = {} if loaded is None else loaded
            if not isinstance(loaded, dict):
                raise ValueError(f'{yaml_file}: expected a mapping of option: value')
            known = {item.name for item in fields(cls)}
            unknown = sorted(set(loaded) - known)
            if unknown:
                raise ValueError(f'{yaml_file}: unknown option(s): {", ".join(unknown)}')
            if isinstance(loaded.get('train_data'), list):
                loaded['train_data'] = ','.join(str(path) for path in loaded['train_data'])
            values.update(loaded)
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)
