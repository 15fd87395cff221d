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
Command line: ``ros2 run ros2_prompt_tuning import FILE.pt --output DIR [--model ...]``.

Converts the tutorials' prompt files into a prompt-weight folder that the node's
``adapter`` parameter and ``evaluate --adapter`` accept:

- ``soft_prompt_ros2.pt`` (c01): ``prompt_embeddings`` ``[N, hidden]``, taken as it is;
- ``p_tuning_ros2.pt`` (c02): ``embedding.weight`` and the ``mlp.0``/``mlp.2``
  Linear-Tanh-Linear encoder. At inference its output is constant, so the encoder is
  collapsed to the ``[N, hidden]`` virtual tokens it produces.

The tutorials fed the bare request to the model, so the template is ``{instruction}``.
"""

import argparse
import hashlib
from pathlib import Path
import sys

from ros2_prompt_tuning.resources import EMBEDDED_MODEL

SOFT_PROMPT_KEYS = {'prompt_embeddings'}
P_TUNING_KEYS = {'embedding.weight', 'mlp.0.weight', 'mlp.0.bias', 'mlp.2.weight', 'mlp.2.bias'}
TUTORIAL_TEMPLATE = '{instruction}'


def virtual_tokens(state_dict, source):
    """
    Return ``(tutorial method, [N, hidden] float tensor)`` from a tutorial state dict.

    :raises ValueError: naming ``source`` when the keys or shapes are not a tutorial's.
    """
    import torch
    keys = set(state_dict)
    if keys == SOFT_PROMPT_KEYS:
        prompt = state_dict['prompt_embeddings']
        if prompt.dim() != 2:
            raise ValueError(f'{source}: prompt_embeddings must be [N, hidden], '
                             f'not {list(prompt.shape)}')
        return 'prompt_tuning', prompt.float()
    if keys == P_TUNING_KEYS:
        embedding = state_dict['embedding.weight'].float()
        width = embedding.shape[-1]
        for name in ('mlp.0.weight', 'mlp.2.weight'):
            if tuple(state_dict[name].shape) != (width, width):
                raise ValueError(f'{source}: {name} must be [{width}, {width}], '
                                 f'not {list(state_dict[name].shape)}')
        with torch.no_grad():
            hidden = torch.tanh(embedding @ state_dict['mlp.0.weight'].float().T
                                + state_dict['mlp.0.bias'].float())
            return 'p_tuning', hidden @ state_dict['mlp.2.weight'].float().T \
                + state_dict['mlp.2.bias'].float()
    raise ValueError(f'{source}: not a tutorial prompt file; expected the keys '
                     f'{sorted(SOFT_PROMPT_KEYS)} (c01) or {sorted(P_TUNING_KEYS)} (c02), '
                     f'found {sorted(keys)}')


def import_tutorial_file(path, output_dir, model=EMBEDDED_MODEL, device='cpu'):
    """
    Convert a tutorial ``.pt`` file into a prompt-weight folder for ``model``.

    :raises AdapterMismatchError: when the prompt width is not the model's hidden size.
    :returns: the metadata written beside the weights.
    """
    import torch

    from ros2_prompt_tuning.adapter import AdapterMismatchError, describe_weights, save_adapter
    from ros2_prompt_tuning.methods import prompt_tuning
    from ros2_prompt_tuning.models import load_base_model, training_precision
    state_dict = torch.load(path, map_location='cpu', weights_only=True)
    if not isinstance(state_dict, dict):
        raise ValueError(f'{path}: expected a state dict, found {type(state_dict).__name__}')
    method, prompt = virtual_tokens(state_dict, path)
    base_model = load_base_model(model, device, training_precision(device))
    if prompt.shape[1] != base_model.hidden_size:
        raise AdapterMismatchError(
            f'{path} holds {prompt.shape[0]} virtual tokens of width {prompt.shape[1]}, but '
            f'base model "{base_model.source.name}" has hidden size {base_model.hidden_size}: '
            'import it with the model it was trained for (--model)')
    peft_model = prompt_tuning.wrap(base_model, prompt)
    metadata = {
        **describe_weights('prompt_tuning', base_model, TUTORIAL_TEMPLATE, prompt.shape[0]),
        'imported_from': {'file': Path(path).name, 'tutorial_method': method,
                          'sha256': hashlib.sha256(Path(path).read_bytes()).hexdigest()},
    }
    save_adapter(peft_model, output_dir, metadata)
    return metadata


def main(argv=None):
    """Import one tutorial file and say where the prompt weights went."""
    parser = argparse.ArgumentParser(prog='import', description=__doc__.split('\n\n')[1])
    parser.add_argument('file', help='soft_prompt_ros2.pt (c01) or p_tuning_ros2.pt (c02)')
    parser.add_argument('--output', required=True, metavar='DIR',
                        help='prompt-weight folder to write')
    parser.add_argument('--model', default=EMBEDDED_MODEL,
                        help='base model the file was trained for (default: embedded)')
    parser.add_argument('--device', default='cpu', choices=('auto', 'cuda', 'cpu'))
    args = parser.parse_args(argv)
    try:
        metadata = import_tutorial_file(args.file, args.output, args.model, args.device)
    except (OSError, ValueError) as error:
        print(f'import: error: {error}', file=sys.stderr)
        return 2
    print(f'{metadata["imported_from"]["tutorial_method"]} prompt of '
          f'{metadata["num_virtual_tokens"]} virtual tokens written to {args.output}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
