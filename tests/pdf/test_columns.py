"""The column shortcut (edition/pdf/columns.py) lays out WeasyPrint's own pages, with fewer layouts."""
from __future__ import annotations

import pytest

from edition.pdf import columns

CSS = """@page { size: A6; margin: 10mm; }
body { font: 9pt/1.3 "Noto Serif", serif; }
ol { columns: 2; column-gap: 4mm; margin: 0; padding: 0; list-style: none; }
li { margin: 0 0 1.5mm; hyphens: auto; }"""


def _document(entries: int, before: str = "") -> str:
    items = "".join(f"<li>{n}. {'An entry of the apparatus with words enough to wrap. ' * (1 + n % 4)}</li>"
                    for n in range(1, entries + 1))
    return f'<html lang="en"><head><style>{CSS}</style></head><body>{before}<ol>{items}</ol></body></html>'


def _boxes(document):
    """Every line of text with where it stands, page by page."""
    def lines(box):
        if type(box).__name__ == "TextBox":
            yield (round(box.position_x, 2), round(box.position_y, 2), box.text)
        for child in getattr(box, "children", ()):
            yield from lines(child)
    return [list(lines(page._page_box)) for page in document.pages]


def _layouts(html: str, shortcut: bool):
    from weasyprint import HTML
    from weasyprint.layout import block
    calls = []
    real = block.block_box_layout

    def counted(context, box, *args, **kwargs):
        if getattr(box, "is_column", False):
            calls.append(box)
        return real(context, box, *args, **kwargs)

    block.block_box_layout = counted
    try:
        if shortcut:
            with columns.installed():
                document = HTML(string=html).render()
        else:
            document = HTML(string=html).render()
    finally:
        block.block_box_layout = real
    return _boxes(document), len(calls)


@pytest.mark.parametrize("entries, before", [(60, ""), (61, "<h1>Apparatus</h1><p>Notes in full.</p>"), (7, "")])
def test_the_shortcut_sets_every_line_where_weasyprint_sets_it(entries, before):
    html = _document(entries, before)
    theirs, their_layouts = _layouts(html, shortcut=False)
    ours, our_layouts = _layouts(html, shortcut=True)
    assert len(ours) == len(theirs)
    assert ours == theirs
    if len(theirs) > 2:  # full pages of columns: each laid out once, not twice
        assert our_layouts < their_layouts


def test_columns_with_a_footnote_inside_are_left_to_weasyprint():
    html = _document(30).replace("<li>3.", '<li><span style="float: footnote">A note.</span>3.')
    theirs, _ = _layouts(html, shortcut=False)
    ours, _ = _layouts(html, shortcut=True)
    assert ours == theirs
