"""The edit operations and `apply`: minimal diffs, the lossless guard, validation,
stale files, undo, and the rejection that `edition annotate` respects."""
from __future__ import annotations

import pytest

from edition import api
from edition.diagnostics import UsageProblem
from edition.edit import EditRefused, History, StaleFile, apply, notes, registers, review, tagging, translation
from edition.edit.splice import Snapshot
from edition.xmlio import parse_bytes
from tests.conftest import ROOT
from tests.edit.support import changed_lines, commit, new_diagnostics, next_id

S7 = "es-khalkhin-gol-s7"


def strict_ok(edition) -> list[str]:
    # `edition check --strict` adds nothing to what the copy had, except the count rule's warnings that the
    # introduction's figures (tei/edition.xml) no longer match a source whose notes an edit added or changed
    return [d for d in new_diagnostics(edition) if ": warning: count:" not in d]


def test_an_untouched_document_is_written_back_byte_for_byte():
    for path in sorted((ROOT / "tei").rglob("*.xml")):
        data = path.read_bytes()
        assert Snapshot(data, parse_bytes(data, path)).render() == data, path


def test_tagging_changes_only_the_line_of_the_sentence(edition_copy):
    applied = apply(edition_copy, tagging.tag, sentence=S7, kind="org", ref="org:kwantung-army",
                    phrase="retaguardia")
    lines = changed_lines(edition_copy.root)
    assert len(lines) == 2 and all(S7 in line for line in lines)
    assert '<orgName ref="org:kwantung-army">retaguardia</orgName>' in lines[1]
    assert applied.result == f"{S7}/0"
    assert strict_ok(edition_copy) == []


def test_a_serialisation_quirk_elsewhere_survives_an_edit(edition_copy):
    path = edition_copy.source_path("es-khalkhin-gol")
    quirky = path.read_bytes().replace(b'<publisher>The editors of the edition</publisher>',
                                       b"<publisher  >The editors of the edition&#x20;</publisher  >")
    path.write_bytes(quirky)
    commit(edition_copy.root)
    apply(edition_copy, tagging.tag, sentence=S7, kind="seg", phrase="La doctrina")
    assert b"<publisher  >The editors of the edition&#x20;</publisher  >" in path.read_bytes()
    assert len(changed_lines(edition_copy.root)) == 2


def test_the_phrase_is_found_by_occurrence(edition_copy):
    with pytest.raises(UsageProblem, match='"posición" occurs 1 time'):
        apply(edition_copy, tagging.tag, sentence=S7, kind="seg", phrase="posición", nth=2)


def test_a_selection_across_a_tag_edge_is_refused(edition_copy):
    with pytest.raises(UsageProblem, match="crosses the edge of <persName>"):
        apply(edition_copy, tagging.tag, sentence="es-khalkhin-gol-s4", kind="seg", phrase="Gueorgui")
        apply(edition_copy, tagging.tag, sentence="es-khalkhin-gol-s4", kind="seg", phrase=": Gueorgui")


def test_a_broken_pointer_is_refused_with_its_place_and_nothing_is_written(edition_copy):
    with pytest.raises(EditRefused) as refused:
        apply(edition_copy, tagging.tag, sentence=S7, kind="person", ref="per:nobody", phrase="esperar")
    message = refused.value.format_message()
    assert "es-khalkhin-gol.xml:69:" in message and 'pointer: @ref "per:nobody" points to no element' in message
    assert changed_lines(edition_copy.root) == []
    assert History(edition_copy).entries() == []


def test_a_change_of_the_original_reading_is_refused(edition_copy):
    apply(edition_copy, tagging.tag, sentence=S7, kind="sic", phrase="tiempos", correction="tiempo")
    commit(edition_copy.root)
    corr = f"{S7}/2"  # choice, sic, corr
    with pytest.raises(EditRefused, match="preserved exactly") as refused:
        apply(edition_copy, tagging.remove, address=corr)
    assert "lossless: the edit would change the original text of es-khalkhin-gol-p1" in refused.value.format_message()
    assert changed_lines(edition_copy.root) == []


def test_a_file_changed_since_it_was_read_is_not_overwritten(edition_copy):
    path = edition_copy.source_path("es-khalkhin-gol")
    seen = {"tei/sources/es-khalkhin-gol.xml": "0" * 64}
    with pytest.raises(StaleFile, match="changed on disk since it was read"):
        apply(edition_copy, tagging.tag, expected=seen, sentence=S7, kind="seg", phrase="La doctrina")
    assert changed_lines(edition_copy.root) == [] and path.exists()


