"""Factual-problem notes → the book's two levels of apparatus: a short footnote and the full note.

Editorial decision (argued in the README): the foot of the page says what is
wrong, in a line or two — the category and the problem as the editors state it
(`ab[@type='problem']`) — and points forward to the full note; the full note
(passage, problem, correction, evidence as Chicago author–date citations,
certainty) stands in the apparatus at the end of the source's chapter and
points back to the sentence of the call (its number in the margin); the
numbers are links both ways, and each level gives the page of the other: the
short note "Full note p. 31", the full note "call p. 12". Not with CSS
target-counter(): WeasyPrint 70 lays out again every page that holds one, even a
backward reference (measured: 120 page layouts for the 70 pages of the body, a
third more time). The number is set instead as a placeholder of figures of
tabular width (`page_reference`), which book.py fills in with the target's page
once the part is laid out: the same width, so the layout stands.
"""
from __future__ import annotations

import re

from markupsafe import Markup

from ..html.collect import text_of
from ..xmlio import NS
from .citations import Work, citation

_SENTENCE_REF = re.compile(r"\bs(\d+)\b")


def page_reference(target: str, digits: int) -> Markup:
    """A page number not yet known, a link to `target`: `digits` figures that book.py replaces
    with the page of that element."""
    return Markup('<a class="page-ref" href="#{0}" data-target="{0}">{1}</a>').format(target, "0" * digits)


class Apparatus:
    """Renders the notes of one edition; `render` is the print-mode processing model."""

    def __init__(self, render, works: list[Work]):
        self._render = render
        self._works = {w.id: w for w in works}
        self.digits = 2  # of the page numbers in the cross-references (book.py may need more)

    def footnote(self, problem) -> Markup:
        """The short note, floated to the foot of the page (its call is printed by the text)."""
        problem_text = self._part(problem, "problem")
        return Markup(
            '<span class="footnote" lang="en" id="fn-{id}" data-call="{n}">'
            '<span class="fn-body"><a class="fn-number" href="#app-{id}">{n}</a>\u2002'
            '<span class="fn-category">{category}.</span> {problem} '
            '<span class="fn-ref">Full note p.\u00a0{page}</span></span></span>').format(
                id=problem.id, n=problem.number, category=problem.category_label, problem=problem_text,
                page=page_reference(f"app-{problem.id}", self.digits))

    def entry(self, problem, source, sentence_number: int) -> Markup:
        """The full note in the chapter's apparatus, with its way back to the call."""
        parts = [Markup('<span class="app-lemma" lang="{}">{}</span>\u2009]').format(
            source.lang, text_of(problem.target) or "")]
        for kind in ("problem", "correction"):
            rendered = self._part(problem, kind, source)
            if rendered:
                parts.append(Markup('<span class="app-{}">{}</span>').format(kind, rendered))
        evidence = self.evidence(problem)
        if evidence:
            parts.append(Markup('<span class="app-evidence"><i>Evidence:</i> {}.</span>').format(
                Markup("; ").join(evidence)))
        if problem.cert:
            parts.append(Markup('<span class="app-cert">Certainty: {}.</span>').format(problem.cert))
        where = Markup('<a class="app-sentence" href="#{}">s{}</a>').format(
            problem.sentence_id, sentence_number) if problem.sentence_id else ""
        return Markup(
            '<li class="app-entry" id="app-{id}" lang="en"><span class="app-head">'
            '<a class="app-number" href="#fn-call-{id}">{n}</a> <span class="app-category">{category}</span> '
            '{where}<span class="app-page">, call p.\u00a0{page}</span></span> {body}</li>').format(
                id=problem.id, n=problem.number, category=problem.category_label, where=where,
                page=page_reference(f"fn-call-{problem.id}", self.digits),
                body=Markup(" ").join(parts))

    def evidence(self, problem) -> list[Markup]:
        items = []
        for bibl in problem.evidence:
            for ptr in bibl.xpath("tei:ptr[@target]", namespaces=NS):
                target = ptr.get("target")
                locator = bibl.findtext("tei:citedRange", namespaces=NS) or ""
                items.append(citation(self._works.get(target.split(":", 1)[-1].lstrip("#")), target,
                                      locator.strip()))
            rest = bibl.__copy__()
            for child in rest.xpath("tei:ptr | tei:citedRange", namespaces=NS):
                _drop(child)
            if text_of(rest):
                items.append(_with_urls(self._rendered(rest)))
        return items

    def _part(self, problem, kind: str, source=None) -> Markup:
        part = problem.part(kind)
        if part is None:
            return Markup("")
        rendered = self._rendered(part)
        return _link_sentences(rendered, source.id) if source is not None else rendered

    def _rendered(self, element) -> Markup:
        return Markup(self._render(element, content_only=True) or "")


def _drop(element) -> None:
    """Remove an element, keeping its tail text."""
    parent, tail = element.getparent(), element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


_HREF = re.compile(r'<a\b[^>]*href="(https?://[^"]+)"[^>]*>(.*?)</a>', re.S)


def _with_urls(rendered: Markup) -> Markup:
    """A web page cited as evidence: its title, then the address itself, which print needs."""
    return Markup(_HREF.sub(lambda m: f'{m[2]}, <a class="url" href="{m[1]}">{m[1]}</a>', str(rendered)))


def _link_sentences(rendered: Markup, source_id: str) -> Markup:
    """"s39" in a note is the source's sentence 39 (the number printed in the margin): a link to it."""
    parts = re.split(r"(<[^>]+>)", str(rendered))
    return Markup("".join(p if p.startswith("<") else _SENTENCE_REF.sub(
        lambda m: f'<a class="sentence-ref" href="#{source_id}-s{m[1]}">s{m[1]}</a>', p) for p in parts))

