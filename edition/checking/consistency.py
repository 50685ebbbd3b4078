"""The consistency of facts: what the editors say about an event agrees with
the event's entry in the register (diagnostics, in one run).

The edition keeps each shared fact in one place — the register entry of the
event — and everything else refers to it. Two things about such references
can be stated mechanically, and are checked here:

- event-date: a <date> in the editors' own text (a note, a register, the
  front matter — not the words of a source or their translation) that says
  it is the date of an event, with @corresp or @ana pointing to the event,
  must agree with the event's dates in the register. "Agree" means the two
  spans, compared at the precision of the coarser one, are nested: the date
  lies within the event (30 May for an event of 29 May – 12 June), or a
  coarser date holds the whole event ("August 1938" for a truce of
  11 August); times of day are compared only when both give one. Two spans
  that overlap only in part, or not at all, tell two stories.
- person-date: a <date type="birth|death"> in the editors' own text that
  points to a person (@corresp="per:…") agrees in the same way with the
  person's <birth> or <death> in the register.
- event-link: a factual-problem note that declares itself about an event
  (@corresp="evt:…") is attached (@target) to words of a sentence that
  narrates that event (the sentence's @ana names it), so that the synoptic
  view and the apparatus tell the same story of where the event is told.
- count: a count the editors give of a source (the introduction's "127
  sentences", "34 mistranslations") marked <num type="paragraphs|sentences|
  factual-problems|translator-notes" value="N" source="sources/ID.xml">
  equals what the source's TEI holds now, so that a re-division or a new
  note cannot leave the introduction behind. Several sources in @source
  are counted together; for factual problems, @ana restricts the count to
  taxonomy categories (with several, N is the count of EACH, as in "2 each
  of wrong date and false claim") and @subtype="high|medium|low" to the
  notes of that certainty. Paragraphs and sentences are those of the
  original (div type="original"). The source is named in @source (the
  document the count is drawn from), not @corresp: a count of a source
  that is not in the corpus (a check of some files only, or an edition
  whose sources are not yet imported) is not checked, rather than failing
  the front matter, so the pointer rule must not demand that file either.
  A count out of date is a WARNING, as an untranslated sentence is: a draft
  still builds (the edition's tests import fresh seeds under the real
  introduction), and `edition check --strict` fails on it.

Pointers that do not resolve are the `pointer` rule's business and are
skipped here, so one broken pointer is reported once.
"""
from __future__ import annotations

import datetime as dt
import re

from ..corpus import Corpus, Document, UnknownPrefix
from ..diagnostics import WARNING, Diagnostic
from ..xmlio import NS, XML_ID, tei

ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T(\d{2}):(\d{2})(?::(\d{2}))?[^ ]*)?")


class Span:
    """The first and last instant a date attribute (or pair) covers, and
    whether it was given to the minute (a time of day) or only to the day."""

    def __init__(self, start: dt.datetime, end: dt.datetime, timed: bool):
        self.start, self.end, self.timed = start, end, timed

    def days(self) -> "Span":
        first = dt.datetime.combine(self.start.date(), dt.time.min)
        last = dt.datetime.combine(self.end.date(), dt.time.max)
        return Span(first, last, False)

    def within(self, other: "Span") -> bool:
        return other.start <= self.start and self.end <= other.end


