"""The gathered corpus → view-models for the HTML and PDF editions.

Everything a page needs is computed here once, so that templates only lay
out: sentence pairs aligned through @corresp, mentions back-linked to the
register entries they point to, sentences grouped by event (@ana), numeric
claims (num/measure) by type, and the factual-problem apparatus.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..config import EditionConfig
from ..corpus import Corpus, Document, UnknownPrefix
from ..xmlio import NS, XML_ID, XML_LANG, tei
from ..sources.importer import LANGUAGE_NAMES
from ..sources.reading import element_text
from ..sorting import entry_sort_key, natural_key, work_sort_key
from ..readers import read, unplaced_words


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

    @property
    def parallel(self) -> bool:
        """Whether the source has a translation set beside it, row by row."""
        return any(pair.translation is not None for pair in self.pairs)

    @property
    def translation_heading(self) -> str:
        """"English translation", or "Translation" when the document does not say its language."""
        return f"{self.translation_language} translation" if self.translation_language else "Translation"

    @property
    def unit_label(self) -> str:
        return UNIT_LABELS.get(self.unit, "units")

    def count_original(self, name: str) -> int:
        """How many `name` elements (persName, date …) the original text holds."""
        return sum(1 for pair in self.pairs if pair.original is not None
                   for _ in pair.original.iter(tei(name)))

    @property
    def siglum(self) -> str:
        """Short name of the source in references ("Th 43"): its language, or its id."""
        return (self.lang.split("-")[0] or self.id).capitalize()

    @property
    def pairs(self) -> list[Pair]:
        return [pair for paragraph in self.paragraphs for pair in paragraph.pairs]

    def count(self, xpath: str) -> int:
        return int(self.document.root.xpath(f"count({xpath})", namespaces=NS))


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


@dataclass
class Occurrence:
    source_id: str
    sentence_id: str | None
    text: str


@dataclass
class Entry:
    kind: str          # person, place, org
    id: str
    ref: str           # per:zhukov
    name: str
    element: object
    forms: list[tuple[str, str]]
    occurrences: list[Occurrence] = field(default_factory=list)
    sort_key: tuple = ()  # edition/sorting.py: surname first, numbers numerically
    keys: set = field(default_factory=set)  # (file, xml:id) pairs that pointers to the entry resolve to

    @property
    def coordinates(self) -> tuple[float, float] | None:
        geo = self.element.findtext(".//tei:location/tei:geo", namespaces=NS)
        try:
            latitude, longitude = (float(v) for v in geo.split())
            return latitude, longitude
        except (AttributeError, ValueError):
            return None


@dataclass
class Event:
    id: str
    label: str
    element: object
    start: str | None
    end: str | None
    sentences: dict[str, list[Pair]] = field(default_factory=dict)


@dataclass
class Claim:
    source_id: str
    sentence_id: str | None
    type: str
    value: str
    text: str
    events: list[str]

    @property
    def wording(self) -> str:
        """The source's words for the figure, when they say more than its value."""
        digits = self.text.replace(",", "").replace(" ", "").replace("\u00a0", "")
        return "" if digits == self.value.split(" ")[0] else self.text


REGISTER_KINDS = (("person", "persName", "per", "persons.xml"),
                  ("place", "placeName", "pla", "places.xml"),
                  ("org", "orgName", "org", "organisations.xml"))


