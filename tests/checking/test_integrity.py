"""The integrity rules met on the way of the workbench: a changed original,
a misspelt note part, a duplicate id, a near-miss pointer, a name pointing
elsewhere in the translation, a from-only date."""
from __future__ import annotations

import hashlib

from edition import api
from edition.model import render_file
from tests.checking.test_check import write
from tests.conftest import seed_path


def test_a_changed_original_text_breaks_the_recorded_sha256(scratch_edition):
    path = api.import_source(scratch_edition, seed_path("pl-khasan"), "pl", "pl-khasan")
    assert not [d for d in api.check(scratch_edition, use_tei_all=False).errors if d.rule == "received-text"]
    path.write_text(path.read_text("utf-8").replace("Stosunków między", "Stosunkow między", 1), "utf-8")
    [problem] = [d for d in api.check(scratch_edition, use_tei_all=False).errors if d.rule == "received-text"]
    assert "no longer matches the SHA-256 recorded at import" in problem.message
    text = api.source_text(scratch_edition, "pl-khasan")
    assert hashlib.sha256(text.encode()).hexdigest() not in path.read_text("utf-8")


NOTE = ('<back><div type="apparatus"><note type="factual-problem" subtype="false-claim" xml:id="fp1" '
        'target="#seg1"><ab type="problem">x</ab><ab type="corection">y</ab><listBibl type="evidence">'
        '<bibl><ptr target="bib:coox-1985"/></bibl></listBibl></note></div></back>')


def test_a_note_part_outside_the_closed_list_is_an_error(scratch_edition):
    write(scratch_edition, "a.xml", '<p><s xml:id="s1"><seg xml:id="seg1">x</seg></s></p>', back=NOTE)
    [problem] = [d for d in api.check(scratch_edition, use_tei_all=False).errors if d.rule == "note-part"]
    assert problem.message.startswith('<ab type="corection"> is not a part of a factual-problem note')


def test_a_duplicate_id_is_named_with_both_places_and_once(scratch_edition):
    write(scratch_edition, "a.xml", '<p><s xml:id="a">x</s>\n<s xml:id="a">y</s></p>')
    errors = api.check(scratch_edition, use_tei_all=False).errors
    assert [(d.rule, d.message) for d in errors if d.path.endswith("a.xml")] == [
        ("unique-id", 'xml:id "a" is already used at tei/sources/a.xml:5')]  # no "Invalid attribute id"


def test_a_pointer_to_a_missing_entry_suggests_the_near_one(scratch_edition):
    write(scratch_edition, "a.xml", '<p><s xml:id="s1"><persName ref="per:stalim">S</persName></s></p>')
    [problem] = [d for d in api.check(scratch_edition, use_tei_all=False).errors if d.rule == "pointer"]
    assert problem.message.endswith("(did you mean per:stalin?)")


def test_a_name_pointing_elsewhere_in_the_translation_is_a_warning(scratch_edition):
    write(scratch_edition, "a.xml", '<p xml:id="p1"><s xml:id="s1"><persName ref="per:stalin">S</persName></s></p>',
          rest='<div type="translation" xml:lang="en"><p corresp="#p1"><s xml:id="s1-en" corresp="#s1">'
               '<persName ref="per:zhukov">Stalin</persName></s></p></div>')
    report = api.check(scratch_edition, use_tei_all=False)
    [warning] = [d for d in report.diagnostics if d.rule == "translated-name"]
    assert warning.severity == "warning" and "per:zhukov in the translation but to per:stalin" in warning.message


def test_a_from_only_date_reads_from(tmp_path):
    page = tmp_path / "d.xml"
    page.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title>'
                    '</titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc>'
                    '</fileDesc></teiHeader><text><body><p><date from="1938-01">enero</date> '
                    '<date to="1939">x</date> <date from="1938" to="1939">y</date></p></body></text></TEI>', "utf-8")
    html = render_file(page, None, "web", tmp_path)
    assert ">from 1938-01<" in html and ">until 1939<" in html and ">1938–1939<" in html
    assert "1938-01–" not in html
