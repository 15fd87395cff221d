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

"""The generic data builder: phrases files, drawn pairs, splits by template, the command line."""

from dataclasses import replace
import json
import math
from pathlib import Path
import random
import re
import subprocess
import sys

import pytest

from ros2_prompt_tuning import build_data
from ros2_prompt_tuning.data_builder import (build, check_splits, load_phrases, normalise,
                                             PhrasesError, slip, ungrounded, UNSUPPORTED_SHARE,
                                             write_splits)
from ros2_prompt_tuning.quantities import rewrite_quantities
from ros2_prompt_tuning.rewriting import RequestRewriter
from ros2_prompt_tuning.robot import default_robot, RobotDescription
from ros2_prompt_tuning.validator import canonical, check_line, parse_command, UNSUPPORTED

ROOT = Path(__file__).resolve().parent.parent
NAV2_ROBOT = ROOT / 'robots' / 'nav2_turtlebot3.yaml'
NAV2_DATA = ROOT / 'data' / 'nav2_turtlebot3'
SPLITS = ('train', 'validation', 'test')

# A small turtlesim phrases file: name parts, named values, directions, options, parameters.
TURTLESIM_PHRASES = """\
version: 1
robot_names: [the turtle]
capabilities: [drawing]
intents:
  - name: move
    command:
      topic: /<turtle>/cmd_vel
      parts: {turtle: '{who}'}
      message: {linear: {x: '{distance}'}}
    slots:
      distance: {kind: quantity, sign: direction, min: 0.1, max: 5.0, unit: m}
      direction: {kind: direction, words: {forward: 1, ahead: 1, back: -1, backward: -1}}
      who: {kind: word, words: [leo, raph], optional: true}
    phrases:
      - move {direction} {distance}
      - go {direction} {distance}
      - drive {who} {direction} {distance}
      - make {who} move {direction} {distance}
      - head {direction} {distance}
    terse:
      - '{who}: {direction} {distance}'
  - name: keep_moving
    command: {topic: /<turtle>/cmd_vel, rate: default, message: {linear: {x: '{speed}'}}}
    slots:
      speed: {kind: quantity, sign: direction, optional: true, min: 0.1, max: 2.0,
              unit: m/s}
      direction: {kind: direction, words: {forward: 1, backward: -1}}
    phrases:
      - keep moving {direction}
      - keep driving {direction} at {speed}
      - move {direction} at {speed} until stopped
  - name: repeat
    command: {topic: /<turtle>/cmd_vel, times: '{count}', message: {angular: {z: '{angle}'}}}
    slots:
      count: {kind: quantity, min: 2, max: 9}
      angle: {kind: quantity, sign: direction, min: 0.1, max: 3.2, unit: rad,
              units: [deg, rad]}
      direction: {kind: direction, words: {left: 1, right: -1}}
    phrases:
      - turn {direction} {angle} {count} times
      - 'repeat {count} times: turn {angle} to the {direction}'
      - rotate {angle} {direction}, {count} times in a row
  - name: kill
    command: {service: /kill, request: {name: '{name}'}}
    slots:
      name: {kind: word, words: [leo, raph, donnie, mikey]}
    phrases:
      - kill {name}
      - remove the turtle {name}
      - delete {name}
  - name: face
    command: {action: /<turtle>/rotate_absolute, goal: {theta: '{heading}'}}
    slots:
      heading: {kind: named, group: compass headings}
    phrases:
      - face {heading}
      - turn to face {heading}
      - rotate until facing {heading}
  - name: clear
    command: {service: /clear}
    phrases: [clear the screen, wipe the canvas, erase the drawing]
  - name: background
    command: {parameter: background_r, value: '{level}'}
    slots:
      level: {kind: quantity}
    phrases:
      - set the background red to {level}
      - change the red of the background to {level}
      - make the background red channel {level}
unsupported:
  - make me a coffee
  - draw a square
"""


@pytest.fixture(scope='module')
def nav2_robot():
    return RobotDescription.load(NAV2_ROBOT)


@pytest.fixture(scope='module')
def turtlesim_phrases(tmp_path_factory):
    path = tmp_path_factory.mktemp('phrases') / 'turtlesim.yaml'
    path.write_text(TURTLESIM_PHRASES, encoding='utf-8')
    return load_phrases(path, default_robot())


@pytest.fixture(scope='module')
def turtlesim_splits(turtlesim_phrases):
    return build(turtlesim_phrases, seed=3, examples_per_template=6)


@pytest.fixture(scope='module')
def nav2_phrases(nav2_robot):
    return load_phrases(NAV2_DATA / 'phrases.yaml', nav2_robot)


def all_pairs(splits):
    return [pair for split in SPLITS for pair in splits[split]]


