"""Plain value classes without the dataclass decorator: `Record`.

@dataclass generates each class's __init__, __repr__, __eq__ (and order, hash)
as source text and compiles it when the module is imported, and the dataclasses
module brings inspect, ast, dis and tokenize with it: with the model's classes
that was a fifth of `edition render`'s start-up (issue 15). A Record has the
same behaviour from one set of generic methods: fields from the class's own
annotations after its Record parents', in order (a default is the class
attribute; `Factory(list)` makes one anew for each record); __init__ by
position or name; __repr__; __eq__ by value and no hash, unless eq=False
(identity); frozen=True refuses to set and hashes by value; order=True compares
the fields in order; `replace(**changes)` is dataclasses.replace.
"""
from __future__ import annotations

_MISSING = object()


class FrozenInstanceError(AttributeError):
    """A field of a frozen record was set (as dataclasses.FrozenInstanceError)."""


class Factory:
    """A field's default made anew for each record (a dataclass field's default_factory)."""
    __slots__ = ("make",)

    def __init__(self, make):
        self.make = make


class Record:
    _fields: tuple = ()
    _defaults: dict = {}
    _frozen = False
    _eq = True

    def __init_subclass__(cls, frozen: bool | None = None, eq: bool | None = None, order: bool = False,
                          **kwargs):
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
        if eq is not None:
            cls._eq = eq
        if not cls._eq:
            cls.__eq__, cls.__hash__ = object.__eq__, object.__hash__
        else:
            cls.__hash__ = Record._value_hash if cls._frozen else None
        if order:
            cls.__lt__, cls.__le__ = _compare(tuple.__lt__), _compare(tuple.__le__)
            cls.__gt__, cls.__ge__ = _compare(tuple.__gt__), _compare(tuple.__ge__)

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

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self._fields)

    def replace(self, **changes):
        """A copy with some fields changed (dataclasses.replace)."""
        return type(self)(**{**{name: getattr(self, name) for name in self._fields}, **changes})

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self._fields)})"

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    __hash__ = None  # as a dataclass with eq and not frozen: equal by value, no hash

    def _value_hash(self) -> int:
        return hash(self._values())

    def __setattr__(self, name, value):
        if self._frozen:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        if self._frozen:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        object.__delattr__(self, name)


def _compare(test):
    def compare(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return test(self._values(), other._values())
    return compare
