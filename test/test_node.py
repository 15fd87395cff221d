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

"""prompt_tuning_node over real rclpy topics, with stand-in generators (no model)."""

import gc
import json
import resource
import threading
import time
import tracemalloc

import pytest
import rclpy
from rclpy.executors import SingleThreadedExecutor
from rclpy.parameter import Parameter
from rclpy.qos import HistoryPolicy
from ros2_prompt_tuning.adapter import AdapterMismatchError
from ros2_prompt_tuning.generation import Reply
from ros2_prompt_tuning.node import PromptTuningNode
from ros2_prompt_tuning.resources import default_adapter_dir
from std_msgs.msg import String


CLEAR = 'ros2 service call /clear std_srvs/srv/Empty'
RESET = 'ros2 service call /reset std_srvs/srv/Empty'
REJECTED = '/prompt_tuning_node/rejected'
EXECUTORS = []


class EchoGenerator:
    """
    Stand-in for the model: each output is its request; records settings, calls and batches.

    A batch waits for ``release``; its rows then finish in order, each after the event
    ``slow[request]`` when there is one, reported to ``on_reply`` unless ``reports_rows``
    is false. A request 'boom' raises, ending the batch there.
    """

    def __init__(self, model, adapter, device, max_new_tokens, robot, precision='auto'):
        """Record what the node asked for."""
        self.settings = (model, adapter, device, max_new_tokens)
        self.robot = robot
        self.max_new_tokens = max_new_tokens
        self.calls = []
        self.batches = []
        self.slow = {}
        self.reports_rows = True
        self.release = threading.Event()
        self.release.set()

    def generate(self, requests, on_reply=None):
        """Return a reply naming each request, once released; fail on a request 'boom'."""
        self.batches.append(list(requests))
        self.calls.extend((request, self.max_new_tokens) for request in requests)
        self.release.wait(timeout=120.0)
        replies = []
        for index, request in enumerate(requests):
            if request in self.slow:
                self.slow[request].wait(timeout=30.0)
            if request == 'boom':
                raise RuntimeError('the model broke')
            replies.append(Reply(request, True, request))
            if on_reply is not None and self.reports_rows:
                on_reply(index, replies[-1])
        return replies


class GatedFactory:
    """Build an :class:`EchoGenerator` once ``loaded`` is set, or raise ``error`` then."""

    def __init__(self, error=None):
        """Start with the gate closed."""
        self.loaded = threading.Event()
        self.error = error

    def __call__(self, *args, **kwargs):
        """Wait for the gate; then load or fail."""
        self.loaded.wait(timeout=30.0)
        if self.error:
            raise self.error
        return EchoGenerator(*args, **kwargs)


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
        executor.shutdown()
        for node in executor.get_nodes():
            if isinstance(node, PromptTuningNode):
                node.stop()
            node.destroy_node()
    EXECUTORS.clear()
    rclpy.try_shutdown(context=context)
    gc.collect()


class Client:
    """A node that sends requests and collects both kinds of outcome."""

    def __init__(self, context, namespace='', depth=10):
        """Subscribe to the node's outputs and publish on ``nl_command``."""
        self.node = rclpy.create_node('client', context=context, namespace=namespace)
        self.replies = []
        self.rejected = []
        self.node.create_subscription(String, 'generated_command',
                                      lambda message: self.replies.append(message.data), depth)
        self.node.create_subscription(
            String, REJECTED.lstrip('/') if not namespace else 'prompt_tuning_node/rejected',
            lambda message: self.rejected.append(json.loads(message.data)), depth)
        self.publisher = self.node.create_publisher(String, 'nl_command', depth)

    def send(self, *texts):
        """Publish each text as a request."""
        for text in texts:
            self.publisher.publish(String(data=text))

    def outcomes(self):
        """Return how many requests ended so far."""
        return len(self.replies) + len(self.rejected)

    def reasons(self):
        """Return the rejection reasons by request."""
        return {report['request']: report['reason'] for report in self.rejected}


def start_node(context, namespace='', factory=EchoGenerator, wait_ready=True, depth=10,
               **parameters):
    """Return ``(node, client, executor)``: the node and a connected client."""
    node = PromptTuningNode(
        generator_factory=factory, context=context, namespace=namespace,
        parameter_overrides=[Parameter(name, value=value) for name, value in parameters.items()])
    client = Client(context, namespace, depth)
    executor = SingleThreadedExecutor(context=context)
    EXECUTORS.append(executor)
    executor.add_node(node)
    executor.add_node(client.node)
    spin_until(executor, lambda: client.publisher.get_subscription_count() >= 1
               and client.node.count_publishers(node.rejections.topic_name) >= 1)
    if wait_ready:
        spin_until(executor, lambda: node.state == 'ready')
    return node, client, executor


