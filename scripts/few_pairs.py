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
Accuracy against the number of training pairs, with and without resampled copies.

Each run trains prompt weights from scratch on the first N pairs of a shuffled pair file
(standing in for pairs a user wrote), with the same steps and options, and scores them on
held-out requests. Prints a markdown table and writes the figures as JSON::

    python3 scripts/few_pairs.py --config config/train_turtlesim.yaml \
        --pairs data/turtlesim/train.jsonl --held-out data/turtlesim/validation.jsonl \
        --sizes 50 100 200 400 --copies 0 4 --max-steps 200 --out docs/few_pairs.json
"""

import argparse
import importlib.util
import json
from pathlib import Path
import random
import sys
import tempfile

if importlib.util.find_spec('ros2_prompt_tuning') is None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv=None):
    """Train and score one run per size and number of copies."""
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument('--config', required=True, help='training YAML the runs start from')
    parser.add_argument('--pairs', required=True, help='JSONL pairs the runs draw from')
    parser.add_argument('--held-out', required=True, help='JSONL pairs the runs are scored on')
    parser.add_argument('--sizes', type=int, nargs='+', default=[50, 100, 200, 400])
    parser.add_argument('--copies', type=int, nargs='+', default=[0, 4],
                        help='values of resample_copies to compare')
    parser.add_argument('--max-steps', type=int, default=200)
    parser.add_argument('--held-out-examples', type=int, default=128)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', required=True, help='JSON file for the figures')
    args = parser.parse_args(argv)

    from ros2_prompt_tuning.config import TrainingConfig
    from ros2_prompt_tuning.data import read_jsonl
    from ros2_prompt_tuning.evaluation import predict, summarise
    from ros2_prompt_tuning.generation import CommandGenerator
    from ros2_prompt_tuning.robot import default_robot, RobotDescription
    from ros2_prompt_tuning.trainer import train

    lines = Path(args.pairs).read_text(encoding='utf-8').splitlines()
    random.Random(args.seed).shuffle(lines)
    held_out = read_jsonl(args.held_out)
    held_out = random.Random(args.seed).sample(held_out,
                                               min(args.held_out_examples, len(held_out)))
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            pairs = Path(folder) / f'pairs_{size}.jsonl'
            pairs.write_text('\n'.join(lines[:size]) + '\n', encoding='utf-8')
            for copies in args.copies:
                output = Path(folder) / f'weights_{size}_{copies}'
                config = TrainingConfig.from_sources(
                    # '' clears a file the YAML names: the runs are scored here alone.
                    args.config, train_data=str(pairs), validation_data='', test_data='',
                    init_weights='', output_dir=str(output), resample_copies=copies,
                    max_steps=args.max_steps, eval_every=args.max_steps, seed=args.seed)
                _, metadata = train(config, progress=True)
                robot = RobotDescription.load(config.robot) if config.robot \
                    else default_robot()
                generator = CommandGenerator.load(config.model, str(output), robot=robot)
                summary = summarise(predict(generator, held_out, robot, batch_size=16))
                results.append({'pairs': size, 'resample_copies': copies,
                                'training_pairs': metadata['training']['pairs'],
                                'seconds': metadata['training']['seconds'],
                                'semantic_accuracy': summary['semantic_accuracy']})
                print(json.dumps(results[-1]), flush=True)
    Path(args.out).write_text(json.dumps(results, indent=2) + '\n', encoding='utf-8')
    print('| pairs | ' + ' | '.join(f'resample_copies {copies}' for copies in args.copies)
          + ' |')
    print('|---|' + '---|' * len(args.copies))
    for size in args.sizes:
        row = [f'{entry["semantic_accuracy"]:.1%}' for entry in results
               if entry['pairs'] == size]
        print(f'| {size} | ' + ' | '.join(row) + ' |')
    return 0


if __name__ == '__main__':
    sys.exit(main())
