"""The edition's TEI files → one in-memory corpus with an id index and a
pointer resolver.

Gather first, then use: every TEI file is parsed once; a file that is not
well-formed is recorded as diagnostics and left out, so the others can still
be checked. Pointers follow TEI semantics (Guidelines §16.2): "#id" is in the
same document, "file.xml#id" is relative to it, and "prefix:value" is
expanded by the document's own listPrefixDef; a document kept to the house
encoding (tei/edition.xml's house profile) that declares none uses the
edition's declaration in tei/edition.xml. Prefixes never pass from one
document to another otherwise, and an expansion to an http(s) URL is
external, as a plain URL is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag

from lxml import etree

from .config import EditionConfig
from .diagnostics import Diagnostic, EditionError
from .project import Edition
from .xmlio import NS, XML_ID, parse_checked, parse_file_checked

_WITH_ID = etree.XPath("descendant-or-self::*[@xml:id]")  # in document order, the root among them
EXTERNAL = re.compile(r"^(https?|mailto|urn|doi|ftp):", re.I)


@dataclass
class Document:
    path: Path
    tree: object
    prefixes: dict[str, tuple[re.Pattern, str]]

    @property
    def root(self):
        return self.tree.getroot()


@dataclass
class Corpus:
    edition: Edition
    documents: dict[Path, Document] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    ids: dict[tuple[Path, str], object] = field(default_factory=dict)

    @classmethod
    def load(cls, edition: Edition, paths: list[Path] | None = None,
             overrides: dict[Path, bytes] | None = None) -> "Corpus":
        """`overrides` gives some files' contents as they would be after an
        edit (edition/edit/ validates a change before writing it)."""
        return cls.load_early(edition, paths, overrides)

    @classmethod
    def load_early(cls, edition: Edition, paths: list[Path] | None = None,
                   overrides: dict[Path, bytes] | None = None, first=None, then=None) -> "Corpus":
        """Corpus.load, with the files for which `first(path)` holds parsed before the others
        and `then(documents)` called with them at once (`edition check FILE --tei-all` starts
        jing on FILE while the rest of the edition is read). The corpus is the same."""
        corpus = cls(edition)
        given = [(Path(path).resolve(), Path(path)) for path in (paths if paths is not None else edition.tei_files())]
        early = {}
        if first is not None:
            early = {path: corpus._read(path, name, (overrides or {}).get(path)) for path, name in given
                     if first(path)}
            then([document for document, _ in early.values() if document is not None])
        for path, name in given:
            document, problems = early[path] if path in early else corpus._read(path, name, (overrides or {}).get(path))
            corpus.problems.extend(problems)
            if document is not None:
                corpus.documents[path] = document
        corpus._index()
        return corpus

    def _add(self, path: Path, given: Path | None = None, data: bytes | None = None) -> None:
        document, problems = self._read(path, given, data)
        self.problems.extend(problems)
        if document is not None:
            self.documents[path] = document

    def _read(self, path: Path, given: Path | None = None, data: bytes | None = None):
        """(the parsed document or None, the problems found reading it)."""
        root = self.edition.root.resolve()
        if root not in path.parents:  # a symbolic link out of the edition: never read
            return None, [Diagnostic(str(given or path), 1, 1, "outside", f"links to {path}, outside the edition: not read")]
        try:
            tree, warnings = parse_file_checked(path) if data is None else parse_checked(data, path)
        except EditionError as error:
            return None, error.diagnostics or [Diagnostic(str(path), 1, 1, "read", error.message)]
        return Document(path, tree, read_prefixes(tree.getroot())), list(warnings)

    def _index(self) -> None:
        for document in self.documents.values():
            for element in _WITH_ID(document.root):
                self.ids.setdefault((document.path, element.get(XML_ID)), element)

    @property
    def front(self) -> Document | None:
        return self.documents.get((self.edition.tei_dir / "edition.xml").resolve())

    @property
    def config(self) -> EditionConfig:
        """The edition's settings (edition/config.py), read once from tei/edition.xml."""
        if not hasattr(self, "_config"):
            front = self.front
            self._config = EditionConfig.read(front.root, self.edition.tei_dir) if front else EditionConfig()
        return self._config

    def house(self, document: Document) -> bool:
        """Whether a document is kept to the house encoding (docs/encoding.md): our schema and rules apply.
        Found once per document (every prefixed pointer asks)."""
        houses = self.__dict__.setdefault("_houses", {})
        if document.path not in houses:
            houses[document.path] = self.config.in_house_profile(document.path)
        return houses[document.path]

    def compact(self) -> "CorpusIndex":
        """What a document's own rules (checking.rules.document_rules) read of the rest of
        the corpus, without its trees: a worker elsewhere checks a document with it."""
        root = self.edition.root.resolve()
        names = {path: path.relative_to(root).as_posix() for path in self.documents}
        ids: dict[str, list[str]] = {name: [] for name in names.values()}
        for path, identifier in self.ids:
            ids[names[path]].append(identifier)
        return CorpusIndex(str(root), list(names.values()), ids, self.config, self.default_prefixes,
                           str(self.edition.root))

    def index_digest(self) -> str:
        """SHA-256 of exactly what `compact` gives: with a document's bytes and the rule
        context, the key under which its per-document diagnostics may be kept."""
        import hashlib
        import pickle
        index = self.compact()
        stable = (index.paths, sorted((k, sorted(v)) for k, v in index.ids.items()),
                  sorted((k, p.pattern, r) for k, (p, r) in index.prefixes.items()),
                  [str(p) for p in index.config.house])
        return hashlib.sha256(pickle.dumps(stable, protocol=4)).hexdigest()

    @property
    def default_prefixes(self) -> dict:
        front = self.front
        return front.prefixes if front else {}

    def expand(self, pointer: str, document: Document) -> tuple[Path, str] | None:
        """(file, id) a pointer refers to, or None when it is not resolvable
        as a pointer into the edition (external URLs are not)."""
        if EXTERNAL.match(pointer):
            return None
        base = document.path
        prefix, colon, rest = pointer.partition(":")
        if colon and "/" not in prefix and "#" not in prefix:
            inherits = not document.prefixes and self.house(document)
            table = self._front_prefixes() if inherits else document.prefixes
            if inherits:
                base = self.edition.tei_dir / "edition.xml"
            if prefix not in table:
                raise UnknownPrefix(prefix)
            pattern, replacement = table[prefix]
            pointer = self._expanded(pattern, replacement, rest)
            if pointer is None:
                raise UnknownPrefix(prefix)
            if EXTERNAL.match(pointer):
                return None
        file_part, fragment = self._split(pointer)
        target = self._resolved(base.parent, file_part) if file_part else base
        return target, fragment

    def _expanded(self, pattern: re.Pattern, replacement: str, rest: str) -> str | None:
        """`rest` through a prefixDef's matchPattern and replacementPattern (None: no match), found
        once per corpus: Match.expand parses its template at every call (a tenth of the pointer
        rules' time), and the corpus asks for the same few pointers thousands of times."""
        known = self.__dict__.setdefault("_expansions", {})
        asked = (pattern.pattern, pattern.flags, replacement, rest)
        if asked not in known:
            match = pattern.fullmatch(rest)
            known[asked] = match.expand(replacement.replace("$", "\\")) if match else None
        return known[asked]

    def _split(self, pointer: str) -> tuple[str, str]:
        """urldefrag(pointer) as (file part, fragment), found once per corpus."""
        known = self.__dict__.setdefault("_fragments", {})
        if pointer not in known:
            file_part, fragment = urldefrag(pointer)
            known[pointer] = (file_part, fragment)
        return known[pointer]

    def _front_prefixes(self) -> dict:
        """default_prefixes, found once per corpus (`front` resolves a path each time)."""
        if "_front_prefix_table" not in self.__dict__:
            self.__dict__["_front_prefix_table"] = self.default_prefixes
        return self.__dict__["_front_prefix_table"]

    def _resolved(self, folder: Path, relative: str) -> Path:
        """(folder / relative).resolve(), found once per corpus: a pointer's file is one of few,
        and Path.resolve (a system call per part of the path) was a seventh of a build (issue 15)."""
        known = self.__dict__.setdefault("_resolved_paths", {})
        if (folder, relative) not in known:
            known[folder, relative] = (folder / relative).resolve()
        return known[folder, relative]

    def resolve(self, pointer: str, document: Document):
        """The element a pointer refers to, or None."""
        found = self.expand(pointer, document)
        return self.ids.get(found) if found else None

    def sources(self) -> list[Document]:
        """The sources, in the order edition.xml gives (ptr[@type='sources']), the others by name after."""
        folder = self.edition.sources_dir.resolve()
        found = [d for p, d in sorted(self.documents.items()) if p.parent == folder]
        order = {path: index for index, path in enumerate(self.config.source_order)}
        return sorted(found, key=lambda d: order.get(d.path, len(order)))

    def relative(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.edition.root))
        except ValueError:
            return str(path)


