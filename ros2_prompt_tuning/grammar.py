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
The robot's commands as a Lark grammar, for constrained decoding with llguidance.

:func:`command_grammar` writes, from a robot description, a grammar whose sentences are the
canonical commands of that robot and ``UNSUPPORTED``: the verb, option, interface name,
type, field names and punctuation are fixed text, each value is constrained to its field's
type and (for its integer part) range, or to its ``values`` where it lists them, and an array
is a flow sequence of such values (or mappings) as long as its type allows. Given a request's
:class:`Grounding`, the grammar is narrowed to the values a reply may copy from that request:
a name segment or string is one of the request's words (or the robot's default for it), a
number one of the request's numbers with either sign, or the field's default or range limit,
and a listed value also one whose meaning the request names. The model then decides which
value goes where, and cannot write one the request does not hold. :class:`CommandConstraint`
compiles the grammar for a tokenizer and hands out a fresh matcher per reply.
"""

from dataclasses import dataclass
import functools
import json
import math
import re

from ros2_prompt_tuning.robot import DERIVATIONS, IGNORED_CUE, SIGN_CUES, UNIT_KINDS
from ros2_prompt_tuning.spelling import is_slip
from ros2_prompt_tuning.validator import render_key, UNSUPPORTED

SEGMENT_RE = '[A-Za-z][A-Za-z0-9_]{0,63}'
DEFAULT_STRING_RE = '[A-Za-z0-9_]{0,64}'
DECIMALS = 4
# Largest integer part a float of unbounded range may have.
UNBOUNDED_FLOAT = 10 ** 6
ENUMERATED_RANGE = 1000
VERB_WORDS = {'topic': 'topic pub', 'service': 'service call', 'action': 'action send_goal'}
REQUEST_WORD = re.compile(r'[A-Za-z][A-Za-z0-9_]*')
REQUEST_NUMBER = re.compile(r'\d+(?:\.\d+)?')
# A number and the SI unit the rewritten request writes after it, if any.
MEASURED_NUMBER = re.compile(r'(\d+(?:\.\d+)?)(?:\s*(m/s|rad/s|m|rad|s|Hz)\b(?!/))?')
# Grounded grammars kept compiled, for requests that come again.
GROUNDED_CACHE_SIZE = 256


@dataclass(frozen=True)
class Grounding:
    """The words and numbers of one request: the values a reply to it may copy."""

    words: tuple
    numbers: tuple
    sequence: tuple = ()
    """The request's words in order, lower-cased, where cue phrases are looked for."""
    measures: tuple = ()
    """``(number, kind)`` for the numbers that only ever come with a unit of that kind."""
    typed: tuple = ()
    """The request's words in order, as typed (``sequence`` lower-cases them)."""

    @classmethod
    def of(cls, request):
        """Return the grounding of ``request``: its words (also lower-cased) and numbers."""
        words = [word for word in REQUEST_WORD.findall(request) if len(word) <= 64]
        sequence = tuple(word.lower() for word in words)
        numbers = {float(number) for number in REQUEST_NUMBER.findall(request)}
        kinds = {}
        for number, unit in MEASURED_NUMBER.findall(request):
            kinds.setdefault(float(number), set()).add(UNIT_KINDS.get(unit))
        measures = tuple(sorted((number, kind.pop()) for number, kind in kinds.items()
                                if len(kind) == 1 and None not in kind))
        return cls(tuple(dict.fromkeys(words + list(sequence))), tuple(sorted(numbers)),
                   sequence, measures, tuple(words))

    def gives_kind(self, unit):
        """Return whether the request gives a number in a unit of ``unit``'s kind."""
        return unit is not None and any(kind == UNIT_KINDS[unit] for _, kind in self.measures)

    def numbers_for(self, unit):
        """Return the numbers a field of ``unit`` may take: all but those of another kind."""
        if unit is None:
            return self.numbers
        other = {number for number, kind in self.measures if kind != UNIT_KINDS[unit]}
        return tuple(number for number in self.numbers if number not in other)


