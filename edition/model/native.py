"""The XPath 1.0 that ODD expressions translate to, evaluated in Python without a call into libxml2.

A call into lxml's XPath costs some microseconds however small the expression
(the context is set up, variables and extension functions registered, the
result converted), and an expression that calls our extension functions
(functions.py: `pmx:var`, `pmx:id`, `pmx:tokenize`, …) crosses between C and
Python at every call. A critical apparatus pays that at each witness of each
reading (TEI Stylesheets' testapp2: 288 witnesses, issue 15). The common
expressions of processing models (steps on the child, attribute, parent,
ancestor and sibling axes, predicates, comparisons, and/or, string functions,
the pmx: functions) are compiled here into Python closures over the lxml tree.

`compile_native(text, namespaces)` returns a function (node, env) → value of
the same kinds lxml returns (a list for a node-set, str, float, bool), or None
when the expression uses what is not implemented here (arithmetic beyond + and
-, unions, the preceding/following axes, node() and text() steps, number
formatting of fractions…): then lxml evaluates it, as it always did. A case
that only shows at run time (a union of nodes, a positional predicate after
`//`, the document node as a value) raises `Fallback`, and the caller
evaluates that call with lxml. tests/model/test_native.py checks the two
agree on every expression of our ODDs and TEI Publisher's over every element
of the fixture documents.
"""
from __future__ import annotations

import math
import re

from lxml import etree

from ..xmlio import XML_NS
from .functions import FRAME, FUNCTIONS_NS, LIBRARY


class Fallback(Exception):
    """This evaluation needs lxml (see the module docstring)."""


class Unsupported(Exception):
    """This expression is not compiled here: lxml evaluates it."""


class Document:
    """The document node `(/)` of a tree, as a step's context."""
    __slots__ = ("root",)

    def __init__(self, root):
        self.root = root


TOKEN = re.compile(r"""\s*(?:
    (?P<number>\d+(?:\.\d*)?|\.\d+)
  | (?P<string>"[^"]*"|'[^']*')
  | (?P<var>\$[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)
  | (?P<name>[A-Za-z_][\w.\-]*(?::(?:[A-Za-z_][\w.\-]*|\*))?)
  | (?P<op>//|::|\.\.|!=|<=|>=|[/.@()\[\],|=<>+\-*])
)""", re.X)
NUMBER = re.compile(r"^\s*-?(?:\d+(?:\.\d*)?|\.\d+)\s*$")
NODE_TYPES = {"node", "text", "comment", "processing-instruction"}


def tokenize(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise Unsupported(text[position:])
        kind = match.lastgroup
        tokens.append((kind, match[kind]))
        position = match.end()
    tokens.append(("end", ""))
    return tokens


# --- values (XPath 1.0 §4) -------------------------------------------------------------
def string_value(item) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, Document):
        return "".join(item.root.itertext())
    return "".join(item.itertext())


def to_string(value) -> str:
    if isinstance(value, list):
        return string_value(value[0]) if value else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value.is_integer():
            return str(int(value))
        raise Fallback("a fraction as text")  # libxml2's own formatting
    return value


