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
Put a request in the words the model copies from, before the model reads it.

A :class:`RequestRewriter` is built once per robot. On each request it

1. lower-cases a request typed mostly in capitals (``STOP THE TURTLE``);
2. corrects words one slip away from the words of the training requests, when the prompt
   weights list them (``trun rigth`` -> ``turn right``, :mod:`ros2_prompt_tuning.spelling`);
3. replaces the robot's named values (``named_values`` in its description): ``facing north``
   becomes ``facing 1.5708 rad`` and ``to the centre`` ``to x 5.54, y 5.54`` for turtlesim;
4. rewrites quantities in SI units and number words in digits
   (:func:`ros2_prompt_tuning.quantities.rewrite_quantities`).
"""

import re

from ros2_prompt_tuning.quantities import rewrite_quantities
from ros2_prompt_tuning.spelling import SpellingCorrector

# A request whose letters are more than this share capitals is read as lower case.
SHOUTED_SHARE = 0.5


def is_shouted(text):
    """Return whether most letters of ``text`` are capitals (at least 4 letters)."""
    letters = [character for character in text if character.isalpha()]
    capitals = sum(character.isupper() for character in letters)
    return len(letters) >= 4 and capitals > SHOUTED_SHARE * len(letters)


class RequestRewriter:
    """Rewrites a robot's requests: case, spelling, named values, quantities (see the module)."""

    def __init__(self, robot=None, vocabulary=None):
        """
        Compile the named values of ``robot`` (a :class:`RobotDescription`; None: none).

        :param vocabulary: the words of the training requests with their counts, to correct
            misspelt words toward; ``None``: no spelling correction.
        """
        self.spelling = SpellingCorrector(vocabulary) if vocabulary else None
        self.replacements = {}
        alternatives = []
        groups = robot.named_values if robot is not None else ()
        for index, group in enumerate(groups):
            values = {' '.join(phrase.lower().split()): text for phrase, text in group.values}
            self.replacements[index] = values
            phrases = '|'.join(_phrase_regex(phrase)
                               for phrase in sorted(values, key=len, reverse=True))
            before = ''
            if group.after:
                before = '(?:' + '|'.join(re.escape(word) for word in group.after) + r')\s+'
            alternatives.append(rf'(?P<before{index}>\b{before})(?P<group{index}>{phrases})\b')
        self.pattern = re.compile('|'.join(alternatives), re.I) if alternatives else None

    def __call__(self, text):
        """Return ``text`` rewritten; text that holds nothing to rewrite comes back as is."""
        if is_shouted(text):
            text = text.lower()
        if self.spelling is not None:
            text = self.spelling(text)
        if self.pattern is not None:
            text = self.pattern.sub(self._replace, text)
        return rewrite_quantities(text)

    def named_value_texts(self, text):
        """Return the texts that the robot's named values in ``text`` are replaced by."""
        if self.pattern is None:
            return []
        return [self._value_text(match) for match in self.pattern.finditer(text)]

    def _replace(self, match):
        return match.group(f'before{_matched_group(match)}') + self._value_text(match)

    def _value_text(self, match):
        index = _matched_group(match)
        phrase = ' '.join(match.group(f'group{index}').lower().split())
        return self.replacements[index][phrase]


def _matched_group(match):
    """Return the index of the named-value group that ``match`` matched."""
    return next(int(name[len('group'):]) for name, value in match.groupdict().items()
                if name.startswith('group') and value is not None)


def _phrase_regex(phrase):
    """Return a regex for ``phrase``, its words separated by any run of spaces."""
    return r'\s+'.join(re.escape(word) for word in phrase.split())
