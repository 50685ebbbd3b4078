"""What a source page shows: its rows (Pair, Paragraph), its factual problems, and what the
reader found in it (SourceReport). Plain data: computed in sources.py, notes.py, laid out by templates."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ...corpus import Document
from ...readers.passages import passages
from ...sources.reading import element_text
from ...xmlio import NS, XML_ID, tei


def text_of(element) -> str:
    """Plain text of an element in its original reading, without editorial notes
    or corrections (for labels, quotations, search), white space collapsed."""
    return "" if element is None else " ".join(element_text(element).split())


@dataclass
class Pair:
    id: str
    original: object | None  # None: a translation unit with no counterpart in the original
    translation: object | None
    events: list[str]
    problems: list["Problem"] = field(default_factory=list)
    number: int = 0  # the sentence number the notes cite ("s39"): one scheme for site and book

    @property
    def translation_id(self) -> str:
        """The English sentence's id (its own xml:id; ID-sN-en by convention)."""
        if self.translation is not None and self.translation.get(XML_ID):
            return self.translation.get(XML_ID)
        return f"{self.id}-en"

    @property
    def block(self) -> bool:
        """Whether the units are blocks (p, ab, div), laid out in a div, or phrases (s, seg) in a span."""
        unit = self.original if self.original is not None else self.translation
        return unit is not None and unit.tag not in (tei("s"), tei("seg"))


@dataclass
class Paragraph:
    id: str
    pairs: list[Pair]


@dataclass
class Problem:
    id: str
    number: int
    source_id: str
    category: str
    category_label: str
    note: object
    target_id: str
    target: object | None  # the words the note is about
    sentence_id: str | None
    cert: str
    siglum: str = ""

    @property
    def label(self) -> str:
        """The problem's reference, the same on the marker, in the apparatus and in print: "Th 43"."""
        return f"{self.siglum} {self.number}".strip()

    def part(self, kind: str):
        return self.note.find(f"tei:ab[@type='{kind}']", NS)

    @property
    def evidence(self) -> list:
        return self.note.xpath("tei:listBibl[@type='evidence']/tei:bibl", namespaces=NS)


@dataclass
class Source:
    id: str
    document: Document
    title: str
    lang: str
    language: str
    genre: str
    description: str
    paragraphs: list[Paragraph]
    problems: list[Problem]
    translation_lang: str = ""
    translation_language: str = ""
    unit: str = "s"                 # what one row of the parallel text is: s, seg, ab, p, div …
    before: list = field(default_factory=list)  # parts rendered whole before the parallel text
    after: list = field(default_factory=list)   # … and after it (notes, apparatus, the whole text)
    report: "SourceReport | None" = None
    label: str = ""  # how the navigation names it: its language, or its title where languages repeat
    house: bool = False  # kept to the house encoding (factual-problem apparatus, our registers)

    @property
    def parallel(self) -> bool:
        """Whether the source has a translation set beside it, row by row."""
        return any(pair.translation is not None for pair in self.pairs)

    @property
    def translation_heading(self) -> str:
        """"English translation", or "Translation" when the document does not say its language."""
        return f"{self.translation_language} translation" if self.translation_language else "Translation"

    @property
    def original_heading(self) -> str:
        """"Latin original", or "Original" when the document does not say its language."""
        return f"{self.language} original" if self.lang else "Original"

    @property
    def translation_phrase(self) -> str:
        """The translation in a sentence: "German translation", or "a translation" (language not stated)."""
        return f"{self.translation_language} translation" if self.translation_language else "a translation"

    @property
    def unit_label(self) -> str:
        return UNIT_LABELS.get(self.unit, "units")

    def count_original(self, name: str) -> int:
        """How many `name` elements (persName, date …) the original text holds: its rows' original
        side, or, for a source with no translation, the whole text."""
        if not self.parallel:
            return sum(1 for part in self.before + self.after for _ in part.iter(tei(name)))
        return sum(1 for pair in self.pairs if pair.original is not None
                   for _ in pair.original.iter(tei(name)))

    @cached_property
    def passages(self) -> list:
        """The text units of the parts rendered whole, in document order (edition/readers/passages.py):
        what the search and the plain-text export read of a source beyond its rows."""
        return passages(self.before + self.after)

    @property
    def statistics(self) -> list[str]:
        """What the page says it holds, from what the reader found: rows, then the notes of the
        source's own kind (our factual problems; another edition's notes and apparatus)."""
        found = []
        if self.parallel:
            paragraphs = len(self.paragraphs)
            rows = sum(1 for pair in self.pairs if pair.original is not None)  # not a translator's note alone
            found.append(f"{rows} {self.unit_label}" +
                         (f" in {paragraphs} paragraphs" if paragraphs > 1 else ""))
        report = self.report
        if report is not None and not self.house:
            if report.notes:
                found.append(_counted(report.notes, "note"))
            if report.readings:
                found.append(_counted(report.readings, "apparatus entry", "apparatus entries"))
            if report.names:
                found.append(_counted(report.names, "name"))
        return found

    @property
    def siglum(self) -> str:
        """Short name of the source in references ("Th 43"): its language, or its id."""
        return (self.lang.split("-")[0] or self.id).capitalize()

    @property
    def pairs(self) -> list[Pair]:
        return [pair for paragraph in self.paragraphs for pair in paragraph.pairs]

    def count(self, xpath: str) -> int:
        return int(self.document.root.xpath(f"count({xpath})", namespaces=NS))


def _counted(number: int, one: str, many: str = "") -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


UNIT_LABELS = {"s": "sentences", "seg": "segments", "ab": "blocks", "p": "paragraphs", "l": "lines",
               "div": "divisions"}


@dataclass
class SourceReport:
    """What the build found in a source, said per source (nothing dropped silently)."""
    encoding: str
    unit: str
    alignment: str
    aligned: int
    unpaired: int
    names: int
    notes: int
    entries: int
    parts: int
    unplaced: list = field(default_factory=list)  # (element, text) no part of the page holds
    readings: int = 0  # app elements of a critical apparatus

    def summary(self, source_id: str) -> str:
        rows = (f"{self.aligned} <{self.unit}> pairs aligned by {self.alignment}" +
                (f", {self.unpaired} without counterpart" if self.unpaired else "")) if self.aligned else "no translation"
        return (f"{source_id}: {self.encoding}; {rows}; {self.names} names, {self.notes} notes, "
                f"{self.readings} apparatus entries, {self.entries} register entries of its own, "
                f"{self.parts} part(s) rendered whole; {len(self.unplaced)} passage(s) not placed")