def literal(text):
    """Return ``text`` as a Lark string literal."""
    return json.dumps(text)


def regex(pattern):
    """Return ``pattern`` as a Lark regular expression literal."""
    return '/' + pattern.replace('/', '\\/') + '/'


def digits_up_to(limit):
    """Return a regex matching the decimal integers 0..``limit`` (no sign, no leading zeros)."""
    text = str(limit)
    alternatives = ['0'] if limit >= 0 else []
    for width in range(1, len(text)):
        alternatives.append('[1-9]' + ('[0-9]' * (width - 1)))
    # Numbers of the same width as ``limit``: a prefix of it, then one smaller digit.
    for index, digit in enumerate(text):
        low = 1 if index == 0 else 0
        high = int(digit) - 1
        if high >= low:
            rest = len(text) - index - 1
            digits = str(low) if low == high else f'[{low}-{high}]'
            alternatives.append(re.escape(text[:index]) + digits + '[0-9]' * rest)
    if limit > 0:
        alternatives.append(text)
    return '(' + '|'.join(dict.fromkeys(alternatives)) + ')'


def integer_regex(low, high):
    """Return a regex for the integers in ``low..high`` (None = unbounded on that side)."""
    low = -UNBOUNDED_FLOAT if low is None else math.ceil(low)
    high = UNBOUNDED_FLOAT if high is None else math.floor(high)
    if low > 1:
        # A lower bound above one: the numbers themselves when they are few, else every
        # number up to ``high`` (the validator still checks the exact range).
        if high - low <= ENUMERATED_RANGE:
            return '(' + '|'.join(str(number) for number in range(low, high + 1)) + ')'
        return digits_up_to(high).replace('(0|', '(', 1)
    parts = []
    if high >= 0:
        positive = digits_up_to(high)
        if low == 1:
            positive = positive.replace('(0|', '(', 1)
        parts.append(positive)
    if low < 0:
        parts.append('-' + digits_up_to(-low).replace('(0|', '(', 1))
    return '(' + '|'.join(parts) + ')'


def float_regex(low, high):
    """Return a regex for floats written with a decimal point whose integer part fits the range."""
    magnitude = max(abs(low) if low is not None else UNBOUNDED_FLOAT,
                    abs(high) if high is not None else UNBOUNDED_FLOAT)
    whole = digits_up_to(math.floor(magnitude))
    sign = '-?' if low is None or low < 0 else ''
    return f'{sign}{whole}\\.[0-9]{{1,{DECIMALS}}}'


def value_regex(spec, grounding=None):
    """
    Return the regex of one value of a field or parameter, from its kind and range.

    With a ``grounding``, the values the request holds (see :func:`grounded_value_regex`).
    """
    if grounding is not None:
        return grounded_value_regex(spec, grounding)
    if spec.values:
        return alternatives(value_text(spec, value) for value in spec.allowed_values)
    low, high = spec.bounds
    if spec.kind in ('float', 'double'):
        return float_regex(low, high)
    if spec.kind == 'int':
        return integer_regex(low, high)
    if spec.kind == 'bool':
        return '(true|false)'
    pattern = getattr(spec, 'pattern', None) or DEFAULT_STRING_RE
    return "'" + pattern.lstrip('^').rstrip('$') + "'"


