"""The edition's view-model → EPUB 3 books: the whole edition, and one book per source.

An e-reader reflows the text, so the parallel columns of the site and the
book become alternating sentence pairs (the original, then its English,
each with its language), which read on a phone as well as on a tablet. The
factual problems are EPUB footnotes (`epub:type="noteref"` / `"footnote"`,
shown as pop-ups by readers that support them) placed after the words they
concern; the translator's notes likewise. Every text carries `lang`, and the
Thai, Chinese and Latin faces are embedded, cut down to the characters used
(edition/fonts.py), so that a device without them shows real glyphs.
Checked with EPUBCheck and DAISY Ace in the tests.
"""
from .book import write_epubs

__all__ = ["write_epubs"]
