"""tei/bibliography.xml → Chicago author–date citations ("Coox 1985") and the list of works cited.

The Chicago Manual of Style, author–date system (ch. 15): in the text a short
citation, author's surname and year, with a locator after a comma when the
evidence gives one ("Coox 1985, 2:914"); in the reference list the full entry,
alphabetical by the first author's surname, the year straight after the name,
titles of books in italic. The surname is the TEI's own `surname` when the
entry marks it, otherwise the last word of the name (or, for a name given with
a transliteration in parentheses, the transliteration's first word: East Asian
names are written family name first, as the registers write them).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..sorting import natural_key
from ..xmlio import NS, XML_ID, tei

_TRANSLITERATION = re.compile(r"\(([^()]+)\)\s*$")


@dataclass
class Work:
    id: str
    element: object
    surname: str
    year: str

    @property
    def short(self) -> str:
        """The author–date citation without parentheses: "Coox 1985"."""
        return f"{self.surname} {self.year}".strip()

    @property
    def sort_key(self) -> tuple:
        return natural_key(_inverted(_creator(self.element)) or self.id), natural_key(self.year)


def works(bibliography: list) -> list[Work]:
    """The works cited, in the reference list's order (author, then year)."""
    found = [Work(b.get(XML_ID), b, _surname(_creator(b)), _year(b)) for b in bibliography]
    return sorted(found, key=lambda w: w.sort_key)


def citation(work: Work | None, target: str, locator: str = "") -> Markup:
    """A short citation linked to its entry in Works cited, or the key marked as unresolved."""
    if work is None:
        return Markup('<span class="unresolved">[{}]</span>').format(target)
    label = work.short + (f", {locator}" if locator else "")
    return Markup('<a class="citation" href="#work-{}">{}</a>').format(work.id, label)


def reference(work: Work) -> Markup:
    """The full entry: Surname, Forename. Year. <i>Title</i>. Place: Publisher."""
    parts = [escape(_inverted(_creator(work.element))), escape(_editor_mark(work.element))]
    head = Markup("").join(parts).strip().rstrip(".")
    body = _rest(work.element)
    return Markup("{}. {}. {}").format(head, work.year or "n.d.", body)


def _creator(bibl):
    return bibl.find("tei:author", NS) if bibl.find("tei:author", NS) is not None else bibl.find("tei:editor", NS)


def _name_text(element) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _surname(element) -> str:
    if element is None:
        return ""
    marked = element.findtext(".//tei:surname", namespaces=NS)
    if marked:
        return marked.strip()
    text = _name_text(element)
    transliterated = _TRANSLITERATION.search(text)
    if transliterated:
        return transliterated[1].split()[0]
    return text.split()[-1] if text.split() else ""


def _inverted(element) -> str:
    """Coox, Alvin D.; Kasahara Kōta (Касахара Кота): the name as the reference list sorts it."""
    if element is None:
        return ""
    text = _name_text(element)
    transliterated = _TRANSLITERATION.search(text)
    if transliterated:
        return f"{transliterated[1].strip()} ({text[:transliterated.start()].strip()})"
    surname = _surname(element)
    forenames = text.rsplit(surname, 1)[0].strip() if surname and surname in text else ""
    return f"{surname}, {forenames}" if forenames else text


def _editor_mark(bibl) -> str:
    return ", ed." if bibl.find("tei:author", NS) is None and bibl.find("tei:editor", NS) is not None else ""


def _year(bibl) -> str:
    date = bibl.find("tei:date", NS)
    if date is None:
        return ""
    return (date.get("when") or "".join(date.itertext())).strip()[:4]


def _rest(bibl) -> Markup:
    """The entry after its creator and date, titles of books and journals in italic."""
    out = [escape(_strip_role(bibl.text or ""))]
    for child in bibl:
        if child.tag in (tei("author"), tei("editor"), tei("date")):
            out.append(escape(_strip_role(child.tail or "")))
            continue
        out.append(_inline(child))
        out.append(escape(child.tail or ""))
    text = Markup("").join(out)
    text = re.sub(r",(\s*,)+", ",", str(text))  # the date moved out from between two commas
    text = re.sub(r"\s*,\s*(?=\.|$)", "", text)   # the comma that led to the moved date
    text = re.sub(r"^[\s,.]+", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    return Markup(text if text.endswith(".") else text + ".")


def _strip_role(text: str) -> str:
    return re.sub(r"^\s*\(eds?\.\)", "", text)


def _inline(element) -> Markup:
    content = Markup("").join([escape(element.text or "")] + [_inline(c) + escape(c.tail or "") for c in element])
    if element.tag == tei("title") and element.get("level") in ("m", "j", None):
        return Markup("<i>{}</i>").format(content)
    if element.tag == tei("ref") and element.get("target"):
        return Markup('<a class="url" href="{}">{}</a>').format(element.get("target"), content)
    return content
