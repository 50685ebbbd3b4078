"""The book's body laid out in two processes: its later chapters in a forked child.

Every chapter of the body starts a page (`.chapter { page-break-before: always }`),
so the body's pages are the pages of its chapters laid out one run after another:
the chapters can be laid out as two HTML documents, the first here and the rest in
a child process, at the same time on two cores, and the child's pages (WeasyPrint's
laid-out boxes, picklable once their Pango layouts are released, as WeasyPrint
releases them after each line) are drawn here with the rest of the book: one
drawing, so fonts, links, named destinations, outline, structure tree and the
textmap step are what they are for a body laid out whole.

What the later chapters' layout does not know is their first page's number, which
depends on how many pages the first ones take. It matters only to the margin boxes
(the page number, and the running head's side: book.css gives left and right pages
the same margins, so their content boxes are the same). WeasyPrint lays the margin
boxes out after all of a document's pages (layout_document); the child waits there
for the number, sent when the first chapters are laid out, and then gives its pages
their numbers and sides (`_numbered`), as they would have had in one document.

The body is split only where nothing else crosses a chapter's end (`split`): no
counter but the page counter and the notes' calls the book numbers itself (a note
without `data-call`, from a source rendered whole, counts with CSS `counter(footnote)`
across the body), and the chapters found where the template puts them. Anything the
child cannot do (an exception, a box it cannot pickle, a page style that differs
between left and right) it reports, and the chapters are laid out here instead: the
same pages, later. EDITION_BOOK_PROCESSES=1 (or a one-core machine, or a process
with other threads running) lays the body out in one process.
"""
from __future__ import annotations

import io
import os
import pickle
import re
import signal
import struct
import traceback

from .. import forks

_CHAPTER = re.compile(r'^<section class="chapter ', re.MULTILINE)
_COUNTER = re.compile(r"counter-(?:reset|increment|set)|counters?\(\s*([\w-]+)", re.IGNORECASE)
_NOTE = re.compile(r'<[a-z]+ class="footnote"[^>]*>')
_SIDED = re.compile(r"break-(?:before|after)\s*:\s*(?:left|right|recto|verso)", re.IGNORECASE)
_FIRST_PAGE = re.compile(r"@page :first \{ counter-reset: page (\d+); \}")


def wanted() -> bool:
    """Two processes for the body unless told otherwise, on one core, or where this process
    runs other threads (`edition serve`: a fork copies only the thread that forks, and a lock
    another thread held, in Pango or fontconfig say, would stay held in the child)."""
    return forks.wanted("EDITION_BOOK_PROCESSES")


def split(html: str, chapters: int, css: str) -> tuple[str, str] | None:
    """The body's HTML as two documents, the chapters before the middle and from it, each
    with the whole document's head; None when the body cannot be split safely."""
    starts = [m.start() for m in _CHAPTER.finditer(html)]
    end = html.rfind("</body>")
    if len(starts) != chapters or chapters < 2 or end < starts[-1] or not _FIRST_PAGE.search(html):
        return None
    if any(name not in ("page", "footnote") for name in _counters(css)) or len(list(_counters(html))) != 1:
        return None  # a CSS counter (but the template's page counter) could run across the chapters
    if _SIDED.search(css) or _SIDED.search(html):
        return None  # a chapter that starts on a given side: blank pages the split would not know
    if any("data-call" not in tag for tag in _NOTE.findall(html)):
        return None  # a note numbered by counter(footnote) across the chapters
    head, tail = html[:starts[0]], html[end:]
    if head.count("</head>") != 1:
        return None
    bounds = starts + [end]
    middle = min(range(1, chapters), key=lambda i: abs((bounds[i] - bounds[0]) - (end - bounds[i])))
    return (_sliced(head, "bottom") + html[starts[0]:bounds[middle]] + tail,
            _sliced(head, "top") + html[bounds[middle]:end] + tail)


