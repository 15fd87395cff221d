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
Command line: ``ros2 run ros2_prompt_tuning build_data`` / ``python -m ...build_data``.

Writes train, validation and test request -> command pairs (JSONL) for a robot description
from a phrases file (``docs/training_data.md``), split by phrasing template; the same seed
always gives the same files.
"""

import argparse
import sys

from ros2_prompt_tuning.data_builder import (build, count_table, EXAMPLES_PER_TEMPLATE,
                                             HELD_OUT_SHARE, load_phrases, write_splits)
from ros2_prompt_tuning.robot import RobotDescription


def build_parser():
    """Return the argument parser."""
    parser = argparse.ArgumentParser(prog='build_data', description=__doc__.split('\n\n')[1])
    parser.add_argument('--robot', required=True, metavar='FILE.yaml', help='robot description')
    parser.add_argument('--phrases', required=True, metavar='FILE.yaml',
                        help="the robot's intents and phrasing templates")
    parser.add_argument('--out', required=True, metavar='DIR',
                        help='folder for train.jsonl, validation.jsonl and test.jsonl')
    parser.add_argument('--seed', type=int, default=0, help='random seed (default: 0)')
    parser.add_argument('--examples-per-template', type=int, default=EXAMPLES_PER_TEMPLATE,
                        help='pairs drawn per phrasing template '
                        f'(default: {EXAMPLES_PER_TEMPLATE})')
    for split in ('test', 'validation'):
        parser.add_argument(f'--{split}-share', type=float, default=HELD_OUT_SHARE,
                            help="share of each category's phrasing templates held out for "
                            f'{split} (default: {HELD_OUT_SHARE})')
    return parser


def main(argv=None):
    """Build the pairs, write them and print their counts per category and split."""
    args = build_parser().parse_args(argv)
    try:
        phrases = load_phrases(args.phrases, RobotDescription.load(args.robot))
        splits = build(phrases, args.seed, args.examples_per_template, args.test_share,
                       args.validation_share)
        write_splits(splits, args.out)
    except (OSError, ValueError) as error:
        print(f'build_data: error: {error}', file=sys.stderr)
        return 2
    print(f'wrote {sum(len(pairs) for pairs in splits.values())} pairs to {args.out}')
    print(count_table(splits, phrases))
    return 0


if __name__ == '__main__':
    sys.exit(main())