@dataclass
class EditionView:
    corpus: Corpus
    title: str
    subtitle: str
    front: object | None
    sources: list[Source]
    entries: dict[str, list[Entry]]
    events: list[Event]
    claims: list[Claim]
    categories: dict[str, str]
    bibliography: list
    config: EditionConfig = field(default_factory=EditionConfig)

    def entry(self, ref: str) -> Entry | None:
        return self._by_ref.get(ref)

    def entry_for(self, pointer: str, document: Document) -> Entry | None:
        """The register entry a pointer in `document` refers to (by the file and id it resolves to)."""
        try:
            key = self.corpus.expand(pointer, document)
        except UnknownPrefix:
            key = None
        return self._by_key.get(key) or self._by_ref.get(pointer)

    @property
    def _by_ref(self) -> dict[str, Entry]:
        if not hasattr(self, "_refs"):
            self._refs = {e.ref: e for kind in self.entries.values() for e in kind}
        return self._refs

    @property
    def _by_key(self) -> dict:
        if not hasattr(self, "_keys"):
            self._keys = {key: e for kind in self.entries.values() for e in kind for key in e.keys}
        return self._keys

    def claims_by_type(self) -> list[tuple[str, dict[str, list[Claim]]]]:
        """Numeric claims grouped by kind, then by source: the figures compared."""
        table: dict[str, dict[str, list[Claim]]] = defaultdict(lambda: defaultdict(list))
        for claim in self.claims:
            table[claim.type.replace("-", " ")][claim.source_id].append(claim)
        return sorted(table.items(), key=lambda item: natural_key(item[0]))

    @property
    def problems(self) -> list[Problem]:
        return [p for s in self.sources for p in s.problems]


def collect(corpus: Corpus) -> EditionView:
    front = corpus.documents.get((corpus.edition.tei_dir / "edition.xml").resolve())
    categories = _categories(front)
    sources = [_source(corpus, d, categories) for d in corpus.sources()]
    languages = [s.language for s in sources]
    for source in sources:
        source.label = source.language if languages.count(source.language) == 1 else _short(source.title)
    entries = {kind: _entries(corpus, sources, kind, name, prefix, filename)
               for kind, name, prefix, filename in REGISTER_KINDS}
    view = EditionView(corpus, *_titles(front), _front_matter(front), sources, entries,
                       _events(corpus, sources), _claims(sources), categories, _bibliography(corpus),
                       corpus.config)
    _link_occurrences(view)
    return view


def _short(title: str, words: int = 4) -> str:
    parts = title.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


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


def _titles(front) -> tuple[str, str]:
    if front is None:
        return "Edition", ""
    main = front.root.findtext(".//tei:titleStmt/tei:title[@type='main']", namespaces=NS) or \
        front.root.findtext(".//tei:titleStmt/tei:title", namespaces=NS) or "Edition"
    sub = front.root.findtext(".//tei:titleStmt/tei:title[@type='sub']", namespaces=NS) or ""
    return main, sub


def _front_matter(front):
    return None if front is None else front.root.find(".//tei:text/tei:front", NS)


def _categories(front) -> dict[str, str]:
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


def _source(corpus: Corpus, document: Document, categories) -> Source:
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
    source.problems = _problems(corpus, source, categories)
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
    """A language's name: the document's own langUsage says it best, else the edition's list."""
    for language in root.iterfind(".//tei:profileDesc/tei:langUsage/tei:language", NS):
        if language.get("ident") == lang and text_of(language):
            return text_of(language)
    return LANGUAGE_NAMES.get(lang.split("-")[0], lang or "Text")  # "Text": the document states no language


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


def _problems(corpus: Corpus, source: Source, categories) -> list[Problem]:
    pairs = {p.id: p for p in source.pairs}
    problems = []
    notes = source.document.root.xpath(".//tei:note[@type='factual-problem']", namespaces=NS)
    for position, note in enumerate(notes, start=1):
        target_id = (note.get("target") or "").split()[0].lstrip("#") if note.get("target") else ""
        target = corpus.ids.get((source.document.path, target_id))
        sentence = _enclosing_sentence(target)
        category = note.get("subtype", "")
        problems.append(Problem(note.get(XML_ID, f"{source.id}-fp{position}"), position, source.id, category,
                                categories.get(category, category), note, target_id, target,
                                sentence.get(XML_ID) if sentence is not None else None, note.get("cert", ""),
                                source.siglum))
    order = {element: index for index, element in enumerate(source.document.root.iter())}
    problems.sort(key=lambda p: (order.get(p.target, len(order)), p.number))  # text order
    for number, problem in enumerate(problems, start=1):
        problem.number = number
        if problem.sentence_id in pairs:
            pairs[problem.sentence_id].problems.append(problem)
    return problems


