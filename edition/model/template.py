"""A TEI Publisher pb:template + a model's rendered params → the HTML content it stands for.

TEI Publisher lets a model carry a template (markup or text) in which
`[[name]]` stands for the param `name`, rendered; the behaviour then wraps
the expanded template as its content. Placeholders in attribute values take
the params' plain text. The expansion is `Rendered`, which the engine puts
into its output as it is.
"""
from __future__ import annotations

import copy
import re

from lxml import etree

from .behaviours.markup import append, plain

PLACEHOLDER = re.compile(r"\[\[\s*([\w.\-]+)\s*\]\]")


class Rendered(list):
    """Items that are output already (HTML), not TEI to render."""


def placeholders(template) -> set[str]:
    """The param names a template uses (a template without [[content]] drops the content)."""
    found = set()
    for node in template.iter():
        for text in (node.text, node.tail if node is not template else None, *node.attrib.values()):
            found.update(PLACEHOLDER.findall(text or ""))
    return found


def expand(template, values: dict[str, list]) -> Rendered:
    """`values`: each param's rendered items (the "content" param among them)."""
    out = Rendered()
    _text(template.text, values, out)
    for child in template:
        if isinstance(child.tag, str):
            out.append(_copy(child, values))
        _text(child.tail, values, out)
    return out


def _copy(source, values) -> etree._Element:
    tag = etree.QName(source).localname if source.tag.startswith("{") else source.tag
    attributes = {etree.QName(name).localname: PLACEHOLDER.sub(lambda m: plain(values.get(m[1], [])), value)
                  for name, value in source.attrib.items()}
    out = etree.Element(tag, attributes)
    items: list = []
    _text(source.text, values, items)
    for child in source:
        if isinstance(child.tag, str):
            items.append(_copy(child, values))
        _text(child.tail, values, items)
    append(out, items)
    return out


def _text(text: str | None, values, out: list) -> None:
    if not text:
        return
    position = 0
    for match in PLACEHOLDER.finditer(text):
        out.append(text[position:match.start()])
        out.extend(copy.deepcopy(i) if isinstance(i, etree._Element) else i for i in values.get(match[1], []))
        position = match.end()
    out.append(text[position:])
