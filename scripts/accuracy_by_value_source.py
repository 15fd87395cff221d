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
Split the accuracy in predictions files by where the expected values come from.

A request is *literal* when every non-zero number of the expected command is written in the
request itself (within 1 %), so the model only has to copy it; it is *derived* when at least
one value must be worked out (a unit conversion, a colour name, a turn fraction). Requests
whose command has no non-zero number (``UNSUPPORTED``, ``/clear`` ...) are *no value*.

Usage::

    python3 scripts/accuracy_by_value_source.py docs/predictions/*.jsonl
"""

import argparse
import json
import re

NUMBER = re.compile(r'(?<![\w.])-?\d+(?:\.\d+)?')


def value_source(instruction, expected):
    """Return ``literal``, ``derived`` or ``no value`` for one request and its command."""
    if expected.startswith('ros2 param set '):
        payload = expected.rsplit(' ', 1)[1]
    else:
        payload = expected.split('"', 1)[1] if '"' in expected else ''
    needed = [abs(float(text)) for text in NUMBER.findall(payload) if float(text) != 0.0]
    if not needed:
        return 'no value'
    written = [abs(float(text)) for text in NUMBER.findall(instruction)]
    copied = all(any(abs(value - seen) <= 0.01 * value for seen in written) for value in needed)
    return 'literal' if copied else 'derived'


def main(argv=None):
    """Print, for each predictions file, the accuracy per value source."""
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument('predictions', nargs='+', help='files written by evaluate --out')
    args = parser.parse_args(argv)
    sources = ('literal', 'derived', 'no value')
    print(f'{"file":<40}' + ''.join(f'{source:>18}' for source in sources))
    for path in args.predictions:
        counts = {source: [0, 0] for source in sources}
        with open(path, encoding='utf-8') as stream:
            for line in stream:
                row = json.loads(line)
                tally = counts[value_source(row['instruction'], row['expected'])]
                tally[0] += bool(row['correct'])
                tally[1] += 1
        cells = [f'{hits / total:.1%} of {total}' if total else '-'
                 for hits, total in counts.values()]
        print(f'{path:<40}' + ''.join(f'{cell:>18}' for cell in cells))


if __name__ == '__main__':
    main()
