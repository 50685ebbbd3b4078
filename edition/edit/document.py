"""The files an edit reads → drafts: parsed trees that remember their bytes.

An operation asks the `Workspace` for the documents it needs (a source, a
register); each is read once, fingerprinted (SHA-256 of its bytes) and
snapshotted for the minimal write (splice.py). The workspace also finds
elements by xml:id across the edition and addresses elements that have none
("ID/k": the k-th element inside the element with xml:id ID), so that the CLI,
the browser and the history all name the same element the same way.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import UsageProblem
from ..project import Edition
from ..xmlio import NS, XML_ID, parse_bytes
from .splice import Snapshot


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Draft:
    path: Path
    data: bytes
    tree: object
    snapshot: Snapshot

    @property
    def root(self):
        return self.tree.getroot()

    @property
    def version(self) -> str:
        return sha256(self.data)

    def render(self) -> bytes:
        return self.snapshot.render()


class StaleFile(UsageProblem):
    """The file changed on disk since the page (or the command) read it."""
    exit_code = 1


@dataclass
class Workspace:
    edition: Edition
    expected: dict[str, str] = field(default_factory=dict)  # relative path -> sha256 the caller saw
    drafts: dict[Path, Draft] = field(default_factory=dict)

    def open(self, path: str | Path) -> Draft:
        path = self.inside(path)
        if path not in self.drafts:
            data = path.read_bytes()
            seen = self.expected.get(self.relative(path))
            if seen and seen != sha256(data):
                raise StaleFile(f"{self.relative(path)} changed on disk since it was read "
                                "(by another editor?): reload it, then make the edit again")
            tree = parse_bytes(data, path)
            self.drafts[path] = Draft(path, data, tree, Snapshot(data, tree))
        return self.drafts[path]

    def inside(self, path: str | Path) -> Path:
        """The edition's own TEI files only: nothing outside tei/ is read or written."""
        candidate = Path(path)
        if not candidate.is_absolute():
            candidate = self.edition.root / candidate
        candidate = candidate.resolve()
        tei_dir = self.edition.tei_dir.resolve()
        if tei_dir not in candidate.parents or candidate.suffix != ".xml" or not candidate.is_file():
            raise UsageProblem(f"{path}: not a TEI file of the edition (tei/**/*.xml)")
        return candidate

    def relative(self, path: Path) -> str:
        return str(Path(path).resolve().relative_to(self.edition.root.resolve()))

    # --- finding elements ---------------------------------------------------------
    def element(self, address: str):
        """(draft, element) for "xml:id" or "xml:id/k"."""
        identifier, _, index = address.partition("/")
        draft, element = self.by_id(identifier)
        if not index:
            return draft, element
        inner = [e for e in element.iter() if isinstance(e.tag, str)][1:]
        try:
            return draft, inner[int(index)]
        except (ValueError, IndexError):
            raise UsageProblem(f"no element {address!r} (there are {len(inner)} inside {identifier})") from None

    def by_id(self, identifier: str):
        needle = f'xml:id="{identifier}"'.encode()
        candidates = sorted(self.edition.tei_files(), key=lambda p: (p.parent != self.edition.sources_dir, p))
        for path in candidates:
            if path.resolve() in self.drafts or needle in path.read_bytes():
                draft = self.open(path)
                found = draft.root.xpath("//*[@xml:id=$id]", id=identifier)
                if found:
                    return draft, found[0]
        raise UsageProblem(f"no element with xml:id {identifier!r} in the edition")

    def source(self, source_id: str) -> Draft:
        return self.open(self.edition.require_source(source_id))


def address_of(element) -> str:
    """The stable name of an element: its xml:id, or "ancestor-id/k"."""
    if element.get(XML_ID):
        return element.get(XML_ID)
    ancestor = next(a for a in element.iterancestors() if a.get(XML_ID))
    inner = [e for e in ancestor.iter() if isinstance(e.tag, str)][1:]
    return f"{ancestor.get(XML_ID)}/{inner.index(element)}"


def sentence_of(element):
    """The <s> an element stands in (itself if it is one), or None."""
    for candidate in [element, *element.iterancestors()]:
        if candidate.tag == f"{{{NS['tei']}}}s":
            return candidate
    return None
