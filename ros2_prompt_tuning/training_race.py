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

"""
The training race of ``benchmark``: our training against the tutorials' training loop.

The tutorials' loop (c01, written from its description) trains a soft prompt of 20 vectors
copied from the first rows of the embedding table, with AdamW at a learning rate of 1e-4, one
pair per step, the loss on the command's tokens, the gradient norm clipped to 1, the base model
in fp32; it runs for a set wall time and its prompt is then scored by the tutorials' inference
loop (free greedy decoding, see :class:`~ros2_prompt_tuning.benchmark.TutorialLoop`). Ours is
``train`` with a training config, scored at every evaluation by the serving path; it stops at
the first evaluation that reaches the tutorials' accuracy. Both are scored on the same
validation requests, and our time counts training steps only (``training_s``), as the
tutorials' loop's time holds no evaluation.
"""

from pathlib import Path
import random
import tempfile
import time

from ros2_prompt_tuning.data import encode_prompt, read_jsonl

TUTORIAL_PROMPT_TOKENS = 20
TUTORIAL_LEARNING_RATE = 1e-4
TUTORIAL_MAX_GRAD_NORM = 1.0
IGNORED_LABEL = -100


def train_tutorial_loop(base_model, examples, seconds, template, seed=0, progress=None):
    """
    Train the tutorials' soft prompt on ``examples`` for ``seconds`` of wall time.

    :param base_model: a frozen fp32 :class:`~ros2_prompt_tuning.models.BaseModel`.
    :param examples: training pairs, taken in a shuffled order, epoch after epoch.
    :param progress: a tqdm bar advanced once a second, or ``None``.
    :returns: ``(peft_model, steps)``, the model in eval mode.
    """
    import torch
    from ros2_prompt_tuning.methods.prompt_tuning import wrap
    tokenizer = base_model.tokenizer
    table = base_model.model.get_input_embeddings().weight.detach().float()
    peft_model = wrap(base_model, table[:TUTORIAL_PROMPT_TOKENS].clone())
    trainable = [parameter for parameter in peft_model.parameters() if parameter.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=TUTORIAL_LEARNING_RATE)
    device = table.device
    chooser = random.Random(seed)
    order = []
    steps, started, shown = 0, time.monotonic(), 0
    peft_model.train()
    while time.monotonic() - started < seconds:
        if not order:
            order = chooser.sample(examples, len(examples))
        example = order.pop()
        prompt = encode_prompt(tokenizer, example.instruction, template)
        target = tokenizer(example.command, add_special_tokens=False)['input_ids'] + [
            tokenizer.eos_token_id]
        input_ids = torch.tensor([prompt + target], device=device)
        labels = torch.tensor([[IGNORED_LABEL] * len(prompt) + target], device=device)
        loss = peft_model(input_ids=input_ids, attention_mask=torch.ones_like(input_ids),
                          labels=labels).loss
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, TUTORIAL_MAX_GRAD_NORM)
        optimizer.step()
        steps += 1
        if progress is not None:
            elapsed = min(int(time.monotonic() - started), int(seconds))
            progress.update(elapsed - shown)
            shown = elapsed
    peft_model.eval()
    return peft_model, steps


def tutorial_accuracy(base_model, peft_model, examples, robot, template, max_new_tokens):
    """Return the share of ``examples`` the tutorials' inference loop answers right."""
    from ros2_prompt_tuning.benchmark import TutorialLoop
    from ros2_prompt_tuning.validator import check_line, same_command
    loop = TutorialLoop(base_model.model, base_model.tokenizer, peft_model, template,
                        max_new_tokens)
    correct = 0
    for example in examples:
        reply = loop.answer(example.instruction)
        correct += (reply.complete and check_line(reply.text, robot)[0]
                    and same_command(reply.text, example.command, robot))
    return correct / len(examples)


def first_reaching(rows, accuracy):
    """Return the first log row whose validation accuracy reaches ``accuracy``, or ``None``."""
    return next((row for row in rows if row['validation_accuracy'] != ''
                 and float(row['validation_accuracy']) >= accuracy), None)


