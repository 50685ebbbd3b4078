"""Shared fixtures: the project root, the seeds, a scratch edition."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from edition import Edition

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = {  # source id -> (seed file, language)
    "th-khalkhin-gol": ("000_5f4a6e760ff94c3f.txt", "th"),
    "es-khalkhin-gol": ("001_607dc21c17f38a64.txt", "es"),
    "pl-khasan": ("002_2c3f7e8a4fd4a63b.txt", "pl"),
    "zh-nomonhan": ("003_d3acb1c3318e8afe.txt", "zh"),
}


def seed_path(source_id: str) -> Path:
    return ROOT / "seeds" / SEEDS[source_id][0]


@pytest.fixture
def scratch_edition(tmp_path) -> Edition:
    """The edition without its sources or styles (the package's are used): front matter, registers, bibliography."""
    shutil.copytree(ROOT / "tei", tmp_path / "tei", ignore=shutil.ignore_patterns("sources"))
    (tmp_path / "tei" / "sources").mkdir()
    return Edition.at(tmp_path)


@pytest.fixture
def tei_all_rng() -> Path:
    path = SHARED / "schema" / "tei_all.rng"
    if not path.exists():
        pytest.skip("../shared/schema/tei_all.rng is not available")
    return path
