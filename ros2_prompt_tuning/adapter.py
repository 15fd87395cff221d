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

"""Prompt-weight folders: a PEFT adapter plus a metadata file that says what it was built for."""

from datetime import datetime, timezone
import json
from pathlib import Path
import warnings

from ros2_prompt_tuning import __version__
from ros2_prompt_tuning.models import first_line, ModelLoadError, problem

METADATA_FILE = 'prompt_tuning_metadata.json'
# The words of the training requests with their counts, to correct a request's typos toward.
VOCABULARY_FILE = 'request_vocabulary.json'
ADAPTER_FILES = ('adapter_config.json', 'adapter_model.safetensors')


class AdapterMismatchError(ModelLoadError):
    """The adapter was trained for another base model."""


def describe_weights(method, base_model, prompt_template, num_virtual_tokens):
    """Return the metadata every prompt-weight folder carries, whatever made it."""
    tokenizer = base_model.tokenizer
    return {
        'method': method,
        'package_version': __version__,
        'created': datetime.now(timezone.utc).isoformat(timespec='seconds'),
        'base_model': base_model.describe(with_fingerprint=True),
        'tokenizer': {'class': type(tokenizer).__name__, 'vocab_size': len(tokenizer),
                      'eos_token': tokenizer.eos_token},
        'prompt_template': prompt_template,
        'num_virtual_tokens': num_virtual_tokens,
    }


def save_adapter(peft_model, output_dir, metadata, vocabulary=None):
    """
    Write the PEFT adapter and ``metadata`` into ``output_dir``, and ``vocabulary`` if given.

    The adapter config names the base model as the metadata does (not a local path), and
    PEFT's generic model card is left out: the metadata file describes the weights.
    """
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    peft_model.active_peft_config.base_model_name_or_path = metadata['base_model']['name']
    peft_model.save_pretrained(str(output_dir), save_embedding_layers=False)
    (output_dir / 'README.md').unlink(missing_ok=True)
    save_metadata(output_dir, metadata)
    if vocabulary:
        save_vocabulary(output_dir, vocabulary)


def save_metadata(output_dir, metadata):
    """Write the metadata of the prompt weights in ``output_dir``."""
    with open(Path(output_dir) / METADATA_FILE, 'w', encoding='utf-8') as stream:
        json.dump(metadata, stream, indent=2, sort_keys=True)
        stream.write('\n')


def save_vocabulary(output_dir, vocabulary):
    """Write the training requests' words and counts (``{word: count}``) into ``output_dir``."""
    with open(Path(output_dir) / VOCABULARY_FILE, 'w', encoding='utf-8') as stream:
        json.dump(dict(sorted(vocabulary.items())), stream, indent=0)
        stream.write('\n')


def read_json(path, expected):
    """Return the JSON in ``path``; a file that is not JSON raises ``ModelLoadError``."""
    try:
        with open(path, encoding='utf-8') as stream:
            return json.load(stream)
    except ValueError as error:
        raise ModelLoadError(problem(path, expected, first_line(error))) from None


def read_vocabulary(adapter_dir):
    """
    Return the training requests' words and counts saved beside an adapter, or None.

    :raises ModelLoadError: when the file is there but is not a mapping of words to counts.
    """
    path = Path(adapter_dir) / VOCABULARY_FILE
    if not path.is_file():
        return None
    vocabulary = read_json(path, 'a JSON mapping of words to counts')
    if not isinstance(vocabulary, dict) or not all(
            isinstance(word, str) and isinstance(count, int)
            for word, count in vocabulary.items()):
        raise ModelLoadError(problem(path, 'a JSON mapping of words to counts',
                                     json.dumps(vocabulary)[:80]))
    return vocabulary


def read_metadata(adapter_dir):
    """
    Return the metadata saved beside an adapter.

    :raises ModelLoadError: when the folder lacks a file of a prompt-weight folder, or its
        metadata is not JSON describing a base model.
    """
    adapter_dir = Path(adapter_dir)
    if not adapter_dir.is_dir():
        raise ModelLoadError(problem(adapter_dir, 'a prompt-weight folder', 'no such folder'))
    for name in ADAPTER_FILES + (METADATA_FILE,):
        if not (adapter_dir / name).is_file():
            raise ModelLoadError(problem(adapter_dir / name, 'a file of the prompt-weight folder',
                                         'no such file'))
    path = adapter_dir / METADATA_FILE
    metadata = read_json(path, 'JSON prompt-weight metadata')
    built_for = metadata.get('base_model') if isinstance(metadata, dict) else None
    if not isinstance(built_for, dict) or not {'name', 'hidden_size'} <= set(built_for) \
            or 'prompt_template' not in metadata:
        raise ModelLoadError(problem(
            path, 'metadata with base_model (name, hidden_size) and prompt_template',
            f'{json.dumps(metadata)[:80]}'))
    return metadata


