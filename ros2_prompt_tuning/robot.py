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
A robot's interfaces, read from a YAML description such as ``robots/turtlesim.yaml``.

The file holds ``name``, the lists ``topics``, ``services``, ``actions`` (entries with
``name``, ``type`` and ``fields``) and ``parameters`` (entries with ``node``, ``name``,
``type``, optional ``min``/``max`` or, for a string, ``pattern``), and optional ``options``:
``{rate: {min, max}, times: {min, max}}``, the ranges of ``ros2 topic pub --rate``/``--times``.
A field has ``name``, ``type`` (a primitive such as ``float64``/``uint8``/``string`` or a
``pkg/msg/Type`` with its own ``fields``; either as an array: ``float64[]`` of any length,
``float64[3]`` of exactly 3, ``float64[<=5]`` of at most 5 elements), optional ``min``/``max``
and ``unit`` (one of :data:`UNITS`) for a number, optional ``pattern`` (a regular expression
the whole value must match) for a string, optional ``values`` for a number or string (the only
values it may take: a list, or a mapping of each value to its meaning such as ``{1: forward,
-1: backward}``), and, for a field that is no array, an optional ``default``: the value a
command gives a field its request leaves out (without one, the type's zero: 0, 0.0, '' or
false) and, for a number, an optional ``implied``: the amount a request means when it asks for
that motion without a number ("keep spinning left": 1.0); a number that is no array may
give ``cues``, phrases of a request that settle its sign (``{negative: [right, clockwise],
positive: [left]}``: heard, the value is one of that sign) or its value (``{1: [pen up,
lift]}``, for an enumeration: none heard, the value is the default), and under ``ignore``
phrases that hold a cue's words without being one (``right now``); a string may give
``word_after``, phrases after which the request names its value, past ``skip`` words and
unless it is one of ``never`` (``{after: [named, create], skip: [a, turtle], never: [at]}``:
"create leo at 2, 3" names ``leo``, "create a turtle at 2, 3" nothing); a number may
also be ``derived`` from a number the request gives in a unit, by a name of
:data:`DERIVATIONS` (a quaternion's ``z`` is ``half_angle_sin`` of a heading in rad, a
``Duration``'s ``sec`` ``whole_seconds``); the constraints of an array apply to each of its
elements. Fields are listed in message order.
A name part such as ``<turtle>`` matches any one ROS name segment; ``name_parts`` may give it
a ``default``, the segment a command uses when its request names none (``name_parts:
{turtle: {default: turtle1}}``). Parameters take ``values``, ``unit`` and a ``default`` too,
options a ``default`` and ``cues``, the phrases that ask for the option (``rate: {cues: [keep,
continuously]}``): where a robot gives option cues, a request without any is published
``--once``. An interface may give ``cues`` too, phrases that name it (``/spawn``: ``[spawn,
create]``): a request that holds some is answered with one of the interfaces it names, or
``UNSUPPORTED``.

Optional ``named_values`` lists groups of words a request may use for a value that is a fact
of the robot (compass headings, named places): each group has ``name``, ``values`` (phrase ->
the text that replaces it before the model reads the request) and optional ``after``, words
of which one must come just before the phrase for it to be replaced (``facing up``).
"""

from dataclasses import dataclass, replace
import functools
import importlib
import math
import re

from ros2_prompt_tuning.resources import share_dir
import yaml

SEGMENT = '[A-Za-z][A-Za-z0-9_]*'
KINDS = {'topics': ('topic', 'msg'), 'services': ('service', 'srv'),
         'actions': ('action', 'action')}
# The largest finite float32; rosidl refuses a float32 field beyond it.
FLOAT32_MAX = 3.4028234663852886e38
# type -> (value kind, (lowest, highest) or None); 'double' accepts floats only.
FIELD_TYPES = {
    'bool': ('bool', None), 'string': ('string', None),
    'float32': ('float', (-FLOAT32_MAX, FLOAT32_MAX)), 'float64': ('float', None),
    **{f'int{bits}': ('int', (-2 ** (bits - 1), 2 ** (bits - 1) - 1)) for bits in (8, 16, 32, 64)},
    **{f'uint{bits}': ('int', (0, 2 ** bits - 1)) for bits in (8, 16, 32, 64)},
}
PARAMETER_TYPES = {'bool': ('bool', None), 'string': ('string', None),
                   'integer': ('int', (-2 ** 63, 2 ** 63 - 1)), 'double': ('double', None)}
# ros2 topic pub's options: --rate R (a number, greater than 0) and --times N (at least 1).
OPTION_TYPES = {'rate': ('float', None), 'times': ('int', (1, None))}
# The units a number may be given in: SI, as the rewritten requests write them.
UNITS = ('m', 'rad', 's', 'm/s', 'rad/s', 'Hz')
# What a unit measures: a number given in one unit may fill a field of any unit of its kind
# ("move 2.0 m" fills a velocity published once).
UNIT_KINDS = {'m': 'length', 'm/s': 'length', 'rad': 'angle', 'rad/s': 'angle', 's': 'time',
              'Hz': 'frequency'}
# Values worked out from a request's number of a unit's kind, by name: (unit, function). A
# heading's quaternion about z (sin and cos of half the angle), a duration's whole seconds and
# the nanoseconds beyond them.
DERIVATIONS = {
    'half_angle_sin': ('rad', lambda angle: math.sin(angle / 2)),
    'half_angle_cos': ('rad', lambda angle: math.cos(angle / 2)),
    'whole_seconds': ('s', math.floor),
    'nanoseconds': ('s', lambda seconds: round((seconds - math.floor(seconds)) * 1e9)),
}
# The value of a field that a command leaves unset, by value kind.
ZERO = {'float': 0.0, 'double': 0.0, 'int': 0, 'string': '', 'bool': False}
# How rosidl's get_fields_and_field_types() spells the primitive types.
ROSIDL_NAMES = {'bool': 'boolean', 'float32': 'float', 'float64': 'double'}
TYPE_PATTERN = re.compile(r'^([A-Za-z][A-Za-z0-9_]*)/(msg|srv|action)/([A-Z][A-Za-z0-9]*)$')
# An array type: its element type, then [] (any length), [N] (exactly N) or [<=N] (at most N).
ARRAY_PATTERN = re.compile(r'^([^\[\]]+)\[(?:(<=)?([1-9][0-9]*))?\]$')
TEMPLATE_PATTERN = re.compile(r'^(/([A-Za-z_][A-Za-z0-9_]*|<[a-z_]+>))+$')
NAME_PART_PATTERN = re.compile(r'^[a-z_]+$')
SEGMENT_PATTERN = re.compile(f'^{SEGMENT}$')
FIELD_NAME_PATTERN = re.compile(r'^[a-z][a-z0-9_]*$')
PARAMETER_NAME_PATTERN = re.compile(r'^[A-Za-z_][A-Za-z0-9_.]*$')
WORD_PATTERN = re.compile(r'^[A-Za-z]+$')
# Cue keys: a sign, or phrases that hold a cue's words without being one ("right now").
SIGN_CUES = frozenset({'negative', 'positive'})
IGNORED_CUE = 'ignore'
CUE_PATTERN = re.compile(r"^[A-Za-z][A-Za-z' -]*$")
PLAIN_TEXT_PATTERN = re.compile(r'^[A-Za-z0-9 .,:()+-]+$')
EXPECTED = {TYPE_PATTERN: 'a type such as pkg/msg/Type',
            TEMPLATE_PATTERN: 'an absolute name such as /clear or /<turtle>/cmd_vel',
            FIELD_NAME_PATTERN: 'a lower-case field name',
            PARAMETER_NAME_PATTERN: 'a parameter name',
            WORD_PATTERN: 'one word of letters',
            CUE_PATTERN: 'words of letters',
            NAME_PART_PATTERN: 'a lower-case name part such as turtle',
            SEGMENT_PATTERN: 'one ROS name segment',
            PLAIN_TEXT_PATTERN: 'plain text (letters, digits, spaces and . , : ( ) + -)'}


class RobotDescriptionError(ValueError):
    """A robot description file that cannot be used; the message names the file and key."""


class PlainLoader(yaml.SafeLoader):
    """
    PyYAML's safe loader with YAML 1.2 booleans, no merge keys and no duplicate keys.

    YAML 1.1 reads the bare words ``off``, ``on``, ``yes`` and ``no`` as booleans, which
    would turn SetPen's ``off`` field into the key ``False``. Here only ``true``/``false``
    are booleans and every other word stays a string.
    """

    def construct_mapping(self, node, deep=False):
        """Build a mapping; fail on a key written twice or a key that is not a scalar."""
        seen = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None, None, 'a mapping key must be a single value, not a list or mapping',
                    key_node.start_mark)
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f'duplicate key {key!r}', key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ('tag:yaml.org,2002:bool', 'tag:yaml.org,2002:merge')]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
PlainLoader.add_implicit_resolver(
    'tag:yaml.org,2002:bool', re.compile(r'^(?:true|True|TRUE|false|False|FALSE)$'),
    list('tTfF'))


class _Scalar:
    """Value kind and range of a typed entry (needs ``type_name``, ``minimum``, ``maximum``)."""

    TYPES = FIELD_TYPES

    @property
    def kind(self):
        """Return ``float``, ``double`` (floats only), ``int``, ``string`` or ``bool``."""
        return self.TYPES[self.type_name][0]

    @property
    def bounds(self):
        """Return ``(lowest, highest)`` from the type and ``min``/``max``; None = open."""
        low, high = self.TYPES[self.type_name][1] or (None, None)
        if self.minimum is not None:
            low = self.minimum if low is None else max(low, self.minimum)
        if self.maximum is not None:
            high = self.maximum if high is None else min(high, self.maximum)
        return low, high

    @property
    def default_value(self):
        """Return ``default``, or the type's zero when there is none."""
        return ZERO[self.kind] if self.default is None else self.default

    @property
    def allowed_values(self):
        """Return the values that ``values`` lists; empty when any value of the type fits."""
        return tuple(value for value, _ in self.values)

    def matches_pattern(self, value):
        """Return whether the string ``value`` matches ``pattern`` (always, without one)."""
        return self.pattern is None or _compiled(self.pattern).fullmatch(value) is not None

    def allows(self, value):
        """Return whether ``value`` fits the type, range, ``pattern`` and ``values``."""
        kind = self.kind
        if kind == 'string':
            fits = isinstance(value, str) and self.matches_pattern(value)
        elif kind == 'bool':
            fits = isinstance(value, bool)
        else:
            low, high = self.bounds
            fits = (isinstance(value, (int, float)) and not isinstance(value, bool)
                    and math.isfinite(value) and (kind != 'int' or float(value).is_integer())
                    and (low is None or value >= low) and (high is None or value <= high))
        return fits and (not self.values or value in self.allowed_values)


@functools.lru_cache(maxsize=None)
def _compiled(pattern):
    return re.compile(pattern)


@dataclass(frozen=True)
class ArrayShape:
    """The length of an array field: exactly ``size`` elements when ``fixed``, else at most."""

    size: int = None
    fixed: bool = False

    @property
    def lengths(self):
        """Return ``(fewest, most)`` elements; most is None for an unbounded array."""
        return (self.size if self.fixed else 0), self.size

    @property
    def suffix(self):
        """Return the description's spelling: ``[]``, ``[3]`` or ``[<=5]``."""
        if self.size is None:
            return '[]'
        return f'[{self.size}]' if self.fixed else f'[<={self.size}]'

    def rosidl_name(self, element):
        """Return how rosidl spells an array of ``element`` (``sequence<double, 5>``)."""
        if self.fixed:
            return f'{element}[{self.size}]'
        return f'sequence<{element}>' if self.size is None else f'sequence<{element}, {self.size}>'


@dataclass(frozen=True)
class FieldSpec(_Scalar):
    """
    One message field; ``fields`` lists the fields of a nested message type.

    ``pattern`` is a regular expression that a string field's whole value must match,
    ``values`` the ``(value, meaning or None)`` pairs of the only values it may take and
    ``unit`` the unit of a number. An array field has an ``array`` shape; ``type_name`` and
    the other attributes are then those of each element.
    """

    name: str
    type_name: str
    minimum: float = None
    maximum: float = None
    fields: tuple = ()
    pattern: str = None
    default: object = None
    implied: float = None
    word_after: tuple = None
    values: tuple = ()
    unit: str = None
    array: ArrayShape = None
    cues: tuple = ()
    derived: str = None

    @property
    def is_message(self):
        """Return whether the field (or each element) is a nested message, not a primitive."""
        return '/' in self.type_name

    @property
    def is_array(self):
        """Return whether the field is an array of its ``type_name``."""
        return self.array is not None


@dataclass(frozen=True)
class ParameterSpec(_Scalar):
    """One parameter of a node (``type_name``: integer, double, string or bool)."""

    TYPES = PARAMETER_TYPES

    node: str
    name: str
    type_name: str
    minimum: float = None
    maximum: float = None
    pattern: str = None
    default: object = None
    values: tuple = ()
    unit: str = None

    def matches(self, node, name):
        """Return whether ``node``/``name`` is this parameter (``node`` may be a template)."""
        return name == self.name and name_pattern(self.node).match(node) is not None


@dataclass(frozen=True)
class OptionSpec(_Scalar):
    """The range of a ``ros2 topic pub`` option: ``rate`` (must also be > 0) or ``times``."""

    TYPES = OPTION_TYPES

    name: str
    minimum: float = None
    maximum: float = None
    default: float = None
    cues: tuple = ()
    pattern = None
    values = ()

    @property
    def type_name(self):
        """Return the option's name, which is also its type."""
        return self.name


@dataclass(frozen=True)
class NamedValueGroup:
    """Phrases for values that are facts of the robot; see :mod:`ros2_prompt_tuning.rewriting`."""

    name: str
    values: tuple
    after: tuple = ()


@dataclass(frozen=True)
class Interface:
    """A topic, service or action with its type and (request or goal) fields."""

    kind: str
    name: str
    type_name: str
    fields: tuple = ()
    cues: tuple = ()

    def matches(self, name):
        """Return whether the concrete ``name`` fits this interface's name template."""
        return name_pattern(self.name).match(name) is not None


@functools.lru_cache(maxsize=None)
def name_pattern(template):
    """Return a regex for a name template: each ``<part>`` matches one ROS name segment."""
    parts = re.split(r'<[a-z_]+>', template)
    return re.compile('^' + SEGMENT.join(re.escape(part) for part in parts) + '$')


@dataclass(frozen=True)
class RobotDescription:
    """
    The interfaces of one robot; load with :meth:`load` or :func:`default_robot`.

    ``option_specs`` holds an :class:`OptionSpec` per ``ros2 topic pub`` option the file
    narrows; :attr:`options` gives every option's ``(lowest, highest)`` when there is one.
    """

    name: str
    interfaces: tuple
    parameters: tuple
    path: str = None
    option_specs: tuple = ()
    named_values: tuple = ()
    name_parts: tuple = ()

    def name_part_default(self, part):
        """Return the default segment of the name part ``part`` (``turtle``), or None."""
        return dict(self.name_parts).get(part)

    def option(self, name):
        """Return the :class:`OptionSpec` of ``rate`` or ``times``; the type's range if unset."""
        return next((spec for spec in self.option_specs if spec.name == name), OptionSpec(name))

    @property
    def options(self):
        """
        Return ``{'rate': (lowest, highest), 'times': (lowest, highest)}``; None = open.

        Empty when the file gives no ``options``, so that a caller can pick its own defaults.
        """
        if not self.option_specs:
            return {}
        return {name: self.option(name).bounds for name in OPTION_TYPES}

    @classmethod
    def load(cls, path):
        """
        Read a robot description file.

        Message types that are importable (e.g. ``geometry_msgs.msg.Twist``) must agree with
        the description in field names, order and types.

        :raises RobotDescriptionError: naming the file and the key of the problem.
        """
        with open(path, encoding='utf-8') as stream:
            text = stream.read()
        try:
            data = yaml.load(text, Loader=PlainLoader)
        except yaml.YAMLError as error:
            problem = ' '.join(str(error).split())
            raise RobotDescriptionError(f'{path}: not valid YAML: {problem}') from None
        reader = _Reader(path)
        data = reader.mapping(data, 'the file', required=('name',),
                              optional=('topics', 'services', 'actions', 'parameters',
                                        'options', 'named_values', 'name_parts'))
        interfaces = []
        for section, (kind, type_kind) in KINDS.items():
            for index, entry in enumerate(reader.sequence(data, section)):
                interfaces.append(reader.interface(entry, f'{section}[{index}]', kind, type_kind))
        parameters = tuple(reader.parameter(entry, f'parameters[{index}]')
                           for index, entry in enumerate(reader.sequence(data, 'parameters')))
        options = reader.options(data.get('options', {}), 'options')
        named_values = tuple(reader.named_values(entry, f'named_values[{index}]')
                             for index, entry in enumerate(reader.sequence(data, 'named_values')))
        name_parts = reader.name_parts(data.get('name_parts', {}), 'name_parts')
        return cls(reader.text(data['name'], 'name'), tuple(interfaces), parameters, str(path),
                   options, named_values, name_parts)

    def find(self, kind, name):
        """Return the interface of ``kind`` (topic, service, action) called ``name``, or None."""
        return next((interface for interface in self.interfaces
                     if interface.kind == kind and interface.matches(name)), None)

    def find_parameter(self, node, name):
        """Return the parameter ``name`` of ``node``, or None."""
        return next((parameter for parameter in self.parameters
                     if parameter.matches(node, name)), None)

    def names(self, kind):
        """Return the name templates of every interface of ``kind``."""
        return [interface.name for interface in self.interfaces if interface.kind == kind]


@functools.lru_cache(maxsize=None)
def default_robot():
    """Return the shipped turtlesim description (``robots/turtlesim.yaml``), loaded once."""
    return RobotDescription.load(share_dir() / 'robots' / 'turtlesim.yaml')


class _Reader:
    """Checks the parts of one description file, naming the file and key on failure."""

    def __init__(self, path):
        self.path = path

    def fail(self, key, problem):
        raise RobotDescriptionError(f'{self.path}: {key}: {problem}')

    def mapping(self, value, key, required, optional=()):
        if not isinstance(value, dict):
            self.fail(key, 'expected a mapping')
        for name in required:
            if name not in value:
                self.fail(key, f'missing key {name!r}')
        unknown = sorted(str(name) for name in value if name not in (*required, *optional))
        if unknown:
            self.fail(key, f'unknown key {unknown[0]!r} (known: {", ".join(required + optional)})')
        return value

    def sequence(self, data, key):
        value = data.get(key, [])
        if not isinstance(value, list):
            self.fail(key, 'expected a list')
        return value

    def text(self, value, key, pattern=None):
        if not isinstance(value, str) or not value or (pattern and not pattern.match(value)):
            self.fail(key, f'expected {EXPECTED.get(pattern, "a non-empty string")}, '
                           f'got {value!r}')
        return value

    def number(self, value, key):
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            self.fail(key, f'expected a number, got {value!r}')
        if value is not None and not math.isfinite(value):
            self.fail(key, f'expected a finite number, got {value!r}')
        return value

    def pattern(self, entry, key, type_name):
        if 'pattern' not in entry:
            return None
        if type_name != 'string':
            self.fail(key, f'a {type_name} takes no "pattern"')
        value = self.text(entry['pattern'], f'{key}.pattern')
        try:
            re.compile(value)
        except re.error as error:
            self.fail(f'{key}.pattern', f'not a valid regular expression: {error}')
        return value

    def options(self, value, key):
        value = self.mapping(value, key, required=(), optional=tuple(OPTION_TYPES))
        specs = []
        for name, entry in value.items():
            entry = self.mapping(entry, f'{key}.{name}', required=(),
                                 optional=('min', 'max', 'default', 'cues'))
            spec = self.defaulted(self.ranged(OptionSpec(
                name, self.number(entry.get('min'), f'{key}.{name}.min'),
                self.number(entry.get('max'), f'{key}.{name}.max')), f'{key}.{name}'),
                entry, f'{key}.{name}')
            if 'cues' in entry:
                spec = replace(spec, cues=((name, self.phrases(entry['cues'],
                                                               f'{key}.{name}.cues')),))
            specs.append(spec)
        return tuple(specs)

    def name_parts(self, value, key):
        if not isinstance(value, dict):
            self.fail(key, 'expected a mapping of name part to its entry')
        parts = []
        for part, entry in value.items():
            self.text(part, key, NAME_PART_PATTERN)
            entry = self.mapping(entry, f'{key}.{part}', required=('default',))
            parts.append((part, self.text(entry['default'], f'{key}.{part}.default',
                                          SEGMENT_PATTERN)))
        return tuple(parts)

    def named_values(self, entry, key):
        entry = self.mapping(entry, key, required=('name', 'values'), optional=('after',))
        values = entry['values']
        if not isinstance(values, dict):
            self.fail(f'{key}.values', 'expected a mapping of phrase to value')
        pairs = tuple((self.text(phrase, f'{key}.values'),
                       self.text(text, f'{key}.values.{phrase}', PLAIN_TEXT_PATTERN))
                      for phrase, text in values.items())
        if not pairs:
            self.fail(f'{key}.values', 'expected at least one phrase')
        after = entry.get('after', [])
        if not isinstance(after, list):
            self.fail(f'{key}.after', 'expected a list of words')
        words = tuple(self.text(word, f'{key}.after[{index}]', WORD_PATTERN)
                      for index, word in enumerate(after))
        return NamedValueGroup(self.text(entry['name'], f'{key}.name'), pairs, words)

    def interface(self, entry, key, kind, type_kind):
        entry = self.mapping(entry, key, required=('name', 'type'), optional=('fields', 'cues'))
        name = self.text(entry['name'], f'{key}.name', TEMPLATE_PATTERN)
        type_name = self.text(entry['type'], f'{key}.type', TYPE_PATTERN)
        if TYPE_PATTERN.match(type_name).group(2) != type_kind:
            self.fail(f'{key}.type', f'a {kind} type is written pkg/{type_kind}/Type')
        fields = self.fields(entry.get('fields', []), f'{key}.fields')
        self.compare_with_installed(f'{key} ({name})', type_name, fields)
        return Interface(kind, name, type_name, fields,
                         self.phrases(entry['cues'], f'{key}.cues') if 'cues' in entry else ())

    def fields(self, entries, key):
        if not isinstance(entries, list):
            self.fail(key, 'expected a list')
        fields = tuple(self.field(entry, f'{key}[{index}]') for index, entry in enumerate(entries))
        names = [field.name for field in fields]
        for name in names:
            if names.count(name) > 1:
                self.fail(key, f'field {name!r} is listed twice')
        return fields

    def field(self, entry, key):
        entry = self.mapping(entry, key, required=('name', 'type'),
                             optional=('min', 'max', 'fields', 'pattern', 'default',
                                       'implied', 'values', 'unit', 'cues', 'word_after',
                                       'derived'))
        name = self.text(entry['name'], f'{key}.name', FIELD_NAME_PATTERN)
        type_name, array = self.field_type(entry['type'], f'{key}.type')
        for single in ('default', 'implied'):
            if array is not None and single in entry:
                self.fail(f'{key}.{single}', f'an array ({type_name}{array.suffix}) takes no '
                                             f'"{single}"')
        if '/' in type_name:
            match = TYPE_PATTERN.match(type_name)
            if not match or match.group(2) != 'msg':
                self.fail(f'{key}.type', f'{type_name!r} is not a pkg/msg/Type message type')
            scalar_keys = ('min', 'max', 'pattern', 'default', 'implied', 'values', 'unit',
                           'cues', 'word_after', 'derived')
            if 'fields' not in entry or set(scalar_keys) & set(entry):
                self.fail(key, 'a message field needs "fields" and takes no '
                               + '/'.join(f'"{name}"' for name in scalar_keys))
            return FieldSpec(name, type_name, fields=self.fields(entry['fields'], f'{key}.fields'),
                             array=array)
        if type_name not in FIELD_TYPES:
            self.fail(f'{key}.type', f'unknown type {type_name!r} (known: '
                                     f'{", ".join(FIELD_TYPES)} or pkg/msg/Type, each also as '
                                     'an array such as T[])')
        if 'fields' in entry:
            self.fail(f'{key}.fields', f'a field of type {type_name} has no fields')
        spec = self.ranged(FieldSpec(name, type_name, self.number(entry.get('min'), f'{key}.min'),
                                     self.number(entry.get('max'), f'{key}.max'),
                                     pattern=self.pattern(entry, key, type_name), array=array),
                           key)
        spec = self.defaulted(self.measured(self.enumerated(spec, entry, key), entry, key),
                              entry, key)
        if 'implied' in entry:
            implied = self.number(entry['implied'], f'{key}.implied')
            if spec.kind not in ('int', 'float'):
                self.fail(f'{key}.implied', f'a {type_name} takes no "implied"')
            if not spec.allows(implied):
                self.fail(f'{key}.implied', f'{implied!r} is not {_fitting(spec)}')
            spec = replace(spec, implied=implied)
        if 'cues' in entry:
            spec = replace(spec, cues=self.cues(entry['cues'], f'{key}.cues', spec))
        if 'word_after' in entry:
            spec = replace(spec, word_after=self.word_after(entry['word_after'],
                                                            f'{key}.word_after', spec))
        if 'derived' in entry:
            spec = replace(spec, derived=self.derived(entry['derived'], f'{key}.derived', spec))
        return spec

    def derived(self, value, key, spec):
        """Return the name of a number field's derivation, one of :data:`DERIVATIONS`."""
        if spec.kind not in ('int', 'float') or spec.is_array:
            self.fail(key, f'a {spec.type_name} takes no "derived"')
        if value not in DERIVATIONS:
            self.fail(key, f'unknown derivation {value!r} (known: {", ".join(DERIVATIONS)})')
        return value

    def word_after(self, value, key, spec):
        """Return the ``(after, skip, never)`` phrases of a string field's ``word_after``."""
        if spec.kind != 'string' or spec.is_array:
            self.fail(key, f'a {spec.type_name} takes no "word_after"')
        value = self.mapping(value, key, required=('after',), optional=('skip', 'never'))
        return tuple(self.phrases(value[part], f'{key}.{part}') if part in value else ()
                     for part in ('after', 'skip', 'never'))

    def phrases(self, value, key):
        """Return the cue phrases of a list."""
        if not isinstance(value, list) or not value:
            self.fail(key, 'expected a list of phrases')
        return tuple(self.text(phrase, key, CUE_PATTERN) for phrase in value)

    def cues(self, value, key, spec):
        """Return the ``(sign or value, phrases)`` pairs of a number field's ``cues``."""
        if spec.kind not in ('int', 'float') or spec.is_array:
            self.fail(key, f'a {spec.type_name}{spec.array.suffix if spec.array else ""} '
                           'takes no "cues"')
        if not isinstance(value, dict) or not value:
            self.fail(key, 'expected a mapping of negative/positive or of values to phrases')
        cued_keys = set(value) - {IGNORED_CUE}
        if not cued_keys:
            self.fail(key, 'expected negative/positive or values besides ignore')
        if cued_keys & SIGN_CUES and not cued_keys <= SIGN_CUES:
            self.fail(key, 'expected either negative/positive or values, not both')
        pairs = []
        for cued, phrases in value.items():
            if cued not in SIGN_CUES | {IGNORED_CUE} and not spec.allows(cued):
                self.fail(key, f'{cued!r} is neither negative, positive, ignore nor '
                               f'{_fitting(spec)}')
            pairs.append((cued, self.phrases(phrases, f'{key}.{cued}')))
        return tuple(pairs)

    def field_type(self, value, key):
        """Return the element type and :class:`ArrayShape` (None: no array) of ``type``."""
        type_name = self.text(value, key)
        if '[' not in type_name and ']' not in type_name:
            return type_name, None
        match = ARRAY_PATTERN.match(type_name)
        if not match:
            self.fail(key, 'expected an array type such as float64[], float64[3] or '
                           f'float64[<=3], got {type_name!r}')
        element, bounded, size = match.groups()
        return element, ArrayShape(size and int(size), fixed=bool(size and not bounded))

    def parameter(self, entry, key):
        entry = self.mapping(entry, key, required=('node', 'name', 'type'),
                             optional=('min', 'max', 'pattern', 'default', 'values', 'unit'))
        type_name = self.text(entry['type'], f'{key}.type')
        if type_name not in PARAMETER_TYPES:
            self.fail(f'{key}.type', f'unknown type {type_name!r} '
                                     f'(known: {", ".join(PARAMETER_TYPES)})')
        spec = self.ranged(ParameterSpec(
            self.text(entry['node'], f'{key}.node', TEMPLATE_PATTERN),
            self.text(entry['name'], f'{key}.name', PARAMETER_NAME_PATTERN), type_name,
            self.number(entry.get('min'), f'{key}.min'),
            self.number(entry.get('max'), f'{key}.max'),
            self.pattern(entry, key, type_name)), key)
        return self.defaulted(self.measured(self.enumerated(spec, entry, key), entry, key),
                              entry, key)

    def ranged(self, spec, key):
        if (spec.minimum is not None or spec.maximum is not None) and spec.kind in ('string',
                                                                                    'bool'):
            self.fail(key, f'a {spec.type_name} takes no "min"/"max"')
        low, high = spec.bounds
        if low is not None and high is not None and low > high:
            self.fail(key, f'empty range {low}..{high}')
        return spec

    def defaulted(self, spec, entry, key):
        """Return ``spec`` with the ``default`` of ``entry``, checked against its type."""
        if 'default' not in entry:
            return spec
        value = entry['default']
        if not spec.allows(value):
            self.fail(f'{key}.default', f'{value!r} is not {_fitting(spec)}')
        return replace(spec, default=_typed(spec, value))

    def enumerated(self, spec, entry, key):
        """Return ``spec`` with the ``values`` of ``entry``, each checked against its type."""
        if 'values' not in entry:
            return spec
        listed = entry['values']
        if spec.kind == 'bool':
            self.fail(f'{key}.values', f'a {spec.type_name} takes no "values"')
        if isinstance(listed, dict):
            pairs = [(value, self.text(meaning, f'{key}.values.{value}', PLAIN_TEXT_PATTERN))
                     for value, meaning in listed.items()]
        elif isinstance(listed, list):
            pairs = [(value, None) for value in listed]
        else:
            self.fail(f'{key}.values', 'expected a list of values or a mapping of each value '
                                       'to its meaning')
        if not pairs:
            self.fail(f'{key}.values', 'expected at least one value')
        values = []
        for value, meaning in pairs:
            if not spec.allows(value):
                self.fail(f'{key}.values', f'{value!r} is not {_fitting(spec)}')
            value = _typed(spec, value)
            if value in (known for known, _ in values):
                self.fail(f'{key}.values', f'{value!r} is listed twice')
            values.append((value, meaning))
        return replace(spec, values=tuple(values))

    def measured(self, spec, entry, key):
        """Return ``spec`` with the ``unit`` of ``entry``, one of :data:`UNITS`."""
        if 'unit' not in entry:
            return spec
        unit = entry['unit']
        if spec.kind in ('string', 'bool'):
            self.fail(f'{key}.unit', f'a {spec.type_name} takes no "unit"')
        if unit not in UNITS:
            self.fail(f'{key}.unit', f'unknown unit {unit!r} (known: {", ".join(UNITS)})')
        return replace(spec, unit=unit)

    def compare_with_installed(self, key, type_name, fields):
        """
        Check ``fields`` against the message class of ``type_name`` when it is importable.

        The fields of a nested message are checked against theirs even when ``type_name``'s
        own package is not installed (a nav2_msgs goal's geometry_msgs/msg/PoseStamped).
        """
        cls = self.installed_class(key, type_name)
        if cls is not None:
            installed = list(cls.get_fields_and_field_types().items())
            described = [(field.name, _rosidl_name(field)) for field in fields]
            if installed != described:
                self.fail(key, f'the installed {type_name} has the fields '
                               f'{_field_list(installed)}, but the description says '
                               f'{_field_list(described)}')
        for field in fields:
            if field.is_message:
                self.compare_with_installed(f'{key}.{field.name}', field.type_name, field.fields)

    def installed_class(self, key, type_name):
        """Return the message (request, goal) class of ``type_name``; None when not installed."""
        package, type_kind, name = TYPE_PATTERN.match(type_name).groups()
        try:
            module = importlib.import_module(f'{package}.{type_kind}')
        except ImportError:
            return None
        cls = getattr(module, name, None)
        if cls is None:
            self.fail(key, f'{package}.{type_kind} has no type {name!r}')
        if type_kind != 'msg':
            cls = cls.Request if type_kind == 'srv' else cls.Goal
        return cls


def _typed(spec, value):
    """Return a number as its kind's Python type (``1`` of a float64 as ``1.0``)."""
    if spec.kind in ('float', 'double'):
        return float(value)
    return int(value) if spec.kind == 'int' else value


def _fitting(spec):
    """Describe the values ``spec`` takes, after "is not" in an error."""
    if spec.values:
        return f'one of the values of this {spec.type_name}'
    ranged = '' if spec.kind in ('string', 'bool') else ' in its range'
    return f'a value of this {spec.type_name}{ranged}'


def _rosidl_name(field):
    """Return how rosidl's get_fields_and_field_types() spells the type of ``field``."""
    element = ROSIDL_NAMES.get(field.type_name, field.type_name).replace('/msg/', '/')
    return element if field.array is None else field.array.rosidl_name(element)


def _field_list(pairs):
    return '{' + ', '.join(f'{name}: {type_name}' for name, type_name in pairs) + '}'
