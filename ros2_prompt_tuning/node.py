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

import json
import queue
import threading
import time

from rcl_interfaces.msg import IntegerRange, ParameterDescriptor, SetParametersResult
import rclpy
from rclpy.executors import ExternalShutdownException
from rclpy.node import Node
from ros2_prompt_tuning.generation import CommandGenerator, DEFAULT_MAX_NEW_TOKENS
from ros2_prompt_tuning.resources import default_adapter_dir, EMBEDDED_MODEL
from ros2_prompt_tuning.robot import default_robot, RobotDescription
from ros2_prompt_tuning.validator import canonical, check_line
from std_msgs.msg import String

MAX_NEW_TOKENS_LIMIT = 1024
DEFAULT_MAX_REQUEST_LENGTH = 500


class PromptTuningNode(Node):
    """
    Load the model once, then answer each non-empty request with one command line.

    Generation runs on a worker thread, so the subscription callback only queues work and
    the node stays responsive while the model is busy. Decoding is constrained to the robot's
    commands; every output still passes the command validator against the robot description
    and is published in its canonical form. A request that is too long, or an output that
    was cut off by the token budget or fails validation, is reported on ``~/rejected`` (JSON
    with the request, the raw output and the reason) and in the log, never on
    ``generated_command``.

    :param generator_factory: builds the generator from ``(model, adapter, device,
        max_new_tokens, robot=...)``; the default loads a real model.
    """

    def __init__(self, generator_factory=CommandGenerator.load, **kwargs):
        """Declare parameters, load the model, start the worker and the topics."""
        super().__init__('prompt_tuning_node', **kwargs)
        restart = 'read only: a change needs a restart'
        model = self.declare_parameter(
            'model', EMBEDDED_MODEL, ParameterDescriptor(
                description='base model: "embedded", a .gguf file, a folder or a hub id; '
                + restart, read_only=True)).value
        adapter = self.declare_parameter(
            'adapter', '', ParameterDescriptor(
                description='prompt-weight folder; empty = the shipped turtlesim weights, '
                '"none" = the bare base model; ' + restart, read_only=True)).value
        device = self.declare_parameter(
            'device', 'auto', ParameterDescriptor(
                description='auto (CUDA bf16 if present, else CPU fp32), cuda or cpu; '
                + restart, read_only=True)).value
        max_new_tokens = self.declare_parameter(
            'max_new_tokens', DEFAULT_MAX_NEW_TOKENS, ParameterDescriptor(
                description='token budget of one reply', integer_range=[IntegerRange(
                    from_value=1, to_value=MAX_NEW_TOKENS_LIMIT, step=1)])).value
        self.declare_parameter(
            'max_request_length', DEFAULT_MAX_REQUEST_LENGTH, ParameterDescriptor(
                description='longest request (characters) handed to the model; longer ones '
                'are rejected', integer_range=[IntegerRange(from_value=1, to_value=100000,
                                                            step=1)]))
        robot_file = self.declare_parameter(
            'robot', '', ParameterDescriptor(
                description='robot description YAML the outputs are validated against; '
                'empty = the shipped turtlesim; ' + restart, read_only=True)).value
        self.robot = RobotDescription.load(robot_file) if robot_file else default_robot()
        if adapter == '':
            adapter = str(default_adapter_dir())
        elif adapter == 'none':
            adapter = None

        self.get_logger().info(f'loading model "{model}" with prompt weights "{adapter}" '
                               f'on device "{device}"')
        started = time.monotonic()
        self.generator = generator_factory(model, adapter, device, max_new_tokens,
                                           robot=self.robot)
        self.get_logger().info(f'model loaded in {time.monotonic() - started:.1f} s')
        self.add_on_set_parameters_callback(self.on_set_parameters)

        self.requests = queue.Queue()
        self.publisher = self.create_publisher(String, 'generated_command', 10)
        self.rejections = self.create_publisher(String, '~/rejected', 10)
        self.subscription = self.create_subscription(String, 'nl_command', self.on_request, 10)
        self.worker = threading.Thread(target=self.serve, name='generation', daemon=True)
        self.worker.start()

    def on_set_parameters(self, parameters):
        """Apply a new ``max_new_tokens`` to the generator (the descriptor checks its range)."""
        for parameter in parameters:
            if parameter.name == 'max_new_tokens':
                self.generator.max_new_tokens = parameter.value
        return SetParametersResult(successful=True)

    def on_request(self, message):
        """Queue a non-empty request; log and drop an empty one."""
        request = message.data.strip()
        if not request:
            self.get_logger().warning('dropped an empty request')
            return
        self.requests.put(request)

    def serve(self):
        """Generate and publish replies until ``stop`` queues ``None``."""
        while True:
            request = self.requests.get()
            if request is None:
                return
            try:
                self.answer(request)
            except Exception as error:  # noqa: B902 - one failed request must not end the node
                self.get_logger().error(f'request {request!r} failed: {error}')

    def answer(self, request):
        """Generate the reply to one request; publish it if valid, else report the rejection."""
        limit = self.get_parameter('max_request_length').value
        if len(request) > limit:
            self.reject(request, None, f'request longer than {limit} characters')
            return
        started = time.monotonic()
        reply = self.generator(request)
        latency_ms = (time.monotonic() - started) * 1000.0
        if reply.request != request:
            self.get_logger().info(f'{request!r} read as {reply.request!r}')
        if not reply.complete:
            self.reject(request, reply.text, 'the reply was cut off by max_new_tokens')
            return
        valid, reason = check_line(reply.text, self.robot)
        if not valid:
            self.reject(request, reply.text, reason)
            return
        command = canonical(reply.text, self.robot)
        self.publisher.publish(String(data=command))
        self.get_logger().info(f'{request!r} -> {command!r} ({latency_ms:.0f} ms)')

    def reject(self, request, output, reason):
        """Report a request whose reply is withheld, on ``~/rejected`` and in the log."""
        report = {'request': request, 'output': output, 'reason': reason}
        self.rejections.publish(String(data=json.dumps(report)))
        self.get_logger().warning(f'rejected: {json.dumps(report)}')

    def stop(self):
        """Let the worker finish the request in hand, then end it."""
        self.requests.put(None)
        self.worker.join(timeout=60.0)


def main(args=None):
    """Run the node until SIGINT or shutdown."""
    rclpy.init(args=args)
    node = None
    try:
        node = PromptTuningNode()
        rclpy.spin(node)
    except (KeyboardInterrupt, ExternalShutdownException):
        pass
    finally:
        if node is not None:
            node.stop()
            node.destroy_node()
        rclpy.try_shutdown()


if __name__ == '__main__':
    main()
