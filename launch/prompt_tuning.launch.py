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

"""Start prompt_tuning_node with its parameters file; model, adapter and device overridable."""

import os

from ament_index_python.packages import get_package_share_directory
from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument, OpaqueFunction
from launch.substitutions import LaunchConfiguration
from launch_ros.actions import Node

OVERRIDES = {
    'model': 'base model: embedded, a .gguf file, a model folder or a hub id',
    'adapter': 'prompt-weight folder, or none for the bare base model',
    'device': 'auto, cuda or cpu',
    'robot': 'robot description YAML (turtlesim when the params file gives none either)',
}


def start_node(context):
    """Return the node, with the override arguments that were given on top of the params file."""
    overrides = {name: LaunchConfiguration(name).perform(context) for name in OVERRIDES}
    return [Node(
        package='ros2_prompt_tuning',
        executable='prompt_tuning_node',
        name='prompt_tuning_node',
        namespace=LaunchConfiguration('namespace'),
        output='screen',
        emulate_tty=True,
        parameters=[LaunchConfiguration('params_file'),
                    {name: value for name, value in overrides.items() if value}],
    )]


def generate_launch_description():
    """Return the launch description of the node and its arguments."""
    default_params = os.path.join(get_package_share_directory('ros2_prompt_tuning'), 'config',
                                  'prompt_tuning.yaml')
    arguments = [
        DeclareLaunchArgument('namespace', default_value='',
                              description='namespace of the node and its topics'),
        DeclareLaunchArgument('params_file', default_value=default_params,
                              description='ROS parameters file of the node'),
    ] + [
        DeclareLaunchArgument(name, default_value='',
                              description=f'{text} (empty: the params file decides)')
        for name, text in OVERRIDES.items()
    ]
    return LaunchDescription(arguments + [OpaqueFunction(function=start_node)])