def check_compatible(metadata, base_model, adapter_dir):
    """
    Refuse an adapter whose base model differs from ``base_model`` (a ``BaseModel``).

    The SHA-256 of the base model's weights is compared when the metadata records one and
    the loaded model is a local file or folder.

    :raises AdapterMismatchError: naming both models when hidden size, model name or
        weights differ.
    """
    built_for = metadata['base_model']
    problems = []
    if built_for['hidden_size'] != base_model.hidden_size:
        problems.append(f'hidden size {built_for["hidden_size"]} != {base_model.hidden_size}')
    if built_for['name'] != base_model.source.name:
        problems.append('model name differs')
    if not problems and built_for.get('sha256'):
        loaded = base_model.source.fingerprint()['sha256']
        if loaded and loaded != built_for['sha256']:
            problems.append(f'weights SHA-256 {built_for["sha256"][:12]}... != '
                            f'{loaded[:12]}...')
    if problems:
        raise AdapterMismatchError(problem(
            Path(adapter_dir) / METADATA_FILE,
            f'prompt weights for the loaded base model "{base_model.source.name}" (hidden '
            f'size {base_model.hidden_size})',
            f'weights trained for "{built_for["name"]}" (hidden size '
            f'{built_for["hidden_size"]}): {"; ".join(problems)}; load the matching model '
            'or retrain the prompt'))


def load_adapter(base_model, adapter_dir):
    """
    Attach the prompt weights in ``adapter_dir`` to ``base_model`` after checking they match.

    :returns: ``(peft_model, metadata)``.
    :raises ModelLoadError: for a missing, corrupt or mismatched prompt-weight folder.
    """
    from peft import PeftModel
    metadata = read_metadata(adapter_dir)
    check_compatible(metadata, base_model, adapter_dir)
    try:
        with warnings.catch_warnings():
            # PEFT asks transformers for a renamed attribute; nothing here to act on.
            warnings.filterwarnings('ignore', '`is_gradient_checkpointing` is deprecated',
                                    FutureWarning)
            peft_model = PeftModel.from_pretrained(base_model.model, str(adapter_dir))
    except Exception as error:  # noqa: B902 - whatever PEFT raises, name the folder
        raise ModelLoadError(problem(
            adapter_dir, 'PEFT prompt weights (adapter_config.json and '
            'adapter_model.safetensors) for this base model', first_line(error))) from error
    peft_model.eval()
    return peft_model, metadata


def read_starting_prompt(adapter_dir, base_model, method, num_virtual_tokens):
    """
    Return the trained prompt of ``adapter_dir`` as the start of a new run (fine-tuning).

    :returns: the ``[num_virtual_tokens, width]`` tensor the saved adapter holds.
    :raises ModelLoadError: for a folder that is not prompt weights, or weights of another
        method or size.
    :raises AdapterMismatchError: for weights of another base model.
    """
    from safetensors.torch import load_file
    metadata = read_metadata(adapter_dir)
    check_compatible(metadata, base_model, adapter_dir)
    saved = (metadata.get('method'), metadata.get('num_virtual_tokens'))
    if saved != (method, num_virtual_tokens):
        raise ModelLoadError(problem(
            Path(adapter_dir) / METADATA_FILE,
            f'{method} weights with {num_virtual_tokens} virtual tokens, as configured',
            f'{saved[0]} weights with {saved[1]} virtual tokens: set method and '
            'num_virtual_tokens to match, or start from prompt_init'))
    path = Path(adapter_dir) / ADAPTER_FILES[1]
    try:
        return load_file(str(path))['prompt_embeddings']
    except Exception as error:  # noqa: B902 - whatever safetensors raises, name the file
        raise ModelLoadError(problem(path, 'a prompt_embeddings tensor',
                                     first_line(error))) from error
