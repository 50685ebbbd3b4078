"""Applied edits → a journal beside the edition, for undo.

Each entry records, for every file the edit wrote, the bytes before and the
SHA-256 after, under .edition/history/ in the edition's folder (not in tei/:
the journal is the tool's, not the edition's). Undo restores the last
entry's files only if each is still what the edit wrote; an edit made since
in another editor is never overwritten.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import UsageProblem
from ..project import Edition
from ..xmlio import write_atomic
from .document import sha256


@dataclass
class Entry:
    number: int
    summary: str
    files: list[dict]  # {"path": relative, "before": blob name, "after_sha": ...}
    when: float


class History:
    def __init__(self, edition: Edition):
        self.edition = edition
        self.folder = edition.root / ".edition" / "history"

    def record(self, summary: str, writes: list[tuple[Path, bytes, bytes]]) -> Entry:
        self.folder.mkdir(parents=True, exist_ok=True)
        number = len(self.entries()) + 1
        files = []
        for index, (path, before, after) in enumerate(writes):
            blob = f"{number:05d}-{index}.before"
            write_atomic(self.folder / blob, before)
            files.append({"path": str(path.relative_to(self.edition.root)), "before": blob,
                          "before_sha": sha256(before), "after_sha": sha256(after)})
        entry = {"number": number, "summary": summary, "files": files, "when": time.time()}
        with open(self.folder / "journal.jsonl", "a", encoding="utf-8") as journal:
            journal.write(json.dumps(entry, ensure_ascii=False) + "\n")
        return Entry(**entry)

    def entries(self) -> list[Entry]:
        journal = self.folder / "journal.jsonl"
        if not journal.exists():
            return []
        lines = journal.read_text(encoding="utf-8").splitlines()
        return [Entry(**json.loads(line)) for line in lines if line.strip()]

    def undo(self) -> Entry:
        """Restore the files of the last edit; refuse if any changed since."""
        entries = self.entries()
        if not entries:
            raise UsageProblem("nothing to undo: no edit has been recorded")
        last = entries[-1]
        for item in last.files:
            current = (self.edition.root / item["path"]).read_bytes()
            if sha256(current) != item["after_sha"]:
                raise UsageProblem(f"{item['path']} changed since the edit \"{last.summary}\": "
                                   "undo would overwrite that change; nothing was restored")
        for item in last.files:
            write_atomic(self.edition.root / item["path"], (self.folder / item["before"]).read_bytes())
        self._truncate(entries[:-1])
        return last

    def _truncate(self, keep: list[Entry]) -> None:
        text = "".join(json.dumps(e.__dict__, ensure_ascii=False) + "\n" for e in keep)
        write_atomic(self.folder / "journal.jsonl", text.encode("utf-8"))
