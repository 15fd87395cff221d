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
        """Return one stripped command line per request in ``instructions`` (a list)."""
        import torch
        tokenizer = self.tokenizer
        tokenizer.padding_side = 'left'
        batch = tokenizer([format_prompt(text, self.template)
                           for text in instructions], return_tensors='pt',
                          padding=True, add_special_tokens=False)
        embeddings = self.network.get_input_embeddings()
        input_ids = batch['input_ids'].to(embeddings.weight.device)
        attention_mask = batch['attention_mask'].to(embeddings.weight.device)
        inputs = {}
        with torch.inference_mode():
            inputs_embeds = embeddings(input_ids)
            if self.prompt is not None:
                prompt = self.prompt.unsqueeze(0).expand(len(instructions), -1, -1)
                inputs_embeds = torch.cat([prompt, inputs_embeds], dim=1)
                attention_mask = torch.cat(
                    [attention_mask.new_ones(prompt.shape[:2]), attention_mask], dim=1)
            if self.prefix is not None:
                inputs['cache'] = self.prefix_cache(len(instructions))
                attention_mask = torch.cat([attention_mask.new_ones(
                    len(instructions), self.prefix[0][0].shape[2]), attention_mask], dim=1)
            output = self.network.generate(
                inputs_embeds=inputs_embeds, attention_mask=attention_mask,
                max_new_tokens=self.max_new_tokens, do_sample=False,
                eos_token_id=self.stop_ids, pad_token_id=tokenizer.pad_token_id, **inputs)
        return [first_line(text)
                for text in tokenizer.batch_decode(output, skip_special_tokens=True)]

    def prefix_cache(self, batch_size):
        """Return a fresh key/value cache that starts with the prefix, for ``batch_size`` rows."""
        from transformers import DynamicCache
        cache = DynamicCache()
        for layer, (keys, values) in enumerate(self.prefix):
            cache.update(keys.expand(batch_size, -1, -1, -1).contiguous(),
                         values.expand(batch_size, -1, -1, -1).contiguous(), layer)
        return cache

    def __call__(self, instruction):
        """Return the command line for one request."""
        return self.generate([instruction])[0]
