"""The edition's bibliographic description → what a reader or a program cites.

One place for how the edition is cited: the meta tags every page carries
(Highwire Press `citation_*` and Dublin Core `DC.*`, which Zotero and Google
Scholar read), and the data the "Cite this passage" box of a sentence builds
its citation, CSL-JSON and BibTeX from (styles/js/site.js). The facts come
from the edition's TEI header (tei/edition.xml: title, editors, publisher,
licence) and each source's header; the version is the build date.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..xmlio import NS
from .collect import EditionView, text_of


@dataclass
class Citation:
    title: str
    subtitle: str
    editors: list[str]
    publisher: str
    licence: str
    version: str  # the build date: "2026-12-01"
    languages: list[str] = field(default_factory=list)

    def meta(self, page_title: str, language: str = "en", source=None) -> list[tuple[str, str]]:
        """Highwire and Dublin Core tags for one page (a source page names its source)."""
        tags = [("citation_title", page_title)]
        if source is not None or page_title != self.title:
            tags.append(("citation_inbook_title" if source is None else "citation_book_title", self.title))
        tags += [("citation_editor", name) for name in self.editors]
        tags += [("citation_publisher", self.publisher), ("citation_publication_date", self.version.replace("-", "/")),
                 ("citation_language", source.lang if source is not None else language),
                 ("DC.title", page_title), ("DC.publisher", self.publisher), ("DC.date", self.version),
                 ("DC.type", "Text"), ("DC.format", "text/html"),
                 ("DC.language", source.lang if source is not None else language)]
        tags += [("DC.contributor", name) for name in self.editors]
        if source is not None:
            tags += [("DC.relation.isPartOf", self.title), ("DC.description", source.description[:300])]
        if self.licence:
            tags.append(("DC.rights", self.licence))
        return [(name, value) for name, value in tags if value]


def citation_of(view: EditionView, built: str) -> Citation:
    header = view.front.getroottree().getroot() if view.front is not None else None
    if header is None:
        return Citation(view.title, view.subtitle, [], "", "", built[:10])

    def all_text(xpath):
        return [text_of(e) for e in header.xpath(xpath, namespaces=NS) if text_of(e)]
    editors = all_text(".//tei:titleStmt/tei:editor")
    publisher = (all_text(".//tei:publicationStmt/tei:publisher") or [""])[0]
    licence = (header.xpath(".//tei:publicationStmt//tei:licence/@target", namespaces=NS) or [""])[0]
    return Citation(view.title, view.subtitle, editors, publisher, licence, built[:10])
