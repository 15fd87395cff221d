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

"""Quantities rewritten in SI units with unit symbols, number words rewritten in digits."""


import pytest
from ros2_prompt_tuning.quantities import rewrite_quantities

DISTANCES = [
    ('18 inches', '0.4572 m'),
    ('50 cm', '0.5 m'),
    ('2 metres', '2.0 m'),
    ('2m', '2.0 m'),
    ('1 metre', '1.0 m'),
    ('3 meters', '3.0 m'),
    ('1 meter', '1.0 m'),
    ('0.75 metres', '0.75 m'),
    ('.5 m', '0.5 m'),
    ('1.25m', '1.25 m'),
    ('100 centimeters', '1.0 m'),
    ('40 centimetres', '0.4 m'),
    ('1 centimetre', '0.01 m'),
    ('15cm', '0.15 m'),
    ('250 mm', '0.25 m'),
    ('800 millimetres', '0.8 m'),
    ('1 millimeter', '0.001 m'),
    ('2 km', '2000.0 m'),
    ('1.5 kilometres', '1500.0 m'),
    ('1 foot', '0.3048 m'),
    ('2 feet', '0.6096 m'),
    ('3 ft', '0.9144 m'),
    ('2ft', '0.6096 m'),
    ("3'", '0.9144 m'),
    ('1 inch', '0.0254 m'),
    ('6 in', '0.1524 m'),
    ('18in', '0.4572 m'),
    ('12"', '0.3048 m'),
    ('1 yard', '0.9144 m'),
    ('2 yards', '1.8288 m'),
    ('1 yd', '0.9144 m'),
    ('1 mile', '1609.344 m'),
    ('two and a half metres', '2.5 m'),
    ('half a metre', '0.5 m'),
    ('three metres', '3.0 m'),
    ('a metre', '1.0 m'),
    ('an inch', '0.0254 m'),
    ('one hundred millimetres', '0.1 m'),
    ('eight hundred millimetres', '0.8 m'),
    ('twenty-four inches', '0.6096 m'),
    ('two point five metres', '2.5 m'),
    ('a thousand metres', '1000.0 m'),
    ('1 and a half metres', '1.5 m'),
    ('Go 2 Metres FORWARD', 'Go 2.0 m FORWARD'),
]

ANGLES = [
    ('60°', '1.0472 rad'),
    ('90°', '1.5708 rad'),
    ('90 °', '1.5708 rad'),
    ('-30 deg', '-0.5236 rad'),
    ('30deg', '0.5236 rad'),
    ('45 deg', '0.7854 rad'),
    ('1 degree', '0.0175 rad'),
    ('180 degrees', '3.1416 rad'),
    ('22.5 degrees', '0.3927 rad'),
    ('1.5 rad', '1.5 rad'),
    ('3 rad', '3.0 rad'),
    ('2 radians', '2.0 rad'),
    ('1 radian', '1.0 rad'),
    ('ninety degrees', '1.5708 rad'),
    ('forty-five degrees', '0.7854 rad'),
    ('Forty-five degrees clockwise', '0.7854 rad clockwise'),
    ('one hundred and eighty degrees', '3.1416 rad'),
    ('two hundred and seventy degrees', '4.7124 rad'),
    ('a 90-degree turn', 'a 1.5708 rad turn'),
]

PI_FORMS = [
    ('pi/2 radians', '1.5708 rad'),
    ('π/4', '0.7854 rad'),
    ('pi', '3.1416 rad'),
    ('2 pi', '6.2832 rad'),
    ('2π', '6.2832 rad'),
    ('pi/3 rad', '1.0472 rad'),
    ('half pi', '1.5708 rad'),
    ('3pi/4 rad', '2.3562 rad'),
    ('pi over 4 radians', '0.7854 rad'),
    ('rotate pi over two', 'rotate 1.5708 rad'),
    ('π/2 rad', '1.5708 rad'),
    ('-pi/2', '-1.5708 rad'),
]

