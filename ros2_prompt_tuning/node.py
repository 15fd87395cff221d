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

"""ROS 2 node: requests on ``nl_command`` in, one command line on ``generated_command`` out."""

from collections import Counter, deque
import itertools
import json
import os
import queue
import signal
import sys
import threading
import time
import traceback

from diagnostic_msgs.msg import DiagnosticArray, DiagnosticStatus, KeyValue
from rcl_interfaces.msg import FloatingPointRange, IntegerRange, ParameterDescriptor
import rclpy
from rclpy.executors import SingleThreadedExecutor
from rclpy.node import Node
from rclpy.qos import HistoryPolicy, QoSProfile, ReliabilityPolicy
from rclpy.signals import SignalHandlerOptions
from ros2_prompt_tuning.generation import CommandGenerator, DEFAULT_MAX_NEW_TOKENS
from ros2_prompt_tuning.resources import default_adapter_dir, EMBEDDED_MODEL
from ros2_prompt_tuning.robot import default_robot, RobotDescription
from ros2_prompt_tuning.validator import canonical, check_line
from std_msgs.msg import String

MAX_NEW_TOKENS_LIMIT = 1024
DEFAULT_MAX_BATCH = 8
MAX_BATCH_LIMIT = 256
DEFAULT_MAX_REQUEST_LENGTH = 500
DEFAULT_MAX_QUEUE = 32
DEFAULT_MAX_LOAD_WAIT_S = 120.0
LATENCY_WINDOW = 200
SHUTDOWN_JOIN_S = 60.0