def _enclosing_sentence(element):
    while element is not None and element.tag != tei("s"):
        element = element.getparent()
    return element


def _enclosing_unit(element, units: dict):
    """The id of the row unit (sentence, segment, block) holding an element, or None."""
    while element is not None and element not in units:
        element = element.getparent()
    return units.get(element) if element is not None else None


def _unit_ids(source: Source) -> dict:
    units = {}
    for pair in source.pairs:
        if pair.original is not None:
            units[pair.original] = pair.id
        if pair.translation is not None:
            units[pair.translation] = pair.translation_id
    return units


def _entries(corpus: Corpus, sources: list[Source], kind, name, prefix, filename) -> list[Entry]:
    """A register: the edition's file (tei/registers/), then the lists each source holds
    (particDesc, standOff, listPerson/listPlace/listOrg in its header or back)."""
    document = corpus.documents.get((corpus.edition.registers_dir / filename).resolve())
    entries = [] if document is None else [
        _entry(item, kind, name, item.get(XML_ID), f"{prefix}:{item.get(XML_ID)}", document.path)
        for item in document.root.iter(tei(kind))]
    for source in sources:
        for item in source.document.root.iter(tei(kind)):
            identifier = item.get(XML_ID) or next((n.get(XML_ID) for n in item.findall(tei(name))
                                                   if n.get(XML_ID)), None)
            if identifier:
                entry = _entry(item, kind, name, f"{source.id}-{identifier}", f"{source.id}:{identifier}",
                               source.document.path, identifier)
                entries.append(entry)
                if source.report is not None:
                    source.report.entries += 1
    return sorted(entries, key=lambda e: e.sort_key)


def _entry(item, kind, name, entry_id, ref, path, identifier=None) -> Entry:
    names = item.findall(tei(name))
    canonical = next((n for n in names if n.get("type") == "canonical"), names[0] if names else None)
    forms = [(text_of(n), n.get(XML_LANG) or "") for n in names]
    entry = Entry(kind, entry_id, ref, text_of(canonical) or identifier or entry_id, item, forms)
    entry.keys = {(path, i) for i in [identifier or item.get(XML_ID)] + [n.get(XML_ID) for n in names] if i}
    entry.sort_key = entry_sort_key(kind, item, canonical, entry.name)
    return entry


def _link_occurrences(view: EditionView) -> None:
    for source in view.sources:
        units = _unit_ids(source)
        for element in source.document.root.xpath(
                ".//tei:body//*[self::tei:persName or self::tei:placeName or self::tei:orgName][@ref]"
                "[not(ancestor::tei:corr or ancestor::tei:reg or ancestor::tei:expan or ancestor::tei:note)]",
                namespaces=NS):  # a name inside a correction is the same occurrence as in the sic
            for ref in element.get("ref").split():
                entry = view.entry_for(ref, source.document)
                if entry:
                    entry.occurrences.append(Occurrence(source.id, _enclosing_unit(element, units), text_of(element)))


def _events(corpus: Corpus, sources: list[Source]) -> list[Event]:
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


def _claims(sources: list[Source]) -> list[Claim]:
    claims = []
    for source in sources:
        for element in (e for pair in source.pairs if pair.original is not None
                        for e in pair.original.xpath(".//tei:num[not(ancestor::tei:measure)] | .//tei:measure",
                                                     namespaces=NS)):
            sentence = _enclosing_sentence(element)
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


def _bibliography(corpus: Corpus) -> list:
    document = corpus.documents.get((corpus.edition.tei_dir / "bibliography.xml").resolve())
    works = [] if document is None else document.root.xpath(".//tei:listBibl/tei:bibl", namespaces=NS)
    return sorted(works, key=work_sort_key)
