"""`edition check`, consistency of facts: dates the editors give for an event
agree with the register of events; a note about an event sits on a sentence
that narrates it. Real lxml, the edition's real registers, located errors."""
import shutil

from edition import api
from edition.checking.consistency import agree, point, span_of
from tests.conftest import ROOT
from tests.checking.test_check import write

REGISTER_EVENT = "khasan-ceasefire"  # the register's: when="1938-08-11T12:00:00"


def consistency_errors(report):
    return [d for d in report.errors if d.rule in ("event-date", "event-link", "person-date")]


def note(body, corresp="", target="#seg1"):
    attribute = f' corresp="{corresp}"' if corresp else ""
    return ('<back><div type="apparatus"><note type="factual-problem" subtype="wrong-date" '
            f'xml:id="fp1" target="{target}"{attribute}><ab type="problem">x</ab>'
            f'<ab type="correction">{body}</ab><listBibl type="evidence"><bibl>'
            '<ref target="https://example.org/">e</ref></bibl></listBibl></note></div></back>')


SENTENCE = '<p><s xml:id="s1" ana="evt:khasan-ceasefire evt:khasan-fighting"><seg xml:id="seg1">x</seg></s></p>'


def test_a_date_that_contradicts_the_register_is_an_error_at_its_line_and_column(scratch_edition):
    back = note('The truce took effect\n<date corresp="evt:khasan-ceasefire" when="1938-08-11T13:30:00">'
                'at 13:30</date>.', corresp="evt:khasan-ceasefire")
    write(scratch_edition, "one.xml", SENTENCE, back=back)
    problems = consistency_errors(api.check(scratch_edition, use_tei_all=False))
    assert [d.rule for d in problems] == ["event-date"]
    problem = problems[0]
    assert problem.path.endswith("one.xml") and (problem.line, problem.column) == (7, 1)
    assert '"at 13:30" (when="1938-08-11T13:30:00")' in problem.message
    assert REGISTER_EVENT in problem.message and "tei/registers/events.xml:" in problem.message


def test_dates_that_agree_at_their_own_precision_pass(scratch_edition):
    dates = ('<date corresp="evt:khasan-ceasefire" when="1938-08-11T12:00:00">at noon</date>, '
             '<date corresp="evt:khasan-ceasefire" when="1938-08-11">on 11 August</date>, '
             '<date corresp="evt:khasan-ceasefire" when="1938-08">in August 1938</date>, '
             '<date corresp="evt:khasan-fighting" from="1938-07-29" to="1938-08-11">29 July – 11 August</date>, '
             '<date corresp="evt:khasan-fighting" when="1938-08-06">6 August</date>')
    write(scratch_edition, "one.xml", SENTENCE, back=note(dates, corresp="evt:khasan-ceasefire"))
    assert consistency_errors(api.check(scratch_edition, use_tei_all=False)) == []


def test_every_disagreement_is_reported_in_one_run(scratch_edition):
    dates = ('<date corresp="evt:khasan-fighting" when="1938-08-20">20 August</date> '
             '<date ana="evt:khasan-fighting" from="1938-08-01" to="1938-08-31">August</date> '
             '<date corresp="evt:khasan-ceasefire" when="1938-10">October</date>')
    write(scratch_edition, "one.xml", SENTENCE, back=note(dates))
    problems = consistency_errors(api.check(scratch_edition, use_tei_all=False))
    assert len(problems) == 3 and {d.rule for d in problems} == {"event-date"}


def test_the_words_of_a_source_are_not_held_to_the_register(scratch_edition):
    """The sources are wrong in places; their dates are the apparatus's concern."""
    body = ('<p><s xml:id="s1" ana="evt:khasan-fighting"><date corresp="evt:khasan-fighting" '
            'when="1938-08-06">6 sierpnia</date> koniec.</s></p>')
    write(scratch_edition, "one.xml", body)
    assert consistency_errors(api.check(scratch_edition, use_tei_all=False)) == []


def test_a_note_about_an_event_must_sit_on_a_sentence_that_narrates_it(scratch_edition):
    body = '<p><s xml:id="s1" ana="evt:khasan-fighting"><seg xml:id="seg1">x</seg></s></p>'
    write(scratch_edition, "one.xml", body, back=note("y", corresp="evt:khasan-ceasefire"))
    problems = consistency_errors(api.check(scratch_edition, use_tei_all=False))
    assert [d.rule for d in problems] == ["event-link"]
    assert '"evt:khasan-ceasefire"' in problems[0].message and problems[0].line == 6


def test_a_wrong_date_in_a_register_entry_is_found_too(tmp_path):
    """The rule runs over the edition's real registers: break one date there."""
    shutil.copytree(ROOT / "tei", tmp_path / "tei", ignore=shutil.ignore_patterns("sources"))
    shutil.copytree(ROOT / "styles", tmp_path / "styles")
    (tmp_path / "tei" / "sources").mkdir()
    events = tmp_path / "tei" / "registers" / "events.xml"
    text = events.read_text("utf-8")
    broken = text.replace('<date when="1939-05-30">30 May</date>',
                          '<date corresp="#zhukov-arrival" when="1939-05-20">20 May</date>', 1)
    assert broken != text
    events.write_text(broken, "utf-8")
    from edition import Edition
    problems = consistency_errors(api.check(Edition.at(tmp_path), use_tei_all=False))
    assert [d.rule for d in problems] == ["event-date"] and problems[0].path.endswith("events.xml")


