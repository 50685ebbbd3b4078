"""Register entries + the pages their mentions fell on → the book's indexes.

An index lists each entry under its heading as a reader looks it up: people
inverted ("Zhukov, Georgy"), everything in the order of edition/sorting.py
(the same keys as the site's registers). A name form in another script
(朱可夫, ซูคอฟ) is a see-reference to the heading, so that a reader who meets
the form in an original can find the entry; see-references sort after the
Latin headings, by their own text.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from ..sorting import SURNAME_FIRST_LANGS, natural_key, person_sort_text
from ..xmlio import NS, XML_LANG, tei


@dataclass
class IndexLine:
    heading: str
    sort_key: tuple
    ref: str = ""                  # the entry's ref, for its pages
    entry: object | None = None
    see: str = ""                  # a see-reference: the heading it points to
    lang: str = ""
    pages: list[tuple[int, str]] = field(default_factory=list)


def index_lines(entries, pages_of) -> list[IndexLine]:
    """Headings of the entries mentioned in the book, with their pages, and see-references."""
    lines, seen = [], set()
    for entry in entries:
        pages = pages_of(entry.ref)
        if not pages:
            continue
        heading = heading_of(entry)
        key = natural_key(heading) if _family_name_first(entry) else entry.sort_key
        lines.append(IndexLine(heading, (0, key), entry.ref, entry, pages=pages))
        for form, lang in entry.forms:
            if form and not _latin(form) and (form, heading) not in seen:
                seen.add((form, heading))
                lines.append(IndexLine(form, (1, natural_key(form)), see=heading, lang=lang))
    return sorted(lines, key=lambda line: line.sort_key)


def heading_of(entry) -> str:
    """The heading as the index prints it: a person's surname first, set off by a comma."""
    if entry.kind != "person" or _family_name_first(entry):
        return entry.name
    canonical = next((n for n in entry.element.findall(tei("persName")) if n.get("type") == "canonical"),
                     entry.element.find(tei("persName")))
    inverted = person_sort_text(canonical, entry.name)
    if inverted == entry.name or canonical is None:
        return entry.name
    surname = canonical.findtext(".//tei:surname", namespaces=NS) or entry.name.split()[-1]
    rest = inverted[len(surname):].strip()
    return f"{surname}, {rest}" if rest else surname


def _family_name_first(entry) -> bool:
    """A person whose original name (persName type="original") is Japanese, Chinese or Korean is
    written family name first in English too ("Arita Hachirō"), as the registers write it."""
    return entry.kind == "person" and any(
        (name.get(XML_LANG) or "").split("-")[0] in SURNAME_FIRST_LANGS
        for name in entry.element.findall(tei("persName")) if name.get("type") == "original")


def _latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return all("LATIN" in unicodedata.name(c, "") for c in letters)
