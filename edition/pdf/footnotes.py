"""A note on the page of its call: a repair of WeasyPrint 70's line breaking with footnotes.

When a line does not fit at the foot of a page and the page could not be broken
before it (orphans and widows: a table cell's second line, say), WeasyPrint's
`_linebox_layout` (layout/block.py) moves the notes already on the page to the
next one until the line fits, and keeps the line. Two faults follow, both seen in
this book (a source sentence broken across pages in its table row):
- the notes moved away have their calls on this page (Th 4 and Th 72 were set
  a page after their calls);
- the kept line's own calls are never looked at (that loop leaves before the
  code that lays out a line's notes), so their notes are lost (Th 5 was never
  printed, on any page).

The repair, around each call of `_linebox_layout`: if notes were moved to the
next page while the function laid out lines, they are put back, and a line kept
thanks to the move goes to the next page instead (the page breaks before it,
even if that leaves one line of a cell, against `orphans`: a lone line is
better than a note away from its call or no note at all). The notes' band then
holds what it held when the last kept line fitted, so the page still fits.
Only the book's short notes are repaired (apparatus.py's, marked with data-call):
the notes of a source rendered whole, which can run to many lines, are left as
WeasyPrint sets them (put back on a full page, some were lost: tests/installed).
A second repair: WeasyPrint 70 takes a note (`float: footnote`) out of the box tree
before it collapses the tree's white space, so a note's line feeds stay line feeds
and Pango breaks the note's lines where the TEI file did (a `<bibl>` in a KBGA
sermon's note set as a ragged column). `_with_notes_collapsed` collapses each note's
white space, and applies its text-transform, as it does for the rest of the text.

`installed()` patches WeasyPrint during the book's layout only.
"""
from __future__ import annotations

import contextlib


def _repaired(original):
    def linebox_layout(context, box, index, child, new_children, *args, **kwargs):
        if not hasattr(context, "note_order"):  # before any note is laid out: all wait, in order
            context.note_order = {id(f): i for i, f in enumerate(context.footnotes)}
        before = list(context.reported_footnotes)
        abort, stop, resume_at, position_y, new_footnotes, max_lines = result = original(
            context, box, index, child, new_children, *args, **kwargs)
        moved = [f for f in context.reported_footnotes if f not in before]
        if abort or not moved or not all(_short_note(f) for f in moved):
            return result  # other notes (a source's own, rendered whole) are left as WeasyPrint sets them
        if stop and new_children and _kept_by_the_move(new_children[-1], position_y):
            if len(new_children) < 2:
                return result  # nothing before it on this page to break after: as WeasyPrint does
            line = new_children.pop()
            from weasyprint.layout.block import remove_placeholders
            remove_placeholders(context, line.children, [], [])
            resume_at = {index: new_children[-1].resume_at}
        for footnote in moved:  # their calls stand in lines on this page: they stay with them
            context.reported_footnotes.remove(footnote)
            context.current_page_footnotes.append(footnote)
        context.current_page_footnotes.sort(key=lambda f: context.note_order.get(id(f), 0))
        context._update_footnote_area()
        return abort, stop, resume_at, position_y, new_footnotes, max_lines
    return linebox_layout


def _short_note(footnote) -> bool:
    """A short note of the book's apparatus (apparatus.py marks it with its call's number): one
    line of call, a note of a few lines, `footnote-policy: line`."""
    element = getattr(footnote, "element", None)
    return element is not None and element.get("data-call") is not None


def _kept_by_the_move(line, position_y) -> bool:
    """The line WeasyPrint kept by moving notes: the only line whose bottom is not where the
    function says its lines end (that path appends it without advancing the position)."""
    return abs(line.position_y + line.height - position_y) > 0.01


def _with_notes_collapsed(original):
    def build_formatting_structure(element_tree, style_for, get_image_from_uri, base_url,
                                   target_collector, counter_style, footnotes):
        root = original(element_tree, style_for, get_image_from_uri, base_url, target_collector,
                        counter_style, footnotes)
        for footnote in footnotes:  # out of the tree when the tree's white space was collapsed
            footnote.process_whitespace()
            footnote.process_text_transform()
        return root
    return build_formatting_structure


@contextlib.contextmanager
def installed():
    from weasyprint import document
    from weasyprint.layout import block
    original, original_build = block._linebox_layout, document.build_formatting_structure
    block._linebox_layout = _repaired(original)
    document.build_formatting_structure = _with_notes_collapsed(original_build)
    try:
        yield
    finally:
        block._linebox_layout, document.build_formatting_structure = original, original_build
