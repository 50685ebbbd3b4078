"""View-models + book template → HTML for WeasyPrint → PDF (two layout passes)."""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from lxml import html as lxml_html
from markupsafe import Markup

from ..html.collect import EditionView, Pair, text_of
from ..html.pages import (KIND_LABELS, REGISTER_PAGES, entry_facts, event_dates, inner_html,
                          place_after_passage)
from ..safety import clean_stylesheet, pdf_fetcher
from ..xmlio import NS

PDF_VARIANT = "pdf/ua-1"  # tagged PDF for accessibility (WeasyPrint ≥ 61)
_TRAILING_SPACE = re.compile(r"[ \t]+\n")


# Layouts tried before the index's page numbers must agree with the pages (two or three suffice).
MAX_LAYOUTS = 4


class BookWriter:
    def __init__(self, view: EditionView, render, styles, built: str,
                 allowed: tuple[Path, ...] = (), warn=None):
        self.view, self._render, self.styles, self.built = view, render, styles, built
        self.allowed = allowed or tuple(styles.folders)  # folders the book may take files from
        self.warn = warn or (lambda message: None)
        self.mentions: dict[str, list[str]] = defaultdict(list)  # ref -> anchor ids, in order
        self.translator_notes: dict[str, list] = defaultdict(list)
        self.env = Environment(loader=FileSystemLoader(styles.template_dirs()), autoescape=True,
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.env.globals.update(view=view, built=built, ns=NS, render=self.render,
                                render_pair=self.render_pair,
                                entry_facts=entry_facts, event_dates=event_dates, text_of=text_of,
                                kind_labels=KIND_LABELS, register_headings=REGISTER_PAGES,
                                footnote=self.footnote, pages_of=self.pages_of,
                                mentioned=lambda ref: bool(self.mentions.get(ref)))
        self.pages: dict[str, int] = {}
        self.anchors = 0

    # --- content ----------------------------------------------------------------
    def render(self, element, content_only: bool = False) -> Markup:
        return Markup(self._render(element, content_only=content_only)) if element is not None else Markup("")

    def render_pair(self, pair: Pair, column: str) -> Markup:
        """One side of a sentence pair, with index anchors on every mention and,
        in the original, the factual problems as footnotes after their passage."""
        element = pair.original if column == "original" else pair.translation
        if element is None:  # a draft translation builds, with a visible placeholder
            return Markup('<span class="untranslated">[not yet translated]</span>')
        fragment = lxml_html.fragment_fromstring(self._render(element, content_only=True) or "",
                                                 create_parent="span")
        for mention in fragment.xpath("//*[@data-ref]"):
            if not mention.get("id"):
                self.anchors += 1
                mention.set("id", f"m{self.anchors}")
            for ref in mention.get("data-ref").split():
                self.mentions[ref].append(mention.get("id"))
        if column == "original":
            for problem in pair.problems:
                self._attach_footnote(fragment, problem)
        return Markup(inner_html(fragment))

    def _attach_footnote(self, fragment, problem) -> None:
        place_after_passage(fragment, problem.target_id, lxml_html.fragment_fromstring(str(self.footnote(problem))))

    def footnote(self, problem) -> Markup:
        parts = [Markup('<span class="fn-category">{}</span>').format(problem.category_label)]
        for kind in ("problem", "correction"):
            part = problem.part(kind)
            if part is not None:
                parts.append(self.render(part, content_only=True))
        evidence = [self.render(b, content_only=True) for b in problem.evidence]
        if evidence:
            parts.append(Markup("<em>Evidence:</em> ") + Markup("; ").join(evidence))
        if problem.cert:
            parts.append(Markup('<span class="fn-cert">Certainty: {}.</span>').format(problem.cert))
        return Markup('<span class="footnote" id="fn-{}">{}</span>').format(problem.id, Markup(" ").join(parts))

    def pages_of(self, ref: str) -> list[tuple[int, str]]:
        """(page, anchor) of each page a register entry is mentioned on, once per page."""
        seen, result = set(), []
        for anchor in self.mentions.get(ref, []):
            page = self.pages.get(anchor)
            if page is not None and page not in seen:
                seen.add(page)
                result.append((page, anchor))
        return sorted(result)

    # --- output -----------------------------------------------------------------
    def html(self) -> str:
        self.mentions.clear()
        self.anchors = 0
        # WeasyPrint (67) fails an assertion on spaces before a newline in preserved white space
        # (egXML in the TEI Stylesheets' test document); they are never visible, so they go.
        return _TRAILING_SPACE.sub("\n", self.env.get_template("book.html").render())

    def write(self, path: Path) -> Path:
        from weasyprint import CSS, HTML
        book_css = self.styles.find("css/book.css")
        base = book_css.parent.parent
        fetcher = pdf_fetcher(self.allowed, self.warn)  # the edition's files and assets only
        stylesheets = [CSS(filename=str(book_css), url_fetcher=fetcher),
                       CSS(string=clean_stylesheet(getattr(self._render, "stylesheet", "") or ""),
                           url_fetcher=fetcher)]  # the ODD's outputRenditions
        # The index prints the pages of the previous layout; printing them changes the
        # index's length and so may move what follows or precedes page breaks (a page
        # fewer once the numbers are in). Lay out again until the pages no longer move.
        document = None
        for _ in range(MAX_LAYOUTS):
            document = HTML(string=self.html(), base_url=str(base), url_fetcher=fetcher).render(
                stylesheets=stylesheets)
            pages = {anchor: number for number, page in enumerate(document.pages, start=1)
                     for anchor in page.anchors}
            if pages == self.pages:
                break
            self.pages = pages
        document.metadata.title = self.view.title
        config = self.view.config  # tei/edition.xml's header (edition/config.py)
        document.metadata.authors = config.editors or ["The editors"]
        document.metadata.lang = config.lang
        document.metadata.keywords = config.keywords
        path.parent.mkdir(parents=True, exist_ok=True)
        document.write_pdf(str(path), pdf_variant=PDF_VARIANT)
        return path
