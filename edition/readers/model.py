"""What a reader gives the view-model: aligned units, and the parts rendered whole."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..xmlio import NS, XML_LANG


@dataclass
class Unit:
    """One row of the parallel text: an original unit and its counterpart (either may be missing)."""
    original: object | None
    translation: object | None


@dataclass
class Reading:
    encoding: str                 # how the source encodes its translation, for the build report
    unit: str = ""                # the aligned unit: s, seg, p, ab, div …
    lang: str = ""
    translation_lang: str = ""
    paragraphs: list[tuple[str, list[Unit]]] = field(default_factory=list)  # (id, rows)
    before: list = field(default_factory=list)   # parts rendered whole before the parallel text
    after: list = field(default_factory=list)    # … and after it (notes, apparatus, commentary)
    alignment: str = ""           # "pointers" (@corresp), "order", "lengths" — for the report
    elsewhere: list = field(default_factory=list)  # parts another page shows (the house apparatus)

    @property
    def units(self) -> list[Unit]:
        return [unit for _, rows in self.paragraphs for unit in rows]

    @property
    def parallel(self) -> bool:
        return any(u.translation is not None for u in self.units)


def language_of(element, default: str = "") -> str:
    """The xml:lang in force at an element (Guidelines §vi.1: inherited from the nearest ancestor)."""
    while element is not None:
        if element.get(XML_LANG):
            return element.get(XML_LANG)
        element = element.getparent()
    return default


def prevailing_language(text) -> str:
    """The language most of a text's characters are marked in, when more than half are (a
    dictionary of German entries quoting Greek, with no xml:lang on <text>: German), else ""."""
    from collections import Counter
    from lxml import etree
    counts, in_force = Counter(), [""]
    for event, element in etree.iterwalk(text, events=("start", "end")):
        if not isinstance(element.tag, str):  # a comment or processing instruction: its tail only
            if event == "end" and element.tail:
                counts[in_force[-1]] += len(element.tail.strip())
            continue
        if event == "start":
            in_force.append(element.get(XML_LANG) or in_force[-1])
            counts[in_force[-1]] += len((element.text or "").strip())
        else:
            in_force.pop()
            if element is not text:
                counts[in_force[-1]] += len((element.tail or "").strip())
    marked = [(chars, lang) for lang, chars in counts.items() if lang]
    chars, lang = max(marked, default=(0, ""))
    return lang if chars * 2 > sum(counts.values()) else ""


def declared_language(root, other_than: str = "") -> str:
    """The first language of the header's langUsage (other than `other_than`), for parts with no xml:lang."""
    for ident in root.xpath(".//tei:profileDesc/tei:langUsage/tei:language/@ident", namespaces=NS):
        if ident != other_than:
            return ident
    return ""


def translated_language(root, translation, original_lang: str) -> str:
    """A translation's own language: its xml:lang (or its text's), else the header's other language.
    One inherited from the document, the original's, says nothing about it."""
    own = translation.get(XML_LANG) or (translation.getparent().get(XML_LANG)
                                        if translation.getparent() is not None and
                                        translation.getparent().tag.endswith("}text") else None)
    return own or declared_language(root, original_lang)
