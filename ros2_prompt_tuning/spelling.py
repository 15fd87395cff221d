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
Correct the misspelt words of a request toward a known vocabulary.

:func:`training_vocabulary` counts the words of the training requests; a
:class:`SpellingCorrector` replaces each unknown word of a request by the vocabulary word a
single slip away (a letter too many or too few, a letter replaced, two neighbours swapped):
``trun rigth`` -> ``turn right``. Where several are, a swap wins, then the most common word.
A word is left as typed when it is known, holds a digit or an underscore (``turtle2``,
``cmd_vel``), is short, has no such neighbour or two equally good ones, or follows ``named``,
``called`` or ``name`` (a new turtle's name). Words are looked up by their slips, not compared
with the whole vocabulary.
"""

from collections import Counter
import re

_WORD_RE = re.compile(r'\w+')
# Words this long are corrected by any slip. A word one letter shorter is corrected only to
# itself with its last letter doubled, when that is its one neighbour ('kil' -> 'kill'), as short
# words are often names ('ned' is not 'need', 'bob' not 'bobs'); shorter words never.
MINIMUM_LENGTH = 4
# A letter typed for another is a slip only in words this long, and not their first or last
# letter: shorter words are often other real words ('list', 'lift'; 'charge', 'change').
SUBSTITUTION_LENGTH = 7
# Words after which a name follows, which no vocabulary holds.
_NAMING_WORDS = {'named', 'called', 'name'}


def training_vocabulary(requests, minimum_count=3):
    """Return the words of ``requests`` (lower case, letters only) seen ``minimum_count`` times."""
    counts = Counter(word for text in requests for word in _WORD_RE.findall(text.lower())
                     if word.isalpha())
    return {word: count for word, count in counts.items() if count >= minimum_count}


class SpellingCorrector:
    """Corrects the words of a text toward a vocabulary (see the module)."""

    def __init__(self, vocabulary):
        """Keep ``vocabulary``, a mapping of lower-case words to how often they were seen."""
        self.vocabulary = dict(vocabulary)
        self.letters = sorted(set(''.join(self.vocabulary)))

    def __call__(self, text):
        """Return ``text`` with its misspelt words corrected, all else as typed."""
        matches = list(_WORD_RE.finditer(text))
        pieces, start = [], 0
        for index, match in enumerate(matches):
            if index and matches[index - 1].group().lower() in _NAMING_WORDS:
                continue
            correction = self.correction(match.group().lower())
            if correction:
                pieces += [text[start:match.start()], _same_case(correction, match.group())]
                start = match.end()
        pieces.append(text[start:])
        return ''.join(pieces)

    def correction(self, word):
        """Return the vocabulary word that ``word`` (lower case) is a slip of, or None."""
        if word in self.vocabulary or not word.isalpha() or len(word) < MINIMUM_LENGTH - 1:
            return None
        candidates = slips(word, self.letters) & self.vocabulary.keys()
        if len(word) < MINIMUM_LENGTH:
            return word + word[-1] if candidates == {word + word[-1]} else None
        # Swapped letters keep every letter typed: 'witdh' is 'width' rather than 'with'.
        ranks = sorted(((sorted(candidate) == sorted(word), self.vocabulary[candidate]), candidate)
                       for candidate in candidates)
        if not ranks or (len(ranks) > 1 and ranks[-1][0] == ranks[-2][0]):
            return None
        return ranks[-1][1]


def slips(word, letters):
    """
    Return the spellings that ``word`` may be one slip from, inserting only ``letters``.

    Two neighbours swapped; a letter too many or too few inside the word, or at its ends
    when it doubles its neighbour (``stopp``, ``kil``); a letter replaced inside a long
    word (see ``SUBSTITUTION_LENGTH``). The first and last letters are otherwise kept, as
    other words often differ there (``scan``, ``can``; ``star``, ``start``).
    """
    n = len(word)
    found = {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(n - 1)}
    found |= {word[:i] + word[i + 1:] for i in range(n)
              if 0 < i < n - 1 or word[i] in word[i - 1:i] + word[i + 1:i + 2]}
    found |= {word[:i] + letter + word[i:] for i in range(n + 1) for letter in letters
              if 0 < i < n or letter in word[i - 1:i] + word[i:i + 1]}
    if n >= SUBSTITUTION_LENGTH:
        found |= {word[:i] + letter + word[i + 1:] for i in range(1, n - 1)
                  for letter in letters}
    return found - {word}


def is_slip(typed, word):
    """Return whether ``typed`` is ``word`` with one slip (``trutle``, ``tutle``: ``turtle``)."""
    return word in slips(typed, set(word))


def _same_case(replacement, word):
    """Return ``replacement`` in the case of ``word``: all capitals or a capital first letter."""
    if len(word) > 1 and word.isupper():
        return replacement.upper()
    if word[0].isupper():
        return replacement[0].upper() + replacement[1:]
    return replacement
