"""What an output depends on → one digest (the cache key).

An output of the edition (build/html, build/pdf, build/epub) is a function of
its inputs only: the TEI files (sources, registers, bibliography,
edition.xml), the images under tei/ the sources show, every style file that can be looked up (the edition's styles/
and the package's defaults: ODD, CSS, JS, templates, schema), the package
itself (its version and the bytes of its code, so that a development change
counts too), data read from elsewhere (the map's atlas from node_modules/),
and the build's options. The key hashes the relative path and
the bytes of every such file, so a change to any of them — or a file added
or removed — gives a new key. Modification times are never trusted: a copy
or a `touch` must not make a stale output look fresh, nor a fresh one stale.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .. import __version__
from ..project import Edition

FORMAT = "edition-cache-1"  # bumped when the cache's layout or keying changes


@dataclass
class InputDigest:
    """A running SHA-256 over named parts, each framed by its name and length
    (so that moving bytes from one file into the next changes the digest)."""
    _hash: object = field(default_factory=hashlib.sha256)

    def part(self, name: str, data: bytes) -> "InputDigest":
        label = name.encode("utf-8")
        self._hash.update(len(label).to_bytes(8, "big") + label + len(data).to_bytes(8, "big"))
        self._hash.update(data)
        return self

    def files(self, kind: str, base: Path, paths) -> "InputDigest":
        root = base.resolve()
        for path in sorted(paths):
            name = f"{kind}:{Path(path).relative_to(base).as_posix()}"
            resolved = Path(path).resolve()
            if resolved != root and root not in resolved.parents:
                # a link out of the folder is never read (edition/safety.py): its target names it
                self.part(name + " -> outside", str(resolved).encode("utf-8"))
                continue
            self.part(name, Path(path).read_bytes())
        return self

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def tei_inputs(edition: Edition) -> list[Path]:
    return edition.tei_files()


def media_inputs(edition: Edition) -> list[Path]:
    """The images under tei/ that the site, the book and the EPUB may carry (edition/media.py):
    their bytes, and whether they are there at all, change what those outputs hold."""
    from ..media import IMAGE_TYPES
    return sorted(p for p in edition.tei_dir.rglob("*")
                  if p.suffix.lower() in IMAGE_TYPES and not p.name.startswith(".") and p.is_file())


def style_inputs(edition: Edition) -> list[tuple[Path, list[Path]]]:
    """Every file of every style folder (the edition's own, then the package's)."""
    found = []
    for folder in edition.styles.folders:
        files = [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        found.append((folder, files))
    return found


def data_inputs(edition: Edition) -> list[Path]:
    """Files read at build time from outside tei/ and styles/: the map's atlas (npm world-atlas)."""
    from ..html.geography import atlas_folders, find_atlas
    folders = atlas_folders(edition.styles)
    return [p for p in (find_atlas(folders, r) for r in ("10m", "50m", "110m")) if p]


@lru_cache(maxsize=1)
def package_digest() -> str:
    """The package's version and the bytes of its code (a development change counts)."""
    root = Path(__file__).resolve().parents[1]
    digest = InputDigest().part("version", __version__.encode())
    code = [p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".odd", ".j2", ".rnc", ".rng")
            and "__pycache__" not in p.parts]
    return digest.files("package", root, code).hexdigest()


def output_key(edition: Edition, output: str, options: dict | None = None,
               package: str | None = None, extra: list[Path] = ()) -> str:
    """The cache key of one output: a hex SHA-256 of everything it is made from."""
    digest = InputDigest().part("format", FORMAT.encode()).part("output", output.encode())
    digest.part("package", (package or package_digest()).encode())
    digest.part("options", repr(sorted((options or {}).items())).encode())
    digest.files("tei", edition.root, tei_inputs(edition))
    digest.files("media", edition.root, media_inputs(edition))
    for number, (folder, files) in enumerate(style_inputs(edition)):
        digest.files(f"styles{number}", folder, files)
    for path in [*data_inputs(edition), *extra]:
        if Path(path).is_file():
            digest.part(f"extra:{path}", Path(path).read_bytes())
    return digest.hexdigest()


# --- parts (parts.py): the inputs of one source's share of an output -----------------------
def context_key(edition: Edition, output: str, options: dict | None = None,
                package: str | None = None) -> str:
    """What every part of an output reads besides the sources: the package, the
    options, every style file, the data from elsewhere, and every TEI file that
    is not a source (registers, bibliography, edition.xml, anything else under
    tei/ outside tei/sources/), each by its relative path and bytes."""
    digest = InputDigest().part("format", FORMAT.encode()).part("output", output.encode())
    digest.part("package", (package or package_digest()).encode())
    digest.part("options", repr(sorted((options or {}).items())).encode())
    digest.part("root", str(edition.root.resolve()).encode())  # util:collection-name in an ODD
    digest.files("tei", edition.root, context_files(edition))
    for number, (folder, files) in enumerate(style_inputs(edition)):
        digest.files(f"styles{number}", folder, files)
    for path in data_inputs(edition):
        if Path(path).is_file():
            digest.part(f"extra:{path}", Path(path).read_bytes())
    return digest.hexdigest()


def context_files(edition: Edition) -> list[Path]:
    """The TEI files that are not sources (registers, bibliography, edition.xml, …)."""
    sources = edition.sources_dir.resolve()
    return [p for p in tei_inputs(edition) if p.resolve().parent != sources]


def part_key(*parts: str | bytes) -> str:
    """The key of one part: the digest of its named inputs, in order, each framed."""
    digest = InputDigest()
    for number, part in enumerate(parts):
        digest.part(str(number), part if isinstance(part, bytes) else str(part).encode("utf-8"))
    return digest.hexdigest()