def test_a_seed_always_gives_the_same_pairs(turtlesim_phrases, turtlesim_splits):
    again = build(turtlesim_phrases, seed=3, examples_per_template=6)
    assert again == turtlesim_splits
    other = build(turtlesim_phrases, seed=4, examples_per_template=6)
    assert other != turtlesim_splits


def test_written_files_are_the_same_for_a_seed(turtlesim_phrases, turtlesim_splits, tmp_path):
    write_splits(turtlesim_splits, tmp_path / 'a')
    write_splits(build(turtlesim_phrases, seed=3, examples_per_template=6), tmp_path / 'b')
    for split in SPLITS:
        text = (tmp_path / 'a' / f'{split}.jsonl').read_bytes()
        assert text == (tmp_path / 'b' / f'{split}.jsonl').read_bytes()
        rows = [json.loads(line) for line in text.decode('utf-8').splitlines()]
        assert rows and all(set(row) == {'instruction', 'command', 'category'} for row in rows)


def test_held_out_templates_and_requests_are_not_in_train(turtlesim_splits):
    train = turtlesim_splits['train']
    for split in ('validation', 'test'):
        held_out = turtlesim_splits[split]
        assert held_out
        assert not {pair.template for pair in held_out} & {pair.template for pair in train}
        assert not ({normalise(pair.instruction) for pair in held_out}
                    & {normalise(pair.instruction) for pair in train})


def test_every_intent_is_in_train_and_held_out_too(turtlesim_phrases, turtlesim_splits):
    assert {pair.source for pair in turtlesim_splits['train']} >= {
        intent.name for intent in turtlesim_phrases.intents}
    for split in ('validation', 'test'):
        assert {pair.category for pair in turtlesim_splits[split]} >= {'move', 'unsupported'}


def test_check_splits_finds_a_template_shared_with_train(turtlesim_phrases, turtlesim_splits):
    leaked = dict(turtlesim_splits)
    pair = turtlesim_splits['train'][0]
    leaked['test'] = turtlesim_splits['test'] + [replace(pair, instruction='a new request')]
    with pytest.raises(ValueError, match='test shares the phrasing template'):
        check_splits(leaked, turtlesim_phrases)


def test_every_command_is_valid_canonical_and_grounded_in_its_request(turtlesim_splits):
    robot = default_robot()
    rewrite = RequestRewriter(robot)
    for pair in all_pairs(turtlesim_splits):
        assert check_line(pair.command, robot) == (True, ''), pair
        assert canonical(pair.command, robot) == pair.command
        if pair.command != UNSUPPORTED:
            command = parse_command(pair.command)
            assert ungrounded(command, rewrite(pair.instruction), robot) is None, pair


def test_slots_fill_name_parts_named_values_and_options(turtlesim_splits):
    commands = {pair.instruction: pair.command for pair in all_pairs(turtlesim_splits)}
    moves = [(text, command) for text, command in commands.items() if '/cmd_vel' in command]
    assert any('/leo/cmd_vel' in command and 'leo' in text for text, command in moves)
    assert any('/turtle1/cmd_vel' in command for _, command in moves)
    assert any('--rate 1 ' in command and 'x: 1.0' in command for _, command in moves)
    assert any('--times ' in command for _, command in moves)
    headings = dict(next(group.values for group in default_robot().named_values
                         if group.name == 'compass headings'))
    faces = [(text, command) for text, command in commands.items() if 'rotate_absolute' in command]
    assert faces
    for text, command in faces:
        heading = max((phrase for phrase in headings if phrase in text.lower()), key=len)
        assert f'{{theta: {headings[heading].split()[0]}}}' in command, (text, command)
    assert any(command.startswith('ros2 param set /turtlesim background_r ')
               for command in commands.values())


def test_directions_set_the_sign(turtlesim_splits):
    for pair in all_pairs(turtlesim_splits):
        words = normalise(pair.instruction).replace(',', ' ').split()
        if pair.category == 'move' and 'x: -' in pair.command:
            assert {'back', 'backward'} & set(words), pair
        if pair.category == 'move' and 'x: -' not in pair.command:
            assert {'forward', 'ahead'} & set(words), pair


def test_unsupported_requests_are_a_tenth_and_of_every_kind(turtlesim_splits):
    pairs = all_pairs(turtlesim_splits)
    unsupported = [pair for pair in pairs if pair.command == UNSUPPORTED]
    assert abs(len(unsupported) / len(pairs) - UNSUPPORTED_SHARE) < 0.02
    assert {pair.category for pair in unsupported} == {'unsupported'}
    kinds = {pair.source for pair in unsupported}
    assert {'injection', 'missing', 'override', 'listed'} <= kinds
    assert not any('draw a ' in pair.instruction.lower() for pair in unsupported
                   if pair.source == 'missing')


