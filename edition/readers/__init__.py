"""A TEI source, in whichever encoding it arrives → one Reading the site and the book lay out.

As Pelican has one reader per input format, each usual TEI encoding of
"a text and its translation" has a small reader here; the first that
recognises a document reads it:

- house.py: this edition's own `div[@type='original']//s` with English
  `s[@corresp]` in `div[@type='translation']` (docs/encoding.md);
- group.py: `group/text[@type='translation']` beside the text it translates
  (TEI Publisher's Serafin letters);
- divs.py: `div[@type='translation']` beside the original or edition div
  (TEI Publisher's Van Gogh letters, EpiDoc), or a div whose @corresp points
  to another;
- whole.py: no translation: the whole <text> is rendered through the ODD.

Alignment (align.py) is at the finest unit the encoding gives: s, then seg,
then p/ab/l, then div. Whatever a reader does not pair is kept, in document
order, as parts rendered whole before or after the parallel text, and
coverage.py checks that every word of <text> is placed somewhere: nothing is
dropped silently.
"""
from __future__ import annotations

from .model import Reading, Unit
from . import divs, group, house, whole
from .coverage import unplaced_words

READERS = (house.read, group.read, divs.read, whole.read)

__all__ = ["Reading", "Unit", "read", "unplaced_words"]


def read(root) -> Reading:
    """The first reader that recognises the document (whole.read accepts any)."""
    for reader in READERS:
        reading = reader(root)
        if reading is not None:
            return reading
    raise AssertionError("whole.read accepts every document")
