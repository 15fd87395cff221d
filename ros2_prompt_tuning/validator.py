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
Parse, check, normalise and compare generated command lines; no model and no rclpy.

A line is ``UNSUPPORTED`` or one of ``ros2 topic pub``, ``service call``, ``action
send_goal`` and ``param set``. :func:`parse_command` first checks that bash would run the line
as one plain command, then splits it as the shell does. YAML payloads are read with
:class:`~ros2_prompt_tuning.robot.PlainLoader`: only ``true``/``false`` are booleans, so
SetPen's ``off: 1`` keeps the key ``'off'`` (PyYAML's YAML 1.1 would make it ``False``).
"""

from dataclasses import dataclass
from decimal import Decimal
import math
import re
import shlex
import unicodedata

from ros2_prompt_tuning.robot import default_robot, PlainLoader
import yaml

UNSUPPORTED = 'UNSUPPORTED'
VERBS = {'topic pub': 'topic', 'service call': 'service', 'action send_goal': 'action',
         'param set': 'param'}
TYPE_KINDS = {'topic': 'msg', 'service': 'srv', 'action': 'action'}
OPTIONS = {'--once': 'once', '-1': 'once', '--rate': 'rate', '-r': 'rate',
           '--times': 'times', '-t': 'times'}
NAME_PATTERN = re.compile(r'^(/[A-Za-z_][A-Za-z0-9_]*)+$')
TYPE_PATTERN = re.compile(r'^([A-Za-z][A-Za-z0-9_]*)/(?:(msg|srv|action)/)?([A-Z][A-Za-z0-9]*)$')
PARAMETER_PATTERN = re.compile(r'^[A-Za-z_][A-Za-z0-9_.]*$')
RATE_PATTERN = re.compile(r'^[+-]?(\d+\.?\d*|\.\d+)$')
TIMES_PATTERN = re.compile(r'^[+-]?\d+$')
NEGATIVE_NUMBER = re.compile(r'^-(\d+\.?\d*|\.\d+)$')
UNSAFE_OUTSIDE_QUOTES = {
    ';': 'a command separator', '&': 'a background or && operator', '|': 'a pipe',
    '<': 'a redirection', '>': 'a redirection', '(': 'a subshell', ')': 'a subshell',
    '$': 'an expansion', '`': 'a command substitution', '!': 'a history expansion',
    '~': 'a tilde expansion', '*': 'a glob', '?': 'a glob', '[': 'a glob', ']': 'a glob',
    '{': 'a brace expansion', '}': 'a brace expansion', '#': 'a comment', '\\': 'an escape'}
UNSAFE_IN_DOUBLE_QUOTES = {'$': 'an expansion', '`': 'a command substitution',
                           '!': 'a history expansion', '\\': 'an escape'}
LINE_BREAKS = '\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029'
ZERO_WIDTH = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF}
BIDI = {*range(0x202A, 0x202F), *range(0x2066, 0x206A)}
YAML_FEATURES = {yaml.AnchorToken: 'anchors (&)', yaml.AliasToken: 'aliases (*)',
                 yaml.TagToken: 'tags (!)'}
ZERO = {'float': 0.0, 'double': 0.0, 'int': 0, 'string': '', 'bool': False}
TOLERANCE = 0.01


class CommandError(ValueError):
    """A line that is not one safe command of the four forms; the message says why."""


@dataclass(frozen=True)
class Command:
    """
    One parsed command line.

    :param verb: ``topic pub``, ``service call``, ``action send_goal``, ``param set`` or
        ``UNSUPPORTED``.
    :param name: the topic, service or action; the parameter for ``param set``.
    :param type_name: the interface type in full ``pkg/msg|srv|action/Type`` form.
    :param payload: the YAML mapping, None when the line has none.
    :param once: ``topic pub`` only: exactly one of ``once``, ``rate`` and ``times`` is set.
    :param node: ``param set`` only, with ``value`` (the value as YAML reads it).
    """

    verb: str
    name: str = None
    type_name: str = None
    payload: dict = None
    once: bool = False
    rate: float = None
    times: int = None
    node: str = None
    value: object = None

    @property
    def kind(self):
        """Return ``topic``, ``service``, ``action``, ``param``, or None for UNSUPPORTED."""
        return VERBS.get(self.verb)


def parse_command(line):
    """
    Parse one generated line into a :class:`Command`.

    The line must be safe to paste before it is split: outside quotes only words, options
    and names; inside double quotes no ``$``, backtick, ``!`` or backslash; no control,
    line-break, zero-width or bidirectional character anywhere. Leading and trailing spaces
    are ignored.

    :raises CommandError: saying in words why the line is not one allowed command.
    """
    _check_safe(line)
    words = shlex.split(line)
    if not words:
        raise CommandError('the line is empty')
    if words[0] == UNSUPPORTED:
        if len(words) > 1:
            raise CommandError('UNSUPPORTED must stand alone on the line')
        return Command(UNSUPPORTED)
    if words[0] != 'ros2':
        raise CommandError(f'not a ros2 command: the line starts with {words[0]!r}')
    verb = ' '.join(words[1:3])
    if verb not in VERBS:
        raise CommandError(f'"ros2 {verb}" is not one of the allowed forms: '
                           + ', '.join(f'ros2 {allowed}' for allowed in VERBS))
    kind = VERBS[verb]
    options, arguments = _split_options(words[3:], kind)
    if kind == 'param':
        if len(arguments) != 3:
            raise CommandError('ros2 param set takes exactly NODE NAME VALUE')
        node, name, value = arguments
        _check_name(node, 'node')
        if not PARAMETER_PATTERN.match(name):
            raise CommandError(f'{name!r} is not a parameter name')
        return Command(verb, name, node=node, value=_parameter_value(value))
    if len(arguments) not in ((3,) if kind == 'action' else (2, 3)):
        shape = 'NAME TYPE "YAML"' if kind == 'action' else 'NAME TYPE ["YAML"]'
        raise CommandError(f'ros2 {verb} takes {shape}, got {len(arguments)} arguments')
    name, type_name, *payload = arguments
    _check_name(name, kind)
    payload = _load_yaml(payload[0], 'the payload', flow_mapping=True) if payload else None
    return Command(verb, name, _full_type(type_name, kind), payload, **options)


def validate(command, robot=None):
    """
    Check a parsed command against a robot's interfaces.

    :param robot: a :class:`~ros2_prompt_tuning.robot.RobotDescription`; turtlesim if None.
    :returns: the problems in words; empty when the command is valid.
    """
    robot = robot or default_robot()
    if command.verb == UNSUPPORTED:
        return []
    if command.kind == 'param':
        spec = robot.find_parameter(command.node, command.name)
        if spec is None:
            known = ', '.join(f'{parameter.node} {parameter.name}'
                              for parameter in robot.parameters)
            return [f'{robot.name} has no parameter {command.name} on node {command.node} '
                    f'(known: {known or "none"})']
        problem = _value_problem(spec, command.value, command.name)
        return [problem] if problem else []
    problems = []
    if command.rate is not None and not command.rate > 0:
        problems.append(f'--rate must be greater than 0, not {command.rate:g}')
    if command.times is not None and command.times < 1:
        problems.append(f'--times must be at least 1, not {command.times}')
    interface = robot.find(command.kind, command.name)
    if interface is None:
        known = ', '.join(robot.names(command.kind)) or 'none'
        problems.append(f'{robot.name} has no {command.kind} {command.name} (known: {known})')
    elif interface.type_name != command.type_name:
        problems.append(
            f'{command.name} has the type {interface.type_name}, not {command.type_name}')
    else:
        problems += _field_problems(command.payload or {}, interface.fields,
                                    interface.type_name, '')
    return problems


def check_line(line, robot=None):
    """
    Parse and validate one generated line.

    :returns: ``(ok, reason)``; ``reason`` says what is wrong, empty when ``ok``.
    """
    try:
        command = parse_command(line)
    except CommandError as error:
        return False, str(error)
    problems = validate(command, robot)
    return not problems, '; '.join(problems)


def canonical(command, robot=None):
    """
    Return the spec's canonical text of a valid command (a :class:`Command` or a line).

    The type is in full, every field is written in message order with omitted ones at their
    zero value, floats carry a decimal point and strings are single-quoted.

    :raises CommandError: when the command does not parse or is not valid.
    """
    robot = robot or default_robot()
    command = _as_command(command)
    problems = validate(command, robot)
    if problems:
        raise CommandError('; '.join(problems))
    if command.verb == UNSUPPORTED:
        return UNSUPPORTED
    if command.kind == 'param':
        return f'ros2 param set {command.node} {command.name} {_render_value(command.value)}'
    words = ['ros2', command.verb]
    if command.once:
        words.append('--once')
    elif command.rate is not None:
        rate = command.rate
        words.append(f'--rate {int(rate) if rate.is_integer() else _render(rate)}')
    elif command.times is not None:
        words.append(f'--times {command.times}')
    words += [command.name, command.type_name]
    interface = robot.find(command.kind, command.name)
    if interface.fields:
        words.append(f'"{_render(_full_payload(command.payload, interface.fields))}"')
    return ' '.join(words)


def same_command(a, b, robot=None):
    """
    Return whether two lines (or :class:`Command` objects) are the same command.

    Equal as the spec scores them: ``-1``/``--once``, ``-r``/``--rate``, ``-t``/``--times``,
    ``pkg/Type``/``pkg/msg/Type``, field order and omitted zero fields do not matter, and
    numbers match within 1 % (of the larger) or 0.01 absolute. A line that does not parse
    or is not valid equals nothing; ``UNSUPPORTED`` equals only ``UNSUPPORTED``.
    """
    robot = robot or default_robot()
    forms = [_comparable(line, robot) for line in (a, b)]
    if None in forms:
        return False
    (head_a, values_a), (head_b, values_b) = forms
    return head_a == head_b and _close(values_a, values_b)


def _check_safe(line):
    """Raise :class:`CommandError` unless bash would read ``line`` as one plain command."""
    for index, character in enumerate(line):
        problem = _character_problem(character)
        if problem:
            raise CommandError(f'{problem} (U+{ord(character):04X}) at column {index + 1}')
    quote = None
    for index, character in enumerate(line):
        if quote == "'":
            quote = None if character == "'" else quote
        elif quote == '"':
            if character == '"':
                quote = None
            elif character in UNSAFE_IN_DOUBLE_QUOTES:
                raise CommandError(f'{character!r} ({UNSAFE_IN_DOUBLE_QUOTES[character]}) inside '
                                   f'double quotes at column {index + 1}')
        elif character in '\'"':
            quote = character
        elif character in UNSAFE_OUTSIDE_QUOTES:
            raise CommandError(f'{character!r} ({UNSAFE_OUTSIDE_QUOTES[character]}) outside '
                               f'quotes at column {index + 1}: only words, options and names '
                               'may stand there')
    if quote:
        raise CommandError(f'unterminated {quote} quote')


def _character_problem(character):
    code = ord(character)
    category = unicodedata.category(character)
    if character in LINE_BREAKS:
        return 'a line break: the command must be exactly one line, one command'
    if code in ZERO_WIDTH:
        return 'a zero-width character'
    if code in BIDI:
        return 'a bidirectional control character'
    if category == 'Cc':
        return 'a control character'
    if category[0] == 'C':
        return 'an invisible, private-use or unassigned character'
    if category == 'Zs' and character != ' ':
        return 'a space other than the plain space'
    return None


def _split_options(words, kind):
    """Return ``({once|rate|times: value}, positional words)`` of the words after the verb."""
    options, arguments = {}, []
    words = iter(words)
    for word in words:
        if not word.startswith('-') or (kind == 'param' and NEGATIVE_NUMBER.match(word)):
            arguments.append(word)
            continue
        option, equals, attached = word.partition('=')
        key = OPTIONS.get(option) if kind == 'topic' else None
        if key is None:
            allowed = 'only --once, --rate R or --times N' if kind == 'topic' else 'no options'
            raise CommandError(f'unsupported option {word!r}: this form takes {allowed}')
        if key in options:
            raise CommandError(f'--{key} is given twice')
        if key == 'once':
            if equals:
                raise CommandError(f'{option} takes no value')
            options[key] = True
            continue
        text = attached if equals else next(words, None)
        pattern = RATE_PATTERN if key == 'rate' else TIMES_PATTERN
        if text is None or not pattern.match(text):
            what = 'a number' if key == 'rate' else 'a whole number'
            raise CommandError(f'{option} needs {what}, got {text!r}')
        options[key] = float(text) if key == 'rate' else int(text)
    if kind == 'topic' and len(options) != 1:
        raise CommandError('ros2 topic pub needs exactly one of --once, --rate R and --times N')
    return options, arguments


def _check_name(name, what):
    if not NAME_PATTERN.match(name):
        raise CommandError(f'{name!r} is not a fully qualified {what} name such as /turtle1/x')


def _full_type(text, kind):
    """Return ``pkg/Type`` or ``pkg/<kind>/Type`` as ``pkg/<kind>/Type``."""
    match = TYPE_PATTERN.match(text)
    if not match:
        raise CommandError(f'{text!r} is not an interface type such as pkg/msg/Type')
    package, type_kind, name = match.groups()
    return f'{package}/{type_kind or TYPE_KINDS[kind]}/{name}'


def _load_yaml(text, what, flow_mapping=False):
    """
    Read ``text`` as plain YAML: no anchors, aliases or tags, and YAML 1.2 booleans.

    :param flow_mapping: require one flow mapping ``{...}`` and nothing after it.
    """
    try:
        tokens = list(yaml.scan(text, Loader=PlainLoader))
        for token in tokens:
            if type(token) in YAML_FEATURES:
                raise CommandError(f'{what} may not use YAML {YAML_FEATURES[type(token)]}')
        value = yaml.load(text, Loader=PlainLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, 'problem_mark', None)
        where = f' at character {mark.column + 1}' if mark else ''
        problem = getattr(error, 'problem', None) or str(error)
        raise CommandError(f'{what} is not valid YAML: {problem}{where}') from None
    if flow_mapping and not (isinstance(tokens[1], yaml.FlowMappingStartToken)
                             and tokens[-2].end_mark.index == len(text.rstrip())):
        raise CommandError(f'{what} must be one YAML flow mapping such as "{{x: 1.0}}"')
    return value


def _parameter_value(text):
    """Return what ``ros2 param set`` makes of ``text``: a YAML number or bool, else the text."""
    value = _load_yaml(text, 'the parameter value')
    return value if isinstance(value, (bool, int, float, list, dict)) else text


def _field_problems(values, specs, owner, prefix):
    if not isinstance(values, dict):
        return [f'{prefix[:-1]} must be a mapping of the fields of {owner}']
    by_name = {spec.name: spec for spec in specs}
    problems = []
    for key, value in values.items():
        spec = by_name.get(key)
        if spec is None:
            known = f'its fields: {", ".join(by_name)}' if by_name else 'it has no fields'
            problems.append(f'{owner} has no field {prefix}{key} ({known})')
        elif spec.is_message:
            problems += _field_problems(value, spec.fields, spec.type_name, f'{prefix}{key}.')
        else:
            problem = _value_problem(spec, value, prefix + key)
            problems += [problem] if problem else []
    for spec in specs:
        if spec.name in values:
            continue
        if spec.is_message:
            problems += _field_problems({}, spec.fields, spec.type_name,
                                        f'{prefix}{spec.name}.')
        else:
            problem = _value_problem(spec, ZERO[spec.kind], prefix + spec.name)
            problems += [f'{problem} (omitted, so zero)'] if problem else []
    return problems


def _value_problem(spec, value, path):
    """Return what is wrong with ``value`` for a field or parameter ``spec``, or None."""
    kind = spec.kind
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == 'float' and not number:
        return f'{path} must be a number, not {value!r}'
    if kind == 'double' and not isinstance(value, float):
        return f'{path} must be a number with a decimal point, not {value!r}'
    if kind == 'int' and not (number and isinstance(value, int)):
        return f'{path} must be a whole number, not {value!r}'
    if kind == 'string' and not isinstance(value, str):
        return f'{path} must be a string, not {value!r}'
    if kind == 'bool' and not isinstance(value, bool):
        return f'{path} must be true or false, not {value!r}'
    if kind == 'string' and (set(value) & set('"\\$`!') or any(map(_character_problem, value))):
        return f'{path} contains a character that cannot be written safely in a command'
    if kind in ('float', 'double') and not math.isfinite(value):
        return f'{path} must be a finite number, not {value!r}'
    low, high = spec.bounds
    if (low is not None and value < low) or (high is not None and value > high):
        return f'{path} must be {_describe_range(low, high)}, not {value!r}'
    return None


def _describe_range(low, high):
    if low is None:
        return f'at most {high}'
    return f'at least {low}' if high is None else f'between {low} and {high}'


def _full_payload(values, specs):
    """Return every field of ``specs`` in order: given values, zero for omitted ones."""
    values = values or {}
    full = {}
    for spec in specs:
        value = values.get(spec.name)
        if spec.is_message:
            full[spec.name] = _full_payload(value, spec.fields)
        elif value is None:
            full[spec.name] = ZERO[spec.kind]
        else:
            full[spec.name] = float(value) if spec.kind == 'float' else value
    return full


def _render(value):
    """Write a payload value as the canonical YAML flow text."""
    if isinstance(value, dict):
        return '{' + ', '.join(f'{key}: {_render(item)}' for key, item in value.items()) + '}'
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, float):
        text = repr(value)
        text = format(Decimal(text), 'f') if 'e' in text else text
        return text if '.' in text else text + '.0'
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(value)


def _render_value(value):
    """Write a parameter value as one shell word that ``ros2 param set`` reads back."""
    return shlex.quote(value) if isinstance(value, str) else _render(value)


def _as_command(command):
    return command if isinstance(command, Command) else parse_command(command)


def _comparable(line, robot):
    """Return ``(exact part, values compared with tolerance)`` of a valid command, or None."""
    try:
        command = _as_command(line)
    except CommandError:
        return None
    if validate(command, robot):
        return None
    if command.kind == 'param':
        return (command.verb, command.node, command.name), command.value
    if command.verb == UNSUPPORTED:
        return (UNSUPPORTED,), None
    interface = robot.find(command.kind, command.name)
    return ((command.verb, command.name, command.type_name, command.once, command.rate,
             command.times), _full_payload(command.payload, interface.fields))


def _close(a, b):
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[key], b[key]) for key in a)
    numbers = [isinstance(x, (int, float)) and not isinstance(x, bool) for x in (a, b)]
    if all(numbers):
        # 1e-9 of slack so that 0.5 and 0.51 are within 0.01 despite binary rounding.
        return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE + 1e-9)
    return a == b
