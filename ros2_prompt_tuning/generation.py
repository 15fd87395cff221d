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

from collections import Counter
from typing import NamedTuple

from ros2_prompt_tuning.adapter import load_adapter
from ros2_prompt_tuning.data import encode_prompt, format_target, prepare_request, PROMPT_TEMPLATE
from ros2_prompt_tuning.models import load_base_model
from ros2_prompt_tuning.rewriting import RequestRewriter
from ros2_prompt_tuning.robot import default_robot
from ros2_prompt_tuning.validator import has_shell_syntax, UNSUPPORTED

DEFAULT_MAX_NEW_TOKENS = 128


class Reply(NamedTuple):
    """One generated reply."""

    text: str
    """The command line (stripped), as the model wrote it."""
    complete: bool
    """Whether it ended before the token budget ran out (a cut-off reply is never used)."""
    request: str
    """The request as the model saw it (rewritten when the weights expect it)."""


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

    With a ``constraint`` (the robot's command grammar), every step takes the best token the
    grammar allows, the tokens the grammar then forces are appended without asking the model
    (jump-forward: they go through the model together, in the next call), and a reply ends
    exactly when its command is complete. Without one, a reply ends at a newline or EOS.

    ``token_counts`` adds up, over every reply decoded so far, its tokens (``output``), those
    the model chose (``computed``) and those the grammar forced (``forced``).

    :param network: the frozen base causal LM.
    :param tokenizer: its tokenizer.
    :param prompt: ``[num_virtual_tokens, hidden]`` prompt embeddings, or ``None``.
    :param prefix: one ``(keys, values)`` pair per layer, each
        ``[1, kv_heads, num_virtual_tokens, head_dim]``, or ``None``.
    :param max_new_tokens: token budget of one reply (a full Twist command is ~70 tokens).
    :param metadata: the prompt weights' metadata, when there are some.
    :param template: text around each request (the one the weights were trained with).
    :param constraint: a :class:`~ros2_prompt_tuning.grammar.CommandConstraint`, or ``None``.
    :param rewrite: a :class:`~ros2_prompt_tuning.rewriting.RequestRewriter` applied to each
        request before the model sees it, or ``None``.
    """

    def __init__(self, network, tokenizer, prompt=None, prefix=None,
                 max_new_tokens=DEFAULT_MAX_NEW_TOKENS, metadata=None, template=PROMPT_TEMPLATE,
                 constraint=None, rewrite=None):
        """
        Prepare the stop tokens; ``max_new_tokens`` must be positive.

        The prompt weights take the model's dtype: they join its embeddings (a prompt) or its
        attention's keys and values (a prefix).
        """
        if max_new_tokens <= 0:
            raise ValueError(f'max_new_tokens must be > 0, not {max_new_tokens}')
        dtype = network.get_input_embeddings().weight.dtype
        self.network = network
        self.tokenizer = tokenizer
        self.prompt = None if prompt is None else prompt.to(dtype)
        self.prefix = None if prefix is None else [
            (keys.to(dtype), values.to(dtype)) for keys, values in prefix]
        self.max_new_tokens = max_new_tokens
        self.metadata = metadata
        self.template = template
        self.constraint = constraint
        self.rewrite = rewrite
        self.stop_ids = None if constraint else line_end_token_ids(tokenizer)
        self.token_counts = Counter()

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
        return cls(base, tokenizer, prompt=weights[0].detach(), **options)

    @classmethod
    def load(cls, model, adapter=None, device='auto', max_new_tokens=DEFAULT_MAX_NEW_TOKENS,
             robot=None, grammar=True, rewrite=None, precision='auto'):
        """
        Load a base model and, when ``adapter`` names a folder, its prompt weights.

        :param model: ``embedded``, a ``.gguf`` path, a local folder or a hub id.
        :param adapter: prompt-weight folder, or ``None`` for the bare base model.
        :param device: ``auto``, ``cuda`` or ``cpu``.
        :param robot: the robot description whose grammar constrains decoding (default:
            the shipped turtlesim).
        :param grammar: constrain decoding to the robot's commands.
        :param rewrite: rewrite requests (case, the robot's named values, quantities) before
            the model reads them; ``None``: as the weights were trained.
        :param precision: the base model's number format: ``auto``, ``fp32``, ``bf16`` or
            ``int8`` (see :func:`~ros2_prompt_tuning.models.select_precision`).
        """
        base = load_base_model(model, device, precision)
        metadata, template, options = None, PROMPT_TEMPLATE, {}
        if adapter:
            peft_model, metadata = load_adapter(base, adapter)
            template = metadata['prompt_template']
        if rewrite is None:
            rewrite = bool(metadata and metadata.get('config', {}).get('rewrite_quantities'))
        robot = robot or default_robot()
        if grammar:
            options['constraint'] = command_constraint(base.model, base.tokenizer, template,
                                                       robot)
        options.update(max_new_tokens=max_new_tokens, template=template,
                       rewrite=RequestRewriter(robot) if rewrite else None)
        if adapter:
            return cls.from_peft(peft_model, base.tokenizer, metadata=metadata, **options)
        return cls(base.model, base.tokenizer, **options)

    def generate(self, instructions, on_reply=None):
        """
        Return one :class:`Reply` per request in ``instructions`` (a list).

        A request holding shell syntax is answered ``UNSUPPORTED`` without the model: the
        contract makes a request that smuggles a shell command unsupported as a whole.

        :param on_reply: ``None``, or called as ``on_reply(index, reply)`` as soon as the
            reply to ``instructions[index]`` is complete (those without the model first).
        """
        requests = [prepare_request(text, self.rewrite) for text in instructions]
        refused = [Reply(UNSUPPORTED, True, request) if has_shell_syntax(text) else None
                   for text, request in zip(instructions, requests)]
        asked = [request for request, reply in zip(requests, refused) if reply is None]
        asked_index = [index for index, reply in enumerate(refused) if reply is None]

        def row_done(row, reply):
            on_reply(asked_index[row], reply)

        if on_reply is not None:
            for index, reply in enumerate(refused):
                if reply is not None:
                    on_reply(index, reply)
        answers = iter(self.decode(asked, row_done if on_reply else None) if asked else [])
        return [next(answers) if reply is None else reply for reply in refused]

    def decode(self, requests, on_reply=None):
        """
        Return one :class:`Reply` per prepared request, from the model.

        Greedy decoding with the key/value cache, written out rather than left to
        ``transformers``' ``generate``, which takes a cache it is given for the first tokens
        of the input and would skip that many request tokens. Requests are padded on the
        left, and positions count real tokens only, after the virtual tokens, as in training.
        Each call after the first feeds every row the tokens it gained (its choice and any
        forced ones), right-padded to the longest; padding is masked out for good.
        ``on_reply(row, reply)``, when given, is called as soon as a row is finished.
        """
        import torch
        tokenizer = self.tokenizer
        prompts = [encode_prompt(tokenizer, request, self.template) for request in requests]
        rows = len(prompts)
        embeddings = self.network.get_input_embeddings()
        device = embeddings.weight.device
        width = max(len(ids) for ids in prompts)
        pad = tokenizer.pad_token_id
        ids = torch.tensor([[pad] * (width - len(p)) + p for p in prompts], device=device)
        mask = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in prompts],
                            device=device)
        matchers = [self.constraint.matcher() if self.constraint else None for _ in prompts]
        replies = [[] for _ in prompts]
        finished = [False] * rows
        answered = [None] * rows

        def reply_of(row):
            complete = self.completion([matchers[row]], [replies[row]])[0]
            text = first_line(tokenizer.decode(replies[row], skip_special_tokens=True))
            return Reply(text, complete, requests[row])

        with torch.inference_mode():
            inputs_embeds = embeddings(ids)
            if self.prompt is not None:
                prompt = self.prompt.unsqueeze(0).expand(rows, -1, -1)
                inputs_embeds = torch.cat([prompt, inputs_embeds], dim=1)
                mask = torch.cat([mask.new_ones(prompt.shape[:2]), mask], dim=1)
            cache, virtual = self.start_cache(rows)
            positions = virtual + (mask.cumsum(dim=1) - 1).clamp(min=0)
            mask = torch.cat([mask.new_ones(rows, virtual), mask], dim=1)
            last = torch.full((rows,), inputs_embeds.shape[1] - 1, device=device)
            while True:
                output = self.network(inputs_embeds=inputs_embeds, attention_mask=mask,
                                      position_ids=positions, cache=cache, use_cache=True)
                cache = output.cache
                logits = output.logits[torch.arange(rows, device=device), last].float()
                steps = self.next_tokens(logits, matchers, replies, finished)
                for row in range(rows):
                    if on_reply is not None and finished[row] and answered[row] is None:
                        answered[row] = reply_of(row)
                        on_reply(row, answered[row])
                if all(finished):
                    break
                step_width = max(len(step) for step in steps)
                step_ids = [step + [pad] * (step_width - len(step)) for step in steps]
                step_mask = [[1] * len(step) + [0] * (step_width - len(step)) for step in steps]
                step_mask = torch.tensor(step_mask, device=device)
                inputs_embeds = embeddings(torch.tensor(step_ids, device=device))
                positions = (positions.max(dim=1, keepdim=True).values
                             + step_mask.cumsum(dim=1).clamp(min=1))
                mask = torch.cat([mask, step_mask], dim=1)
                last = torch.tensor([max(len(step), 1) - 1 for step in steps], device=device)
        self.token_counts['output'] += sum(len(tokens) for tokens in replies)
        return [reply_of(row) if reply is None else reply for row, reply in enumerate(answered)]

    def next_tokens(self, logits, matchers, replies, finished):
        """
        Choose each unfinished row's next token and mark the rows that are done.

        With a grammar, the tokens it forces after the choice are added too.

        :returns: per row, the token ids to feed the model next (empty for finished rows).
        """
        if self.constraint is not None:
            allowed = self.constraint.allowed(
                [None if done else matcher for matcher, done in zip(matchers, finished)])
            logits = logits[:, :allowed.shape[1]].masked_fill(~allowed.to(logits.device),
                                                              float('-inf'))
        chosen = logits.argmax(dim=-1).tolist()
        steps = []
        for row, token in enumerate(chosen):
            step = []
            if not finished[row]:
                matcher = matchers[row]
                if matcher is not None:
                    matcher.consume_token(token)
                    if token != self.constraint.eos_token_id:
                        step = [token]
                        if not matcher.is_stopped():
                            step += matcher.compute_ff_tokens()
                            matcher.consume_tokens(step[1:])
                    done = matcher.is_stopped() or matcher.is_error()
                else:
                    step = [] if token in self.stop_ids else [token]
                    done = not step
                replies[row].extend(step)
                if step:
                    self.token_counts['computed'] += 1
                    self.token_counts['forced'] += len(step) - 1
                finished[row] = done or len(replies[row]) >= self.max_new_tokens
                if not finished[row]:
                    steps.append(step)
                    continue
            steps.append([])
        return steps

    def completion(self, matchers, replies):
        """Return, per row, whether its reply ended on its own within the token budget."""
        if self.constraint is not None:
            return [matcher.is_stopped() and not matcher.is_error()
                    and len(tokens) <= self.max_new_tokens
                    for matcher, tokens in zip(matchers, replies)]
        return [len(tokens) < self.max_new_tokens for tokens in replies]

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
        """Return the :class:`Reply` for one request."""
        return self.generate([instruction])[0]


def command_constraint(network, tokenizer, template=PROMPT_TEMPLATE, robot=None):
    """Return the command grammar of ``robot`` (default: turtlesim) compiled for a model."""
    from ros2_prompt_tuning.grammar import CommandConstraint
    vocab_size = network.get_output_embeddings().weight.shape[0]
    return CommandConstraint(tokenizer, robot or default_robot(), vocab_size,
                             lead=format_target('', template))