def grounded_value_regex(spec, grounding):
    """
    Return the regex of the values of ``spec`` that a reply to a request may copy.

    A string is one of the request's words or the field's default, where its pattern allows;
    a number is one of the request's numbers with either sign, the field's default or its
    ``implied`` amount, within its range, and an integer may also be one of its
    ``min``/``max`` limits ("all the red"). Where ``values`` are listed, only those, and also
    each one whose meaning the request names ("backward"). A field with a ``unit`` takes no
    number the request only gives in a unit of another kind ("0.7854 rad" is no distance),
    nor its ``implied`` amount where the request gives a number of its kind ("turning right
    0.7854 rad" is no turn of 1.0). A ``derived`` field may also take the value derived from
    each number the request gives in its unit ("facing 1.5708 rad": a quaternion's z 0.7071).
    Where the request holds ``cues``
    of the field, they narrow it: "turn right" leaves a turn's negative values,
    "lower the pen" the value cued by "lower" (see :func:`cued`). ``None`` when no value
    fits.
    """
    if spec.kind == 'bool':
        return '(true|false)'
    meant = meant_values(spec, grounding)
    if spec.kind == 'string':
        named = word_after(spec, grounding)
        words = [word for word in (named or (*grounding.words, spec.default_value, *meant))
                 if spec.allows(word)]
        return "'" + alternatives(word.replace("'", "''") for word in words) + "'" \
            if words else None
    magnitudes = {*grounding.numbers_for(spec.unit), spec.default_value,
                  None if grounding.gives_kind(spec.unit) else getattr(spec, 'implied', None),
                  *derived_values(spec, grounding)}
    if spec.kind == 'int':
        magnitudes |= {spec.minimum, spec.maximum}
    candidates = {sign * abs(magnitude) for magnitude in magnitudes - {None} for sign in (1, -1)}
    candidates = cued(spec, grounding, candidates | set(meant))
    values = {value_text(spec, value) for value in candidates
              if spec.allows(value) and (spec.kind == 'int' or abs(value) < UNBOUNDED_FLOAT)}
    return alternatives(sorted(values)) if values else None


def derived_values(spec, grounding):
    """Return the values of a ``derived`` field from the numbers the request gives in its unit."""
    if not getattr(spec, 'derived', None):
        return set()
    unit, derive = DERIVATIONS[spec.derived]
    return {derive(number) for number, kind in grounding.measures if kind == UNIT_KINDS[unit]}


def cued(spec, grounding, candidates):
    """
    Return the ``candidates`` of a number that the request's cues of ``spec`` leave.

    A heard sign cue leaves the values of that sign: the request asks for that motion. Heard
    value cues leave their values; where a field's cues are values and none is heard, only
    its default is left ("pen width 4" leaves the pen as it is).
    """
    heard = heard_cues(getattr(spec, 'cues', ()), grounding) - {IGNORED_CUE}
    if heard & SIGN_CUES:
        return {value for value in candidates
                if ('negative' in heard and value < 0) or ('positive' in heard and value > 0)}
    if heard:
        return {value for value in candidates if value in heard}
    if {cue for cue, _ in getattr(spec, 'cues', ())} - SIGN_CUES - {IGNORED_CUE}:
        return {value for value in candidates if value == spec.default_value}
    return candidates


def heard_cues(cues, grounding):
    """
    Return what the request cues: each ``cue`` of ``(cue, phrases)`` one of whose phrases it holds.

    The longest phrase wins where they overlap: "counter clockwise" is not "clockwise".
    """
    phrases = sorted(((tuple(word.lower() for word in REQUEST_WORD.findall(phrase)), cue)
                     for cue, cue_phrases in cues for phrase in cue_phrases),
                     key=lambda pair: -len(pair[0]))
    words, heard, start = grounding.sequence, set(), 0
    while phrases and start < len(words):
        matched = [(phrase, cue) for phrase, cue in phrases
                   if words[start:start + len(phrase)] == phrase]
        if not matched:
            start += 1
            continue
        # The longest phrase here, and every cue it stands for (one word may name two).
        longest = len(matched[0][0])
        heard |= {cue for phrase, cue in matched if len(phrase) == longest}
        start += longest
    return heard


