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

"""Robot descriptions: the shipped turtlesim file, name templates, load errors, YAML loader."""

import importlib.util
import textwrap

import pytest
from ros2_prompt_tuning.resources import share_dir
from ros2_prompt_tuning.robot import (ArrayShape, default_robot, FieldSpec, FLOAT32_MAX,
                                      OptionSpec, ParameterSpec, PlainLoader, RobotDescription,
                                      RobotDescriptionError)
import yaml

HAS_GEOMETRY_MSGS = importlib.util.find_spec('geometry_msgs') is not None
HAS_STD_SRVS = importlib.util.find_spec('std_srvs') is not None
HAS_RCL_INTERFACES = importlib.util.find_spec('rcl_interfaces') is not None
NO_GEOMETRY_MSGS = 'geometry_msgs is not installed (pip install ros-jazzy-geometry-msgs)'
NO_STD_SRVS = 'std_srvs is not installed (pip install ros-jazzy-std-srvs)'
VECTOR3 = [{'name': axis, 'type': 'float64'} for axis in 'xyz']
STAMP = [{'name': 'sec', 'type': 'int32', 'min': 0, 'unit': 's'},
         {'name': 'nanosec', 'type': 'uint32', 'max': 999999999}]
HEADER = [{'name': 'stamp', 'type': 'builtin_interfaces/msg/Time', 'fields': STAMP},
          {'name': 'frame_id', 'type': 'string', 'values': ['map', 'odom'], 'default': 'map'}]


def write_robot(tmp_path, text):
    path = tmp_path / 'robot.yaml'
    path.write_text(textwrap.dedent(text), encoding='utf-8')
    return path


def twist_robot(tmp_path, linear_type='geometry_msgs/msg/Vector3', vector=VECTOR3):
    data = {'name': 'bot', 'topics': [{
        'name': '/cmd_vel', 'type': 'geometry_msgs/msg/Twist',
        'fields': [{'name': 'linear', 'type': linear_type, 'fields': vector},
                   {'name': 'angular', 'type': 'geometry_msgs/msg/Vector3', 'fields': VECTOR3}]}]}
    return write_robot(tmp_path, yaml.safe_dump(data, sort_keys=False))


# --- the shipped turtlesim description ------------------------------------------------------

def test_default_robot_is_the_shipped_turtlesim_file():
    robot = default_robot()
    assert robot.name == 'turtlesim'
    assert robot.path == str(share_dir() / 'robots' / 'turtlesim.yaml')
    assert default_robot() is robot


def test_turtlesim_interfaces_match_the_spec_table():
    robot = default_robot()
    table = {(interface.kind, interface.name): (interface.type_name,
                                                [field.name for field in interface.fields])
             for interface in robot.interfaces}
    assert table == {
        ('topic', '/<turtle>/cmd_vel'): ('geometry_msgs/msg/Twist', ['linear', 'angular']),
        ('service', '/clear'): ('std_srvs/srv/Empty', []),
        ('service', '/reset'): ('std_srvs/srv/Empty', []),
        ('service', '/spawn'): ('turtlesim/srv/Spawn', ['x', 'y', 'theta', 'name']),
        ('service', '/kill'): ('turtlesim/srv/Kill', ['name']),
        ('service', '/<turtle>/set_pen'): ('turtlesim/srv/SetPen',
                                           ['r', 'g', 'b', 'width', 'off']),
        ('service', '/<turtle>/teleport_absolute'): ('turtlesim/srv/TeleportAbsolute',
                                                     ['x', 'y', 'theta']),
        ('service', '/<turtle>/teleport_relative'): ('turtlesim/srv/TeleportRelative',
                                                     ['linear', 'angular']),
        ('action', '/<turtle>/rotate_absolute'): ('turtlesim/action/RotateAbsolute', ['theta']),
    }
    assert [(parameter.node, parameter.name, parameter.bounds) for parameter in robot.parameters] \
        == [('/turtlesim', f'background_{channel}', (0, 255)) for channel in 'rgb']


def test_twist_fields_are_nested_float64_in_message_order():
    twist = default_robot().find('topic', '/turtle1/cmd_vel')
    for field in twist.fields:
        assert field.is_message and field.type_name == 'geometry_msgs/msg/Vector3'
        assert [(axis.name, axis.type_name, axis.kind) for axis in field.fields] == [
            (axis, 'float64', 'float') for axis in 'xyz']


def test_set_pen_ranges():
    set_pen = default_robot().find('service', '/turtle1/set_pen')
    assert {field.name: field.bounds for field in set_pen.fields} == {
        'r': (0, 255), 'g': (0, 255), 'b': (0, 255), 'width': (1, 50), 'off': (0, 1)}


def test_every_turtlesim_number_has_a_range():
    window, turn, fast = (0.0, 11.09), (-6.2832, 6.2832), (-20.0, 20.0)
    ranges = {(interface.name, field.name): field.bounds
              for interface in default_robot().interfaces for field in interface.fields
              if not field.is_message and field.kind != 'string'}
    assert {key: value for key, value in ranges.items() if key[0] != '/<turtle>/set_pen'} == {
        ('/spawn', 'x'): window, ('/spawn', 'y'): window, ('/spawn', 'theta'): turn,
        ('/<turtle>/teleport_absolute', 'x'): window,
        ('/<turtle>/teleport_absolute', 'y'): window,
        ('/<turtle>/teleport_absolute', 'theta'): turn,
        ('/<turtle>/teleport_relative', 'linear'): fast,
        ('/<turtle>/teleport_relative', 'angular'): turn,
        ('/<turtle>/rotate_absolute', 'theta'): turn,
    }
    twist = default_robot().find('topic', '/turtle1/cmd_vel')
    assert {axis.bounds for vector in twist.fields for axis in vector.fields} == {fast}


