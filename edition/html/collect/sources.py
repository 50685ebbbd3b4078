"""A TEI document → a Source, through the reader of its encoding (edition/readers)."""
from __future__ import annotations

import re

from ...corpus import Corpus, Document
from ...readers import read, unplaced_words
from ...languages import language_name as _named
from ...xmlio import NS, XML_ID, tei
from .model import Pair, Paragraph, Source, SourceReport, text_of
from .notes import problems_of


def short_title(title: str, words: int = 4) -> str:
    parts = title.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def source_of(corpus: Corpus, document: Document, categories) -> Source:
    """A source through the reader of its encoding (edition/readers) → the one view-model pages use."""
    root = document.root
    reading = read(root)
    source_id = document.path.stem
    paragraphs = [Paragraph(paragraph_id or f"{source_id}-part{number}", [
        Pair(_unit_id(unit, source_id, number, row), unit.original, unit.translation, _sentence_events(unit.original))
        for row, unit in enumerate(units, start=1)]) for number, (paragraph_id, units) in enumerate(reading.paragraphs, 1)]
    _number_sentences(paragraphs)
    lang = reading.lang
    source = Source(source_id, document, root.findtext(".//tei:titleStmt/tei:title", namespaces=NS) or source_id,
                    lang, language_name(root, lang),
                    " · ".join(t.strip() for t in root.xpath(".//tei:textClass//tei:term/text()", namespaces=NS)),
                    _description(root), paragraphs, [], reading.translation_lang,
                    language_name(root, reading.translation_lang) if reading.translation_lang else "",
                    reading.unit or "s", reading.before, reading.after)
    source.house = corpus.house(document)
    source.problems = problems_of(corpus, source, categories)
    source.report = _report(source, reading)
    return source


def _unit_id(unit, source_id: str, paragraph: int, row: int) -> str:
    element = unit.original if unit.original is not None else unit.translation
    own = element.get(XML_ID) if unit.original is not None else None
    return own or f"{source_id}-u{paragraph}-{row}"


def _sentence_events(sentence) -> list[str]:
    """The events a sentence narrates (@ana="evt:…", docs/encoding.md)."""
    if sentence is None:
        return []
    return [a.split(":", 1)[-1] for a in (sentence.get("ana") or "").split() if a.startswith("evt:")]


def language_name(root, lang: str) -> str:
    """A language's name: the document's own langUsage says it best, else the edition's list, else CLDR's (edition/languages.py)."""
    for language in root.iterfind(".//tei:profileDesc/tei:langUsage/tei:language", NS):
        if language.get("ident") == lang and text_of(language):
            return text_of(language).split(":")[0].strip()  # "Polish: the original text" names Polish
    return _named(lang)  # "Text": the document states no language


def _number_sentences(paragraphs: list[Paragraph]) -> None:
    """Sentence numbers from the ids ("…-s39" is 39, as the notes cite it), else by position."""
    for position, pair in enumerate((p for para in paragraphs for p in para.pairs), start=1):
        match = _SENTENCE_NUMBER.search(pair.id or "")
        pair.number = int(match[1]) if match else position


_SENTENCE_NUMBER = re.compile(r"-s(\d+)$")


def _description(root) -> str:
    """What the source is, in the editors' words: the notes of its sourceDesc."""
    notes = root.xpath(".//tei:sourceDesc/tei:bibl[1]/tei:note | .//tei:sourceDesc/tei:p", namespaces=NS)
    return " ".join(text_of(note) for note in notes)


def _report(source: Source, reading) -> SourceReport:
    """What the reader found in a source, and the text it could not place (edition/readers/coverage.py)."""
    pairs = source.pairs
    aligned = sum(1 for p in pairs if p.original is not None and p.translation is not None)
    text = source.document.root.find("tei:text", NS)
    count = lambda names: 0 if text is None else sum(1 for _ in text.iter(*(tei(n) for n in names)))  # noqa: E731
    names, notes = count(("persName", "placeName", "orgName", "name", "rs")), count(("note",))
    return SourceReport(reading.encoding, source.unit, reading.alignment, aligned,
                        (len(pairs) - aligned) if aligned else 0, names, notes, 0,
                        len(source.before) + len(source.after), unplaced_words(source.document.root, reading),
                        count(("app",)))
