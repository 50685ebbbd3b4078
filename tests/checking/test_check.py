"""`edition check`: every problem in one run, located at file:line:column."""
import os
import shutil

import pytest

from edition import api
from edition.diagnostics import UsageProblem
from tests.conftest import ROOT, seed_path

ORIGINAL = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<TEI xmlns="http://www.tei-c.org/ns/1.0">\n'
            '  <teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>'
            '<publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p></sourceDesc></fileDesc></teiHeader>\n'
            '  <text><body><div type="original" xml:lang="pl">\n{body}\n  </div>{rest}</body>{back}</text>\n</TEI>\n')


def write(edition, name, body, rest="", back=""):
    path = edition.sources_dir / name
    path.write_text(ORIGINAL.format(body=body, rest=rest, back=back), "utf-8")
    return path


def rules_of(report):
    return sorted((d.line, d.rule) for d in report.errors)


def test_imported_seeds_check_clean_against_our_schema_and_tei_all(scratch_edition, tei_all_rng):
    for source_id, lang in [("pl-khasan", "pl"), ("zh-nomonhan", "zh")]:
        api.import_source(scratch_edition, seed_path(source_id), lang, source_id)
    report = api.check(scratch_edition, tei_all=tei_all_rng)
    assert report.errors == []


def test_malformed_file_is_reported_with_position_and_others_still_checked(scratch_edition):
    (scratch_edition.sources_dir / "broken.xml").write_text("<TEI>\n  <p>open\n</TEI>\n", "utf-8")
    write(scratch_edition, "good.xml", '<p><s xml:id="a">x</s><s xml:id="a">y</s></p>')
    report = api.check(scratch_edition, use_tei_all=False)
    broken = [d for d in report.errors if d.path.endswith("broken.xml")]
    assert broken and broken[0].rule == "well-formed" and broken[0].line == 3
    assert any(d.rule == "unique-id" for d in report.errors)


def test_all_rule_violations_are_reported_in_one_run(scratch_edition):
    body = ('<p xml:id="p1"><s xml:id="s1" ana="evt:nowhere"><persName ref="#nobody">X</persName> '
            '<date when="1938-02-30">30 lutego</date> <date from="1939-09" to="1939-05">...</date> '
            '<seg xml:id="seg1">Yamato</seg></s></p>')
    translation = ('<div type="translation" xml:lang="en"><p><s xml:id="s1-en" corresp="#s1">a</s>'
                   '<s xml:id="s1-en2" corresp="#s1">b</s></p></div>')
    back = ('<back><div type="apparatus"><note type="factual-problem" subtype="rumour" '
            'xml:id="fp1" target="#seg1"><ab type="problem">x</ab></note></div></back>')
    write(scratch_edition, "bad.xml", body, translation, back)
    report = api.check(scratch_edition, use_tei_all=False)
    messages = [str(d) for d in report.errors]
    assert {d.rule for d in report.errors} >= {"pointer", "date", "translation", "factual-problem"}
    assert any('@ana "evt:nowhere" uses the undeclared prefix "evt"' in m or "evt:nowhere" in m for m in messages)
    assert any('@ref "#nobody" points to no element' in m for m in messages)
    assert any('@when="1938-02-30" is not a valid ISO 8601 date' in m for m in messages)
    assert any('@from="1939-09" is later than @to="1939-05"' in m for m in messages)
    assert any('sentence "s1" has 2 translations' in m for m in messages)
    assert any('unknown category "rumour"' in m for m in messages)
    assert any("gives no evidence" in m for m in messages)
    pointer = next(d for d in report.errors if "#nobody" in d.message)
    line = (scratch_edition.sources_dir / "bad.xml").read_text("utf-8").split("\n")[4]
    assert (pointer.line, pointer.column) == (5, line.index('ref="#nobody"') + 1)  # at the attribute (issue 14)


