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

"""The hand-written requests for the Nav2 TurtleBot 3: valid, canonical, varied enough."""

import json
from pathlib import Path

import pytest

from ros2_prompt_tuning.robot import RobotDescription
from ros2_prompt_tuning.validator import (canonical, check_line, has_shell_syntax,
                                          parse_command, UNSUPPORTED)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / 'data' / 'nav2_turtlebot3' / 'handwritten.jsonl'
KEYS = {'instruction', 'command', 'category'}
MIN_ROWS = 130
UNSUPPORTED_SHARE = (0.15, 0.30)


@pytest.fixture(scope='module')
def robot():
    return RobotDescription.load(ROOT / 'robots' / 'nav2_turtlebot3.yaml')


@pytest.fixture(scope='module')
def rows():
    with open(DATA, encoding='utf-8') as stream:
        lines = stream.read().splitlines()
    parsed = []
    for number, line in enumerate(lines, 1):
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            pytest.fail(f'{DATA}:{number}: not valid JSON: {error}')
        assert isinstance(row, dict) and set(row) == KEYS, f'{DATA}:{number}: {line}'
        assert all(isinstance(value, str) and value.strip() and value == value.strip()
                   for value in row.values()), f'{DATA}:{number}: {line}'
        parsed.append(row)
    return parsed


def test_there_are_enough_rows_and_no_repeats(rows):
    assert len(rows) >= MIN_ROWS
    instructions = [' '.join(row['instruction'].lower().split()) for row in rows]
    assert len(set(instructions)) == len(instructions)


def test_every_command_is_canonical_and_valid(robot, rows):
    for row in rows:
        command = row['command']
        assert check_line(command, robot) == (True, ''), row
        assert canonical(command, robot) == command, row
        assert (command == UNSUPPORTED) == (row['category'] == 'unsupported'), row


def test_a_request_with_shell_syntax_is_unsupported(rows):
    for row in rows:
        if has_shell_syntax(row['instruction']):
            assert row['command'] == UNSUPPORTED, row


def test_the_unsupported_share(rows):
    share = sum(row['command'] == UNSUPPORTED for row in rows) / len(rows)
    low, high = UNSUPPORTED_SHARE
    assert low <= share <= high, share


def test_every_interface_and_parameter_is_used(robot, rows):
    commands = [parse_command(row['command']) for row in rows if row['command'] != UNSUPPORTED]
    for interface in robot.interfaces:
        assert any(command.kind == interface.kind and interface.matches(command.name)
                   for command in commands), interface.name
    for parameter in robot.parameters:
        assert any(command.kind == 'param' and parameter.matches(command.node, command.name)
                   for command in commands), parameter.name