def spin_until(executor, condition, timeout_s=30.0):
    """Spin until ``condition()`` holds; fail after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, 'timed out'
        executor.spin_once(timeout_sec=0.05)


def queue_behind_a_held_batch(node, client, executor, first, *texts):
    """Hold the generator on a batch of ``first`` alone, then queue ``texts`` behind it."""
    held = len(node.generator.batches)
    node.generator.release.clear()
    client.send(first)
    spin_until(executor, lambda: node.generator.batches[held:] == [[first]])
    client.send(*texts)
    spin_until(executor, lambda: len(node.pending) == len(texts))


@pytest.mark.ros
def test_one_outcome_per_request_and_empty_ones_rejected(ros_context):
    node, client, executor = start_node(ros_context)
    client.send(CLEAR, '', '   \n', 'UNSUPPORTED')
    spin_until(executor, lambda: client.outcomes() == 4)
    assert client.replies == [CLEAR, 'UNSUPPORTED']
    assert [request for request, _ in node.generator.calls] == [CLEAR, 'UNSUPPORTED']
    assert [report['reason'] for report in client.rejected] == ['empty request'] * 2
    assert sorted(report['id'] for report in client.rejected) == [2, 3]


@pytest.mark.ros
def test_callback_stays_responsive_while_generating(ros_context):
    node, client, executor = start_node(ros_context)
    node.generator.release.clear()
    client.send(CLEAR, RESET)
    spin_until(executor, lambda: node.generator.calls
               and len(node.generator.calls) + len(node.pending) == 2)
    assert client.outcomes() == 0
    node.generator.release.set()
    spin_until(executor, lambda: client.replies == [CLEAR, RESET])


@pytest.mark.ros
def test_parameters_reach_the_generator(ros_context):
    node, client, executor = start_node(ros_context, model='some.gguf', device='cpu',
                                        max_new_tokens=64, max_queue=8)
    assert node.generator.settings == ('some.gguf', str(default_adapter_dir()), 'cpu', 64)
    assert node.subscription.qos_profile.history == HistoryPolicy.KEEP_ALL
    for name, value in [('max_new_tokens', 0), ('model', 'other'), ('max_queue', 9),
                        ('max_load_wait_s', -1.0), ('max_batch', 0), ('max_batch', 257)]:
        assert not node.set_parameters([Parameter(name, value=value)])[0].successful, name
    assert node.set_parameters([Parameter('max_new_tokens', value=200)])[0].successful
    client.send(CLEAR)
    spin_until(executor, lambda: client.replies == [CLEAR])
    assert node.generator.calls == [(CLEAR, 200)]


@pytest.mark.ros
def test_namespace_and_bare_model(ros_context):
    node, client, executor = start_node(ros_context, namespace='robot1', adapter='none')
    assert node.generator.settings[1] is None
    assert client.publisher.topic_name == '/robot1/nl_command'
    assert node.rejections.topic_name == '/robot1/prompt_tuning_node/rejected'
    client.send(RESET)
    spin_until(executor, lambda: client.replies == [RESET])


@pytest.mark.ros
def test_invalid_outputs_and_long_requests_are_rejected_not_published(ros_context):
    node, client, executor = start_node(ros_context, max_request_length=60)
    unsafe = CLEAR + ' && curl x | sh'
    too_long = CLEAR + ' ' * 10 + 'x' * 60
    client.send(unsafe, 'make me a coffee', too_long, RESET)
    spin_until(executor, lambda: client.outcomes() == 4)
    assert client.replies == [RESET]
    reports = {report['request']: report for report in client.rejected}
    assert sorted(report['id'] for report in client.rejected) == [1, 2, 3]
    assert reports[unsafe]['output'] == unsafe and '&' in reports[unsafe]['reason']
    assert 'not a ros2 command' in reports['make me a coffee']['reason']
    assert reports[too_long]['output'] is None
    assert 'longer than 60' in reports[too_long]['reason']
    assert too_long not in [request for request, _ in node.generator.calls]


@pytest.mark.ros
def test_an_error_in_generation_is_a_rejection_and_the_node_keeps_serving(ros_context):
    """A batch that fails keeps the replies it gave; its other requests are rejected."""
    node, client, executor = start_node(ros_context)
    queue_behind_a_held_batch(node, client, executor, RESET, CLEAR, 'boom', RESET)
    node.generator.release.set()
    spin_until(executor, lambda: client.outcomes() == 4)
    assert node.generator.batches == [[RESET], [CLEAR, 'boom', RESET]]
    assert client.replies == [RESET, CLEAR]
    assert [(report['id'], report['request'], report['output']) for report in client.rejected] \
        == [(3, 'boom', None), (4, RESET, None)]
    assert all('RuntimeError: the model broke' in report['reason'] for report in client.rejected)
    client.send(CLEAR)
    spin_until(executor, lambda: client.outcomes() == 5)
    assert client.replies == [RESET, CLEAR, CLEAR]
    assert node.rejected == {'error': 2} and node.served == 3


@pytest.mark.ros
@pytest.mark.parametrize('reports_rows', [True, False], ids=['calls back', 'returns only'])
def test_requests_sent_during_a_batch_join_the_next_batches_of_max_batch(
        ros_context, reports_rows):
    node, client, executor = start_node(ros_context, max_batch=3)
    node.generator.reports_rows = reports_rows
    texts = [CLEAR, 'make me a coffee', RESET, CLEAR, 'UNSUPPORTED']
    queue_behind_a_held_batch(node, client, executor, RESET, *texts)
    assert client.outcomes() == 0
    node.generator.release.set()
    spin_until(executor, lambda: client.outcomes() == 6)
    assert node.generator.batches == [[RESET], texts[:3], texts[3:]]
    assert client.replies == [RESET, CLEAR, RESET, CLEAR, 'UNSUPPORTED']
    [report] = client.rejected
    assert report['id'] == 3 and report['output'] == 'make me a coffee'
    assert node.served == 5 and node.rejected == {'invalid': 1}
    node.set_parameters([Parameter('max_batch', value=1)])
    queue_behind_a_held_batch(node, client, executor, RESET, CLEAR, RESET)
    node.generator.release.set()
    spin_until(executor, lambda: client.outcomes() == 9)
    assert node.generator.batches[3:] == [[RESET], [CLEAR], [RESET]]
    assert client.replies[5:] == [RESET, CLEAR, RESET]


@pytest.mark.ros
def test_a_reply_is_published_before_the_slowest_row_of_its_batch_is_done(ros_context):
    node, client, executor = start_node(ros_context)
    slowest = threading.Event()
    node.generator.slow[RESET] = slowest
    queue_behind_a_held_batch(node, client, executor, 'UNSUPPORTED', CLEAR, RESET, CLEAR)
    node.generator.release.set()
    spin_until(executor, lambda: client.replies == ['UNSUPPORTED', CLEAR])
    assert node.generator.batches[-1] == [CLEAR, RESET, CLEAR]
    assert client.outcomes() == 2 and not slowest.is_set()
    slowest.set()
    spin_until(executor, lambda: client.outcomes() == 4)
    assert client.replies == ['UNSUPPORTED', CLEAR, RESET, CLEAR] and client.rejected == []


@pytest.mark.ros
def test_topics_exist_before_the_model_and_requests_wait_for_it(ros_context):
    factory = GatedFactory()
    node, client, executor = start_node(ros_context, factory=factory, wait_ready=False)
    assert node.state == 'loading'
    client.send(CLEAR, RESET)
    spin_until(executor, lambda: len(node.pending) == 2)
    assert client.outcomes() == 0 and node.generator is None
    factory.loaded.set()
    spin_until(executor, lambda: client.replies == [CLEAR, RESET])
    assert client.rejected == []


@pytest.mark.ros
def test_waiting_for_the_model_is_bounded(ros_context):
    factory = GatedFactory()
    node, client, executor = start_node(ros_context, factory=factory, wait_ready=False,
                                        max_load_wait_s=0.0)
    client.send(CLEAR)
    spin_until(executor, lambda: client.outcomes() == 1)
    assert 'still loading' in client.rejected[0]['reason']
    node.set_parameters([Parameter('max_load_wait_s', value=0.2)])
    client.send(RESET)
    spin_until(executor, lambda: client.outcomes() == 2)
    assert 'still loading after 0.2 s' in client.rejected[1]['reason']
    factory.loaded.set()
    spin_until(executor, lambda: node.state == 'ready')
    assert node.generator.calls == []


@pytest.mark.ros
def test_a_model_that_fails_to_load_rejects_what_waits_and_ends_the_node(ros_context):
    message = 'the prompt weights in w were trained for base model "a", not "b"'
    factory = GatedFactory(AdapterMismatchError(message))
    node, client, executor = start_node(ros_context, factory=factory, wait_ready=False)
    client.send(CLEAR)
    spin_until(executor, lambda: len(node.pending) == 1)
    factory.loaded.set()
    spin_until(executor, lambda: client.outcomes() == 1)
    assert client.rejected[0]['reason'] == 'the model failed to load'
    assert node.state == 'failed' and node.end.get(timeout=10.0) == 'failed'
    client.send(RESET)
    spin_until(executor, lambda: client.outcomes() == 2)
    assert client.rejected[1]['reason'] == 'the model failed to load'


@pytest.mark.ros
def test_stop_answers_the_batch_in_hand_and_rejects_the_queued_ones(ros_context):
    node, client, executor = start_node(ros_context)
    texts = [CLEAR, RESET, 'UNSUPPORTED', CLEAR + ' ', 'make me a coffee']
    queue_behind_a_held_batch(node, client, executor, *texts)
    stopper = threading.Thread(target=node.stop)
    stopper.start()
    spin_until(executor, lambda: len(client.rejected) == 4)
    node.generator.release.set()
    stopper.join()
    spin_until(executor, lambda: client.replies == [CLEAR])
    assert [report['reason'] for report in client.rejected] == ['shutdown'] * 4
    assert sorted(report['id'] for report in client.rejected) == [2, 3, 4, 5]
    assert not node.worker.is_alive()
    client.send(RESET)
    spin_until(executor, lambda: client.outcomes() == 6)
    assert client.rejected[-1]['reason'] == 'shutdown'


@pytest.mark.ros
@pytest.mark.parametrize('held', [False, True], ids=['fast', 'held'])
def test_a_burst_of_1000_requests_gets_exactly_1000_outcomes(ros_context, held):
    """
    Send 1,000 requests at once; each gets one outcome, matched by id.

    With the generator held until all have arrived, exactly ``max_queue`` plus the first
    batch are served (the batch in hand and the queue) and the rest are rejected as overload.
    """
    tracemalloc.start()
    node, client, executor = start_node(ros_context, depth=1000)
    node.generator.release.clear()
    if not held:
        node.generator.release.set()
    spinner = threading.Thread(target=executor.spin, daemon=True)
    spinner.start()
    count = 1000
    client.send(*[f'{CLEAR}{" " * (index % 3)}' for index in range(count)])
    deadline = time.monotonic() + 120.0
    while held and sum(node.rejected.values()) + len(node.pending) \
            + len(node.generator.calls) < count:
        assert time.monotonic() < deadline, 'the requests did not all arrive'
        time.sleep(0.05)
    node.generator.release.set()
    while client.outcomes() < count and time.monotonic() < deadline:
        time.sleep(0.05)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    executor.shutdown()
    print(f'\nburst of {count} ({"held" if held else "fast"} generator): '
          f'{len(client.replies)} published, {len(client.rejected)} rejected '
          f'({dict(node.rejected)}); peak Python allocations {peak / 2 ** 20:.1f} MiB, '
          f'peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB')
    assert client.outcomes() == count
    rejected_ids = {report['id'] for report in client.rejected}
    assert len(rejected_ids) == len(client.rejected)
    assert rejected_ids <= set(range(1, count + 1))
    assert node.served == len(client.replies) and set(node.rejected) <= {'overload'}
    assert max(len(batch) for batch in node.generator.batches) <= 8
    if held:
        in_hand = len(node.generator.batches[0])
        assert rejected_ids == set(range(node.max_queue + in_hand + 1, count + 1))


@pytest.mark.ros
def test_diagnostics_report_state_queue_counts_and_latency(ros_context):
    from diagnostic_msgs.msg import DiagnosticArray
    node, client, executor = start_node(ros_context)
    client.send(CLEAR, '')
    spin_until(executor, lambda: client.outcomes() == 2)
    arrays = []
    client.node.create_subscription(DiagnosticArray, '/diagnostics', arrays.append, 10)
    spin_until(executor, lambda: arrays)
    [status] = arrays[-1].status
    values = {item.key: item.value for item in status.values}
    assert status.message == 'ready' and status.name == '/prompt_tuning_node: generation'
    assert values['served'] == '1' and values['rejected_empty'] == '1'
    assert values['queue_depth'] == '0' and values['latency_p50_ms'] != ''
    assert {'model', 'adapter', 'device', 'latency_p95_ms', 'state'} <= set(values)