def test_undo_restores_the_file_and_refuses_over_a_later_outside_change(edition_copy):
    path = edition_copy.source_path("es-khalkhin-gol")
    before = path.read_bytes()
    apply(edition_copy, tagging.tag, sentence=S7, kind="seg", phrase="La doctrina")
    History(edition_copy).undo()
    assert path.read_bytes() == before
    apply(edition_copy, tagging.tag, sentence=S7, kind="seg", phrase="La doctrina")
    path.write_bytes(path.read_bytes() + b"\n")
    with pytest.raises(UsageProblem, match="changed since the edit"):
        History(edition_copy).undo()


def test_a_rejected_machine_annotation_is_never_added_again(edition_copy):
    apply(edition_copy, tagging.remove, address="es-khalkhin-gol-s4/2")  # the persName of Zhukov
    api.annotate(edition_copy, ["es-khalkhin-gol"])
    [item] = [i for i in review.queue(edition_copy, ["es-khalkhin-gol"]) if i.words == "Gueorgui Zhúkov"]
    apply(edition_copy, tagging.reject, address=item.address)
    run = api.annotate(edition_copy, ["es-khalkhin-gol"])
    assert dict(run.results[0].counts) == {}
    assert not review.queue(edition_copy, ["es-khalkhin-gol"])
    assert any('type="rejected-annotation"' in line and "Gueorgui Zhúkov" in line
               for line in changed_lines(edition_copy.root))
    assert strict_ok(edition_copy) == []


def test_confirm_removes_resp_and_cert(edition_copy):
    apply(edition_copy, tagging.remove, address="es-khalkhin-gol-s4/2")
    api.annotate(edition_copy, ["es-khalkhin-gol"])
    commit(edition_copy.root)
    [item] = review.queue(edition_copy, ["es-khalkhin-gol"])
    apply(edition_copy, tagging.confirm, address=item.address)
    assert [line.split("Zhúkov")[0][-60:] for line in changed_lines(edition_copy.root)][1].endswith(
        '<persName ref="per:zhukov">Gueorgui ')


def test_a_factual_problem_lands_in_the_apparatus_in_the_house_pattern(edition_copy):
    fp, seg = next_id(edition_copy, "es-khalkhin-gol", "fp"), next_id(edition_copy, "es-khalkhin-gol", "seg")
    applied = apply(edition_copy, notes.add_note, sentence=S7, phrase="esperar la ayuda de la retaguardia",
                    category="false-claim", problem="The text says so.", correction="It was not so.",
                    evidence=[{"bib": "bib:coox-1985", "locator": "p. 578"}], cert="low")
    assert applied.result == fp
    added = [line for line in changed_lines(edition_copy.root) if line.startswith("+")]
    assert added[1:] == [
        f'+        <note type="factual-problem" subtype="false-claim" xml:id="{fp}" '
        f'target="#{seg}" resp="ed:editors" cert="low">',
        '+          <ab type="problem">The text says so.</ab>',
        '+          <ab type="correction">It was not so.</ab>',
        '+          <listBibl type="evidence">',
        '+            <bibl><ptr target="bib:coox-1985"/><citedRange>p. 578</citedRange></bibl>',
        '+          </listBibl>',
        '+        </note>']
    assert strict_ok(edition_copy) == []
    counts = [d for d in new_diagnostics(edition_copy) if ": warning: count:" in d]
    assert counts and all("es-khalkhin-gol.xml" in d for d in counts)  # the introduction lags one note behind


def test_an_unknown_category_is_refused(edition_copy):
    with pytest.raises(EditRefused, match="invalid"):
        apply(edition_copy, notes.add_note, sentence=S7, phrase="esperar", category="falsehood",
              problem="P.", evidence=[{"bib": "bib:coox-1985"}])


def test_a_register_entry_is_created_and_can_be_pointed_at(edition_copy):
    entry = apply(edition_copy, registers.add_entry, kind="person", canonical="Test Officer",
                  forms=[{"text": "doctrina", "lang": "es"}], birth="1900", note="For the test.").result
    assert entry == "per:test-officer"
    apply(edition_copy, tagging.tag, sentence=S7, kind="person", ref=entry, phrase="doctrina")
    assert strict_ok(edition_copy) == []