def test_turtlesim_option_ranges_come_from_the_file():
    robot = default_robot()
    assert robot.options == {'rate': (0.001, 100.0), 'times': (1, 1000)}
    rate = robot.option('rate')
    assert (rate.minimum, rate.maximum, rate.default) == (0.001, 100.0, 1.0)
    assert rate.cues[0][0] == 'rate' and 'keep' in rate.cues[0][1]
    assert robot.option('times').cues[0] == ('times', ('times', 'time in a row', 'in a row',
                                                       'repeat', 'repeated', 'over and over'))


def test_turtle_names_have_a_pattern():
    robot = default_robot()
    spawn_name = robot.find('service', '/spawn').fields[-1]
    kill_name = robot.find('service', '/kill').fields[0]
    for name in ('leo', 'turtle2', 'T_800', 'a' * 64):
        assert spawn_name.matches_pattern(name) and kill_name.matches_pattern(name)
    assert spawn_name.matches_pattern('') and not kill_name.matches_pattern('')
    for name in ('-rf', 'a b/c;d', '\U0001f422', 'l\u0435o', '1turtle', 'a' * 65, 'leo\n'):
        assert not spawn_name.matches_pattern(name) and not kill_name.matches_pattern(name)


@pytest.mark.parametrize('kind, name, expected', [
    ('topic', '/turtle1/cmd_vel', '/<turtle>/cmd_vel'),
    ('topic', '/leo/cmd_vel', '/<turtle>/cmd_vel'),
    ('topic', '/my_turtle_2/cmd_vel', '/<turtle>/cmd_vel'),
    ('service', '/clear', '/clear'),
    ('service', '/raph/set_pen', '/<turtle>/set_pen'),
    ('action', '/turtle1/rotate_absolute', '/<turtle>/rotate_absolute'),
    ('topic', '/cmd_vel', None),
    ('topic', '/a/b/cmd_vel', None),
    ('topic', '/1turtle/cmd_vel', None),
    ('topic', '/turtle1/cmd_vel/', None),
    ('service', '/turtle1/cmd_vel', None),
    ('service', '/turtle1/clear', None),
    ('action', '/turtle1/set_pen', None),
])
def test_find_matches_name_templates(kind, name, expected):
    interface = default_robot().find(kind, name)
    assert (interface and interface.name) == expected


def test_find_parameter():
    robot = default_robot()
    assert robot.find_parameter('/turtlesim', 'background_g').name == 'background_g'
    assert robot.find_parameter('/turtlesim', 'background_a') is None
    assert robot.find_parameter('/other', 'background_r') is None


def test_field_bounds_combine_type_and_description():
    assert FieldSpec('a', 'int8').bounds == (-128, 127)
    assert FieldSpec('a', 'uint8', minimum=-5, maximum=300).bounds == (0, 255)
    assert FieldSpec('a', 'float64').bounds == (None, None)
    assert FieldSpec('a', 'float32', maximum=2.5).bounds == (-FLOAT32_MAX, 2.5)
    assert FieldSpec('a', 'float32').bounds == (-FLOAT32_MAX, FLOAT32_MAX)
    assert FLOAT32_MAX == float.fromhex('0x1.fffffep+127')


def test_option_bounds_combine_type_and_description():
    assert OptionSpec('rate').bounds == (None, None)
    assert OptionSpec('times').bounds == (1, None)
    assert OptionSpec('times', minimum=-3, maximum=9).bounds == (1, 9)
    bot = RobotDescription('bot', (), ())
    assert bot.options == {}
    assert (bot.option('rate').bounds, bot.option('times').bounds) == ((None, None), (1, None))


def test_patterns_match_the_whole_string():
    spec = ParameterSpec('/n', 'p', 'string', pattern='[a-z]+')
    assert spec.matches_pattern('abc') and not spec.matches_pattern('abc1')
    assert FieldSpec('a', 'string').matches_pattern('anything at all')


def test_a_robot_is_data(tmp_path):
    robot = RobotDescription.load(write_robot(tmp_path, """
        name: rover
        services:
          - {name: /<arm>/home, type: rover_msgs/srv/Home, fields: [{name: speed, type: float32}]}
        parameters:
          - {node: /<rover>/driver, name: max_speed, type: double, min: 0.0}
        """))
    assert robot.find('service', '/left/home').type_name == 'rover_msgs/srv/Home'
    assert robot.find_parameter('/rover1/driver', 'max_speed').bounds == (0.0, None)
    assert robot.names('service') == ['/<arm>/home'] and robot.names('topic') == []


