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

from ros2_prompt_tuning import __version__

METADATA_FILE = 'prompt_tuning_metadata.json'


class AdapterMismatchError(ValueError):
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


def save_adapter(peft_model, output_dir, metadata):
    """
    Write the PEFT adapter and ``metadata`` into ``output_dir``.

    The adapter config names the base model as the metadata does (not a local path), and
    PEFT's generic model card is left out: the metadata file describes the weights.
    """
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    peft_model.active_peft_config.base_model_name_or_path = metadata['base_model']['name']
    peft_model.save_pretrained(str(output_dir), save_embedding_layers=False)
    (output_dir / 'README.md').unlink(missing_ok=True)
    with open(output_dir / METADATA_FILE, 'w', encoding='utf-8') as stream:
        json.dump(metadata, stream, indent=2, sort_keys=True)
        stream.write('\n')


def read_metadata(adapter_dir):
    """
    Return the metadata saved beside an adapter.

    :raises FileNotFoundError: when the folder holds no adapter or no metadata.
    """
    adapter_dir = Path(adapter_dir)
    for name in ('adapter_config.json', METADATA_FILE):
        if not (adapter_dir / name).is_file():
            raise FileNotFoundError(f'{adapter_dir} is not a prompt-weight folder: no {name}')
    with open(adapter_dir / METADATA_FILE, encoding='utf-8') as stream:
        return json.load(stream)


def check_compatible(metadata, base_model, adapter_dir):
    """
    Refuse an adapter whose base model differs from ``base_model`` (a ``BaseModel``).

    :raises AdapterMismatchError: naming both models when hidden size or model name differ.
    """
    built_for = metadata['base_model']
    problems = []
    if built_for['hidden_size'] != base_model.hidden_size:
        problems.append(f'hidden size {built_for["hidden_size"]} != {base_model.hidden_size}')
    if built_for['name'] != base_model.source.name:
        problems.append('model name differs')
    if problems:
        raise AdapterMismatchError(
            f'the prompt weights in {adapter_dir} were trained for base model '
            f'"{built_for["name"]}" (hidden size {built_for["hidden_size"]}), but the loaded '
            f'base model is "{base_model.source.name}" (hidden size {base_model.hidden_size}): '
            f'{"; ".join(problems)}. Load the matching model or retrain the prompt.')


def load_adapter(base_model, adapter_dir):
    """
    Attach the prompt weights in ``adapter_dir`` to ``base_model`` after checking they match.

    :returns: ``(peft_model, metadata)``.
    """
    from peft import PeftModel
    metadata = read_metadata(adapter_dir)
    check_compatible(metadata, base_model, adapter_dir)
    peft_model = PeftModel.from_pretrained(base_model.model, str(adapter_dir))
    peft_model.eval()
    return peft_model, metadata
