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

"""New training pairs from a few: the numbers a request shares with its command, drawn anew."""

import random
import re

from lint_paths import ROOT
import pytest

from ros2_prompt_tuning.data import Example, read_jsonl
from ros2_prompt_tuning.resampling import resample, resampled_examples
from ros2_prompt_tuning.rewriting import RequestRewriter
from ros2_prompt_tuning.robot import default_robot, RobotDescription
from ros2_prompt_tuning.validator import canonical, check_line, parse_command

TWIST = ('ros2 topic pub {option} /{turtle}/cmd_vel geometry_msgs/msg/Twist "{{linear: {{x: '
         '{x}, y: 0.0, z: 0.0}}, angular: {{x: 0.0, y: 0.0, z: {z}}}}}"')
NUMBER = re.compile(r'-?\d+(?:\.\d+)?')


def numbers(text):
    return [float(number) for number in NUMBER.findall(text)]


@pytest.fixture(scope='module')
def rewrite():
    return RequestRewriter(default_robot())


def test_a_shared_number_is_drawn_anew_in_request_and_command(rewrite):
    example = Example('drive leo back 2.5 m while turning right 0.5 rad',
                      TWIST.format(option='--once', turtle='leo', x='-2.5', z='-0.5'))
    copy = resample(example, default_robot(), random.Random(1), rewrite)
    distance, turn = numbers(copy.instruction)
    assert (distance, turn) != (2.5, 0.5) and distance != turn
    assert 2.5 / 4 <= distance <= 2.5 * 4 and 0.5 / 4 <= turn <= 0.5 * 4
    assert copy.instruction == \
        f'drive leo back {distance:.1f} m while turning right {turn:.1f} rad'
    assert copy.command == canonical(TWIST.format(option='--once', turtle='leo', x=-distance,
                                                  z=-turn))


def test_repeat_counts_and_whole_numbers_stay_whole(rewrite):
    example = Example('move forward 2 m 3 times',
                      TWIST.format(option='--times 3', turtle='turtle1', x='2.0', z='0.0'))
    copy = resample(example, default_robot(), random.Random(0), rewrite)
    # The rewriting writes metres with a decimal: 2.0 m.
    distance, count = re.fullmatch(r'move forward (\d+\.\d) m (\d+) times',
                                   copy.instruction).groups()
    command = parse_command(copy.command)
    assert command.times == int(count) and command.payload['linear']['x'] == float(distance)


def test_one_number_filling_two_fields_stays_one_number(rewrite):
    example = Example('spawn a turtle at 3, 3', 'ros2 service call /spawn turtlesim/srv/Spawn '
                      '"{x: 3.0, y: 3.0, theta: 0.0, name: \'\'}"')
    copy = resample(example, default_robot(), random.Random(2), rewrite)
    x, y = numbers(copy.instruction)
    assert x == y != 3 and parse_command(copy.command).payload['x'] == x


def test_facts_of_the_robot_and_listed_values_stay(rewrite):
    robot = default_robot()
    red_pen = Example('use a red pen', 'ros2 service call /turtle1/set_pen turtlesim/srv/SetPen '
                      '"{r: 255, g: 0, b: 0, width: 3, \'off\': 0}"')
    assert resample(red_pen, robot, random.Random(0), rewrite) is None
    lifted = Example('lift the pen, width 1', 'ros2 service call /turtle1/set_pen '
                     'turtlesim/srv/SetPen "{r: 179, g: 184, b: 255, width: 1, \'off\': 1}"')
    copy = resample(lifted, robot, random.Random(0), rewrite)
    command = parse_command(copy.command)
    assert command.payload['off'] == 1 and command.payload['width'] == numbers(
        copy.instruction)[0] != 1


@pytest.mark.parametrize('example', [
    Example('what is the weather', 'UNSUPPORTED'),
    Example('clear the screen', 'ros2 service call /clear std_srvs/srv/Empty'),
    Example('stop', TWIST.format(option='--once', turtle='turtle1', x='0.0', z='0.0')),
    Example('fly 2 m up', 'ros2 service call /fly std_srvs/srv/Empty'),
])
def test_pairs_without_a_shared_number_give_no_copy(example, rewrite):
    assert resample(example, default_robot(), random.Random(0), rewrite) is None


def test_copies_of_the_data_are_valid_canonical_and_new(rewrite):
    robot = default_robot()
    examples = read_jsonl(ROOT / 'data' / 'turtlesim' / 'train.jsonl')[:300]
    copies = resampled_examples(examples, robot, 2, seed=0, rewrite=rewrite)
    assert len(copies) > 300
    assert copies == resampled_examples(examples, robot, 2, seed=0, rewrite=rewrite)
    assert not {copy.instruction for copy in copies} & {example.instruction
                                                        for example in examples}
    for copy in copies:
        assert check_line(copy.command, robot) == (True, '')
        assert canonical(copy.command, robot) == copy.command


def test_copies_for_another_robot_follow_its_ranges():
    robot = RobotDescription.load(ROOT / 'robots' / 'nav2_turtlebot3.yaml')
    examples = read_jsonl(ROOT / 'data' / 'nav2_turtlebot3' / 'train.jsonl')[:200]
    copies = resampled_examples(examples, robot, 1, seed=0, rewrite=RequestRewriter(robot))
    assert len(copies) > 50
    assert all(check_line(copy.command, robot) == (True, '') for copy in copies)
