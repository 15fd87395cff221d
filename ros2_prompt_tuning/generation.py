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

"""Turn requests into command lines with a base model and optional prompt weights."""

from ros2_prompt_tuning.adapter import load_adapter
from ros2_prompt_tuning.data import format_prompt, PROMPT_TEMPLATE
from ros2_prompt_tuning.models import load_base_model

DEFAULT_MAX_NEW_TOKENS = 128


def line_end_token_ids(tokenizer):
    """Return the ids of every token that ends the reply: EOS and tokens holding a newline."""
    ids = {tokenizer.eos_token_id}
    for token_id in range(len(tokenizer)):
        if '\n' in tokenizer.decode([token_id]):
            ids.add(token_id)
    return sorted(ids)


def first_line(text):
    """Return the first line of ``text``, stripped."""
    return text.split('\n', 1)[0].strip()


class CommandGenerator:
    """
    Greedy generation of one command line per request.

    The prompt weights are constant at inference, so they are computed once: soft-prompt
    embeddings are put in front of each request's embeddings, and prefix keys and values
    start each layer's key/value cache. Generation then runs on the bare base model with
    its cache (PEFT's own ``generate`` recomputes the whole sequence each step for soft
    prompts).

    :param network: the frozen base causal LM.
    :param tokenizer: its tokenizer.
    :param prompt: ``[num_virtual_tokens, hidden]`` prompt embeddings, or ``None``.
    :param prefix: one ``(keys, values)`` pair per layer, each
        ``[1, kv_heads, num_virtual_tokens, head_dim]``, or ``None``.
    :param max_new_tokens: token budget of one reply (a full Twist command is ~70 tokens).
    :param metadata: the prompt weights' metadata, when there are some.
    :param template: text around each request (the one the weights were trained with).
    """

    def __init__(self, network, tokenizer, prompt=None, prefix=None,
                 max_new_tokens=DEFAULT_MAX_NEW_TOKENS, metadata=None, template=PROMPT_TEMPLATE):
        """Prepare the stop tokens; ``max_new_tokens`` must be positive."""
        if max_new_tokens <= 0:
            raise ValueError(f'max_new_tokens must be > 0, not {max_new_tokens}')
        self.network = network
        self.tokenizer = tokenizer
        self.prompt = prompt
        self.prefix = prefix
        self.max_new_tokens = max_new_tokens
        self.metadata = metadata
        self.template = template
        self.stop_ids = line_end_token_ids(tokenizer)

    @classmethod
    def from_peft(cls, peft_model, tokenizer, **options):
        """Wrap a PEFT prompt or prefix model: its base model and its current prompt weights."""
        import torch
        base = peft_model.get_base_model()
        with torch.no_grad():
            weights = peft_model.get_prompt(batch_size=1)
        if peft_model.active_peft_config.peft_type == 'PREFIX_TUNING':
            prefix = [(layer.keys.detach(), layer.values.detach()) for layer in weights.layers]
            return cls(base, tokenizer, prefix=prefix, **options)
        return cls(base, tokenizer, prompt=weights[0].detach().to(base.dtype), **options)

    @classmethod
    def load(cls, model, adapter=None, device='auto', max_new_tokens=DEFAULT_MAX_NEW_TOKENS):
        """
        Load a base model and, when ``adapter`` names a folder, its prompt weights.

        :param model: ``embedded``, a ``.gguf`` path, a local folder or a hub id.
        :param adapter: prompt-weight folder, or ``None`` for the bare base model.
        :param device: ``auto``, ``cuda`` or ``cpu``.
        """
        base = load_base_model(model, device)
        if not adapter:
            return cls(base.model, base.tokenizer, max_new_tokens=max_new_tokens)
        peft_model, metadata = load_adapter(base, adapter)
        return cls.from_peft(peft_model, base.tokenizer, max_new_tokens=max_new_tokens,
                             metadata=metadata, template=metadata['prompt_template'])

    def generate(self, instructions):
        """
        Return one stripped command line per request in ``instructions`` (a list).

        Greedy decoding with the key/value cache, written out rather than left to
        ``transformers``' ``generate``, which takes a cache it is given for the first tokens
        of the input and would skip that many request tokens. Requests are padded on the
        left, and positions count real tokens only, after the virtual tokens, as in training.
        """
        import torch
        tokenizer = self.tokenizer
        tokenizer.padding_side = 'left'
        batch = tokenizer([format_prompt(text, self.template)
                           for text in instructions], return_tensors='pt',
                          padding=True, add_special_tokens=False)
        embeddings = self.network.get_input_embeddings()
        device = embeddings.weight.device
        mask = batch['attention_mask'].to(device)
        rows = len(instructions)
        with torch.inference_mode():
            inputs_embeds = embeddings(batch['input_ids'].to(device))
            if self.prompt is not None:
                prompt = self.prompt.unsqueeze(0).expand(rows, -1, -1)
                inputs_embeds = torch.cat([prompt, inputs_embeds], dim=1)
                mask = torch.cat([mask.new_ones(prompt.shape[:2]), mask], dim=1)
            cache, virtual = self.start_cache(rows)
            positions = virtual + (mask.cumsum(dim=1) - 1).clamp(min=0)
            mask = torch.cat([mask.new_ones(rows, virtual), mask], dim=1)
            stop_ids = torch.tensor(self.stop_ids, device=device)
            finished = torch.zeros(rows, dtype=torch.bool, device=device)
            replies = []
            for _ in range(self.max_new_tokens):
                output = self.network(inputs_embeds=inputs_embeds, attention_mask=mask,
                                      position_ids=positions, cache=cache, use_cache=True)
                cache = output.past_key_values
                next_ids = output.logits[:, -1].argmax(dim=-1)
                next_ids[finished] = tokenizer.pad_token_id
                replies.append(next_ids)
                finished |= torch.isin(next_ids, stop_ids)
                if finished.all():
                    break
                inputs_embeds = embeddings(next_ids[:, None])
                mask = torch.cat([mask, mask.new_ones(rows, 1)], dim=1)
                positions = positions[:, -1:] + 1
        replies = torch.stack(replies, dim=1).tolist()
        return [first_line(text)
                for text in tokenizer.batch_decode(replies, skip_special_tokens=True)]

    def start_cache(self, batch_size):
        """
        Return the cache to start from and how many prefix positions it already holds.

        :returns: ``(cache, length)``: the prefix keys and values for ``batch_size`` rows, or
            an empty cache and 0 without a prefix.
        """
        from transformers import DynamicCache
        cache = DynamicCache()
        if self.prefix is None:
            return cache, 0
        for layer, (keys, values) in enumerate(self.prefix):
            cache.update(keys.expand(batch_size, -1, -1, -1).contiguous(),
                         values.expand(batch_size, -1, -1, -1).contiguous(), layer)
        return cache, self.prefix[0][0].shape[2]

    def __call__(self, instruction):
        """Return the command line for one request."""
        return self.generate([instruction])[0]
