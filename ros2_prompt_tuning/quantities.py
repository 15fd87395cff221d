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
Rewrite the quantities of a request in SI units, with numbers in digits.

:func:`rewrite_quantities` runs on a request before the language model reads it, so that the
model copies numbers instead of converting them: ``18 inches`` becomes ``0.4572 m``, ``a
quarter turn`` ``1.5708 rad``, ``1.5 ft/s`` ``0.4572 m/s``, ``90 degrees per second``
``1.5708 rad/s``, ``2 minutes`` ``120.0 s``, and number words outside quantities become
digits (``at three, four`` -> ``at 3, 4``; ``twice`` -> ``2 times``), and a unit name one slip
away is read as the unit (``degress``). Phrases that mean a fixed turn become one too: ``turn
around`` -> ``turn 3.1416 rad``, ``face the other way`` and ``about face`` -> ``turn 3.1416
rad``, ``do a 180`` -> ``do 3.1416 rad``, ``a full spin`` -> ``6.2832 rad``. All other text is
kept as typed. A converted value is rounded to 4 decimals.

The request is split into tokens and read by a small hand-written grammar; the conversion
factors come from pint (read once, on the first call). Number words are read here rather than
with text2num, which leaves ``two and a half`` alone, keeps the ``a`` of ``a hundred`` and
turns ordinals such as ``fourth`` into ``4th``.
"""

from functools import lru_cache
import math
import re

# A number (perhaps with a unit or a name glued on), a word, a space run, one other character.
_TOKEN_RE = re.compile(r'(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?\w*|\w+|\s+|.', re.S)
_NUMBER_RE = re.compile(r'((?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?)([^\W\d_]*)$')

_ONES = {
    'zero': 0, 'one': 1, 'two': 2, 'three': 3, 'four': 4, 'five': 5, 'six': 6, 'seven': 7,
    'eight': 8, 'nine': 9, 'ten': 10, 'eleven': 11, 'twelve': 12, 'thirteen': 13,
    'fourteen': 14, 'fifteen': 15, 'sixteen': 16, 'seventeen': 17, 'eighteen': 18,
    'nineteen': 19,
}
_TENS = {
    'twenty': 20, 'thirty': 30, 'forty': 40, 'fifty': 50, 'sixty': 60, 'seventy': 70,
    'eighty': 80, 'ninety': 90,
}
_SCALES = {'thousand': 1000, 'million': 1000000}
_ARTICLES = ('a', 'an')
_SIGN_WORDS = ('minus', 'negative')
_SIGNS = {'-': -1, '\u2212': -1, '+': 1}
_DENOMINATORS = {'half': 2, 'quarter': 4, 'third': 3, 'fourth': 4, 'eighth': 8}
_PLURAL_DENOMINATORS = {'halves': 2, 'quarters': 4, 'thirds': 3, 'fourths': 4, 'eighths': 8}
_NUMBER_WORDS = (set(_ONES) | set(_TENS) | set(_SCALES) | set(_DENOMINATORS)
                 | set(_PLURAL_DENOMINATORS) | {'hundred'})
_PI = ('pi', '\u03c0')
_SEPARATORS = '([{=:,;"\''
_CLOSERS = ',.;:!?)]}/"\''
_TURN_MODIFIERS = ('full', 'complete', 'whole')
_REPEATS = {'twice': '2 times', 'thrice': '3 times'}

# Spellings -> pint unit names.
_LENGTHS = {
    'm': 'meter', 'meter': 'meter', 'meters': 'meter', 'metre': 'meter', 'metres': 'meter',
    'cm': 'centimeter', 'centimeter': 'centimeter', 'centimeters': 'centimeter',
    'centimetre': 'centimeter', 'centimetres': 'centimeter',
    'mm': 'millimeter', 'millimeter': 'millimeter', 'millimeters': 'millimeter',
    'millimetre': 'millimeter', 'millimetres': 'millimeter',
    'km': 'kilometer', 'kilometer': 'kilometer', 'kilometers': 'kilometer',
    'kilometre': 'kilometer', 'kilometres': 'kilometer',
    'ft': 'foot', 'foot': 'foot', 'feet': 'foot',
    'in': 'inch', 'inch': 'inch', 'inches': 'inch',
    'yd': 'yard', 'yds': 'yard', 'yard': 'yard', 'yards': 'yard',
    'mile': 'mile', 'miles': 'mile',
}
_ANGLES = {
    'deg': 'degree', 'degs': 'degree', 'degree': 'degree', 'degrees': 'degree',
    'rad': 'radian', 'rads': 'radian', 'radian': 'radian', 'radians': 'radian',
}
_TURNS = {'turn', 'turns', 'rotation', 'rotations', 'revolution', 'revolutions', 'rev', 'revs'}
# Nouns that are a turn only with a size ('a full circle', 'half a spin'): 'two circles' is a path.
_SIZED_TURNS = {'circle', 'circles', 'spin', 'spins'}
# A singular turn noun after 'a' and a whole number counts degrees: 'a 90 turn' keeps its noun.
_TURN_NOUNS = {'turn', 'rotation', 'revolution', 'rev', 'spin'}
_DEGREE_SIGNS = {'\u00b0', '\u00ba', '\u02da'}
_MARKS = {"'": 'foot', '\u2032': 'foot', '"': 'inch', '\u2033': 'inch'}
_SPEEDS = {
    'mph': ('mile', 'hour'), 'kph': ('kilometer', 'hour'), 'kmh': ('kilometer', 'hour'),
    'rpm': ('turn', 'minute'), 'rps': ('turn', 'second'),
}
_TIMES = {
    's': 'second', 'sec': 'second', 'secs': 'second', 'second': 'second', 'seconds': 'second',
    'min': 'minute', 'mins': 'minute', 'minute': 'minute', 'minutes': 'minute',
    'h': 'hour', 'hr': 'hour', 'hrs': 'hour', 'hour': 'hour', 'hours': 'hour',
}
# Units that 'a'/'an' may stand before as the amount one ('a metre', 'an inch'); 'a second'
# only where a clause ends after it, as it is mostly an ordinal ('a second robot').
_SINGULAR = {
    'meter', 'metre', 'centimeter', 'centimetre', 'millimeter', 'millimetre', 'kilometer',
    'kilometre', 'foot', 'inch', 'yard', 'mile', 'degree', 'radian', 'minute', 'min', 'hour',
    'hr',
}
# Words after which a spaced 'in' still reads as inches ('move 5 in and stop').
_INCH_FOLLOWERS = {
    'and', 'then', 'while', 'forward', 'forwards', 'backward', 'backwards', 'back', 'left',
    'right', 'up', 'down', 'ahead', 'straight', 'per', 'to', 'toward', 'towards', 'from',
    'at', 'with', 'before', 'after', 'or', 'but', 'so', 'please', 'away',
}
# Suffixes that may be glued to a number ('2m', '30deg', '2π'); any other makes a name.
_ATTACHABLE = set(_LENGTHS) | set(_ANGLES) | set(_SPEEDS) | set(_TIMES) | _TURNS | set(_PI)
_ANGULAR = ('degree', 'radian', 'turn')
_DURATIONS = ('second', 'minute', 'hour')
_CLAUSE_JOINS = {'and', 'then', 'before', 'please'}
# Words before 'a second' that make it a rate ('5 times a second').
_COUNTS = {'times', 'once', 'twice', 'thrice'}

# Phrases of fixed turns ('about face', 'face the other way', 'turn around in place'): the
# spellings of each word; spaces or a hyphen part the words.
_ABOUT_FACE = (('about',), ('face', 'turn'))
_FACE_AWAY = ((('face',), ('the',), ('other', 'opposite'), ('way', 'direction')),
              (('face',), ('backwards', 'backward')))
_TURN_TO = (('turn',), ('to', 'and'))
_AROUND = ('around', 'round')
# Degrees said bare after 'a' that mean a turn ('do a 180'), in radians.
_TURN_DEGREES = {180.0: math.pi, 360.0: 2 * math.pi}
# Words and phrases that may follow a fixed turn ('turn around and stop'); after any other the
# phrase may mean something else ('turn around the centre', 'turn around to face north').
_TURN_FOLLOWERS = {
    'and', 'then', 'left', 'right', 'clockwise', 'counterclockwise', 'anticlockwise',
    'counter', 'anti', 'please', 'now', 'once', 'twice', 'thrice', 'slowly', 'quickly', 'fast',
    'immediately', 'completely', 'fully', 'at', 'with', 'while', 'so', 'but', 'or', 'thanks',
    'thank',
}
_TURN_ENDINGS = ((('to',), ('the', 'your'), ('left', 'right')), (('in',), ('place',)),
                 (('on',), ('the',), ('spot',)))


# English words that are also slips of a unit name.
_WORDS_NOT_SLIPS = {'miss', 'fete', 'mile', 'mils', 'mins', 'rads', 'revs', 'secs'}


def _slips(word):
    """
    Return the spellings one slip from ``word``.

    A slip is a letter dropped, doubled, swapped with the one before it or typed as the one
    after it (``degress``).
    """
    found = set()
    for i in range(1, len(word)):
        found.add(word[:i] + word[i + 1:])
        found.add(word[:i] + word[i] + word[i:])
        found.add(word[:i - 1] + word[i] + word[i - 1] + word[i + 1:])
        if i + 1 < len(word):
            found.add(word[:i] + word[i + 1] + word[i + 1:])
    return found - {word}


# Misspelt long unit names ('degres', 'meteres') -> the unit name.
_MISSPELT_UNITS = {slip: word
                   for word in sorted(set(_LENGTHS) | set(_ANGLES) | set(_TIMES) | _TURNS)
                   if len(word) >= 4 for slip in _slips(word)
                   if len(slip) >= 4 and slip not in _LENGTHS and slip not in _ANGLES
                   and slip not in _TIMES and slip not in _TURNS and slip not in _WORDS_NOT_SLIPS}
_PINT_UNITS = {
    'meter': 'meter', 'centimeter': 'meter', 'millimeter': 'meter', 'kilometer': 'meter',
    'foot': 'meter', 'inch': 'meter', 'yard': 'meter', 'mile': 'meter',
    'degree': 'radian', 'radian': 'radian', 'turn': 'radian',
    'second': 'second', 'minute': 'second', 'hour': 'second',
}


@lru_cache(maxsize=None)
def _factors():
    """Return the SI factor of each unit, from one pint registry."""
    import pint
    registry = pint.UnitRegistry()
    return {name: float(registry.Quantity(1, name).to(target).magnitude)
            for name, target in _PINT_UNITS.items()}


def _format(value):
    """Write a converted value: 4 decimals, always a decimal point, never ``-0.0``."""
    return repr(round(value, 4) + 0.0)


def _plain(value):
    """Write a number that has no unit: up to 4 decimals, an integer without a point."""
    return f'{value:.4f}'.rstrip('0').rstrip('.')


class _Reader:
    """The tokens of one request and the grammar that reads them."""

    def __init__(self, text):
        self.text = text
        self.toks, self.starts, self.nums = [], [], []
        for match in _TOKEN_RE.finditer(text):
            self._add(match.group(), match.start())
        self.low = [_MISSPELT_UNITS.get(tok.lower(), tok.lower()) for tok in self.toks]
        self.space = [tok.isspace() for tok in self.toks]
        self.n = len(self.toks)

    def _add(self, tok, start):
        """Append a token, splitting a glued unit off a number ('2m' -> '2', 'm')."""
        number = _NUMBER_RE.match(tok)
        previous = self.toks[-1][-1] if self.toks else ' '
        if number and not (previous.isalnum() or previous in '_.'):
            digits, suffix = number.groups()
            if not suffix or suffix.lower() in _ATTACHABLE:
                self._push(digits, start, float(digits))
                if suffix:
                    self._push(suffix, start + len(digits), None)
                return
        self._push(tok, start, None)

    def _push(self, tok, start, value):
        self.toks.append(tok)
        self.starts.append(start)
        self.nums.append(value)

    def skip(self, i):
        """Return the first index from ``i`` that is not white space."""
        while i < self.n and self.space[i]:
            i += 1
        return i

    def word(self, i):
        """Return token ``i`` in lower case, or '' past the end."""
        return self.low[i] if i < self.n else ''

    def number(self, i):
        """Return the value of digit token ``i``, or None."""
        return self.nums[i] if i < self.n else None

    def is_numberish(self, i):
        """Tell whether token ``i`` is a number in digits or a number word."""
        return 0 <= i < self.n and (self.nums[i] is not None or self.low[i] in _NUMBER_WORDS)

    def before(self, i):
        """Return the index of the token before ``i`` past white space (-1 at the start)."""
        k = i - 1
        while k >= 0 and self.space[k]:
            k -= 1
        return k

    def after_number(self, i):
        """Tell whether the token before ``i`` (past white space) is a number."""
        return self.is_numberish(self.before(i))

    def ends(self, i):
        """Tell whether a number or a unit may end before token ``i`` (a space or a closer)."""
        return i >= self.n or self.space[i] or self.toks[i] in _CLOSERS

    def free(self, i):
        """Tell whether token ``i`` starts a word: after a space, a bracket or a separator."""
        return not i or self.toks[i - 1][-1].isspace() or self.toks[i - 1][-1] in _SEPARATORS

    def blocked(self, i):
        """Tell whether token ``i`` is glued to a number or name before it ('x-2', '1/4')."""
        return bool(i) and (self.toks[i - 1][-1].isalnum() or self.toks[i - 1][-1] in '_./'
                            or self.toks[i - 1] in _SIGNS)

    def glued(self, start, end):
        """Tell whether tokens ``start`` to ``end`` touch a number part ('3.five', 'five.5')."""
        after = self.toks[end] if end < self.n else ' '
        return self.blocked(start) or (after[0] == '.' and len(after) > 1)

    def in_list(self, i):
        """Tell whether token ``i`` has a number next to it, commas and spaces aside."""
        for step in (-1, 1):
            k = i + step
            while 0 <= k < self.n and (self.space[k] or self.toks[k] == ','):
                k += step
            if step < 0 and self.is_numberish(k):
                return True
            if step > 0 and k < self.n and self.whole(k) and self.compound(k) is None:
                return True
        return False

    # Numbers ---------------------------------------------------------------------------------

    def below_hundred(self, i):
        """Read 'seven', 'forty', 'forty-two', 'forty two': (value, end) or None."""
        word = self.word(i)
        if word in _TENS:
            value, end = _TENS[word], i + 1
            k = end + 1 if self.word(end) == '-' else self.skip(end)
            unit = _ONES.get(self.word(k), 0)
            if 1 <= unit <= 9:
                return value + unit, k + 1
            return value, end
        if word in _ONES:
            return _ONES[word], i + 1
        return None

    def below_thousand(self, i):
        """Read number words below a thousand, 'a hundred and twenty' included."""
        word = self.word(i)
        k = self.skip(i + 1)
        after = self.word(k)
        if word in _ARTICLES and after in _SCALES:
            return 1, i + 1
        if after == 'hundred' and (word in _ARTICLES or _ONES.get(word, 0) >= 1):
            value, end = _ONES.get(word, 1) * 100, k + 1
            k = self.skip(end)
            if self.word(k) == 'and':
                k = self.skip(k + 1)
            rest = self.below_hundred(k)
            if rest:
                return value + rest[0], rest[1]
            return value, end
        return self.below_hundred(i)

    def cardinal(self, i):
        """Read number words ('two thousand and five', 'two point five'): (value, end, text)."""
        total, last_scale, end, k = 0, None, i, i
        while True:
            part = self.below_thousand(k)
            if part is None:
                break
            value, after = part
            s = self.skip(after)
            scale = _SCALES.get(self.word(s))
            if scale and (last_scale is None or scale < last_scale):
                total += value * scale
                last_scale, end = scale, s + 1
                k = self.skip(end)
                if self.word(k) == 'and':
                    k = self.skip(k + 1)
                continue
            total += value
            end = after
            break
        if end == i:
            return None
        text = str(total)
        k = self.skip(end)
        if self.word(k) == 'point':
            decimals = ''
            k = self.skip(k + 1)
            while _ONES.get(self.word(k), 10) <= 9:
                decimals += str(_ONES[self.word(k)])
                end = k + 1
                k = self.skip(end)
            if decimals:
                text = f'{total}.{decimals}'
        return float(text), end, text

    def whole(self, i):
        """Read a number in digits or in words: (value, end, text) or None."""
        value = self.number(i)
        if value is not None:
            return value, i + 1, self.toks[i]
        return self.cardinal(i)

    def fraction(self, i):
        """Read 'half', 'a quarter', 'one third', 'three quarters': (value, end) or None."""
        word = self.word(i)
        if word in ('half', 'quarter'):
            return 1 / _DENOMINATORS[word], i + 1
        k = self.skip(i + 1)
        if word in _ARTICLES + ('one',) and self.word(k) in _DENOMINATORS:
            return 1 / _DENOMINATORS[self.word(k)], k + 1
        part = self.whole(i)
        if part:
            k = self.skip(part[1])
            if self.word(k) in _PLURAL_DENOMINATORS:
                return part[0] / _PLURAL_DENOMINATORS[self.word(k)], k + 1
        return None

    def amount(self, i):
        """
        Read the amount of a quantity: (value, end, kind) or None.

        ``kind`` is 'fraction', 'digits', 'words' or 'a' (a bare article meaning one).
        """
        part = self.fraction(i)
        if part:
            return part[0], part[1], 'fraction'
        part = self.whole(i)
        if part is None:
            return (1.0, i + 1, 'a') if self.word(i) in _ARTICLES else None
        value, end, _ = part
        kind = 'words' if self.number(i) is None else 'digits'
        denominator = self.number(end + 1)
        if self.word(end) == '/' and denominator:
            return value / denominator, end + 2, 'fraction'
        k = self.skip(end)
        if self.word(k) == 'and':
            part = self.fraction(self.skip(k + 1))
            if part:
                return value + part[0], part[1], kind
        return value, end, kind

    # Units -----------------------------------------------------------------------------------

    def inch_follows(self, i):
        """Tell whether a spaced 'in' ending before token ``i`` reads as inches."""
        k = self.skip(i)
        if k >= self.n:
            return True
        if self.nums[k] is not None or self.low[k] in _SIGNS or self.low[k] in _SIGN_WORDS:
            return False
        word = self.low[k]
        return word in _INCH_FOLLOWERS if word[0].isalnum() else True

    def mark_is_unit(self, k):
        """
        Tell whether the quote at token ``k``, glued to a number, means feet or inches.

        It does not inside quotes, nor before a glued word, except the inches of ``5'6"``.
        """
        if k + 1 < self.n and self.toks[k + 1][0].isalnum():
            inches = self.toks[k + 2] if k + 2 < self.n else ''
            if not (_MARKS[self.toks[k]] == 'foot' and self.is_numberish(k + 1)
                    and _MARKS.get(inches) == 'inch'):
                return False
        start = self.starts[k - 1]
        opening = self.text.rfind(self.toks[k], 0, start)
        return opening < 0 or not (opening == 0 or self.text[opening - 1].isspace()
                                   or self.text[opening - 1] in '([{=:')

    def unit(self, end, kind):
        """Read the unit after an amount: (pint name, time name, end, needs a rate) or None."""
        k = self.skip(end)
        if k == end and self.word(k) == '-':
            k += 1
        elif kind == 'fraction':
            if self.word(k) == 'of':
                k = self.skip(k + 1)
            if self.word(k) in _ARTICLES:
                k = self.skip(k + 1)
        modified = self.word(k) in _TURN_MODIFIERS
        if modified:
            k = self.skip(k + 1)
        word = self.word(k)
        if word in _TURNS or word in _SIZED_TURNS:
            if word in _SIZED_TURNS and not modified and kind != 'fraction':
                return None
            return 'turn', None, k + 1, kind == 'a' and not modified
        if modified or not word:
            return None
        if word in _SPEEDS:
            return (None if kind == 'a' else _SPEEDS[word] + (k + 1, False))
        name = _LENGTHS.get(word) or _ANGLES.get(word) or _TIMES.get(word)
        if name:
            if kind == 'a' and word not in _SINGULAR and not (
                    word == 'second' and self.ends_clause(k + 1)
                    and self.word(self.before(end - 1)) not in _COUNTS):
                return None
            if word == 'in' and k != end and not self.inch_follows(k + 1):
                return None
            return name, None, k + 1, False
        if kind == 'a':
            return None
        if word in _DEGREE_SIGNS and (k + 1 >= self.n or self.space[k + 1]
                                      or self.toks[k + 1] in _CLOSERS):
            return 'degree', None, k + 1, False
        if word in _MARKS and k == end and kind != 'fraction' and self.mark_is_unit(k):
            return _MARKS[word], None, k + 1, False
        return None

    def ends_clause(self, i):
        """Tell whether nothing but a closer or a joining word follows token ``i``."""
        k = self.skip(i)
        return self.ends(i) and (k >= self.n or self.toks[k] in _CLOSERS
                                 or self.word(k) in _CLAUSE_JOINS)

    def counts_degrees(self, i, value, end, kind):
        """Tell whether the amount at ``i`` counts the degrees of a turn noun ('a 90 turn')."""
        return (kind == 'digits' and value > 1 and value.is_integer()
                and self.word(self.skip(end)) in _TURN_NOUNS
                and self.word(self.before(i)) in _ARTICLES)

    def rate(self, end):
        """Read '/s', 'per second', 'a minute' after a unit: (time name, end) or None."""
        k = self.skip(end)
        word = self.word(k)
        if word in ('/', 'per'):
            k = self.skip(k + 1)
            name = _TIMES.get(self.word(k))
            if name:
                return name, k + 1
        elif word in _ARTICLES:
            k = self.skip(k + 1)
            if (self.word(k) in ('second', 'minute', 'hour')
                    and self.word(self.skip(k + 1)) not in ('time', 'times', 'later')):
                return _TIMES[self.word(k)], k + 1
        return None

    def pi(self, coefficient, k):
        """Read 'pi', 'π/4', 'pi over two', 'pi radians' from the π at ``k``: (rad, end)."""
        value, end = coefficient * math.pi, k + 1
        k = self.skip(end)
        if self.word(k) in ('/', 'over'):
            part = self.whole(self.skip(k + 1))
            if part and part[0] and self.ends(part[1]):
                value, end = value / part[0], part[1]
        k = self.skip(end)
        if _ANGLES.get(self.word(k)) == 'radian':
            end = k + 1
        return value, end

    def sign(self, i):
        """Read the signs before an amount ('-', '+', 'minus'): (sign, index after them)."""
        sign, chained = 1, False
        while True:
            word = self.word(i)
            if (word in _SIGNS and i + 1 < self.n and not self.space[i + 1]
                    and (chained or self.free(i))):
                sign, i = sign * _SIGNS[word], i + 1
            elif word in _SIGN_WORDS and (chained or self.free(i)) and not self.after_number(i):
                k = self.skip(i + 1)
                if k == i + 1:
                    break
                sign, i = -sign, k
            else:
                break
            chained = True
        return sign, i

    def quantity(self, i, signed=True):
        """
        Read a quantity at token ``i``: (sign, SI value, SI unit, end, unit factor) or None.

        The unit factor (of a length without a rate) lets '5 feet 6 inches' add up.
        """
        if self.blocked(i):
            return None
        sign, j = self.sign(i) if signed else (1, i)
        if self.word(j) in _PI:
            value, p = 1.0, j
        else:
            part = self.amount(j)
            if part is None:
                return None
            value, end, kind = part
            p = self.skip(end)
            if kind == 'a' or self.word(p) not in _PI:
                p = None
        if p is not None:
            value, end = self.pi(value, p)
            name, time, needs_rate = 'radian', None, False
        else:
            if self.counts_degrees(j, value, end, kind):
                found = 'degree', None, end, False
            else:
                found = self.unit(end, kind)
            if found is None:
                return None
            name, time, end, needs_rate = found
        if time is None and name not in _DURATIONS:
            found = self.rate(end)
            if found:
                time, end = found
        if needs_rate and time is None:
            return None
        factors = _factors()
        value *= factors[name]
        if time:
            value /= factors[time]
        if not math.isfinite(value):
            return None
        unit = 'rad' if name in _ANGULAR else 's' if name in _DURATIONS else 'm'
        if time:
            return sign, value, unit + '/s', end, None
        return sign, value, unit, end, factors[name]

    def compound(self, i):
        """Read a quantity and the smaller ones after it ('5 feet 6 inches'): (text, end)."""
        found = self.quantity(i)
        if not found:
            return None
        sign, value, unit, end, factor = found
        while unit in ('m', 's') and factor:
            k = self.skip(end)
            if self.word(k) == 'and':
                k = self.skip(k + 1)
            more = self.quantity(k, signed=False)
            if (not more or more[2] != unit or not more[4] or more[4] >= factor
                    or not self.ends(more[3])):
                break
            value, end, factor = value + more[1], more[3], more[4]
        if not self.ends(end):
            return None
        return f'{_format(sign * value)} {unit}', end

    def numeral(self, i):
        """Read number words outside a quantity: (digits, end) or None to keep the token."""
        sign, j = 1, i
        if self.word(i) in _SIGN_WORDS and self.free(i) and not self.after_number(i):
            j = self.skip(i + 1)
            if j == i + 1:
                return None
            sign = -1
        part = self.whole(j)
        if part is None or self.glued(i, part[1]):
            return None
        value, end, text = part
        k = self.skip(end)
        mixed = self.fraction(self.skip(k + 1)) if self.word(k) == 'and' else None
        if mixed:
            text, end = _plain(value + mixed[0]), mixed[1]
        elif sign > 0 and (self.number(j) is not None
                           or (end == j + 1 and self.low[j] == 'one' and not self.in_list(j))):
            return None
        return ('-' if sign < 0 else '') + text, end

    # Fixed turns -----------------------------------------------------------------------------

    def phrase(self, i, words):
        """
        Read a phrase from token ``i``: the index after it, or None.

        ``words`` holds the spellings each word may have; a space run or a hyphen parts them.
        """
        for position, spellings in enumerate(words):
            if position:
                i = i + 1 if self.word(i) == '-' else self.skip(i)
            if self.word(i) not in spellings:
                return None
            i += 1
        return i

    def face_away(self, i):
        """Read 'face the other way', 'turn to face backwards': the index after it, or None."""
        k = self.phrase(i, _TURN_TO)
        start = self.skip(k) if k else i
        for words in _FACE_AWAY:
            end = self.phrase(start, words)
            if end:
                return end
        return None

    def around(self, i):
        """Return the index of 'around' after the 'turn' at ``i``, up to two words between."""
        k = self.skip(i + 1)
        for _ in range(3):
            word = self.word(k)
            if word in _AROUND:
                return k
            if not word[:1].isalpha() or word in _TURN_FOLLOWERS or self.is_numberish(k):
                return None
            k = self.skip(k + 1)
        return None

    def turn_ends(self, i):
        """Tell whether a fixed turn may end before token ``i`` (see ``_TURN_FOLLOWERS``)."""
        if not self.ends(i):
            return False
        k = self.skip(i)
        if k >= self.n or self.toks[k] in _CLOSERS:
            return True
        if self.word(k) == 'and' and self.word(self.skip(k + 1)) in _AROUND:
            return False
        count = self.whole(k)
        if count:
            return self.word(self.skip(count[1])) == 'times'
        return (self.word(k) in _TURN_FOLLOWERS
                or any(self.phrase(k, words) for words in _TURN_ENDINGS))

    def fixed_turn(self, i):
        """
        Read a phrase that means a fixed turn: (text, end) or None.

        ``turn around`` keeps its verb and object (``turn the turtle 3.1416 rad``); ``about
        face`` and ``face the other way`` become ``turn 3.1416 rad``; after an article the
        article goes too, as in ``a full turn``: ``do a 180`` -> ``do 3.1416 rad``.
        """
        if self.blocked(i):
            return None
        half = _format(math.pi) + ' rad'
        k = self.skip(i + 1)
        around = self.around(i) if self.word(i) == 'turn' else None
        if self.word(i) in _ARTICLES and k > i + 1:
            degrees = self.number(k)
            if degrees in _TURN_DEGREES and self.compound(k) is None:
                text, end = _format(_TURN_DEGREES[degrees]) + ' rad', k + 1
            else:
                text, end = half, self.phrase(k, _ABOUT_FACE)
        elif around:
            text, end = ''.join(self.toks[i:around]) + half, around + 1
        else:
            turn = 'Turn' if self.toks[i][0].isupper() else 'turn'
            text, end = f'{turn} {half}', self.phrase(i, _ABOUT_FACE) or self.face_away(i)
        if end is None or not self.turn_ends(end):
            return None
        return text, end

    def rewrite(self):
        """Return the request with its quantities and number words rewritten."""
        out, i = [], 0
        while i < self.n:
            if self.space[i]:
                out.append(self.toks[i])
                i += 1
                continue
            found = self.fixed_turn(i) or self.compound(i)
            if found:
                text, i = found
                out.append(text)
                continue
            if self.low[i] in _REPEATS:
                out.append(_REPEATS[self.low[i]])
                i += 1
                continue
            found = self.numeral(i)
            if found:
                out.append(found[0])
                i = found[1]
                continue
            out.append(self.toks[i])
            i += 1
        return ''.join(out)


def rewrite_quantities(text):
    """
    Rewrite the quantities of ``text`` in SI units and its number words in digits.

    Distances become ``X m``, angles ``X rad``, durations ``X s``, speeds ``X m/s`` and
    ``X rad/s``, with ``X``
    rounded to 4 decimals; a number without a unit stays as typed. Text that cannot be read
    is returned unchanged.
    """
    if not isinstance(text, str):
        return text
    _factors()
    try:
        return _Reader(text).rewrite()
    except Exception:
        return text