def test_a_new_source_is_translated_aligned(edition_copy, tmp_path):
    text = tmp_path / "new.txt"
    text.write_text("Zhukov llegó en mayo. Luego atacó.\nFin del texto.\n", encoding="utf-8")
    api.import_source(edition_copy, text, "es", "es-new")
    assert any(d.rule == "translation" for d in api.check(edition_copy).diagnostics)
    apply(edition_copy, translation.set_sentence, sentence="es-new-s2", text="Then he attacked.")
    report = api.check(edition_copy, [edition_copy.source_path("es-new")])
    assert report.ok and [d.message for d in report.diagnostics if d.rule == "translation"] == [
        'sentence "es-new-s1" is not translated yet', 'sentence "es-new-s3" is not translated yet']
    lines = tmp_path / "en.txt"
    lines.write_text("Zhukov arrived in May.\n\nThe end of the text.\n", encoding="utf-8")
    apply(edition_copy, translation.import_file, source="es-new", path=lines)
    root = parse_bytes(edition_copy.source_path("es-new").read_bytes()).getroot()
    english = root.xpath("//*[@type='translation']//*[local-name()='s']")
    assert [(s.get("corresp"), s.text) for s in english] == [
        ("#es-new-s1", "Zhukov arrived in May."), ("#es-new-s2", "Then he attacked."),
        ("#es-new-s3", "The end of the text.")]
    assert strict_ok(edition_copy) == []
    lines.write_text("one line\n", encoding="utf-8")
    with pytest.raises(UsageProblem, match="has 1 line"):
        apply(edition_copy, translation.import_file, source="es-new", path=lines)


def test_retyping_a_translation_keeps_its_tags_or_refuses(edition_copy):
    sentence = "pl-khasan-s1"
    root = parse_bytes(edition_copy.source_path("pl-khasan").read_bytes()).getroot()
    [english] = root.xpath("//*[@xml:id='pl-khasan-s1-en']")
    from edition.edit.inline import reading
    old = reading(english)
    apply(edition_copy, translation.set_sentence, sentence=sentence, text=old.replace("friendly", "cordial"))
    after = parse_bytes(edition_copy.source_path("pl-khasan").read_bytes()).getroot()
    [english] = after.xpath("//*[@xml:id='pl-khasan-s1-en']")
    assert "cordial" in reading(english) and english.find("{*}placeName").text == "USSR"
    assert english.find("{*}note") is not None  # the translator's note stays
    with pytest.raises(UsageProblem, match='no longer contains "USSR"'):
        apply(edition_copy, translation.set_sentence, sentence=sentence, text="Relations were bad.")


def test_a_partial_translation_builds_with_placeholders_and_strict_refuses_it(edition_copy, tmp_path):
    text = tmp_path / "new.txt"
    text.write_text("Zhukov llegó en mayo. Luego atacó.\n", encoding="utf-8")
    api.import_source(edition_copy, text, "es", "es-new")
    apply(edition_copy, translation.init, source="es-new")
    apply(edition_copy, translation.set_sentence, sentence="es-new-s2", text="Then he attacked.")
    (edition_copy.root / "node_modules").symlink_to(ROOT / "node_modules")
    result = api.build(edition_copy, html=True, pdf=False)
    assert [d.message for d in result.report.diagnostics if d.rule == "translation"] == [
        'sentence "es-new-s1" is not translated yet']
    page = (edition_copy.build_dir / "html" / "es-new.html").read_text(encoding="utf-8")
    assert page.count("[not yet translated]") == 1 and "Then he attacked." in page
    from edition.diagnostics import EditionError
    with pytest.raises(EditionError):
        api.build(edition_copy, html=True, pdf=False, strict=True)


def test_a_tag_is_retargeted_widened_and_narrowed(edition_copy):
    address = "es-khalkhin-gol-s4/2"  # <persName ref="per:zhukov">Gueorgui Zhúkov</persName>
    apply(edition_copy, tagging.retarget, address=address, ref="per:stalin", attributes={"cert": "low"})
    [line] = [l for l in changed_lines(edition_copy.root) if l.startswith("+")]
    assert '<persName ref="per:stalin" cert="low">Gueorgui Zhúkov</persName>' in line
    apply(edition_copy, tagging.resize, address=address, phrase="Zhúkov")
    [line] = [l for l in changed_lines(edition_copy.root) if l.startswith("+")]
    assert 'Gueorgui <persName ref="per:stalin" cert="low">Zhúkov</persName>.' in line
    apply(edition_copy, tagging.resize, address=address, phrase="Gueorgui Zhúkov")  # widened back
    [line] = [l for l in changed_lines(edition_copy.root) if l.startswith("+")]
    assert '<persName ref="per:stalin" cert="low">Gueorgui Zhúkov</persName>' in line
    with pytest.raises(UsageProblem, match="crosses the edge of <seg>"):
        apply(edition_copy, tagging.resize, address=address, phrase="ejército: Gueorgui Zhúkov")


def test_an_existing_note_is_edited_in_place(edition_copy):
    apply(edition_copy, notes.edit_note, note_id="es-khalkhin-gol-fp3", cert="low",
          evidence=[{"bib": "bib:coox-1985", "locator": "p. 12"}])
    lines = changed_lines(edition_copy.root)
    assert all("fp3" in l or "<bibl>" in l for l in lines), lines
    assert '+            <bibl><ptr target="bib:coox-1985"/><citedRange>p. 12</citedRange></bibl>' in lines
    assert new_diagnostics(edition_copy, ignore=("count",)) == []  # the introduction counts notes by certainty
