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

"""Misspelt words corrected toward a vocabulary; names, numbers and known words kept."""

import pytest
from ros2_prompt_tuning.spelling import is_slip, SpellingCorrector, training_vocabulary

VOCABULARY = {
    'turn': 50, 'right': 40, 'left': 40, 'backwards': 10, 'forward': 30, 'stop': 12,
    'spawn': 15, 'teleport': 8, 'kill': 6, 'move': 30, 'the': 90, 'turtle': 60, 'then': 20,
    'at': 25, 'to': 40, 'clear': 5, 'pen': 7, 'lift': 3, 'can': 4, 'start': 4, 'smart': 4,
    'quarter': 5, 'need': 3, 'been': 3, 'bob': 5, 'leo': 6, 'mikey': 5, 'tell': 9, 'named': 4,
    'a': 30, 'go': 20, 'please': 15, 'tortuga': 3,
}


@pytest.fixture(scope='module')
def correct():
    return SpellingCorrector(VOCABULARY)


@pytest.mark.parametrize('text, expected', [
    ('trun rigth', 'turn right'),
    ('move bakwards 1 m', 'move backwards 1 m'),
    ('stpo', 'stop'),
    ('spwan turtle2 at 6 1', 'spawn turtle2 at 6 1'),
    ('teleprot to 3, 4', 'teleport to 3, 4'),
    ('turn rihgt', 'turn right'),
    ('move foward', 'move forward'),
    ('go forwward', 'go forward'),
    ('kil leo', 'kill leo'),
    ('turn lefft', 'turn left'),
    ('go backwords', 'go backwards'),
    ('tell tortgua to stop', 'tell tortuga to stop'),
])
def test_a_word_one_slip_away_is_corrected(correct, text, expected):
    assert correct(text) == expected


@pytest.mark.parametrize('text, expected', [
    ('Trun rigth', 'Turn right'),
    ('STPO', 'STOP'),
    ('Trun  rigth, then stpo!', 'Turn  right, then stop!'),
    ('(spwan)\tturtle2...', '(spawn)\tturtle2...'),
])
def test_case_and_everything_around_the_words_are_kept(correct, text, expected):
    assert correct(text) == expected


@pytest.mark.parametrize('text', [
    'spawn leo',
    'tell bob to stop',
    'tell franklin to go',
    'spawn ned',
    'spawn ben at 3, 4',
    'spawn a turtle named mikee',
    'turtel2 go forward',
    'publish to cmd_vell',
    'trun_left',
    'go 2m',
    'scan',
    'star',
    'list the topics',
    'three quarters',
    'a cn',
    '',
    '  ',
])
def test_names_numbers_and_other_words_stay(correct, text):
    assert correct(text) == text


def test_known_words_are_never_changed(correct):
    text = ' '.join(VOCABULARY)
    assert correct(text) == text


def test_equally_common_candidates_leave_the_word():
    assert SpellingCorrector({'start': 4, 'smart': 4})('sart') == 'sart'
    assert SpellingCorrector({'start': 5, 'smart': 4})('sart') == 'start'


def test_a_swap_wins_over_a_more_common_word():
    assert SpellingCorrector({'with': 100, 'width': 5})('witdh') == 'width'
    assert SpellingCorrector({'with': 100, 'width': 5})('wiht') == 'with'


def test_a_short_word_is_corrected_only_to_its_last_letter_doubled():
    assert SpellingCorrector({'kill': 3})('kil') == 'kill'
    assert SpellingCorrector({'ball': 3})('bal') == 'ball'
    assert SpellingCorrector({'ball': 3, 'bail': 3})('bal') == 'bal'
    assert SpellingCorrector({'need': 3})('ned') == 'ned'
    assert SpellingCorrector({'the': 3})('teh') == 'teh'


def test_a_letter_is_replaced_only_inside_a_long_word():
    assert SpellingCorrector({'backwards': 3})('backwords') == 'backwards'
    assert SpellingCorrector({'backwards': 3})('backwardz') == 'backwardz'
    assert SpellingCorrector({'lift': 3})('list') == 'list'


def test_training_vocabulary_counts_words_of_letters():
    requests = ['Turn left', 'turn RIGHT 90 degrees', 'TURN turtle2, cmd_vel', "don't turn"]
    assert training_vocabulary(requests, minimum_count=2) == {'turn': 4}
    assert training_vocabulary(requests, minimum_count=1) == {
        'turn': 4, 'left': 1, 'right': 1, 'degrees': 1, 'don': 1, 't': 1}
    assert training_vocabulary(requests) == {'turn': 4}


def test_a_vocabulary_from_requests_corrects_requests():
    requests = ['turn right', 'turn left', 'stop the turtle'] * 3
    correct = SpellingCorrector(training_vocabulary(requests))
    assert correct('Trun rigth and stpo the trutle') == 'Turn right and stop the turtle'


@pytest.mark.parametrize('typed, word, slip', [
    ('trutle', 'turtle', True), ('turtel', 'turtle', True), ('tuurtle', 'turtle', True),
    ('tutle', 'turtle', True), ('turtle', 'turtle', False), ('leo', 'turtle', False),
    ('trtel', 'turtle', False),
])
def test_a_typed_word_is_a_slip_of_another(typed, word, slip):
    assert is_slip(typed, word) == slip
