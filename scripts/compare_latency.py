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

r"""
Single-request latency of two ways of answering, measured side by side in one run.

Each way is a prompt-weight folder with its decoding options; the requests are answered
one at a time, alternating between the two, so both see the same machine load.

Usage::

    python3 scripts/compare_latency.py --data data/turtlesim/handwritten.jsonl --requests 40 \\
        --before OLD_WEIGHTS --before-options free,plain --after weights/turtlesim_smollm2
"""

import argparse
import importlib.util
from pathlib import Path
import sys
import time

if importlib.util.find_spec('ros2_prompt_tuning') is None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ros2_prompt_tuning.data import read_jsonl  # noqa: E402 (found through the path above)
from ros2_prompt_tuning.evaluation import percentile  # noqa: E402
from ros2_prompt_tuning.generation import CommandGenerator  # noqa: E402

OPTIONS = {'free': ('grammar', False), 'plain': ('rewrite', False),
           'rewrite': ('rewrite', True)}


def load(adapter, options):
    """Load the embedded model with ``adapter`` and the comma-separated ``options``."""
    settings = dict(OPTIONS[name] for name in options.split(',') if name)
    return CommandGenerator.load('embedded', adapter, 'cpu', **settings)


def main(argv=None):
    """Print p50/p95 single-request latency of both ways and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument('--data', required=True)
    parser.add_argument('--requests', type=int, default=40)
    parser.add_argument('--before', required=True, help='prompt-weight folder')
    parser.add_argument('--before-options', default='',
                        help=f'comma-separated: {", ".join(OPTIONS)}')
    parser.add_argument('--after', required=True, help='prompt-weight folder')
    parser.add_argument('--after-options', default='')
    args = parser.parse_args(argv)
    requests = [example.instruction for example in read_jsonl(args.data)][:args.requests]
    ways = {'before': load(args.before, args.before_options),
            'after': load(args.after, args.after_options)}
    for generator in ways.values():
        generator(requests[0])  # warm-up
    latencies = {name: [] for name in ways}
    for request in requests:
        for name, generator in ways.items():
            started = time.monotonic()
            generator(request)
            latencies[name].append(time.monotonic() - started)
    for name, values in latencies.items():
        print(f'{name:<7} p50 {percentile(values, 0.5):.3f} s  p95 '
              f'{percentile(values, 0.95):.3f} s  over {len(values)} requests')
    ratio = percentile(latencies['after'], 0.5) / percentile(latencies['before'], 0.5)
    print(f'p50 after / before: {ratio:.2f}')


if __name__ == '__main__':
    main()
