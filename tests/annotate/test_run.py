"""`edition annotate` over real sources: idempotent, stable, respectful of markup."""

import pytest
from click.testing import CliRunner

from edition import api
from edition.cli import main
from edition.sources.reading import original_text
from edition.xmlio import NS, parse_file
from tests.conftest import seed_path



@pytest.fixture
def edition(scratch_edition):
    """Freshly imported seeds with the edition's real registers."""
    for source_id, lang in [("es-khalkhin-gol", "es"), ("pl-khasan", "pl"), ("zh-nomonhan", "zh")]:
        api.import_source(scratch_edition, seed_path(source_id), lang, source_id)
    return scratch_edition


def elements(edition, source_id, xpath):
    return parse_file(edition.source_path(source_id)).getroot().xpath(xpath, namespaces=NS)


def test_names_and_dates_are_tagged_with_refs_and_machine_responsibility(edition):
    api.annotate(edition)
    zhukov = elements(edition, "zh-nomonhan", "//tei:persName[@ref='per:zhukov']")
    assert [z.text for z in zhukov] == ["朱可夫"] * 3  # every mention in the Chinese original
    assert all(z.get("resp") == "ed:edition-annotate" and z.get("cert") for z in zhukov)
    lyushkov = elements(edition, "pl-khasan", "//tei:persName/@ref")
    assert lyushkov.count("per:lyushkov") == 2
    dates = elements(edition, "zh-nomonhan", "//tei:date[.='五月十一日']/@when")
    assert dates == ["1939-05-11"]


def test_the_original_text_is_unchanged_and_the_result_passes_check(edition, tei_all_rng):
    api.annotate(edition)
    for source_id in ("es-khalkhin-gol", "pl-khasan", "zh-nomonhan"):
        text = original_text(parse_file(edition.source_path(source_id)).getroot())
        assert text == seed_path(source_id).read_text("utf-8")
    report = api.check(edition, tei_all=tei_all_rng)
    assert report.errors == []
    # "count": the introduction's figures describe the edition's own sources, not these fresh imports
    assert {d.rule for d in report.diagnostics} <= {"translation", "unreviewed", "count"}


def test_a_second_run_changes_nothing(edition):
    api.annotate(edition)
    before = {p: p.read_bytes() for p in edition.sources_dir.glob("*.xml")}
    run = api.annotate(edition)
    assert not any(r.changed for r in run.results)
    assert before == {p: p.read_bytes() for p in edition.sources_dir.glob("*.xml")}


def test_only_annotated_lines_change(edition):
    path = edition.source_path("pl-khasan")
    before = path.read_text("utf-8").splitlines()
    api.annotate(edition, ["pl-khasan"])
    after = path.read_text("utf-8").splitlines()
    assert len(before) == len(after)
    for old, new in zip(before, after):
        if old != new:
            assert "ed:edition-annotate" in new
            assert new.count("<") > old.count("<")


def test_a_scholars_annotation_is_kept_and_nothing_is_nested_in_it(edition):
    path = edition.source_path("es-khalkhin-gol")
    xml = path.read_text("utf-8").replace(
        "Gueorgui Zhúkov.<ref", '<persName ref="per:zhukov" resp="ed:editors">Gueorgui Zhúkov</persName>.<ref', 1)
    path.write_text(xml, "utf-8")
    api.annotate(edition, ["es-khalkhin-gol"])
    names = elements(edition, "es-khalkhin-gol", "//tei:persName[@ref='per:zhukov']")
    assert [n.get("resp") for n in names] == ["ed:editors", "ed:edition-annotate"]
    assert not elements(edition, "es-khalkhin-gol", "//tei:persName//tei:persName")


def test_dry_run_prints_a_diff_and_writes_nothing(edition):
    before = edition.source_path("zh-nomonhan").read_bytes()
    result = CliRunner().invoke(main, ["--root", str(edition.root), "annotate", "--dry-run", "zh-nomonhan"])
    assert result.exit_code == 0
    assert "+" in result.stdout and 'ref="per:zhukov"' in result.stdout
    assert edition.source_path("zh-nomonhan").read_bytes() == before


def test_report_lists_counts_and_register_candidates(edition):
    result = CliRunner().invoke(main, ["--root", str(edition.root), "annotate", "--report", "pl-khasan"])
    assert result.exit_code == 0
    assert "pl-khasan:" in result.output and "persName" in result.output
    assert "candidates for the registers:" in result.output and "Yamato" in result.output


def test_a_source_that_does_not_parse_is_reported_and_left_untouched(edition):
    broken = edition.source_path("broken")
    broken.write_text("<TEI>\n<p>\n", "utf-8")
    result = CliRunner().invoke(main, ["--root", str(edition.root), "annotate"])
    assert result.exit_code == 1 and "broken.xml:3:" in result.output
    assert broken.read_text("utf-8") == "<TEI>\n<p>\n"