def to_number(value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    text = to_string(value)
    return float(text) if NUMBER.match(text) else math.nan


def to_boolean(value) -> bool:
    if isinstance(value, (list, str)):
        return bool(value)
    if isinstance(value, float):
        return value == value and value != 0
    return bool(value)


OPERATORS = {"=": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
             "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


def compare(operator: str, left, right) -> bool:
    """A general comparison (XPath 1.0 §3.4), node-sets existentially."""
    test = OPERATORS[operator]
    equality = operator in ("=", "!=")
    if isinstance(left, list) and isinstance(right, list):
        if equality:
            rights = [string_value(r) for r in right]
            return any(test(string_value(a), b) for a in left for b in rights)
        rights = [to_number(string_value(r)) for r in right]
        return any(test(to_number(string_value(a)), b) for a in left for b in rights)
    if isinstance(left, list) or isinstance(right, list):
        nodes, other, flipped = (left, right, False) if isinstance(left, list) else (right, left, True)
        if isinstance(other, bool):
            a, b = to_boolean(nodes), other
            return test(b, a) if flipped else test(a, b)
        if isinstance(other, float) or not equality:
            b = to_number(other)
            values = (to_number(string_value(n)) for n in nodes)
        else:
            b = other
            values = (string_value(n) for n in nodes)
        return any(test(b, a) if flipped else test(a, b) for a in values)
    if equality:
        if isinstance(left, bool) or isinstance(right, bool):
            return test(to_boolean(left), to_boolean(right))
        if isinstance(left, float) or isinstance(right, float):
            return test(to_number(left), to_number(right))
        return test(to_string(left), to_string(right))
    return test(to_number(left), to_number(right))


# --- the parser: XPath 1.0's grammar (§3), the part of it implemented here --------------
class Tokens:
    """A cursor over an expression's tokens (`tokenize`), for the parsers: this module's and
    boolean.py's predicates compiled to Python."""

    def __init__(self, tokens: list, namespaces: dict[str, str]):
        self.tokens, self.i, self.namespaces = tokens, 0, namespaces

    @property
    def kind(self) -> str:
        return self.tokens[self.i][0]

    @property
    def value(self) -> str:
        return self.tokens[self.i][1]

    def at(self, *values: str) -> bool:
        return self.kind in ("op", "name") and self.value in values

    def take(self) -> str:
        value = self.value
        self.i += 1
        return value

    def expect(self, value: str) -> None:
        if not self.at(value):
            raise Unsupported(f"expected {value}")
        self.i += 1


class Parser(Tokens):
    def __init__(self, text: str, namespaces: dict[str, str]):
        super().__init__(tokenize(text), namespaces)

    def whole(self):
        run = self.expr()
        if self.kind != "end":
            raise Unsupported("unexpected text")
        return run

    def expr(self):
        return self.or_expr()

    def or_expr(self):
        parts = [self.and_expr()]
        while self.at("or"):
            self.take()
            parts.append(self.and_expr())
        if len(parts) == 1:
            return parts[0]
        return lambda n, p, s, e: any(to_boolean(part(n, p, s, e)) for part in parts)

    def and_expr(self):
        parts = [self.equality()]
        while self.at("and"):
            self.take()
            parts.append(self.equality())
        if len(parts) == 1:
            return parts[0]
        return lambda n, p, s, e: all(to_boolean(part(n, p, s, e)) for part in parts)

    def equality(self):
        left = self.relational()
        while self.kind == "op" and self.value in ("=", "!="):
            left = _comparison(self.take(), left, self.relational())
        return left

    def relational(self):
        left = self.additive()
        while self.kind == "op" and self.value in ("<", "<=", ">", ">="):
            left = _comparison(self.take(), left, self.additive())
        return left

    def additive(self):
        left = self.multiplicative()
        while self.kind == "op" and self.value in ("+", "-"):
            sign = 1.0 if self.take() == "+" else -1.0
            right = self.multiplicative()
            left = (lambda a, b, k: lambda n, p, s, e: to_number(a(n, p, s, e)) + k * to_number(b(n, p, s, e)))(
                left, right, sign)
        return left

    def multiplicative(self):
        left = self.unary()
        if (self.kind == "op" and self.value == "*") or self.at("div", "mod"):
            raise Unsupported("multiplication")
        return left

    def unary(self):
        if self.kind == "op" and self.value == "-":
            raise Unsupported("unary minus")
        return self.union()

    def union(self):
        left = self.path()
        if self.kind == "op" and self.value == "|":
            raise Unsupported("union")
        return left

    # --- paths
    def path(self):
        if self.kind == "op" and self.value in ("/", "//"):
            raise Unsupported("an absolute path")  # the translation writes (/) for the root
        if self.starts_step():
            steps = [self.step()]
            start = None
        else:
            start = self.filter_expr()
            steps = []
        while self.kind == "op" and self.value in ("/", "//"):
            separator = self.take()
            if separator == "//":
                steps.append(("//",))
            steps.append(self.step())
        if not steps:
            return start
        return _path(start, _steps(steps))

    def starts_step(self) -> bool:
        if self.kind == "op":
            return self.value in (".", "..", "@", "*")
        if self.kind != "name":
            return False
        following = self.tokens[self.i + 1][1] if self.i + 1 < len(self.tokens) else ""
        return following != "(" or self.value in NODE_TYPES

    def step(self):
        """(axis, test, predicates): test is a tag, "*" (any element) or "node" (self/parent only)."""
        if self.at("."):
            self.take()
            return ("self", "node", [])
        if self.at(".."):
            self.take()
            return ("parent", "node", [])
        if self.at("@"):
            self.take()
            return ("attribute", self.attribute_name(), self.predicates())
        axis = "child"
        if self.kind == "name" and self.tokens[self.i + 1][1] == "::":
            axis = self.take()
            self.take()
            if axis == "attribute":
                return ("attribute", self.attribute_name(), self.predicates())
            if axis not in AXES:
                raise Unsupported(f"the {axis} axis")
        test = self.node_test(axis)
        return (axis, test, self.predicates())

    def node_test(self, axis: str) -> str:
        if self.at("*"):
            self.take()
            return "*"
        if self.kind != "name":
            raise Unsupported("a node test")
        name = self.take()
        if name in NODE_TYPES and self.at("("):
            self.take()
            self.expect(")")
            if name == "node" and axis in ("self", "parent", "ancestor", "ancestor-or-self"):
                return "node"  # on these axes every node is an element (or the document)
            raise Unsupported(f"{name}()")
        if ":" not in name:
            return name  # no namespace
        prefix, local = name.split(":", 1)
        if prefix not in self.namespaces or local == "*":
            raise Unsupported(f"the prefix {prefix}")
        return f"{{{self.namespaces[prefix]}}}{local}"

    def attribute_name(self) -> str:
        if self.kind != "name":
            raise Unsupported("@*")
        name = self.take()
        if ":" not in name:
            return name
        prefix, local = name.split(":", 1)
        uri = XML_NS if prefix == "xml" else self.namespaces.get(prefix)
        if uri is None or local == "*":
            raise Unsupported(f"the prefix {prefix}")
        return f"{{{uri}}}{local}"

    def predicates(self) -> list:
        found = []
        while self.at("["):
            self.take()
            found.append(self.expr())
            self.expect("]")
        return found

    def filter_expr(self):
        primary = self.primary()
        predicates = self.predicates()
        if not predicates:
            return primary
        return lambda n, p, s, e: _filter(_node_set(primary(n, p, s, e)), predicates, e)

    def primary(self):
        kind, value = self.kind, self.value
        if kind == "number":
            self.take()
            number = float(value)
            return lambda n, p, s, e: number
        if kind == "string":
            self.take()
            text = value[1:-1]
            return lambda n, p, s, e: text
        if kind == "var":
            self.take()
            name = value[1:]
            return lambda n, p, s, e: e.variables[name]
        if self.at("("):
            self.take()
            if self.at("/") and self.tokens[self.i + 1][1] == ")":
                self.take()
                self.take()
                return lambda n, p, s, e: [Document(n.getroottree().getroot())]
            inner = self.expr()
            self.expect(")")
            return inner
        if kind == "name" and self.tokens[self.i + 1][1] == "(":
            return self.call()
        raise Unsupported(value or "the end")

    def call(self):
        name = self.take()
        self.expect("(")
        if (name.endswith(":var") and self.kind == "string" and self.tokens[self.i + 1][1] == ")"
                and self.namespaces.get(name[:-4]) == FUNCTIONS_NS):
            variable = self.take()[1:-1]
            self.take()
            return _variable(variable)  # pmx:var("w"), a for/let variable: read at once
        args = []
        while not self.at(")"):
            args.append(self.expr())
            if not self.at(","):
                break
            self.take()
        self.expect(")")
        if ":" in name:
            prefix, local = name.split(":", 1)
            if self.namespaces.get(prefix) != FUNCTIONS_NS or local not in LIBRARY:
                raise Unsupported(name)
            return _extension(local, args)
        make = CORE.get(name)
        if make is None:
            raise Unsupported(f"{name}()")
        return make(args)


AXES = {"child", "self", "parent", "ancestor", "ancestor-or-self", "descendant", "descendant-or-self",
        "following-sibling", "preceding-sibling"}


def _comparison(operator: str, left, right):
    return lambda n, p, s, e: compare(operator, left(n, p, s, e), right(n, p, s, e))


def _node_set(value) -> list:
    if not isinstance(value, list):
        raise Fallback("not a node-set")  # lxml says why
    return value


def _filter(nodes: list, predicates: list, env) -> list:
    for predicate in predicates:
        size = len(nodes)
        kept = []
        for position, node in enumerate(nodes, 1):
            if isinstance(node, Document):
                raise Fallback("the document node in a predicate")
            value = predicate(node, position, size, env)
            if isinstance(value, float) and not isinstance(value, bool):
                if value == position:
                    kept.append(node)
            elif to_boolean(value):
                kept.append(node)
        nodes = kept
    return nodes


def _matches(test: str):
    if test == "*":
        return lambda node: isinstance(node.tag, str)
    return lambda node: node.tag == test


def _steps(steps: list):
    """The steps of a path as one function: context nodes → result nodes."""
    functions, descendant = [], False
    for step in steps:
        if step == ("//",):
            descendant = True
            continue
        functions.append(_step(*step, descendant))
        descendant = False
    return functions


def _step(axis: str, test: str, predicates: list, after_descendant: bool):
    """One step: a node → its nodes along the axis, in the axis's order (reverse for
    the ancestors and preceding siblings, as positions count them)."""
    if after_descendant:  # a//b: b among the descendants of a
        if axis != "child":
            raise Unsupported(f"// before the {axis} axis")
        axis = "descendant"
        predicates = [_not_positional(p) for p in predicates]
    tag = None if test in ("*", "node") else test
    if axis == "attribute":
        def along(node):
            if isinstance(node, (str, Document)):
                raise Fallback("an attribute of a non-element")
            value = node.get(test)
            return [value] if value is not None else []
    elif axis == "child":
        def along(node):
            if isinstance(node, str):
                raise Fallback("a child of an attribute or text")
            if isinstance(node, Document):
                root = node.root
                return [root] if tag is None or root.tag == tag else []
            return list(node.iterchildren(tag) if tag else node.iterchildren(etree.Element))
    elif axis == "descendant":
        def along(node):
            if isinstance(node, str):
                raise Fallback("descendants of an attribute or text")
            if isinstance(node, Document):
                root = node.root
                return list(root.iter(tag) if tag else root.iter(etree.Element))
            found = list(node.iter(tag) if tag else node.iter(etree.Element))
            return found[1:] if found and found[0] is node else found
    elif axis == "descendant-or-self":
        raise Unsupported("descendant-or-self")
    elif axis == "self":
        def along(node):
            if isinstance(node, str):
                raise Fallback("self of an attribute or text")
            if isinstance(node, Document):
                return [node] if test == "node" else []
            return [node] if tag is None and (test == "node" or isinstance(node.tag, str)) \
                or node.tag == tag else []
    elif axis in ("parent", "ancestor", "ancestor-or-self"):
        def along(node):
            if isinstance(node, (str, Document)):
                raise Fallback("up from an attribute, text or the document")
            if axis == "parent":
                parent = node.getparent()
                found = [parent] if parent is not None else []
                if parent is None and test == "node":
                    return [Document(node)]
            else:
                found = list(node.iterancestors())
                if axis == "ancestor-or-self":
                    found.insert(0, node)
                if test == "node":
                    raise Fallback("ancestor::node() reaches the document")
            return [a for a in found if tag is None or a.tag == tag] if tag or test == "*" else found
    elif axis in ("following-sibling", "preceding-sibling"):
        preceding = axis == "preceding-sibling"

        def along(node):
            if isinstance(node, (str, Document)):
                raise Fallback("siblings of an attribute, text or the document")
            return list(node.itersiblings(tag, preceding=preceding) if tag else
                        node.itersiblings(etree.Element, preceding=preceding))
    else:
        raise Unsupported(axis)
    reverse = axis in ("ancestor", "ancestor-or-self", "preceding-sibling")
    return along, predicates, reverse, axis


def _not_positional(predicate):
    def test(n, p, s, e):
        value = predicate(n, p, s, e)
        if isinstance(value, float):
            raise Fallback("a positional predicate after //")  # its position is among siblings
        return value
    return test


NESTING = {"descendant", "ancestor", "ancestor-or-self"}  # axes whose nodes may hold one another
DISJOINT = {"child", "attribute", "self"}  # from contexts that do not, neither do their nodes


def _path(start, steps):
    """Steps from each context node in turn. Nodes are put in document order (and once
    each) only where they could be out of it: contexts that came from a function, or
    nodes of several contexts that may interleave."""
    def run(n, p, s, e):
        if start is None:
            nodes, ordered, nested = [n], True, False
        else:
            nodes = _node_set(start(n, p, s, e))
            ordered, nested = len(nodes) < 2, False
        for along, predicates, reverse, axis in steps:
            if len(nodes) == 1:
                found = along(nodes[0])
                if predicates:
                    found = _filter(found, predicates, e)
                if reverse and len(found) > 1:
                    found.reverse()  # the result in document order
                nodes, ordered, nested = found, True, axis in NESTING
                continue
            if not ordered:
                nodes = _document_order(nodes)  # contexts in document order, as libxml2 takes them
                nested = True
            out = []
            for node in nodes:
                found = along(node)
                if predicates:
                    found = _filter(found, predicates, e)
                if reverse:
                    found.reverse()
                out.extend(found)
            if len(out) > 1 and axis != "attribute" and (nested or axis not in DISJOINT):
                out = _document_order(out)
            nodes, ordered, nested = out, True, nested or axis in NESTING
        return nodes
    return run


def _document_order(nodes: list) -> list:
    """Nodes once each in document order; from several contexts, only when the contexts
    cannot interleave (one parent's children, attributes in their elements' order)."""
    if any(not isinstance(n, etree._Element) for n in nodes):
        raise Fallback("text or the document among nodes to order")
    unique = list(dict.fromkeys(nodes))
    keys = [_position(n) for n in unique]
    if keys != sorted(keys):
        return [n for _, n in sorted(zip(keys, unique), key=lambda pair: pair[0])]
    return unique


def _position(node) -> tuple:
    path = []
    while True:
        parent = node.getparent()
        if parent is None:
            path.append(0)
            break
        path.append(parent.index(node))
        node = parent
    path.reverse()
    return tuple(path)


def _extension(name: str, args: list):
    function = LIBRARY[name]
    def run(n, p, s, e):
        values = [a(n, p, s, e) for a in args]
        for value in values:
            if isinstance(value, list) and any(isinstance(v, Document) for v in value):
                if name not in ("id", "document-uri"):  # both pass the document over
                    raise Fallback("the document node as an argument")
                values = [v if not (isinstance(v, list) and any(isinstance(i, Document) for i in v)) else []
                          for v in values]
                break
        return _returned(function(None, *values), n)
    return run


def _returned(result, n):
    """An extension function's value as lxml would hand it back to the expression."""
    if isinstance(result, list):
        root = None
        for item in result:
            if isinstance(item, etree._Element):
                if root is None:
                    root = (n.root if isinstance(n, Document) else n).getroottree().getroot()
                if item.getroottree().getroot() is not root:
                    raise Fallback("an element of another document")  # lxml copies it in
        return [r if isinstance(r, (str, etree._Element)) else str(r) for r in result]
    if isinstance(result, int) and not isinstance(result, bool):
        return float(result)
    return result


def _variable(name: str):
    """pmx:var(name): what _extension("var", …) returns, without its look at the arguments
    (a string literal is never the document node)."""
    def run(n, p, s, e):
        return _returned(FRAME.get()["variables"][name], n)
    return run


# --- XPath 1.0's own functions (§4) -------------------------------------------------
def _arity(args: list, *allowed: int) -> None:
    if len(args) not in allowed:
        raise Unsupported("arity")


def _string_argument(args: list):
    _arity(args, 0, 1)
    if not args:
        return lambda n, p, s, e: string_value(n)
    inner = args[0]
    return lambda n, p, s, e: to_string(inner(n, p, s, e))


def _boolean(args):
    _arity(args, 1)
    inner = args[0]
    return lambda n, p, s, e: to_boolean(inner(n, p, s, e))


def _not(args):
    _arity(args, 1)
    inner = args[0]
    return lambda n, p, s, e: not to_boolean(inner(n, p, s, e))


def _count(args):
    _arity(args, 1)
    inner = args[0]
    return lambda n, p, s, e: float(len(_node_set(inner(n, p, s, e))))


def _concat(args):
    if len(args) < 2:
        raise Unsupported("concat arity")
    return lambda n, p, s, e: "".join(to_string(a(n, p, s, e)) for a in args)


def _two_strings(operation):
    def make(args):
        _arity(args, 2)
        first, second = args
        return lambda n, p, s, e: operation(to_string(first(n, p, s, e)), to_string(second(n, p, s, e)))
    return make


def _after(text: str, part: str) -> str:
    at = text.find(part)
    return text[at + len(part):] if at >= 0 else ""


def _before(text: str, part: str) -> str:
    at = text.find(part)
    return text[:at] if at >= 0 else ""


_XML_SPACE = re.compile(r"[ \t\n\r]+")


def _normalize_space(args):
    value = _string_argument(args)

    def run(n, p, s, e):
        text = value(n, p, s, e).strip(" \t\n\r")
        return _XML_SPACE.sub(" ", text)
    return run


def _string_length(args):
    value = _string_argument(args)
    return lambda n, p, s, e: float(len(value(n, p, s, e)))


def _constant(result):
    def make(args):
        _arity(args, 0)
        return lambda n, p, s, e: result
    return make


def _position_function(args):
    _arity(args, 0)
    return lambda n, p, s, e: float(p)


def _last(args):
    _arity(args, 0)
    return lambda n, p, s, e: float(s)


CORE = {
    "boolean": _boolean, "not": _not, "count": _count, "concat": _concat,
    "string": _string_argument, "normalize-space": _normalize_space, "string-length": _string_length,
    "contains": _two_strings(lambda a, b: b in a), "starts-with": _two_strings(lambda a, b: a.startswith(b)),
    "substring-after": _two_strings(_after), "substring-before": _two_strings(_before),
    "true": _constant(True), "false": _constant(False), "position": _position_function, "last": _last,
}


def compile_native(text: str, namespaces: dict[str, str]):
    """(node, env) → the value, evaluated here; None when lxml must evaluate `text`."""
    try:
        run = Parser(text, namespaces).whole()
    except (Unsupported, IndexError):
        return None

    def evaluate(node, env):
        return run(node, 1, 1, env)
    return evaluate


# --- what an expression reads of its context node ------------------------------------
OPERATOR_NAMES = {"and", "or", "div", "mod"}
CONTEXT_FUNCTIONS = {"lang"}  # read the context node whatever their arguments


def attributes_read(text: str, namespaces: dict[str, str]) -> set[str] | None:
    """The attributes of the context node an XPath reads, when that is all it reads of the
    context: every path starts at an attribute of it, at the document, at a function's
    value or at a variable (never at `.`, an element step, or a function that reads the
    context, such as position(), string() or lang()). None: it may read more, or the text
    is not understood here. Its value is then the same for every context node of one
    document with the same values of those attributes (engine.Renderer keeps it so)."""
    try:
        tokens = tokenize(text)
    except Unsupported:
        return None
    found = set()
    for i, (kind, value) in enumerate(tokens):
        before = tokens[i - 1] if i else ("op", "(")
        after = tokens[i + 1][1] if i + 1 < len(tokens) else ""
        operand_before = before[0] in ("name", "string", "number", "var") or before[1] in (")", "]", ".", "..")
        if kind == "name":
            if value in OPERATOR_NAMES and operand_before and before[1] not in ("@", "::"):
                continue  # an operator
            if after == "(":
                if value in NODE_TYPES or value in CONTEXT_FUNCTIONS:
                    return None
                if tokens[i + 2][1] == ")" and value not in ("true", "false") and not value.endswith(":document-uri"):
                    return None  # a function of the context node (position(), string(), name()…)
                continue
            if before[1] == "@":
                if i >= 2 and tokens[i - 2][1] in ("/", "//"):
                    continue  # an attribute of nodes found before
                name = _attribute(value, namespaces)
                if name is None:
                    return None
                found.add(name)
                continue
            if before[1] in ("/", "//"):
                continue  # a step from nodes found before
            return None  # an element step from the context (or an axis)
        if kind == "op":
            if value in (".", "..", "::"):
                return None
            if value == "*" and not operand_before and before[1] not in ("/", "//"):
                return None  # a wildcard step from the context
            if value == "@" and (after == "*" or after == ""):
                return None
    return found


def _attribute(name: str, namespaces: dict[str, str]) -> str | None:
    if ":" not in name:
        return name
    prefix, local = name.split(":", 1)
    uri = XML_NS if prefix == "xml" else namespaces.get(prefix)
    return f"{{{uri}}}{local}" if uri and local != "*" else None
