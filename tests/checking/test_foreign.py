"""`edition check` on other people's TEI: tei_all, and only the rules that hold for any TEI."""
from __future__ import annotations

import re
import shutil

from lxml import etree

from edition import Edition, api
from edition.checking import check_edition
from edition.checking.rules import DATABLE
from edition.checking.schema import installed_tei_all
from edition.scaffold import new_edition
from tests.conftest import SHARED

FIXTURES = SHARED / "fixtures" / "tei"
HEADER = ('<teiHeader><fileDesc><titleStmt><title>T</title></titleStmt><publicationStmt><p>P</p>'
          '</publicationStmt><sourceDesc><p>S</p></sourceDesc></fileDesc>{encoding}</teiHeader>')


def tei(body: str, encoding: str = "") -> str:
    return (f'<TEI xmlns="http://www.tei-c.org/ns/1.0">{HEADER.format(encoding=encoding)}'
            f'<text><body>{body}</body></text></TEI>')


def new(tmp_path) -> Edition:
    new_edition(tmp_path / "ed", "Test edition", ["en"])
    return Edition.at(tmp_path / "ed")


def problems(report):
    return sorted((d.rule, d.severity, d.message) for d in report.diagnostics)


def test_a_new_edition_checks_clean_against_tei_all_and_the_house_schema(tmp_path, tei_all_rng):
    report = api.check(new(tmp_path), tei_all=tei_all_rng)
    assert report.diagnostics == []


def test_valid_tei_from_elsewhere_gets_no_schema_error_and_no_house_rule(tmp_path, tei_all_rng):
    edition = new(tmp_path)
    for name in ("tp-serafin-orlik-letter", "epidoc-iospe-PE3000196-greek", "teic-stylesheets-testapp2-yasna",
                 "teic-stylesheets-test-christmas-carol"):
        shutil.copy(FIXTURES / f"{name}.xml", edition.sources_dir)
    report = api.check(edition, tei_all=tei_all_rng)
    assert report.errors == []
    # catRef/@target into a taxonomy they do not hold; the carol's images, not beside it (the inscription's
    # graphic is in its facsimile, which no page shows)
    assert {d.rule for d in report.diagnostics} == {"pointer", "image"}
    assert all(d.severity == "warning" for d in report.diagnostics)
    images = [d for d in report.diagnostics if d.rule == "image"]
    assert {d.path.rsplit("/", 1)[-1] for d in images} == {"teic-stylesheets-test-christmas-carol.xml"}
    assert all(re.search(r"the image '(portrait|nature\d)\.jpg' is not found", d.message) for d in images)


def test_dates_are_checked_only_where_tei_makes_them_dates(tmp_path):
    edition = new(tmp_path)
    (edition.sources_dir / "d.xml").write_text(tei(
        '<p><bibl><biblScope unit="page" from="12" to="3"/></bibl><date when="1939-02-30">x</date>'
        '<date from="1939-05" to="1939-04">y</date></p>'), "utf-8")
    report = api.check(edition, use_tei_all=False)
    assert [(d.rule, d.message) for d in report.errors] == [
        ("date", '@when="1939-02-30" is not a valid ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD, --MM-DD or ---DD)'),
        ("date", '@from="1939-05" is later than @to="1939-04"')]


def test_each_document_uses_its_own_prefixes_and_http_expansions_are_external(tmp_path):
    edition = new(tmp_path)
    declared = ('<encodingDesc><listPrefixDef><prefixDef ident="wd" matchPattern="(Q\\d+)" '
                'replacementPattern="https://www.wikidata.org/wiki/$1"/></listPrefixDef></encodingDesc>')
    (edition.sources_dir / "a.xml").write_text(tei('<p><persName ref="wd:Q5">x</persName></p>', declared), "utf-8")
    (edition.sources_dir / "b.xml").write_text(tei('<p><persName ref="wd:Q5">x</persName>'
                                                   '<persName ref="per:someone">y</persName></p>'), "utf-8")
    report = api.check(edition, use_tei_all=False)
    assert [(d.path.rsplit("/", 1)[-1], d.message) for d in report.diagnostics] == [
        ("b.xml", '@ref "wd:Q5" uses the undeclared prefix "wd" (declare it in listPrefixDef)'),
        ("b.xml", '@ref "per:someone" uses the undeclared prefix "per" (declare it in listPrefixDef)')]


