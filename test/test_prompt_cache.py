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

"""The fixed part of the prompt is computed once; start-up steps are timed and quick."""

from conftest import train_tiny_weights
import pytest
from ros2_prompt_tuning.adapter import load_adapter
from ros2_prompt_tuning.data import encode_prompt
from ros2_prompt_tuning.generation import CommandGenerator, first_line, line_end_token_ids, Reply
from ros2_prompt_tuning.models import load_base_model
import torch

REQUESTS = ['move forward 2 meters', 'clear', 'spawn leo at 3, 4 facing north-east please',
            'make me a coffee', 'turn left']
METHODS = ['prompt_tuning', 'prefix_tuning']


@pytest.fixture(scope='module', params=METHODS)
def trained(request, tiny_qwen2, pair_files, tmp_path_factory):
    """Return ``(folder, PEFT model)``: tiny prompt weights of one method, loaded in fp32."""
    folder = train_tiny_weights(tiny_qwen2, pair_files[0],
                                tmp_path_factory.mktemp(request.param), request.param, 4)
    peft_model, _ = load_adapter(load_base_model(tiny_qwen2, 'cpu', 'fp32'), folder)
    return folder, peft_model


def uncached_reply(generator, peft_model, request):
    """Decode one request as in training: the PEFT model over the whole sequence each step."""
    prompt = encode_prompt(generator.tokenizer, request, generator.template)
    matchers = [generator.constraint.matcher(request) if generator.constraint else None]
    replies, finished, margins = [[]], [False], [None]
    with torch.inference_mode():
        while not finished[0]:
            logits = peft_model(input_ids=torch.tensor([prompt + replies[0]])).logits
            generator.next_tokens(logits[:, -1].float(), matchers, replies, finished, margins)
    text = first_line(generator.tokenizer.decode(replies[0], skip_special_tokens=True))
    return Reply(text, generator.completion(matchers, replies)[0], request, margins[0])


def same_replies(replies, expected):
    """Return whether two lists of replies agree: the same text, and margins within 1e-4."""
    return [reply[:3] for reply in replies] == [reply[:3] for reply in expected] and all(
        (a.refusal_margin is None and b.refusal_margin is None)
        or a.refusal_margin == pytest.approx(b.refusal_margin, abs=1e-4)
        for a, b in zip(replies, expected))


def model_inputs(generator):
    """Record the ``inputs_embeds`` shape of every call of the generator's model."""
    shapes = []
    generator.network.register_forward_pre_hook(
        lambda module, args, kwargs: shapes.append(tuple(kwargs['inputs_embeds'].shape)),
        with_kwargs=True)
    return shapes


@pytest.mark.parametrize('grammar', [True, False], ids=['grammar', 'free'])
def test_cached_replies_match_the_uncached_computation(trained, tiny_qwen2, grammar):
    folder, peft_model = trained
    generator = CommandGenerator.load(tiny_qwen2, folder, 'cpu', max_new_tokens=16,
                                      grammar=grammar, precision='fp32')
    replies = generator.generate(REQUESTS)
    expected = [uncached_reply(generator, peft_model, reply.request) for reply in replies]
    assert same_replies(replies, expected)
    assert len({reply.text for reply in replies}) > 1
    assert same_replies(generator.generate(REQUESTS), expected)
    assert same_replies([generator(request) for request in REQUESTS], expected)
    assert len(generator.fixed_parts) == 1


def test_only_the_variable_part_goes_through_the_model_per_batch(trained, tiny_qwen2):
    folder, _ = trained
    generator = CommandGenerator.load(tiny_qwen2, folder, 'cpu', max_new_tokens=4,
                                      precision='fp32')
    lead = generator.lead_ids
    assert lead and generator.template.startswith(generator.tokenizer.decode(lead))
    shapes = model_inputs(generator)
    generator.generate(REQUESTS[:2])
    virtual = 4 if generator.prompt is not None else 0
    assert shapes[0] == (1, virtual + len(lead), 32)
    shapes.clear()
    replies = generator.generate(REQUESTS)
    prompts = [encode_prompt(generator.tokenizer, reply.request, generator.template)
               for reply in replies]
    assert shapes[0] == (len(REQUESTS), max(len(ids) for ids in prompts) - len(lead), 32)


def test_prompts_without_the_shared_lead_go_through_whole(trained, tiny_qwen2):
    folder, _ = trained
    generator = CommandGenerator.load(tiny_qwen2, folder, 'cpu', max_new_tokens=16,
                                      precision='fp32')
    expected = generator.generate(REQUESTS)
    lead = generator.lead_ids
    assert generator.shared_lead([lead + [5], lead + [6, 7]]) == lead
    assert generator.shared_lead([lead + [5], lead]) == []
    assert generator.shared_lead([lead + [5], [5] + lead]) == []
    generator.lead_ids = [-1]
    shapes = model_inputs(generator)
    assert same_replies(generator.generate(REQUESTS), expected)
    width = max(len(encode_prompt(generator.tokenizer, reply.request, generator.template))
                for reply in expected)
    # Only a soft prompt is left to compute once; a prefix needs no model call.
    assert shapes[0] == ((1, 4, 32) if generator.prompt is not None
                         else (len(REQUESTS), width, 32))


def test_the_bare_model_caches_the_template_lead(tiny_qwen2):
    base_model = load_base_model(tiny_qwen2, 'cpu', 'fp32')
    generator = CommandGenerator(base_model.model, base_model.tokenizer, max_new_tokens=8)
    assert generator.lead_ids == base_model.tokenizer('Request: ',
                                                      add_special_tokens=False)['input_ids']
    replies = generator.generate(REQUESTS)
    assert same_replies(replies, [uncached_reply(generator, base_model.model, request)
                                  for request in REQUESTS])
    [layers] = generator.fixed_parts.values()
    assert {keys.shape[2] for keys, _ in layers} == {len(generator.lead_ids)}


def test_line_end_token_ids_match_decoding_each_token(embedded_tokenizer):
    tokenizer = embedded_tokenizer
    expected = sorted({tokenizer.eos_token_id} | {
        token_id for token_id in range(len(tokenizer)) if '\n' in tokenizer.decode([token_id])})
    assert line_end_token_ids(tokenizer) == expected

    class WithoutBackend:
        """The tokenizer as one without a Rust backend shows itself."""

        eos_token_id = tokenizer.eos_token_id

        def __len__(self):
            return len(tokenizer)

        def batch_decode(self, sequences):
            return tokenizer.batch_decode(sequences)

    assert line_end_token_ids(WithoutBackend()) == expected


def test_load_times_each_start_up_step(trained, tiny_qwen2):
    folder, _ = trained
    with_grammar = CommandGenerator.load(tiny_qwen2, folder, 'cpu', precision='fp32')
    free = CommandGenerator.load(tiny_qwen2, None, 'cpu', grammar=False, precision='fp32')
    assert list(with_grammar.startup_seconds) == ['model', 'prompt_weights', 'grammar']
    assert list(free.startup_seconds) == ['model', 'stop_tokens']
    seconds = [*with_grammar.startup_seconds.values(), *free.startup_seconds.values()]
    assert all(isinstance(value, float) and value >= 0 for value in seconds)


def test_node_start_up_line():
    from ros2_prompt_tuning.node import startup_line
    assert startup_line(12.34, {}) == 'model loaded in 12.3 s'
    assert startup_line(9.0, {'model': 6.5, 'prompt_weights': 0.25, 'grammar': 2.0}) == \
        'model loaded in 9.0 s (model 6.50 s, prompt weights 0.25 s, grammar 2.00 s)'