TURNS = [
    ('a quarter turn', '1.5708 rad'),
    ('one quarter turn', '1.5708 rad'),
    ('quarter of a turn', '1.5708 rad'),
    ('half a turn', '3.1416 rad'),
    ('a half turn', '3.1416 rad'),
    ('a full turn', '6.2832 rad'),
    ('one full turn', '6.2832 rad'),
    ('a complete turn', '6.2832 rad'),
    ('three quarters of a turn', '4.7124 rad'),
    ('one and a half turns', '9.4248 rad'),
    ('two turns', '12.5664 rad'),
    ('a full circle', '6.2832 rad'),
    ('half a circle', '3.1416 rad'),
    ('a full rotation', '6.2832 rad'),
    ('half rotation', '3.1416 rad'),
    ('a third of a turn', '2.0944 rad'),
    ('an eighth of a turn', '0.7854 rad'),
    ('1/2 turn', '3.1416 rad'),
    ('turn one quarter turn', 'turn 1.5708 rad'),
    ('do a complete rotation clockwise', 'do 6.2832 rad clockwise'),
    ('half turn', '3.1416 rad'),
    ('a half-turn', '3.1416 rad'),
    ('quarter-turn left', '1.5708 rad left'),
    ('a full revolution', '6.2832 rad'),
    ('do a full spin to the left', 'do 6.2832 rad to the left'),
    ('half a spin', '3.1416 rad'),
    ('3 full spins', '18.8496 rad'),
    ('a 90 turn', 'a 1.5708 rad turn'),
    ('do a 180 turn to the left', 'do a 3.1416 rad turn to the left'),
    ('do a 360 spin', 'do a 6.2832 rad spin'),
]

FIXED_TURNS = [
    ('turn around', 'turn 3.1416 rad'),
    ('Turn around.', 'Turn 3.1416 rad.'),
    ('turn round to the left', 'turn 3.1416 rad to the left'),
    ('turn the turtle around', 'turn the turtle 3.1416 rad'),
    ('turn leo around and go 2 m', 'turn leo 3.1416 rad and go 2.0 m'),
    ('turn around, then go 1 m', 'turn 3.1416 rad, then go 1.0 m'),
    ('turn around twice', 'turn 3.1416 rad 2 times'),
    ('turn around 3 times', 'turn 3.1416 rad 3 times'),
    ('turn around in place', 'turn 3.1416 rad in place'),
    ('trun around', 'trun 3.1416 rad'),
    ('About face!', 'Turn 3.1416 rad!'),
    ('about-face and stop', 'turn 3.1416 rad and stop'),
    ('do an about-face', 'do 3.1416 rad'),
    ('about-turn', 'turn 3.1416 rad'),
    ('do a 180', 'do 3.1416 rad'),
    ('Do a 360 to the left', 'Do 6.2832 rad to the left'),
    ('do a 180, then stop', 'do 3.1416 rad, then stop'),
    ('face the other way', 'turn 3.1416 rad'),
    ('Face the opposite direction', 'Turn 3.1416 rad'),
    ('turn to face the opposite way', 'turn 3.1416 rad'),
    ('face backwards and drive 2 m', 'turn 3.1416 rad and drive 2.0 m'),
    ('turn 90 degrees then turn around', 'turn 1.5708 rad then turn 3.1416 rad'),
]

NOT_FIXED_TURNS = [
    'turn around the centre',
    'turn around (5, 5)',
    'turn round and round',
    'turn around in a circle',
    'turn around to face north',
    'keep turning around',
    'turn right around',
    'make a turn around the block',
    'go the opposite way',
    'drive in the opposite direction',
    'turn the other way',
    'face the other way round',
    'tell me about face detection',
    'the 180 option',
    'do a spin',
    'drive in 2 circles',
]

