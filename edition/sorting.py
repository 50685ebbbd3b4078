"""Register entries and index headings → sort keys: surname then forename, numbers as numbers.

One place for the order of every register and index, on the site and in the
book. A `@sortKey` on the entry or its canonical name, or a `<sortKey>`
child, wins (TEI Guidelines §13.3.1, att.sortable); a name marked up with
`surname`/`forename` sorts by them; otherwise a personal name sorts by its
last word ("Georgy Zhukov" under Z), except where the surname comes first by
convention (a name written in Chinese, Japanese or Korean, or marked
`@type="surname-first"` / `@full="yes"` … is left as written). Digits compare as
numbers, so "2nd" comes before "10th". Case and accents are folded.
"""
from __future__ import annotations

import re
import unicodedata

from .xmlio import NS, XML_LANG, tei

_DIGITS = re.compile(r"(\d+)")
SURNAME_FIRST_LANGS = {"zh", "ja", "ko", "vi", "hu", "mn"}


def natural_key(text: str) -> tuple:
    """Folded text with runs of digits compared as numbers: '1st' < '2nd' < '10th'."""
    folded = fold(text)
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in _DIGITS.split(folded) if part)


def fold(text: str) -> str:
    """Lower case without accents or leading articles and punctuation."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.sub(r"^(the|a|an)\s+|[^\w\s]", "", bare.strip()).strip()


def explicit_sort_key(element) -> str | None:
    """A sort key the editors wrote: @sortKey on the element or a <sortKey> child."""
    if element is None:
        return None
    if element.get("sortKey"):
        return element.get("sortKey")
    child = element.find("tei:sortKey", NS)
    return "".join(child.itertext()).strip() if child is not None else None


def person_sort_text(name_element, displayed: str) -> str:
    """Surname, forename for a personal name (see the module's docstring)."""
    surname = name_element.findtext(".//tei:surname", namespaces=NS) if name_element is not None else None
    if surname:
        forenames = " ".join(f.text or "" for f in name_element.iterfind(".//tei:forename", NS))
        return f"{surname} {forenames}".strip()
    lang = (name_element.get(XML_LANG) or "").split("-")[0] if name_element is not None else ""
    words = displayed.split()
    if lang in SURNAME_FIRST_LANGS or len(words) < 2 or _surname_first(name_element):
        return displayed
    return " ".join([words[-1], *words[:-1]])


def _surname_first(name_element) -> bool:
    return name_element is not None and name_element.get("type") == "surname-first"


def entry_sort_key(kind: str, entry_element, name_element, displayed: str) -> tuple:
    """The key a register entry sorts by: explicit, else by kind (persons by surname)."""
    explicit = explicit_sort_key(entry_element) or explicit_sort_key(name_element)
    if explicit:
        return natural_key(explicit)
    if kind == "person" or (entry_element is not None and entry_element.tag == tei("person")):
        return natural_key(person_sort_text(name_element, displayed))
    return natural_key(displayed)


def work_sort_key(bibl) -> tuple:
    """Works cited: @sortKey/<sortKey>, else the first author's (or editor's) surname and names,
    then the year, then the title — "Coox 1977" before "Coox 1985" before "Drea 1981"."""
    explicit = explicit_sort_key(bibl)
    if explicit:
        return natural_key(explicit), ()
    who = bibl.find(".//tei:author", NS)
    who = who if who is not None else bibl.find(".//tei:editor", NS)
    name = " ".join("".join(who.itertext()).split()) if who is not None else ""
    name = name.split("(")[0].strip()  # "Касахара Кота (Kasahara Kōta)": the name as written
    year = re.search(r"\d{4}", " ".join(bibl.xpath(".//tei:date//text() | .//tei:date/@when", namespaces=NS)) or "")
    title = " ".join("".join(t.itertext()).split()) if (t := bibl.find(".//tei:title", NS)) is not None else ""
    return natural_key(person_sort_text(who, name) if name else title), natural_key(year[0] if year else ""), natural_key(title)
