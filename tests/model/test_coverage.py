"""ODD coverage and the per-element trace, on an ODD and a document whose result is known by construction."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from model_helpers import fixture
from test_odd import write_odd

from edition.cli import main
from edition.model import load_odd
from edition.model.coverage import coverage, trace

SPECS = """<elementSpec ident="p" mode="change">
  <model predicate="@rend='x'" behaviour="block"/>
  <model behaviour="paragraph"/>
</elementSpec>
<elementSpec ident="hi" mode="change">
  <model predicate="@rend='never'" behaviour="inline"/>
</elementSpec>
<elementSpec ident="persName" mode="change">
  <model behaviour="alternate"><param name="alternate" value="collection($global:x)//person"/></model>
</elementSpec>
<elementSpec ident="q" mode="change">
  <model behaviour="sparkle"/>
</elementSpec>"""
DOCUMENT = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>
</fileDesc></teiHeader><text><body>
<p rend="x">One <said>a</said></p>
<p>Two <persName>Ann</persName> <persName>Bob</persName><lb/></p>
<p>Three <hi rend="b">bold</hi> <q>quoted</q> <said>b</said> <said>c</said></p>
</body></text></TEI>"""


@pytest.fixture
def known(tmp_path):
    odd = write_odd(tmp_path, "known.odd", SPECS)
    document = tmp_path / "known.xml"
    document.write_text(DOCUMENT, "utf-8")
    return odd, document


def test_coverage_counts_what_fired_what_never_did_and_what_fell_back(known):
    odd, document = known
    report = coverage(load_odd(odd), [document], modes=("web",))
    assert report.models == 4  # the q model is left out: it cannot be translated
    assert [(m.ident, m.where[1]) for m in report.never_fired] == [("hi", 11)]
    assert sorted((m.ident, m.behaviour, n) for m, n in report.fired.items() if m.where[0] == str(odd)) == [
        ("p", "block", 1), ("p", "paragraph", 2), ("persName", "alternate", 2)]
    fell_back = {(e, o): n for e, o, n, _ in report.fallbacks}
    assert fell_back[("said", "inline")] == 3
    assert fell_back[("lb", "defaults")] == 1 and fell_back[("hi", "defaults")] == 1
    assert sum(n for (e, _), n in fell_back.items() if e == "q") == 1
    assert not any(e in ("p", "persName") for e, _ in fell_back)


def test_coverage_lists_the_skipped_expressions_at_their_place_with_how_often_they_mattered(known):
    odd, document = known
    skipped = coverage(load_odd(odd), [document], modes=("web",)).skipped
    by_rule = {(rule, line): (column, count) for path, line, column, rule, message, count in skipped}
    assert by_rule[("odd-xquery", 14)][1] == 2  # collection(): the persName model fired twice
    assert by_rule[("odd-behaviour", 17)][1] == 1  # the q model: one q fell back
    assert all(path == str(odd) for path, *_ in skipped)


def test_the_trace_says_per_element_which_model_fired_and_why(known):
    odd, document = known
    _, decisions = trace(load_odd(odd), document, "web")
    paragraphs = [d for d in decisions if d["element"] == "p"]
    assert [d["model"].rsplit(":", 2)[1] for d in paragraphs] == ["7", "8", "8"]
    assert paragraphs[0]["why"] == "its predicate \"@rend='x'\" holds"
    assert paragraphs[1]["passed_over"] == [{"model": f"{odd}:7:3", "why": "its predicate \"@rend='x'\" is false"}]
    said = [d for d in decisions if d["element"] == "said"]
    assert len(said) == 3 and all(d["model"] is None and d["from"] == "inline" for d in said)
    assert said[0]["path"] == "/TEI/text/body/p[1]/said" and said[0]["line"] == 3


def test_the_coverage_and_trace_commands_report_and_write_json(known, tmp_path):
    odd, document = known
    result = CliRunner().invoke(main, ["coverage", str(odd), str(document), "--mode", "web",
                                       "--json", str(tmp_path / "c.json")])
    assert result.exit_code == 0, result.output
    assert "models that never fired: 1" in result.output and f"{odd}:11:" in result.output
    assert "<said> ×3: fell back to a plain inline" in result.output
    assert json.loads((tmp_path / "c.json").read_text())["never_fired"][0]["element"] == "hi"
    traced = CliRunner().invoke(main, ["render", str(document), "--odd", str(odd), "--trace", str(tmp_path / "t.json"),
                                       "-o", str(tmp_path / "page.html")])
    assert traced.exit_code == 0, traced.output
    assert {d["element"] for d in json.loads((tmp_path / "t.json").read_text())} >= {"p", "said", "persName"}


@pytest.mark.parametrize("name", ["teipublisher.odd", "serafin.odd", "vangogh.odd"])
def test_coverage_runs_on_tei_publishers_odds_over_the_fixtures(name):
    documents = sorted(fixture("tei", "tp-serafin-orlik-letter.xml").parent.glob("*.xml"))
    report = coverage(load_odd(fixture("odd", name)), documents)
    assert 0 < len(report.never_fired) < report.models
    assert sum(report.fired.values()) > 0 and report.fallbacks
    assert all(line > 0 for _, line, *_ in report.skipped)
