"""Diagnostics: the one type for every problem a user is shown.

Every checker, importer and renderer reports problems as `Diagnostic`s
(path:line:column: rule: message) and collects them, so that one run reports
all problems at once. `EditionError` carries a list of them to the CLI, which
prints them and exits non-zero; tracebacks are shown only with --debug.
"""
from __future__ import annotations

import re
import zlib
from collections import OrderedDict
from pathlib import Path

from .records import Factory, Record

ERROR = "error"
WARNING = "warning"


class Diagnostic(Record, frozen=True, order=True):
    path: str
    line: int
    column: int
    rule: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        prefix = "" if self.severity == ERROR else f"{self.severity}: "
        return f"{where}: {prefix}{self.rule}: {self.message}"

    @classmethod
    def at(cls, node, rule: str, message: str, path: str | Path | None = None,
           severity: str = ERROR, attribute: str | None = None) -> "Diagnostic":
        """A diagnostic located at an lxml node (line known; column 1 unless
        found), or at one of its attributes."""
        tree = node.getroottree()
        where = path if path is not None else (tree.docinfo.URL or "<string>")
        return cls(str(where), node.sourceline or 0, column_of(node, attribute), rule, message, severity)


def column_of(node, attribute: str | None = None) -> int:
    """lxml keeps no column for elements: recover it from the source text when
    the document was parsed from a file we can read (cached per document):
    the start tag of this element (not the first of its name on the line),
    and within it the attribute, when one is named."""
    source = source_lines(node.getroottree().docinfo.URL)
    if source is None or not node.sourceline:
        return 1
    line = source[node.sourceline - 1] if node.sourceline <= len(source) else ""
    tag = node.prefix + ":" + _local(node) if node.prefix else _local(node)
    before = 0  # elements of the same name that start earlier on the same line
    for other in node.getroottree().getroot().iter(node.tag):
        if other is node:
            break
        if other.sourceline == node.sourceline:
            before += 1
    index = -1
    for _ in range(before + 1):
        index = line.find("<" + tag, index + 1)
        if index < 0:
            return 1
    if attribute:
        found = re.compile(r"\s" + re.escape(attribute) + r"\s*=").search(line, index)
        end = line.find(">", index)
        if found and (end < 0 or found.start() < end):
            return found.start() + 2
    return index + 1


KEPT_FILES = 8  # files whose lines stay in memory (the last parsed or asked for): columns without a re-read
_SOURCE_LINES: "OrderedDict[str, list[str]]" = OrderedDict()  # the last KEPT_FILES files read from disk
_GIVEN: dict[str, list[str]] = {}  # texts parsed from memory (an edit's draft): no file to read again
_STAMPS: dict[str, tuple[int, int, str | None]] = {}  # url → (size, CRC-32, encoding) of the bytes parsed


def remember_source(url: str, text: str, stamp: tuple[int, int, str | None] | None = None) -> None:
    """Keep a parsed file's lines so that diagnostics can give columns. With `stamp`
    (the file's size, CRC-32 and declared encoding, as parsed) the text came from the file
    at `url`: only the last KEPT_FILES such files are kept (a corpus of a thousand files
    would otherwise hold all its text twice), and an older one is read again when a
    diagnostic needs a column, if its bytes are still those parsed (else column 1).
    Without it the text is kept: there is nothing to read again."""
    lines = text.split("\n")
    if stamp is None:
        _SOURCE_LINES.pop(url, None)
        _STAMPS.pop(url, None)
        _GIVEN[url] = lines
        return
    _GIVEN.pop(url, None)
    _STAMPS[url] = stamp
    _SOURCE_LINES[url] = lines
    _SOURCE_LINES.move_to_end(url)
    while len(_SOURCE_LINES) > KEPT_FILES:
        _SOURCE_LINES.popitem(last=False)


