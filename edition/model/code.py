"""Translated expressions: XPath 1.0 text, and the steps Python runs around it.

`X` is XPath 1.0 text lxml compiles; `Seq` and `If` become extension calls
inside an expression (their `xpath()`) or Python steps at its top; `Let`,
`For`, `Try` and `Logic` (an and/or over those) are Python steps only:
`xpath()` raises Unsupported for them (as for Flwor and Construct).
"""
from __future__ import annotations

from ..records import Factory, Record
from .functions import PREFIX

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
