"""Parts of an output kept between builds: what makes a build incremental.

A part is what one piece of work made — a source's page, a font cut to the
characters of the site, the DTS files of one source — kept as bytes under
build/.cache/parts/KIND/KEY, where KEY is the digest of everything that
piece of work read (inputs.part_key: the cache format, the package, the
build's options, the styles, the registers, bibliography and edition.xml,
and the one source it is about). An edit of one source changes the keys of
that source's parts only; the parts of every other source are taken as
they are. The corpus-wide pages (index, synopsis, registers, timeline …) are
parts keyed on what they show of the sources (html/pages.py: data_key), so
an edit that changes nothing they show takes them too; the apparatus is
joined from each source's kept fragment (html/kept.py).

Never trusted: an entry is a header line — this format, its kind, its key,
the SHA-256 of the payload — and the payload. An entry whose header does not
name this format, this kind and this key (copied from elsewhere, written by
another version), or whose payload does not match its digest (truncated,
edited), is deleted and the part made afresh. Entries are written to a
temporary file and renamed into place. What a build did not use is pruned
when it ends (the parts of the build before it are kept too, so that an
edit undone is cheap again).

Several files in one part (`pack`/`unpack`): a framed list of (relative
path, bytes) — never pickle, since a foreign cache must not run code.
"""
from __future__ import annotations

import contextlib
import hashlib
import re
import json
import os
import tempfile
from collections import Counter
from pathlib import Path

from .inputs import FORMAT

HEADER = b"edition-part"
USED = "USED.json"


