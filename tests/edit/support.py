"""Helpers for tests on a scratch copy of the edition under git: its `git diff`,
and what `edition check --strict` says now that it did not say on the copy as made."""
from __future__ import annotations

import subprocess
from pathlib import Path

from edition import Edition


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def changed_lines(root: Path) -> list[str]:
    """The -/+ lines of `git diff` of tei/, without the file headers."""
    diff = git(root, "diff", "--unified=0", "--", "tei")
    return [line for line in diff.splitlines()
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


BASELINE: dict[Path, set] = {}


def _key(diagnostic) -> tuple:
    return (Path(diagnostic.path).name, diagnostic.rule, diagnostic.message)


def new_diagnostics(edition: Edition) -> list[str]:
    """What `edition check --strict` reports now that it did not report on the
    copy as it was made (the edition on main may carry problems of its own):
    a flow must leave no error and no warning behind."""
    from edition import api
    return [str(d) for d in api.check(edition).diagnostics if _key(d) not in BASELINE[edition.root]]


def commit(root: Path, message: str = "step") -> None:
    git(root, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qam", message)


def next_id(edition, source_id: str, kind: str) -> str:
    """The id the tool should assign next ("es-khalkhin-gol-fp18"): one past the highest."""
    import re
    text = edition.source_path(source_id).read_text(encoding="utf-8")
    numbers = [int(n) for n in re.findall(rf'xml:id="{source_id}-{kind}(\d+)"', text)]
    return f"{source_id}-{kind}{max(numbers, default=0) + 1}"
