"""A scratch copy of the whole edition under git, so that tests can read `git diff`."""
from __future__ import annotations

import shutil

import pytest

from edition import Edition
from tests.conftest import ROOT
from tests.edit.support import BASELINE, _key, git


@pytest.fixture
def edition_copy(tmp_path) -> Edition:
    from edition import api
    shutil.copytree(ROOT / "tei", tmp_path / "tei")
    git(tmp_path, "init", "-q")
    git(tmp_path, "-c", "user.email=t@t", "-c", "user.name=t", "add", "-A")
    git(tmp_path, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "edition as it stands")
    edition = Edition.at(tmp_path)
    BASELINE[edition.root] = {_key(d) for d in api.check(edition).diagnostics}
    return edition