def point(value: str | None, end: bool = False) -> Span | None:
    """The span of one ISO 8601 value (year, month, day, or day with a time);
    None for what the `date` rule reports (invalid or yearless values)."""
    match = ISO.fullmatch(value or "")
    if not match:
        return None
    year, month, day = int(match[1]), match[2], match[3]
    try:
        if match[4]:
            moment = dt.datetime(year, int(month), int(day), int(match[4]), int(match[5]), int(match[6] or 0))
            return Span(moment, moment, True)
        if day:
            first = dt.date(year, int(month), int(day))
            last = first
        elif month:
            first = dt.date(year, int(month), 1)
            last = dt.date(year + int(month) // 12, int(month) % 12 + 1, 1) - dt.timedelta(days=1)
        else:
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None
    return Span(dt.datetime.combine(first, dt.time.min), dt.datetime.combine(last, dt.time.max), False)


def span_of(element) -> Span | None:
    """What an element's @when, @from/@to or @notBefore/@notAfter cover
    (an open end stays open); None when it carries no usable date."""
    if element.get("when"):
        return point(element.get("when"))
    for start_name, end_name in (("from", "to"), ("notBefore", "notAfter")):
        start, end = element.get(start_name), element.get(end_name)
        if start or end:
            first = point(start) if start else Span(dt.datetime.min, dt.datetime.min, False)
            last = point(end) if end else Span(dt.datetime.max, dt.datetime.max, False)
            if first is None or last is None:
                return None
            return Span(first.start, last.end, first.timed and last.timed)
    return None


def agree(stated: Span, recorded: Span) -> bool:
    if not (stated.timed and recorded.timed):
        stated, recorded = stated.days(), recorded.days()
    return stated.within(recorded) or recorded.within(stated)


def describe(element) -> str:
    return ", ".join(f'{name}="{element.get(name)}"'
                     for name in ("when", "from", "to", "notBefore", "notAfter") if element.get(name))


def check(corpus: Corpus) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for document in corpus.documents.values():
        found += event_dates(corpus, document)
        found += person_dates(corpus, document)
        found += event_links(corpus, document)
        found += counts(corpus, document)
    return found


def _events(corpus: Corpus, document: Document, element, attributes=("corresp", "ana")):
    """The register events an element points to with the given attributes."""
    for attribute in attributes:
        for pointer in (element.get(attribute) or "").split():
            try:
                target = corpus.resolve(pointer, document)
            except UnknownPrefix:
                continue
            if target is not None and target.tag == tei("event"):
                yield pointer, target


def _is_editorial(element) -> bool:
    """The editors' own words: anything but a source's text and its
    translation, where only the notes are editorial."""
    for ancestor in element.iterancestors():
        if ancestor.tag == tei("note"):
            return True
        if ancestor.tag == tei("div") and ancestor.get("type") in ("original", "translation"):
            return False
    return True


def event_dates(corpus: Corpus, document: Document) -> list[Diagnostic]:
    found = []
    for date in document.root.iter(tei("date")):
        if not _is_editorial(date):
            continue
        stated = span_of(date)
        for pointer, event in _events(corpus, document, date):
            recorded = span_of(event)
            where = f"{corpus.relative(_path_of(corpus, event))}:{event.sourceline}"
            if recorded is None:
                found.append(Diagnostic.at(date, "event-date",
                             f'the date points to the event "{event.get(XML_ID)}" ({where}), '
                             "which has no dates in the register to compare it with", document.path))
            elif stated is None:
                found.append(Diagnostic.at(date, "event-date",
                             f'the date points to the event "{event.get(XML_ID)}" but states no '
                             "date (@when, @from/@to or @notBefore/@notAfter)", document.path))
            elif not agree(stated, recorded):
                words = " ".join("".join(date.itertext()).split())
                found.append(Diagnostic.at(date, "event-date",
                             f'"{words}" ({describe(date)}) does not agree with the register\'s '
                             f'dates of the event "{event.get(XML_ID)}" ({describe(event)}, {where}); '
                             "correct one of them, so that the edition tells one story", document.path))
    return found


def person_dates(corpus: Corpus, document: Document) -> list[Diagnostic]:
    found = []
    for date in document.root.iter(tei("date")):
        kind = date.get("type")
        if kind not in ("birth", "death") or not _is_editorial(date):
            continue
        stated = span_of(date)
        for pointer in (date.get("corresp") or "").split():
            try:
                person = corpus.resolve(pointer, document)
            except UnknownPrefix:
                continue
            if person is None or person.tag != tei("person"):
                continue
            recorded_element = person.find(tei(kind))
            recorded = span_of(recorded_element) if recorded_element is not None else None
            where = f"{corpus.relative(_path_of(corpus, person))}:{person.sourceline}"
            if recorded is None:
                found.append(Diagnostic.at(date, "person-date",
                             f'the date gives the {kind} of "{person.get(XML_ID)}" ({where}), whose '
                             f"register entry has no dated <{kind}> to compare it with", document.path))
            elif stated is None or not agree(stated, recorded):
                words = " ".join("".join(date.itertext()).split())
                found.append(Diagnostic.at(date, "person-date",
                             f'"{words}" ({describe(date)}) does not agree with the register\'s {kind} of '
                             f'"{person.get(XML_ID)}" ({describe(recorded_element)}, {where})', document.path))
    return found


def event_links(corpus: Corpus, document: Document) -> list[Diagnostic]:
    found = []
    notes = document.root.xpath(".//tei:note[@type='factual-problem'][@corresp]", namespaces=NS)
    for note in notes:
        events = dict(_events(corpus, document, note, ("corresp",)))
        if not events:
            continue
        narrated = set()
        for pointer in (note.get("target") or "").split():
            sentence = _sentence_of(corpus.resolve(pointer, document) if pointer.startswith("#") else None)
            if sentence is not None:
                narrated |= {e.get(XML_ID) for _, e in _events(corpus, document, sentence, ("ana",))}
        for pointer, event in events.items():
            if event.get(XML_ID) not in narrated:
                found.append(Diagnostic.at(note, "event-link",
                             f'the note is about the event "{pointer}" (@corresp), but none of the '
                             f'sentences it targets narrates it: add "{pointer}" to the @ana of the '
                             "sentence, or correct the note's @corresp", document.path))
    return found


COUNTED = {
    "paragraphs": ("paragraphs", ".//tei:div[@type='original']//tei:p"),
    "sentences": ("sentences", ".//tei:div[@type='original']//tei:s"),
    "factual-problems": ("factual-problem notes", ".//tei:note[@type='factual-problem']"),
    "translator-notes": ("translator's notes", ".//tei:note[@type='translator']"),
}
CERTAINTIES = ("high", "medium", "low")


def counts(corpus: Corpus, document: Document) -> list[Diagnostic]:
    found = []
    listed: dict[tuple, list] = {}  # (source, what is counted) → its elements, found once

    def items_of(source, path):
        if (source.path, path) not in listed:
            listed[(source.path, path)] = source.root.xpath(path, namespaces=NS)
        return listed[(source.path, path)]
    for num in document.root.iter(tei("num")):
        kind = num.get("type")
        if kind not in COUNTED or not _is_editorial(num):
            continue
        words = " ".join("".join(num.itertext()).split())

        def problem(message):
            found.append(Diagnostic.at(num, "count", f'"{words}" (<num type="{kind}">): {message}',
                                       document.path, WARNING))

        stated = num.get("value") or words.replace(",", "")
        if not stated.isdigit():
            problem("a count needs @value (a whole number)")
            continue
        if words.replace(",", "").isdigit() and words.replace(",", "") != stated:
            problem(f'the words say {words} but @value says {stated}')
            continue
        pointers = (num.get("source") or "").split()
        if not pointers:
            problem('say which source(s) it counts (@source="sources/ID.xml")')
            continue
        sources = []
        for pointer in pointers:
            try:
                target = corpus.expand(pointer, document)
            except UnknownPrefix:
                target = None
            if target is None:
                problem(f'@source "{pointer}" is not a source of the edition (sources/ID.xml)')
            elif target[0] in corpus.documents:
                sources.append(corpus.documents[target[0]])
        if len(sources) < len(pointers):
            continue  # a source not in the corpus: nothing to count
        label, path = COUNTED[kind]
        certainty = num.get("subtype")
        if certainty and (kind != "factual-problems" or certainty not in CERTAINTIES):
            problem(f'@subtype="{certainty}" restricts only factual problems, by certainty '
                    f"({', '.join(CERTAINTIES)})")
            continue
        categories = [] if kind != "factual-problems" else [
            target.get(XML_ID) for target in
            (_resolve(corpus, pointer, document) for pointer in (num.get("ana") or "").split())
            if target is not None and target.tag == tei("category")]
        for category in categories or [None]:
            items = [item for source in sources for item in items_of(source, path)
                     if (category is None or item.get("subtype") == category)
                     and (certainty is None or item.get("cert") == certainty)]
            if len(items) != int(stated):
                what = " ".join(part for part in (
                    label, f'of category "{category}"' if category else "",
                    f"of {certainty} certainty" if certainty else "") if part)
                names = ", ".join(corpus.relative(source.path) for source in sources)
                problem(f"the text says {stated}, but {names} now {'has' if len(sources) == 1 else 'have'} "
                        f"{len(items)} {what}; correct the number")
    return found


def _resolve(corpus: Corpus, pointer: str, document: Document):
    try:
        return corpus.resolve(pointer, document)
    except UnknownPrefix:
        return None


def _sentence_of(element):
    """The <s> an element is, or is inside (None for none)."""
    while element is not None and element.tag != tei("s"):
        element = element.getparent()
    return element


def _path_of(corpus: Corpus, element):
    root = element.getroottree().getroot()
    return next((path for path, document in corpus.documents.items() if document.root is root),
                element.getroottree().docinfo.URL)