LINEAR_SPEEDS = [
    ('1.5 ft/s', '0.4572 m/s'),
    ('2 meters per second', '2.0 m/s'),
    ('1 metre per second', '1.0 m/s'),
    ('0.5 m/s', '0.5 m/s'),
    ('0.75m/s', '0.75 m/s'),
    ('20 cm/s', '0.2 m/s'),
    ('20 cm per second', '0.2 m/s'),
    ('75 centimetres per second', '0.75 m/s'),
    ('2 feet per second', '0.6096 m/s'),
    ('3.6 km/h', '1.0 m/s'),
    ('36 km/h', '10.0 m/s'),
    ('10 mph', '4.4704 m/s'),
    ('12 inches per second', '0.3048 m/s'),
    ('a metre per second', '1.0 m/s'),
]

ANGULAR_SPEEDS = [
    ('90 degrees per second', '1.5708 rad/s'),
    ('45 deg/s', '0.7854 rad/s'),
    ('45°/s', '0.7854 rad/s'),
    ('1 rad/s', '1.0 rad/s'),
    ('2 radians per second', '2.0 rad/s'),
    ('1 radian per second', '1.0 rad/s'),
    ('ninety degrees per second', '1.5708 rad/s'),
    ('a quarter turn per second', '1.5708 rad/s'),
    ('half a turn per second', '3.1416 rad/s'),
    ('one full turn per second', '6.2832 rad/s'),
    ('a revolution per second', '6.2832 rad/s'),
    ('2 revolutions per second', '12.5664 rad/s'),
    ('30 rpm', '3.1416 rad/s'),
    ('60 rpm', '6.2832 rad/s'),
]

DURATIONS = [
    ('wait 2s', 'wait 2.0 s'),
    ('wait 2.5 seconds', 'wait 2.5 s'),
    ('pause 90 secs', 'pause 90.0 s'),
    ('sit tight for 2 minutes', 'sit tight for 120.0 s'),
    ('wait 1.5 min', 'wait 90.0 s'),
    ('hold on for a minute', 'hold on for 60.0 s'),
    ('wait a second', 'wait 1.0 s'),
    ('wait a second, then go', 'wait 1.0 s, then go'),
    ('wait half an hour', 'wait 1800.0 s'),
    ('do nothing for an hour', 'do nothing for 3600.0 s'),
    ('wait two minutes', 'wait 120.0 s'),
    ('wait 1 min 30 s', 'wait 90.0 s'),
    ('take a 3 second break', 'take a 3.0 s break'),
    ('drive 2 m/s for 3 seconds', 'drive 2.0 m/s for 3.0 s'),
]

NUMBER_WORDS = [
    ('spawn turtle at three, four', 'spawn turtle at 3, 4'),
    ('do it five times', 'do it 5 times'),
    ('twenty-five', '25'),
    ('twenty five', '25'),
    ('a hundred and twenty', '120'),
    ('set red to two hundred and fifty-five', 'set red to 255'),
    ('Bg red fifty-nine', 'Bg red 59'),
    ('set the velocity to zero.', 'set the velocity to 0.'),
    ('spawn three turtles', 'spawn 3 turtles'),
    ('one, two', '1, 2'),
    ('teleport to (ten, two and a half)', 'teleport to (10, 2.5)'),
    ('drop a turtle at eight and a half, nine', 'drop a turtle at 8.5, 9'),
    ('two thousand and five', '2005'),
    ('minus five', '-5'),
]

UNCHANGED = [
    'clear the screen',
    'spawn leo',
    'turtle2 go forward',
    'turtle1 and turtle2',
    'someone often tone alone',
    'the one on the left',
    'turtle one',
    'In one motion, go forward',
    'the first turtle',
    'at 3, 4',
    'background red 255',
    'set pen width to 3',
    'turn left',
    'make a turn',
    'a quarter of the way',
    'half speed',
    'face north-east',
    'move 5 in the box',
    "say 'go 5'",
    '5 minus 2',
    'do it 2nd',
    'spawn a second turtle',
    'a second time',
    '5 times a second',
    'x=3, y=2.75',
    'v2.0 m',
    '',
    '   ',
]

