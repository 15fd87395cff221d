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
The prompt methods, one module each, chosen by the training config's ``method``.

Each module offers ``build(config, base_model)``, which returns a PEFT model whose only
trainable part is ``peft_model.prompt_encoder['default']``, and ``finish(peft_model)``, which
readies it for saving once training is over.
"""

import importlib

METHODS = ('prompt_tuning', 'p_tuning', 'prefix_tuning')


def method_module(name):
    """
    Return the module of the method called ``name``.

    :raises ValueError: for a name that is not in ``METHODS``.
    """
    if name not in METHODS:
        raise ValueError(f'method: must be one of {", ".join(METHODS)}, not {name!r}')
    return importlib.import_module(f'{__name__}.{name}')
