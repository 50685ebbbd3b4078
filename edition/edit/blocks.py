"""New block elements (a note, a register entry, a change) → placed and indented
like their siblings, so that the file reads as if an editor had typed them."""
from __future__ import annotations

import re

from lxml import etree

from ..xmlio import XML_ID, tei


def indentation(parent) -> tuple[str, str]:
    """(white space before each child, white space before the end tag)."""
    children = list(parent)
    if children:
        inner = (children[-2].tail if len(children) > 1 else parent.text) or "\n"
        return inner, children[-1].tail or "\n"
    previous, grand = parent.getprevious(), parent.getparent()
    before = previous.tail if previous is not None else (grand.text if grand is not None else None)
    outer = "\n" + (before or "\n").rsplit("\n", 1)[-1]  # the white space the parent is indented by
    return outer + "  ", outer


def append_block(parent, new, after=None) -> None:
    """Append `new` to `parent` (or put it after the child `after`), indented."""
    inner, closing = indentation(parent)
    children = list(parent)
    if not children:
        parent.text = inner
        parent.append(new)
        new.tail = closing
    elif after is not None and after is not children[-1]:
        after.addnext(new)
        new.tail = inner
    else:
        children[-1].tail = inner
        parent.append(new)
        new.tail = closing
    indent_inside(new, inner)


def indent_inside(element, outer: str) -> None:
    """Pretty-print a new element's block children one level under `outer`."""
    blocks = [c for c in element if c.get("_block") == "1"]
    for child in element:
        child.attrib.pop("_block", None)
    if not blocks:
        return
    inner = outer + "  "
    element.text = inner
    for index, child in enumerate(blocks):
        child.tail = inner if index < len(blocks) - 1 else outer
        indent_inside(child, inner)


def block(parent, tag: str, attributes: dict | None = None, text: str | None = None):
    """A child to be laid out on a line of its own (see indent_inside)."""
    element = etree.SubElement(parent, tei(tag), {**(attributes or {}), "_block": "1"})
    element.text = text
    return element


def next_id(root, stem: str) -> str:
    """The next free xml:id "stemN" in a document (max + 1, never reusing a gap)."""
    pattern = re.compile(re.escape(stem) + r"(\d+)$")
    numbers = [int(m.group(1)) for e in root.iter() if isinstance(e.tag, str)
               for m in [pattern.match(e.get(XML_ID) or "")] if m]
    return f"{stem}{max(numbers, default=0) + 1}"
