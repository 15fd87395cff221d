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
Command line: ``ros2 run ros2_prompt_tuning evaluate`` / ``python -m ...evaluate``.

Scores prompt weights (or a zero-/few-shot baseline of the same base model) on a JSONL file
of requests, by the command-format contract: semantic accuracy, exact match, validity,
``UNSUPPORTED`` precision/recall, per-category accuracy, latency and the worst failures.
"""

import argparse
from dataclasses import asdict
import json
import sys

from ros2_prompt_tuning.models import PRECISIONS
from ros2_prompt_tuning.resources import default_adapter_dir, EMBEDDED_MODEL, share_dir


def build_parser():
    """Return the argument parser."""
    parser = argparse.ArgumentParser(prog='evaluate', description=__doc__.split('\n\n')[1])
    parser.add_argument('--data', required=True, metavar='FILE.jsonl',
                        help='requests: "instruction" and, when known, "command" a line')
    source = parser.add_mutually_exclusive_group()
    source.add_argument('--adapter', metavar='DIR',
                        help='prompt-weight folder (default: the shipped turtlesim weights)')
    source.add_argument('--baseline', choices=('zero-shot', 'few-shot'),
                        help='the bare base model prompted with an instruction or examples')
    parser.add_argument('--model', default=EMBEDDED_MODEL,
                        help='base model: embedded, a .gguf file, a folder or a hub id')
    parser.add_argument('--device', default='auto', choices=('auto', 'cuda', 'cpu'))
    parser.add_argument('--precision', default='auto', choices=PRECISIONS,
                        help="the base model's number format (auto: bf16 on CUDA, the measured "
                        'best on CPU; int8: CPU only)')
    parser.add_argument('--out', metavar='FILE.jsonl', help='write one prediction a line')
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument('--max-new-tokens', type=int, default=128)
    parser.add_argument('--shots', type=int, default=8, help='examples shown by few-shot')
    parser.add_argument('--train-data', metavar='FILE.jsonl',
                        default=str(share_dir() / 'data' / 'turtlesim' / 'train.jsonl'),
                        help='where few-shot examples come from (default: turtlesim train)')
    parser.add_argument('--robot', metavar='FILE.yaml',
                        help='robot description (default: the shipped turtlesim)')
    parser.add_argument('--no-grammar', dest='grammar', action='store_false',
                        help="decode freely instead of within the robot's command grammar")
    parser.add_argument('--no-grounding', dest='grounded', action='store_false',
                        help="let values be any of their type's instead of only those the "
                        'request holds')
    parser.add_argument('--rewrite', choices=('auto', 'on', 'off'), default='auto',
                        help='rewrite requests (capitals, named values, quantities) before the '
                        'model sees them '
                        '(auto: as the prompt weights were trained)')
    parser.add_argument('--refusal-bias', type=float, metavar='LOGITS',
                        help='added to UNSUPPORTED at the first token: above 0 refuses more '
                        "(default: the weights' calibrated value, else 0)")
    parser.add_argument('--quiet', action='store_true', help='no progress bar')
    return parser


def load_generator(args, robot):
    """Return the generator the arguments ask for."""
    from ros2_prompt_tuning.data import read_jsonl
    from ros2_prompt_tuning.evaluation import few_shot_template, ZERO_SHOT_TEMPLATE
    from ros2_prompt_tuning.generation import command_constraint, CommandGenerator
    rewrite = {'auto': None, 'on': True, 'off': False}[args.rewrite]
    adapter = None if args.baseline else args.adapter or str(default_adapter_dir())
    generator = CommandGenerator.load(args.model, adapter, args.device, args.max_new_tokens,
                                      robot, args.grammar, rewrite, args.precision,
                                      args.refusal_bias)
    if args.baseline:
        generator.template = ZERO_SHOT_TEMPLATE if args.baseline == 'zero-shot' else \
            few_shot_template(read_jsonl(args.train_data), args.shots)
        if args.grammar:
            generator.constraint = command_constraint(generator.network, generator.tokenizer,
                                                      generator.template, robot)
    if generator.constraint is not None:
        generator.constraint.grounded = args.grounded
    return generator


def report(summary):
    """Return the summary as readable text."""
    def share(value):
        return '-' if value is None else f'{100 * value:.1f} %'
    lines = [f'requests              {summary["requests"]}',
             f'semantic accuracy     {share(summary["semantic_accuracy"])}',
             f'exact match           {share(summary["exact_match"])}',
             f'valid lines           {share(summary["validity"])}',
             f'UNSUPPORTED precision {share(summary["unsupported_precision"])}',
             f'UNSUPPORTED recall    {share(summary["unsupported_recall"])}',
             f'latency p50 / p95     {summary["latency_ms_p50"]:.0f} / '
             f'{summary["latency_ms_p95"]:.0f} ms per request', 'per category:']
    lines += [f'  {name:<20} {share(value)}' for name, value in summary['per_category'].items()]
    lines.append('worst failures:')
    for failure in summary['worst_failures']:
        lines.append(f'  {failure["instruction"]!r}\n    expected  {failure["expected"]}\n'
                     f'    predicted {failure["predicted"]}'
                     + ('' if failure['valid'] else f'\n    invalid: {failure["reason"]}'))
    return '\n'.join(lines)


def main(argv=None):
    """Evaluate and print the figures; write the predictions when ``--out`` is given."""
    args = build_parser().parse_args(argv)
    from ros2_prompt_tuning.data import read_jsonl
    from ros2_prompt_tuning.evaluation import predict, summarise
    from ros2_prompt_tuning.robot import default_robot, RobotDescription
    try:
        examples = read_jsonl(args.data, require_command=False)
        robot = RobotDescription.load(args.robot) if args.robot else default_robot()
        if args.batch_size <= 0 or args.max_new_tokens <= 0 or args.shots < 0:
            raise ValueError('--batch-size, --max-new-tokens must be > 0, --shots >= 0')
        generator = load_generator(args, robot)
    except (OSError, ValueError) as error:
        print(f'evaluate: error: {error}', file=sys.stderr)
        return 2
    predictions = predict(generator, examples, robot, args.batch_size, not args.quiet)
    if args.out:
        with open(args.out, 'w', encoding='utf-8') as stream:
            for prediction in predictions:
                stream.write(json.dumps(asdict(prediction)) + '\n')
    print(report(summarise(predictions)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
