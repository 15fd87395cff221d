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
Property tests of the command validator on adversarial lines.

Five properties of :data:`EXAMPLES` examples each (at least 10,000 lines in all): arbitrary
text, text made of shell, YAML and Unicode trouble, mutations of valid commands, generated
commands and mutations of those. On every line :func:`check_line` answers without raising and
the other entry points raise nothing but :class:`CommandError`. Every line it accepts is run
through bash with a stub ``ros2``: bash must pass exactly ``shlex.split(line)`` (nothing
expanded, no glob, no variable), every number must lie in its range, and the canonical text
must be accepted too and be a fixed point.
"""

import json
import math
from pathlib import Path
import shlex
import shutil
import subprocess

from hypothesis import given, HealthCheck, settings, strategies as st
import pytest
from ros2_prompt_tuning.robot import default_robot
from ros2_prompt_tuning.validator import (_split_words, canonical, check_line, CommandError,
                                          MAX_LINE_LENGTH, parse_command, same_command,
                                          UNSUPPORTED, validate, YAML11_BOOLEAN_WORDS, ZERO)

EXAMPLES = 2000
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ROBOT = default_robot()
DATA_DIR = Path(__file__).resolve().parent.parent / 'data' / 'turtlesim'
TWIST = 'geometry_msgs/msg/Twist'
VALID = [
    f'ros2 topic pub --once /turtle1/cmd_vel {TWIST} '
    '"{linear: {x: 2.0, y: 0.0, z: 0.0}, angular: {x: 0.0, y: 0.0, z: -0.7854}}"',
    "ros2 topic pub -r 2 /leo/cmd_vel geometry_msgs/Twist '{angular: {z: 1}}'",
    f'ros2 topic pub /turtle1/cmd_vel {TWIST} "{{linear: {{x: 1.5}}}}" -t 3',
    f'ros2 topic pub --rate=0.5 /turtle1/cmd_vel {TWIST}',
    'ros2 service call /spawn turtlesim/srv/Spawn "{x: 3.0, y: 4.0, theta: 0.0, name: \'leo\'}"',
    'ros2 service call /spawn turtlesim/Spawn "{name: \'\'}"',
    'ros2 service call /kill turtlesim/srv/Kill "{name: \'turtle2\'}"',
    'ros2 service call /turtle1/set_pen turtlesim/srv/SetPen '
    '"{r: 255, g: 0, b: 0, width: 3, \'off\': 0}"',
    'ros2 service call /turtle1/teleport_absolute turtlesim/srv/TeleportAbsolute '
    '"{x: 5.54, y: 5.54, theta: 1.5708}"',
    'ros2 service call /turtle1/teleport_relative turtlesim/srv/TeleportRelative '
    '"{linear: 2.0, angular: -1.5708}"',
    'ros2 action send_goal /turtle1/rotate_absolute turtlesim/action/RotateAbsolute '
    '"{theta: 1.5708}"',
    'ros2 service call /clear std_srvs/srv/Empty',
    'ros2 service call /reset std_srvs/Empty "{}"',
    'ros2 param set /turtlesim background_r 0',
    'ros2 param set /turtlesim background_g "255"',
    UNSUPPORTED,
]
DATA = sorted({json.loads(line)['command'].replace(', off: ', ", 'off': ")
               for path in sorted(DATA_DIR.glob('*.jsonl'))
               for line in path.read_text(encoding='utf-8').splitlines() if line.strip()})
SEEDS = VALID + DATA[::max(1, len(DATA) // 150)]
INVISIBLE = ['\u00ad', '\u034f', '\u061c', '\u115f', '\u1160', '\u17b4', '\u17b5', '\u180b',
             '\u180e', '\u180f', '\u200b', '\u200d', '\u200e', '\u202e', '\u2060', '\u2066',
             '\u2800', '\u3164', '\ufe0f', '\ufeff', '\uffa0', '\U0001d173', '\U000e0001',
             '\U000e0041', '\U000e0100']
UNICODE = INVISIBLE + ['\u00a0', '\u3000', '\u2028', '\u2029', '\x85', '\x00', '\x1b', '\t',
                       '\n', '\r', '\uff13', '\u0663', '\u0435', '\U0001f422', '\ue000',
                       '\ud800', '\u0301', '\u00e9', '\u037e', '\uff02', '\u2019']
SHELL = list(';|&<>()$`!~*?[]{}#\\\'" =:,.-+/_@%^')
NUMBERS = ['0', '0.0', '-0.0', '11.09', '11.0900001', '6.2832', '6.28321', '-6.2832', '20',
           '20.0', '20.000001', '-20.0', '-21', '255', '256', '50', '51', '1', '-1', '0x1F',
           '0x0', '1_0', '0o17', '017', '08', '1:30', '1:30.5', '.5', '+1.0', '-.5', '1.0e+1',
           '1.0e-40', '1.0e+300', '1.0e+400', '3.5e+38', '.inf', '-.inf', '.nan', '.NaN',
           '9' * 32, '9' * 33, '0.' + '0' * 30, '1e5', '\uff11', '\u0663', 'true', 'false',
           'off', "'1.0'", 'null', '~', '', '1000', '1001', '100', '100.5', '0.001', '0.0005']
SNIPPETS = SHELL + UNICODE + NUMBERS + [
    '[' * 3000, '{' * 60, '[[[[[', '{a: {b: {c: {d: {e: 1}}}}}', '9' * 5000, '{[a]: 1}',
    '{{a: 1}: 1}', "'off'", 'on', 'yes', 'Off', '&a ', '*a', '!!str ', '? ', '- ', '--rate',
    '--times', '-1', '-t', '-r', '--rate=', '--once', '2001-12-14', "''", '""', ' && reboot',
    '; rm -rf ~', '$(id)', '`id`', '${HOME}', '\\n', 'UNSUPPORTED', 'ros2', ' ', '   ', 'off: 1',
    "'off': 1", 'name: ', ', x: 1.0', '}', '{', '"{', '}"', "'{", "}'", '/turtle1', 'cmd_vel',
    'geometry_msgs/Twist', ' # c', '%YAML 1.1', '---', '<<: ', 'lеo', '-rf']
LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
WORD_CHARACTERS = LETTERS + '0123456789_'


def segments(first, longest):
    """Return ROS name segments: a character of ``first``, then up to ``longest`` more."""
    return st.tuples(st.sampled_from(first), st.text(WORD_CHARACTERS, max_size=longest)).map(
        ''.join)


PIECE = st.one_of(st.sampled_from(SNIPPETS), st.characters(), st.text(max_size=4))
ALPHABET = st.one_of(st.sampled_from(SNIPPETS), st.characters(codec='utf-8'))


@st.composite
def mutated(draw, seeds):
    """Return a valid command changed by one to four inserts, deletes, replaces or copies."""
    line = draw(seeds)
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(line)))
        end = draw(st.integers(start, min(len(line), start + 8)))
        operation = draw(st.sampled_from(['insert', 'delete', 'replace', 'copy']))
        if operation == 'insert':
            line = line[:start] + draw(PIECE) + line[start:]
        elif operation == 'delete':
            line = line[:start] + line[end:]
        elif operation == 'replace':
            line = line[:start] + draw(PIECE) + line[max(end, start + 1):]
        else:
            line = line[:start] + line[start:end] + line[start:]
    return line


def quoted_name(draw):
    name = draw(st.one_of(
        segments(LETTERS, 66),
        st.sampled_from(['', 'off', 'On', 'yes', '-rf', 'a b/c;d', 'l\u0435o', '\U0001f422',
                         "o'neil", 'leo\\n', 'turtle1', 'null', '1turtle', '3.0']),
        st.text(max_size=6)))
    style = draw(st.sampled_from(['single', 'single', 'bare', 'double']))
    if style == 'single':
        return "'" + name.replace("'", "''") + "'"
    return name if style == 'bare' else '"' + name + '"'


def value_text(draw, spec):
    if spec.kind == 'string':
        return quoted_name(draw)
    return draw(st.one_of(
        st.sampled_from(NUMBERS), st.integers(-300, 300).map(str),
        st.floats(-25, 25).map(repr), st.decimals(-25, 25, places=4).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(lambda x: repr(x).replace('e', '.0e')),
        st.tuples(st.integers(0, 11), st.integers(0, 99)).map(
            lambda pair: f'{pair[0]}.{pair[1]:02d}')))


def mapping_text(draw, specs):
    items = []
    for spec in specs:
        if draw(st.integers(0, 9)) == 0:
            continue
        key = spec.name
        if key.lower() in YAML11_BOOLEAN_WORDS:
            key = draw(st.sampled_from([f"'{key}'", f"'{key}'", key, f'"{key}"']))
        value = mapping_text(draw, spec.fields) if spec.is_message else value_text(draw, spec)
        items.append(f'{key}: {value}')
    if draw(st.integers(0, 19)) == 0:
        items.append(draw(st.sampled_from(['w: 1.0', 'colour: 1', 'off: 1', "'on': 1", 'x: 1'])))
    if draw(st.booleans()):
        items = draw(st.permutations(items))
    return '{' + draw(st.sampled_from([', ', ',', ',  '])).join(items) + '}'


@st.composite
def commands(draw):
    """Return a command line built from the turtlesim description with drawn values."""
    kind = draw(st.sampled_from(['topic', 'service', 'service', 'action', 'param', 'other']))
    if kind == 'other':
        return draw(st.sampled_from([UNSUPPORTED, f' {UNSUPPORTED} ', f'{UNSUPPORTED} x',
                                     'ros2 topic echo /turtle1/pose', 'ros2 run turtlesim x']))
    if kind == 'param':
        parameter = draw(st.sampled_from(ROBOT.parameters))
        value = draw(st.sampled_from(NUMBERS)) if draw(st.booleans()) else str(
            draw(st.integers(-10, 300)))
        if draw(st.integers(0, 3)) == 0:
            value = draw(st.sampled_from(['"{}"', "'{}'"])).format(value)
        return f'ros2 param set {parameter.node} {parameter.name} {value}'
    interface = draw(st.sampled_from([item for item in ROBOT.interfaces if item.kind == kind]))
    turtle = draw(st.one_of(st.sampled_from(['turtle1', 'turtle2', 'leo']),
                            segments(LETTERS + '_', 10)))
    words = ['ros2', {'topic': 'topic pub', 'service': 'service call',
                      'action': 'action send_goal'}[kind],
             interface.name.replace('<turtle>', turtle)]
    package, type_kind, name = interface.type_name.split('/')
    words.append(draw(st.sampled_from([interface.type_name, f'{package}/{name}',
                                       f'{package}/msg/{name}'])))
    if interface.fields and draw(st.integers(0, 9)):
        payload = mapping_text(draw, interface.fields)
        quote = draw(st.sampled_from(['"', '"', "'"]))
        words.append(quote + payload + quote)
    elif draw(st.integers(0, 4)) == 0:
        words.append('"{}"')
    if kind == 'topic':
        number = draw(st.one_of(st.sampled_from(NUMBERS), st.integers(-5, 1200).map(str),
                                st.decimals(0, 120, places=3).map(str)))
        option = draw(st.sampled_from(['--once', '-1', f'--rate {number}', f'-r {number}',
                                       f'--rate={number}', f'--times {number}', f'-t {number}',
                                       f'--times={number}']))
        words.insert(draw(st.sampled_from([2, 2, 3, 4, len(words)])), option)
    line = draw(st.sampled_from([' ', ' ', '  '])).join(words)
    return draw(st.sampled_from(['', '', ' '])) + line + draw(st.sampled_from(['', '', ' ']))


def assert_in_range(command):
    """Check every number and string of an accepted command against the description."""
    if command.kind is None:
        return
    if command.kind == 'param':
        spec = ROBOT.find_parameter(command.node, command.name)
        assert_value(spec, command.value)
        return
    for name in ('rate', 'times'):
        value = getattr(command, name)
        if value is not None:
            low, high = ROBOT.options[name]
            assert value > 0 and low <= value <= high, (name, value)
    assert_payload(command.payload or {}, ROBOT.find(command.kind, command.name).fields)


def assert_payload(values, specs):
    assert set(values) <= {spec.name for spec in specs}, values
    for spec in specs:
        if spec.is_message:
            assert_payload(values.get(spec.name) or {}, spec.fields)
        else:
            assert_value(spec, values.get(spec.name, ZERO[spec.kind]))


def assert_value(spec, value):
    low, high = spec.bounds
    if spec.kind == 'string':
        assert type(value) is str and spec.matches_pattern(value) and value.isascii(), value
    else:
        assert isinstance(value, (int, float)) and not isinstance(value, bool), value
        assert math.isfinite(value) and low <= value <= high, (spec.name, value)


def check(line, accepted):
    """Check one line: no exception anywhere; an accepted line is in range and canonical."""
    ok, reason = check_line(line)
    assert isinstance(ok, bool) and isinstance(reason, str)
    assert ok == (reason == ''), (line, reason)
    try:
        command = parse_command(line)
    except CommandError:
        command = None
    assert same_command(line, line) is ok
    if command is not None and validate(command):
        with pytest.raises(CommandError):
            canonical(command)
    if not ok:
        return
    accepted.append(line)
    assert len(line) <= MAX_LINE_LENGTH
    assert [word.text for word in _split_words(line)] == shlex.split(line)
    assert_in_range(command)
    text = canonical(line)
    assert check_line(text) == (True, ''), (line, text)
    assert canonical(text) == text, (line, text)
    assert same_command(line, text)
    assert_in_range(parse_command(text))


def assert_bash_passes_the_words(lines, folder):
    """Run every line in one bash process with a stub ros2; compare its words with shlex."""
    assert shutil.which('bash'), 'bash is needed'
    stub = ("ros2() { printf '%s\\0' ros2 \"$@\"; printf '\\036\\0'; }\n"
            f"{UNSUPPORTED}() {{ printf '%s\\0' {UNSUPPORTED} \"$@\"; printf '\\036\\0'; }}\n"
            'set -u -o history -o histexpand\nshopt -s failglob\n')
    script = folder / 'lines.sh'
    script.write_text(stub + ''.join(line + '\n' for line in lines), encoding='utf-8')
    (folder / 'ros2').mkdir(exist_ok=True)
    (folder / 'x').write_text('', encoding='utf-8')
    result = subprocess.run([shutil.which('bash'), '--norc', '--noprofile', str(script)],
                            cwd=folder, capture_output=True, timeout=120, check=False,
                            env={'PATH': '/usr/bin:/bin', 'HOME': '/'})
    assert result.returncode == 0, result.stderr.decode('utf-8', 'replace')
    calls, words = [], []
    for word in result.stdout.decode('utf-8').split('\0')[:-1]:
        if word == '\x1e':
            calls.append(words)
            words = []
        else:
            words.append(word)
    for line, call in zip(lines, calls):
        assert call == shlex.split(line), line
    assert len(calls) == len(lines)


def run_property(strategy, folder):
    """Check :data:`EXAMPLES` lines of ``strategy``; return them and the accepted ones."""
    seen, accepted = [], []

    @FUZZ
    @given(line=strategy)
    def prop(line):
        seen.append(line)
        check(line, accepted)

    prop()
    assert len(seen) >= EXAMPLES
    if accepted:
        assert_bash_passes_the_words(accepted, folder)
    return seen, accepted


def test_bash_check_passes_plain_words(tmp_path):
    assert_bash_passes_the_words(VALID + ["ros2 a 'b c' \"d'e\" ''", 'ros2 x y'], tmp_path)


@pytest.mark.parametrize('line', ['ros2 x*', 'ros2 nothing?', 'ros2 $HOME', 'ros2 ~',
                                  'ros2 {a,b}', 'ros2 a; ros2 b', 'ros2 "$(echo a)"',
                                  'ros2 `echo a`', 'ros2 "a!b"', 'ros2 $UNSET', 'ros2 a # b'])
def test_bash_check_sees_what_bash_expands(line, tmp_path):
    with pytest.raises(AssertionError):
        assert_bash_passes_the_words([line], tmp_path)


def test_arbitrary_text_never_breaks_the_validator(tmp_path):
    run_property(st.text(alphabet=st.characters(codec='utf-8'), max_size=200), tmp_path)


def test_text_of_shell_yaml_and_unicode_trouble_never_breaks_the_validator(tmp_path):
    lines = st.lists(ALPHABET, max_size=40).map(''.join)
    run_property(st.one_of(lines, lines.map(lambda text: 'ros2 ' + text)), tmp_path)


def test_mutated_valid_commands_are_refused_or_safe(tmp_path):
    assert all(check_line(line) == (True, '') for line in SEEDS)
    seen, accepted = run_property(mutated(st.sampled_from(SEEDS)), tmp_path)
    assert len(accepted) > EXAMPLES // 20


def test_generated_commands_are_refused_or_safe_in_range_and_canonical(tmp_path):
    seen, accepted = run_property(commands(), tmp_path)
    assert EXAMPLES // 10 < len(accepted) < len(seen)


def test_mutated_generated_commands_are_refused_or_safe(tmp_path):
    run_property(mutated(commands()), tmp_path)
