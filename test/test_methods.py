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


"""The three prompt methods on tiny random models: train, save, reload, generate alike."""

import json

import pytest

from ros2_prompt_tuning.config import TrainingConfig
from ros2_prompt_tuning.generation import CommandGenerator
from ros2_prompt_tuning.methods import method_module, METHODS
from ros2_prompt_tuning.methods.prefix_tuning import activations_prefix
from ros2_prompt_tuning.models import load_base_model
from ros2_prompt_tuning.trainer import train

REQUESTS = ['move forward 3 meters', 'clear the drawing', 'make me a coffee']
SAVED_TYPE = {'prompt_tuning': 'PROMPT_TUNING', 'p_tuning': 'PROMPT_TUNING',
              'prefix_tuning': 'PREFIX_TUNING'}


@pytest.mark.parametrize('method', METHODS)
def test_method_trains_saves_and_reloads_to_the_same_output(
        method, tiny_qwen2, pair_files, tmp_path, embedded_tokenizer):
    output_dir = tmp_path / method
    peft_model, metadata = train(TrainingConfig(
        model=tiny_qwen2, train_data=pair_files[0], validation_data=pair_files[1],
        method=method, num_virtual_tokens=4, learning_rate=0.05, warmup_steps=2, max_steps=12,
        eval_every=4, output_dir=str(output_dir), device='cpu'), progress=False)
    assert metadata['method'] == method
    assert metadata['training']['trainable_parameters'] > 0
    adapter_config = json.loads((output_dir / 'adapter_config.json').read_text())
    assert adapter_config['peft_type'] == SAVED_TYPE[method]
    reloaded = CommandGenerator.load(tiny_qwen2, str(output_dir), device='cpu',
                                     max_new_tokens=10, precision='fp32')
    in_memory = CommandGenerator.from_peft(peft_model, embedded_tokenizer, max_new_tokens=10,
                                           template=reloaded.template,
                                           constraint=reloaded.constraint,
                                           rewrite=reloaded.rewrite)
    assert reloaded.metadata['method'] == method
    assert reloaded.generate(REQUESTS) == in_memory.generate(REQUESTS)
    # One at a time or batched: the same replies (margins may differ in the last bits).
    assert [reloaded(request)[:3] for request in REQUESTS] == \
        [reply[:3] for reply in reloaded.generate(REQUESTS)]


def test_prefix_holds_keys_and_values_for_every_layer(tiny_qwen2, pair_files, tmp_path):
    _, metadata = train(TrainingConfig(
        model=tiny_qwen2, train_data=pair_files[0], method='prefix_tuning',
        num_virtual_tokens=5, max_steps=2, eval_every=2, output_dir=str(tmp_path),
        device='cpu'), progress=False)
    reloaded = CommandGenerator.load(tiny_qwen2, str(tmp_path), device='cpu')
    # two layers of (keys, values), each [1, kv_heads=2, tokens=5, head_dim=32/4]
    assert [tuple(tensor.shape) for pair in reloaded.prefix for tensor in pair] == \
        [(1, 2, 5, 8)] * 4
    assert reloaded.prompt is None
    assert metadata['training']['trainable_parameters'] == 5 * 2 * 2 * 2 * 8


def prefix_of(base_model, token_ids):
    """Return ``activations_prefix`` regrouped as the generator takes it: per layer (k, v)."""
    config = base_model.model.config
    head_dim = config.hidden_size // config.num_attention_heads
    flat = activations_prefix(base_model, token_ids)
    grouped = flat.view(len(token_ids), config.num_hidden_layers * 2,
                        config.num_key_value_heads, head_dim).permute(1, 2, 0, 3).unsqueeze(1)
    return [(grouped[2 * layer], grouped[2 * layer + 1])
            for layer in range(config.num_hidden_layers)]


def test_prompt_weights_made_from_a_text_generate_like_the_text_itself(tiny_qwen2):
    """
    Virtual tokens or a prefix made from a text act as that text written before the request.

    This pins positions and padding: the requests differ in length, so the batch is padded.
    """
    base_model = load_base_model(tiny_qwen2, 'cpu', 'fp32')
    tokenizer = base_model.tokenizer
    text, template = 'Commands for the turtle:\n', 'Request: {instruction}\nCommand:'
    ids = tokenizer(text, add_special_tokens=False)['input_ids']
    for request in REQUESTS:
        prompt = template.format(instruction=request)
        assert tokenizer(text + prompt, add_special_tokens=False)['input_ids'] == \
            ids + tokenizer(prompt, add_special_tokens=False)['input_ids']
    options = {'max_new_tokens': 8, 'template': template}
    table = base_model.model.get_input_embeddings().weight.detach()
    written = CommandGenerator(base_model.model, tokenizer, max_new_tokens=8,
                               template=text + template)
    soft_prompt = CommandGenerator(base_model.model, tokenizer, prompt=table[ids], **options)
    prefix = CommandGenerator(base_model.model, tokenizer,
                              prefix=prefix_of(base_model, ids), **options)
    expected = [written(request) for request in REQUESTS]
    assert len(set(expected)) > 1
    assert written.generate(REQUESTS) == expected
    assert soft_prompt.generate(REQUESTS) == expected
    assert prefix.generate(REQUESTS) == expected


@pytest.fixture(scope='module')
def tiny_mamba(tmp_path_factory, embedded_tokenizer):
    """Return the folder of a tiny random Mamba model: no attention layers."""
    from transformers import MambaConfig, MambaForCausalLM
    folder = tmp_path_factory.mktemp('tiny-mamba')
    MambaForCausalLM(MambaConfig(vocab_size=len(embedded_tokenizer), hidden_size=16,
                                 num_hidden_layers=1, state_size=4)).save_pretrained(folder)
    embedded_tokenizer.save_pretrained(folder)
    return str(folder)


def test_prefix_on_a_model_without_attention_fails_naming_the_field(tiny_mamba, pair_files,
                                                                    tmp_path):
    config = TrainingConfig(model=tiny_mamba, train_data=pair_files[0], method='prefix_tuning',
                            output_dir=str(tmp_path), device='cpu')
    with pytest.raises(ValueError, match='^method: prefix_tuning needs a model with attention'):
        train(config, progress=False)
    assert not (tmp_path / 'checkpoint.pt').exists()


def test_unknown_method_module_is_refused():
    with pytest.raises(ValueError, match='^method: must be one of'):
        method_module('lora')
