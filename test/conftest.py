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

"""Shared fixtures: a tiny random Qwen2 model folder and small request -> command files."""

import json

import pytest

MOVE = ('ros2 topic pub --once /turtle1/cmd_vel geometry_msgs/msg/Twist '
        '"{{linear: {{x: {x}, y: 0.0, z: 0.0}}, angular: {{x: 0.0, y: 0.0, z: 0.0}}}}"')
PAIRS = [
    ('move forward 1 meter', MOVE.format(x=1.0)),
    ('move forward 2 meters', MOVE.format(x=2.0)),
    ('go back 1 meter', MOVE.format(x=-1.0)),
    ('clear the drawing', 'ros2 service call /clear std_srvs/srv/Empty'),
    ('reset the simulation', 'ros2 service call /reset std_srvs/srv/Empty'),
    ('make me a coffee', 'UNSUPPORTED'),
]


def write_jsonl(path, pairs):
    """Write ``(instruction, command)`` pairs as JSONL and return the path as a string."""
    with open(path, 'w', encoding='utf-8') as stream:
        for instruction, command in pairs:
            stream.write(json.dumps({'instruction': instruction, 'command': command}) + '\n')
    return str(path)


def train_tiny_weights(model, train_data, output_dir, method, max_steps):
    """Train prompt weights of ``method`` on a tiny model; return the folder as a string."""
    from ros2_prompt_tuning.config import TrainingConfig
    from ros2_prompt_tuning.trainer import train
    train(TrainingConfig(train_data=train_data, output_dir=str(output_dir), model=model,
                         method=method, num_virtual_tokens=4, learning_rate=0.1,
                         warmup_steps=min(2, max_steps - 1), max_steps=max_steps,
                         batch_size=3, eval_every=max_steps, device='cpu'), progress=False)
    return str(output_dir)


@pytest.fixture(scope='session')
def pair_files(tmp_path_factory):
    """Return ``(train, validation)`` JSONL paths of a few turtlesim pairs."""
    folder = tmp_path_factory.mktemp('pairs')
    return write_jsonl(folder / 'train.jsonl', PAIRS), write_jsonl(folder / 'val.jsonl',
                                                                   PAIRS[:3])


def save_tiny_qwen2(folder, tokenizer, hidden_size):
    """
    Save a randomly initialised two-layer Qwen2 model with ``tokenizer`` into ``folder``.

    The wide initialisation makes the output depend visibly on the input, so a few steps of
    prompt tuning measurably lower the loss.
    """
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM
    torch.manual_seed(0)
    config = Qwen2Config(vocab_size=len(tokenizer), hidden_size=hidden_size,
                         intermediate_size=2 * hidden_size, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2,
                         max_position_embeddings=512, tie_word_embeddings=True,
                         initializer_range=0.2,
                         eos_token_id=tokenizer.eos_token_id)
    Qwen2ForCausalLM(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return str(folder)


@pytest.fixture(scope='session')
def embedded_tokenizer():
    """Return the embedded model's tokenizer (read from its GGUF file, no network)."""
    from transformers import AutoTokenizer

    from ros2_prompt_tuning.resources import embedded_gguf_file
    gguf = embedded_gguf_file()
    return AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)


@pytest.fixture(scope='session')
def turtlesim_constraint(embedded_tokenizer):
    """Return turtlesim's command grammar compiled for the embedded tokenizer."""
    from ros2_prompt_tuning.grammar import CommandConstraint
    from ros2_prompt_tuning.robot import default_robot
    return CommandConstraint(embedded_tokenizer, default_robot())


@pytest.fixture(scope='session')
def tiny_qwen2(tmp_path_factory, embedded_tokenizer):
    """Return the folder of a tiny random Qwen2 model (hidden size 32)."""
    return save_tiny_qwen2(tmp_path_factory.mktemp('tiny-qwen2'), embedded_tokenizer, 32)


@pytest.fixture(scope='session')
def wider_tiny_qwen2(tmp_path_factory, embedded_tokenizer):
    """Return the folder of another tiny random Qwen2 model (hidden size 48)."""
    return save_tiny_qwen2(tmp_path_factory.mktemp('tiny-qwen2-wide'), embedded_tokenizer, 48)
