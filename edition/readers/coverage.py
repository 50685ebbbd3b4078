"""A Reading → the words of <text> that neither its rows nor its whole parts hold.

The safety net of the readers: every word of a document's <text> must reach
its page and the book; words found nowhere in the Reading are reported by the
build (with the element that holds them), never dropped silently.
"""
from __future__ import annotations

import re

from ..xmlio import NS

WORD = re.compile(r"\w+")


def unplaced_words(root, reading) -> list[tuple[object, str]]:
    """(element, its unplaced text) for each outermost element of <text> no part of the Reading holds."""
    placed = [e for u in reading.units for e in (u.original, u.translation) if e is not None]
    placed += reading.before + reading.after + reading.elsewhere
    held = set(placed)  # elements, not id(): lxml proxies must stay alive to keep their identity
    for element in placed:
        held.update(element.iterdescendants())
    text = root.find("tei:text", NS)
    if text is None or text in held:
        return []
    found = []

    def walk(element):
        if element in held:
            return
        if element.text and WORD.search(element.text):
            found.append((element, element.text.strip()))
        for child in element:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail and WORD.search(child.tail):
                found.append((element, child.tail.strip()))
    walk(text)
    return found
