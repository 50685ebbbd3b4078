"""The body laid out in two processes (edition/pdf/apart.py) gives the pages of the body laid
out whole: every box where it was, every margin box (page number, running head on its side),
anchors, links and bookmarks.

One thing differs, and draws nothing: on the last page of the first piece the root and body
boxes end with their content, where in the whole body (which goes on) WeasyPrint makes them
reach the foot of the page. The book gives neither a background, border or shadow
(`test_the_root_and_body_draw_nothing`), so their height is compared nowhere."""
from __future__ import annotations

import pytest

from edition.model import print_renderer
from edition.pdf import apart
from edition.pdf.book import BookWriter

FRONT_PAGES = 4


def fingerprint(pages) -> list:
    """Every box of every page: its kind, element, position, size and text; the page's
    anchors, links and bookmarks."""
    def boxes(box, out):
        tag = getattr(box, "element_tag", None)
        out.append((type(box).__name__, tag, getattr(box, "at_keyword", None),
                    round(box.position_x, 3), round(box.position_y, 3),
                    round(box.width, 3) if isinstance(box.width, (int, float)) else box.width,
                    None if tag in ("html", "body") else
                    round(box.height, 3) if isinstance(box.height, (int, float)) else box.height,
                    getattr(box, "text", None)))
        for child in getattr(box, "children", ()):
            boxes(child, out)
        return out
    return [(boxes(page._page_box, []), sorted((k, tuple(round(c, 3) for c in v)) for k, v in page.anchors.items()),
             [(kind, target, tuple(round(c, 3) for c in rect)) for kind, target, rect, _ in page.links],
             [(level, label, tuple(round(c, 3) for c in target)) for level, label, target, _ in page.bookmarks])
            for page in pages]


@pytest.fixture(scope="module")
def writer_for(book_edition, view):
    def make():
        return BookWriter(view, print_renderer(book_edition, view.resolve_refs), book_edition.styles, "test")
    return make


@pytest.fixture(scope="module")
def whole(writer_for):
    import os
    os.environ["EDITION_BOOK_PROCESSES"] = "1"
    try:
        writer = writer_for()
        pages = writer.layout_body(FRONT_PAGES + 1)
    finally:
        del os.environ["EDITION_BOOK_PROCESSES"]
    assert writer.body_processes == 1
    return fingerprint(pages), dict(writer.pages)


@pytest.mark.parametrize("offset", [0, 1], ids=["guessed-body-start", "guessed-one-later"])
def test_two_processes_lay_out_the_body_as_one(writer_for, whole, monkeypatch, offset):
    """The child's guess of its first page is wrong by the first chapters' page count, or by
    one less: one of the two is odd (every page of the child's changes sides) and the other
    even (only their numbers change)."""
    monkeypatch.setenv("EDITION_BOOK_PROCESSES", "2")
    writer = writer_for()
    original = apart.Apart.__init__

    def apart_with_guess(self, render, html, guess, whole_first):
        original(self, render, html, guess + offset, whole_first)
    monkeypatch.setattr(apart.Apart, "__init__", apart_with_guess)
    pages = writer.layout_body(FRONT_PAGES + 1)
    assert writer.body_processes == 2, getattr(writer, "apart_failure", "")
    assert len(pages) == len(whole[0])
    for number, (got, expected) in enumerate(zip(fingerprint(pages), whole[0]), start=FRONT_PAGES + 1):
        different = [(a, b) for a, b in zip(got[0], expected[0]) if a != b]
        assert got == expected, f"page {number} differs: {len(got[0])} boxes, {len(expected[0])} expected; {different[:6]}"
    assert writer.pages == whole[1]


def test_the_root_and_body_draw_nothing(writer_for, whole):
    writer = writer_for()
    document = writer._render_html(writer.html("front", 1))
    root = document.pages[0]._page_box.children[0]
    for box in (root, root.children[0]):
        assert box.element_tag in ("html", "body")
        style = box.style
        assert style["background_image"] == (("none", None),) or all(i[0] == "none" for i in style["background_image"])
        assert style["background_color"].alpha == 0
        assert style["box_shadow"] in ("none", ())
        assert all(style[f"border_{side}_width"] == 0 for side in ("top", "right", "bottom", "left"))