def test_a_slip_spares_protected_words():
    rng = random.Random(0)
    for _ in range(200):
        text = slip(rng, 'please drive forward 2 metres now', {'forward', 'metres'})
        assert 'forward' in text.split() and 'metres' in text.split()
        assert text != 'please drive forward 2 metres now'


def test_a_value_the_request_does_not_hold_stops_the_build(tmp_path):
    path = tmp_path / 'phrases.yaml'
    path.write_text("""\
version: 1
intents:
  - name: face
    command: {action: /<turtle>/rotate_absolute, goal: {theta: 1.2}}
    phrases: [face the window, look at the window, turn to the window]
""", encoding='utf-8')
    with pytest.raises(ValueError, match='does not hold the value of theta'):
        build(load_phrases(path, default_robot()), examples_per_template=1)


NAV2_ROBOT = Path(__file__).resolve().parent.parent / 'robots' / 'nav2_turtlebot3.yaml'


def test_a_quantity_fills_a_message_through_its_derived_fields(tmp_path):
    path = tmp_path / 'phrases.yaml'
    path.write_text("""\
version: 1
intents:
  - name: face
    command:
      action: /navigate_to_pose
      goal: {pose: {pose: {position: {x: '{x}'}, orientation: '{heading}'}}}
    slots:
      x: {kind: quantity, min: 1, max: 5, units: [bare]}
      heading: {kind: quantity, sign: any, min: -3.1416, max: 3.1416, unit: rad, units: [deg]}
    phrases: ['go to x {x} facing {heading}']
  - name: wait
    command: {action: /wait, goal: {time: '{duration}'}}
    slots:
      duration: {kind: quantity, min: 0.1, max: 600, unit: s, units: [s]}
    phrases: ['wait {duration}']
""", encoding='utf-8')
    robot = RobotDescription.load(NAV2_ROBOT)
    pairs = [pair for split in build(load_phrases(path, robot), examples_per_template=20).values()
             for pair in split if pair.category != 'unsupported']
    headings = waits = 0
    for pair in pairs:
        command = parse_command(pair.command)
        request = rewrite_quantities(pair.instruction)
        if pair.category == 'face':
            yaw = float(re.search(r'(-?\d+\.\d+) rad', request).group(1))
            quaternion = command.payload['pose']['pose']['orientation']
            assert quaternion['z'] == pytest.approx(math.sin(yaw / 2), abs=2e-4)
            assert quaternion['w'] == pytest.approx(math.cos(yaw / 2), abs=2e-4)
            headings += 1
        else:
            seconds = float(re.search(r'(\d+\.\d+) s', request).group(1))
            time = command.payload['time']
            assert time['sec'] + time['nanosec'] / 1e9 == pytest.approx(seconds)
            waits += 1
    assert headings and waits


def test_a_quantity_on_a_message_without_derived_fields_is_refused(tmp_path):
    path = tmp_path / 'phrases.yaml'
    path.write_text("""\
version: 1
intents:
  - name: go
    command: {action: /navigate_to_pose, goal: {pose: {pose: {position: '{x}'}}}}
    slots:
      x: {kind: quantity, min: 1, max: 5, unit: m}
    phrases: ['go {x}']
""", encoding='utf-8')
    with pytest.raises(PhrasesError, match='a message with fields derived from a number'):
        load_phrases(path, RobotDescription.load(NAV2_ROBOT))


BASE = """\
version: 1
intents:
  - name: kill
    command: {service: /kill, request: {name: '{name}'}}
    slots:
      name: {kind: word, words: [leo]}
    phrases: ['kill {name}']
"""


@pytest.mark.parametrize('old, new, key', [
    ('version: 1', 'version: 2', 'version: expected 1'),
    ('version: 1', 'version: 1\ncolour: red', "the file: unknown key 'colour'"),
    ('service: /kill', 'service: /kil', 'intents[0].command.service: turtlesim has no service'),
    ("request: {name: '{name}'}", "request: {nom: '{name}'}",
     "intents[0].command.request: unknown key 'nom'"),
    ("'kill {name}'", "'kill {nme}'", 'intents[0].phrases[0]: {nme} is not a slot'),
    ("'kill {name}'", 'kill him', "intents[0].phrases[0]: 'kill him' leaves out the slot 'name'"),
    ('kind: word', 'kind: words', 'intents[0].slots.name.kind: expected one of'),
    ('kind: word, words: [leo]', 'kind: quantity', 'intents[0].slots.name: a quantity fills'),
    ('words: [leo]', 'words: [two words]', "intents[0].slots.name.words[0]: 'two words'"),
    ('- name: kill', '- name: Kill', 'intents[0].name: expected a lower-case name'),
    ("service: /kill, request: {name: '{name}'}", "parameter: background_x, value: '{name}'",
     "intents[0].command.parameter: turtlesim has no parameter 'background_x'"),
    ("phrases: ['kill {name}']", "phrases: ['kill {name}', 'kill {name}']",
     "intents[0]: the phrase 'kill {name}' is listed twice"),
    ('version: 1', 'version: [1', 'not valid YAML'),
])
def test_errors_name_the_file_and_the_key(tmp_path, old, new, key):
    path = tmp_path / 'bad.yaml'
    assert old in BASE
    path.write_text(BASE.replace(old, new, 1), encoding='utf-8')
    with pytest.raises(PhrasesError) as error:
        load_phrases(path, default_robot())
    assert str(error.value).startswith(f'{path}: ')
    assert key in str(error.value)