def test_a_robot_file_gives_patterns_and_option_ranges(tmp_path):
    robot = RobotDescription.load(write_robot(tmp_path, """
        name: rover
        options:
          times: {min: 2, max: 10}
        services:
          - {name: /say, type: rover_msgs/srv/Say, fields: [{name: text, type: string,
                                                             pattern: '^[a-z ]*$'}]}
        parameters:
          - {node: /driver, name: mode, type: string, pattern: '^(slow|fast)$'}
        """))
    assert robot.options == {'rate': (None, None), 'times': (2, 10)}
    assert robot.find('service', '/say').fields[0].pattern == '^[a-z ]*$'
    assert robot.find_parameter('/driver', 'mode').pattern == '^(slow|fast)$'


def test_a_robot_file_gives_defaults_and_implied_amounts(tmp_path):
    robot = RobotDescription.load(write_robot(tmp_path, """
        name: rover
        name_parts:
          wheel: {default: front}
        options:
          rate: {default: 2}
        topics:
          - name: /<wheel>/speed
            type: rover_msgs/msg/Speed
            fields:
              - {name: value, type: float32, implied: 0.5}
              - {name: gear, type: uint8, default: 1}
              - {name: label, type: string}
        parameters:
          - {node: /driver, name: mode, type: string, default: slow}
        """))
    value, gear, label = robot.find('topic', '/front/speed').fields
    assert (value.default_value, value.implied) == (0.0, 0.5)
    assert gear.default_value == 1 and label.default_value == ''
    assert robot.option('rate').default == 2.0 and robot.option('times').default is None
    assert robot.find_parameter('/driver', 'mode').default_value == 'slow'
    assert robot.name_part_default('wheel') == 'front'
    assert robot.name_part_default('arm') is None


def test_a_robot_file_gives_arrays(tmp_path):
    robot = RobotDescription.load(write_robot(tmp_path, """
        name: rover
        topics:
          - name: /plan
            type: rover_msgs/msg/Plan
            fields:
              - {name: speeds, type: 'float64[]', min: 0.0, unit: m/s}
              - {name: gains, type: 'float32[3]'}
              - {name: tags, type: 'string[<=5]', pattern: '^[a-z]+$'}
              - name: points
                type: rover_msgs/msg/Point[]
                fields: [{name: x, type: float64}, {name: y, type: float64}]
        """))
    speeds, gains, tags, points = robot.find('topic', '/plan').fields
    assert (speeds.type_name, speeds.array, speeds.unit, speeds.bounds) == (
        'float64', ArrayShape(), 'm/s', (0.0, None))
    assert gains.array == ArrayShape(3, fixed=True) and tags.array == ArrayShape(5)
    lengths = [(0, None), (3, 3), (0, 5)]
    assert [field.array.lengths for field in (speeds, gains, tags)] == lengths
    assert [field.array.suffix for field in (speeds, gains, tags)] == ['[]', '[3]', '[<=5]']
    assert tags.matches_pattern('abc') and not tags.matches_pattern('ABC')
    assert points.is_array and points.is_message and points.type_name == 'rover_msgs/msg/Point'
    assert [field.name for field in points.fields] == ['x', 'y']
    assert not any(field.is_array for field in points.fields)


def test_array_shapes_are_spelled_as_rosidl_spells_them():
    assert ArrayShape().rosidl_name('double') == 'sequence<double>'
    assert ArrayShape(36, fixed=True).rosidl_name('double') == 'double[36]'
    assert ArrayShape(5).rosidl_name('geometry_msgs/PoseStamped') == \
        'sequence<geometry_msgs/PoseStamped, 5>'


def test_a_robot_file_gives_values_and_units(tmp_path):
    robot = RobotDescription.load(write_robot(tmp_path, """
        name: rover
        topics:
          - name: /drive
            type: rover_msgs/msg/Drive
            fields:
              - {name: direction, type: int8, values: {1: forward, -1: backward}, default: 1}
              - {name: frame, type: string, values: [map, odom], default: map}
              - {name: speed, type: float32, values: [0.1, 1], unit: m/s}
              - {name: turn, type: float64, unit: rad/s, implied: 0.5}
        parameters:
          - {node: /driver, name: max_speed, type: double, min: 0.0, unit: m/s}
          - {node: /driver, name: mode, type: string, values: {slow: walking pace, fast: top}}
        """))
    direction, frame, speed, turn = robot.find('topic', '/drive').fields
    assert direction.values == ((1, 'forward'), (-1, 'backward'))
    assert direction.allowed_values == (1, -1) and direction.default_value == 1
    assert direction.allows(-1) and not direction.allows(0) and not direction.allows(True)
    assert frame.values == (('map', None), ('odom', None)) and frame.default_value == 'map'
    assert frame.allows('odom') and not frame.allows('base_link')
    assert speed.allowed_values == (0.1, 1.0) and isinstance(speed.allowed_values[1], float)
    assert (speed.unit, turn.unit, frame.unit) == ('m/s', 'rad/s', None)
    assert turn.allows(-3.5) and not turn.values
    max_speed = robot.find_parameter('/driver', 'max_speed')
    assert (max_speed.unit, max_speed.values) == ('m/s', ())
    assert robot.find_parameter('/driver', 'mode').allowed_values == ('slow', 'fast')