def percentile(values, share):
    """Return the ``share`` (0-1) percentile of ``values`` (nearest rank), or ``None``."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def startup_line(total_seconds, step_seconds):
    """Return the start-up log line: the total, then each timed step (name -> seconds)."""
    steps = ', '.join(f'{name.replace("_", " ")} {seconds:.2f} s'
                      for name, seconds in step_seconds.items())
    return f'model loaded in {total_seconds:.1f} s' + (f' ({steps})' if steps else '')


class PromptTuningNode(Node):
    """
    Answer each request on ``nl_command`` with exactly one outcome.

    The topics, parameters and diagnostics exist from the node's first moment; the model
    loads on a worker thread, which then answers the queued requests in order, up to
    ``max_batch`` of them decoded together, publishing each reply as soon as its row is done
    (requests that arrive meanwhile wait for the next batch). Each request gets a sequence
    number and ends either as its canonical command line on
    ``generated_command`` or as a report on ``~/rejected`` (JSON with ``id``, ``request``,
    the raw ``output`` and the ``reason``): an empty or too long request, a full queue, a
    wait for the model longer than ``max_load_wait_s``, an output that is cut off or fails
    validation, an error inside generation, a model that failed to load, or shutdown.

    :param generator_factory: builds the generator from ``(model, adapter, device,
        max_new_tokens, robot=..., precision=...)``; the default loads a real model. The node
        calls its ``generate(requests, on_reply=...)`` as :meth:`CommandGenerator.generate`
        and logs its ``startup_seconds``, when it has them, with the load time.
    """

    def __init__(self, generator_factory=CommandGenerator.load, **kwargs):
        """Declare parameters and topics, then start loading the model on the worker."""
        super().__init__('prompt_tuning_node', **kwargs)
        restart = 'read only: a change needs a restart'
        self.model = self.declare_parameter(
            'model', EMBEDDED_MODEL, ParameterDescriptor(
                description='base model: "embedded", a .gguf file, a folder or a hub id; '
                + restart, read_only=True)).value
        adapter = self.declare_parameter(
            'adapter', '', ParameterDescriptor(
                description='prompt-weight folder; empty = the shipped turtlesim weights, '
                '"none" = the bare base model; ' + restart, read_only=True)).value
        self.device = self.declare_parameter(
            'device', 'auto', ParameterDescriptor(
                description='auto (CUDA if present, else CPU), cuda or cpu; '
                + restart, read_only=True)).value
        self.precision = self.declare_parameter(
            'precision', 'auto', ParameterDescriptor(
                description='number format of the base model: auto (CUDA bf16, CPU the '
                'measured best), fp32, bf16 or int8 (CPU only); ' + restart,
                read_only=True)).value
        self.declare_parameter(
            'max_new_tokens', DEFAULT_MAX_NEW_TOKENS, ParameterDescriptor(
                description='token budget of one reply', integer_range=[IntegerRange(
                    from_value=1, to_value=MAX_NEW_TOKENS_LIMIT, step=1)]))
        self.declare_parameter(
            'max_batch', DEFAULT_MAX_BATCH, ParameterDescriptor(
                description='queued requests decoded together, at most; applies from the next '
                'batch', integer_range=[IntegerRange(from_value=1, to_value=MAX_BATCH_LIMIT,
                                                     step=1)]))
        self.declare_parameter(
            'max_request_length', DEFAULT_MAX_REQUEST_LENGTH, ParameterDescriptor(
                description='longest request (characters) handed to the model; longer ones '
                'are rejected', integer_range=[IntegerRange(from_value=1, to_value=100000,
                                                            step=1)]))
        self.max_queue = self.declare_parameter(
            'max_queue', DEFAULT_MAX_QUEUE, ParameterDescriptor(
                description='requests waiting for the model, at most; more are rejected; '
                + restart, read_only=True,
                integer_range=[IntegerRange(from_value=1, to_value=100000, step=1)])).value
        self.declare_parameter(
            'max_load_wait_s', DEFAULT_MAX_LOAD_WAIT_S, ParameterDescriptor(
                description='seconds a request may wait for the model to load before it is '
                'rejected; 0 = reject at once while loading', floating_point_range=[
                    FloatingPointRange(from_value=0.0, to_value=86400.0, step=0.0)]))
        robot_file = self.declare_parameter(
            'robot', '', ParameterDescriptor(
                description='robot description YAML the outputs are validated against; '
                'empty = the shipped turtlesim; ' + restart, read_only=True)).value
        if adapter == '':
            adapter = str(default_adapter_dir())
        elif adapter == 'none':
            adapter = None
        self.adapter = adapter
        self.robot_file = robot_file

        self.state = 'loading'
        self.generator = None
        self.robot = None
        self.sequence = itertools.count(1)
        self.pending = deque()
        self.condition = threading.Condition()
        self.stopping = False
        self.served = 0
        self.rejected = Counter()
        self.latencies_ms = deque(maxlen=LATENCY_WINDOW)
        # What ends the node: 'failed' (the model did not load) or a signal name.
        self.end = queue.SimpleQueue()

        self.publisher = self.create_publisher(String, 'generated_command', self.max_queue)
        self.rejections = self.create_publisher(String, '~/rejected', self.max_queue)
        self.diagnostics = self.create_publisher(DiagnosticArray, '/diagnostics', 10)
        self.subscription = self.create_subscription(
            String, 'nl_command', self.on_request,
            QoSProfile(history=HistoryPolicy.KEEP_ALL, reliability=ReliabilityPolicy.RELIABLE))
        self.timer = self.create_timer(1.0, self.on_timer)
        self.worker = threading.Thread(target=self.run, args=(generator_factory,),
                                       name='generation', daemon=True)
        self.worker.start()

    def on_request(self, message):
        """Give a request its number, then queue it or reject it at once (no model work here)."""
        number = next(self.sequence)
        request = message.data.strip()
        self.get_logger().debug(f'request {number}: {request!r}')
        limit = self.get_parameter('max_request_length').value
        if not request:
            self.reject(number, message.data, None, 'empty', 'empty request')
            return
        if len(request) > limit:
            self.reject(number, request, None, 'too_long',
                        f'request longer than {limit} characters (max_request_length)')
            return
        with self.condition:
            reason = None
            if self.stopping:
                kind, reason = 'shutdown', 'shutdown'
            elif self.state == 'failed':
                kind, reason = 'load_failed', 'the model failed to load'
            elif len(self.pending) >= self.max_queue:
                kind, reason = 'overload', f'overload: {self.max_queue} requests already wait ' \
                    '(max_queue)'
            elif self.state == 'loading' and self.get_parameter('max_load_wait_s').value == 0:
                kind, reason = 'load_wait', 'the model is still loading (max_load_wait_s 0)'
            else:
                self.pending.append((number, request, time.monotonic()))
                self.condition.notify()
        if reason:
            self.reject(number, request, None, kind, reason)
        else:
            self.get_logger().info(f'request {number} queued ({len(request)} characters)')

    def on_timer(self):
        """Reject requests that waited too long for the model to load; publish diagnostics."""
        expired = []
        limit = self.get_parameter('max_load_wait_s').value
        with self.condition:
            if self.state == 'loading':
                now = time.monotonic()
                while self.pending and now - self.pending[0][2] > limit:
                    expired.append(self.pending.popleft())
        for number, request, _ in expired:
            self.reject(number, request, None, 'load_wait',
                        f'the model was still loading after {limit:g} s (max_load_wait_s)')
        self.diagnostics.publish(self.diagnose())

    def diagnose(self):
        """Return the node's health as a ``DiagnosticArray``: state, queue, counts, latency."""
        with self.condition:
            state, depth = self.state, len(self.pending)
            served, rejected = self.served, dict(self.rejected)
            latencies = list(self.latencies_ms)
        level = {'ready': DiagnosticStatus.OK, 'loading': DiagnosticStatus.WARN}.get(
            state, DiagnosticStatus.ERROR)
        values = {'state': state, 'model': self.model, 'adapter': str(self.adapter),
                  'device': self.device, 'queue_depth': depth, 'max_queue': self.max_queue,
                  'served': served, 'rejected': sum(rejected.values())}
        values.update({f'rejected_{kind}': count for kind, count in sorted(rejected.items())})
        for name, share in (('latency_p50_ms', 0.5), ('latency_p95_ms', 0.95)):
            value = percentile(latencies, share)
            values[name] = '' if value is None else f'{value:.0f}'
        status = DiagnosticStatus(
            level=level, name=f'{self.get_fully_qualified_name()}: generation',
            message=state, hardware_id=self.device,
            values=[KeyValue(key=key, value=str(value)) for key, value in values.items()])
        array = DiagnosticArray(status=[status])
        array.header.stamp = self.get_clock().now().to_msg()
        return array

    def run(self, generator_factory):
        """Load the model, then answer queued requests, a batch at a time, until ``stop``."""
        logger = self.get_logger()
        logger.info(f'loading model "{self.model}" with prompt weights "{self.adapter}" on '
                    f'device "{self.device}" in precision "{self.precision}"')
        started = time.monotonic()
        try:
            self.robot = RobotDescription.load(self.robot_file) if self.robot_file \
                else default_robot()
            generator = generator_factory(self.model, self.adapter, self.device,
                                          self.get_parameter('max_new_tokens').value,
                                          robot=self.robot, precision=self.precision)
        except Exception as error:  # noqa: B902 - any failure ends the node with one line
            logger.debug(traceback.format_exc())
            logger.fatal(f'cannot load the model: {type(error).__name__}: {error}')
            with self.condition:
                self.state = 'failed'
                failed = list(self.pending)
                self.pending.clear()
            for number, request, _ in failed:
                self.reject(number, request, None, 'load_failed', 'the model failed to load')
            self.end.put('failed')
            return
        with self.condition:
            self.generator = generator
            self.state = 'ready'
            stopping = self.stopping
        if stopping:
            return
        logger.info(startup_line(time.monotonic() - started,
                                 getattr(generator, 'startup_seconds', {})))
        while True:
            with self.condition:
                while not self.pending and not self.stopping:
                    self.condition.wait()
                if self.stopping:
                    return
                size = min(self.get_parameter('max_batch').value, len(self.pending))
                batch = [self.pending.popleft() for _ in range(size)]
            self.answer(batch)

    def answer(self, batch):
        """
        Decode a batch of queued ``(number, request, arrival)`` together; one outcome each.

        Each reply is delivered as soon as the generator says its row is done; a request
        whose row gave no reply (an error inside generation) is rejected.
        """
        self.generator.max_new_tokens = self.get_parameter('max_new_tokens').value
        numbers = ', '.join(str(number) for number, _, _ in batch)
        self.get_logger().debug(f'decoding requests {numbers} together')
        started = time.monotonic()
        answered = set()

        def on_reply(index, reply):
            if index in answered:
                return
            answered.add(index)
            number, request, _ = batch[index]
            try:
                self.deliver(number, request, reply, (time.monotonic() - started) * 1000.0)
            except Exception as error:  # noqa: B902 - one bad reply must not end the batch
                self.get_logger().error(f'request {number} failed:\n{traceback.format_exc()}')
                self.reject(number, request, reply.text, 'error',
                            f'generation failed: {type(error).__name__}: {error}')

        try:
            replies = self.generator.generate([request for _, request, _ in batch],
                                              on_reply=on_reply)
            for index, reply in enumerate(replies):
                on_reply(index, reply)  # the rows the generator did not report as it went
            reason = 'generation failed: no reply'
        except Exception as error:  # noqa: B902 - a failed batch must not end the node
            self.get_logger().error(f'requests {numbers} failed:\n{traceback.format_exc()}')
            reason = f'generation failed: {type(error).__name__}: {error}'
        for index, (number, request, _) in enumerate(batch):
            if index not in answered:
                self.reject(number, request, None, 'error', reason)

    def deliver(self, number, request, reply, latency_ms):
        """Publish one reply if it is complete and valid, else report the rejection."""
        if reply.request != request:
            self.get_logger().debug(f'request {number} read as {reply.request!r}')
        if not reply.complete:
            self.reject(number, request, reply.text, 'cut_off',
                        'the reply was cut off by max_new_tokens')
            return
        valid, reason = check_line(reply.text, self.robot)
        if not valid:
            self.reject(number, request, reply.text, 'invalid', reason)
            return
        command = canonical(reply.text, self.robot)
        self.publisher.publish(String(data=command))
        with self.condition:
            self.served += 1
            self.latencies_ms.append(latency_ms)
        self.get_logger().info(f'request {number} -> {command!r} ({latency_ms:.0f} ms)')

    def reject(self, number, request, output, kind, reason):
        """Report request ``number`` on ``~/rejected`` and in the log; count it as ``kind``."""
        report = {'id': number, 'request': request, 'output': output, 'reason': reason}
        self.rejections.publish(String(data=json.dumps(report)))
        with self.condition:
            self.rejected[kind] += 1
        self.get_logger().warning(f'rejected request {number} ({len(request)} characters, '
                                  f'output {output!r}): {reason}')

    def stop(self):
        """Let the worker finish the batch in hand; reject every queued one ('shutdown')."""
        with self.condition:
            self.stopping = True
            queued = list(self.pending)
            self.pending.clear()
            loading = self.state == 'loading'
            self.condition.notify_all()
        for number, request, _ in queued:
            self.reject(number, request, None, 'shutdown', 'shutdown')
        if not loading:
            self.worker.join(timeout=SHUTDOWN_JOIN_S)


