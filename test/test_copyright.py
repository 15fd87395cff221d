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

"""Every source file carries the Apache-2.0 header; ament_copyright agrees where installed."""

import shutil
import subprocess

from lint_paths import python_files, PYTHON_PATHS, ROOT
import pytest

HEADER = [
    '# Copyright 2026 The ros2_prompt_tuning Authors',
    '#',
    '# Licensed under the Apache License, Version 2.0 (the "License");',
]


def header_of(path):
    """Return the first lines of ``path`` after an optional shebang."""
    lines = path.read_text(encoding='utf-8').splitlines()
    if lines and lines[0].startswith('#!'):
        lines = lines[1:]
    return lines[:len(HEADER)]


@pytest.mark.copyright
@pytest.mark.linter
@pytest.mark.skipif(shutil.which('ament_copyright') is None,
                    reason='ament_copyright is not on PyPI; Debian: python3-ament-copyright')
def test_copyright():
    result = subprocess.run(['ament_copyright'] + [str(path) for path in PYTHON_PATHS],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.copyright
@pytest.mark.linter
def test_license_header():
    files = python_files() + sorted((ROOT / 'scripts').glob('*.sh'))
    assert len(files) > 10
    missing = [str(path.relative_to(ROOT)) for path in files if header_of(path) != HEADER]
    assert not missing, f'files without the license header: {missing}'
