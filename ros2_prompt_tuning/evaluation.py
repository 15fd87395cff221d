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

"""Score a generator on request -> command pairs: accuracy by the spec, validity, latency."""

from dataclasses import asdict, dataclass
import random
import time

from ros2_prompt_tuning.validator import check_line, same_command, UNSUPPORTED

ZERO_SHOT_TEMPLATE = (
    'Translate the request for a ROS 2 turtlesim robot into one ros2 command line: '
    '"ros2 topic pub --once TOPIC TYPE \\"YAML\\"", "ros2 service call SERVICE TYPE '
    '[\\"YAML\\"]", "ros2 action send_goal ACTION TYPE \\"YAML\\"" or "ros2 param set NODE '
    'NAME VALUE", with SI units and radians, or UNSUPPORTED when one command cannot do it.\n'
    'Request: {instruction}\nCommand:')
FEW_SHOT_HEADER = ('Translate each request for a ROS 2 turtlesim robot into one ros2 command '
                   'line, or UNSUPPORTED.\n\n')


def few_shot_template(examples, shots, seed=0):
    """Return a template that shows ``shots`` pairs, one per category first, then the request."""
    chooser = random.Random(seed)
    by_category = {}
    for example in chooser.sample(examples, len(examples)):
        by_category.setdefault(example.category, example)
    chosen = list(by_category.values())[:shots]
    chosen += [example for example in examples if example not in chosen][:shots - len(chosen)]
    shown = ''.join(f'Request: {example.instruction}\nCommand: {example.command}\n\n'
                    for example in chosen)
    escaped = (FEW_SHOT_HEADER + shown).replace('{', '{{').replace('}', '}}')
    return escaped + 'Request: {instruction}\nCommand:'


@dataclass
class Prediction:
    """One scored request: a line of the predictions file."""

    instruction: str
    expected: str
    predicted: str
    valid: bool
    correct: bool
    latency_ms: float
    category: str = None
    reason: str = ''
    request: str = None
    refusal_margin: float = None


def predict(generator, examples, robot=None, batch_size=8, progress=True):
    """
    Generate and score a reply for every example.

    ``latency_ms`` is the batch's wall time shared out over its requests.
    """
    from tqdm import tqdm
    predictions = []
    for start in tqdm(range(0, len(examples), batch_size), desc='evaluating',
                      disable=not progress):
        chunk = examples[start:start + batch_size]
        started = time.monotonic()
        replies = generator.generate([example.instruction for example in chunk])
        latency_ms = (time.monotonic() - started) * 1000.0 / len(chunk)
        for example, reply in zip(chunk, replies):
            valid, reason = check_line(reply.text, robot)
            if valid and not reply.complete:
                valid, reason = False, 'cut off by the token budget'
            correct = (example.command is not None and valid
                       and same_command(reply.text, example.command, robot))
            predictions.append(Prediction(example.instruction, example.command, reply.text,
                                          valid, correct, round(latency_ms, 1),
                                          example.category, reason, reply.request,
                                          reply.refusal_margin))
    return predictions


def refusal_accuracy(predictions, bias):
    """
    Return the semantic accuracy the predictions would have with ``bias`` on refusal.

    The predictions must come from decoding that never refused at the first token (a very
    negative ``refusal_bias``): a reply refuses when its margin plus ``bias`` is above 0, and
    otherwise is the command it wrote. Requests answered without the model keep their reply.
    """
    scored = [p for p in predictions if p.expected is not None]
    correct = 0
    for p in scored:
        if p.refusal_margin is not None and p.refusal_margin + bias > 0:
            correct += p.expected == UNSUPPORTED
        else:
            correct += p.correct
    return ratio(correct, len(scored))


def calibrate_refusal(predictions, biases):
    """
    Return ``(best bias, {bias: accuracy})`` over ``biases``; ties go to the bias nearest 0.

    The predictions are those :func:`refusal_accuracy` takes.
    """
    curve = {bias: refusal_accuracy(predictions, bias) for bias in biases}
    best = max(curve, key=lambda bias: (curve[bias], -abs(bias)))
    return best, curve


def percentile(values, share):
    """Return the ``share`` (0..1) percentile of ``values`` by the nearest-rank method."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def ratio(count, total):
    """Return ``count / total``, or ``None`` when there is nothing to divide."""
    return count / total if total else None


def summarise(predictions, worst=10):
    """Return the figures of an evaluation as a dict."""
    scored = [p for p in predictions if p.expected is not None]
    said_unsupported = [p for p in scored if p.predicted == UNSUPPORTED]
    is_unsupported = [p for p in scored if p.expected == UNSUPPORTED]
    categories = {}
    for p in scored:
        categories.setdefault(p.category or '-', []).append(p.correct)
    failures = sorted((p for p in scored if not p.correct), key=lambda p: (p.valid,
                                                                           p.instruction))
    return {
        'requests': len(predictions),
        'semantic_accuracy': ratio(sum(p.correct for p in scored), len(scored)),
        'exact_match': ratio(sum(p.valid and p.predicted == p.expected for p in scored),
                             len(scored)),
        'validity': ratio(sum(p.valid for p in predictions), len(predictions)),
        'unsupported_precision': ratio(sum(p.expected == UNSUPPORTED for p in said_unsupported),
                                       len(said_unsupported)),
        'unsupported_recall': ratio(sum(p.predicted == UNSUPPORTED for p in is_unsupported),
                                    len(is_unsupported)),
        'per_category': {name: ratio(sum(hits), len(hits))
                         for name, hits in sorted(categories.items())},
        'latency_ms_p50': percentile([p.latency_ms for p in predictions], 0.5),
        'latency_ms_p95': percentile([p.latency_ms for p in predictions], 0.95),
        'worst_failures': [asdict(p) for p in failures[:worst]],
    }
