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
SetPen's ``'off': 1`` keeps the key ``'off'``. ros2cli itself reads payloads with PyYAML's
YAML 1.1 ``safe_load``, where a bare ``off`` is the key ``False``, so a key such as ``off``,
``on``, ``yes`` or ``no`` must be written in single quotes, and the bare word is no string.

Every line is bounded before it is parsed: at most :data:`MAX_LINE_LENGTH` characters, YAML
nested at most :data:`MAX_DEPTH` levels and number literals of at most
:data:`MAX_NUMBER_LENGTH` characters, so that :func:`check_line` answers every string.
"""

from dataclasses import dataclass
from decimal import Decimal
import math
import re
import shlex
import unicodedata

from ros2_prompt_tuning.robot import default_robot, PlainLoader, ZERO
import yaml

UNSUPPORTED = 'UNSUPPORTED'
VERBS = {'topic pub': 'topic', 'service call': 'service', 'action send_goal': 'action',
         'param set': 'param'}
TYPE_KINDS = {'topic': 'msg', 'service': 'srv', 'action': 'action'}
OPTIONS = {'--once': 'once', '-1': 'once', '--rate': 'rate', '-r': 'rate',
           '--times': 'times', '-t': 'times'}
MAX_LINE_LENGTH = 1000
MAX_DEPTH = 6
MAX_NUMBER_LENGTH = 32
NAME_PATTERN = re.compile(r'(/[A-Za-z_][A-Za-z0-9_]*)+')
TYPE_PATTERN = re.compile(r'^([A-Za-z][A-Za-z0-9_]*)/(?:(msg|srv|action)/)?([A-Z][A-Za-z0-9]*)$')
PARAMETER_PATTERN = re.compile(r'[A-Za-z_][A-Za-z0-9_.]*')
RATE_PATTERN = re.compile(r'[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)')
TIMES_PATTERN = re.compile(r'[+-]?[0-9]+')
# The words that argparse (ros2 param set) takes for a negative number rather than an option.
NEGATIVE_NUMBER = re.compile(r'-[0-9]+|-[0-9]*\.[0-9]+')
# Bare words that PyYAML's YAML 1.1 safe_load (ros2cli) reads as booleans, in any case.
YAML11_BOOLEAN_WORDS = {'yes', 'no', 'on', 'off', 'true', 'false'}
NUMBER_TAGS = {'tag:yaml.org,2002:int', 'tag:yaml.org,2002:float'}
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
BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
# Default_Ignorable_Code_Point of Unicode's DerivedCoreProperties.txt: code points that a
# renderer shows as nothing unless it chooses otherwise (most are category Cf, some Mn or Lo).
DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF))
# Characters that draw a blank although Unicode does not call them ignorable or spaces.
BLANK = {0x2800}
YAML_FEATURES = {yaml.AnchorToken: 'anchors (&)', yaml.AliasToken: 'aliases (*)',
                 yaml.TagToken: 'tags (!)'}
NESTING = {yaml.FlowMappingStartToken: 1, yaml.FlowSequenceStartToken: 1,
           yaml.BlockMappingStartToken: 1, yaml.BlockSequenceStartToken: 1,
           yaml.FlowMappingEndToken: -1, yaml.FlowSequenceEndToken: -1, yaml.BlockEndToken: -1}
TOLERANCE = 0.01


# Shell syntax in a request: command separators, pipes, redirections, substitutions.
REQUEST_SHELL_SYNTAX = re.compile(r'[`;|<>]|\$[({]|&&')


def has_shell_syntax(request):
    """Return whether a request holds shell syntax (``;``, ``|``, ``&&``, ``$(``, ...)."""
    return REQUEST_SHELL_SYNTAX.search(request) is not None


class CommandError(ValueError):
    """A line that is not one safe command of the four forms; the message says why."""


class BareWord(str):
    """A payload string written as a bare word that YAML 1.1 reads as a boolean (``off``)."""


class _PayloadLoader(PlainLoader):
    """:class:`PlainLoader` that refuses bare boolean-like keys and marks such values."""

    def construct_mapping(self, node, deep=False):
        for key_node, _ in node.value:
            if (isinstance(key_node, yaml.ScalarNode) and key_node.style is None
                    and key_node.value.lower() in YAML11_BOOLEAN_WORDS):
                word = key_node.value
                raise CommandError(
                    f"the key {word} must be written in single quotes ('{word}'): ros2cli "
                    f'reads the payload as YAML 1.1, where a bare {word} is a boolean '
                    f'(at character {key_node.start_mark.column + 1})')
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_str(self, node):
        value = super().construct_yaml_str(node)
        if node.style is None and value.lower() in YAML11_BOOLEAN_WORDS:
            return BareWord(value)
        return value


_PayloadLoader.add_constructor('tag:yaml.org,2002:str', _PayloadLoader.construct_yaml_str)


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


@dataclass(frozen=True)
class _Word:
    """One shell word: ``text`` as the command receives it, ``raw`` as the line spells it."""

    text: str
    raw: str

    @property
    def quoted(self):
        return self.raw != self.text

    @property
    def one_quoted_string(self):
        """Return whether the word is exactly one '...' or "..." string."""
        raw = self.raw
        return (len(raw) >= 2 and raw[0] in '\'"' and raw[-1] == raw[0]
                and raw[0] not in raw[1:-1])


def parse_command(line):
    """
    Parse one generated line into a :class:`Command`.

    The line must be safe to paste before it is split: at most :data:`MAX_LINE_LENGTH`
    characters; outside quotes only words, options and names; inside double quotes no ``$``,
    backtick, ``!`` or backslash; no control, line-break, invisible (default-ignorable),
    zero-width or bidirectional character anywhere. Only the YAML payload and a parameter's
    value may be quoted, each as one whole quoted string. Leading and trailing spaces are
    ignored.

    :raises CommandError: saying in words why the line is not one allowed command.
    """
    _check_safe(line)
    words = _split_words(line)
    if not words:
        raise CommandError('the line is empty')
    for word in words[:3]:
        _check_unquoted(word)
    if words[0].text == UNSUPPORTED:
        if len(words) > 1:
            raise CommandError('UNSUPPORTED must stand alone on the line')
        return Command(UNSUPPORTED)
    if words[0].text != 'ros2':
        raise CommandError(f'not a ros2 command: the line starts with {words[0].text!r}')
    verb = ' '.join(word.text for word in words[1:3])
    if verb not in VERBS:
        raise CommandError(f'"ros2 {verb}" is not one of the allowed forms: '
                           + ', '.join(f'ros2 {allowed}' for allowed in VERBS))
    kind = VERBS[verb]
    options, arguments = _split_options(words[3:], kind)
    if kind == 'param':
        if len(arguments) != 3:
            raise CommandError('ros2 param set takes exactly NODE NAME VALUE')
        node, name, value = arguments
        for word in (node, name):
            _check_unquoted(word)
        _check_name(node.text, 'node')
        if not PARAMETER_PATTERN.fullmatch(name.text):
            raise CommandError(f'{name.text!r} is not a parameter name')
        _check_one_quoted_string(value, 'a parameter value')
        return Command(verb, name.text, node=node.text, value=_parameter_value(value.text))
    if len(arguments) not in ((3,) if kind == 'action' else (2, 3)):
        shape = 'NAME TYPE "YAML"' if kind == 'action' else 'NAME TYPE ["YAML"]'
        raise CommandError(f'ros2 {verb} takes {shape}, got {len(arguments)} arguments')
    name, type_name, *payload = arguments
    for word in (name, type_name):
        _check_unquoted(word)
    _check_name(name.text, kind)
    type_name = _full_type(type_name.text, kind)
    if payload:
        _check_one_quoted_string(payload[0], 'the YAML payload')
    payload = _load_yaml(payload[0].text, 'the payload', flow_mapping=True) if payload else None
    return Command(verb, name.text, type_name, payload, **options)


def validate(command, robot=None):
    """
    Check a parsed command against a robot's interfaces.

    Numbers must lie in the ranges of the robot description (fields, parameters and the
    ``--rate``/``--times`` options), floats must be finite, strings must match their
    field's ``pattern``, a value with ``values`` must be one of them and an array field must
    be a list of the length its type allows, each element checked as a field of its type.

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
    problems = _option_problems(command, robot)
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
    Parse and validate one generated line; answers every input and never raises.

    :returns: ``(ok, reason)``; ``reason`` says what is wrong, empty when ``ok``.
    """
    if not isinstance(line, str):
        return False, f'expected one line of text, not {type(line).__name__}'
    try:
        problems = validate(parse_command(line), robot)
    except CommandError as error:
        return False, str(error)
    except Exception as error:
        # A last guard: a line that breaks the checker is not a command to run.
        return False, f'the line could not be checked ({type(error).__name__})'
    return not problems, '; '.join(problems)


def canonical(command, robot=None):
    """
    Return the spec's canonical text of a valid command (a :class:`Command` or a line).

    The type is in full, every field is written in message order with omitted ones at their
    zero value (an omitted array is ``[]``, or its length of zeros when that is fixed), floats
    carry a decimal point, strings are single-quoted and so are keys that YAML 1.1 reads as
    booleans (``'off'``); an array is a flow sequence such as ``[1.0, 2.0]``.

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
        words.append(f'--rate {int(rate) if rate.is_integer() else _decimal(rate)}')
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
    if not isinstance(line, str):
        raise CommandError(f'expected one line of text, not {type(line).__name__}')
    if len(line) > MAX_LINE_LENGTH:
        raise CommandError(f'the line is {len(line)} characters long; a command has at most '
                           f'{MAX_LINE_LENGTH}')
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
    if ' ' <= character <= '~':
        return None
    code = ord(character)
    category = unicodedata.category(character)
    if character in LINE_BREAKS or category in ('Zl', 'Zp'):
        return 'a line break: the command must be exactly one line, one command'
    if code in ZERO_WIDTH:
        return 'a zero-width character'
    if code in BIDI:
        return 'a bidirectional control character'
    if category == 'Cc':
        return 'a control character'
    if category == 'Cf' or any(low <= code <= high for low, high in DEFAULT_IGNORABLE):
        return 'an invisible (format or default-ignorable) character'
    if category[0] == 'C':
        return 'an invisible, private-use or unassigned character'
    if code in BLANK:
        return 'a blank character'
    if category == 'Zs' and character != ' ':
        return 'a space other than the plain space'
    return None


def _split_words(line):
    """
    Split a line that passed :func:`_check_safe` into words, as bash and ``shlex`` do.

    Such a line has spaces as its only blanks and no backslash outside single quotes, so
    quotes are the only thing to undo.
    """
    words, text, raw, quote, started = [], [], [], None, False
    for character in line:
        if quote:
            raw.append(character)
            if character == quote:
                quote = None
            else:
                text.append(character)
        elif character == ' ':
            if started:
                words.append(_Word(''.join(text), ''.join(raw)))
            text, raw, started = [], [], False
        else:
            started = True
            raw.append(character)
            if character in '\'"':
                quote = character
            else:
                text.append(character)
    if started:
        words.append(_Word(''.join(text), ''.join(raw)))
    return words


def _check_unquoted(word):
    if word.quoted:
        raise CommandError(f'{word.raw!r} holds quote characters: only the YAML payload or a '
                           'parameter value may be quoted')


def _check_one_quoted_string(word, what):
    if word.quoted and not word.one_quoted_string:
        raise CommandError(f'{what} must be one quoted string, not {word.raw!r}')


def _split_options(words, kind):
    """Return ``({once|rate|times: value}, positional words)`` of the words after the verb."""
    options, arguments = {}, []
    words = iter(words)
    for word in words:
        if not word.text.startswith('-') or (kind == 'param'
                                             and NEGATIVE_NUMBER.fullmatch(word.text)):
            arguments.append(word)
            continue
        _check_unquoted(word)
        option, equals, attached = word.text.partition('=')
        key = OPTIONS.get(option) if kind == 'topic' else None
        if key is None:
            allowed = 'only --once, --rate R or --times N' if kind == 'topic' else 'no options'
            raise CommandError(f'unsupported option {word.text!r}: this form takes {allowed}')
        if key in options:
            raise CommandError(f'--{key} is given twice')
        if key == 'once':
            if equals:
                raise CommandError(f'{option} takes no value')
            options[key] = True
            continue
        if equals:
            text = attached
        else:
            value = next(words, None)
            if value is not None:
                _check_unquoted(value)
            text = value and value.text
        pattern = RATE_PATTERN if key == 'rate' else TIMES_PATTERN
        what = 'a number' if key == 'rate' else 'a whole number'
        if text is not None and len(text) > MAX_NUMBER_LENGTH:
            raise CommandError(f'{option} needs {what} of at most {MAX_NUMBER_LENGTH} '
                               f'characters, got {len(text)}')
        if text is None or not pattern.fullmatch(text):
            raise CommandError(f'{option} needs {what}, got {text!r}')
        options[key] = float(text) if key == 'rate' else int(text)
    if kind == 'topic' and len(options) != 1:
        raise CommandError('ros2 topic pub needs exactly one of --once, --rate R and --times N')
    return options, arguments


def _check_name(name, what):
    if not NAME_PATTERN.fullmatch(name):
        raise CommandError(f'{name!r} is not a fully qualified {what} name such as /turtle1/x')


def _full_type(text, kind):
    """Return ``pkg/Type`` or ``pkg/<kind>/Type`` as ``pkg/<kind>/Type``."""
    match = TYPE_PATTERN.fullmatch(text)
    if not match:
        raise CommandError(f'{text!r} is not an interface type such as pkg/msg/Type')
    package, type_kind, name = match.groups()
    return f'{package}/{type_kind or TYPE_KINDS[kind]}/{name}'


def _load_yaml(text, what, flow_mapping=False):
    """
    Read ``text`` as plain YAML: no anchors, aliases or tags, and YAML 1.2 booleans.

    Nesting is limited to :data:`MAX_DEPTH` levels and number literals to
    :data:`MAX_NUMBER_LENGTH` characters; a key that YAML 1.1 reads as a boolean must be
    quoted and such a bare value is a :class:`BareWord`.

    :param flow_mapping: require one flow mapping ``{...}`` and nothing after it.
    """
    try:
        tokens = _scan(text, what)
        value = yaml.load(text, Loader=_PayloadLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, 'problem_mark', None)
        where = f' at character {mark.column + 1}' if mark else ''
        problem = getattr(error, 'problem', None) or str(error)
        raise CommandError(f'{what} is not valid YAML: {problem}{where}') from None
    if flow_mapping and not (isinstance(tokens[1], yaml.FlowMappingStartToken)
                             and tokens[-2].end_mark.index == len(text.rstrip())):
        raise CommandError(f'{what} must be one YAML flow mapping such as "{{x: 1.0}}"')
    return value


def _scan(text, what):
    """Return the YAML tokens of ``text``; stop at YAML features, deep nesting, long numbers."""
    tokens, depth = [], 0
    for token in yaml.scan(text, Loader=PlainLoader):
        if type(token) in YAML_FEATURES:
            raise CommandError(f'{what} may not use YAML {YAML_FEATURES[type(token)]}')
        depth += NESTING.get(type(token), 0)
        if depth > MAX_DEPTH:
            raise CommandError(f'{what} nests deeper than {MAX_DEPTH} levels')
        if (isinstance(token, yaml.ScalarToken) and token.plain
                and len(token.value) > MAX_NUMBER_LENGTH and _is_number(token.value)):
            raise CommandError(f'{what} has a number longer than {MAX_NUMBER_LENGTH} '
                               f'characters: {token.value[:MAX_NUMBER_LENGTH]}...')
        tokens.append(token)
    return tokens


def _is_number(word):
    """Return whether YAML reads the bare ``word`` as an integer or a float."""
    resolvers = PlainLoader.yaml_implicit_resolvers
    candidates = resolvers.get(word[:1] if word else '', []) + resolvers.get(None, [])
    return any(tag in NUMBER_TAGS and regexp.match(word) for tag, regexp in candidates)


def _parameter_value(text):
    """
    Return what ``ros2 param set`` makes of ``text``: a YAML number, bool or string.

    Text that YAML reads as neither (``null``, a date) stays the text itself.
    """
    value = _load_yaml(text, 'the parameter value')
    return value if isinstance(value, (bool, int, float, list, dict, str)) else text


def _option_problems(command, robot):
    problems = []
    if command.rate is not None and not command.rate > 0:
        return [f'--rate must be greater than 0, not {command.rate:g}']
    for name in ('rate', 'times'):
        value = getattr(command, name)
        if value is None:
            continue
        low, high = robot.option(name).bounds
        shown = f'{value:g}' if name == 'rate' else value
        if low is not None and value < low:
            problems.append(f'--{name} must be at least {low:g}, not {shown}')
        elif high is not None and value > high:
            problems.append(f'--{name} must be at most {high:g}, not {shown}')
    return problems


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
        elif spec.is_array:
            problems += _array_problems(spec, value, prefix + key)
        else:
            problems += _element_problems(spec, value, prefix + key)
    for spec in specs:
        if spec.name in values:
            continue
        if spec.is_message and not spec.is_array:
            problems += _field_problems({}, spec.fields, spec.type_name,
                                        f'{prefix}{spec.name}.')
        else:
            check = _array_problems if spec.is_array else _element_problems
            problems += [f'{problem} (omitted, so zero)'
                         for problem in check(spec, _full_value(spec, None), prefix + spec.name)]
    return problems


def _array_problems(spec, values, path):
    """Return what is wrong with ``values`` for the array field ``spec``: length, elements."""
    if not isinstance(values, list):
        return [f'{path} must be a list [...] of {spec.type_name}, not {values!r}']
    fewest, most = spec.array.lengths
    if len(values) < fewest or (most is not None and len(values) > most):
        return [f'{path} must hold {_describe_length(fewest, most)} elements, not {len(values)}']
    problems = []
    for index, value in enumerate(values):
        problems += _element_problems(spec, value, f'{path}[{index}]')
    return problems


def _describe_length(fewest, most):
    return f'exactly {most}' if fewest == most else f'at most {most}'


def _element_problems(spec, value, path):
    """Return what is wrong with ``value`` for one field (or array element) ``spec``."""
    if spec.is_message:
        return _field_problems(value, spec.fields, spec.type_name, f'{path}.')
    problem = _value_problem(spec, value, path)
    return [problem] if problem else []


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
    if kind == 'string':
        if isinstance(value, BareWord):
            return (f'{path}: ros2cli reads the bare word {value} as a boolean (YAML 1.1); '
                    f"write the string in single quotes ('{value}')")
        if set(value) & set('"\\$`!') or any(map(_character_problem, value)):
            return f'{path} contains a character that cannot be written safely in a command'
        pattern = getattr(spec, 'pattern', None)
        if pattern is not None and not spec.matches_pattern(value):
            shown = ascii(value) if len(value) <= 70 else ascii(value[:64]) + '...'
            return f'{path} must match {pattern}, not {shown}'
    else:
        if isinstance(value, float) and not math.isfinite(value):
            return f'{path} must be a finite number, not {value!r}'
        low, high = spec.bounds
        if (low is not None and value < low) or (high is not None and value > high):
            return f'{path} must be {_describe_range(low, high)}, not {value!r}'
    if spec.values and value not in spec.allowed_values:
        return f'{path} must be one of {_describe_values(spec.values)}, not {value!r}'
    return None


def _describe_values(values):
    return ', '.join(f'{value!r}' if meaning is None else f'{value!r} ({meaning})'
                     for value, meaning in values)


def _describe_range(low, high):
    if low is None:
        return f'at most {high}'
    return f'at least {low}' if high is None else f'between {low} and {high}'


def _full_payload(values, specs):
    """Return every field of ``specs`` in order: given values, zero for omitted ones."""
    values = values or {}
    return {spec.name: _full_value(spec, values.get(spec.name)) for spec in specs}


def _full_value(spec, value):
    """
    Return the value of one field in full; ``None`` (omitted) is the field's zero.

    An omitted array is empty, or holds the zero of each element when its length is fixed.
    """
    if not spec.is_array:
        return _full_element(spec, value)
    if value is None:
        fewest, _ = spec.array.lengths
        value = [None] * fewest
    return [_full_element(spec, item) for item in value]


def _full_element(spec, value):
    if spec.is_message:
        return _full_payload(value, spec.fields)
    if value is None:
        return ZERO[spec.kind]
    return float(value) if spec.kind == 'float' else value


def _decimal(value):
    """Write a finite float as a plain decimal with a point (``1e-05`` as ``0.00001``)."""
    text = repr(value)
    if 'e' in text:
        text = format(Decimal(text), 'f')
    text = text if '.' in text else text + '.0'
    if len(text) > MAX_NUMBER_LENGTH and text.startswith('0.'):
        text = text[1:]
    return text


def _render(value):
    """Write a payload value as the canonical YAML flow text."""
    if isinstance(value, dict):
        return '{' + ', '.join(f'{render_key(key)}: {_render(item)}'
                               for key, item in value.items()) + '}'
    if isinstance(value, list):
        return '[' + ', '.join(_render(item) for item in value) + ']'
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, float):
        text = _decimal(value)
        if len(text) > MAX_NUMBER_LENGTH:
            # Too long as a plain decimal: YAML 1.1's exponent form, with a point.
            mantissa, exponent = repr(value).split('e')
            text = f'{mantissa if "." in mantissa else mantissa + ".0"}e{exponent}'
        return text
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(value)


def render_key(key):
    """Write a payload key, in single quotes where YAML 1.1 would read it as a boolean."""
    return f"'{key}'" if str(key).lower() in YAML11_BOOLEAN_WORDS else str(key)


def _render_value(value):
    """Write a parameter value as one shell word that ``ros2 param set`` reads back."""
    if not isinstance(value, str):
        return _render(value)
    if "'" not in value and _reads_back(value):
        return value if shlex.quote(value) == value else f"'{value}'"
    return f'"{_render(value)}"'


def _reads_back(text):
    """Return whether YAML reads the plain ``text`` as that same (non-boolean) string."""
    try:
        value = _load_yaml(text, 'the parameter value')
    except CommandError:
        return False
    return type(value) is str and value == text


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
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    numbers = [isinstance(x, (int, float)) and not isinstance(x, bool) for x in (a, b)]
    if all(numbers):
        # 1e-9 of slack so that 0.5 and 0.51 are within 0.01 despite binary rounding.
        return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE + 1e-9)
    return a == b