def test_schema_violations_name_the_file_line_and_rule(scratch_edition):
    write(scratch_edition, "invalid.xml", '<p><s xml:id="s1">x<bogus/></s></p>')
    report = api.check(scratch_edition, use_tei_all=False)
    problems = [d for d in report.errors if d.rule == "edition-schema"]
    assert problems and all(d.path.endswith("invalid.xml") and d.line == 5 for d in problems)
    assert any("bogus" in d.message for d in problems)


def test_untranslated_source_is_a_warning_not_an_error(scratch_edition):
    write(scratch_edition, "plain.xml", '<p><s xml:id="s1">x</s></p>')
    report = api.check(scratch_edition, use_tei_all=False)
    assert report.ok and [d.rule for d in report.diagnostics] == ["translation"]


def test_checking_a_missing_file_is_a_usage_problem(scratch_edition):
    with pytest.raises(UsageProblem):
        api.check(scratch_edition, ["nope.xml"])


def test_external_entities_are_refused_not_expanded(scratch_edition, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", "utf-8")
    (scratch_edition.sources_dir / "xxe.xml").write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        '<TEI xmlns="http://www.tei-c.org/ns/1.0">&x;</TEI>\n', "utf-8")
    report = api.check(scratch_edition, use_tei_all=False)
    assert [d.rule for d in report.errors] == ["xml-safety"]
    assert "TOP SECRET" not in " ".join(str(d) for d in report.diagnostics)


def test_billion_laughs_is_refused_quickly(scratch_edition):
    entities = '<!ENTITY a "lol">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    (scratch_edition.sources_dir / "lol.xml").write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE TEI [{entities}]>\n<TEI>&j;</TEI>\n', "utf-8")
    report = api.check(scratch_edition, use_tei_all=False)
    assert [d.rule for d in report.errors] == ["xml-safety"]


def test_the_edition_in_the_repository_has_no_errors(tei_all_rng, tmp_path):
    shutil.copytree(ROOT / "tei", tmp_path / "tei")
    from edition import Edition
    report = api.check(Edition.at(tmp_path), tei_all=tei_all_rng)
    assert report.errors == [], "\n".join(map(str, report.errors))


def test_checking_one_file_resolves_its_pointers_against_the_whole_edition(scratch_edition):
    path = write(scratch_edition, "one.xml", '<p><s xml:id="s1" ana="evt:khasan-fighting">x</s></p>')
    (scratch_edition.sources_dir / "other.xml").write_text("<broken>", "utf-8")
    report = api.check(scratch_edition, [path], use_tei_all=False)
    assert report.errors == []


def test_per_document_rules_in_a_pool_say_what_one_process_says_in_the_same_order(scratch_edition, tmp_path,
                                                                                   monkeypatch):
    """edition/pipeline/graph.py check_documents: the rules of 20 documents as tasks of two forked
    workers give the very diagnostics, in the very order, of the serial check."""
    from edition.checking import rules
    from edition.corpus import Corpus
    from edition.pipeline import graph
    for number in range(20):  # each document breaks rules of its own, at lines of its own
        body = "\n" * (number % 5) + (f'<p><s xml:id="s{number}" ana="evt:nowhere-{number}">'
                                      f'<persName ref="#nobody{number}">X</persName> '
                                      f'<date when="1938-02-{30 + number % 2}">d</date></s></p>')
        write(scratch_edition, f"doc{number:02d}.xml", body)
    corpus = Corpus.load(scratch_edition)
    serial = rules.check(corpus, workers=1)
    real, seen = rules.document_rules, tmp_path / "pids"
    seen.mkdir()

    def noted(*arguments):  # which process ran the task (the forked workers inherit this patch)
        (seen / str(os.getpid())).touch()
        return real(*arguments)
    monkeypatch.setattr(rules, "document_rules", noted)
    pooled = rules.check(corpus, workers=2)
    assert {p.name for p in seen.iterdir()} - {str(os.getpid())}, "no task ran in a worker"
    assert len(corpus.documents) >= graph.PARALLEL_CHECK
    assert len({d.path for d in serial if d.rule == "pointer"}) == 20
    assert pooled == serial
    assert rules.check(corpus) == serial  # the default for this many documents: the pool


