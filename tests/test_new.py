"""`edition new`, the edition's settings in tei/edition.xml, and commands that read nothing from where they run."""
from __future__ import annotations

import os
import shutil

from click.testing import CliRunner
from pypdf import PdfReader

from edition import Edition, api
from edition.cli import main
from edition.corpus import Corpus
from edition.resources import Styles, package_styles
from tests.conftest import ROOT, SHARED

SERAFIN = SHARED / "fixtures" / "tei" / "tp-serafin-orlik-letter.xml"


def test_new_writes_an_edition_with_the_title_and_languages_given(tmp_path):
    result = CliRunner().invoke(main, ["new", str(tmp_path / "ed"), "--title", "Briefe & Urkunden",
                                       "--lang", "de", "--lang", "la", "--editor", "A. Editor"])
    assert result.exit_code == 0, result.output
    config = Corpus.load(Edition.at(tmp_path / "ed")).config
    assert (config.title, config.editors, config.lang, [i for i, _ in config.languages]) == \
        ("Briefe & Urkunden", ["A. Editor"], "de", ["de", "la"])
    assert (tmp_path / "ed" / "tei" / "sources").is_dir() and (tmp_path / "ed" / "README.md").is_file()


def test_new_refuses_a_folder_that_holds_an_edition(tmp_path):
    CliRunner().invoke(main, ["new", str(tmp_path / "ed")])
    result = CliRunner().invoke(main, ["new", str(tmp_path / "ed")])
    assert result.exit_code == 2 and "already holds an edition" in result.output


def test_a_new_edition_builds_with_nothing_else_then_with_any_tei_file(tmp_path):
    CliRunner().invoke(main, ["new", str(tmp_path / "ed"), "--title", "Letters"])
    edition = Edition.at(tmp_path / "ed")
    api.build(edition, html=True, pdf=False)
    assert "Letters" in (edition.build_dir / "html" / "index.html").read_text("utf-8")
    shutil.copy(SERAFIN, edition.sources_dir / "orlik.xml")
    result = api.build(edition, html=False, pdf=True)
    assert any(line.startswith("orlik: group/text") for line in result.found)
    info = PdfReader(str(edition.build_dir / "pdf" / "edition.pdf")).metadata
    assert info.title == "Letters" and "digital edition" in info.get("/Keywords", "")


def test_our_editions_wording_and_keywords_come_from_its_edition_xml(tmp_path):
    shutil.copytree(ROOT / "tei", tmp_path / "tei", ignore=shutil.ignore_patterns("sources"))
    config = Corpus.load(Edition.at(tmp_path)).config
    assert "Khalkhin Gol" in config.keywords
    assert config.wording["synopsis-heading"] == "The four sources side by side, by event"
    assert [p.name for p in config.source_order] == ["th-khalkhin-gol.xml", "es-khalkhin-gol.xml",
                                                     "pl-khasan.xml", "zh-nomonhan.xml"]
    assert not any(word in (package_styles() / "templates" / name).read_text("utf-8")
                   for word in ("Khalkhin", "four sources", "troops") for name in ("synopsis.html", "book.html", "index.html"))


def test_render_reads_no_styles_from_where_it_runs(tmp_path):
    (tmp_path / "styles" / "css").mkdir(parents=True)
    (tmp_path / "styles" / "css" / "tei.css").write_text(".from-the-current-folder { color: red }", "utf-8")
    here = os.getcwd()
    try:
        os.chdir(tmp_path)
        result = CliRunner().invoke(main, ["render", str(SERAFIN)])
        given = CliRunner().invoke(main, ["--root", str(tmp_path), "render", str(SERAFIN)])
    finally:
        os.chdir(here)
    assert result.exit_code == 0 and ".from-the-current-folder" not in result.output
    assert ".from-the-current-folder" in given.output  # the edition named with --root lends its styles


def test_an_editions_odd_finds_the_one_it_replaces_along_the_search_path(tmp_path):
    (tmp_path / "styles").mkdir()
    own = tmp_path / "styles" / "edition.odd"
    own.write_text("<TEI/>", "utf-8")
    styles = Styles(tmp_path / "styles")
    assert styles.odd == own and styles.find_after("edition.odd", own) == package_styles() / "edition.odd"
