"""Words in a sentence → element positions: find, wrap, unwrap, retext.

Offsets count characters of an element's *original reading* (the text
`edition text` gives back: sic/orig, not corr/reg; notes count for nothing),
so a selection means the same words in the CLI ("words" + --nth) and in the
browser (a range over the displayed reading). Wrapping never moves a
character: it splits text nodes and moves whole elements, so the lossless
guard holds by construction; `apply` checks it anyway.
"""
from __future__ import annotations

from lxml import etree

from ..diagnostics import UsageProblem
from ..sources.reading import EDITORIAL, element_text
from ..xmlio import XML_ID, tei

# Elements a selection may not go inside: each is read as one unit.
ATOMIC = {tei(n) for n in ("choice", "ref", "ptr", "note", "gap", "lb", "pb", "anchor")} | EDITORIAL


def reading(element) -> str:
    return element_text(element)


def ranges(container) -> dict[int, tuple[int, int]]:
    """Reading range [start, end) of every node inside `container` (by id())."""
    found: dict[int, tuple[int, int]] = {}

    def walk(node, position: int) -> int:
        start = position
        if isinstance(node.tag, str) and (node.tag not in EDITORIAL or node is container):
            position += len(node.text or "")
            for child in node:
                position = walk(child, position)
                position += len(child.tail or "")
        found[id(node)] = (start, position)
        return position

    walk(container, 0)
    return found


def offset_of(container, element) -> tuple[int, int]:
    return ranges(container)[id(element)]


def find_phrase(element, phrase: str, nth: int = 1) -> tuple[int, int]:
    """(start, end) of the nth occurrence of `phrase` in the element's reading."""
    text, start = reading(element), -1
    for _ in range(max(nth, 1)):
        start = text.find(phrase, start + 1) if phrase else -1
        if start < 0:
            break
    if start < 0:
        count = text.count(phrase) if phrase else 0
        more = f"; there is no occurrence {nth}" if count else ""
        raise UsageProblem(f'"{phrase}" occurs {count} time(s) in {element.get(XML_ID)}{more}')
    return start, start + len(phrase)


def pieces(element) -> list:
    """The element's content as a list of strings and child nodes."""
    out = [element.text] if element.text else []
    for child in element:
        out.append(child)
        if child.tail:
            out.append(child.tail)
    return out


def set_pieces(element, content: list) -> None:
    """Replace the element's content by strings and nodes (tails rebuilt)."""
    for child in list(element):
        child.tail = None
        element.remove(child)
    element.text, last = None, None
    for piece in content:
        if isinstance(piece, str):
            if last is None:
                element.text = (element.text or "") + piece
            else:
                last.tail = (last.tail or "") + piece
        else:
            piece.tail = None
            element.append(piece)
            last = piece


def _length(node) -> int:
    return 0 if not isinstance(node.tag, str) or node.tag in EDITORIAL else len(element_text(node))


def wrap(container, start: int, end: int, tag: str, attributes: dict):
    """Wrap the reading range [start, end) of `container` in a new element.
    Goes down into a child that holds the whole range (unless it covers the
    child exactly: then the child is wrapped); refuses a range that crosses
    an element's edge."""
    if not 0 <= start < end:
        raise UsageProblem("select at least one character")
    if end > len(reading(container)):
        raise UsageProblem("the selection runs past the end of the element")
    position = len(container.text or "")
    for child in container:
        a, b = position, position + _length(child)
        if a <= start and end <= b and (a, b) != (start, end) and child.tag not in ATOMIC:
            return wrap(child, start - a, end - a, tag, attributes)
        if a < start < b or a < end < b:
            name = etree.QName(child).localname
            raise UsageProblem(f'the selection crosses the edge of <{name}> "{reading(child)}": '
                               "select all of it, or only words inside it")
        position = b + len(child.tail or "")
    new = etree.SubElement(container, tag, attributes)
    container.remove(new)
    before, inside, after = _cut(pieces(container), start, end)
    set_pieces(new, inside)
    set_pieces(container, before + [new] + after)
    return new


def _cut(content: list, start: int, end: int):
    before, inside, after, position = [], [], [], 0
    for piece in content:
        if isinstance(piece, str):
            a, b = position, position + len(piece)
            before.append(piece[:max(0, min(b, start) - a)])
            inside.append(piece[max(0, start - a):max(0, min(b, end) - a)] if a < end and b > start else "")
            after.append(piece[max(0, end - a):] if b > end else "")
            position = b
            continue
        length = _length(piece)
        a, b = position, position + length
        if length:
            target = before if b <= start else after if a >= end else inside
        else:  # a note or other zero-width piece stays outside at the edges
            target = before if a <= start else after if a >= end else inside
        target.append(piece)
        position = b
    clean = lambda items: [p for p in items if not (isinstance(p, str) and not p)]  # noqa: E731
    return clean(before), clean(inside), clean(after)


def unwrap(element) -> None:
    """Remove an element, keeping its content (text and children) in place."""
    parent = element.getparent()
    content = []
    for piece in pieces(parent):
        if piece is element:
            content.extend(pieces(element))  # its tail follows as the next piece
        else:
            content.append(piece)
    set_pieces(parent, content)


def unwrap_choice(choice) -> None:
    """Remove a <choice>, keeping the original reading (sic/orig/abbr) in place."""
    keep = [c for c in choice if c.tag in (tei("sic"), tei("orig"), tei("abbr"))]
    parent = choice.getparent()
    content = []
    for piece in pieces(parent):
        if piece is choice:
            for part in keep:
                content.extend(pieces(part))
        else:
            content.append(piece)
    set_pieces(parent, content)