def test_a_child_that_fails_leaves_the_body_whole(writer_for, whole, monkeypatch):
    monkeypatch.setenv("EDITION_BOOK_PROCESSES", "2")

    def broken(pages, file):
        raise RuntimeError("no pickling today")
    monkeypatch.setattr(apart, "_dump", broken)
    writer = writer_for()
    pages = writer.layout_body(FRONT_PAGES + 1)
    assert writer.body_processes == 1 and "no pickling today" in writer.apart_failure
    assert fingerprint(pages) == whole[0]


HEAD = ('<html><head><style>@page :first { counter-reset: page 5; }</style></head>\n<body>\n')


def chapters(*bodies: str) -> str:
    return HEAD + "".join(f'<section class="chapter x">{b}</section>\n' for b in bodies) + "</body></html>"


def test_split_at_the_middle_chapter_with_the_head_in_both():
    html = chapters("a" * 100, "b" * 10, "c" * 90, "d" * 10)
    first, rest = apart.split(html, 4, "p { color: red }")
    assert "a" * 100 in first and "b" * 10 in first and "c" * 90 in rest and "d" * 10 in rest
    assert "a" * 100 not in rest and "c" * 90 not in first  # balanced: 110 characters against 100
    assert "margin-bottom: 0" in first and "margin-top: 0" in rest
    assert first.count("counter-reset: page 5") == rest.count("counter-reset: page 5") == 1


@pytest.mark.parametrize("html, css", [
    (chapters("a", "b"), ".x { counter-increment: figure }"),  # a counter across the chapters
    (chapters('<span class="footnote">a note</span>', "b"), ""),  # a note numbered by counter(footnote)
    (chapters("a", "b").replace('<section class="chapter x">b', '<div>b'), ""),  # chapters not where expected
    (chapters("a"), ""),  # one chapter
    (chapters("a", "b"), ".x { break-before: right }"),  # chapters on a given side: blank pages
])
def test_no_split_where_something_crosses_the_chapters(html, css):
    assert apart.split(chapters("a", "b"), 2, "") is not None
    assert apart.split(html, 2, css) is None


def test_notes_the_book_numbers_itself_do_not_prevent_the_split():
    html = chapters('<span class="footnote" data-call="1">a note</span>', "b")
    assert apart.split(html, 2, ".footnote:not([data-call])::footnote-call { content: counter(footnote) }")


def test_pages_pickled_come_back_as_they_were():
    """A page with what the child's pickling must carry: an absolutely positioned box (a
    stand-in that passes every attribute on to its box), a table's columns (closures in
    WeasyPrint 70), styles and their font configuration."""
    import io
    from weasyprint import HTML
    document = HTML(string='<p style="position: absolute; top: 2cm">over</p><table><col><col>'
                           '<tr><td>a</td><td>b</td></tr></table><p>text</p>').render()
    buffer = io.BytesIO()
    apart._dump(document.pages, buffer)
    pages = apart._load(buffer.getvalue(), document.font_config)
    assert fingerprint(pages) == fingerprint(document.pages)
    assert any(type(box).__name__ == "AbsolutePlaceholder" or getattr(box, "style", {}).get("position") == "absolute"
               for box in pages[0]._page_box.descendants())


def test_one_process_where_told_or_where_other_threads_run(monkeypatch):
    import threading
    monkeypatch.setenv("EDITION_BOOK_PROCESSES", "2")
    assert apart.wanted()
    monkeypatch.setenv("EDITION_BOOK_PROCESSES", "1")
    assert not apart.wanted()
    monkeypatch.setenv("EDITION_BOOK_PROCESSES", "2")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not apart.wanted()
    finally:
        stop.set()
        other.join()
