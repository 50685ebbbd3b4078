"""A document's check kept between builds: its schema and rule diagnostics, by what they read.

An incremental build (issue 15) should not check again what did not change. A
document's diagnostics from the edition's schema and from the per-document
rules (rules.RULES) depend on: the document's own bytes and path; the
edition around it (inputs.context_key: edition.xml with its prefixes and
house profile, the registers and bibliography, the styles with the schema,
the package's code); what the rules look up in other documents — which files
are TEI files of the edition and which xml:ids each holds (pointers, "did you
mean"); and the rules' shared context (rules.rule_context: the categories).
The key of a document's entry is the digest of all of these, so an edit of
one source changes that source's key only — unless it adds or removes an
xml:id, which changes every key.

The corpus rules (unique ids, consistency across documents) and the safety
rules are reductions over every document and always run. The diagnostics
are the same, in the same order, as an uncached check's (tests/checking).

The bytes are read before the corpus is parsed (`KeptChecks(edition)`) and
again before anything is kept (`settle`): a file changed while the build
read it keeps nothing. Entries are parts (pipeline/parts.py: a header with the
format, kind, key and the payload's SHA-256; damaged or foreign → discarded).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..diagnostics import Diagnostic

KIND = "check"


class KeptChecks:
    def __init__(self, edition, cache, context: str):
        """`cache`: a pipeline.parts.PartCache; `context`: inputs.context_key(edition, "check")."""
        self.cache, self.context = cache, context
        root = edition.root.resolve()  # a file linked out of the edition is never read (edition/safety.py)
        self.digests = _digests(p for p in edition.tei_files() if root in Path(p).resolve().parents)
        self._shared: str | None = None
        self._made: dict[str, bytes] = {}  # key → payload, kept by settle() if nothing changed
        self._paths: dict[str, Path] = {}

    @classmethod
    def of(cls, edition, build_dir: Path, log=None) -> "KeptChecks":
        from ..pipeline.inputs import context_key
        from ..pipeline.parts import PartCache
        folder = Path(build_dir) / ".cache" / "checks"  # its own folder: pruned by its own builds
        return cls(edition, PartCache(build_dir, log, folder=folder), context_key(edition, "check"))

    def key(self, corpus, document, context: dict) -> str | None:
        digest = self.digests.get(document.path)
        if digest is None:
            return None  # not read before the parse: no entry
        from ..pipeline.inputs import part_key
        if self._shared is None:
            ids: dict[str, list[str]] = {}
            for path, identifier in corpus.ids:
                ids.setdefault(str(path), []).append(identifier)
            self._shared = part_key(self.context, json.dumps(
                [sorted(str(p) for p in corpus.documents), {p: sorted(i) for p, i in sorted(ids.items())}]))
        return part_key(self._shared, KIND, str(document.path), digest, str(corpus.house(document)),
                        json.dumps(_plain(context), sort_keys=True, default=repr))

    def get(self, key: str | None) -> tuple[list[Diagnostic], list[Diagnostic]] | None:
        """(schema diagnostics, rule diagnostics) kept under `key`, or None."""
        payload = self.cache.get(KIND, key) if key else None
        if payload is None:
            return None
        try:
            schema, rules = json.loads(payload)
            return [_diagnostic(d) for d in schema], [_diagnostic(d) for d in rules]
        except (ValueError, TypeError, KeyError):
            return None

    def put(self, key: str | None, document, schema: list[Diagnostic], rules: list[Diagnostic]) -> None:
        if key:
            self._made[key] = json.dumps([[_fields(d) for d in schema], [_fields(d) for d in rules]]).encode()
            self._paths[key] = document.path

    def settle(self) -> None:
        """Keep what was made, for the documents whose bytes are still those read at the start."""
        now = _digests(set(self._paths.values()))
        for key, payload in self._made.items():
            if now.get(self._paths[key]) == self.digests.get(self._paths[key]):
                self.cache.put(KIND, key, payload)
        self._made.clear()
        self.cache.finish()  # what neither this check nor the one before it used goes


def _digests(paths) -> dict[Path, str]:
    found = {}
    for path in paths:
        try:
            found[Path(path).resolve()] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except OSError:
            pass
    return found


def _plain(value):
    """A rule context as JSON can hold it (sets sorted)."""
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _fields(d: Diagnostic) -> list:
    return [d.path, d.line, d.column, d.rule, d.message, d.severity]


def _diagnostic(fields: list) -> Diagnostic:
    path, line, column, rule, message, severity = fields
    return Diagnostic(str(path), int(line), int(column), str(rule), str(message), str(severity))