def source_lines(url: str | None) -> list[str] | None:
    """The lines of a parsed file (see remember_source), or None when unknown or changed since."""
    if url is None:
        return None
    if url in _GIVEN:
        return _GIVEN[url]
    lines = _SOURCE_LINES.get(url)
    if lines is not None:
        _SOURCE_LINES.move_to_end(url)
        return lines
    stamp = _STAMPS.get(url)
    if stamp is None:
        return None
    try:
        with open(url, "rb") as file:
            data = file.read(stamp[0] + 1)
    except OSError:
        return None
    if len(data) != stamp[0] or zlib.crc32(data) != stamp[1]:
        return None  # edited since it was parsed: its lines would point elsewhere
    from .xmlio import _decoded
    remember_source(url, _decoded(data, stamp[2]), stamp)
    return _SOURCE_LINES[url]


def _local(node) -> str:
    tag = node.tag if isinstance(node.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


class Report(Record):
    """Collects diagnostics across a run; errors make the run fail."""
    diagnostics: list[Diagnostic] = Factory(list)

    def add(self, diagnostic: Diagnostic) -> None:
        if diagnostic not in self.diagnostics:  # de-duplicate repeated findings
            self.diagnostics.append(diagnostic)

    def extend(self, diagnostics) -> None:
        for diagnostic in diagnostics:
            self.add(diagnostic)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.diagnostics)


class EditionError(Exception):
    """Base of every error the user is shown; the CLI exits with `exit_code`
    (edition/cli.py and edition/launch.py show it; no click here: `edition render`
    runs without it)."""
    exit_code = 1

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None):
        super().__init__(message)
        self.message = message
        self.diagnostics = sorted(diagnostics or [])

    def format_message(self) -> str:
        lines = [str(d) for d in self.diagnostics]
        lines.append(self.message)
        return "\n".join(lines)

    def show(self, file=None) -> None:
        from .launch import echo
        echo(self.format_message(), err=True)


class InvalidEdition(EditionError):
    """The edition's TEI (or an ODD) breaks a rule; nothing was written."""


class UsageProblem(EditionError):
    """A command was asked for something impossible (unknown source, file exists...)."""
    exit_code = 2


# --- faults of the machine, not of the edition: each has its own exit code -----------
class EnvironmentFault(EditionError):
    """The machine refused something (disk, permissions, port, lock, a tool):
    one line naming the path and what to do; nothing of the edition was lost."""
    exit_code = 4

    def format_message(self) -> str:
        return self.message


class NoSpace(EnvironmentFault):
    exit_code = 4


class NotWritable(EnvironmentFault):
    exit_code = 5


class PortInUse(EnvironmentFault):
    exit_code = 6


class Busy(EnvironmentFault):
    exit_code = 7


class ToolFault(EnvironmentFault):
    exit_code = 8


EXIT_CODES = {0: "success", 1: "the edition or an input breaks a rule (every problem listed)",
              2: "usage: unknown source, id or path outside the edition, refused overwrite",
              3: "internal error (a bug: run with --debug)", 4: "no space left on the device",
              5: "a file or folder cannot be written or read (read-only, permissions)",
              6: "the port is in use", 7: "another build of this edition is running",
              8: "an external tool (jing) failed or timed out"}


def environment_fault(error: OSError, path=None, doing: str = "write") -> EditionError | None:
    """The EnvironmentFault for an OSError of the machine (None for other errors)."""
    import errno
    where = path or error.filename or "?"
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return NoSpace(f"{where}: no space left on the device; free some space and run again "
                       "(the previous build and the sources are intact)")
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        reason = "read-only file system" if error.errno == errno.EROFS else "permission denied"
        advice = "make it writable or work on a copy" if doing == "write" else "check its permissions"
        return NotWritable(f"{where}: cannot {doing} ({reason}); {advice}")
    if error.errno == errno.EADDRINUSE:
        return PortInUse(f"{where}: the port is in use; choose another with --port")
    return None
