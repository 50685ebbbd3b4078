"""View-models + book template → HTML for WeasyPrint → one PDF, each page laid out once.

The book is laid out in three parts, in this order: the body (introduction,
sources with their apparatus, the figures compared), the back (indexes and
works cited), which needs the body's page numbers, and the front (half-title,
title, imprint, contents), which needs everybody's. Each part is an HTML
document rendered from styles/templates/book.html with `part` set and its page
counter starting where the previous part ends; the pages of the three are put
together into one PDF (WeasyPrint's Document.copy), so the book is laid out
once, not twice to learn the index's page numbers. Links and bookmarks cross
the parts (named destinations are gathered from all pages).
"""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from lxml import html as lxml_html
from markupsafe import Markup

from ..html.collect import EditionView, Pair, text_of
from ..html.pages import KIND_LABELS, REGISTER_PAGES, entry_facts, event_dates, inner_html
from ..safety import clean_stylesheet
from ..xmlio import NS
from .apparatus import Apparatus
from .archive import write_archive
from .citations import reference, works
from .index import index_lines
from . import apart, columns, footnotes, savings, textmap

PDF_VARIANT = "pdf/ua-1"  # tagged PDF for accessibility (WeasyPrint ≥ 61)
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
PARTS = ("body", "back", "front")
OPENINGS = {"introduction", "figures", "index-person", "index-place", "index-org", "bibliography"}  # the order of layout; the book's order is front, body, back