def word_after(spec, grounding):
    """
    Return the word the request names a string field by, as typed and lower-cased, or ().

    It is the first word after one of the field's ``word_after`` phrases, its ``skip`` words
    passed over, that is none of its ``never`` words and that the field allows.
    """
    if not getattr(spec, 'word_after', None):
        return ()
    after, skip, never = ([tuple(REQUEST_WORD.findall(phrase.lower())) for phrase in phrases]
                          for phrases in spec.word_after)
    words = grounding.sequence
    for start in range(len(words)):
        for phrase in after:
            end = start + len(phrase)
            if words[start:end] != phrase:
                continue
            while end < len(words) and (passed := skipped(words, end, skip)):
                end += passed
            if end < len(words) and (words[end],) not in never \
                    and spec.allows(grounding.typed[end]):
                return tuple(dict.fromkeys((grounding.typed[end], words[end])))
    return ()


def skipped(words, start, skip):
    """
    Return how many words at ``start`` one of the ``skip`` phrases covers, or 0.

    A word of more than three letters is passed over misspelt too ("trutle" for "turtle").
    """
    length = next((len(phrase) for phrase in skip if words[start:start + len(phrase)] == phrase),
                  0)
    if not length and words[start].isalpha() and any(
            len(phrase) == 1 and len(phrase[0]) > 3 and is_slip(words[start], phrase[0])
            for phrase in skip):
        length = 1
    return length


def meant_values(spec, grounding):
    """Return the listed values of ``spec`` whose meaning's words are all in the request."""
    words = set(grounding.words)
    meant = []
    for value, meaning in spec.values:
        needed = {word.lower() for word in REQUEST_WORD.findall(meaning or '')}
        if needed and needed <= words:
            meant.append(value)
    return meant


def value_text(spec, value):
    """Return how a command writes ``value`` of ``spec`` (a float with at most 4 decimals)."""
    if spec.kind == 'string':
        return "'" + value.replace("'", "''") + "'"
    if spec.kind == 'int':
        return str(int(value))
    return repr(round(float(value), DECIMALS) + 0.0)


def alternatives(texts):
    """Return a regex matching exactly one of ``texts``."""
    return '(' + '|'.join(re.escape(text) for text in dict.fromkeys(texts)) + ')'


def payload_parts(fields, grounding=None):
    """
    Return the Lark items of a flow mapping holding every field of ``fields`` in order.

    ``None`` when a field has no value the ``grounding`` allows.
    """
    parts = []
    for index, field in enumerate(fields):
        parts.append(literal(('{' if index == 0 else ', ') + render_key(field.name) + ': '))
        value = field_parts(field, grounding)
        if value is None:
            return None
        parts.extend(value)
    parts.append(literal('}'))
    return parts


def field_parts(field, grounding=None):
    """Return the Lark items of one field's value; ``None`` when the grounding allows none."""
    if field.is_message:
        element = payload_parts(field.fields, grounding)
    else:
        value = value_regex(field, grounding)
        element = None if value is None else [regex(value)]
    return array_parts(field.array, element) if field.is_array else element


def array_parts(shape, element):
    """
    Return the Lark items of a flow sequence of ``element``, as many as ``shape`` allows.

    ``element`` None (no value to copy) leaves only the empty array, where one may be empty.
    """
    fewest, most = shape.lengths
    if element is None:
        return None if fewest else [literal('[]')]
    item = '(' + ' '.join(element) + ')'
    more = f'({literal(", ")} {item})'
    if fewest:
        items = [item] + ([f'{more}{{{most - 1}}}'] if most > 1 else [])
    elif most == 1:
        items = [f'{item}?']
    else:
        items = [f'({item} {more}{"*" if most is None else f"{{0,{most - 1}}}"})?']
    return [literal('['), *items, literal(']')]


def name_regex(template, robot=None, grounding=None):
    """
    Return the regex of an interface name; each ``<part>`` is one name segment.

    With a ``grounding``, a part is one of the request's words or the robot's default for it.
    """
    pieces = re.split(r'(<[a-z_]+>)', template)
    for index in range(1, len(pieces), 2):
        if grounding is None:
            pieces[index] = SEGMENT_RE
        else:
            default = robot.name_part_default(pieces[index][1:-1])
            pieces[index] = alternatives(
                [word for word in (*grounding.words, default) if word is not None])
    for index in range(0, len(pieces), 2):
        pieces[index] = re.escape(pieces[index])
    return ''.join(pieces)