def test_header_time_and_duration_are_nested_messages_with_defaults(tmp_path):
    data = {'name': 'base', 'actions': [{
        'name': '/wait', 'type': 'base_msgs/action/Wait',
        'fields': [{'name': 'header', 'type': 'std_msgs/msg/Header', 'fields': HEADER},
                   {'name': 'time', 'type': 'builtin_interfaces/msg/Duration', 'fields': [
                       dict(STAMP[0], default=10), STAMP[1]]}]}]}
    robot = RobotDescription.load(write_robot(tmp_path, yaml.safe_dump(data, sort_keys=False)))
    header, time = robot.find('action', '/wait').fields
    stamp, frame_id = header.fields
    assert stamp.type_name == 'builtin_interfaces/msg/Time' and stamp.is_message
    assert [(field.name, field.type_name, field.default_value, field.unit)
            for field in stamp.fields + time.fields] == [
        ('sec', 'int32', 0, 's'), ('nanosec', 'uint32', 0, None),
        ('sec', 'int32', 10, 's'), ('nanosec', 'uint32', 0, None)]
    assert (frame_id.default_value, frame_id.allowed_values) == ('map', ('map', 'odom'))
    assert time.fields[1].bounds == (0, 999999999)


def test_turtlesim_defaults_are_the_spec_s():
    robot = default_robot()
    pen = robot.find('service', '/turtle1/set_pen').fields
    assert [field.default_value for field in pen] == [179, 184, 255, 3, 0]
    assert robot.name_part_default('turtle') == 'turtle1'
    assert robot.find('service', '/kill').fields[0].default_value == 'turtle1'
    assert robot.find('service', '/spawn').fields[3].default_value == ''
    assert robot.option('rate').default == 1


# --- the shipped Nav2 TurtleBot 3 description ----------------------------------------------

def test_the_nav2_turtlebot3_description_holds_nav2_s_jazzy_goals():
    robot = RobotDescription.load(share_dir() / 'robots' / 'nav2_turtlebot3.yaml')
    table = {(interface.kind, interface.name): (interface.type_name,
                                                [field.name for field in interface.fields])
             for interface in robot.interfaces}
    assert table == {
        ('topic', '/cmd_vel'): ('geometry_msgs/msg/Twist', ['linear', 'angular']),
        ('topic', '/initialpose'): ('geometry_msgs/msg/PoseWithCovarianceStamped',
                                    ['header', 'pose']),
        ('action', '/navigate_to_pose'): ('nav2_msgs/action/NavigateToPose',
                                          ['pose', 'behavior_tree']),
        ('action', '/navigate_through_poses'): ('nav2_msgs/action/NavigateThroughPoses',
                                                ['poses', 'behavior_tree']),
        ('action', '/spin'): ('nav2_msgs/action/Spin', ['target_yaw', 'time_allowance']),
        ('action', '/backup'): ('nav2_msgs/action/BackUp',
                                ['target', 'speed', 'time_allowance']),
        ('action', '/drive_on_heading'): ('nav2_msgs/action/DriveOnHeading',
                                          ['target', 'speed', 'time_allowance']),
        ('action', '/wait'): ('nav2_msgs/action/Wait', ['time']),
    }
    poses = robot.find('action', '/navigate_through_poses').fields[0]
    assert (poses.type_name, poses.array, [field.name for field in poses.fields]) == (
        'geometry_msgs/msg/PoseStamped', ArrayShape(), ['header', 'pose'])
    header, pose = robot.find('action', '/navigate_to_pose').fields[0].fields
    assert (header.fields[1].default_value, header.fields[1].allowed_values) == (
        'map', ('map', 'odom'))
    assert [field.default_value for field in pose.fields[1].fields] == [0.0, 0.0, 0.0, 1.0]
    covariance = robot.find('topic', '/initialpose').fields[1].fields[1]
    assert (covariance.name, covariance.array.lengths) == ('covariance', (36, 36))
    target_yaw, time_allowance = robot.find('action', '/spin').fields
    assert (target_yaw.unit, target_yaw.bounds) == ('rad', (-6.2832, 6.2832))
    assert [(field.name, field.default_value, field.unit)
            for field in time_allowance.fields] == [('sec', 10, 's'), ('nanosec', 0, None)]
    assert [(parameter.name, parameter.unit) for parameter in robot.parameters] == [
        ('FollowPath.max_vel_x', 'm/s'), ('FollowPath.max_vel_theta', 'rad/s'),
        ('goal_checker.xy_goal_tolerance', 'm')]


# --- the YAML loader ------------------------------------------------------------------------

def test_plain_loader_keeps_yaml_1_1_booleans_as_words():
    assert yaml.safe_load('{off: 1}') == {False: 1}
    loaded = yaml.load('{off: 1, on: 2, yes: 3, no: 4, y: 5, a: true, b: False}',
                       Loader=PlainLoader)
    assert loaded == {'off': 1, 'on': 2, 'yes': 3, 'no': 4, 'y': 5, 'a': True, 'b': False}


def test_plain_loader_rejects_duplicate_keys_and_merges_nothing():
    with pytest.raises(yaml.YAMLError, match="duplicate key 'x'"):
        yaml.load('{x: 1, x: 2}', Loader=PlainLoader)
    assert yaml.load('{<<: {x: 1}}', Loader=PlainLoader) == {'<<': {'x': 1}}


# --- load errors name the file and the key --------------------------------------------------