def test_a_sign_must_name_a_direction_slot(tmp_path):
    path = tmp_path / 'bad.yaml'
    path.write_text("""\
version: 1
intents:
  - name: turn
    command: {topic: /<turtle>/cmd_vel, message: {angular: {z: '{angle}'}}}
    slots:
      angle: {kind: quantity, sign: side}
    phrases: ['turn {angle}']
""", encoding='utf-8')
    with pytest.raises(PhrasesError, match=r"intents\[0\]\.slots\.angle\.sign: 'side' is not"):
        load_phrases(path, default_robot())


def test_the_nav2_phrases_cover_every_interface_and_parameter(nav2_robot, nav2_phrases):
    targets = {intent.target.name for intent in nav2_phrases.intents}
    assert targets == {item.name for item in nav2_robot.interfaces + nav2_robot.parameters}
    for category in {intent.category for intent in nav2_phrases.intents}:
        intents = [intent for intent in nav2_phrases.intents if intent.category == category]
        assert sum(len(intent.phrases + intent.terse) for intent in intents) >= 6, category


def test_the_shipped_nav2_data_has_every_kind_of_unsupported_request():
    rows = []
    for split in SPLITS:
        with open(NAV2_DATA / f'{split}.jsonl', encoding='utf-8') as stream:
            rows += [json.loads(line) for line in stream]
    unsupported = [row['instruction'].lower() for row in rows if row['command'] == UNSUPPORTED]
    assert 0.08 < len(unsupported) / len(rows) < 0.12
    for marker in ('&&', 'ignore previous instructions', ', then ', 'ros2 topic echo',
                   'kitchen', 'gripper'):
        assert any(marker in text for text in unsupported), marker


def test_the_shipped_nav2_data_is_what_the_builder_writes(nav2_phrases, tmp_path):
    write_splits(build(nav2_phrases), tmp_path)
    for split in SPLITS:
        assert (tmp_path / f'{split}.jsonl').read_bytes() == \
            (NAV2_DATA / f'{split}.jsonl').read_bytes(), split


def run_main(tmp_path, *extra, phrases=None):
    return build_data.main(['--robot', str(NAV2_ROBOT), '--phrases',
                            str(phrases or NAV2_DATA / 'phrases.yaml'),
                            '--out', str(tmp_path / 'out'), *extra])


def test_the_command_line_writes_the_splits(tmp_path, capsys):
    assert run_main(tmp_path, '--examples-per-template', '1', '--seed', '5') == 0
    out = capsys.readouterr().out
    assert f'to {tmp_path / "out"}' in out
    assert 'navigate_through' in out and 'total' in out
    for split in SPLITS:
        assert (tmp_path / 'out' / f'{split}.jsonl').stat().st_size > 0


@pytest.mark.parametrize('extra, message', [
    (('--test-share', '0.6', '--validation-share', '0.5'), 'shares must'),
    (('--examples-per-template', '0'), 'at least 1'),
])
def test_the_command_line_rejects_bad_numbers(tmp_path, capsys, extra, message):
    assert run_main(tmp_path, *extra) == 2
    error = capsys.readouterr().err
    assert error.startswith('build_data: error: ') and message in error
    assert not (tmp_path / 'out').exists()


def test_the_command_line_names_a_missing_or_bad_phrases_file(tmp_path, capsys):
    assert run_main(tmp_path, phrases=tmp_path / 'none.yaml') == 2
    assert 'none.yaml' in capsys.readouterr().err
    bad = tmp_path / 'bad.yaml'
    bad.write_text('version: 1\nintents: []\n', encoding='utf-8')
    assert run_main(tmp_path, phrases=bad) == 2
    assert capsys.readouterr().err == (f'build_data: error: {bad}: intents: expected a '
                                       'non-empty list of intents\n')


def test_the_command_line_needs_its_files():
    with pytest.raises(SystemExit) as exit_info:
        build_data.main(['--robot', str(NAV2_ROBOT)])
    assert exit_info.value.code == 2


def test_python_m_build_data_answers_help():
    result = subprocess.run([sys.executable, '-m', 'ros2_prompt_tuning.build_data', '--help'],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert '--examples-per-template' in result.stdout
