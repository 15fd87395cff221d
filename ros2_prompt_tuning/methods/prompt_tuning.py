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
Soft prompt tuning as the c01 tutorial does it, through PEFT's ``PromptTuningConfig``.

N trainable embeddings are put in front of the embeddings of every request. They start as
the embeddings of a text, as the first N rows of the vocabulary (the tutorial's choice), or
at random.
"""

import math


def initial_token_ids(config, tokenizer):
    """
    Return the ``num_virtual_tokens`` token ids the prompt starts from.

    :returns: ids of ``prompt_init_text`` (repeated to length), ``0 .. N-1`` for ``vocab``,
        or ``None`` for ``random``.
    """
    count = config.num_virtual_tokens
    if config.prompt_init == 'random':
        return None
    if config.prompt_init == 'vocab':
        return list(range(count))
    ids = tokenizer(config.prompt_init_text, add_special_tokens=False)['input_ids']
    return (ids * math.ceil(count / len(ids)))[:count]


def initial_prompt(config, base_model):
    """Return the ``[num_virtual_tokens, hidden]`` tensor the virtual tokens start from."""
    import torch
    table = base_model.model.get_input_embeddings().weight.detach().float()
    ids = initial_token_ids(config, base_model.tokenizer)
    if ids is None:
        return torch.randn(config.num_virtual_tokens, table.shape[1]) * table.std()
    return table[ids].clone()


def wrap(base_model, prompt):
    """
    Wrap ``base_model`` (a ``BaseModel``) in a PEFT prompt-tuning model holding ``prompt``.

    :param prompt: ``[num_virtual_tokens, hidden]`` tensor of virtual-token embeddings.
    """
    import torch
    from peft import get_peft_model, PromptTuningConfig, PromptTuningInit, TaskType
    peft_config = PromptTuningConfig(task_type=TaskType.CAUSAL_LM,
                                     num_virtual_tokens=prompt.shape[0],
                                     prompt_tuning_init=PromptTuningInit.RANDOM)
    peft_model = get_peft_model(base_model.model, peft_config)
    with torch.no_grad():
        peft_model.prompt_encoder['default'].embedding.weight.copy_(prompt)
    return peft_model


def build(config, base_model):
    """Return the PEFT model to train, with its virtual tokens initialised as ``config`` says."""
    return wrap(base_model, initial_prompt(config, base_model))


def finish(peft_model):
    """Leave the model as it is: the trained embeddings are what is saved."""
