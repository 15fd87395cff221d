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
launch_testing: the installed launch file starts the node, which answers a request.

Runs where ``launch_testing`` is importable (a sourced ROS 2 Jazzy workspace with this
package built: ``colcon test``, ``pytest test/test_launch_node.py`` or ``launch_test
test/test_launch_node.py``); it uses the real embedded model on the CPU.
"""

import os
from pathlib import Path
import sys
import unittest

import pytest
import rclpy

launch_testing = pytest.importorskip(
    'launch_testing', reason='launch_testing is not installed (a ROS 2 Jazzy installation '
    'has it; it is not on PyPI)')
REQUEST = 'clear the drawing'
SCRIPTS = Path(__file__).resolve().parent.parent / 'scripts'


@pytest.mark.launch_test
def generate_test_description():
    """Start the package's installed launch file on the CPU, then run the tests."""
    from ament_index_python.packages import get_package_share_directory
    from launch import LaunchDescription
    from launch.actions import IncludeLaunchDescription
    from launch.launch_description_sources import PythonLaunchDescriptionSource
    import launch_testing.actions
    return LaunchDescription([
        IncludeLaunchDescription(
            PythonLaunchDescriptionSource(os.path.join(
                get_package_share_directory('ros2_prompt_tuning'), 'launch',
                'prompt_tuning.launch.py')),
            launch_arguments={'device': 'cpu'}.items()),
        launch_testing.actions.ReadyToTest(),
    ])


class TestTheLaunchedNode(unittest.TestCase):
    """The node started by the launch file answers over its topics."""

    def test_a_request_gets_one_outcome(self, proc_output):
        """Send one request; expect a command line or a rejection report for it."""
        sys.path.insert(0, str(SCRIPTS))
        from ask import ask
        sys.path.remove(str(SCRIPTS))
        context = rclpy.context.Context()
        rclpy.init(context=context)
        try:
            [(request, answer, _)] = list(ask([REQUEST], timeout_s=300.0, context=context))
        finally:
            rclpy.try_shutdown(context=context)
        self.assertEqual(request, REQUEST)
        if isinstance(answer, dict):
            self.assertEqual(answer['request'], REQUEST)
            self.assertTrue(answer['reason'])
        else:
            self.assertTrue(answer.startswith(('ros2 ', 'UNSUPPORTED')), answer)
        proc_output.assertWaitFor('model loaded in', timeout=10)


@launch_testing.post_shutdown_test()
class TestTheNodeStopsCleanly(unittest.TestCase):
    """The node exits with status 0 when the launch ends it."""

    def test_exit_status(self, proc_info):
        """Check every launched process exited with 0."""
        import launch_testing.asserts
        launch_testing.asserts.assertExitCodes(proc_info)

    def test_log_holds_log_lines_only(self, proc_output):
        """Every line the node wrote is an INFO log line or the rejection of the request."""
        text = b''.join(output.text for output in proc_output).decode(errors='replace')
        for line in text.splitlines():
            self.assertRegex(line, r'\[INFO\]|\[WARN\] .*: rejected request 1 ')