def test_ids_may_repeat_across_documents_from_elsewhere_but_not_within_one(tmp_path):
    edition = new(tmp_path)
    for name in ("a.xml", "b.xml"):
        (edition.sources_dir / name).write_text(tei('<p xml:id="p1">x</p>'), "utf-8")
    assert api.check(edition, use_tei_all=False).errors == []
    (edition.sources_dir / "c.xml").write_text(tei('<p xml:id="p1">x</p><p xml:id="p1">y</p>'), "utf-8")
    assert [d.rule for d in api.check(edition, use_tei_all=False).errors] == ["unique-id"]


def test_a_file_outside_the_edition_is_checked_on_its_own(tmp_path, tei_all_rng):
    """(The CLI refuses such a file — give --root its edition — but the library checks it alone.)"""
    edition = new(tmp_path)
    (edition.sources_dir / "broken.xml").write_text(tei('<p xml:id="x">x</p><p xml:id="x">y</p>'), "utf-8")
    report = check_edition(edition, [FIXTURES / "tp-serafin-orlik-letter.xml"], tei_all_rng)
    assert report.errors == [] and {d.path for d in report.diagnostics} == {str((FIXTURES / "tp-serafin-orlik-letter.xml").resolve())}


def test_the_installed_tei_all_is_found():
    found = installed_tei_all()
    assert found is not None and found.name == "tei_all.rng"
    assert etree.parse(str(found)).getroot().tag == "{http://relaxng.org/ns/structure/1.0}grammar"


def test_the_datable_elements_are_those_of_tei_all(tei_all_rng):
    """DATABLE is att.datable's membership in TEI P5: every element whose definition reaches it."""
    rng = "{http://relaxng.org/ns/structure/1.0}"
    defines = {}
    for define in etree.parse(str(tei_all_rng)).iter(f"{rng}define"):
        defines.setdefault(define.get("name"), []).append(define)

    def reaches(name, seen):
        if name in seen:
            return False
        seen.add(name)
        refs = {r.get("name") for d in defines.get(name, []) for r in d.iter(f"{rng}ref")}
        return "tei_att.datable.attributes" in refs or any("att." in r and reaches(r, seen) for r in refs)
    members = {element.get("name") for name, found in defines.items() for d in found
               if (element := d.find(f"{rng}element")) is not None and reaches(name, set())}
    assert members == DATABLE


def test_an_editions_own_tei_all_comes_before_the_installed_one(tmp_path, tei_all_rng):
    from edition.checking.schema import default_tei_all, tei_all_version
    edition = new(tmp_path)
    assert default_tei_all(edition) == installed_tei_all()
    (edition.root / "styles" / "schema").mkdir(parents=True)
    shutil.copy(tei_all_rng, edition.root / "styles" / "schema" / "tei_all.rng")
    assert default_tei_all(edition) == edition.root / "styles" / "schema" / "tei_all.rng"
    assert tei_all_version(default_tei_all(edition)) == "P5 4.11.0"
    assert tei_all_version(installed_tei_all()).startswith("P5 4.")


def test_a_file_in_another_vocabulary_is_an_error_at_its_root(tmp_path):
    """A DocBook article among the sources would otherwise pass every TEI rule and publish empty."""
    edition = new(tmp_path)
    (edition.sources_dir / "manual.xml").write_text(
        '<?xml version="1.0"?>\n<article xmlns="http://docbook.org/ns/docbook" version="5.0">'
        '<title>A manual</title><para>Some words.</para></article>', "utf-8")
    report = api.check(edition, use_tei_all=False)
    located = [(d.path.rsplit("/", 1)[-1], d.line, d.rule) for d in report.errors]
    assert located == [("manual.xml", 2, "not-tei")]
    assert "<article> in http://docbook.org/ns/docbook" in report.errors[0].message
