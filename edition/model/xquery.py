"""XQuery expressions from TEI Publisher ODDs → XPath 1.0 text and a few Python steps.

TEI Publisher evaluates @predicate and param/@value as XQuery 3.1 with the TEI
namespace as the default element namespace. This module parses the subset
those ODDs use (XPath 3.1 without higher-order functions, plus FLWOR `let` and
`for`, and `try/catch`) and translates it for lxml:
- unprefixed element names → `tei:name` (the default element namespace);
- `$parameters?name` → the lxml variable `$param.name` (see PARAMETER);
- `eq ne lt le gt ge` → `= != < <= > >=`; `a || b` → `concat(a, b)`;
- XPath 2/3 functions → extension functions (functions.py), `root(x)` → `(/)`;
- sequences `(a, b)` and `if … then … else` → extension functions inside an
  expression, Python steps at its top; `let`, `for`, `try` → Python steps.
What needs eXist-db (collection(), util:*, session:*, $global:*), dynamic
function calls ($get(.)) and element constructors with enclosed expressions
translate to the empty sequence with a warning (the model can still work
without them). Anything that does not parse raises XQueryError.
"""
from __future__ import annotations

import re

from lxml import etree

from .code import Code, For, If, Let, Logic, Seq, Translation, Try, Unsupported, X
from .functions import (DATABASE_FUNCTIONS, DATABASE_PREFIXES, NODE_TESTS, PREFIX,
                        XPATH1, XQUERY_NAMES)
from .lexer import Token, XQueryError, tokenize

__all__ = ["PARAMETER", "Translation", "XQueryError", "Unsupported", "translate"]

PARAMETER = "param."  # $parameters?mode → $param.mode
EMPTY = f"{PREFIX}:seq()"
AXES = {"ancestor", "ancestor-or-self", "attribute", "child", "descendant", "descendant-or-self",
        "following", "following-sibling", "namespace", "parent", "preceding", "preceding-sibling", "self"}
