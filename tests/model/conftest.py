"""Fixtures for the processing model: the shared fixture ODDs (loaded once), a stub context."""
from __future__ import annotations

import pytest
from model_helpers import EDITION_ODD, FIXTURE_ODDS, StubContext, fixture

from edition.model import load_odd


@pytest.fixture(scope="session")
def odds() -> dict:
    loaded = {name: load_odd(fixture("odd", name)) for name in FIXTURE_ODDS}
    loaded["edition.odd"] = load_odd(EDITION_ODD)
    return loaded


@pytest.fixture
def ctx() -> StubContext:
    return StubContext()
