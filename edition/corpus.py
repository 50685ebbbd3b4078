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

from .config import EditionConfig
from .diagnostics import Diagnostic, EditionError
from .project import Edition
from .xmlio import NS, XML_ID, parse_checked, parse_file_checked

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
        corpus = cls(edition)
        for path in paths if paths is not None else edition.tei_files():
            corpus._add(Path(path).resolve(), Path(path), (overrides or {}).get(Path(path).resolve()))
        corpus._index()
        return corpus

    def _add(self, path: Path, given: Path | None = None, data: bytes | None = None) -> None:
        root = self.edition.root.resolve()
        if root not in path.parents:  # a symbolic link out of the edition: never read
            self.problems.append(Diagnostic(str(given or path), 1, 1, "outside",
                                            f"links to {path}, outside the edition: not read"))
            return
        try:
            tree, warnings = parse_file_checked(path) if data is None else parse_checked(data, path)
        except EditionError as error:
            self.problems.extend(error.diagnostics or [Diagnostic(str(path), 1, 1, "read", error.message)])
            return
        self.problems.extend(warnings)
        self.documents[path] = Document(path, tree, read_prefixes(tree.getroot()))

    def _index(self) -> None:
        for document in self.documents.values():
            for element in document.root.iter():
                identifier = element.get(XML_ID) if isinstance(element.tag, str) else None
                if identifier is not None:
                    self.ids.setdefault((document.path, identifier), element)

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
        """Whether a document is kept to the house encoding (docs/encoding.md): our schema and rules apply."""
        return self.config.in_house_profile(document.path)

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
            match = pattern.fullmatch(rest)
            if not match:
                raise UnknownPrefix(prefix)
            pointer = match.expand(replacement.replace("$", "\\"))
            if EXTERNAL.match(pointer):
                return None
        file_part, fragment = urldefrag(pointer)
        target = self._resolved(base.parent, file_part) if file_part else base
        return target, fragment

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
