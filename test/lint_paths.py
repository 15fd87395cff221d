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

"""Source files this package lints: one list shared by the lint tests."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON_PATHS = [ROOT / name for name in ('ros2_prompt_tuning', 'launch', 'scripts', 'test',
                                         'setup.py')]


def python_files():
    """Return every Python file under the linted paths."""
    files = []
    for path in PYTHON_PATHS:
        files.extend([path] if path.is_file() else sorted(path.rglob('*.py')))
    return files
