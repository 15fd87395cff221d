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

from glob import glob
import os

from setuptools import find_packages, setup

package_name = 'ros2_prompt_tuning'


def share_tree(folder):
    """List (install dir, files) pairs that mirror ``folder`` under ``share/<package>``."""
    pairs = []
    for root, _, files in os.walk(folder):
        if files:
            pairs.append((os.path.join('share', package_name, root),
                          [os.path.join(root, name) for name in sorted(files)]))
    return pairs


setup(
    name=package_name,
    version='0.1.0',
    packages=find_packages(exclude=['test']),
    data_files=[
        ('share/ament_index/resource_index/packages', ['resource/' + package_name]),
        ('share/' + package_name, ['package.xml']),
        ('share/' + package_name + '/launch', glob('launch/*.launch.py')),
        ('share/' + package_name + '/config', glob('config/*.yaml')),
        ('share/' + package_name + '/robots', glob('robots/*.yaml')),
    ] + share_tree('data') + share_tree('weights'),
    install_requires=['setuptools'],
    zip_safe=True,
    maintainer='ros2_prompt_tuning maintainers',
    maintainer_email='maintainers@ros2-prompt-tuning.invalid',
    description='Natural language to ros2 CLI commands with a prompt-tuned language model.',
    license='Apache-2.0',
    extras_require={'test': ['pytest']},
    entry_points={
        'console_scripts': [
            'prompt_tuning_node = ros2_prompt_tuning.node:main',
            'train = ros2_prompt_tuning.train:main',
            'evaluate = ros2_prompt_tuning.evaluate:main',
            'import = ros2_prompt_tuning.tutorial_import:main',
            'benchmark = ros2_prompt_tuning.benchmark:main',
            'build_data = ros2_prompt_tuning.build_data:main',
            'calibrate = ros2_prompt_tuning.calibrate:main',
        ],
    },
)