SIGNS = [
    ('minus 2 metres', '-2.0 m'),
    ('negative 90 degrees', '-1.5708 rad'),
    ('+45 deg', '0.7854 rad'),
    ('minus a quarter turn', '-1.5708 rad'),
    ('heading of -1 rad', 'heading of -1.0 rad'),
    ('facing -45 degrees', 'facing -0.7854 rad'),
    ('-0.00001 m', '0.0 m'),
    ('-0.5 m/s', '-0.5 m/s'),
]

COMPOUND = [
    ('5 feet 6 inches', '1.6764 m'),
    ('5\'6"', '1.6764 m'),
    ('5 ft 6 in', '1.6764 m'),
    ('2 feet and 3 inches', '0.6858 m'),
    ('1 m 50 cm', '1.5 m'),
    ('1 m 50', '1.0 m 50'),
]

SENTENCES = [
    ('drive 2 feet while turning left 45 degrees',
     'drive 0.6096 m while turning left 0.7854 rad'),
    ('go 50 cm then a quarter turn to the left', 'go 0.5 m then 1.5708 rad to the left'),
    ('spin leo right 90 degrees three times', 'spin leo right 1.5708 rad 3 times'),
    ('drive at 0.1 m/s with an angular speed of 3 rad/s',
     'drive at 0.1 m/s with an angular speed of 3.0 rad/s'),
    ('Please spawn tortuga at (six, eight) with a heading of 120 degrees',
     'Please spawn tortuga at (6, 8) with a heading of 2.0944 rad'),
    ('turtle2: ahead 15 cm', 'turtle2: ahead 0.15 m'),
    ('Fwd 0.8m.', 'Fwd 0.8 m.'),
    ('Can the turtle drive forward at 50 cm/s, four times over?',
     'Can the turtle drive forward at 0.5 m/s, 4 times over?'),
    ('spawn three turtles 2 m apart', 'spawn 3 turtles 2.0 m apart'),
    ('move forward 1 m at half a turn per second', 'move forward 1.0 m at 3.1416 rad/s'),
    ('turn 90 degrees a second time', 'turn 1.5708 rad a second time'),
    ("it's 5' away", "it's 1.524 m away"),
    ('teleport 3 meters forward and turn left pi/4 rad',
     'teleport 3.0 m forward and turn left 0.7854 rad'),
    ('heading north, go 2 m', 'heading north, go 2.0 m'),
]

CONVERSIONS = (DISTANCES + ANGLES + PI_FORMS + TURNS + FIXED_TURNS + LINEAR_SPEEDS
               + ANGULAR_SPEEDS + NUMBER_WORDS + SIGNS + COMPOUND + SENTENCES)

ODD = [
    '',
    '\n',
    '°',
    'π',
    "'",
    '"',
    '/',
    '- - -',
    '((((',
    '\x00',
    'é ü 日本語 🐢',
    '1e309 m',
    '999999999999999999999 deg',
    '9' * 5000 + ' m',
    'pi/0',
    '1/0 turn',
    '0/0 m',
    'minus ' * 500 + '2 m',
    'one ' * 500,
    'go 2 m and turn 90 degrees, ' * 500,
    'a' * 10000,
    '5\'6"minus 2 deg',
    '2 in -2 rpm',
]


@pytest.mark.parametrize('text, expected', DISTANCES)
def test_distances_become_metres(text, expected):
    assert rewrite_quantities(text) == expected


@pytest.mark.parametrize('text, expected', ANGLES)
def test_angles_become_radians(text, expected):
    assert rewrite_quantities(text) == expected


@pytest.mark.parametrize('text, expected', PI_FORMS)
def test_pi_expressions_become_radians(text, expected):
    assert rewrite_quantities(text) == expected


@pytest.mark.parametrize('text, expected', TURNS)
def test_turn_fractions_become_radians(text, expected):
    assert rewrite_quantities(text) == expected


@pytest.mark.parametrize('text, expected', FIXED_TURNS)
def test_fixed_turns_become_radians(text, expected):
    assert rewrite_quantities(text) == expected


@pytest.mark.parametrize('text, expected', [
    ('turn around 90 degrees', 'turn around 1.5708 rad'),
    ('do a 180 degree turn', 'do a 3.1416 rad turn'),
    ('a 180 metres', 'a 180.0 m'),
])
def test_a_fixed_turn_gives_way_to_a_quantity(text, expected):
    assert rewrite_quantities(text) == expected


