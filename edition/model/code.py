"""Translated expressions: XPath 1.0 text, and the steps Python runs around it.

`X` is XPath 1.0 text lxml compiles; `Seq` and `If` become extension calls
inside an expression (their `xpath()`) or Python steps at its top; `Let`,
`For`, `Try` and `Logic` (an and/or over those) are Python steps only:
`xpath()` raises Unsupported for them (as for Flwor and Construct).
"""
from __future__ import annotations

from dataclasses import FrozenInstanceError

from .functions import PREFIX

_MISSING = object()


class Factory:
    """A field's default made anew for each record (a dataclass field's default_factory)."""
    __slots__ = ("make",)

    def __init__(self, make):
        self.make = make


class Record:
    """A class of plain values as the dataclass decorator makes one (fields from the
    class's own annotations after its Record parents', in order; __init__ by position
    or name; __repr__; __eq__ by value and no hash, unless eq=False; frozen=True
    refuses to set), without generating and compiling methods for each class at
    import: the model's 17 dataclasses were a fifteenth of `edition render`'s start-up."""
    _fields: tuple = ()
    _defaults: dict = {}
    _frozen = False

    def __init_subclass__(cls, frozen: bool | None = None, eq: bool | None = None, **kwargs):
        super().__init_subclass__(**kwargs)
        fields, defaults = list(cls._fields), dict(cls._defaults)
        for name in cls.__dict__.get("__annotations__", {}):
            if name not in fields:
                fields.append(name)
            if name in cls.__dict__:
                defaults[name] = cls.__dict__[name]
                if isinstance(defaults[name], Factory):
                    delattr(cls, name)
        cls._fields, cls._defaults = tuple(fields), defaults
        if frozen is not None:
            cls._frozen = frozen
        if eq is False:
            cls.__eq__, cls.__hash__ = object.__eq__, object.__hash__

    def __init__(self, *args, **kwargs):
        fields = self._fields
        if len(args) > len(fields):
            raise TypeError(f"{type(self).__name__}() takes {len(fields)} arguments ({len(args)} given)")
        values = dict(zip(fields, args))
        for name, value in kwargs.items():
            if name not in fields or name in values:
                raise TypeError(f"{type(self).__name__}() got an unexpected or repeated argument {name!r}")
            values[name] = value
        put = object.__setattr__
        for name in fields:
            value = values.get(name, _MISSING)
            if value is _MISSING:
                value = self._defaults.get(name, _MISSING)
                if value is _MISSING:
                    raise TypeError(f"{type(self).__name__}() missing the argument {name!r}")
                if isinstance(value, Factory):
                    value = value.make()
            put(self, name, value)

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self._fields)})"

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self._fields)

    __hash__ = None  # as a dataclass with eq and without frozen: values that compare equal, no hash

    def __setattr__(self, name, value):
        if self._frozen:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        if self._frozen:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        object.__delattr__(self, name)


PARAMETER = "param."  # $parameters?mode → $param.mode (xquery.py writes them so, expressions.py binds them)


class XQueryError(Exception):
    """The expression does not parse; `offset` is where, in characters (raised by
    lexer.py and xquery.py; defined here so that evaluating needs neither)."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset


class Unsupported(Exception):
    """Valid XQuery this engine cannot evaluate: a warning, the value is ()."""


class Code:
    """A translated (sub)expression; `xpath()` is its XPath 1.0 text."""
    literal: str | None = None

    def xpath(self) -> str:
        raise Unsupported(f"{type(self).__name__.lower()} inside an expression")


class X(Record, Code):
    text: str
    literal: str | None = None  # the value, when this is a string literal

    def xpath(self) -> str:
        return self.text


class Seq(Record, Code):
    members: list

    def xpath(self) -> str:
        return f"{PREFIX}:seq({', '.join(m.xpath() for m in self.members)})"


class If(Record, Code):
    test: Code
    then: Code
    otherwise: Code

    def xpath(self) -> str:
        return f"{PREFIX}:if(boolean({self.test.xpath()}), {self.then.xpath()}, {self.otherwise.xpath()})"


class Logic(Record, Code):
    """`and`/`or` with a Python step among the operands (a parenthesised let)."""
    operator: str
    operands: list


class Let(Record, Code):
    name: str
    value: Code
    body: Code


class For(Record, Code):
    name: str
    source: Code
    body: Code


class Try(Record, Code):
    body: Code
    fallback: Code


class Flwor(Record, Code):
    """A FLWOR with `where`, `group by` or `order by` (XQuery 3.1 §3.12): clauses
    ("for"|"let", name, Code), ("where", Code), ("group", [(name, Code)]),
    ("order", [(Code, descending)]) run over a stream of variable bindings."""
    clauses: list
    body: Code


class Construct(Record, Code):
    """A direct element constructor with enclosed expressions: `template` is
    the element with a <pmx-enclosed n="i"/> where each `{expr}` stood."""
    template: object
    enclosed: list


class Translation(Record):
    code: Code
    parameters: set[str] = Factory(set)
    warnings: list[str] = Factory(list)
    constants: list = Factory(list)