class BookWriter:
    def __init__(self, view: EditionView, render, styles, built: str, url_fetcher=None, warn=None,
                 base_url: str | None = None):
        """`base_url`: what the sources' relative URLs are read against (the edition's folder: a
        source's image is "tei/sources/…", edition/media.py); by default the styles folder."""
        self.view, self._render, self.styles, self.built = view, render, styles, built
        self.url_fetcher, self.base_url = url_fetcher, base_url
        self.warn = warn or (lambda message: None)
        self.works = works(view.bibliography)
        self.apparatus = Apparatus(render, self.works)
        self.mentions: dict[str, list[str]] = defaultdict(list)  # ref -> anchor ids, in order
        self.pages: dict[str, int] = {}  # anchor -> page number, from the parts laid out
        self.anchors = 0
        self.widest_reference = 0  # digits of the widest page number in a cross-reference
        self.env = Environment(loader=FileSystemLoader(styles.template_dirs()), autoescape=True,
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.env.globals.update(view=view, built=built, ns=NS, render=self.render,
                                render_pair=self.render_pair, render_part=self.render_part,
                                render_front=self.render_front,
                                entry_facts=entry_facts, event_dates=event_dates, text_of=text_of,
                                kind_labels=KIND_LABELS, register_headings=indexed_kinds(view),
                                apparatus_entry=self.apparatus.entry, works=self.works,
                                reference=reference, index_lines=self.index_lines, page_of=self.page_of,
                                problem_sentence_number=_sentence_number)

    # --- content ----------------------------------------------------------------
    def render(self, element, content_only: bool = False) -> Markup:
        return Markup(self._render(element, content_only=content_only)) if element is not None else Markup("")

    def render_front(self, element) -> Markup:
        """The introduction, its names anchored for the index like the sources'."""
        fragment = lxml_html.fragment_fromstring(self._render(element, content_only=True) or "",
                                                 create_parent="div")
        self._anchor_mentions(fragment)
        for title in fragment.xpath("(//h1)[1]"):
            title.set("id", "open-introduction")
        return Markup(inner_html(fragment))

    def render_part(self, element) -> Markup:
        """A part of a source rendered whole (a text with no translation, a front, a commentary),
        its names anchored for the index like the sentence pairs'."""
        fragment = lxml_html.fragment_fromstring(self._render(element) or "", create_parent="div")
        self._anchor_mentions(fragment)
        return Markup(inner_html(fragment))

    def render_pair(self, pair: Pair, column: str) -> Markup:
        """One side of a sentence pair, with index anchors on every mention; in the original,
        the calls of its factual problems after their passages; in the translation, the notes."""
        element = pair.original if column == "original" else pair.translation
        if element is None:  # a draft translation builds, with a visible placeholder
            return Markup('<span class="untranslated">[not yet translated]</span>')
        fragment = lxml_html.fragment_fromstring(
            (self._render(element, content_only=True) or "") if element is not None else "",
            create_parent="span")
        self._anchor_mentions(fragment)
        if column == "original":
            self._place_calls(fragment, pair.problems)
        return Markup(inner_html(fragment))

    def _anchor_mentions(self, fragment) -> None:
        for mention in fragment.xpath("//*[@data-ref]"):
            if not mention.get("id"):
                self.anchors += 1
                mention.set("id", f"m{self.anchors}")
            for ref in mention.get("data-ref").split():
                self.mentions[ref].append(mention.get("id"))

    def _place_calls(self, fragment, problems) -> None:
        """Each call right after the words its note is about (the seg's end), glued to them;
        calls that meet at one place become one call, "3,4" (or "3–5" for a run)."""
        for problem in problems:
            call = lxml_html.fragment_fromstring(
                f'<a class="call" id="fn-call-{problem.id}" href="#app-{problem.id}" '
                f'data-numbers="{problem.number}">\u2060{problem.number}</a>')  # WORD JOINER: no break before
            _place_after(fragment, problem.target_id, call)
            note = lxml_html.fragment_fromstring(str(self.apparatus.footnote(problem)))
            call.addnext(note)  # a float inside a link would stay inline
            note.tail, call.tail = call.tail, None
        merge_adjacent_calls(fragment)
        _notes_in_order(fragment)

    def index_lines(self, kind: str):
        return index_lines(self.view.entries[kind], self.pages_of)

    def pages_of(self, ref: str) -> list[tuple[int, str]]:
        """(page, anchor) of each page a register entry is mentioned on, once per page."""
        seen, result = set(), []
        for anchor in self.mentions.get(ref, []):
            page = self.pages.get(anchor)
            if page is not None and page not in seen:
                seen.add(page)
                result.append((page, anchor))
        return sorted(result)

    def page_of(self, anchor: str) -> int | str:
        return self.pages.get(anchor, "")

    # --- output -----------------------------------------------------------------
    def html(self, part: str, first_page: int) -> str:
        if part == "body":
            self.mentions.clear()
            self.anchors = 0
        # WeasyPrint (67) fails an assertion on spaces before a newline in preserved white space
        # (egXML in the TEI Stylesheets' test document); they are never visible, so they go.
        return _TRAILING_SPACE.sub("\n", self.env.get_template("book.html").render(part=part, first_page=first_page))

    def layout(self, part: str, first_page: int):
        document = self._render_html(self.html(part, first_page))
        self._take(document.pages, first_page)
        return document

    def layout_body(self, first_page: int) -> list:
        """The body's pages: its later chapters laid out in a second process when they can
        be (apart.py), else the body as one document; the same pages either way."""
        html = self.html("body", first_page)
        chapters = (self.view.front is not None) + len(self.view.sources) + bool(self.view.claims)  # + the figures
        halves = apart.split(html, chapters, self._stylesheet_text()) if apart.wanted() else None
        self.body_processes = 1
        if halves is None:
            pages = self._render_html(html).pages
            self._take(pages, first_page)
            return pages
        first, rest = halves
        child = apart.Apart(self._render_html, rest, guess=first_page, whole_first=first_page)
        try:
            earlier = self._render_html(first)
            later_page = first_page + len(earlier.pages)
            later, why = child.pages(later_page, earlier.font_config)
        finally:
            child.close()
        if later is None:  # the child could not: the body laid out whole, here, as without it
            self.apart_failure = why
            pages = self._render_html(html).pages
            self._take(pages, first_page)
            return pages
        self.body_processes = 2
        self._take(earlier.pages, first_page, fill=False)
        self._take(later, later_page)
        return earlier.pages + later

    def _render_html(self, html: str):
        """One HTML document of the book laid out by WeasyPrint (with the book's repairs)."""
        from weasyprint import CSS, HTML
        book_css = self.styles.find("css/book.css")
        options = {"url_fetcher": self.url_fetcher} if self.url_fetcher else {}
        stylesheets = [CSS(filename=str(book_css), **options),
                       CSS(string=self._odd_stylesheet(), **options)]  # the ODD's outputRenditions
        with footnotes.installed(), columns.installed(), savings.line_splits_kept():
            # notes on their calls' pages; columns laid out once; a line split once
            return HTML(string=html, base_url=self.base_url or str(book_css.parent.parent),
                        **options).render(stylesheets=stylesheets)

    def _odd_stylesheet(self) -> str:
        return clean_stylesheet(getattr(self._render, "stylesheet", "") or "")

    def _stylesheet_text(self) -> str:
        return self.styles.find("css/book.css").read_text(encoding="utf-8") + "\n" + self._odd_stylesheet()

    def _take(self, pages, first_page: int, fill: bool = True) -> None:
        """Pages laid out from `first_page` on: their anchors' page numbers, no running head
        where a chapter opens, and (with `fill`) the page references filled in (of every
        page taken so far that has not had them: the body's halves are filled together)."""
        self._unfilled = getattr(self, "_unfilled", []) + list(pages)
        for number, page in enumerate(pages, start=first_page):
            if any(anchor.startswith("open-") for anchor in page.anchors):  # a chapter's title
                _without_running_head(page)
            for anchor in page.anchors:
                self.pages.setdefault(anchor, number)  # a box split over pages: where it starts
        if fill:
            for page in self._unfilled:
                self._fill_page_references(page._page_box)
            self._unfilled = []

    def _fill_page_references(self, box) -> None:
        """Write into each placeholder (apparatus.page_reference) the page of its target, now
        that the part is laid out. WeasyPrint shapes a line's text again when it draws it, from
        the box's text; tabular figures keep the placeholder's width (a shorter number is
        padded with FIGURE SPACE, a longer one makes `typeset` lay the part out again)."""
        for child in getattr(box, "children", ()):
            element = getattr(child, "element", None)
            if element is not None and element.get("class") == "page-ref":
                page = self.pages.get(element.get("data-target", ""))
                for text in child.children:
                    if hasattr(text, "pango_layout") and page is not None:
                        self.widest_reference = max(self.widest_reference, len(str(page)))
                        text.text = text.pango_layout.text = str(page).ljust(len(text.text), "\u2007")
            else:
                self._fill_page_references(child)

    def typeset(self):
        """The three parts laid out once each (the front twice: it is four pages), then joined."""
        front_pages = len(self.layout("front", 1).pages)
        self.widest_reference = 0
        body = self.layout_body(front_pages + 1)
        if self.widest_reference > self.apparatus.digits:  # a book of 100 pages or more
            self.apparatus.digits = self.widest_reference
            self.pages.clear()
            body = self.layout_body(front_pages + 1)
        for message in self.notes_off_their_page():
            self.warn(message)
        back = self.layout("back", front_pages + len(body) + 1)
        front = self.layout("front", 1)
        if len(front.pages) != front_pages:
            raise RuntimeError("the contents changed length once page numbers were known")
        return front.copy(front.pages + body + back.pages)

    def notes_off_their_page(self) -> list[str]:
        """Notes the layout did not set on the page of their call (WeasyPrint defers a note that
        does not fit, and may drop the note of a call in a row broken across pages)."""
        found = []
        for problem in self.view.problems:
            call, note = self.pages.get(f"fn-call-{problem.id}"), self.pages.get(f"fn-{problem.id}")
            if note is None:
                found.append(f"footnote {problem.label} (call on p. {call}) is missing from the page")
            elif call != note:
                found.append(f"footnote {problem.label} is on p. {note}, its call on p. {call}")
        return found

    def write(self, path: Path, archive: Path | None = None, attachments=()) -> Path:
        """The book, and (when `archive` is given) its PDF/A-3u twin with the (file, name) pairs of
        `attachments` attached, made from the book's PDF (archive.py: the pages are drawn once);
        glyphs mapped as textmap.py explains."""
        own = textmap.OwnCids()
        with textmap.installed(own), savings.collector_paused(), savings.page_references_kept():
            document = self.typeset()
            self.describe(document)
            path.parent.mkdir(parents=True, exist_ok=True)
            # Uncompressed: pydyf compresses every stream at zlib level 9 in Python (1 s of the
            # book); the file is compressed when textmap saves it, by qpdf (a third of that).
            document.write_pdf(str(path), pdf_variant=PDF_VARIANT, uncompressed_pdf=True)
        textmap.map_own_cids(path, own)
        if archive is not None:
            write_archive(path, archive, list(attachments))
        return path

    def describe(self, document) -> None:
        document.metadata.title = self.view.title
        config = self.view.config  # tei/edition.xml's header (edition/config.py)
        document.metadata.authors = config.editors or ["The editors"]
        document.metadata.lang = config.lang
        document.metadata.keywords = config.keywords


def indexed_kinds(view: EditionView) -> dict:
    """The registers the book has an index of (REGISTER_PAGES' kinds and headings): those with an
    entry the sources mention. An edition whose registers are empty, or whose sources name no
    entry of one, has no empty index chapter (nor a line for it in the contents). Known before
    any layout, so the contents are the same in the front's first layout and its last."""
    return {kind: heading for kind, heading in REGISTER_PAGES.items()
            if any(entry.occurrences for entry in view.entries.get(kind, ()))}


def _sentence_number(source, problem) -> int:
    """The number, printed in the margin, of the sentence a note's call stands in."""
    return next((pair.number for pair in source.pairs if pair.id == problem.sentence_id), 0)


def _place_after(fragment, target_id: str, call) -> None:
    """Right after the passage's last word, even inside a name (the site hoists its buttons out
    of names; print has no such limit), or at the sentence's end."""
    targets = fragment.xpath(f"//*[@id='{target_id}']") if target_id else []
    if not targets or targets[0] is fragment:
        fragment.append(call)
        return
    space = _take_trailing_space(targets[0])  # "…Hassan |" : the call goes before the space
    targets[0].addnext(call)
    call.tail, targets[0].tail = space + (targets[0].tail or ""), None


def _take_trailing_space(element) -> str:
    """Remove and return the white space that ends an element's text (a break before the call)."""
    if len(element):
        last = element[-1]
        if last.tail:
            stripped = last.tail.rstrip()
            space, last.tail = last.tail[len(stripped):], stripped
            return space
        return _take_trailing_space(last)
    text = element.text or ""
    element.text = text.rstrip()
    return text[len(element.text):]


def merge_adjacent_calls(fragment) -> None:
    """Calls with no text between them (nested passages that end together, two notes on
    one passage) become one superscript, "3,4", so that they cannot read as "34"."""
    previous = None
    for kind, item in list(_text_and_calls(fragment)):
        if kind == "text":
            previous = None if item else previous
            continue
        if previous is None:
            previous = item
            continue
        numbers = sorted(int(n) for n in previous.get("data-numbers").split() + item.get("data-numbers").split())
        previous.set("data-numbers", " ".join(map(str, numbers)))
        previous.text = "\u2060" + call_label(numbers)
        anchor = lxml_html.fragment_fromstring(f'<span class="call-anchor" id="{item.get("id")}"></span>')
        previous.append(anchor)
        _remove_keeping_tail(item)


def _notes_in_order(fragment) -> None:
    """The notes of a merged call ("16,17") right after it in the order of their numbers (two
    passages that end at one place were given their calls, and so their notes, in either order)."""
    for call in fragment.xpath("//a[@class='call']"):
        numbers = call.get("data-numbers").split()
        if len(numbers) < 2:
            continue
        notes = sorted((n for n in fragment.xpath("//span[@class='footnote'][@data-call]")
                        if n.get("data-call") in numbers), key=lambda n: int(n.get("data-call")))
        for note in notes:
            _remove_keeping_tail(note)
        for note in reversed(notes):
            note.tail, call.tail = call.tail, None
            call.addnext(note)


def _text_and_calls(element):
    """("text", str) and ("call", element) in reading order."""
    yield "text", element.text or ""
    for child in element:
        if child.get("class") == "call":
            yield "call", child
        elif child.get("class") != "footnote":
            yield from _text_and_calls(child)
        yield "text", child.tail or ""


def _remove_keeping_tail(element) -> None:
    parent, previous, tail = element.getparent(), element.getprevious(), element.tail or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def call_label(numbers: list[int]) -> str:
    """3,4 for two calls; 3–6 for a run of three or more."""
    if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{numbers[0]}\u2013{numbers[-1]}"
    return ",".join(map(str, numbers))


def _without_running_head(page) -> None:
    """A chapter's opening page carries no running head (its title says what it is)."""
    box = page._page_box
    box.children = [child for child in box.children
                    if getattr(child, "at_keyword", None) not in ("@top-left", "@top-right", "@top-center")]
