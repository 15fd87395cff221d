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
Command line: ``ros2 run ros2_prompt_tuning calibrate`` (``python -m`` the same module).

Chooses how readily prompt weights refuse. The held-out requests are answered once with
refusal at the first token ruled out, each reply noting how far the model leaned toward
``UNSUPPORTED`` (its refusal margin); the accuracy of every candidate bias then follows
without decoding again. ``--write`` saves the best bias in the weights' metadata, where the
node and ``evaluate`` read it.
"""

import argparse
from pathlib import Path
import sys

# A bias low enough that no reply refuses at its first token.
NEVER_REFUSE = -1e4
CANDIDATES = tuple(step / 2 for step in range(-12, 13))


def build_parser():
    """Return the argument parser."""
    parser = argparse.ArgumentParser(
        prog='calibrate', description='Choose how readily prompt weights refuse: the bias '
        'on UNSUPPORTED that answers held-out requests best.')
    parser.add_argument('--adapter', required=True, metavar='DIR', help='prompt-weight folder')
    parser.add_argument('--data', required=True, metavar='FILE.jsonl',
                        help='held-out pairs, never the test set (e.g. the validation split)')
    parser.add_argument('--model', default='embedded', help='base model (default: embedded)')
    parser.add_argument('--robot', metavar='FILE.yaml',
                        help='robot description (default: the shipped turtlesim)')
    parser.add_argument('--device', default='auto', choices=('auto', 'cuda', 'cpu'))
    parser.add_argument('--precision', default='auto', choices=('auto', 'fp32', 'bf16', 'int8'))
    parser.add_argument('--max-new-tokens', type=int, default=128)
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--write', action='store_true',
                        help="save the best bias in the weights' metadata")
    parser.add_argument('--quiet', action='store_true', help='no progress bar')
    return parser


def main(argv=None):
    """Answer the held-out requests, print accuracy per bias, and save the best if asked."""
    args = build_parser().parse_args(argv)
    from ros2_prompt_tuning.adapter import read_metadata, save_metadata
    from ros2_prompt_tuning.data import read_jsonl
    from ros2_prompt_tuning.evaluation import calibrate_refusal, predict
    from ros2_prompt_tuning.generation import CommandGenerator, REFUSAL_BIAS_KEY
    from ros2_prompt_tuning.models import ModelLoadError
    from ros2_prompt_tuning.robot import default_robot, RobotDescription
    try:
        examples = read_jsonl(args.data)
        robot = RobotDescription.load(args.robot) if args.robot else default_robot()
        generator = CommandGenerator.load(args.model, args.adapter, args.device,
                                          args.max_new_tokens, robot,
                                          precision=args.precision, refusal_bias=NEVER_REFUSE)
    except (OSError, ValueError, ModelLoadError) as error:
        print(f'calibrate: error: {error}', file=sys.stderr)
        return 2
    predictions = predict(generator, examples, robot, args.batch_size, not args.quiet)
    best, curve = calibrate_refusal(predictions, CANDIDATES)
    for bias, accuracy in curve.items():
        print(f'refusal_bias {bias:+5.1f}  semantic accuracy {100 * accuracy:5.1f} %'
              + ('  <- best' if bias == best else ''))
    if args.write:
        metadata = read_metadata(args.adapter)
        metadata[REFUSAL_BIAS_KEY] = best
        metadata['refusal_calibration'] = {
            'data': Path(args.data).name, 'requests': len(examples),
            'accuracy_by_bias': {f'{bias:+.1f}': round(accuracy, 4)
                                 for bias, accuracy in curve.items()}}
        save_metadata(args.adapter, metadata)
        print(f'refusal_bias {best:+.1f} written to the metadata in {args.adapter}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