def test_a_bound_is_not_also_an_exact_figure(scratch_edition):
    """'More than 500' is atLeast="500" and no @value (a warning where both stand, an error
    where the bounds are inverted), located at the element; a bound alone passes."""
    body = ('<p><s xml:id="s1">ปืน<num type="guns" value="500" atLeast="500">มากกว่า 500</num> กระบอก '
            'เครื่องบิน<num type="aircraft" atMost="660">เกือบ 660</num> ลำ\n'
            '<measure type="bombs" quantity="120" unit="t"><num atLeast="120">ponad 120</num> ton</measure> '
            '<num type="other" atLeast="10" atMost="5">5–10</num></s></p>')
    write(scratch_edition, "one.xml", body)
    problems = [d for d in api.check(scratch_edition, use_tei_all=False).diagnostics if d.rule == "bound"]
    assert [(d.severity, d.line) for d in problems] == [("warning", 5), ("warning", 6), ("error", 6)], problems
    assert "exact figure (500)" in problems[0].message and 'atLeast="500"' in problems[0].message
    assert "<measure>" in problems[1].message and "(120)" in problems[1].message  # its bound is on its num
    assert 'atLeast="10" above atMost="5"' in problems[2].message


def test_columns_come_from_the_file_again_when_its_lines_are_no_longer_kept(scratch_edition):
    """Only the last few files' lines stay in memory (diagnostics.KEPT_FILES): a diagnostic in a
    file parsed long before still names its column (the file is read again), unless the file
    changed since it was parsed (then column 1, never a column of other text)."""
    from edition.diagnostics import KEPT_FILES
    bad = write(scratch_edition, "aa-first.xml", '<p><s xml:id="s1">x <persName ref="#nobody">N</persName></s></p>')
    for number in range(KEPT_FILES + 2):  # parsed after it, so its lines are dropped
        write(scratch_edition, f"zz-{number}.xml", f'<p><s xml:id="z{number}">x</s></p>')
    report = api.check(scratch_edition, use_tei_all=False)
    pointer = next(d for d in report.errors if "#nobody" in d.message and d.path.endswith("aa-first.xml"))
    line = bad.read_text("utf-8").split("\n")[4]
    assert (pointer.line, pointer.column) == (5, line.index('ref="#nobody"') + 1)

    from edition.corpus import Corpus
    from edition.diagnostics import Diagnostic
    corpus = Corpus.load(scratch_edition)
    element = next(e for e in corpus.documents[bad.resolve()].root.iter("{*}persName"))
    bad.write_text(bad.read_text("utf-8").replace("<p>", "<p>    "), "utf-8")  # edited after the parse
    assert Diagnostic.at(element, "pointer", "m", attribute="ref").column == 1


def test_a_named_file_checked_against_tei_all_is_reported_as_in_the_whole_check(scratch_edition, tei_all_rng):
    """`edition check FILE --tei-all` starts jing on FILE before the rest of the edition is read
    (Corpus.load_early): FILE's diagnostics are those the whole check gives it, every layer,
    and another file's are not reported."""
    named = write(scratch_edition, "named.xml", '<p><s xml:id="n1">x<bogus/> <persName ref="#nobody">N</persName></s></p>')
    write(scratch_edition, "other.xml", '<p><s xml:id="o1">x<bogus/></s></p>')
    whole = api.check(scratch_edition, tei_all=tei_all_rng)
    alone = api.check(scratch_edition, [named], tei_all=tei_all_rng)
    expected = [str(d) for d in whole.diagnostics if d.path == str(named.resolve())]
    assert {d.rule for d in alone.diagnostics} >= {"tei-all", "edition-schema", "pointer"}
    assert [str(d) for d in alone.diagnostics] == expected
