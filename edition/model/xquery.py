"""XQuery expressions from TEI Publisher ODDs → XPath 1.0 text and a few Python steps.

TEI Publisher evaluates @predicate and param/@value as XQuery 3.1 with the TEI
namespace as the default element namespace. This module parses the subset
those ODDs use (XPath 3.1 without higher-order functions, plus FLWOR `let` and
`for`, and `try/catch`) and translates it for lxml:
- unprefixed element names → `tei:name` (the default element namespace);
- `$parameters?name` → the lxml variable `$param.name` (see PARAMETER);
- `eq ne lt le gt ge` → `= != < <= > >=`; `a || b` → `concat(a, b)`;
- XPath 2/3 functions → extension functions (functions.py), `root(x)` → `(/)`;
- `except`/`intersect`, `is`, string constructors ``[…`{…}`…]`` and the
  simple map `!` (and steps that are calls or parenthesised, `a/(b|c)`,
  `a/number()`) → extension functions, the right-hand side of a map
  compiled once as its own XPath (functions.register_path);
- FLWOR `where`, `group by`, `order by` → one Python step over bindings;
- sequences `(a, b)` and `if … then … else` → extension functions inside an
  expression, Python steps at its top; `let`, `for`, `try` → Python steps.
What needs eXist-db (collection(), util:*, session:*, $global:*), dynamic
function calls ($get(.)) and functions of unknown modules (repo:list())
translate to the empty sequence with a warning (the model can still work
without them). Anything that does not parse raises XQueryError.
"""
from __future__ import annotations

import re

from lxml import etree

from .code import PARAMETER, Code, Construct, Flwor, For, If, Let, Logic, Seq, Translation, Try, Unsupported, X
from .functions import (DATABASE_FUNCTIONS, DATABASE_PREFIXES, NODE_TESTS, PREFIX,
                        XPATH1, XQUERY_NAMES, register_path)
from .lexer import Token, XQueryError, tokenize

__all__ = ["PARAMETER", "Translation", "XQueryError", "Unsupported", "translate"]

EMPTY = f"{PREFIX}:seq()"
AXES = {"ancestor", "ancestor-or-self", "attribute", "child", "descendant", "descendant-or-self",
        "following", "following-sibling", "namespace", "parent", "preceding", "preceding-sibling", "self"}
COMPARISONS = {"=": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=",
               "eq": "=", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">=", "is": "is"}
