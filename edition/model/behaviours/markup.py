"""Rendered content (strings and HTML elements) → HTML elements: the behaviours' toolkit.

A behaviour receives its param values as sequences (lists of TEI elements,
strings, numbers) and returns a list of items: strings and lxml HTML elements
(no namespace). `element` makes one output element with the stable hooks every
element carries: its classes, the TEI xml:id as id (once per page) and
xml:lang as lang, with dir from its script (languages.py): rtl for a
right-to-left script, ltr for a left-to-right one inside right-to-left text.
"""
from __future__ import annotations

from functools import lru_cache

from lxml import etree

from ...xmlio import XML_ID, XML_LANG
from ..languages import direction

INTERACTIVE = {"a", "button", "input", "select", "textarea", "details", "label", "iframe", "audio", "video"}


def element(ctx, tag: str, node, classes, items=(), attrs: dict | None = None,
            identify: bool = True) -> etree._Element:
    out = etree.Element(tag)
    if classes:
        out.set("class", _class_value(tuple(classes)))
    if identify and node is not None and node.attrib:
        identity(ctx, node, out)
    if attrs:
        for name, value in attrs.items():
            if value is not None and value != "":
                out.set(name, str(value))
    if items:
        append(out, items)
    return out


@lru_cache(maxsize=4096)
def _class_value(classes: tuple) -> str:
    """The class attribute: each class once, in order (few distinct lists: cached)."""
    return " ".join(dict.fromkeys(filter(None, classes)))


def identity(ctx, node, out) -> None:
    """xml:id → id (the first rendering only: ids are unique), xml:lang → lang."""
    xml_id = node.get(XML_ID)
    if xml_id:
        claimed = ctx.claim_id(xml_id)
        if claimed:
            out.set("id", claimed)
    lang = node.get(XML_LANG)
    if lang:
        out.set("lang", lang)
        way = direction(lang, node)
        if way == "rtl" or (way == "ltr" and _inherited(node) == "rtl"):
            out.set("dir", way)


def _inherited(node) -> str | None:
    """The direction the element's output inherits: that of the nearest TEI
    ancestor with a language (by its tag: its script, else its language's usual script)."""
    tag = next((a.get(XML_LANG) for a in node.iterancestors() if a.get(XML_LANG)), None)
    return direction(tag) if tag else None



def append(parent, items) -> None:
    """Append rendered items: strings join the text, elements become children.
    Runs of strings are joined once (lxml's text and tail are copied on each set)."""
    last = parent[-1] if len(parent) else None
    run: list[str] = []
    for item in items:
        if isinstance(item, etree._Element):
            if run:
                _add_text(parent, last, run)
                run = []
            parent.append(item)
            last = item
        elif item is not None and item != "":
            run.append(item if isinstance(item, str) else str(item))
    if run:
        _add_text(parent, last, run)


def _add_text(parent, last, run: list[str]) -> None:
    joined = "".join(run)
    if last is None:
        parent.text = (parent.text or "") + joined
    else:
        last.tail = (last.tail or "") + joined


def text(value) -> str:
    """A param value as one string (string-join of the items' string values)."""
    parts = []
    for item in value if isinstance(value, (list, tuple)) else [value]:
        if isinstance(item, etree._Element):
            parts.append("".join(item.itertext()) if isinstance(item.tag, str) else "")
        elif isinstance(item, bool):
            parts.append("true" if item else "false")
        elif isinstance(item, float):
            parts.append(str(int(item)) if item.is_integer() else str(item))
        elif item is not None:
            parts.append(str(item))
    return "".join(parts).strip()


def data_attributes(optional: dict) -> dict:
    """Params a behaviour does not name become data-* attributes (for scripts, CSS)."""
    if not optional:
        return {}
    return {f"data-{name}": text(value) for name, value in optional.items() if text(value)}


def interactive(items) -> bool:
    """Whether rendered items hold links, buttons or popovers (which a button may not)."""
    for item in items:
        if isinstance(item, etree._Element):
            if any(e.tag in INTERACTIVE or e.get("popover") is not None for e in item.iter()):
                return True
    return False


def plain(items) -> str:
    """The text of rendered items."""
    return "".join(item if isinstance(item, str) else "".join(item.itertext()) for item in items
                   if isinstance(item, (str, etree._Element)))


def leftover(node, *values) -> list:
    """The child elements of `node` that none of the param values holds: what an
    alternate made of some children (an app's lem and rdg) would otherwise drop
    (the app's note, its witDetail). The node itself among the values holds all."""
    chosen = {id(item) for value in values for item in (value or ()) if isinstance(item, etree._Element)}
    if id(node) in chosen or any(id(a) in chosen for a in node.iterancestors()):
        return []
    return [child for child in node if isinstance(child.tag, str) and id(child) not in chosen]