def _sliced(head: str, side: str) -> str:
    """The head of a document that is one piece of the body: the root and body boxes have no
    margin, border or padding on the side where the body goes on in the other piece, as a
    box broken across pages has none there in WeasyPrint (box-decoration-break: slice; the
    body's 8px top margin, say, is only on the body's first page)."""
    rule = (f"<style>html, body {{ margin-{side}: 0 !important; border-{side}: none !important; "
            f"padding-{side}: 0 !important; }}</style>")
    return head.replace("</head>", rule + "\n</head>", 1)


def _counters(css: str):
    for match in _COUNTER.finditer(css):
        yield match.group(1)


def numbered_from(html: str, first_page: int) -> str:
    """The document's page counter starting at `first_page` (book.html's @page :first rule)."""
    return _FIRST_PAGE.sub(lambda m: f"@page :first {{ counter-reset: page {first_page}; }}", html, count=1)


class Apart:
    """A document laid out by a forked child with `render(html)` (a weasyprint Document),
    its pages numbered from the page `pages(first_page, ...)` is told."""

    def __init__(self, render, html: str, guess: int, whole_first: int):
        self._to_child, self._from_child = os.pipe(), os.pipe()

        def child() -> int:  # lay out, wait for the first page's number, send the pages
            os.close(self._to_child[1])
            os.close(self._from_child[0])
            self._child(render, numbered_from(html, guess), guess, whole_first)
            return 0
        self.pid = forks.fork_to_exit(child)
        os.close(self._to_child[0])
        os.close(self._from_child[1])
        self.done = False

    def _child(self, render, html: str, guess: int, whole_first: int) -> None:
        status, data = b"E", b""
        try:
            with _numbered(lambda: _read_number(self._to_child[0]), guess, whole_first):
                document = render(html)
            buffer = io.BytesIO()
            _dump(document.pages, buffer)
            status, data = b"P", buffer.getvalue()
        except BaseException:  # reported to the parent, which lays the chapters out itself
            data = traceback.format_exc().encode()
        finally:
            with os.fdopen(self._from_child[1], "wb") as out:
                out.write(status + struct.pack(">Q", len(data)) + data)

    def pages(self, first_page: int, font_config):
        """The child's pages, numbered from `first_page`; (None, why) when it could not."""
        self.done = True
        try:
            with os.fdopen(self._to_child[1], "wb") as out:
                out.write(struct.pack(">Q", first_page))
        except BrokenPipeError:
            pass
        with os.fdopen(self._from_child[0], "rb") as answer:
            data = answer.read()
        os.waitpid(self.pid, 0)
        if len(data) < 9 or data[:1] != b"P":
            return None, (data[9:].decode(errors="replace") or "the child process ended without an answer")
        try:
            return _load(data[9:], font_config), ""
        except Exception:  # a box this module does not know how to carry: laid out here instead
            return None, traceback.format_exc()

    def close(self) -> None:
        """When the parent gives up before asking (an exception): end the child."""
        if not self.done:
            self.done = True
            for fd in (self._to_child[1], self._from_child[0]):
                try:
                    os.close(fd)
                except OSError:
                    pass
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)


def _read_number(fd: int) -> int:
    data = b""
    while len(data) < 8:
        chunk = os.read(fd, 8 - len(data))
        if not chunk:
            raise EOFError("the parent sent no page number")
        data += chunk
    return struct.unpack(">Q", data)[0]


