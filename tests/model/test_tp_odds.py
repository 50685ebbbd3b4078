"""Every ODD of TEI Publisher loads and renders every fixture, with located warnings only.

The ODDs are GPL-licensed and not part of this repository: tests/model/fetch_tp_odds.sh
copies them into the git-ignored .fetched/tp/ (current/ and historical/); without
that folder these tests are skipped.
"""
from __future__ import annotations

import pytest
from model_helpers import FIXTURE_TEI, ROOT, fixture
from test_render import lost_text, rendered

from edition.model import load_odd
from edition.xmlio import parse_file

FETCHED = ROOT / ".fetched" / "tp"
EXPECTED = ["teipublisher", "vangogh", "shakespeare", "dta", "osinski", "lex-0", "landing", "docx-output",
            "docbook", "jats", "serafin", "graves", "dantiscus", "tei_simplePrint"]
ODDS = sorted(FETCHED.glob("*/*.odd")) if FETCHED.is_dir() else []
needs_fetched = pytest.mark.skipif(not ODDS, reason=f"{FETCHED} is absent: run tests/model/fetch_tp_odds.sh")


def load(path):
    return load_odd(path, search_path=[FETCHED / "current"])


@needs_fetched
def test_every_odd_tei_publisher_ships_is_there():
    assert set(EXPECTED) <= {p.stem for p in ODDS}


@needs_fetched
@pytest.mark.parametrize("path", ODDS, ids=lambda p: p.stem)
def test_each_odd_loads_with_warnings_at_its_own_file_line_and_column(path):
    model = load(path)
    assert model.models or [d.rule for d in model.warnings] == ["odd-no-models"]
    for warning in model.warnings:
        assert warning.severity == "warning" and warning.line > 0 and warning.column > 0
        assert warning.path.endswith((path.name, "teipublisher.odd"))


@needs_fetched
@pytest.mark.parametrize("mode", ["web", "print"])
@pytest.mark.parametrize("path", ODDS, ids=lambda p: p.stem)
def test_each_odd_renders_every_fixture_without_losing_text(path, mode):
    model = load(path)
    for name in FIXTURE_TEI:
        tree = parse_file(fixture("tei", name))
        renderer, out = rendered(tree, model, mode)
        assert renderer.report.ok, name
        assert lost_text(tree, renderer, out) == [], name
