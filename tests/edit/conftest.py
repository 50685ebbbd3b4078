"""A scratch copy of the whole edition under git, so that tests can read `git diff`."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from edition import Edition
from tests.conftest import ROOT


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def changed_lines(root: Path) -> list[str]:
    """The -/+ lines of `git diff` of tei/, without the file headers."""
    diff = git(root, "diff", "--unified=0", "--", "tei")
    return [line for line in diff.splitlines()
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@pytest.fixture
def edition_copy(tmp_path) -> Edition:
    shutil.copytree(ROOT / "tei", tmp_path / "tei")
    git(tmp_path, "init", "-q")
    git(tmp_path, "-c", "user.email=t@t", "-c", "user.name=t", "add", "-A")
    git(tmp_path, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "edition as it stands")
    return Edition.at(tmp_path)


def commit(root: Path, message: str = "step") -> None:
    git(root, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qam", message)
