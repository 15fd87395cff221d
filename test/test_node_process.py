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

"""prompt_tuning_node's ``main`` as a process: signals, exit status, a model that fails."""

import gc
import os
import random
import signal
import subprocess
import sys
import time

from lint_paths import ROOT
import pytest
import rclpy
from rclpy.executors import SingleThreadedExecutor
from std_msgs.msg import String

# The node's main with a stand-in model that finishes a row of its batch every 0.3 s, or
# that fails to load as a prompt-weight folder without metadata does.
SCRIPT = """
import sys
import time

from ros2_prompt_tuning.adapter import read_metadata
from ros2_prompt_tuning.generation import Reply
from ros2_prompt_tuning.node import main


class SlowGenerator:
    def __init__(self, model, adapter, device, max_new_tokens, robot, precision='auto'):
        if sys.argv[1] == 'fail':
            read_metadata(sys.argv[2])
        if sys.argv[1] == 'hang':
            time.sleep(600)
        self.max_new_tokens = max_new_tokens

    def generate(self, requests, on_reply=None):
        replies = []
        for index, request in enumerate(requests):
            time.sleep(0.3)
            replies.append(Reply(request, True, request))
            if on_reply:
                on_reply(index, replies[-1])
        return replies


sys.exit(main(['node'], generator_factory=SlowGenerator))
"""
CLEAR = 'ros2 service call /clear std_srvs/srv/Empty'


def start(mode, argument, log_path):
    """Start the node process on an isolated domain; return ``(process, domain_id)``."""
    domain_id = random.Random(os.getpid() + len(mode)).randint(100, 200)
    env = dict(os.environ, ROS_DOMAIN_ID=str(domain_id),
               ROS_AUTOMATIC_DISCOVERY_RANGE='LOCALHOST',
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get('PYTHONPATH', '')]))
    with open(log_path, 'w') as log:
        process = subprocess.Popen([sys.executable, '-c', SCRIPT, mode, argument], env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
    return process, domain_id


@pytest.mark.ros
@pytest.mark.parametrize('signal_number', [signal.SIGINT, signal.SIGTERM])
def test_a_signal_ends_the_node_with_every_request_accounted_for(signal_number, tmp_path):
    log_path = tmp_path / 'node.log'
    process, domain_id = start('serve', '', log_path)
    context = rclpy.context.Context()
    rclpy.init(context=context, domain_id=domain_id)
    client = rclpy.create_node('client', context=context)
    replies, rejected = [], []
    client.create_subscription(String, 'generated_command',
                               lambda message: replies.append(message.data), 50)
    client.create_subscription(String, 'prompt_tuning_node/rejected',
                               lambda message: rejected.append(message.data), 50)
    publisher = client.create_publisher(String, 'nl_command', 50)
    executor = SingleThreadedExecutor(context=context)
    executor.add_node(client)
    try:
        deadline = time.monotonic() + 60.0
        while not (publisher.get_subscription_count()
                   and client.count_publishers('prompt_tuning_node/rejected')):
            assert time.monotonic() < deadline, log_path.read_text()
            executor.spin_once(timeout_sec=0.05)
        sent = 20  # more than two batches of 8: some are still queued at the signal
        for _ in range(sent):
            publisher.publish(String(data=CLEAR))
        while len(replies) < 2:
            assert time.monotonic() < deadline, log_path.read_text()
            executor.spin_once(timeout_sec=0.05)
        signalled = time.monotonic()
        process.send_signal(signal_number)
        status = process.wait(timeout=30)
        stopped_s = time.monotonic() - signalled
        while len(replies) + len(rejected) < sent and time.monotonic() < deadline:
            executor.spin_once(timeout_sec=0.05)
    finally:
        if process.poll() is None:
            process.kill()
        executor.shutdown()
        client.destroy_node()
        rclpy.try_shutdown(context=context)
        gc.collect()
    print(f'\n{signal.Signals(signal_number).name}: exit {status} after {stopped_s:.2f} s; '
          f'{len(replies)} published, {len(rejected)} rejected of {sent}')
    log = log_path.read_text()
    assert status == 0, log
    assert len(replies) + len(rejected) == sent and len(rejected) >= 1, log
    assert all('"reason": "shutdown"' in report for report in rejected)
    assert f'{signal.Signals(signal_number).name}: stopping' in log


@pytest.mark.ros
def test_a_model_that_fails_to_load_ends_the_node_with_one_line_and_status_1(tmp_path):
    log_path = tmp_path / 'node.log'
    (tmp_path / 'weights').mkdir()
    process, _ = start('fail', str(tmp_path / 'weights'), log_path)
    assert process.wait(timeout=60) == 1
    lines = [line for line in log_path.read_text().splitlines() if 'cannot load' in line]
    assert len(lines) == 1
    assert str(tmp_path / 'weights') in lines[0] and 'adapter_config.json' in lines[0]


@pytest.mark.ros
def test_a_signal_while_the_model_loads_ends_the_node_with_status_0(tmp_path):
    log_path = tmp_path / 'node.log'
    process, _ = start('hang', '', log_path)
    deadline = time.monotonic() + 60.0
    while 'loading model' not in log_path.read_text():
        assert time.monotonic() < deadline and process.poll() is None, log_path.read_text()
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0, log_path.read_text()
    assert 'stopped while the model was loading' in log_path.read_text()
