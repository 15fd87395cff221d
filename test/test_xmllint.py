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

"""package.xml validates with ament_xmllint and is a format 3 ament_python manifest."""

import shutil
import subprocess
import xml.etree.ElementTree as ElementTree

from lint_paths import ROOT
import pytest


@pytest.mark.linter
@pytest.mark.xmllint
@pytest.mark.skipif(shutil.which('ament_xmllint') is None,
                    reason='ament_xmllint is not on PyPI; Debian: python3-ament-xmllint')
def test_xmllint():
    result = subprocess.run(['ament_xmllint', str(ROOT / 'package.xml')],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.linter
def test_package_manifest():
    package = ElementTree.parse(ROOT / 'package.xml').getroot()
    assert package.get('format') == '3'
    assert package.findtext('name') == 'ros2_prompt_tuning'
    assert package.findtext('export/build_type') == 'ament_python'
    exec_depends = {element.text for element in package.findall('exec_depend')}
    assert {'rclpy', 'std_msgs', 'launch', 'launch_ros'} <= exec_depends
