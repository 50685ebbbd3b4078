"""Matches in text nodes → TEI elements, touching nothing else.

The annotatable text of a source is every text node inside its original and
translation divs, except inside elements that must not receive annotations:
existing annotations (a name is never nested in a name, a date in a date),
editorial layers (corr, reg, expan, note, supplied), choice, and refs.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from lxml import etree

from ..xmlio import NS, XML_ID, XML_LANG, tei

ANNOTATIONS = ("persName", "placeName", "orgName", "date", "num", "measure", "name", "rs",
               "geogName", "time")
NO_ANNOTATION_INSIDE = {tei(n) for n in ANNOTATIONS + (
    "choice", "corr", "reg", "expan", "sic", "orig", "abbr", "note", "supplied", "ref", "ptr",
    "title", "foreign", "gap", "label", "idno")}


@dataclass
class TextSlot:
    """A text node: the .text of `parent` (anchor None) or the .tail of `anchor`."""
    parent: object
    anchor: object | None
    lang: str

    @property
    def text(self) -> str:
        return (self.parent.text if self.anchor is None else self.anchor.tail) or ""


def annotatable_slots(root) -> Iterator[TextSlot]:
    """Text nodes of the original and translation divs, in document order."""
    for division in root.xpath(".//tei:body/tei:div[@type='original' or @type='translation']",
                               namespaces=NS):
        yield from _slots(division)


def _slots(element) -> Iterator[TextSlot]:
    if not isinstance(element.tag, str) or element.tag in NO_ANNOTATION_INSIDE:
        return
    lang = language_of(element)
    if element.text:
        yield TextSlot(element, None, lang)
    for child in element:
        yield from _slots(child)
        if child.tail:
            yield TextSlot(element, child, lang)


def language_of(element) -> str:
    while element is not None:
        if element.get(XML_LANG):
            return element.get(XML_LANG)
        element = element.getparent()
    return ""


def wrap(slot: TextSlot, spans: list[tuple[int, int, str, dict]]) -> list:
    """Wrap each (start, end, tag, attributes) span of the slot's text in a new
    TEI element; spans must be sorted and not overlap. Returns the new elements."""
    text, created = slot.text, []
    pieces = [text[: spans[0][0]]] if spans else [text]
    for index, (start, end, tag, attributes) in enumerate(spans):
        element = etree.Element(tei(tag), {k: v for k, v in attributes.items()})
        element.text = text[start:end]
        following = spans[index + 1][0] if index + 1 < len(spans) else len(text)
        element.tail = text[end:following] or None
        created.append(element)
    first = pieces[0] or None
    if slot.anchor is None:
        slot.parent.text = first
        for offset, element in enumerate(created):
            slot.parent.insert(offset, element)
    else:
        slot.anchor.tail = first
        position = slot.parent.index(slot.anchor)
        for offset, element in enumerate(created, start=1):
            slot.parent.insert(position + offset, element)
    return created


def slot_sentence(slot: TextSlot) -> str | None:
    """The xml:id of the <s> a text slot stands in, if any."""
    for element in [slot.parent, *slot.parent.iterancestors()]:
        if element.tag == tei("s"):
            return element.get(XML_ID)
    return None


def rejected_annotations(root) -> set[tuple[str | None, str, str]]:
    """(sentence id, element name, words) of every machine annotation a scholar
    rejected: <change type="rejected-annotation" target="#sentence"> in the
    revisionDesc holds a copy of the rejected element (edition/edit/tagging.py)."""
    from ..sources.reading import element_text
    found = set()
    for change in root.iter(tei("change")):
        if change.get("type") == "rejected-annotation":
            target = (change.get("target") or "").removeprefix("#") or None
            for record in change:
                if isinstance(record.tag, str):
                    found.add((target, etree.QName(record).localname, element_text(record)))
    return found