ATTRIBUTE_HOLE = "\ue000{}\ue001"  # an enclosed expression in a constructed attribute value
FUNCTION_NAMESPACES = {"fn", "xs", "math", "map", "array"}  # others are modules of an app or database


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
        self.namespaces, self.default_ns = namespaces, default_ns
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
        clauses, depth = [], len(self.bound)
        try:
            while True:
                if self.at("let", "for") and self.peek().kind == "var":
                    keyword = self.take().value
                    clauses.extend(self.bindings(keyword))
                elif self.at("where"):
                    self.take()
                    clauses.append(("where", self.single()))
                elif self.at("group") and self.peek().value == "by":
                    self.take(), self.take()
                    clauses.append(("group", self.grouping()))
                elif (self.at("order") and self.peek().value == "by") or self.at("stable"):
                    while not self.at("by"):
                        self.take()
                    self.take()
                    clauses.append(("order", self.ordering()))
                else:
                    break
            self.expect("return")
            body = self.single()
        finally:
            del self.bound[depth:]
        return fold(clauses, body)

    def bindings(self, keyword: str) -> list:
        """`for $a in x, $b in y` / `let $a := x, $b := y`."""
        found = []
        while True:
            name = self.take().value[1:]
            self.expect(":=" if keyword == "let" else "in")
            found.append((keyword, name, self.single()))
            self.bound.append(name)
            if not (self.at(",") and self.peek().kind == "var"):
                return found
            self.take()

    def grouping(self) -> list:
        specs = []
        while True:
            token = self.take()
            if token.kind != "var":
                raise XQueryError(f"expected a variable after 'group by' (character {token.offset + 1})",
                                  token.offset)
            name = token.value[1:]
            if self.at(":="):
                self.take()
                specs.append((name, self.single()))
            else:
                specs.append((name, X(f"{PREFIX}:var({literal(name)})")))
            self.bound.append(name)
            if not self.at(","):
                return specs
            self.take()

    def ordering(self) -> list:
        keys = []
        while True:
            key = self.single()
            descending = False
            while self.at("ascending", "descending", "empty", "greatest", "least", "collation"):
                word = self.take().value
                descending = descending or word == "descending"
                if word == "collation":
                    self.take()
            keys.append((key, descending))
            if not self.at(","):
                return keys
            self.take()

    # --- binary operators by precedence, loosest first
    LEVELS = [("or",), ("and",), tuple(COMPARISONS), ("||",), ("+", "-"),
              ("*", "div", "idiv", "mod"), ("|", "union"), ("intersect", "except")]

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
            if op in ("intersect", "except"):
                out = f"{PREFIX}:{op}({out}, {text})"
            else:
                out = f"floor({out} div {text})" if op == "idiv" else f"{out} {op} {text}"
        return X(f"({out})")

    def compare(self, left: Code, operator: str, right: Code) -> X:
        if operator == "is":  # node identity (XPath 3.1 §3.7.3)
            return X(f"{PREFIX}:is({self.xp(left)}, {self.xp(right)})")
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
            if isinstance(right, X) and re.match(r"^[\w@.*]", right.text) and not right.text.startswith(PREFIX) \
                    and "(" not in right.text:
                left = X(f"({self.xp(left)})/{right.text}")
            else:
                left = X(self.mapped(self.xp(left), self.xp(right), path=False))
        return left

    def mapped(self, context: str, step: str, path: bool) -> str:
        """`context ! step` (or the step of a path): `step` evaluated on each item."""
        key = register_path(step, {**self.namespaces, self.default_prefix: self.default_ns})
        return f"{PREFIX}:map({context}, {key}, {'true()' if path else 'false()'})"

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
            context = text if separator == "/" else f"{text}/descendant-or-self::node()"
            if self.token.kind == "name" and self.peek().value == "(" and self.call_step():
                text = self.function_step(self.token.value, context)
                continue
            if self.at("("):  # a parenthesised step, a/(b|c)
                text = self.mapped(context, self.xp(self.postfix()), path=True)
                continue
            text = f"{text}{separator}{self.step_text()}"
        return text

    def call_step(self) -> bool:
        name = self.token.value
        return name not in NODE_TESTS and name not in ("element", "attribute")

    def function_step(self, name: str, context: str) -> str:
        """`path/f(…)`: XPath 1.0 has no function steps; the usual ones directly,
        any other as a map of the call over the items of the path."""
        if name in ("string", "data", "id"):
            self.take(), self.expect("(")
            args = self.arguments()
            if name == "id":
                return f"{PREFIX}:id({', '.join(args)})" + self.predicates()
            if not args:
                return f"{PREFIX}:strings({context})" + self.predicates()
            return f"{PREFIX}:data({args[0]})" + self.predicates()
        call = self.xp(self.postfix())
        return self.mapped(context, call, path=False)

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
        if token.kind == "strcons":
            return self.string_constructor(self.take())
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
        if ":" in name and name.split(":")[0] not in FUNCTION_NAMESPACES:
            return self.unsupported(f"{name}() of an application module")
        raise XQueryError(f"unknown function {name}#{len(args)} (character {token.offset + 1})", token.offset)

    def constructor(self, token: Token) -> Code:
        """A direct element constructor: a constant when it holds no `{…}`;
        enclosed expressions in its content and attribute values are computed
        (XQuery §3.9.1.3)."""
        enclosed: list[Code] = []
        text = self.holes(token.value, token.offset, enclosed) if "{" in token.value else token.value
        try:
            element = etree.fromstring(
                f'<wrapper xmlns="http://www.tei-c.org/ns/1.0">{text}</wrapper>')[0]
        except etree.XMLSyntaxError as problem:
            raise XQueryError(f"malformed element constructor: {problem}", token.offset) from None
        if enclosed:
            return Construct(element, enclosed)
        self.constants.append(element)
        return X(f"{PREFIX}:constant({len(self.constants) - 1})")

    def holes(self, text: str, offset: int, found: list) -> str:
        """The constructor with each `{expr}` replaced: in content by a
        <pmx-enclosed n="i"/>, in an attribute value by the marker ATTRIBUTE_HOLE."""
        out, position, in_tag, quote = [], 0, False, ""
        while position < len(text):
            char = text[position]
            if char == "{" and text.startswith("{{", position) or char == "}" and text.startswith("}}", position):
                out.append(char)
                position += 2
                continue
            if char == "{":
                end = _closing_brace(text, position)
                found.append(self.nested(text[position + 1:end], offset + position + 1))
                number = len(found) - 1
                out.append(ATTRIBUTE_HOLE.format(number) if in_tag else f'<pmx-enclosed xmlns="" n="{number}"/>')
                position = end + 1
                continue
            if in_tag and quote and char == quote:
                quote = ""
            elif in_tag and not quote and char in "\"'":
                quote = char
            elif char == "<" and not quote:
                in_tag = True
            elif char == ">" and in_tag and not quote:
                in_tag = False
            out.append(char)
            position += 1
        return "".join(out)

    def string_constructor(self, token: Token) -> X:
        """``[text `{expr}` text]`` (XQuery 3.1 §3.10.2): the parts' strings joined,
        each enclosed value's items separated by a space."""
        body, parts, position = token.value[3:-3], [], 0
        for match in re.finditer(r"`\{(.*?)\}`", body, re.S):
            if match.start() > position:
                parts.append(literal(body[position:match.start()]))
            code = self.nested(match[1], token.offset + 3 + match.start(1))
            parts.append(f"{PREFIX}:string-join({self.xp(code)}, ' ')")
            position = match.end()
        if position < len(body):
            parts.append(literal(body[position:]))
        if not parts:
            return X('""', literal="")
        return X(f"concat({', '.join(parts)})" if len(parts) > 1 else f"string({parts[0]})")

    def nested(self, text: str, offset: int) -> Code:
        """An expression inside a constructor, parsed with this parser's state."""
        inner = Parser(text, self.namespaces, self.default_ns)
        inner.parameters, inner.warnings, inner.constants, inner.bound = (
            self.parameters, self.warnings, self.constants, self.bound)
        try:
            if inner.token.kind == "end":
                return Seq([])
            code = inner.expression()
            inner.expect_end()
        except XQueryError as problem:
            raise XQueryError(str(problem), offset + problem.offset) from None
        return code


def _closing_brace(text: str, start: int) -> int:
    depth = 0
    for position in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[position], 0)
        if depth == 0:
            return position
    raise XQueryError("an enclosed expression without its '}'", start)


def fold(clauses: list, body: Code) -> Code:
    """for/let/where clauses as nested steps; group by / order by as one Flwor."""
    if any(clause[0] in ("group", "order") for clause in clauses):
        return Flwor(clauses, body)
    for clause in reversed(clauses):
        if clause[0] == "where":
            body = If(clause[1], body, Seq([]))
        else:
            keyword, name, value = clause
            body = Let(name, value, body) if keyword == "let" else For(name, value, body)
    return body
