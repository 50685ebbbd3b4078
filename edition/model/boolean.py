"""Predicates (an XPath in boolean context) compiled into one Python test of an element.

A model's predicate is asked of every element of its name (issue 15: the
dispatch of each element tries its models' predicates in turn). native.py
evaluates an XPath as XPath does, node-sets first and their boolean value
after: `ancestor::tei:listApp or ancestor::tei:div[@type='apparatus']` makes
the lists of both ancestors and a dozen Python calls. Asked only whether a
path leads anywhere, it can stop at the first node: `compile_test` returns
such a test (element → bool) for the predicates of processing models (paths
on the child, parent, ancestor, self and sibling axes with tag or `*` tests,
filters, a positional `[n]`, an attribute compared with a string, and/or/not),
or None when the text uses anything else (then native.py or lxml answer, as
before). tests/model/test_boolean.py checks every test against lxml's XPath.
"""
from __future__ import annotations

from itertools import islice

from lxml import etree

from ..xmlio import XML_NS
from .native import Tokens, Unsupported, tokenize

ELEMENT = etree.Element  # as a tag filter of lxml's iterators: elements only (no comments, PIs)
AXES = {"child", "parent", "ancestor", "ancestor-or-self", "self", "following-sibling", "preceding-sibling"}


def compile_test(text: str, namespaces: dict[str, str]):
    """`boolean(…)` → a function element → bool equal to XPath's, or None."""
    try:
        parser = _Parser(tokenize(text), namespaces)
        test = parser.boolean()
        if parser.kind != "end":
            raise Unsupported("unexpected text")
    except (Unsupported, IndexError):
        return None
    return test