def option_rule(robot, grounding=None):
    """
    Return the Lark alternatives of a topic's publishing option (whole rates only).

    With a ``grounding`` and options with ``cues``, only the options whose cues the request
    holds, or ``--once`` when it holds none.
    """
    names = ('rate', 'times')
    cued = grounding is not None and any(robot.option(name).cues for name in names)
    if cued:
        heard = set().union(*(heard_cues(robot.option(name).cues, grounding)
                              for name in names))
        names = tuple(name for name in names if name in heard)
    options = []
    for name in names:
        spec = robot.option(name)
        low, high = spec.bounds
        low = max(low or 1, 1)
        if grounding is None:
            value = integer_regex(low, high)
        else:
            numbers = sorted({*grounding.numbers, spec.default} - {None})
            counts = [str(int(number)) for number in numbers if float(number).is_integer()
                      and number >= low and (high is None or number <= high)]
            if not counts:
                continue
            value = alternatives(counts)
        options.append(f'{literal(f"--{name} ")} {regex(value)}')
    if not (cued and options):
        options.insert(0, literal('--once'))
    return ' | '.join(options)


def interface_rule(interface, robot=None, grounding=None):
    """
    Return the Lark items of every command of one topic, service or action.

    ``None`` when the ``grounding`` leaves a field without a value.
    """
    items = [literal(f'ros2 {VERB_WORDS[interface.kind]} ')]
    if interface.kind == 'topic':
        items += ['option', literal(' ')]
    items += [regex(name_regex(interface.name, robot, grounding)),
              literal(f' {interface.type_name}')]
    if interface.fields:
        payload = payload_parts(interface.fields, grounding)
        if payload is None:
            return None
        items += [literal(' "')] + payload + [literal('"')]
    return ' '.join(items)


def parameter_rule(parameter, robot=None, grounding=None):
    """Return the Lark items of a ``ros2 param set`` of one parameter (``None``: no value)."""
    value = value_regex(parameter, grounding)
    if value is None:
        return None
    node = regex(name_regex(parameter.node, robot, grounding))
    return ' '.join([literal('ros2 param set '), node, literal(f' {parameter.name} '),
                     regex(value)])


def named_interfaces(robot, grounding):
    """Return the interfaces whose ``cues`` the request holds ("create leo at 2, 3": spawn)."""
    cued = [interface for interface in robot.interfaces if interface.cues]
    if not cued:
        return []
    heard = heard_cues(tuple(enumerate(interface.cues for interface in cued)), grounding)
    return [cued[index] for index in sorted(heard)]


def command_grammar(robot, lead='', grounding=None):
    """
    Return the Lark grammar of every canonical command of ``robot``, and ``UNSUPPORTED``.

    :param robot: a :class:`~ros2_prompt_tuning.robot.RobotDescription`.
    :param lead: text every reply starts with (a space after a prompt that ends without one).
    :param grounding: a request's :class:`Grounding`, to allow only the values it holds, and
        only the interfaces it names where it holds interface cues.
    """
    rules = {}
    named = named_interfaces(robot, grounding) if grounding is not None else None
    for index, interface in enumerate(robot.interfaces):
        if not named or interface in named:
            rules[f'interface{index}'] = interface_rule(interface, robot, grounding)
    for index, parameter in enumerate(robot.parameters):
        if not named:
            rules[f'parameter{index}'] = parameter_rule(parameter, robot, grounding)
    rules = {name: body for name, body in rules.items() if body is not None}
    lines = ['start: ' + (f'{literal(lead)} ' if lead else '') + 'command',
             'command: ' + ' | '.join([literal(UNSUPPORTED), *rules])]
    lines += [f'{name}: {body}' for name, body in rules.items()]
    lines.append(f'option: {option_rule(robot, grounding)}')
    return '\n'.join(lines) + '\n'


