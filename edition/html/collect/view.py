"""The edition as pages see it: sources, registers (Entry, Occurrence), events, figures (Claim)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ...config import EditionConfig
from ...corpus import Corpus, Document, UnknownPrefix
from ...sorting import natural_key
from ...xmlio import NS
from .model import Pair, Problem, Source


@dataclass
class Occurrence:
    source_id: str
    sentence_id: str | None  # the row unit, or the nearest id of a part rendered whole
    text: str
    lang: str = ""           # the language of the words (the original's or the translation's)


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
        """The register entry a pointer in `document` refers to (by the file and id it resolves to).
        Found once per (pointer, document): the registers, the search and the pages ask for the
        same names thousands of times, and neither the documents nor the entries change in a build."""
        known = self.__dict__.setdefault("_entries_for", {})
        asked = (pointer, id(document))
        if asked not in known or known[asked][1] is not document:
            try:
                key = self.corpus.expand(pointer, document)
            except UnknownPrefix:
                key = None
            known[asked] = (self._by_key.get(key) or self._by_ref.get(pointer), document)  # held: its id stays its own
        return known[asked][0]

    def resolve_refs(self, html: str, element) -> str:
        """Rendered HTML of `element` with its names' data-ref pointers made entry refs (registers.py)."""
        from .registers import canonical_refs
        return canonical_refs(self, html, element)

    def document_of(self, element) -> Document | None:
        """The corpus document an element belongs to."""
        if not hasattr(self, "_roots"):
            self._roots = {d.root: d for d in self.corpus.documents.values()}
        return self._roots.get(element.getroottree().getroot())

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