@pytest.mark.parametrize('text', NOT_FIXED_TURNS)
def test_phrases_that_are_not_a_fixed_turn_stay(text):
    assert rewrite_quantities(text) == text


@pytest.mark.parametrize('text, expected', LINEAR_SPEEDS)
def test_linear_speeds_become_metres_per_second(text, expected):
    assert rewrite_quantities(text) == expected


@pytest.mark.parametrize('text, expected', ANGULAR_SPEEDS)
def test_angular_speeds_become_radians_per_second(text, expected):
    assert rewrite_quantities(text) == expected


@pytest.mark.parametrize('text, expected', DURATIONS)
def test_durations_become_seconds(text, expected):
    assert rewrite_quantities(text) == expected


@pytest.mark.parametrize('text, expected', NUMBER_WORDS)
def test_number_words_become_digits(text, expected):
    assert rewrite_quantities(text) == expected


@pytest.mark.parametrize('text', UNCHANGED)
def test_text_without_quantities_is_unchanged(text):
    assert rewrite_quantities(text) == text


@pytest.mark.parametrize('text, expected', SIGNS)
def test_signs_are_kept(text, expected):
    assert rewrite_quantities(text) == expected


@pytest.mark.parametrize('text, expected', COMPOUND)
def test_feet_and_inches_add_up(text, expected):
    assert rewrite_quantities(text) == expected


@pytest.mark.parametrize('text, expected', SENTENCES)
def test_sentences_with_several_quantities(text, expected):
    assert rewrite_quantities(text) == expected


@pytest.mark.parametrize('text, expected', [
    ('turn rihgt 15 degres', 'turn rihgt 0.2618 rad'),
    ('turn 90 degress', 'turn 1.5708 rad'),
    ('go 2 metrs', 'go 2.0 m'),
    ('walk 30 inchs', 'walk 0.762 m'),
    ('a quarter trun', '1.5708 rad'),
    ('turn 1 radain', 'turn 1.0 rad'),
])
def test_a_unit_one_slip_away_is_read(text, expected):
    assert rewrite_quantities(text) == expected


@pytest.mark.parametrize('text', ['2 miss', 'a quarter tun of it', '2 mils', 'the degree'])
def test_words_that_are_not_slips_of_a_unit_stay(text):
    assert rewrite_quantities(text) == text


@pytest.mark.parametrize('text, expected', [
    ('go back 0.2 m twice', 'go back 0.2 m 2 times'),
    ('Spin thrice', 'Spin 3 times'),
    ('twice as big', '2 times as big'),
])
def test_twice_and_thrice_become_counts(text, expected):
    assert rewrite_quantities(text) == expected


def test_there_are_enough_cases():
    assert len(CONVERSIONS) + len(UNCHANGED) >= 80


@pytest.mark.parametrize('text', [text for text, _ in CONVERSIONS] + UNCHANGED + NOT_FIXED_TURNS
                         + ODD)
def test_rewriting_twice_is_rewriting_once(text):
    once = rewrite_quantities(text)
    assert rewrite_quantities(once) == once


@pytest.mark.parametrize('text', ODD)
def test_odd_input_never_raises(text):
    assert isinstance(rewrite_quantities(text), str)


def test_unreadable_quantities_are_left_alone():
    assert rewrite_quantities('1e309 m') == '1e309 m'
    assert rewrite_quantities('9' * 5000 + ' m') == '9' * 5000 + ' m'
    assert rewrite_quantities('999999999999999999999 deg') == '1.7453292519943295e+19 rad'


def test_converted_values_always_have_a_decimal_point():
    for text, expected in DISTANCES + ANGLES + LINEAR_SPEEDS + ANGULAR_SPEEDS:
        value = expected.split()[-2]
        if value[0].isdigit() or value[0] == '-':
            assert '.' in value, (text, expected)
            assert value != '-0.0', text