def _dump(pages, file) -> None:
    """The pages with their boxes and styles. Each style's font configuration (Pango and
    fontconfig pointers) is left out, to be the parent's (the book has no @font-face:
    every configuration finds the same system fonts); a table column's `get_cells`, a
    closure WeasyPrint 70 sets on each column (layout/table.py), becomes the same question
    asked of the same table and column. Through the pickler's dispatch table, not a Python
    hook called for each of the millions of objects (that cost 2.8 s of CPU)."""
    from weasyprint.text.fonts import FontConfiguration
    for page in pages:
        for box in page._page_box.descendants():
            for group in getattr(box, "column_groups", ()):  # a table's columns: beside its children
                for column in group.children:
                    cells = column.__dict__.get("get_cells")
                    if getattr(cells, "__qualname__", "") == _COLUMN_CELLS and cells.__closure__:
                        free = dict(zip(cells.__code__.co_freevars, (c.cell_contents for c in cells.__closure__)))
                        column.get_cells = ColumnCells(free["table"], free["column"])
    from weasyprint.layout.absolute import AbsolutePlaceholder
    pickler = pickle.Pickler(file, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {
        FontConfiguration: lambda config: (parent_font_config, ()),
        # It passes every attribute on to its box, even those pickle looks for on an object
        # not yet made (a RecursionError): made again from its box.
        AbsolutePlaceholder: lambda held: (placeholder, (object.__getattribute__(held, "_box"),
                                                         object.__getattribute__(held, "_layout_done"))),
    }
    pickler.dump(pages)


_COLUMN_CELLS = "table_layout.<locals>.get_column_cells.<locals>.<lambda>"
_FONT_CONFIG = []  # while the parent loads the child's pages: the font configuration they get


def parent_font_config():
    return _FONT_CONFIG[-1]


def placeholder(box, layout_done: bool):
    """WeasyPrint's stand-in for an absolutely positioned box, as it was."""
    from weasyprint.layout.absolute import AbsolutePlaceholder
    held = AbsolutePlaceholder(box)
    object.__setattr__(held, "_layout_done", layout_done)
    return held


def _load(data: bytes, font_config):
    _FONT_CONFIG.append(font_config)
    try:
        return pickle.loads(data)
    finally:
        _FONT_CONFIG.pop()


class ColumnCells:
    """The cells that originate in a table's column: WeasyPrint's closure, picklable."""

    def __init__(self, table, column):
        self.table, self.column = table, column

    def __call__(self):
        return [cell for row_group in self.table.children for row in row_group.children
                for cell in row.children if cell.grid_x == self.column.grid_x]


class _numbered:
    """Inside the child's layout: before WeasyPrint lays out the first margin box, wait for
    the first page's number (`first_page()`), then give every page of the document the page
    counter and the side (left, right) it has in the book. The document's first page has
    the side the whole body's first page (`whole_first`) has: they start documents with the
    same root; so the pages change sides when they are an odd number of pages after it."""

    def __init__(self, first_page, guess: int, whole_first: int):
        self.first_page, self.guess, self.whole_first = first_page, guess, whole_first

    def __enter__(self):
        from weasyprint import document, layout
        self._layout, self._margins = document.layout_document, layout.make_margin_boxes
        seen = {}

        def layout_document(html, root_box, context, *args, **kwargs):
            seen["html"] = html
            return self._layout(html, root_box, context, *args, **kwargs)

        def make_margin_boxes(context, page, state):
            if "shift" not in seen:
                first = self.first_page()
                seen["shift"] = shift = first - self.guess
                seen["flip"] = (first - self.whole_first) % 2 == 1
                if shift:
                    for entry in context.page_maker:
                        values = entry[3][1]
                        if "page" in values:
                            values["page"] = [value + shift for value in values["page"]]
            if seen["flip"]:
                page.page_type = _other_side(page, context, seen["html"], seen)
            return self._margins(context, page, state)

        document.layout_document = layout_document
        layout.make_margin_boxes = make_margin_boxes
        return self

    def __exit__(self, *exc):
        from weasyprint import document, layout
        document.layout_document, layout.make_margin_boxes = self._layout, self._margins
        return False


def _other_side(page, context, html, seen):
    """The page's type on the other side; its page style must be the same but for the
    margin boxes (book.css), or the child gives up."""
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.layout.page import _standardize_page_based_counters, set_page_type_computed_styles
    old = page.page_type
    new = old._replace(side="left" if old.side == "right" else "right")
    if ("checked", new) not in seen:
        set_page_type_computed_styles(new, html, context.style_for)
        before, after = context.style_for(old), context.style_for(new)
        # WeasyPrint standardised the counters of the style it made the page with: so the other.
        counters = {name: after[name] for name in ("counter_set", "counter_reset", "counter_increment")}
        _standardize_page_based_counters(counters, None)
        differing = [name for name in INITIAL_VALUES if name != "overflow"
                     and before[name] != counters.get(name, after[name])]
        if differing:
            raise ValueError(f"left and right pages differ in {', '.join(differing)}")
        seen[("checked", new)] = True
    return new

