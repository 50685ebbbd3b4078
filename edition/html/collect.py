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

from ..corpus import Corpus, Document
from ..xmlio import NS, XML_ID, XML_LANG, tei
from ..sources.importer import LANGUAGE_NAMES
from ..sources.reading import element_text
from ..sorting import entry_sort_key


def text_of(element) -> str:
    """Plain text of an element in its original reading, without editorial notes
    or corrections (for labels, quotations, search), white space collapsed."""
    return "" if element is None else " ".join(element_text(element).split())


@dataclass
class Pair:
    id: str
    original: object
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

    @property
    def siglum(self) -> str:
        """Short name of the source in references ("Th 43"): its language, or its id."""
        return (self.lang.split("-")[0] or self.id).capitalize()

    @property
    def pairs(self) -> list[Pair]:
        return [pair for paragraph in self.paragraphs for pair in paragraph.pairs]

    def count(self, xpath: str) -> int:
        return int(self.document.root.xpath(f"count({xpath})", namespaces=NS))


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

    def entry(self, ref: str) -> Entry | None:
        return self._by_ref.get(ref)

    @property
    def _by_ref(self) -> dict[str, Entry]:
        if not hasattr(self, "_refs"):
            self._refs = {e.ref: e for kind in self.entries.values() for e in kind}
        return self._refs

    def claims_by_type(self) -> list[tuple[str, dict[str, list[Claim]]]]:
        """Numeric claims grouped by kind, then by source: the figures compared."""
        table: dict[str, dict[str, list[Claim]]] = defaultdict(lambda: defaultdict(list))
        for claim in self.claims:
            table[claim.type.replace("-", " ")][claim.source_id].append(claim)
        return sorted(table.items())

    @property
    def problems(self) -> list[Problem]:
        return [p for s in self.sources for p in s.problems]


def collect(corpus: Corpus) -> EditionView:
    front = corpus.documents.get((corpus.edition.tei_dir / "edition.xml").resolve())
    categories = _categories(front)
    sources = [_source(corpus, d, categories) for d in corpus.sources()]
    entries = {kind: _entries(corpus, kind, name, prefix, filename)
               for kind, name, prefix, filename in REGISTER_KINDS}
    view = EditionView(corpus, *_titles(front), _front_matter(front), sources, entries,
                       _events(corpus, sources), _claims(sources), categories, _bibliography(corpus))
    _link_occurrences(view)
    return view


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
    root = document.root
    original = root.find(".//tei:body/tei:div[@type='original']", NS)
    lang = original.get(XML_LANG, "") if original is not None else ""
    translations = _translations(root)
    paragraphs = [Paragraph(p.get(XML_ID, ""), [
        Pair(s.get(XML_ID), s, translations.get(s.get(XML_ID)),
             [a.split(":", 1)[-1] for a in (s.get("ana") or "").split() if a.startswith("evt:")])
        for s in p.iter(tei("s"))]) for p in (original.iter(tei("p")) if original is not None else [])]
    _number_sentences(paragraphs)
    source = Source(document.path.stem, document, root.findtext(".//tei:titleStmt/tei:title", namespaces=NS) or "",
                    lang, LANGUAGE_NAMES.get(lang.split("-")[0], lang),
                    " · ".join(t.strip() for t in root.xpath(".//tei:textClass//tei:term/text()", namespaces=NS)),
                    _description(root), paragraphs, [])
    source.problems = _problems(corpus, source, categories)
    return source


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


def _translations(root) -> dict[str, object]:
    found = {}
    for s in root.xpath(".//tei:div[@type='translation']//tei:s[@corresp]", namespaces=NS):
        if "".join(s.itertext()).strip():  # an empty one (a draft) shows as not yet translated
            found[s.get("corresp").lstrip("#")] = s
    return found


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


def _entries(corpus: Corpus, kind, name, prefix, filename) -> list[Entry]:
    document = corpus.documents.get((corpus.edition.registers_dir / filename).resolve())
    if document is None:
        return []
    entries = []
    for item in document.root.iter(tei(kind)):
        names = item.findall(tei(name))
        canonical = next((n for n in names if n.get("type") == "canonical"), names[0] if names else None)
        forms = [(text_of(n), n.get(XML_LANG) or "") for n in names]
        entry = Entry(kind, item.get(XML_ID), f"{prefix}:{item.get(XML_ID)}",
                      text_of(canonical) or item.get(XML_ID), item, forms)
        entry.sort_key = entry_sort_key(kind, item, canonical, entry.name)
        entries.append(entry)
    return sorted(entries, key=lambda e: e.sort_key)


def _link_occurrences(view: EditionView) -> None:
    for source in view.sources:
        for element in source.document.root.xpath(
                ".//tei:body//*[self::tei:persName or self::tei:placeName or self::tei:orgName][@ref]"
                "[not(ancestor::tei:corr or ancestor::tei:reg or ancestor::tei:expan or ancestor::tei:note)]",
                namespaces=NS):  # a name inside a correction is the same occurrence as in the sic
            sentence = _enclosing_sentence(element)
            for ref in element.get("ref").split():
                entry = view.entry(ref)
                if entry:
                    entry.occurrences.append(Occurrence(
                        source.id, sentence.get(XML_ID) if sentence is not None else None, text_of(element)))


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
        original = source.document.root.find(".//tei:body/tei:div[@type='original']", NS)
        if original is None:
            continue
        for element in original.xpath(".//tei:num | .//tei:measure", namespaces=NS):
            sentence = _enclosing_sentence(element)
            value = element.get("value") or element.get("quantity") or element.get("atLeast") or ""
            if element.get("unit"):
                value = f"{value} {element.get('unit')}"
            events = [a.split(":", 1)[-1] for a in (sentence.get("ana") or "").split()] if sentence is not None else []
            claims.append(Claim(source.id, sentence.get(XML_ID) if sentence is not None else None,
                                element.get("type") or element.tag.rsplit("}", 1)[-1], value,
                                text_of(element), events))
    return claims


def _bibliography(corpus: Corpus) -> list:
    document = corpus.documents.get((corpus.edition.tei_dir / "bibliography.xml").resolve())
    return [] if document is None else document.root.xpath(".//tei:listBibl/tei:bibl", namespaces=NS)