class PartCache:
    def __init__(self, build_dir: Path, log=None, folder: Path | None = None):
        self.folder = Path(folder) if folder is not None else Path(build_dir) / ".cache" / "parts"
        self.discarded: list[str] = []
        self.taken: Counter = Counter()  # parts found, by kind
        self.made: Counter = Counter()  # parts asked for and not found (made, then kept), by kind
        self._used: set[str] = set()
        self._log = log

    def get(self, kind: str, key: str) -> bytes | None:
        """The payload kept for (kind, key), or None (nothing kept, or not trustworthy)."""
        path = self._path(kind, key)
        self._used.add(f"{kind}/{key}")
        try:
            data = path.read_bytes()
        except OSError:
            self.made[kind] += 1
            return None
        head, _, payload = data.partition(b"\n")
        try:
            magic, form, named_kind, named_key, digest = head.decode("ascii").split(" ")
            if (magic.encode(), form, named_kind, named_key) != (HEADER, FORMAT, kind, key):
                raise ValueError("written for another format, kind or key")
            if hashlib.sha256(payload).hexdigest() != digest:
                raise ValueError("the payload is not what was stored")
        except (ValueError, UnicodeDecodeError) as error:
            self._discard(path, f"{kind}/{key[:12]}: {error}")
            self.made[kind] += 1
            return None
        self.taken[kind] += 1
        return payload

    def put(self, kind: str, key: str, payload: bytes) -> None:
        path = self._path(kind, key)
        self._used.add(f"{kind}/{key}")
        path.parent.mkdir(parents=True, exist_ok=True)
        head = " ".join((HEADER.decode(), FORMAT, kind, key, hashlib.sha256(payload).hexdigest()))
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".storing-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(head.encode("ascii") + b"\n" + payload)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def memo(self, kind: str, key: str, make) -> bytes:
        """The kept payload, or `make()`'s, kept for next time."""
        found = self.get(kind, key)
        if found is None:
            found = make()
            self.put(kind, key, found)
        return found

    def counts(self) -> dict[str, tuple[int, int]]:
        """{kind: (parts taken, parts made)} of this build."""
        return {kind: (self.taken[kind], self.made[kind]) for kind in sorted({*self.taken, *self.made})}

    def finish(self) -> None:
        """Prune what neither this build nor the one before it used."""
        if not self.folder.is_dir():
            return
        record = self.folder / USED
        try:
            before = set(json.loads(record.read_text("utf-8")))
        except (OSError, ValueError, TypeError):
            before = set()
        keep = self._used | before
        with os.scandir(self.folder) as kinds:  # scandir: the entry types without a stat each
            for kind in list(kinds):
                if kind.name == USED:
                    continue
                if not kind.is_dir(follow_symlinks=False):
                    Path(kind.path).unlink(missing_ok=True)
                    continue
                with os.scandir(kind.path) as entries:
                    for entry in list(entries):
                        if f"{kind.name}/{entry.name}" not in keep and not entry.is_dir(follow_symlinks=False):
                            Path(entry.path).unlink(missing_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".storing-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(json.dumps(sorted(self._used)))
        os.replace(temporary, record)

    def _path(self, kind: str, key: str) -> Path:
        if not (kind.isidentifier() and len(key) == 64 and all(c in "0123456789abcdef" for c in key)):
            raise ValueError(f"not a part name: {kind}/{key}")
        return self.folder / kind / key

    def _discard(self, path: Path, why: str) -> None:
        self.discarded.append(why)
        if self._log:
            self._log(f"cache part discarded ({why}); made afresh")
        path.unlink(missing_ok=True)


class UserPartCache(PartCache):
    """Parts kept in the user's cache folder, for every build of every edition of this user:
    what is worth keeping when build/ is new (the cut fonts). Content-addressed as the build's
    parts are, verified the same way; the `keep` most recently used entries are kept."""

    def __init__(self, folder: Path, keep: int = 64, log=None):
        super().__init__(folder, log, folder=folder)
        self.keep = keep

    def get(self, kind: str, key: str) -> bytes | None:
        found = super().get(kind, key)
        if found is not None:
            with contextlib.suppress(OSError):
                os.utime(self._path(kind, key))  # used: among the last to go
        return found

    def finish(self) -> None:
        """Prune all but the `keep` most recently used entries."""
        with contextlib.suppress(OSError):
            entries = [e for kind in self.folder.iterdir() if kind.is_dir() and not kind.is_symlink()
                       for e in kind.iterdir() if not e.name.startswith(".")]
            entries.sort(key=lambda e: e.stat().st_mtime, reverse=True)
            for old in entries[self.keep:]:
                old.unlink(missing_ok=True)


def user_cache(name: str, switch: str, keep: int = 64) -> UserPartCache | None:
    """$XDG_CACHE_HOME/edition/NAME (~/.cache/edition/NAME) as a parts cache; None when the
    environment variable `switch` is off/0/no, or the folder cannot be made, or another user
    could write into it (an entry planted there would be served to this user's readers)."""
    from ..model.compiled import user_folder
    place = user_folder(name, switch)
    return UserPartCache(place, keep) if place is not None else None


def pack(files: dict[str, bytes]) -> bytes:
    """Several files as one payload: per file, the lengths of its name and bytes, then both."""
    out = bytearray()
    for name in sorted(files):
        label = name.encode("utf-8")
        out += len(label).to_bytes(4, "big") + len(files[name]).to_bytes(8, "big") + label + files[name]
    return bytes(out)


def unpack(payload: bytes) -> dict[str, bytes]:
    """`pack` undone; a name that would leave the output's folder is refused (ValueError)."""
    files, at = {}, 0
    while at < len(payload):
        if at + 12 > len(payload):
            raise ValueError("a truncated part")
        size, length = int.from_bytes(payload[at:at + 4], "big"), int.from_bytes(payload[at + 4:at + 12], "big")
        name = payload[at + 12:at + 12 + size].decode("utf-8")
        data = payload[at + 12 + size:at + 12 + size + length]
        if len(data) != length:
            raise ValueError("a truncated part")
        parts = Path(name).parts
        if not name or Path(name).is_absolute() or ".." in parts:
            raise ValueError(f"a part names a file outside its output: {name}")
        files[name] = data
        at += 12 + size + length
    return files


# --- the site's parts ---------------------------------------------------------------------
BUILT_FORM = re.compile(r"^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d) UTC$")
# The build time as a page is kept: each digit group by private-use characters of its own, so
# that a template may cut it ([:10]) or change its separators (-, /, T, Z) and the real time
# still goes back in digit group by digit group.
_STAND_IN = ["\ue000" * 4, "\ue001" * 2, "\ue002" * 2, "\ue003" * 2, "\ue004" * 2]
PLACEHOLDER = "{}-{}-{} {}:{} UTC".format(*_STAND_IN)
_PRIVATE = tuple(c.encode("utf-8") for c in "\ue000\ue001\ue002\ue003\ue004")
_WHOLE = PLACEHOLDER.encode("utf-8")


def site_parts(edition, build_dir: Path, built: str, log=None, previous=({}, {})) -> "SiteParts":
    """The parts of build/html for this edition and build time (see SiteParts); `previous`:
    OutputCache.placed("html", …), what the last build left in build/html."""
    from .inputs import context_files, context_key, style_inputs
    files = [*context_files(edition), *(p for _, paths in style_inputs(edition) for p in paths)]
    clean = all(plain(Path(p).read_bytes()) for p in files if Path(p).is_file())
    kept = SiteParts(PartCache(build_dir, log), context_key(edition, "html"), built, clean, previous)
    kept.previous_folder = Path(build_dir) / "html"
    return kept


class SiteParts:
    """The parts cache as the site's writer uses it: the key of a source's share of the
    site, the build time's placeholder, and `stamped` to put the real time back.

    `context` is inputs.context_key(...) of the output (everything but the sources);
    a source's key adds its file's bytes, the navigation every page carries (each
    source's id, label and page), the register entries any source declares itself
    (a page shows the entries it names, wherever they are declared) and the PDF link.
    """

    def __init__(self, cache: PartCache, context: str, built: str, plain_context: bool = True,
                 previous: tuple[dict, dict] = ({}, {})):
        """`plain_context`: no register, style or other file around the sources holds the
        placeholder's characters (else a page would be stamped where its text has them,
        and pages are made afresh). A source that holds them has no parts of its own."""
        self.cache, self.context = cache, context
        self.enabled = bool(BUILT_FORM.match(built)) and plain_context
        self.placeholder = PLACEHOLDER
        self._skeleton: tuple[int, str] | None = None
        self._digests: dict = {}  # a source file's path → the SHA-256 of its bytes ("": it holds the placeholder)
        # In place: the files of build/html as the last build left them (OutputCache.placed:
        # only when nothing there has changed since) and which part made which of them.
        self.previous_files, self.previous_parts = previous
        self.placed: dict[str, list[str]] = {}  # part → its files, in this build
        self.in_place: set[str] = set()  # files this build leaves where they are
        self.previous_folder: Path | None = None  # build/html, which previous_files describes

    def same_in_place(self, relative: str, data: bytes) -> bool:
        """Whether the last build's file `relative` (build/html, untouched since: previous_files)
        holds exactly `data`; then this build leaves it in place instead of writing it. A source's
        edit changes few of its DTS files: the rest need not be written and moved in again."""
        known = self.previous_files.get(relative) if self.enabled and self.previous_folder else None
        if not known or not isinstance(known, list) or known[0] != len(data):
            return False
        try:
            same = (self.previous_folder / relative).read_bytes() == data
        except OSError:
            return False
        if same:
            self.in_place.add(relative)
        return same

    def leave_in_place(self, kind: str, key: str | None) -> list[str] | None:
        """The files of part (kind, key) when the last build wrote them and they are still there
        untouched: this build leaves them in place (build.sync_in) instead of writing them."""
        files = self.previous_parts.get(f"{kind}/{key}") if self.enabled and key else None
        if not files or not all(isinstance(f, str) and f in self.previous_files for f in files):
            return None
        self.placed[f"{kind}/{key}"] = files
        self.in_place.update(files)
        return files

    def wrote(self, kind: str, key: str | None, files: list[str]) -> None:
        if self.enabled and key:
            self.placed[f"{kind}/{key}"] = sorted(files)

    def memo(self, kind: str, key: str, make) -> bytes | None:
        """The part kept under `key`, or the one `make()` makes (then kept); None when parts
        are off or what was made is not one to keep (the caller makes it the plain way)."""
        if not self.enabled or key is None:
            return None
        found = self.cache.get(kind, key)
        if found is None:
            found = make()
            if b"\\ue00" in found.lower():  # the placeholder escaped (JSON): it could not go back
                return None
            self.cache.put(kind, key, found)
        return found

    def source_key(self, view, source, *more) -> str | None:
        """None when the source's file holds the placeholder's characters (then no part)."""
        from .inputs import part_key
        digest = self._digests.get(source.document.path)
        if digest is None:  # read once a build: every part of a source is keyed on the same bytes
            data = Path(source.document.path).read_bytes()
            digest = self._digests[source.document.path] = hashlib.sha256(data).hexdigest() if plain(data) else ""
        if not digest:
            return None
        return part_key(self.context, "source", source.id, digest, self.skeleton(view), *(str(m) for m in more))

    def kept_json(self, view, kind: str):
        """`kept(source, make)` for a source's share of a corpus-wide reduction (the search
        index's texts and terms): `make()`'s JSON value, kept under the source's key."""
        if not self.enabled:
            return None

        def kept(source, make):
            key = self.source_key(view, source, kind)
            payload = self.memo(kind, key, lambda: json.dumps(make(), ensure_ascii=False).encode("utf-8"))
            try:
                return json.loads(payload) if payload is not None else make()
            except ValueError:
                return make()
        return kept

    def key(self, view, *names) -> str:
        """The key of a part that reads no source: the context, the navigation, `names`."""
        from .inputs import part_key
        return part_key(self.context, "site", self.skeleton(view), *(str(n) for n in names))

    def skeleton(self, view) -> str:
        """What of every source a page of one shows: the navigation, the entries sources declare."""
        if self._skeleton is None or self._skeleton[0] != id(view):
            from lxml import etree
            from .inputs import part_key
            from ..safety import site_url
            paths = {s.document.path for s in view.sources}
            local = [etree.tostring(e.element) for kind in sorted(view.entries) for e in view.entries[kind]
                     if any(path in paths for path, _ in e.keys)]
            self._skeleton = (id(view), part_key(json.dumps(
                [[s.id, s.label, s.title, s.language, s.lang, site_url(s.id)] for s in view.sources]), *local))
        return self._skeleton[1]

    def stamped(self, payload: bytes, built: str) -> bytes:
        if not self.enabled:
            return payload
        payload = payload.replace(_WHOLE, built.encode("ascii"))  # the time as the placeholder left it
        if not any(c in payload for c in _PRIVATE):
            return payload
        groups = BUILT_FORM.match(built).groups()  # and cut or reformatted by a template
        for stand_in, value in zip(_STAND_IN, groups):
            payload = payload.replace(stand_in.encode("utf-8"), value.encode("ascii"))
        return payload


def plain(data: bytes) -> bool:
    """No character of the build time's placeholder in these bytes."""
    return not any(c in data for c in _PRIVATE)