@pytest.mark.parametrize('text, message', [
    ('name: [unclosed', 'not valid YAML'),
    ('- just a list', 'the file: expected a mapping'),
    ('topics: []', "the file: missing key 'name'"),
    ('name: bot\nrobots: []', "the file: unknown key 'robots'"),
    ('name: bot\ntopics: {}', 'topics: expected a list'),
    ('name: bot\nservices: [{name: /clear}]', "services[0]: missing key 'type'"),
    ('name: bot\nservices: [{type: std_srvs/srv/Empty}]', "services[0]: missing key 'name'"),
    ('name: bot\nservices: [{name: clear, type: std_srvs/srv/Empty}]',
     'services[0].name: expected an absolute name such as /clear or /<turtle>/cmd_vel, '
     "got 'clear'"),
    ('name: bot\nservices: [{name: /clear, type: std_srvs/Empty}]',
     "services[0].type: expected a type such as pkg/msg/Type, got 'std_srvs/Empty'"),
    ('name: bot\ntopics: [{name: /x, type: std_srvs/srv/Empty}]',
     'topics[0].type: a topic type is written pkg/msg/Type'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: [{name: t}]}]',
     "actions[0].fields[0]: missing key 'type'"),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: [{name: t, type: real}]}]',
     "actions[0].fields[0].type: unknown type 'real'"),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: {t: float32}}]',
     'actions[0].fields: expected a list'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: [{name: t, type: a/msg/C}]}]',
     'actions[0].fields[0]: a message field needs "fields"'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: [{name: t, type: a/srv/C, '
     'fields: []}]}]', "actions[0].fields[0].type: 'a/srv/C' is not a pkg/msg/Type"),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: int8, fields: []}]}]',
     'actions[0].fields[0].fields: a field of type int8 has no'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: int8}, {name: t, type: int8}]}]', "field 't' is listed twice"),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: int8, min: 5, max: 1}]}]', 'actions[0].fields[0]: empty range 5..1'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: string, max: 1}]}]', 'a string takes no "min"/"max"'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: int8, min: low}]}]', 'actions[0].fields[0].min: expected a number'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: float64, max: .inf}]}]',
     'actions[0].fields[0].max: expected a finite number, got inf'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: string, pattern: "[a-"}]}]',
     'actions[0].fields[0].pattern: not a valid regular expression'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: string, pattern: 5}]}]',
     'actions[0].fields[0].pattern: expected a non-empty string, got 5'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: int8, pattern: "[0-9]"}]}]', 'actions[0].fields[0]: a int8 takes no '
                                                    '"pattern"'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: a/msg/C, pattern: "x", fields: []}]}]',
     'actions[0].fields[0]: a message field needs "fields" and takes no "min"/"max"/"pattern"'),
    ('name: bot\nparameters: [{node: /n, name: p, type: integer, pattern: "[0-9]+"}]',
     'parameters[0]: a integer takes no "pattern"'),
    ('name: bot\noptions: [rate]', 'options: expected a mapping'),
    ('name: bot\noptions: {speed: {max: 1}}', "options: unknown key 'speed' (known: rate, "
                                              'times)'),
    ('name: bot\noptions: {rate: 5}', 'options.rate: expected a mapping'),
    ('name: bot\noptions: {rate: {max: 1, step: 2}}', "options.rate: unknown key 'step'"),
    ('name: bot\noptions: {rate: {max: fast}}', 'options.rate.max: expected a number'),
    ('name: bot\noptions: {rate: {max: .nan}}', 'options.rate.max: expected a finite number'),
    ('name: bot\noptions: {rate: {cues: keep}}', 'options.rate.cues: expected a list of phrases'),
    ('name: bot\ntopics: [{name: /a, type: std_msgs/msg/Empty, cues: []}]',
     'topics[0].cues: expected a list of phrases'),
    ('name: bot\ntopics: [{name: /a, type: std_msgs/msg/Float64, fields: [{name: data, '
     'type: float64, word_after: {after: [named]}}]}]',
     'topics[0].fields[0].word_after: a float64 takes no "word_after"'),
    ('name: bot\ntopics: [{name: /a, type: std_msgs/msg/String, fields: [{name: data, '
     'type: string, word_after: {skip: [a]}}]}]',
     "topics[0].fields[0].word_after: missing key 'after'"),
    ('name: bot\noptions: {times: {cues: [2x]}}', 'options.times.cues: expected words of letters'),
    ('name: bot\noptions: {times: {min: 5, max: 2}}', 'options.times: empty range 5..2'),
    ('name: bot\ntopics: [{name: /x, type: a/msg/B}]\n? [a]\n: 1',
     'not valid YAML: a mapping key must be a single value'),
    ('name: bot\nparameters: [{node: /n, name: p}]', "parameters[0]: missing key 'type'"),
    ('name: bot\nparameters: [{node: /n, name: p, type: float}]',
     "parameters[0].type: unknown type 'float'"),
    ('name: bot\nparameters: [{node: n, name: p, type: integer}]', 'parameters[0].node'),
    ('name: 5', 'name: expected a non-empty string, got 5'),
    ('name: bot\ntopics: [{name: /x, type: a/msg/B, fields: [{name: X, type: bool}]}]',
     'topics[0].fields[0].name: expected a lower-case field name'),

    ('name: bot\nnamed_values: [{values: {up: 1 rad}}]', "named_values[0]: missing key 'name'"),
    ('name: bot\nnamed_values: [{name: h, values: [up]}]',
     'named_values[0].values: expected a mapping of phrase to value'),
    ('name: bot\nnamed_values: [{name: h, values: {}}]',
     'named_values[0].values: expected at least one phrase'),
    ('name: bot\nnamed_values: [{name: h, values: {up: "1; rm"}}]',
     'named_values[0].values.up: expected plain text'),
    ('name: bot\nnamed_values: [{name: h, after: [face up], values: {up: 1 rad}}]',
     'named_values[0].after[0]: expected one word of letters'),
    ('name: bot\nnamed_values: [{name: h, values: {up: 1 rad}, before: [x]}]',
     "named_values[0]: unknown key 'before'"),

    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: uint8, max: 9, default: 10}]}]',
     'actions[0].fields[0].default: 10 is not a value of this uint8 in its range'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: int8, default: 1.5}]}]', 'actions[0].fields[0].default: 1.5 is not'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: string, pattern: "^[a-z]+$", default: "A1"}]}]',
     "actions[0].fields[0].default: 'A1' is not a value of this string"),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: string, implied: 1.0}]}]',
     'actions[0].fields[0].implied: a string takes no "implied"'),
    ('name: bot\nparameters: [{node: /n, name: p, type: bool, default: 1}]',
     'parameters[0].default: 1 is not a value of this bool'),
    ('name: bot\noptions: {times: {default: 0}}', 'options.times.default: 0 is not'),
    ('name: bot\nname_parts: [turtle]', 'name_parts: expected a mapping'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: string, cues: {negative: [back]}}]}]',
     'actions[0].fields[0].cues: a string takes no "cues"'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: int8, cues: {negative: [back], 1: [up]}}]}]',
     'actions[0].fields[0].cues: expected either negative/positive or values, not both'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: uint8, max: 1, cues: {2: [up]}}]}]',
     'actions[0].fields[0].cues: 2 is neither negative, positive, ignore nor'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: int8, cues: {negative: back}}]}]',
     'actions[0].fields[0].cues.negative: expected a list of phrases'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: int8, cues: {negative: [back; rm]}}]}]',
     'actions[0].fields[0].cues.negative: expected words of letters'),
    ('name: bot\nname_parts: {Turtle: {default: t}}',
     "name_parts: expected a lower-case name part such as turtle, got 'Turtle'"),
    ('name: bot\nname_parts: {turtle: {}}', "name_parts.turtle: missing key 'default'"),
    ('name: bot\nname_parts: {turtle: {default: 1st}}',
     "name_parts.turtle.default: expected one ROS name segment, got '1st'"),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: "float64[0]"}]}]', 'actions[0].fields[0].type: expected an array type '
                                          'such as float64[], float64[3] or float64[<=3], got '
                                          "'float64[0]'"),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: "float64[][]"}]}]', 'expected an array type such as float64[]'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: "float64[<=]"}]}]', "got 'float64[<=]'"),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: "real[3]"}]}]', "actions[0].fields[0].type: unknown type 'real'"),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: "float64[]", default: [1.0]}]}]',
     'actions[0].fields[0].default: an array (float64[]) takes no "default"'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: "float64[3]", implied: 1.0}]}]',
     'actions[0].fields[0].implied: an array (float64[3]) takes no "implied"'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: "a/msg/C[<=2]"}]}]',
     'actions[0].fields[0]: a message field needs "fields"'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: a/msg/C, unit: m, fields: []}]}]',
     'takes no "min"/"max"/"pattern"/"default"/"implied"/"values"/"unit"'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: bool, values: [true]}]}]',
     'actions[0].fields[0].values: a bool takes no "values"'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: uint8, values: [1, 300]}]}]',
     'actions[0].fields[0].values: 300 is not a value of this uint8 in its range'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: string, pattern: "^[a-z]+$", values: [map, Odom]}]}]',
     "actions[0].fields[0].values: 'Odom' is not a value of this string"),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: string, values: {map: "x; rm"}}]}]',
     'actions[0].fields[0].values.map: expected plain text'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: string, values: []}]}]',
     'actions[0].fields[0].values: expected at least one value'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: string, values: map}]}]',
     'actions[0].fields[0].values: expected a list of values or a mapping of each value to '
     'its meaning'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: float32, values: [1, 1.0]}]}]',
     'actions[0].fields[0].values: 1.0 is listed twice'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: int8, values: [1, -1], default: 3}]}]',
     'actions[0].fields[0].default: 3 is not one of the values of this int8'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: float32, values: [1.0], implied: 2.0}]}]',
     'actions[0].fields[0].implied: 2.0 is not one of the values of this float32'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: uint8, max: 9, implied: 10}]}]',
     'actions[0].fields[0].implied: 10 is not a value of this uint8 in its range'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: float64, unit: km}]}]',
     "actions[0].fields[0].unit: unknown unit 'km' (known: m, rad, s, m/s, rad/s, Hz)"),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: string, unit: m}]}]', 'actions[0].fields[0].unit: a string takes no '
                                             '"unit"'),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: float64, derived: cosine}]}]',
     "actions[0].fields[0].derived: unknown derivation 'cosine' (known: half_angle_sin, "),
    ('name: bot\nactions: [{name: /x, type: a/action/B, fields: '
     '[{name: t, type: string, derived: nanoseconds}]}]',
     'actions[0].fields[0].derived: a string takes no "derived"'),
    ('name: bot\nparameters: [{node: /n, name: p, type: double, unit: deg}]',
     "parameters[0].unit: unknown unit 'deg'"),
    ('name: bot\nparameters: [{node: /n, name: p, type: bool, values: [true]}]',
     'parameters[0].values: a bool takes no "values"'),
    ('name: bot\nparameters: [{node: /n, name: p, type: integer, values: [1, 2], default: 0}]',
     'parameters[0].default: 0 is not one of the values of this integer'),
])
def test_load_errors_name_file_and_key(tmp_path, text, message):
    path = write_robot(tmp_path, text)
    with pytest.raises(RobotDescriptionError) as error:
        RobotDescription.load(path)
    assert str(error.value).startswith(f'{path}: ')
    assert message in str(error.value)


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='nothing.yaml'):
        RobotDescription.load(tmp_path / 'nothing.yaml')


