"""Finished outputs kept under build/.cache/, keyed on their inputs.

An entry is a folder build/.cache/OUTPUT/KEY/ holding a copy of the output
and MANIFEST.json (format, output, key, and the SHA-256 of every file). The
key is the digest of everything the output is made from (inputs.py), so an
entry can only be found by a build whose inputs are byte for byte the same.

The cache is never trusted: before an entry is used its manifest must parse,
name this format, this output and this key, and list exactly the files the
folder holds (regular files, inside the entry, no links), each with the
digest recorded. Anything else — a truncated file, an edited page, an entry
copied from another edition or written by another version — is discarded
(the folder is removed) and the output is built afresh. Entries are written
into a temporary folder and renamed into place, so a killed build leaves no
half entry under a key. The check report is kept the same way, as JSON.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from ..diagnostics import Diagnostic, Report
from .inputs import FORMAT

MANIFEST = "MANIFEST.json"
KEEP = 2  # entries kept per output: the last build, and the one before (an edit undone)


class OutputCache:
    def __init__(self, build_dir: Path, log=None):
        self.folder = Path(build_dir) / ".cache"
        self.discarded: list[str] = []  # why entries were thrown away (said by the build)
        self._log = log

    # --- outputs ------------------------------------------------------------------
    def restore(self, output: str, key: str, into: Path) -> bool:
        """Copy the cached output into `into` (which must not exist); False when
        there is no trustworthy entry for this key."""
        entry = self.folder / output / key
        if not entry.is_dir():
            return False
        files = self._verified(entry, output, key)
        if files is None:
            return False
        into.mkdir(parents=True)
        for relative in files:
            target = into / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(entry / relative, target)
        return True

    def store(self, output: str, key: str, tree: Path) -> None:
        """Keep a copy of a freshly built output under its key."""
        base = self.folder / output
        base.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(dir=base, prefix=".storing-"))
        try:
            digests = {}
            for path in sorted(tree.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    relative = path.relative_to(tree).as_posix()
                    target = scratch / relative
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, target)
                    digests[relative] = _sha256(target)
            manifest = {"format": FORMAT, "output": output, "key": key, "files": digests}
            (scratch / MANIFEST).write_text(json.dumps(manifest, sort_keys=True), "utf-8")
            entry = base / key
            if entry.exists():
                shutil.rmtree(entry)
            os.rename(scratch, entry)
        except BaseException:
            shutil.rmtree(scratch, ignore_errors=True)
            raise
        self._prune(base, keep=entry)

    # --- what build/OUTPUT holds now ------------------------------------------------
    def current(self, output: str, key: str, folder: Path) -> bool:
        """True when `folder` (build/OUTPUT) is still exactly what the build of
        `key` swapped in: same files, same sizes, same modification times and
        inodes (a stamp written after the swap). Then there is nothing to do."""
        try:
            stamp = json.loads((self.folder / f"{output}.stamp").read_text("utf-8"))
            return stamp.get("format") == FORMAT and stamp.get("key") == key and \
                stamp.get("files") == _signature(folder)
        except (OSError, ValueError, AttributeError):
            return False

    def stamp(self, output: str, key: str, folder: Path, parts: dict | None = None, files: dict | None = None) -> None:
        """Say what build/OUTPUT now holds; `parts`: {part: [its files]} (pipeline/parts.py),
        the files of each part, which a later build may leave in place. `files`: the folder's
        _signature when the caller knows it (build.signature_after_sync), else it is walked."""
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {"format": FORMAT, "key": key, "files": _signature(folder) if files is None else files,
                "parts": parts or {}}
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".storing-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(json.dumps(data))  # dumps: the C encoder (dump writes piece by piece in Python)
        os.replace(temporary, self.folder / f"{output}.stamp")

    def placed(self, output: str, folder: Path) -> tuple[dict, dict]:
        """(files, parts) of the last stamp when `folder` still holds exactly what it said
        (no file added, removed or touched since), else ({}, {}): nothing may stay in place."""
        try:
            stamp = json.loads((self.folder / f"{output}.stamp").read_text("utf-8"))
            if stamp.get("format") == FORMAT and isinstance(stamp.get("parts"), dict) and \
                    stamp.get("files") == _signature(folder):
                return stamp["files"], stamp["parts"]
        except (OSError, ValueError, AttributeError):
            pass
        return {}, {}

    # --- the check report -------------------------------------------------------------
    def report(self, key: str) -> tuple[Report, list[str]] | None:
        """The check report (and the readers' summaries) of a build of these inputs."""
        path = self.folder / "check" / f"{key}.json"
        if not path.is_file():
            return None
        try:
            data = json.loads(path.read_text("utf-8"))
            body = json.dumps([data["diagnostics"], data["found"]], sort_keys=True)
            if (data["format"], data["key"]) != (FORMAT, key) or \
                    data["sha256"] != hashlib.sha256(body.encode()).hexdigest():
                raise ValueError("not this cache's report")
            report = Report()
            for d in data["diagnostics"]:
                report.add(Diagnostic(str(d["path"]), int(d["line"]), int(d["column"]), str(d["rule"]),
                                      str(d["message"]), str(d["severity"])))
            return report, [str(line) for line in data["found"]]
        except (ValueError, KeyError, TypeError, OSError, UnicodeDecodeError) as error:
            self._discard(path, f"{path.name}: {error}")
            return None

    def keep_report(self, key: str, report: Report, found: list[str] = ()) -> None:
        folder = self.folder / "check"
        folder.mkdir(parents=True, exist_ok=True)
        diagnostics = [{"path": d.path, "line": d.line, "column": d.column, "rule": d.rule,
                        "message": d.message, "severity": d.severity} for d in report.diagnostics]
        body = json.dumps([diagnostics, list(found)], sort_keys=True)
        data = {"format": FORMAT, "key": key, "diagnostics": diagnostics, "found": list(found),
                "sha256": hashlib.sha256(body.encode()).hexdigest()}
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".storing-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out)
        os.replace(temporary, folder / f"{key}.json")
        self._prune(folder, keep=folder / f"{key}.json")

    # --- trust ------------------------------------------------------------------------
    def _verified(self, entry: Path, output: str, key: str) -> list[str] | None:
        try:
            manifest = json.loads((entry / MANIFEST).read_text("utf-8"))
            if (manifest.get("format"), manifest.get("output"), manifest.get("key")) != (FORMAT, output, key):
                raise ValueError("written for another output, key or cache format")
            files = manifest["files"]
            if not isinstance(files, dict):
                raise ValueError("no file list")
            present = set()
            for path in entry.rglob("*"):
                if path.is_symlink() or not (path.is_file() or path.is_dir()):
                    raise ValueError(f"{path.relative_to(entry)} is not a regular file")
                if path.is_file() and not (path.parent == entry and path.name == MANIFEST):
                    present.add(path.relative_to(entry).as_posix())
            if present != set(files):
                raise ValueError("the files are not the ones the manifest lists")
            for relative, digest in files.items():
                if ".." in Path(relative).parts or Path(relative).is_absolute():
                    raise ValueError(f"{relative} lies outside the entry")
                if _sha256(entry / relative) != digest:
                    raise ValueError(f"{relative} is not what was stored")
            return sorted(files)
        except (OSError, ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as error:
            self._discard(entry, f"{output}/{key[:12]}: {error}")
            return None

    def _discard(self, path: Path, why: str) -> None:
        self.discarded.append(why)
        if self._log:
            self._log(f"cache entry discarded ({why}); building afresh")
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)

    @staticmethod
    def _prune(base: Path, keep: Path) -> None:
        entries = sorted((p for p in base.iterdir() if not p.name.startswith(".")),
                         key=lambda p: p.stat().st_mtime, reverse=True)
        for old in [p for p in entries if p != keep][KEEP - 1:]:
            shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)


def file_signature(path: Path) -> list[int]:
    """One file's entry in _signature."""
    info = os.stat(path, follow_symlinks=False)
    return [info.st_size, info.st_mtime_ns, info.st_ino, info.st_mode]


def _signature(folder: Path) -> dict[str, list[int]]:
    """Each file's size, modification time, inode and mode, by its path under `folder`."""
    found = {}

    def walk(directory: str, prefix: str) -> None:
        with os.scandir(directory) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, name + os.sep)
                else:
                    info = entry.stat(follow_symlinks=False)
                    found[name] = [info.st_size, info.st_mtime_ns, info.st_ino, info.st_mode]
    if os.path.isdir(folder):
        walk(os.fspath(folder), "")
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