class _Parser(Tokens):
    def peek(self, ahead: int = 1) -> str:
        return self.tokens[self.i + ahead][1] if self.i + ahead < len(self.tokens) else ""

    # --- boolean expressions
    def boolean(self):
        parts = [self.conjunction()]
        while self.at("or"):
            self.i += 1
            parts.append(self.conjunction())
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2:
            first, second = parts
            return lambda node: first(node) or second(node)
        return lambda node: any(part(node) for part in parts)

    def conjunction(self):
        parts = [self.unary()]
        while self.at("and"):
            self.i += 1
            parts.append(self.unary())
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2:
            first, second = parts
            return lambda node: first(node) and second(node)
        return lambda node: all(part(node) for part in parts)

    def unary(self):
        if self.kind == "name" and self.value in ("not", "boolean", "true", "false") and self.peek() == "(":
            name = self.value
            self.i += 2
            if name in ("true", "false"):
                self.expect(")")
                return (lambda node: True) if name == "true" else (lambda node: False)
            inner = self.boolean()
            self.expect(")")
            return (lambda node: not inner(node)) if name == "not" else inner
        if self.at("("):
            self.i += 1
            inner = self.boolean()
            self.expect(")")
            if self.kind == "op" and self.value in ("=", "!=", "<", ">", "<=", ">=", "/", "[", "|"):
                raise Unsupported("a parenthesised operand")
            return inner
        return self.comparison()

    def comparison(self):
        nodes, attribute = self.path()
        if self.kind == "op" and self.value in ("=", "!="):
            operator = self.value
            self.i += 1
            if self.kind != "string":
                raise Unsupported("a comparison with other than a string")
            wanted = self.value[1:-1]
            self.i += 1
            if attribute is None:
                raise Unsupported("the string value of an element")  # (comments, PIs: lxml's business)
            if nodes is None:  # an attribute of the context node
                if operator == "=":
                    return lambda node: node.get(attribute) == wanted
                return lambda node: (value := node.get(attribute)) is not None and value != wanted
            if operator == "=":
                return lambda node: any(n.get(attribute) == wanted for n in nodes(node))
            return lambda node: any((v := n.get(attribute)) is not None and v != wanted for n in nodes(node))
        if self.kind == "op" and self.value in ("<", ">", "<=", ">=", "|", "+", "-", "*"):
            raise Unsupported("an operator")
        if attribute is None:
            return lambda node: next(nodes(node), None) is not None
        if nodes is None:
            return lambda node: attribute in node.attrib
        return lambda node: any(attribute in n.attrib for n in nodes(node))

    # --- paths: (element → iterator of elements, or None for the context node itself; final attribute)
    def path(self):
        steps, attribute = [], None
        while True:
            if self.at("@"):
                self.i += 1
                attribute = self.attribute_name()
                if self.at("["):
                    raise Unsupported("a predicate on an attribute")
                break
            if self.kind == "name" and self.value == "attribute" and self.peek() == "::":
                self.i += 2
                attribute = self.attribute_name()
                if self.at("["):
                    raise Unsupported("a predicate on an attribute")
                break
            steps.append(self.step())
            if self.kind == "op" and self.value == "/":
                self.i += 1
                continue
            break
        if self.kind == "op" and self.value in ("/", "//"):
            raise Unsupported("a step after an attribute, or //")
        return _chain(steps), attribute

    def step(self):
        if self.at("."):
            self.i += 1
            return _self(None)
        if self.at(".."):
            raise Unsupported("..")  # the root's parent is the document node: lxml's business
        axis = "child"
        if self.kind == "name" and self.peek() == "::":
            axis = self.value
            if axis not in AXES:
                raise Unsupported(f"the {axis} axis")
            self.i += 2
        if self.at("*"):
            self.i += 1
            tag = None
        elif self.kind == "name" and self.peek() != "(":
            tag = self.qualified(self.value)
            self.i += 1
        else:
            raise Unsupported("a node test")
        along = {"child": _child, "parent": _parent, "ancestor": _ancestor, "ancestor-or-self": _ancestor_or_self,
                 "self": _self, "following-sibling": _following, "preceding-sibling": _preceding}[axis](tag)
        while self.at("["):
            self.i += 1
            if self.kind == "number" and self.peek() == "]" and self.value.isdigit():
                along = _nth(along, int(self.value))
                self.i += 1
            else:
                along = _where(along, self.boolean())
            self.expect("]")
        return along

    def qualified(self, name: str) -> str:
        if ":" not in name:
            return name  # no namespace (XPath 1.0)
        prefix, local = name.split(":", 1)
        if prefix not in self.namespaces or local == "*" or not local:
            raise Unsupported(f"the prefix {prefix}")
        return f"{{{self.namespaces[prefix]}}}{local}"

    def attribute_name(self) -> str:
        if self.kind != "name" or self.peek() == "(":
            raise Unsupported("@*")
        name = self.value
        self.i += 1
        if ":" not in name:
            return name
        prefix, local = name.split(":", 1)
        uri = XML_NS if prefix == "xml" else self.namespaces.get(prefix)
        if uri is None or local == "*" or not local:
            raise Unsupported(f"the prefix {prefix}")
        return f"{{{uri}}}{local}"


# --- axes: element → its elements along the axis, in the axis's order (nearest first
# for the reverse axes, as a positional predicate counts them)
def _child(tag):
    if tag is None:
        return lambda node: node.iterchildren(ELEMENT)
    return lambda node: node.iterchildren(tag)


def _parent(tag):
    def along(node):
        parent = node.getparent()
        if parent is not None and (tag is None or parent.tag == tag):
            yield parent
    return along


def _ancestor(tag):
    if tag is None:
        return lambda node: node.iterancestors()
    return lambda node: node.iterancestors(tag)


def _ancestor_or_self(tag):
    def along(node):
        if tag is None or node.tag == tag:
            yield node
        yield from (node.iterancestors(tag) if tag is not None else node.iterancestors())
    return along


def _self(tag):
    def along(node):
        if tag is None or node.tag == tag:
            yield node
    return along


def _following(tag):
    return lambda node: node.itersiblings(tag if tag is not None else ELEMENT)


def _preceding(tag):
    return lambda node: node.itersiblings(tag if tag is not None else ELEMENT, preceding=True)


def _nth(along, n: int):
    return lambda node: islice(along(node), n - 1, n)


def _where(along, test):
    return lambda node: (n for n in along(node) if test(n))


def _chain(steps):
    """Steps in turn (in boolean context the order and duplicates do not matter); None: no step."""
    if not steps:
        return None
    if len(steps) == 1:
        return steps[0]
    first, rest = steps[0], _chain(steps[1:])
    return lambda node: (found for n in first(node) for found in rest(n))
