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
Command line: ``ros2 run ros2_prompt_tuning train`` / ``python -m ros2_prompt_tuning.train``.

Options come from ``--config FILE.yaml`` and/or flags; a flag wins over the file. Heavy
libraries load only once training starts, so ``--help`` answers at once. Started by
``accelerate launch`` or ``torchrun``, it trains data parallel over their processes.
"""

import argparse
from dataclasses import fields, MISSING
import json
import sys

from ros2_prompt_tuning.config import TrainingConfig


def build_parser():
    """Return the argument parser, one flag per ``TrainingConfig`` field."""
    parser = argparse.ArgumentParser(
        prog='train', description='Train prompt weights from request -> command pairs.')
    parser.add_argument('--config', metavar='FILE.yaml',
                        help='YAML file of options (keys are the flag names with _)')
    parser.add_argument('--quiet', action='store_true', help='no progress bar')
    for item in fields(TrainingConfig):
        default = item.default if item.default is not MISSING else None
        if item.type is bool:
            parser.add_argument('--' + item.name.replace('_', '-'), dest=item.name,
                                action=argparse.BooleanOptionalAction, default=None,
                                help=item.metadata['help'])
            continue
        parser.add_argument(
            '--' + item.name.replace('_', '-'), dest=item.name, type=item.type, default=None,
            choices=item.metadata.get('choices'),
            help=f'{item.metadata["help"]} (default: {default})')
    return parser


def main(argv=None):
    """Parse options, train, print where the prompt weights went and their metrics."""
    args = vars(build_parser().parse_args(argv))
    config_file = args.pop('config')
    quiet = args.pop('quiet')
    try:
        config = TrainingConfig.from_sources(config_file, **args)
    except (OSError, ValueError) as error:
        print(f'train: error: {error}', file=sys.stderr)
        return 2
    from ros2_prompt_tuning.models import ModelLoadError
    from ros2_prompt_tuning.trainer import CheckpointError, train
    try:
        _, metadata = train(config, progress=not quiet)
    except (CheckpointError, ModelLoadError, FileNotFoundError) as error:
        print(f'train: error: {error}', file=sys.stderr)
        return 2
    if metadata is None:  # another process of a distributed run: the main one reports
        return 0
    print(f'prompt weights written to {config.output_dir}')
    print(json.dumps(metadata['metrics'], indent=2))
    return 0


if __name__ == '__main__':
    sys.exit(main())
