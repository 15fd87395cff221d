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

"""prompt_tuning_node over real rclpy topics, with a stand-in generator (no model)."""

import gc
import json
import threading
import time

import pytest
import rclpy
from rclpy.executors import SingleThreadedExecutor
from rclpy.parameter import Parameter
from ros2_prompt_tuning.generation import Reply
from ros2_prompt_tuning.node import PromptTuningNode
from ros2_prompt_tuning.resources import default_adapter_dir
from std_msgs.msg import String


CLEAR = 'ros2 service call /clear std_srvs/srv/Empty'
RESET = 'ros2 service call /reset std_srvs/srv/Empty'
EXECUTORS = []


class EchoGenerator:
    """Stand-in for the model: its output is the request itself; records its settings."""

    def __init__(self, model, adapter, device, max_new_tokens, robot):
        """Record what the node asked for."""
        self.settings = (model, adapter, device, max_new_tokens)
        self.robot = robot
        self.max_new_tokens = max_new_tokens
        self.calls = []
        self.release = threading.Event()
        self.release.set()

    def __call__(self, request):
        """Return a reply naming the request, once released."""
        self.calls.append(request)
        self.release.wait(timeout=10.0)
        return Reply(request, True, request)


@pytest.fixture
def ros_context():
    """
    Yield a private, initialised rclpy context; destroy what the test made on it afterwards.

    Nothing of rclpy may be left for the garbage collector: a later fork (flake8's worker
    pool) would collect it in the child and crash there.
    """
    context = rclpy.context.Context()
    rclpy.init(context=context)
    yield context
    for executor in EXECUTORS:
        for node in executor.get_nodes():
            if isinstance(node, PromptTuningNode):
                node.stop()
            node.destroy_node()
        executor.shutdown()
    EXECUTORS.clear()
    rclpy.try_shutdown(context=context)
    gc.collect()


def start_node(context, namespace='', **parameters):
    """Return ``(node, publisher, executor, replies)`` with a client on the node's topics."""
    node = PromptTuningNode(
        generator_factory=EchoGenerator, context=context, namespace=namespace,
        parameter_overrides=[Parameter(name, value=value) for name, value in parameters.items()])
    client = rclpy.create_node('client', context=context, namespace=namespace)
    replies = []
    client.create_subscription(String, 'generated_command',
                               lambda message: replies.append(message.data), 10)
    publisher = client.create_publisher(String, 'nl_command', 10)
    executor = SingleThreadedExecutor(context=context)
    EXECUTORS.append(executor)
    executor.add_node(node)
    executor.add_node(client)
    spin_until(executor, lambda: publisher.get_subscription_count() == 1)
    return node, publisher, executor, replies


def spin_until(executor, condition, timeout_s=10.0):
    """Spin until ``condition()`` holds; fail after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, 'timed out'
        executor.spin_once(timeout_sec=0.05)


@pytest.mark.ros
def test_one_reply_per_non_empty_request(ros_context):
    node, publisher, executor, replies = start_node(ros_context)
    for text in [CLEAR, '', '   \n', 'UNSUPPORTED']:
        publisher.publish(String(data=text))
    spin_until(executor, lambda: len(replies) == 2)
    executor.spin_once(timeout_sec=0.3)
    assert replies == [CLEAR, 'UNSUPPORTED']
    assert node.generator.calls == [CLEAR, 'UNSUPPORTED']


@pytest.mark.ros
def test_callback_stays_responsive_while_generating(ros_context):
    node, publisher, executor, replies = start_node(ros_context)
    node.generator.release.clear()
    publisher.publish(String(data=CLEAR))
    publisher.publish(String(data=RESET))
    spin_until(executor, lambda: node.generator.calls == [CLEAR])
    spin_until(executor, lambda: node.requests.qsize() == 1)
    assert replies == []
    node.generator.release.set()
    spin_until(executor, lambda: replies == [CLEAR, RESET])


@pytest.mark.ros
def test_parameters_reach_the_generator(ros_context):
    node, _, _, _ = start_node(ros_context, model='some.gguf', device='cpu', max_new_tokens=64)
    assert node.generator.settings == ('some.gguf', str(default_adapter_dir()), 'cpu', 64)
    assert not node.set_parameters([Parameter('max_new_tokens', value=0)])[0].successful
    assert not node.set_parameters([Parameter('model', value='other')])[0].successful
    assert node.set_parameters([Parameter('max_new_tokens', value=200)])[0].successful
    assert node.generator.max_new_tokens == 200


@pytest.mark.ros
def test_namespace_and_bare_model(ros_context):
    node, publisher, executor, replies = start_node(ros_context, namespace='robot1',
                                                    adapter='none')
    assert node.generator.settings[1] is None
    assert publisher.topic_name == '/robot1/nl_command'
    publisher.publish(String(data=RESET))
    spin_until(executor, lambda: replies == [RESET])


@pytest.mark.ros
def test_invalid_outputs_and_long_requests_are_rejected_not_published(ros_context):
    node, publisher, executor, replies = start_node(ros_context, max_request_length=60)
    rejected = []
    listener = rclpy.create_node('listener', context=ros_context)
    listener.create_subscription(String, '/prompt_tuning_node/rejected',
                                 lambda message: rejected.append(json.loads(message.data)), 10)
    executor.add_node(listener)
    spin_until(executor, lambda: listener.count_publishers('/prompt_tuning_node/rejected'))
    unsafe = CLEAR + ' && curl x | sh'
    too_long = CLEAR + ' ' * 10 + 'x' * 60
    for text in [unsafe, 'make me a coffee', too_long, RESET]:
        publisher.publish(String(data=text))
    spin_until(executor, lambda: replies == [RESET] and len(rejected) == 3)
    assert [report['request'] for report in rejected] == [unsafe, 'make me a coffee', too_long]
    assert rejected[0]['output'] == unsafe and '&' in rejected[0]['reason']
    assert 'not a ros2 command' in rejected[1]['reason']
    assert rejected[2]['output'] is None and 'longer than 60' in rejected[2]['reason']
    assert too_long not in node.generator.calls