def located_config(config_file, **overrides):
    """Return the training config of ``config_file``, its relative paths the package folder's."""
    import yaml

    from ros2_prompt_tuning.config import TrainingConfig
    from ros2_prompt_tuning.resources import share_dir
    with open(config_file, encoding='utf-8') as stream:
        values = yaml.safe_load(stream) or {}
    root = share_dir()

    def located(path):
        return path if not path or Path(path).is_absolute() else str(root / path)
    for name in ('train_data', 'validation_data', 'test_data', 'robot', 'init_weights'):
        value = values.get(name)
        values[name] = [located(path) for path in value] if isinstance(value, list) \
            else located(value)
    return TrainingConfig.from_sources(None, **{**values, **overrides})


def run_race(config_file, minutes=60.0, eval_examples=32, eval_every=25, device='auto',
             progress=True):
    """
    Race our training (``config_file``) against the tutorials' loop trained for ``minutes``.

    :param config_file: a training config whose relative paths are the package folder's.
    :returns: a dict of the figures: the tutorials' steps, accuracy and seconds; ours the
        step, accuracy and training seconds at which we first reached that accuracy (``None``
        when the run ended without; 0 s when the tutorials' loop answers nothing right), and
        their ratio.
    """
    import csv
    from tqdm import tqdm

    from ros2_prompt_tuning.models import load_base_model
    from ros2_prompt_tuning.robot import default_robot, RobotDescription
    from ros2_prompt_tuning.trainer import LOG_FILE, scored_sample, train
    if minutes <= 0 or eval_examples <= 0 or eval_every <= 0:
        raise ValueError('minutes, eval_examples and eval_every must be > 0')
    config = located_config(config_file, test_data=None)
    if not config.validation_data:
        raise ValueError(f'{config_file}: the race needs validation_data')
    robot = RobotDescription.load(config.robot) if config.robot else default_robot()
    scored = scored_sample(read_jsonl(config.validation_data), eval_examples, config.seed)
    train_examples = [example for path in config.train_files for example in read_jsonl(path)]

    seconds = minutes * 60.0
    base_model = load_base_model(config.model, device, 'fp32')
    with tqdm(total=int(seconds), desc="tutorials' training", unit='s',
              disable=not progress) as bar:
        peft_model, steps = train_tutorial_loop(base_model, train_examples, seconds,
                                                config.prompt_template, config.seed, bar)
    target = tutorial_accuracy(base_model, peft_model, scored, robot, config.prompt_template,
                               config.max_new_tokens)
    del peft_model, base_model

    rows = []
    if target > 0:
        with tempfile.TemporaryDirectory() as output_dir:
            ours = located_config(config_file, test_data=None, output_dir=output_dir,
                                  overwrite=True, eval_every=eval_every,
                                  eval_examples=eval_examples, device=device,
                                  stop_at_accuracy=target)
            train(ours, progress=progress)
            with open(Path(output_dir) / LOG_FILE, encoding='utf-8') as log:
                rows = list(csv.DictReader(log))
        reached = first_reaching(rows, target)
        ours_seconds = float(reached['training_s']) if reached else None
    else:
        reached, ours_seconds = None, 0.0
    return {
        'config': str(config_file), 'minutes': minutes, 'eval_examples': len(scored),
        'eval_every': eval_every,
        'tutorial': {'steps': steps, 'seconds': seconds, 'accuracy': target,
                     'pairs_per_s': steps / seconds},
        'ours': {'step': int(reached['step']) if reached else None,
                 'accuracy': float(reached['validation_accuracy']) if reached else None,
                 'training_seconds': ours_seconds,
                 'evaluations': [{key: row[key] for key in
                                  ('step', 'validation_accuracy', 'training_s', 'elapsed_s')}
                                 for row in rows]},
        'ratio': ours_seconds / seconds if ours_seconds is not None else None,
    }