# --- agreement with installed message classes -----------------------------------------------

@pytest.mark.skipif(not HAS_GEOMETRY_MSGS, reason=NO_GEOMETRY_MSGS)
def test_description_agrees_with_installed_twist(tmp_path):
    twist = RobotDescription.load(twist_robot(tmp_path)).find('topic', '/cmd_vel')
    assert [field.name for field in twist.fields] == ['linear', 'angular']


@pytest.mark.skipif(not HAS_GEOMETRY_MSGS, reason=NO_GEOMETRY_MSGS)
@pytest.mark.parametrize('linear_type, vector, message', [
    ('geometry_msgs/msg/Vector3', VECTOR3[::-1], 'topics[0] (/cmd_vel).linear: the installed '
     'geometry_msgs/msg/Vector3 has the fields {x: double, y: double, z: double}, but the '
     'description says {z: double, y: double, x: double}'),
    ('geometry_msgs/msg/Vector3', [dict(axis, type='float32') for axis in VECTOR3],
     'description says {x: float, y: float, z: float}'),
    ('geometry_msgs/msg/Vector3', VECTOR3[:2], 'description says {x: double, y: double}'),
    ('geometry_msgs/msg/Point', VECTOR3, 'topics[0] (/cmd_vel): the installed '
     'geometry_msgs/msg/Twist has the fields {linear: geometry_msgs/Vector3, '
     'angular: geometry_msgs/Vector3}, but the description says '
     '{linear: geometry_msgs/Point, angular: geometry_msgs/Vector3}'),
])
def test_description_disagreeing_with_installed_twist_fails(
        tmp_path, linear_type, vector, message):
    with pytest.raises(RobotDescriptionError, match='robot.yaml: topics') as error:
        RobotDescription.load(twist_robot(tmp_path, linear_type, vector))
    assert message in str(error.value)


