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

"""Tests of the request rewriting: capitals, a robot's named values, then quantities."""

import textwrap

import pytest

from ros2_prompt_tuning.rewriting import is_shouted, RequestRewriter
from ros2_prompt_tuning.robot import default_robot, RobotDescription


@pytest.fixture(scope='module')
def turtlesim():
    return RequestRewriter(default_robot())


@pytest.mark.parametrize('text, expected', [
    ('face north', 'face 1.5708 rad'),
    ('spawn leo at 8,8 facing North', 'spawn leo at 8,8 facing 1.5708 rad'),
    ('point due south-west', 'point due -2.3562 rad'),
    ('turn to face north east', 'turn to face 0.7854 rad'),
    ('Teleport to the middle pointing north-west.',
     'Teleport to x 5.54, y 5.54 pointing 2.3562 rad.'),
    ('move instantly to the middle of the window', 'move instantly to x 5.54, y 5.54'),
    ('teleport to the  Centre facing west', 'teleport to x 5.54, y 5.54 facing 3.1416 rad'),
    ('tp to 10 5 facing down', 'teleport to 10 5 facing -1.5708 rad'),
    ('face straight up', 'face straight 1.5708 rad'),
    ('magenta pen width 1', 'magenta (r 255, g 0, b 255) pen width 1'),
    ('mv fwd 1.25 m', 'move forward 1.25 m'),
    ('spin ccw at 1 rad/s', 'spin anticlockwise at 1.0 rad/s'),
])
def test_turtlesim_named_values_become_their_values(turtlesim, text, expected):
    assert turtlesim(text) == expected


@pytest.mark.parametrize('text', [
    'turn left', 'turn right 1.5 rad', 'move up the list', 'go right ahead', 'northern lights',
    'redraw', 'westward', 'kill the turtle named middleton',
])
def test_screen_directions_need_a_facing_word_and_words_must_be_whole(turtlesim, text):
    assert turtlesim(text) == text


def test_quantities_are_rewritten_after_named_values(turtlesim):
    assert turtlesim('spawn at the centre facing 90 degrees') == \
        'spawn at x 5.54, y 5.54 facing 1.5708 rad'
    assert turtlesim('go back two metres twice') == 'go back 2.0 m 2 times'


@pytest.mark.parametrize('text, shouted', [
    ('STOP THE TURTLE', True), ('MOVE FORWARD 2.0 m NOW', True), ('Alice: pen up', False),
    ('make LEO face west', False), ('OK', False), ('', False), ('42', False),
])
def test_a_request_mostly_in_capitals_is_shouted(text, shouted):
    assert is_shouted(text) is shouted


def test_a_shouted_request_is_read_in_lower_case(turtlesim):
    assert turtlesim('TURN LEFT 90 DEGREES') == 'turn left 1.5708 rad'
    assert turtlesim('teleport LEO to 2, 3') == 'teleport LEO to 2, 3'


def test_a_robot_without_named_values_rewrites_quantities_only(tmp_path):
    path = tmp_path / 'robot.yaml'
    path.write_text('name: bot\n', encoding='utf-8')
    rewriter = RequestRewriter(RobotDescription.load(path))
    assert rewriter('face north 90 degrees') == 'face north 1.5708 rad'
    assert RequestRewriter()('face north') == 'face north'


def test_named_values_of_any_robot_come_from_its_description(tmp_path):
    path = tmp_path / 'robot.yaml'
    path.write_text(textwrap.dedent("""\
        name: bot
        named_values:
          - name: places
            values: {the dock: 'x 1.0, y -2.0', the kitchen: 'x 4.5, y 0.5'}
          - name: headings
            after: [face]
            values: {the door: 0.5 rad}
        """), encoding='utf-8')
    rewriter = RequestRewriter(RobotDescription.load(path))
    assert rewriter('drive to The Dock') == 'drive to x 1.0, y -2.0'
    assert rewriter('face the door') == 'face 0.5 rad'
    assert rewriter('open the door') == 'open the door'


def test_misspelt_words_are_corrected_toward_the_training_words_before_named_values():
    vocabulary = {'turn': 9, 'right': 9, 'facing': 5, 'spawn': 5, 'kill': 4}
    rewriter = RequestRewriter(default_robot(), vocabulary)
    assert rewriter('trun rigth 90 deg') == 'turn right 1.5708 rad'
    assert rewriter('spwan leo facinng north') == 'spawn leo facing 1.5708 rad'
    assert rewriter('kil donnie') == 'kill donnie'
    assert RequestRewriter(default_robot())('trun rigth') == 'trun rigth'