def test_spans_compare_at_the_coarser_precision():
    noon, half_past_one = point("1938-08-11T12:00:00"), point("1938-08-11T13:30:00")
    assert not agree(half_past_one, noon)
    assert agree(point("1938-08-11"), noon) and agree(point("1938"), noon)
    assert not agree(point("1938-08-12"), noon)


def test_open_and_qualified_ranges():
    from lxml import etree
    open_end = etree.fromstring('<event notBefore="1938-09"/>')
    assert agree(point("1939-01-01"), span_of(open_end))
    assert not agree(point("1938-08-31"), span_of(open_end))
    partial = etree.fromstring('<event from="1939-05-29" to="1939-06-12"/>')
    overlapping = etree.fromstring('<date from="1939-06-01" to="1939-06-30"/>')
    assert not agree(span_of(overlapping), span_of(partial))


def test_a_death_date_in_a_note_is_held_to_the_register_of_persons(scratch_edition):
    """Blyukher died on 9 November 1938 (persons.xml): a note saying 10 November is caught,
    and one saying 9 November, or only the year, passes."""
    dates = ('<date type="death" corresp="per:blyukher" when="1938-11-10">10 November 1938</date> '
             '<date type="death" corresp="per:blyukher" when="1938-11-09">9 November 1938</date> '
             '<date type="death" corresp="per:blyukher" when="1938">1938</date> '
             '<date type="birth" corresp="per:blyukher" when="1938-11-09">wrongly as a birth</date>')
    write(scratch_edition, "one.xml", SENTENCE, back=note(dates))
    problems = consistency_errors(api.check(scratch_edition, use_tei_all=False))
    assert [d.rule for d in problems] == ["person-date", "person-date"]
    assert '"10 November 1938"' in problems[0].message and "death" in problems[0].message
    assert "birth" in problems[1].message


def count_errors(report):
    """Counts out of date are warnings (a draft builds; --strict fails)."""
    return [d for d in report.diagnostics if d.rule == "count"]


def test_a_count_is_held_to_the_source_it_counts(scratch_edition):
    """Counts in the editors' text (here a note of the source itself) against its TEI: one
    sentence, one note of category wrong-date at high certainty; "each of" with several
    categories; the words and @value must say the same number."""
    def count(kind, value, words=None, extra=""):
        return f'<num type="{kind}" value="{value}" source="one.xml"{extra}>{words or value}</num> '
    counts = (count("sentences", 1) + count("paragraphs", 1)
              + count("factual-problems", 1, extra=' ana="ed:wrong-date" subtype="high"')
              + count("factual-problems", 0, extra=' ana="ed:typo ed:false-claim"')
              + count("sentences", 2)
              + count("factual-problems", 1, extra=' ana="ed:wrong-date ed:typo"')
              + count("factual-problems", 1, extra=' subtype="low"')
              + count("translator-notes", 1, "one")
              + count("sentences", 1, "2"))
    back = note(counts).replace('subtype="wrong-date" ', 'subtype="wrong-date" cert="high" ', 1)
    write(scratch_edition, "one.xml", SENTENCE, back=back)
    problems = count_errors(api.check(scratch_edition, use_tei_all=False))
    messages = [d.message for d in problems]
    assert len(problems) == 5, messages
    expected = ["says 2, but tei/sources/one.xml now has 1 sentences",
                'says 1, but tei/sources/one.xml now has 0 factual-problem notes of category "typo"',
                "has 0 factual-problem notes of low certainty", "has 0 translator's notes",
                "the words say 2 but @value says 1"]
    assert all(sum(e in m for m in messages) == 1 for e in expected), messages
    assert all(d.path.endswith("one.xml") and d.severity == "warning" for d in problems)


def test_the_introduction_counts_are_checked_against_the_real_sources(tmp_path):
    """The edition's own introduction, with its real sources: change one Thai figure and
    the check names the file, the count and what the source now holds."""
    shutil.copytree(ROOT / "tei", tmp_path / "tei")
    shutil.copytree(ROOT / "styles", tmp_path / "styles")
    front = tmp_path / "tei" / "edition.xml"
    text = front.read_text("utf-8")
    marked = '<num type="sentences" value="127" source="sources/th-khalkhin-gol.xml">127</num>'
    assert marked in text
    from edition import Edition
    assert count_errors(api.check(Edition.at(tmp_path), use_tei_all=False)) == []
    front.write_text(text.replace(marked, marked.replace("127", "140")), "utf-8")
    problems = count_errors(api.check(Edition.at(tmp_path), use_tei_all=False))
    assert len(problems) == 1 and problems[0].path.endswith("edition.xml")
    assert "says 140, but tei/sources/th-khalkhin-gol.xml now has 127 sentences" in problems[0].message


def test_a_count_of_a_source_not_in_the_corpus_is_left_alone(scratch_edition):
    """The scratch edition has the real introduction but none of its sources."""
    report = api.check(scratch_edition, use_tei_all=False)
    assert count_errors(report) == [] and not [d for d in report.errors if d.path.endswith("edition.xml")]
