"""Work WeasyPrint 70 does for the book that changes nothing on its pages, left undone.

Measured on the book (85 pages; CPU seconds of `edition build --pdf`, profile of
BookWriter.write), each of these cost time and none changes a page:
- Python's cyclic garbage collector: a layout makes millions of small objects
  (boxes, styles, Pango wrappers) that live until the book is written, and each
  full collection walks all of them: 13 full passes cost about 4 s. Nearly
  everything is freed by reference counting; the collector is paused while the
  book is laid out and written (`collector_paused`); what was made meanwhile is
  then handed to the oldest generation (gc.freeze, gc.unfreeze), so the young
  collections that follow do not walk it all (they cost 1.2 s when it was left
  young) and the next full collection, whenever it comes, frees its cycles;
  about 40 MB more at the peak.
- pydyf's `PDF.page_references` builds the tuple of every page's reference
  each time it is read, and the PDF/UA tags read it for every tagged box
  (30,000 reads of an 85-tuple); it is made once per page count here
  (`page_references_kept`).
"""
from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def collector_paused():
    """No cyclic garbage collection inside the block; its objects old after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # every tracked object, to the permanent generation: no walk
        gc.unfreeze()  # and back, into the oldest generation
        if enabled:
            gc.enable()


@contextlib.contextmanager
def page_references_kept():
    """pydyf's page references made again only when a page was added."""
    import pydyf
    original = pydyf.PDF.page_references

    def page_references(pdf):
        count = len(pdf.pages["Kids"])
        kept = pdf.__dict__.get("_kept_page_references")
        if kept is None or kept[0] != count:
            kept = pdf._kept_page_references = (count, original.fget(pdf))
        return kept[1]

    pydyf.PDF.page_references = property(page_references)
    try:
        yield
    finally:
        pydyf.PDF.page_references = original


@contextlib.contextmanager
def line_splits_kept():
    """Each text's first line split once per layout (`split_first_line`, WeasyPrint's call
    into Pango for a line: a third of the layout's time).

    WeasyPrint splits the same text at the same width with the same style again and again:
    a line laid out at the foot of a page that does not fit is laid out again on the next,
    the columns of a section's last page are balanced by laying them out at several
    heights, a row of the parallel table is laid out again when a note moves. In the book,
    11,600 of 30,300 splits repeated one made before (38 %). The split is a function of
    its arguments only (the text, the computed style, the width, the justification
    spacing, whether the line starts there; the layout context lends it only its cache of
    hyphenation dictionaries), so a repeat is answered from the first: with a copy of the
    first answer's Pango layout wrapper, which WeasyPrint has already released from Pango
    (`Layout.deactivate`: only its text, width and metrics are left, and drawing makes a
    new Pango layout from them), so no two boxes share one. The answers are kept for one
    layout (one HTML document), with the styles they were made for, so that an id is
    never reused for another style while they are kept."""
    from weasyprint.layout import inline
    from weasyprint.text.line_break import Layout
    original = inline.split_first_line
    answers: dict = {}

    def split_first_line(text, style, context, max_width, justification_spacing,
                         is_line_start=True, minimum=False):
        key = (text, id(style), max_width, justification_spacing, is_line_start, minimum)
        kept = answers.get(key)
        if kept is None:
            answer = original(text, style, context, max_width, justification_spacing,
                              is_line_start, minimum)
            layout = answer[0]
            if hasattr(layout, "layout"):  # still bound to Pango (not WeasyPrint 70's way): not kept
                return answer
            answers[key] = (style, dict(layout.__dict__), answer[1:])
            return answer
        layout = Layout.__new__(Layout)
        layout.__dict__.update(kept[1])
        return (layout, *kept[2])

    inline.split_first_line = split_first_line
    try:
        yield
    finally:
        inline.split_first_line = original
        answers.clear()
