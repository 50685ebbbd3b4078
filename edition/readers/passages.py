"""Parts rendered whole → their text units, for what reads a source unit by unit
(the site's search, the plain-text export): the outermost paragraph-like
elements (p, ab, l, head, opener, closer …, list items), and the text no such
unit holds (a note, a cell) as units of their own, in document order."""
from __future__ import annotations

from ..xmlio import XML_ID
from .align import LEVELS, leftovers, units_of

NAMES = LEVELS[2] + ("item", "speaker", "stage", "bibl", "entry", "entryFree", "superEntry")


def passages(parts) -> list:
    """The text units of `parts`, in document order."""
    found = []
    for part in parts:
        units = units_of(part, NAMES)
        if not units:
            found.append(part)
            continue
        rest = leftovers(part, units)
        order = {e: i for i, e in enumerate(part.iter())}
        found += sorted(units + rest, key=lambda e: order[e])
    return found


def anchor(element) -> str:
    """The xml:id of the element or its nearest ancestor (the page shows it as the HTML id), or ""."""
    while element is not None:
        if element.get(XML_ID):
            return element.get(XML_ID)
        element = element.getparent()
    return ""


__all__ = ["passages", "anchor"]