@dataclass
class CorpusIndex:
    """A corpus as a document's own rules see the rest of it: which files there are, the
    xml:ids of each (paths relative to the edition's root), the edition's settings and
    prefixes. Small and picklable: sent once to each worker of a distributed check."""
    root: str
    paths: list[str]
    ids: dict[str, list[str]]
    config: EditionConfig
    prefixes: dict
    opened: str = ""  # the edition's root as it was opened (messages name files relative to it)

    def corpus(self, documents: list[Document]) -> "Corpus":
        """A corpus of these parsed documents that knows every other one only by this index
        (Corpus.ids maps each known key to None; a rule that needs another tree cannot run)."""
        root = Path(self.root)
        corpus = IndexedCorpus(Edition.at(self.opened or root))
        corpus.documents = dict.fromkeys((root / p for p in self.paths))
        corpus.documents.update((d.path, d) for d in documents)
        corpus.ids = {(root / path, identifier): None for path, names in self.ids.items() for identifier in names}
        corpus._config, corpus._prefixes = self.config, self.prefixes
        return corpus


class IndexedCorpus(Corpus):
    """See CorpusIndex.corpus."""

    @property
    def default_prefixes(self) -> dict:
        return self._prefixes


def parse_document(path: Path) -> Document:
    """One file of the edition, parsed (a worker's own parse; errors as Corpus._add reports them)."""
    tree, _ = parse_file_checked(path)
    return Document(path, tree, read_prefixes(tree.getroot()))


class UnknownPrefix(ValueError):
    """A prefix:value pointer whose prefix is not declared (or does not match)."""


def read_prefixes(root) -> dict[str, tuple[re.Pattern, str]]:
    table = {}
    for definition in root.iterfind(".//tei:listPrefixDef/tei:prefixDef", NS):
        try:
            pattern = re.compile(definition.get("matchPattern", ""))
        except re.error:
            continue  # reported by the checker
        table[definition.get("ident")] = (pattern, definition.get("replacementPattern", ""))
    return table