@pytest.mark.skipif(not HAS_GEOMETRY_MSGS, reason=NO_GEOMETRY_MSGS)
def test_type_missing_from_an_installed_package_fails(tmp_path):
    path = write_robot(tmp_path, 'name: bot\ntopics: [{name: /x, type: geometry_msgs/msg/Nope}]')
    with pytest.raises(RobotDescriptionError,
                       match=r"topics\[0\] \(/x\): geometry_msgs.msg has no type 'Nope'"):
        RobotDescription.load(path)


@pytest.mark.skipif(not HAS_STD_SRVS, reason=NO_STD_SRVS)
def test_empty_service_with_a_field_fails(tmp_path):
    path = write_robot(tmp_path, """
        name: bot
        services: [{name: /clear, type: std_srvs/srv/Empty, fields: [{name: a, type: bool}]}]
        """)
    with pytest.raises(RobotDescriptionError, match=r'services\[0\] \(/clear\): the installed '
                                                    r'std_srvs/srv/Empty has the fields \{\}'):
        RobotDescription.load(path)


def test_uninstalled_types_use_the_description(tmp_path):
    path = write_robot(tmp_path, """
        name: bot
        services: [{name: /go, type: no_such_pkg_xyz/srv/Go, fields: [{name: a, type: bool}]}]
        """)
    assert RobotDescription.load(path).find('service', '/go').fields[0].kind == 'bool'


