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
