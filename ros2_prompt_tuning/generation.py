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
from contextlib import contextmanager
import time
from typing import NamedTuple

from ros2_prompt_tuning.adapter import load_adapter, read_vocabulary
from ros2_prompt_tuning.data import encode_prompt, format_target, prepare_request, PROMPT_TEMPLATE
from ros2_prompt_tuning.models import load_base_model
from ros2_prompt_tuning.rewriting import RequestRewriter
from ros2_prompt_tuning.robot import default_robot
from ros2_prompt_tuning.validator import has_shell_syntax, UNSUPPORTED

DEFAULT_MAX_NEW_TOKENS = 128
# The metadata key of the weights' calibrated refusal bias.
REFUSAL_BIAS_KEY = 'refusal_bias'


class Reply(NamedTuple):
    """One generated reply."""

    text: str
    """The command line (stripped), as the model wrote it."""
    complete: bool
    """Whether it ended before the token budget ran out (a cut-off reply is never used)."""
    request: str
    """The request as the model saw it (rewritten when the weights expect it)."""
    refusal_margin: float = None
    """With a grammar: how far the model's best first token toward ``UNSUPPORTED`` led
    its best toward a command (logits, before ``refusal_bias``)."""


def line_end_token_ids(tokenizer):
    """
    Return the ids of every token that ends the reply: EOS and tokens holding a newline.

    The whole vocabulary is decoded in one batch (by the Rust backend of a fast tokenizer).
    """
    single_tokens = [[token_id] for token_id in range(len(tokenizer))]
    backend = getattr(tokenizer, 'backend_tokenizer', None)
    texts = (backend.decode_batch(single_tokens, skip_special_tokens=False) if backend
             else tokenizer.batch_decode(single_tokens))
    return sorted({tokenizer.eos_token_id}
                  | {token_id for token_id, text in enumerate(texts) if '\n' in text})


@contextmanager
def timed(seconds, name):
    """Record in ``seconds[name]`` how many seconds the ``with`` block took."""
    started = time.perf_counter()
    yield
    seconds[name] = time.perf_counter() - started


def first_line(text):
    """Return the first line of ``text``, stripped."""
    return text.split('\n', 1)[0].strip()


