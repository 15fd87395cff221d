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

"""The launch file: its arguments and node, and a real launch description where possible."""

import ast
import importlib.util

from lint_paths import ROOT
import pytest

LAUNCH_FILE = ROOT / 'launch' / 'prompt_tuning.launch.py'
ARGUMENTS = {'namespace', 'params_file', 'model', 'adapter', 'device', 'robot'}


def string_constants(tree):
    """Return every string literal in a parsed module."""
    return {node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def test_launch_file_names_the_installed_executable_and_arguments():
    tree = ast.parse(LAUNCH_FILE.read_text(encoding='utf-8'))
    strings = string_constants(tree)
    assert {'ros2_prompt_tuning', 'prompt_tuning_node', 'prompt_tuning.yaml'} <= strings
    assert ARGUMENTS <= strings
    setup_strings = string_constants(ast.parse((ROOT / 'setup.py').read_text()))
    assert 'prompt_tuning_node = ros2_prompt_tuning.node:main' in setup_strings
    assert (ROOT / 'config' / 'prompt_tuning.yaml').is_file()


@pytest.mark.skipif(importlib.util.find_spec('launch') is None
                    or importlib.util.find_spec('launch_ros') is None,
                    reason='the ROS 2 launch and launch_ros libraries are not installed '
                           '(they are not on PyPI; a ROS 2 Jazzy installation has them)')
def test_launch_description_is_valid():
    from launch import LaunchContext, LaunchDescription
    from launch.actions import DeclareLaunchArgument, OpaqueFunction
    spec = importlib.util.spec_from_file_location('prompt_tuning_launch', LAUNCH_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    description = module.generate_launch_description()
    assert isinstance(description, LaunchDescription)
    declared = {entity.name for entity in description.entities
                if isinstance(entity, DeclareLaunchArgument)}
    assert declared == ARGUMENTS
    context = LaunchContext()
    for entity in description.entities:
        if isinstance(entity, DeclareLaunchArgument):
            entity.visit(context)
    context.launch_configurations['device'] = 'cpu'
    [opaque] = [entity for entity in description.entities if isinstance(entity, OpaqueFunction)]
    [node] = opaque.execute(context)
    assert node.node_package == 'ros2_prompt_tuning'
    assert node.node_executable == 'prompt_tuning_node'
