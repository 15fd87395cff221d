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
Prefix tuning (P-Tuning v2): trainable keys and values in front of every attention layer.

PEFT's ``PrefixTuningConfig`` does the work, without its optional reparameterisation, as in
P-Tuning v2. Unlike soft prompts, the prefix acts on every layer, not only on the input.
With ``prompt_init`` ``text`` or ``vocab`` the prefix starts as the keys and values that the
frozen model computes for those tokens (real activations train faster and more stably than
noise, as Li and Liang found); ``random`` keeps PEFT's normal initialisation.
"""

from ros2_prompt_tuning.methods.prompt_tuning import initial_token_ids


def check_supported(base_model):
    """
    Refuse a base model without attention layers, such as a state-space model.

    :raises ValueError: naming the ``method`` field and the model.
    """
    model_config = base_model.model.config
    if not getattr(model_config, 'num_attention_heads', None):
        raise ValueError(
            f'method: prefix_tuning needs a model with attention layers, whose keys and values '
            f'a prefix extends; "{base_model.source.name}" is a {model_config.model_type} '
            'model without them: use prompt_tuning or p_tuning')


def activations_prefix(base_model, token_ids):
    """
    Return the keys and values the frozen model computes for ``token_ids``, laid out as PEFT.

    :returns: ``[len(token_ids), layers * 2 * kv_heads * head_dim]``; each row holds one
        token's key then value for layer 0, then for layer 1, and so on.
    """
    import torch
    network = base_model.model
    device = network.get_input_embeddings().weight.device
    with torch.no_grad():
        cache = network(input_ids=torch.tensor([token_ids], device=device),
                        use_cache=True).cache
        per_layer = [tensor[0] for layer in cache.layers for tensor in (layer.keys, layer.values)]
        stacked = torch.stack(per_layer)
    return stacked.permute(2, 0, 1, 3).reshape(len(token_ids), -1).float()


def build(config, base_model):
    """
    Return the PEFT prefix-tuning model to train, initialised as ``config`` says.

    :raises ValueError: when the base model has no attention layers.
    """
    import torch
    from peft import get_peft_model, PrefixTuningConfig, TaskType
    check_supported(base_model)
    token_ids = initial_token_ids(config, base_model.tokenizer)
    prefix = None if token_ids is None else activations_prefix(base_model, token_ids)
    peft_model = get_peft_model(base_model.model, PrefixTuningConfig(
        task_type=TaskType.CAUSAL_LM, num_virtual_tokens=config.num_virtual_tokens))
    if prefix is not None:
        with torch.no_grad():
            peft_model.prompt_encoder['default'].embedding.weight.copy_(prefix)
    return peft_model


def finish(peft_model):
    """Leave the model as it is: the trained keys and values are what is saved."""
