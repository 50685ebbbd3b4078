"""Behaviour names → functions: one registry per output mode, filled by a decorator.

The vocabulary is the TEI Processing Model's (Guidelines §22.5.4.4, the
valList of model/@behaviour) plus TEI Publisher's `pass-through`,
`webcomponent`, `iframe`, `definitionList`, `definition` and `code`. Every behaviour has one signature,
`(ctx, node, classes, content, **params)`: the ODD's <param name> binds to
the keyword parameters by name; a behaviour that ends in `**optional` takes
any other param too (TEI Publisher's `$optional` map). Registering a name
outside the vocabulary, or a name twice in one mode, fails at import time.
A mode may extend another: lookup goes to the extension first (print is the
web mode plus a few overrides, as TEI Publisher's ext-printcss.xql is).
"""
from __future__ import annotations

from typing import Callable

VOCABULARY = frozenset({
    "alternate", "anchor", "block", "body", "break", "cell", "cit", "document", "figure",
    "glyph", "graphic", "heading", "index", "inline", "link", "list", "listItem", "metadata",
    "note", "omit", "paragraph", "row", "section", "table", "text", "title",
    "pass-through", "webcomponent", "iframe", "definitionList", "definition", "code",
})
LEADING = ("ctx", "node", "classes", "content")


class Registry:
    def __init__(self, name: str, base: "Registry | None" = None):
        self.name, self.base = name, base
        self._functions: dict[str, Callable] = {}
        self._params: dict[str, tuple[frozenset, bool]] = {}

    def behaviour(self, name: str) -> Callable[[Callable], Callable]:
        """Decorator: register the function as behaviour `name` of this mode."""
        if name not in VOCABULARY:
            raise ValueError(f"{name!r} is not a behaviour of the processing model "
                             f"(known: {', '.join(sorted(VOCABULARY))})")
        if name in self._functions:
            raise ValueError(f"behaviour {name!r} is registered twice for the {self.name} mode")

        def register(function: Callable) -> Callable:
            self._params[name] = _accepted(function, name)
            self._functions[name] = function
            return function
        return register

    def lookup(self, name: str) -> Callable | None:
        if name in self._functions:
            return self._functions[name]
        return self.base.lookup(name) if self.base else None

    def state(self) -> tuple:
        """The functions registered now (here and in the base): what a dispatch resolved
        once (engine.Table) is valid for."""
        own = tuple(self._functions.items())
        return own + self.base.state() if self.base else own

    def accepts(self, name: str, param: str) -> bool:
        if name not in self._functions:
            return self.base.accepts(name, param) if self.base else False
        named, any_other = self._params[name]
        return param == "content" or param in named or any_other

    def params_of(self, name: str) -> list[str]:
        if name not in self._functions:
            return self.base.params_of(name) if self.base else []
        return sorted(self._params[name][0])

    def names(self) -> set[str]:
        return set(self._functions) | (self.base.names() if self.base else set())


def _accepted(function: Callable, name: str) -> tuple[frozenset, bool]:
    """The param names a behaviour function takes, and whether it takes any."""
    parameters = _parameters(function)
    leading = tuple(p for p, _ in parameters[:len(LEADING)])
    if leading != LEADING:
        raise TypeError(f"behaviour {name!r} must start with {LEADING}, not {leading}")
    rest = parameters[len(LEADING):]
    return frozenset(p for p, kind in rest if kind == "named"), any(kind == "**" for _, kind in rest)


def _parameters(function: Callable) -> list[tuple[str, str]]:
    """(name, kind) of a function's parameters in order, as inspect.signature gives
    them (kind: "positional" only, "named" — by position or keyword, or keyword
    only —, "*", "**"), read from its code object: importing inspect (with ast,
    dis, tokenize) was an eighth of `edition render`'s start-up."""
    code = getattr(function, "__code__", None)
    if code is None or hasattr(function, "__wrapped__"):
        import inspect
        kinds = {inspect.Parameter.POSITIONAL_ONLY: "positional", inspect.Parameter.VAR_POSITIONAL: "*",
                 inspect.Parameter.VAR_KEYWORD: "**"}
        return [(p.name, kinds.get(p.kind, "named")) for p in inspect.signature(function).parameters.values()]
    names, at = code.co_varnames, code.co_argcount
    found = [(n, "positional" if i < code.co_posonlyargcount else "named") for i, n in enumerate(names[:at])]
    if code.co_flags & 0x04:  # CO_VARARGS
        found.append((names[at + code.co_kwonlyargcount], "*"))
    found.extend((n, "named") for n in names[at:at + code.co_kwonlyargcount])
    if code.co_flags & 0x08:  # CO_VARKEYWORDS
        found.append((names[at + code.co_kwonlyargcount + (1 if code.co_flags & 0x04 else 0)], "**"))
    return found


WEB = Registry("web")
PRINT = Registry("print", base=WEB)
MODES = {"web": WEB, "print": PRINT}