@pytest.mark.skipif(not HAS_GEOMETRY_MSGS, reason=NO_GEOMETRY_MSGS)
def test_description_agrees_with_installed_arrays(tmp_path):
    pose = [{'name': 'position', 'type': 'geometry_msgs/msg/Point', 'fields': VECTOR3},
            {'name': 'orientation', 'type': 'geometry_msgs/msg/Quaternion',
             'fields': VECTOR3 + [{'name': 'w', 'type': 'float64', 'default': 1.0}]}]
    data = {'name': 'base', 'topics': [
        {'name': '/initialpose', 'type': 'geometry_msgs/msg/PoseWithCovarianceStamped',
         'fields': [{'name': 'header', 'type': 'std_msgs/msg/Header', 'fields': HEADER},
                    {'name': 'pose', 'type': 'geometry_msgs/msg/PoseWithCovariance', 'fields': [
                        {'name': 'pose', 'type': 'geometry_msgs/msg/Pose', 'fields': pose},
                        {'name': 'covariance', 'type': 'float64[36]'}]}]},
        {'name': '/area', 'type': 'geometry_msgs/msg/Polygon', 'fields': [
            {'name': 'points', 'type': 'geometry_msgs/msg/Point32[]',
             'fields': [dict(axis, type='float32') for axis in VECTOR3]}]}]}
    path = write_robot(tmp_path, yaml.safe_dump(data, sort_keys=False))
    robot = RobotDescription.load(path)
    assert robot.find('topic', '/initialpose').fields[1].fields[1].array.lengths == (36, 36)
    for wrong, message in [
            ('float64[]', 'covariance: double[36]}, but the description says {pose: '
                          'geometry_msgs/Pose, covariance: sequence<double>}'),
            ('float64[<=36]', 'covariance: sequence<double, 36>}'),
            ('float32[36]', 'covariance: float[36]}')]:
        data['topics'][0]['fields'][1]['fields'][1]['type'] = wrong
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding='utf-8')
        with pytest.raises(RobotDescriptionError, match=r'topics\[0\] \(/initialpose\)\.pose: '
                                                        'the installed') as error:
            RobotDescription.load(path)
        assert message in str(error.value)
    data['topics'][0]['fields'][1]['fields'][1]['type'] = 'float64[36]'
    data['topics'][1]['fields'][0]['type'] = 'geometry_msgs/msg/Point32[<=3]'
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding='utf-8')
    with pytest.raises(RobotDescriptionError, match=r'topics\[1\] \(/area\): the installed '
                                                    r'geometry_msgs/msg/Polygon has the fields '
                                                    r'\{points: sequence<geometry_msgs/Point32>\}'
                                                    r', but the description says \{points: '
                                                    r'sequence<geometry_msgs/Point32, 3>\}'):
        RobotDescription.load(path)


@pytest.mark.skipif(not HAS_RCL_INTERFACES, reason='rcl_interfaces is not installed')
def test_description_agrees_with_an_installed_bounded_array_of_messages(tmp_path):
    data = {'name': 'bot', 'topics': [{
        'name': '/descriptor', 'type': 'rcl_interfaces/msg/ParameterDescriptor', 'fields': [
            {'name': 'name', 'type': 'string'}, {'name': 'type', 'type': 'uint8'},
            {'name': 'description', 'type': 'string'},
            {'name': 'additional_constraints', 'type': 'string'},
            {'name': 'read_only', 'type': 'bool'}, {'name': 'dynamic_typing', 'type': 'bool'},
            {'name': 'floating_point_range', 'type': 'rcl_interfaces/msg/FloatingPointRange[<=1]',
             'fields': [{'name': name, 'type': 'float64'}
                        for name in ('from_value', 'to_value', 'step')]},
            {'name': 'integer_range', 'type': 'rcl_interfaces/msg/IntegerRange[<=1]',
             'fields': [{'name': 'from_value', 'type': 'int64'},
                        {'name': 'to_value', 'type': 'int64'},
                        {'name': 'step', 'type': 'uint64'}]}]}]}
    path = write_robot(tmp_path, yaml.safe_dump(data, sort_keys=False))
    ranges = RobotDescription.load(path).find('topic', '/descriptor').fields[-1]
    assert ranges.array == ArrayShape(1) and ranges.is_message
    data['topics'][0]['fields'][-1]['fields'][2]['type'] = 'int64'
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding='utf-8')
    with pytest.raises(RobotDescriptionError, match=r'\(/descriptor\)\.integer_range: the '
                                                    r'installed rcl_interfaces/msg/IntegerRange'):
        RobotDescription.load(path)


@pytest.mark.skipif(not HAS_GEOMETRY_MSGS, reason=NO_GEOMETRY_MSGS)
def test_installed_nested_types_are_checked_inside_an_uninstalled_one(tmp_path):
    path = write_robot(tmp_path, """
        name: bot
        actions:
          - name: /go
            type: no_such_pkg_xyz/action/Go
            fields:
              - {name: target, type: geometry_msgs/msg/Point, fields: [{name: x, type: float64}]}
        """)
    with pytest.raises(RobotDescriptionError, match=r'actions\[0\] \(/go\)\.target: the '
                                                    r'installed geometry_msgs/msg/Point has the '
                                                    r'fields \{x: double, y: double, z: double\}'):
        RobotDescription.load(path)


@pytest.mark.skipif(not HAS_GEOMETRY_MSGS, reason=NO_GEOMETRY_MSGS)
def test_installed_header_time_and_duration_are_checked(tmp_path):
    data = {'name': 'base', 'actions': [{
        'name': '/wait', 'type': 'base_msgs/action/Wait',
        'fields': [{'name': 'header', 'type': 'std_msgs/msg/Header', 'fields': HEADER[::-1]}]}]}
    path = write_robot(tmp_path, yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(RobotDescriptionError, match=r'\(/wait\)\.header: the installed '
                                                    r'std_msgs/msg/Header has the fields '
                                                    r'\{stamp: builtin_interfaces/Time, '
                                                    r'frame_id: string\}'):
        RobotDescription.load(path)
    data['actions'][0]['fields'] = [{'name': 'time', 'type': 'builtin_interfaces/msg/Duration',
                                     'fields': [dict(field, type='int64') for field in STAMP]}]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding='utf-8')
    with pytest.raises(RobotDescriptionError, match=r'\{sec: int32, nanosec: uint32\}, but the '
                                                    r'description says \{sec: int64'):
        RobotDescription.load(path)
