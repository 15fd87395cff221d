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
More training pairs from a few: the numbers a request shares with its command, drawn anew.

A number of the (rewritten) request that is also the magnitude of numbers of its command
(``move forward 2.5 m`` and ``x: 2.5``) is replaced in both by another one within four times
of it that every field it fills allows, written with as many decimals. Listed values,
numbers settled by value cues, numbers of the robot's named values ("red") and numbers the
request does not hold (defaults, zeros) stay as they are. Each copy is
checked by the validator and written in canonical form.
"""

from dataclasses import replace
import random
import re

from ros2_prompt_tuning.robot import IGNORED_CUE, SIGN_CUES
from ros2_prompt_tuning.validator import (canonical, CommandError, parse_command,
                                          UNSUPPORTED)

# A number standing alone in a request: not part of a name such as turtle2.
REQUEST_NUMBER = re.compile(r'(?<![\w.])\d+(?:\.(\d+))?(?![\w]|\.\d)')
# A new magnitude lies within this factor of the original, and within every range it fills.
SCALE_FACTOR = 4
DRAWS = 20


def resampled_examples(examples, robot, copies, seed=0, rewrite=None):
    """
    Return up to ``copies`` resampled copies of each example, in order, none repeated.

    :param examples: :class:`~ros2_prompt_tuning.data.Example` pairs with commands.
    :param robot: the :class:`~ros2_prompt_tuning.robot.RobotDescription` of the commands.
    :param rewrite: the :class:`~ros2_prompt_tuning.rewriting.RequestRewriter`, applied
        first so that the numbers are those the model reads (``90 degrees`` is ``1.5708
        rad``).
    """
    rng = random.Random(seed)
    seen = {example.instruction for example in examples}
    result = []
    for example in examples:
        for _ in range(copies):
            copy = resample(example, robot, rng, rewrite)
            if copy is not None and copy.instruction not in seen:
                seen.add(copy.instruction)
                result.append(copy)
    return result


def resample(example, robot, rng, rewrite=None):
    """
    Return one copy of ``example`` with its shared numbers drawn anew, or None.

    None for ``UNSUPPORTED``, a command the robot does not accept, or a request that shares
    no number with its command.
    """
    request = rewrite(example.instruction) if rewrite else example.instruction
    # Numbers of the robot's named values are facts ("red" is r 255), not the request's.
    named = rewrite.named_value_texts(example.instruction) if rewrite else []
    facts = {float(match.group()) for text in named for match in REQUEST_NUMBER.finditer(text)}
    try:
        command = parse_command(example.command)
    except CommandError:
        return None
    if command.verb == UNSUPPORTED:
        return None
    slots = number_slots(command, robot)
    if slots is None:
        return None
    tokens = {}
    for match in REQUEST_NUMBER.finditer(request):
        tokens.setdefault(float(match.group()), len(match.group(1) or ''))
    shared = {magnitude: decimals for magnitude, decimals in tokens.items()
              if magnitude and magnitude not in facts
              and any(abs(value) == magnitude for _, value, _ in slots)}
    if not shared:
        return None
    new_magnitudes = {}
    for magnitude, decimals in shared.items():
        filled = [(spec, value) for spec, value, _ in slots if abs(value) == magnitude]
        drawn = draw_magnitude(filled, decimals, set(tokens) | set(new_magnitudes.values()),
                               rng)
        if drawn is None:
            return None
        new_magnitudes[magnitude] = drawn
    changes = {}
    for spec, value, place in slots:
        if abs(value) in new_magnitudes:
            new = new_magnitudes[abs(value)] * (1 if value > 0 else -1)
            new = int(new) if spec.kind == 'int' else float(new)
            if isinstance(place, tuple):
                place[0][place[1]] = new
            else:
                changes[place] = new
    text = REQUEST_NUMBER.sub(
        lambda match: number_text(new_magnitudes[float(match.group())], shared[
            float(match.group())]) if float(match.group()) in new_magnitudes else match.group(),
        request)
    try:
        return replace(example, instruction=text,
                       command=canonical(replace(command, **changes), robot))
    except CommandError:
        return None


def number_slots(command, robot):
    """
    Return ``(spec, value, place)`` for each number of ``command`` that may be drawn anew.

    ``place`` is ``(mapping, key)`` in the payload, or the name of the command's attribute
    (``times``, ``value``). None when the robot lacks the interface or parameter.
    """
    if command.kind == 'param':
        parameter = robot.find_parameter(command.node, command.name)
        if parameter is None:
            return None
        return [(parameter, command.value, 'value')] if drawable(parameter, command.value) \
            else []
    interface = robot.find(command.kind, command.name)
    if interface is None:
        return None
    slots = [(robot.option('times'), command.times, 'times')] \
        if command.times is not None else []
    collect_fields(command.payload or {}, interface.fields, slots)
    return slots


def collect_fields(values, specs, slots):
    """Add the drawable numbers of a payload mapping to ``slots``, message by message."""
    for spec in specs:
        if spec.name not in values:
            continue
        value = values[spec.name]
        if spec.fields and isinstance(value, dict):
            collect_fields(value, spec.fields, slots)
        elif not spec.is_array and drawable(spec, value):
            slots.append((spec, value, (values, spec.name)))


def drawable(spec, value):
    """Return whether ``value`` of ``spec`` is a free number: no listed values, no value cues."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or spec.values:
        return False
    cues = {cue for cue, _ in getattr(spec, 'cues', ())} - SIGN_CUES - {IGNORED_CUE}
    return not cues


def draw_magnitude(filled, decimals, taken, rng):
    """
    Return a new magnitude that every ``(spec, value)`` it fills allows, or None.

    It is written with ``decimals`` decimals, differs from the ``taken`` numbers and is not 0.
    """
    low, high = 0.0, None
    for spec, value in filled:
        lowest, highest = spec.bounds
        if value < 0:
            lowest, highest = (None if highest is None else -highest,
                               None if lowest is None else -lowest)
        low = max(low, lowest or 0.0)
        if highest is not None:
            high = highest if high is None else min(high, highest)
        if spec.kind == 'int':
            decimals = 0
    # Near the original's scale: people ask for 0.5 m and 3 m, rarely 19.8 m.
    original = abs(filled[0][1])
    low = max(low, original / SCALE_FACTOR)
    high = original * SCALE_FACTOR if high is None else min(high, original * SCALE_FACTOR)
    for _ in range(DRAWS):
        magnitude = round(rng.uniform(low, high), decimals)
        if magnitude and low <= magnitude <= high and magnitude not in taken:
            return magnitude
    return None


def number_text(magnitude, decimals):
    """Write a magnitude as the request wrote its original: ``3`` or ``2.75``."""
    return f'{magnitude:.{decimals}f}'
