"""The edition's own file (tei/edition.xml) and bibliography: titles, front matter, categories, works."""
from __future__ import annotations

from ...corpus import Corpus
from ...sorting import work_sort_key
from ...xmlio import NS, XML_ID, tei
from .model import text_of


def titles(front) -> tuple[str, str]:
    if front is None:
        return "Edition", ""
    main = front.root.findtext(".//tei:titleStmt/tei:title[@type='main']", namespaces=NS) or \
        front.root.findtext(".//tei:titleStmt/tei:title", namespaces=NS) or "Edition"
    sub = front.root.findtext(".//tei:titleStmt/tei:title[@type='sub']", namespaces=NS) or ""
    return main, sub


def front_matter(front):
    return None if front is None else front.root.find(".//tei:text/tei:front", NS)


def categories_of(front) -> dict[str, str]:
    if front is None:
        return {}
    return {c.get(XML_ID): _category_label(c) for c in front.root.iter(tei("category"))}


def _category_label(category) -> str:
    """"False claim: the text states…" → "False claim"; a description with no
    label of its own is named from the category's id ("wrong-date" → "Wrong date")."""
    description = text_of(category.find("tei:catDesc", NS))
    if ":" in description:
        return description.split(":")[0]
    return category.get(XML_ID, "").replace("-", " ").capitalize()


def bibliography_of(corpus: Corpus) -> list:
    document = corpus.documents.get((corpus.edition.tei_dir / "bibliography.xml").resolve())
    works = [] if document is None else document.root.xpath(".//tei:listBibl/tei:bibl", namespaces=NS)
    return sorted(works, key=work_sort_key)
