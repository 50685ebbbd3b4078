"""An edited lxml tree → the file's bytes with only the touched elements rewritten.

lxml re-serialises a whole document in its own way (attribute quotes,
character references, empty elements, white space inside tags), so writing the
tree back would touch lines nobody edited. Instead the original bytes are
indexed (the byte span of every node, in document order, matched to the
parsed tree), each node's *shell* — tag, attributes, text, its children and
their tails — is fingerprinted before the edit, and after it the document is
written by copying every untouched subtree verbatim from the original and
serialising only the nodes whose shell changed (and nodes that are new).

`Snapshot(data, tree)` is taken before an operation runs; `snapshot.render()`
afterwards gives the new bytes. `render` checks its own output: it must parse
to the same canonical XML (C14N) as the edited tree, or nothing is written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from ..xmlio import XML_NS

# One token of XML markup; attribute values may contain ">".
_TOKEN = re.compile(r"""
    (?P<comment><!--.*?-->)
  | (?P<cdata><!\[CDATA\[.*?\]\]>)
  | (?P<pi><\?.*?\?>)
  | (?P<doctype><!DOCTYPE(?:[^\[>]|\[.*?\])*>)
  | (?P<end></[^>]*>)
  | (?P<start><[^\s/>!?][^\s/>]*(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(?P<empty>/?)>)
""", re.S | re.X)


@dataclass
class Span:
    start: int        # first character of the node's markup
    head_end: int     # end of the start tag (== end for comments, PIs, empty elements)
    end: int          # one past the end tag
    empty: bool = False


def index_spans(text: str) -> list[Span]:
    """Spans of every element, comment and PI inside the root, in document order."""
    spans: list[Span] = []
    stack: list[Span] = []
    for match in _TOKEN.finditer(text):
        kind = next(k for k in ("comment", "cdata", "pi", "doctype", "end", "start") if match.group(k))
        if kind == "start":
            empty = bool(match.group("empty"))
            span = Span(match.start(), match.end(), match.end(), empty)
            spans.append(span)
            if not empty:
                stack.append(span)
        elif kind == "end":
            stack.pop().end = match.end()
        elif kind in ("comment", "pi") and stack:
            spans.append(Span(match.start(), match.end(), match.end(), True))
    return spans


def _nodes(root) -> list:
    return list(root.iter())  # elements, comments and PIs of the root, in document order


def _shell(node) -> tuple:
    if not isinstance(node.tag, str):
        return (node.tag, node.text)
    return (node.tag, tuple(node.attrib.items()), node.text,
            tuple((id(child), child.tail) for child in node))


class Snapshot:
    """The state of a document before an edit: its bytes, spans and shells."""

    def __init__(self, data: bytes, tree):
        self.data, self.tree = data, tree
        self.text = data.decode("utf-8")
        root = tree.getroot()
        nodes = _nodes(root)
        spans = index_spans(self.text)
        if len(spans) != len(nodes):
            raise ValueError(f"could not index the file's markup ({len(spans)} tags for {len(nodes)} nodes)")
        self.keep = nodes  # holding the proxies keeps their ids stable
        self.spans = {id(n): s for n, s in zip(nodes, spans)}
        self.shells = {id(n): _shell(n) for n in nodes}
        self.clean_cache: dict[int, bool] = {}

    # --- after the edit -----------------------------------------------------------
    def render(self) -> bytes:
        root = self.tree.getroot()
        span = self.spans.get(id(root))
        if span is None:
            raise ValueError("the root element was replaced")
        self.clean_cache = {}
        out = self.text[:span.start] + self._node(root) + self.text[span.end:]
        data = out.encode("utf-8")
        _verify(data, self.tree)
        return data

    def changed_nodes(self) -> list:
        """The nodes whose own shell changed (for reports and tests)."""
        return [n for n in _nodes(self.tree.getroot())
                if id(n) in self.shells and self.shells[id(n)] != _shell(n)]

    def _clean(self, node) -> bool:
        key = id(node)
        if key not in self.clean_cache:
            self.clean_cache[key] = (key in self.shells and self.shells[key] == _shell(node)
                                     and all(self._clean(c) for c in node))
        return self.clean_cache[key]

    def _node(self, node) -> str:
        span = self.spans.get(id(node))
        if span is not None and self._clean(node):
            return self.text[span.start:span.end]
        if not isinstance(node.tag, str):
            return etree.tostring(node, encoding="unicode", with_tail=False)
        if span is not None and self.shells[id(node)] == _shell(node):
            return self._same_shell(node, span)
        return self._new_shell(node, span)

    def _same_shell(self, node, span: Span) -> str:
        """Markup and text verbatim; only the children that changed are rewritten."""
        children = list(node)
        out, position = [], span.head_end
        for child in children:
            child_span = self.spans[id(child)]
            out.append(self.text[position:child_span.start])
            out.append(self._node(child))
            position = child_span.end
        out.append(self.text[position:span.end])
        return self.text[span.start:span.head_end] + "".join(out)

    def _new_shell(self, node, span: Span | None) -> str:
        same_head = (span is not None and not span.empty
                     and self.shells[id(node)][:2] == _shell(node)[:2])
        head = self.text[span.start:span.head_end] if same_head else _start_tag(node)
        if not same_head and not len(node) and not node.text:
            return head[:-1] + "/>"
        parts = [head, _escape_text(node.text or "")]
        for child in node:
            parts.append(self._node(child))
            parts.append(_escape_text(child.tail or ""))
        parts.append(f"</{_qname(node, node.tag)}>")
        return "".join(parts)


def _qname(node, clark: str, attribute: bool = False) -> str:
    if not clark.startswith("{"):
        return clark
    namespace, local = clark[1:].split("}", 1)
    if namespace == XML_NS:
        return f"xml:{local}"
    for prefix, uri in (node.nsmap or {}).items():
        if uri == namespace and (prefix or not attribute):
            return f"{prefix}:{local}" if prefix else local
    raise ValueError(f"no prefix in scope for {clark}")


def _start_tag(node) -> str:
    attributes = "".join(f' {_qname(node, k, True)}="{_escape_attribute(v)}"'
                         for k, v in node.attrib.items())
    declarations = ""
    parent = node.getparent()
    inherited = parent.nsmap if parent is not None else {}
    for prefix, uri in (node.nsmap or {}).items():
        if inherited.get(prefix) != uri:
            declarations += f' xmlns:{prefix}="{uri}"' if prefix else f' xmlns="{uri}"'
    return f"<{_qname(node, node.tag)}{declarations}{attributes}>"


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _escape_attribute(value: str) -> str:
    return (_escape_text(value).replace('"', "&quot;").replace("\n", "&#10;")
            .replace("\t", "&#9;"))


def _verify(data: bytes, tree) -> None:
    """The spliced bytes must mean exactly the edited tree (else a bug: write nothing)."""
    from ..xmlio import safe_parser
    reparsed = etree.fromstring(data, safe_parser())
    if etree.tostring(reparsed, method="c14n") != etree.tostring(tree.getroot(), method="c14n"):
        raise AssertionError("the minimal serialisation does not match the edited document")
