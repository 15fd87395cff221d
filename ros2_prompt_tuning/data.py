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

"""Request -> command pairs: reading JSONL, the prompt template, tokenisation and batching."""

from dataclasses import dataclass
import hashlib
import json
from pathlib import Path

PROMPT_TEMPLATE = 'Request: {instruction}\nCommand:'
IGNORE_INDEX = -100


@dataclass(frozen=True)
class Example:
    """One request and, when known, its command and category."""

    instruction: str
    command: str = None
    category: str = None


def read_jsonl(path, require_command=True):
    """
    Read ``{"instruction": ..., "command": ...}`` lines from ``path``.

    :param require_command: fail on a line without ``command`` (training data needs it).
    :raises ValueError: naming the file and line of malformed input.
    """
    examples = []
    with open(path, encoding='utf-8') as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            where = f'{path}:{number}'
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f'{where}: not valid JSON ({error.msg})') from None
            if not isinstance(record, dict):
                raise ValueError(f'{where}: expected a JSON object')
            instruction = record.get('instruction')
            command = record.get('command')
            if not isinstance(instruction, str) or not instruction.strip():
                raise ValueError(f'{where}: "instruction" must be a non-empty string')
            if (require_command or command is not None) and (
                    not isinstance(command, str) or not command.strip()):
                raise ValueError(f'{where}: "command" must be a non-empty string')
            category = record.get('category')
            examples.append(Example(instruction.strip(), command and command.strip(),
                                    category if isinstance(category, str) else None))
    if not examples:
        raise ValueError(f'{path}: no examples')
    return examples


def file_sha256(path):
    """Return the SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def dataset_fingerprint(path):
    """Return the file name, SHA-256 and number of examples of a JSONL file."""
    return {'file': Path(path).name, 'sha256': file_sha256(path),
            'examples': len(read_jsonl(path))}


def format_prompt(instruction, template=PROMPT_TEMPLATE):
    """Return the text the model sees before it writes the command."""
    return template.format(instruction=instruction.strip())


def prepare_request(instruction, rewrite=None):
    """
    Return the request as the model sees it.

    It is stripped and, given a ``rewrite`` callable (a
    :class:`ros2_prompt_tuning.rewriting.RequestRewriter`), rewritten by it.
    """
    text = instruction.strip()
    return rewrite(text) if rewrite else text


def encode_prompt(tokenizer, request, template=PROMPT_TEMPLATE):
    """
    Return the token ids of the prompt for a prepared ``request``.

    The template's own text may hold special tokens (chat markers); the request is always
    tokenised as plain text, so a request cannot forge a chat turn.
    """
    before, after = template.split('{instruction}', 1)
    text_ids = tokenizer(request, add_special_tokens=False,
                         split_special_tokens=True)['input_ids']
    return (tokenizer(before, add_special_tokens=False)['input_ids'] + text_ids
            + tokenizer(after, add_special_tokens=False)['input_ids'])


def format_target(command, template=PROMPT_TEMPLATE):
    """Return the text the model learns to write: a space first unless the prompt ends in one."""
    return command if template[-1:].isspace() else ' ' + command


def encode_example(tokenizer, example, max_length, template=PROMPT_TEMPLATE, rewrite=None,
                   constraint=None):
    """
    Tokenise a pair; labels cover only the command tokens and the end-of-sequence token.

    :param rewrite: the request rewriter applied first (as at inference), or None.
    :param constraint: a :class:`~ros2_prompt_tuning.grammar.CommandConstraint`; tokens that
        its grammar forces get no label, so the loss is on the model's decisions only.
    :returns: ``(input_ids, labels)`` as lists, cut to ``max_length`` tokens.
    """
    prompt_ids = encode_prompt(tokenizer, prepare_request(example.instruction, rewrite),
                               template)
    target_ids = tokenizer(format_target(example.command, template),
                           add_special_tokens=False)['input_ids']
    target_ids = target_ids + [tokenizer.eos_token_id]
    target_labels = list(target_ids)
    if constraint is not None:
        decisions = constraint.decision_positions(target_ids)
        target_labels = [token if chosen else IGNORE_INDEX
                         for token, chosen in zip(target_ids, decisions)]
    input_ids = (prompt_ids + target_ids)[:max_length]
    labels = ([IGNORE_INDEX] * len(prompt_ids) + target_labels)[:max_length]
    return input_ids, labels


def collate(encoded, pad_token_id):
    """Right-pad encoded pairs into a batch of tensors (padding is masked and ignored)."""
    import torch
    width = max(len(input_ids) for input_ids, _ in encoded)
    input_ids, labels, attention_mask = [], [], []
    for ids, label in encoded:
        padding = width - len(ids)
        input_ids.append(ids + [pad_token_id] * padding)
        labels.append(label + [IGNORE_INDEX] * padding)
        attention_mask.append([1] * len(ids) + [0] * padding)
    return {'input_ids': torch.tensor(input_ids), 'labels': torch.tensor(labels),
            'attention_mask': torch.tensor(attention_mask)}