class CommandConstraint:
    """
    A robot's command grammar compiled for one tokenizer; one matcher per reply.

    :param tokenizer: the Hugging Face tokenizer of the model.
    :param robot: the robot description the grammar is built from.
    :param vocab_size: the width of the model's logits, when larger than the tokenizer's.
    :param lead: text every reply starts with (see :func:`command_grammar`).
    :param grounded: narrow each reply's grammar to the values its request holds
        (:class:`Grounding`); otherwise every reply gets the robot's whole grammar.
    """

    def __init__(self, tokenizer, robot, vocab_size=None, lead='', grounded=True):
        """Compile the grammar; raise ``ValueError`` when llguidance rejects it."""
        import llguidance.hf
        self.robot = robot
        self.lead = lead
        self.grounded = grounded
        self.grammar = command_grammar(robot, lead=lead)
        self.tokenizer = llguidance.hf.from_tokenizer(tokenizer, n_vocab=vocab_size)
        self.vocab_size = self.tokenizer.vocab_size
        self.eos_token_id = self.tokenizer.eos_token
        self._template = self.compile_grammar(self.grammar)
        self._grounded = functools.lru_cache(GROUNDED_CACHE_SIZE)(self._compile_grounded)
        # The first tokens a reply may take that start UNSUPPORTED, not a command.
        first = self.allowed([self._template]).nonzero()[:, 1].tolist()
        texts = tokenizer.batch_decode([[token_id] for token_id in first])
        self.refusal_token_ids = [token_id for token_id, text in zip(first, texts)
                                  if text.strip() and (lead + UNSUPPORTED).startswith(text)]

    def compile_grammar(self, grammar):
        """Return a matcher of the Lark ``grammar``; raise ``ValueError`` when it is refused."""
        import llguidance
        matcher = llguidance.LLMatcher(self.tokenizer,
                                       llguidance.LLMatcher.grammar_from_lark(grammar))
        if matcher.is_error():
            raise ValueError(f'{self.robot.name}: the command grammar does not compile: '
                             f'{matcher.get_error()}')
        return matcher

    def _compile_grounded(self, grounding):
        return self.compile_grammar(command_grammar(self.robot, self.lead, grounding))

    def matcher(self, request=None):
        """
        Return a fresh matcher at the start of the reply to ``request``.

        Grounded in ``request`` when the constraint is grounded and a request is given.
        """
        if self.grounded and request is not None:
            return self._grounded(Grounding.of(request)).deep_copy()
        return self._template.deep_copy()

    def allowed(self, matchers):
        """
        Return a ``[len(matchers), vocab_size]`` bool tensor of the tokens each may take next.

        A ``None`` in ``matchers`` (a finished row) allows every token.
        """
        import llguidance.torch
        import torch
        bitmask = llguidance.torch.allocate_token_bitmask(len(matchers), self.vocab_size)
        for row, matcher in enumerate(matchers):
            if matcher is not None:
                llguidance.torch.fill_next_token_bitmask(matcher, bitmask, row)
        bits = torch.arange(32, dtype=torch.int32)
        unpacked = (bitmask.unsqueeze(-1) >> bits) & 1
        return unpacked.reshape(len(matchers), -1)[:, :self.vocab_size].bool()

    def decision_positions(self, token_ids):
        """
        Return, for each token of a reply, whether the model chose it.

        A token is chosen where the grammar allowed more than one; forced tokens need no
        model call and carry no loss.

        :raises ValueError: when ``token_ids`` is not a sentence of the grammar.
        """
        matcher = self.matcher()
        decisions = []
        for token_id in token_ids:
            decisions.append(int(self.allowed([matcher]).sum()) > 1)
            if not matcher.consume_token(token_id):
                raise ValueError(f'the reply leaves the command grammar: {matcher.get_error()}')
        return decisions
