"""Events the sentences narrate (@ana="evt:…") and the figures they give (num, measure)."""
from __future__ import annotations

from ...corpus import Corpus
from ...xmlio import NS, XML_ID, tei
from .model import Source, text_of
from .notes import enclosing_sentence
from .view import Claim, Event


def events_of(corpus: Corpus, sources: list[Source]) -> list[Event]:
    document = corpus.documents.get((corpus.edition.registers_dir / "events.xml").resolve())
    if document is None:
        return []
    events = []
    for item in document.root.iter(tei("event")):
        event = Event(item.get(XML_ID), text_of(item.find("tei:label", NS)), item,
                      item.get("when") or item.get("from") or item.get("notBefore"),
                      item.get("when") or item.get("to") or item.get("notAfter"))
        for source in sources:
            pairs = [p for p in source.pairs if event.id in p.events]
            if pairs:
                event.sentences[source.id] = pairs
        events.append(event)
    return sorted(events, key=lambda e: (e.start or "9999"))


def claims_of(sources: list[Source]) -> list[Claim]:
    claims = []
    for source in sources:
        for element in (e for pair in source.pairs if pair.original is not None
                        for e in pair.original.xpath(".//tei:num[not(ancestor::tei:measure)] | .//tei:measure",
                                                     namespaces=NS)):
            sentence = enclosing_sentence(element)
            value = _claimed_value(element)
            if element.get("unit"):
                value = f"{value} {element.get('unit')}"
            events = [a.split(":", 1)[-1] for a in (sentence.get("ana") or "").split()] if sentence is not None else []
            claims.append(Claim(source.id, sentence.get(XML_ID) if sentence is not None else None,
                                element.get("type") or element.tag.rsplit("}", 1)[-1], value,
                                text_of(element), events))
    return claims


def _claimed_value(element) -> str:
    """A figure's value: exact (@value, @quantity), or a bound (@atLeast "≥ 120", @atMost "≤ 200"),
    on the element or on the num a measure holds (its unit stays on the measure)."""
    for candidate in (element, element.find("tei:num", NS)):
        if candidate is None:
            continue
        if candidate.get("value") or candidate.get("quantity"):
            return candidate.get("value") or candidate.get("quantity")
        if candidate.get("atLeast"):
            return f"≥ {candidate.get('atLeast')}"
        if candidate.get("atMost"):
            return f"≤ {candidate.get('atMost')}"
    return ""