class CommandGenerator:
    """
    Greedy generation of one command line per request.

    The fixed part of every prompt, the prompt weights and (in fp32, see
    :meth:`shared_lead`) the template's text before the request, is constant at inference,
    so it goes through the model once (at the first batch): its keys and values start every
    batch's key/value cache, and only the rest of each prompt is computed per batch.
    Soft-prompt embeddings go in front of the template's text; prefix keys and values come
    before both. Generation then runs on the bare base model with its cache (PEFT's own
    ``generate`` recomputes the whole sequence each step for soft prompts).

    With a ``constraint`` (the robot's command grammar), every step takes the best token the
    grammar allows, the tokens the grammar then forces are appended without asking the model
    (jump-forward: they go through the model together, in the next call), and a reply ends
    exactly when its command is complete. Without one, a reply ends at a newline or EOS.

    ``token_counts`` adds up, over every reply decoded so far, its tokens (``output``), those
    the model chose (``computed``) and those the grammar forced (``forced``).
    ``startup_seconds`` holds how long each step of getting ready took (``model``,
    ``prompt_weights``, ``grammar`` and ``stop_tokens``, those that were done).

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
                 constraint=None, rewrite=None, refusal_bias=0.0):
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
        self.refusal_bias = refusal_bias
        self.lead_ids = tokenizer(template.split('{instruction}', 1)[0],
                                  add_special_tokens=False)['input_ids']
        self.fixed_parts = {}
        self.startup_seconds = {}
        self.stop_ids = None
        if not constraint:
            with timed(self.startup_seconds, 'stop_tokens'):
                self.stop_ids = line_end_token_ids(tokenizer)
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
             robot=None, grammar=True, rewrite=None, precision='auto', refusal_bias=None):
        """
        Load a base model and, when ``adapter`` names a folder, its prompt weights.

        :param model: ``embedded``, a ``.gguf`` path, a local folder or a hub id.
        :param adapter: prompt-weight folder, or ``None`` for the bare base model.
        :param device: ``auto``, ``cuda`` or ``cpu``.
        :param robot: the robot description whose grammar constrains decoding (default:
            the shipped turtlesim).
        :param grammar: constrain decoding to the robot's commands.
        :param rewrite: rewrite requests (case, spelling toward the words the weights were
            trained on, the robot's named values, quantities) before the model reads them;
            ``None``: as the weights were trained.
        :param precision: the base model's number format: ``auto``, ``fp32``, ``bf16`` or
            ``int8`` (see :func:`~ros2_prompt_tuning.models.select_precision`).
        :param refusal_bias: logits added to ``UNSUPPORTED`` at a reply's first token;
            ``None``: the weights' calibrated ``refusal_bias`` (see
            :func:`~ros2_prompt_tuning.evaluation.calibrate_refusal`), else 0.
        """
        seconds = {}
        with timed(seconds, 'model'):
            base = load_base_model(model, device, precision)
        metadata, template, options = None, PROMPT_TEMPLATE, {}
        if adapter:
            with timed(seconds, 'prompt_weights'):
                peft_model, metadata = load_adapter(base, adapter)
            template = metadata['prompt_template']
        if rewrite is None:
            rewrite = bool(metadata and metadata.get('config', {}).get('rewrite_quantities'))
        robot = robot or default_robot()
        if grammar:
            with timed(seconds, 'grammar'):
                options['constraint'] = command_constraint(base.model, base.tokenizer,
                                                           template, robot)
        vocabulary = read_vocabulary(adapter) if adapter and rewrite else None
        if refusal_bias is None:
            refusal_bias = (metadata or {}).get(REFUSAL_BIAS_KEY, 0.0)
        options.update(max_new_tokens=max_new_tokens, template=template,
                       rewrite=RequestRewriter(robot, vocabulary) if rewrite else None,
                       refusal_bias=refusal_bias)
        if adapter:
            generator = cls.from_peft(peft_model, base.tokenizer, metadata=metadata, **options)
        else:
            generator = cls(base.model, base.tokenizer, **options)
        generator.startup_seconds = {**seconds, **generator.startup_seconds}
        return generator

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
        of the input and would skip that many request tokens. The cache starts with the
        fixed part (see :meth:`fixed_part`); the rest of each prompt is padded on the left,
        so the padding sits between the two, and positions count real tokens only, after
        the virtual tokens, as in training. Each call after the first feeds every row the
        tokens it gained (its choice and any forced ones), right-padded to the longest;
        padding is masked out for good. ``on_reply(row, reply)``, when given, is called as
        soon as a row is finished.
        """
        import torch
        tokenizer = self.tokenizer
        prompts = [encode_prompt(tokenizer, request, self.template) for request in requests]
        lead = self.shared_lead(prompts)
        prompts = [ids[len(lead):] for ids in prompts]
        rows = len(prompts)
        embeddings = self.network.get_input_embeddings()
        device = embeddings.weight.device
        width = max(len(ids) for ids in prompts)
        pad = tokenizer.pad_token_id
        ids = torch.tensor([[pad] * (width - len(p)) + p for p in prompts], device=device)
        mask = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in prompts],
                            device=device)
        matchers = [self.constraint.matcher(request) if self.constraint else None
                    for request in requests]
        replies = [[] for _ in prompts]
        finished = [False] * rows
        answered = [None] * rows
        margins = [None] * rows

        def reply_of(row):
            complete = self.completion([matchers[row]], [replies[row]])[0]
            text = first_line(tokenizer.decode(replies[row], skip_special_tokens=True))
            return Reply(text, complete, requests[row], margins[row])

        with torch.inference_mode():
            cache, fixed = self.start_cache(lead, rows)
            inputs_embeds = embeddings(ids)
            positions = fixed + (mask.cumsum(dim=1) - 1).clamp(min=0)
            mask = torch.cat([mask.new_ones(rows, fixed), mask], dim=1)
            last = torch.full((rows,), width - 1, device=device)
            while True:
                output = self.network(inputs_embeds=inputs_embeds, attention_mask=mask,
                                      position_ids=positions, cache=cache, use_cache=True)
                cache = output.cache
                logits = output.logits[torch.arange(rows, device=device), last].float()
                steps = self.next_tokens(logits, matchers, replies, finished, margins)
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

    def weigh_refusal(self, logits, replies, finished, margins):
        """
        At a reply's first token, note its refusal margin and add ``refusal_bias``.

        The bias (in logits) is added to the tokens that start ``UNSUPPORTED``: above 0 the
        model refuses more readily, below 0 less. ``margins`` (one per row) gets each margin.
        """
        refusal = self.constraint.refusal_token_ids
        if not refusal:
            return
        for row, reply in enumerate(replies):
            if reply or finished[row]:
                continue
            toward_refusal = logits[row, refusal].max()
            toward_command = logits[row].clone()
            toward_command[refusal] = float('-inf')
            margins[row] = float(toward_refusal - toward_command.max())
            logits[row, refusal] += self.refusal_bias

    def next_tokens(self, logits, matchers, replies, finished, margins):
        """
        Choose each unfinished row's next token and mark the rows that are done.

        With a grammar, the tokens it forces after the choice are added too, and the first
        token is weighed by :meth:`weigh_refusal`.

        :returns: per row, the token ids to feed the model next (empty for finished rows).
        """
        if self.constraint is not None:
            allowed = self.constraint.allowed(
                [None if done else matcher for matcher, done in zip(matchers, finished)])
            logits = logits[:, :allowed.shape[1]].masked_fill(~allowed.to(logits.device),
                                                              float('-inf'))
            self.weigh_refusal(logits, replies, finished, margins)
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

    def shared_lead(self, prompts):
        """
        Return the template's leading token ids when every prompt starts with them, else ``[]``.

        A prompt must hold more than the lead: its last token gives the first logits. Only in
        fp32: in bf16 the lead computed apart from its request rounds otherwise, which flipped
        10 of the 330 test-split replies of the shipped weights (80.3 % -> 77.9 %).
        """
        import torch
        lead = self.lead_ids
        if self.network.get_input_embeddings().weight.dtype == torch.float32 and all(
                len(ids) > len(lead) and ids[:len(lead)] == lead for ids in prompts):
            return lead
        return []

    def fixed_part(self, lead):
        """
        Return one ``(keys, values)`` pair per layer, ``[1, kv_heads, length, head_dim]``.

        They hold the prompt weights followed by the tokens ``lead``: prefix keys and values
        as they are, soft-prompt embeddings and ``lead`` as the model computes them, at the
        positions that follow the prefix. Computed at the first call for each lead and the
        model's device and dtype, then reused; an empty list when there is nothing to hold.
        """
        import torch
        from transformers import DynamicCache
        embeddings = self.network.get_input_embeddings()
        device = embeddings.weight.device
        key = (tuple(lead), device, embeddings.weight.dtype)
        if key in self.fixed_parts:
            return self.fixed_parts[key]
        cache = DynamicCache()
        for layer, (keys, values) in enumerate(self.prefix or []):
            cache.update(keys, values, layer)
        virtual = cache.get_seq_length()
        with torch.inference_mode():
            inputs_embeds = embeddings(torch.tensor([lead], dtype=torch.long, device=device))
            if self.prompt is not None:
                inputs_embeds = torch.cat([self.prompt.unsqueeze(0), inputs_embeds], dim=1)
            length = inputs_embeds.shape[1]
            if length:
                self.network(inputs_embeds=inputs_embeds,
                             attention_mask=torch.ones(1, virtual + length, dtype=torch.long,
                                                       device=device),
                             position_ids=virtual + torch.arange(length, device=device)[None],
                             cache=cache, use_cache=True)
        self.fixed_parts[key] = [(layer.keys, layer.values) for layer in cache.layers]
        return self.fixed_parts[key]

    def start_cache(self, lead, rows):
        """
        Return the cache to start a batch from and how many positions it already holds.

        :returns: ``(cache, length)``: the keys and values of :meth:`fixed_part` for ``rows``
            rows (an empty cache and 0 when it holds nothing).
        """
        from transformers import DynamicCache
        cache = DynamicCache()
        fixed = self.fixed_part(lead)
        for layer, (keys, values) in enumerate(fixed):
            cache.update(keys.expand(rows, -1, -1, -1), values.expand(rows, -1, -1, -1), layer)
        return cache, fixed[0][0].shape[2] if fixed else 0

    def __call__(self, instruction):
        """Return the :class:`Reply` for one request."""
        return self.generate([instruction])[0]


def command_constraint(network, tokenizer, template=PROMPT_TEMPLATE, robot=None):
    """Return the command grammar of ``robot`` (default: turtlesim) compiled for a model."""
    from ros2_prompt_tuning.grammar import CommandConstraint
    vocab_size = network.get_output_embeddings().weight.shape[0]
    return CommandConstraint(tokenizer, robot or default_robot(), vocab_size,
                             lead=format_target('', template))
