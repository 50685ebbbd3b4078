"""An operation and its arguments → one checked, atomic, undoable write.

`apply(edition, operation, **arguments)` runs the operation on drafts of the
files it opens (document.py), then, before anything is written:
1. renders each changed file as a minimal change of its bytes (splice.py);
2. refuses a change to any character of a source's original reading
   (the lossless guard, sources/reading.py);
3. validates the edited files with the rules of `edition check` (pointers
   still resolved against the whole edition), refusing any error the files
   did not already have, with its file:line:column;
4. refuses if a file changed on disk since it was read (another editor);
then writes every file atomically and records the edit in the history.
"""
from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..corpus import Corpus
from ..diagnostics import Diagnostic, InvalidEdition
from ..project import Edition
from ..sources.reading import element_text, original_paragraphs
from ..xmlio import XML_ID, parse_bytes, write_atomic
from .document import StaleFile, Workspace, sha256
from .history import History


class EditRefused(InvalidEdition):
    """The edit would break the edition (or its original text); nothing was written."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None, reason: str = "invalid"):
        super().__init__(message, diagnostics)
        self.reason = reason


@dataclass
class Applied:
    summary: str
    writes: list[tuple[Path, bytes, bytes]] = field(default_factory=list)
    result: object = None  # what the operation returned (e.g. a new element's address)

    def diff(self, root: Path) -> str:
        out = []
        for path, before, after in self.writes:
            name = str(path.relative_to(root))
            out += difflib.unified_diff(before.decode().splitlines(keepends=True),
                                        after.decode().splitlines(keepends=True),
                                        f"a/{name}", f"b/{name}")
        return "".join(out)


Operation = Callable[..., object]


def apply(edition: Edition, operation: Operation, *, expected: dict[str, str] | None = None,
          dry_run: bool = False, history: History | None = None, **arguments) -> Applied:
    """Run `operation(workspace, **arguments)` and write its change (see module doc)."""
    workspace = Workspace(edition, dict(expected or {}))
    outcome = operation(workspace, **arguments)
    summary, result = outcome if isinstance(outcome, tuple) else (outcome, None)
    applied = Applied(summary, result=result)
    for draft in workspace.drafts.values():
        after = draft.render()
        if after != draft.data:
            applied.writes.append((draft.path, draft.data, after))
    if not applied.writes:
        return applied
    for path, before, after in applied.writes:
        guard_original(path, before, after)
    validate(edition, applied.writes)
    if dry_run:
        return applied
    for path, before, _ in applied.writes:
        if sha256(path.read_bytes()) != sha256(before):
            raise StaleFile(f"{workspace.relative(path)} changed on disk while the edit was made: "
                            "nothing was written; reload and try again")
    for path, _, after in applied.writes:
        write_atomic(path, after)
    (history or History(edition)).record(summary, applied.writes)
    return applied


def guard_original(path: Path, before: bytes, after: bytes) -> None:
    """The lossless guard: the original reading must not change by one character."""
    old = original_paragraphs(parse_bytes(before, path).getroot())
    new_tree = parse_bytes(after, path)
    new = original_paragraphs(new_tree.getroot())
    old_texts, new_texts = [element_text(p) for p in old], [element_text(p) for p in new]
    if old_texts == new_texts:
        return
    for index, (a, b) in enumerate(zip(old_texts + [""] * len(new_texts), new_texts + [""] * len(old_texts))):
        if a != b:
            at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            where = new[index] if index < len(new) else new_tree.getroot()
            ident = where.get(XML_ID) or f"paragraph {index + 1}"
            message = (f"the edit would change the original text of {ident} at character {at + 1}: "
                       f"{a[max(0, at - 15):at + 15]!r} would become {b[max(0, at - 15):at + 15]!r}; "
                       "corrections go beside the original (sic/corr, orig/reg)")
            raise EditRefused("refused: the original reading is preserved exactly",
                              [Diagnostic.at(where, "lossless", message, path)], reason="original")


def validate(edition: Edition, writes: list[tuple[Path, bytes, bytes]]) -> None:
    """The edited files must pass `edition check` (no error they did not already have)."""
    paths = [path for path, _, _ in writes]
    from ..checking import check_edition  # here, not at start-up: `edition --version` stays light
    before = check_edition(edition, paths, corpus=Corpus.load(edition))
    after = check_edition(edition, paths, corpus=Corpus.load(
        edition, overrides={path.resolve(): data for path, _, data in writes}))
    known = Counter((d.path, d.rule, d.message) for d in before.errors)
    new = []
    for diagnostic in after.errors:
        key = (diagnostic.path, diagnostic.rule, diagnostic.message)
        if known[key]:
            known[key] -= 1
        else:
            new.append(diagnostic)
    for path, data, _ in writes:  # columns of later messages come from the file on disk again
        from ..diagnostics import remember_source
        remember_source(str(path), path.read_bytes().decode("utf-8", "replace"))
    if new:
        raise EditRefused("refused: the edit would make the edition invalid", new, reason="invalid")
