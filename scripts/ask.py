#!/usr/bin/env python3
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
Send requests on ``nl_command`` and print each answer of prompt_tuning_node.

Usage: ``python scripts/ask.py "turn left 90 degrees" "clear the drawing"``; it waits for
the node's topics, sends one request at a time and prints the reply from
``generated_command``, or the rejection from the node's ``rejected`` topic, with its
round-trip time. A request sent while the model loads waits in the node's queue, so the
first answer can take as long as the load.
"""

import argparse
import json
import sys
import time

import rclpy
from rclpy.executors import SingleThreadedExecutor
from std_msgs.msg import String


def ask(requests, timeout_s=120.0, context=None, rejected_topic='prompt_tuning_node/rejected'):
    """
    Publish each request and wait for its answer; yield ``(request, answer, seconds)``.

    The answer is the reply line, or the rejection report (a dict with ``request``,
    ``output`` and ``reason``) when the node withheld the reply.

    :param requests: request texts, sent one after the other.
    :param timeout_s: how long to wait for the node, and then for each answer.
    :param context: an initialised rclpy context (the default one when ``None``).
    :param rejected_topic: where the node reports rejections.
    :raises TimeoutError: when the node does not appear or does not answer in time.
    """
    node = rclpy.create_node('nl_command_client', context=context)
    executor = SingleThreadedExecutor(context=context)
    executor.add_node(node)
    replies = []
    node.create_subscription(String, 'generated_command',
                             lambda message: replies.append(message.data), 10)
    node.create_subscription(String, rejected_topic,
                             lambda message: replies.append(json.loads(message.data)), 10)
    publisher = node.create_publisher(String, 'nl_command', 10)
    try:
        deadline = time.monotonic() + timeout_s
        while publisher.get_subscription_count() == 0 or \
                node.count_publishers('generated_command') == 0 or \
                node.count_publishers(rejected_topic) == 0:
            if time.monotonic() > deadline:
                raise TimeoutError('no node subscribes to nl_command and publishes '
                                   f'generated_command after {timeout_s:.0f} s')
            executor.spin_once(timeout_sec=0.2)
        for request in requests:
            expected = len(replies) + 1
            started = time.monotonic()
            publisher.publish(String(data=request))
            while len(replies) < expected:
                if time.monotonic() - started > timeout_s:
                    raise TimeoutError(f'no answer to {request!r} after {timeout_s:.0f} s')
                executor.spin_once(timeout_sec=0.1)
            yield request, replies[expected - 1], time.monotonic() - started
    finally:
        executor.shutdown()
        node.destroy_node()


def main(argv=None):
    """Send the requests given on the command line and print the replies."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('requests', nargs='+', help='natural-language requests')
    parser.add_argument('--timeout', type=float, default=120.0,
                        help='seconds to wait for the node and for each reply')
    args = parser.parse_args(argv)
    rclpy.init()
    try:
        for request, answer, seconds in ask(args.requests, args.timeout):
            print(f'/nl_command        : {request}')
            if isinstance(answer, dict):
                print(f'rejected           : {answer["output"]!r}: {answer["reason"]}   '
                      f'({seconds:.2f} s)', flush=True)
            else:
                print(f'/generated_command : {answer}   ({seconds:.2f} s)', flush=True)
    except TimeoutError as error:
        print(f'ask: {error}', file=sys.stderr)
        return 1
    finally:
        rclpy.try_shutdown()
    return 0


if __name__ == '__main__':
    sys.exit(main())