def main(args=None, generator_factory=CommandGenerator.load):
    """
    Run the node until SIGINT or SIGTERM; return 1 when the model failed to load.

    rclpy's own signal handlers would invalidate the context before the queued requests are
    answered, so the node's handlers only record the signal; the executor spins on its own
    thread while the main thread waits for that signal or a failed load.

    :param generator_factory: as for :class:`PromptTuningNode`.
    """
    # The model libraries' loading progress bars are no log lines (under ros2 launch, whose
    # terminal has no width, each prints as an empty line); set before tqdm is imported.
    os.environ.setdefault('TQDM_DISABLE', '1')
    rclpy.init(args=args, signal_handler_options=SignalHandlerOptions.NO)
    node = None
    executor = SingleThreadedExecutor()
    spinner = threading.Thread(target=executor.spin, name='executor')
    try:
        node = PromptTuningNode(generator_factory)
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, lambda number, _: node.end.put(signal.Signals(number).name))
        executor.add_node(node)
        spinner.start()
        reason = node.end.get()
        if reason != 'failed':
            node.get_logger().info(f'{reason}: stopping')
    except KeyboardInterrupt:
        reason = 'SIGINT'
    finally:
        if node is not None:
            node.stop()
        executor.shutdown()
        if spinner.is_alive():
            spinner.join()
        if node is not None:
            node.destroy_node()
        rclpy.try_shutdown()
    status = 1 if reason == 'failed' else 0
    if node is not None and node.worker.is_alive():
        # Still loading the model: end now rather than wait for it, or let the interpreter
        # tear down a thread that is inside the model library.
        node.get_logger().info('stopped while the model was loading')
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    return status


if __name__ == '__main__':
    raise SystemExit(main())