COMPARISONS = {"=": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=",
               "eq": "=", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def literal(value: str) -> str:
    """A string as an XPath 1.0 literal (which has no escapes)."""
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return "concat(" + ", '\"', ".join(f'"{part}"' for part in value.split('"')) + ")"


def translate(text: str, namespaces: dict[str, str], default_ns: str) -> Translation:
    """Translate one expression; raises XQueryError if it does not parse."""
    parser = Parser(text, namespaces, default_ns)
    code = parser.expression()
    parser.expect_end()
    return Translation(code, parser.parameters, parser.warnings, parser.constants)


class Parser:
    """Recursive descent over XPath 3.1's grammar (precedence as in §A.1)."""

    def __init__(self, text: str, namespaces: dict[str, str], default_ns: str):
        self.text, self.tokens, self.i = text, tokenize(text), 0
        self.prefixes = {p for p, uri in namespaces.items() if p}
        self.default_prefix = next((p for p, uri in namespaces.items() if uri == default_ns and p), "tei")
        self.parameters: set[str] = set()
        self.warnings: list[str] = []
        self.constants: list = []
        self.bound: list[str] = []

    # --- tokens
    @property
    def token(self) -> Token:
        return self.tokens[self.i]

    def peek(self, ahead: int = 1) -> Token:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)]

    def at(self, *values: str) -> bool:
        return self.token.kind in ("op", "name") and self.token.value in values

    def take(self) -> Token:
        token = self.token
        self.i += 1
        return token

    def expect(self, value: str) -> Token:
        if not self.at(value):
            raise self.error(f"expected {value!r}")
        return self.take()

    def expect_end(self) -> None:
        if self.token.kind != "end":
            raise self.error("unexpected text")

    def error(self, message: str) -> XQueryError:
        found = self.token.value or "the end"
        return XQueryError(f"{message} at {found!r} (character {self.token.offset + 1})", self.token.offset)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def unsupported(self, what: str) -> X:
        self.warn(f"{what} cannot be evaluated outside eXist-db; it is taken as the empty sequence")
        return X(EMPTY)

    def xp(self, code: Code) -> str:
        """The XPath text of an operand; Python-only steps here become ()."""
        try:
            return code.xpath()
        except Unsupported as problem:
            self.warn(f"{problem} is not supported; it is taken as the empty sequence")
            return EMPTY

    # --- Expr ::= ExprSingle ("," ExprSingle)*
    def expression(self) -> Code:
        members = [self.single()]
        while self.at(","):
            self.take()
            members.append(self.single())
        return members[0] if len(members) == 1 else Seq(members)

    def single(self) -> Code:
        if self.at("let", "for") and self.peek().kind == "var":
            return self.flwor()
        if self.at("if") and self.peek().value == "(":
            self.take(), self.expect("(")
            test = self.expression()
            self.expect(")"), self.expect("then")
            then = self.single()
            self.expect("else")
            return If(test, then, self.single())
        if self.at("try") and self.peek().value == "{":
            self.take(), self.expect("{")
            body = self.expression()
            self.expect("}"), self.expect("catch")
            while not self.at("{"):
                self.take()  # the error names caught: all of them, here
            self.take()
            fallback = self.expression()
            self.expect("}")
            return Try(body, fallback)
        if self.at("some", "every", "switch", "typeswitch") and self.peek().value in ("$", "("):
            raise self.error("quantified, switch and typeswitch expressions are not supported")
        return self.binary(0)

    def flwor(self) -> Code:
        keyword, name = self.take().value, self.take().value[1:]
        self.expect(":=" if keyword == "let" else "in")
        value = self.single()
        self.bound.append(name)
        try:
            if self.at("let", "for") and self.peek().kind == "var":
                body = self.flwor()
            elif self.at(","):
                self.tokens[self.i] = Token("name", keyword, self.token.offset)  # `let $a := 1, $b := 2`
                body = self.flwor()
            else:
                self.expect("return")
                body = self.single()
        finally:
            self.bound.pop()
        return Let(name, value, body) if keyword == "let" else For(name, value, body)

    # --- binary operators by precedence, loosest first
    LEVELS = [("or",), ("and",), tuple(COMPARISONS), ("||",), ("+", "-"),
              ("*", "div", "idiv", "mod"), ("|", "union")]

    def binary(self, level: int) -> Code:
        if level == len(self.LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        operators = self.LEVELS[level]
        if operators == tuple(COMPARISONS):  # comparisons do not chain
            if self.at(*operators):
                operator = COMPARISONS[self.take().value]
                return self.compare(left, operator, self.binary(level + 1))
            return left
        parts, ops = [left], []
        while self.at(*operators):
            ops.append(self.take().value)
            parts.append(self.binary(level + 1))
        if ops and operators in (("or",), ("and",)) and any(isinstance(p, (Let, For, Try)) for p in parts):
            return Logic(ops[0], parts)
        return left if not ops else self.combine(parts, ops)

    def combine(self, parts: list[Code], ops: list[str]) -> X:
        texts = [self.xp(p) for p in parts]
        if ops[0] == "||":
            return X(f"concat({', '.join(texts)})")
        out = texts[0]
        for op, text in zip(ops, texts[1:]):
            op = {"union": "|"}.get(op, op)
            out = f"floor({out} div {text})" if op == "idiv" else f"{out} {op} {text}"
        return X(f"({out})")

    def compare(self, left: Code, operator: str, right: Code) -> X:
        # `x = ('a', 'b')` with literals: an `or` of plain comparisons (fast in C).
        if isinstance(right, Seq) and right.members and all(m.literal is not None for m in right.members):
            left_text = self.xp(left)  # existential, as general comparisons are
            return X("(" + " or ".join(f"{left_text} {operator} {m.xpath()}" for m in right.members) + ")")
        return X(f"({self.xp(left)} {operator} {self.xp(right)})")

    def unary(self) -> Code:
        if self.at("-"):
            self.take()
            return X(f"(0 - {self.xp(self.unary())})")
        if self.at("+"):
            self.take()
        return self.simple_map()

    def simple_map(self) -> Code:
        left = self.path()
        while self.at("!"):
            self.take()
            right = self.path()
            if isinstance(right, X) and re.match(r"^[\w@.*(]", right.text) and not right.text.startswith(PREFIX):
                left = X(f"({self.xp(left)})/{right.text}")
            else:
                self.xp(left)
                left = self.unsupported("the simple map operator '!' with a function on the right")
        return left

    # --- paths
    def path(self) -> Code:
        if self.at("/", "//"):
            start = self.take().value
            if self.starts_step():
                return X(start + self.relative(None))
            if start == "//":
                raise self.error("expected a step after '//'")
            return X("/")
        first = self.step()
        if not self.at("/", "//"):
            return first
        return X(self.relative(first))

    def starts_step(self) -> bool:
        token = self.token
        return token.kind in ("name", "var", "string", "number", "xml") or self.at("@", ".", "..", "*", "(")

    def relative(self, first: Code | None) -> str:
        text = self.xp(first) if first is not None else self.step_text()
        while self.at("/", "//"):
            separator = self.take().value
            if self.token.kind == "name" and self.peek().value == "(" and self.call_step():
                name = self.token.value
                text = self.function_step(name, text if separator == "/" else f"{text}//node()")
                continue
            text = f"{text}{separator}{self.step_text()}"
        return text

    def call_step(self) -> bool:
        name = self.token.value
        return name not in NODE_TESTS and name not in ("element", "attribute")

    def function_step(self, name: str, context: str) -> str:
        """`path/f(…)`: XPath 1.0 has no function steps; translate the usual ones."""
        self.take(), self.expect("(")
        args = self.arguments()
        if name in ("string", "data") and not args:
            return f"{PREFIX}:strings({context})" + self.predicates()
        if name == "id":
            return f"{PREFIX}:id({', '.join(args)})" + self.predicates()
        self.predicates()
        self.warn(f"the function step /{name}(…) is not supported; it is taken as the empty sequence")
        return EMPTY

    def step_text(self) -> str:
        return self.xp(self.step())

    def step(self) -> Code:
        if self.at("..", "."):
            step = self.take().value
            predicates = self.predicates()  # XPath 1.0 allows none on . and ..
            return X(step + predicates if not predicates else
                     ("self::node()" if step == "." else "parent::node()") + predicates)
        if self.at("@"):
            self.take()
            return X("@" + self.name_test(attribute=True) + self.predicates())
        if self.token.kind == "name" and self.peek().value == "::":
            axis = self.take().value
            if axis not in AXES:
                raise self.error(f"unknown axis {axis!r}")
            self.take()
            return X(f"{axis}::{self.name_test(attribute=axis == 'attribute')}" + self.predicates())
        if self.token.kind == "name" and not (self.peek().value == "(" and self.call_step()) \
                and self.token.value not in ("element", "attribute"):
            return X(self.name_test(attribute=False) + self.predicates())
        if self.at("*"):
            self.take()
            return X("*" + self.predicates())
        return self.postfix()

    def name_test(self, attribute: bool) -> str:
        token = self.take()
        if token.value == "*":
            return "*"
        if token.kind != "name":
            raise XQueryError(f"expected a name at {token.value!r} (character {token.offset + 1})", token.offset)
        name = token.value
        if name in NODE_TESTS and self.at("("):
            self.take(), self.expect(")")
            return f"{name}()"
        if ":" in name:
            prefix = name.split(":", 1)[0]
            if prefix not in self.prefixes and prefix != "xml":
                raise XQueryError(f"unknown namespace prefix {prefix!r} (character {token.offset + 1})", token.offset)
            return name
        return name if attribute else f"{self.default_prefix}:{name}"

    def predicates(self) -> str:
        text = ""
        while self.at("["):
            self.take()
            text += f"[{self.xp(self.expression())}]"
            self.expect("]")
        return text

    def postfix(self) -> Code:
        code = self.primary()
        while self.at("[", "?", "("):
            if self.at("("):  # a dynamic function call: $get(.), $config('x')
                self.take()
                self.arguments()
                code = self.unsupported("a dynamic function call")
                continue
            if self.at("?"):
                self.take()
                key = self.take()
                code = self.unsupported(f"the lookup ?{key.value}")
                continue
            code = X(f"{self.xp(code)}{self.predicates()}")
        return code

    def primary(self) -> Code:
        token = self.token
        if token.kind == "string":
            self.take()
            value = token.value[1:-1].replace(token.value[0] * 2, token.value[0])
            return X(literal(value), literal=value)
        if token.kind == "number":
            self.take()
            return X(token.value)
        if token.kind == "var":
            return self.variable()
        if token.kind == "xml":
            return self.constructor(self.take())
        if self.at("("):
            self.take()
            if self.at(")"):
                self.take()
                return Seq([])
            inner = self.expression()
            self.expect(")")
            return inner if isinstance(inner, Seq) else X(f"({self.xp(inner)})") if isinstance(inner, X) else inner
        if token.kind == "name" and self.peek().value == "(":
            return self.call()
        raise self.error("expected an expression")

    def variable(self) -> Code:
        name = self.take().value[1:]
        if name == "parameters" and self.at("?"):
            self.take()
            key = self.take()
            if key.kind != "name":
                raise XQueryError("expected a parameter name after '?'", key.offset)
            self.parameters.add(key.value)
            return X(f"${PARAMETER}{key.value}")
        if name == "mode":  # TEI Publisher's models may say $mode for $parameters?mode
            self.parameters.add("mode")
            return X(f"${PARAMETER}mode")
        if name in self.bound:
            return X(f"{PREFIX}:var({literal(name)})")
        if ":" in name and name.split(":")[0] in DATABASE_PREFIXES or name in ("get", "config", "node"):
            if self.at("("):
                return X(f"${name}")  # postfix() reports the dynamic call
            return self.unsupported(f"the variable ${name}")
        raise XQueryError(f"unknown variable ${name} (character {self.tokens[self.i - 1].offset + 1})",
                          self.tokens[self.i - 1].offset)

    def arguments(self) -> list[str]:
        args = []
        while not self.at(")"):
            args.append(self.xp(self.single()))
            if not self.at(","):
                break
            self.take()
        self.expect(")")
        return args

    def call(self) -> Code:
        token = self.take()
        name = token.value.removeprefix("fn:")
        self.expect("(")
        if name == "root":
            self.arguments()
            return X("(/)")
        args = self.arguments()
        if name in XPATH1:
            return X(f"{name}({', '.join(args)})")
        if name in XQUERY_NAMES:
            return X(f"{PREFIX}:{XQUERY_NAMES[name]}({', '.join(args)})")
        if name in DATABASE_FUNCTIONS or name.split(":")[0] in DATABASE_PREFIXES:
            return self.unsupported(f"{name}()")
        raise XQueryError(f"unknown function {name}#{len(args)} (character {token.offset + 1})", token.offset)

    def constructor(self, token: Token) -> Code:
        """A direct element constructor: a constant when it holds no `{…}`."""
        if "{" in token.value:
            return self.unsupported("an element constructor with enclosed expressions")
        try:
            element = etree.fromstring(
                f'<wrapper xmlns="http://www.tei-c.org/ns/1.0">{token.value}</wrapper>')[0]
        except etree.XMLSyntaxError as problem:
            raise XQueryError(f"malformed element constructor: {problem}", token.offset) from None
        self.constants.append(element)
        return X(f"{PREFIX}:constant({len(self.constants) - 1})")
