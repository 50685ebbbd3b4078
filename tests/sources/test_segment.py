"""Sentence segmentation of the four seeds and of the tricky cases they contain."""
import re

import pytest

from edition.sources.segment import segment
from tests.conftest import SEEDS, seed_path


def sentences(text, lang):
    return [text[a:b] for a, b in segment(text, lang)]


def test_initials_and_year_abbreviations_do_not_end_a_sentence():
    text = "Dowódca G. K. Zhukov i Ya. V. Smushkevich przybyli 20 lipca 1938 r. do Moskwy. Tak."
    assert sentences(text, "pl") == [
        "Dowódca G. K. Zhukov i Ya. V. Smushkevich przybyli 20 lipca 1938 r. do Moskwy.", "Tak."]


def test_run_together_sentences_are_split():
    text = "ocurrida en 1938 en Primorie.Dos días después ingresaron tropas."
    assert sentences(text, "es") == ["ocurrida en 1938 en Primorie.", "Dos días después ingresaron tropas."]


def test_citation_markers_stay_with_the_sentence_they_follow():
    text = "rompiendo el frente en varios lugares.[20]Los japoneses contaron 17 202 muertos.[19]La victoria."
    assert sentences(text, "es") == ["rompiendo el frente en varios lugares.[20]",
                                     "Los japoneses contaron 17 202 muertos.[19]", "La victoria."]


def test_a_sentence_may_start_with_a_number():
    text = "w pobliżu których znajduje się jezioro. 12 lipca niewielki oddział zajął wyżyny."
    assert len(sentences(text, "pl")) == 2


def test_chinese_ends_sentences_at_full_stops_and_keeps_closing_quotes():
    text = "他说：“走吧。”于是出发了！第二天到达。"
    assert sentences(text, "zh") == ["他说：“走吧。”", "于是出发了！", "第二天到达。"]


def test_thai_buddhist_era_abbreviation_is_not_a_boundary():
    text = ("ในการตัดสินใจลับของรัฐบาลญี่ปุ่นเมื่อวันที่ 7 สิงหาคม พ.ศ. 2479 "
            "พบว่าผลประโยชน์ของเบอร์ลินและโตเกียวเกิดขึ้นพร้อมกัน")
    assert not any(s.endswith("พ.ศ.") for s in sentences(text, "th"))


@pytest.mark.parametrize("source_id", sorted(SEEDS))
def test_every_seed_segments_into_sensible_sentences(source_id):
    name, lang = SEEDS[source_id]
    lines = seed_path(source_id).read_text("utf-8").split("\n")
    all_sentences = [s for line in lines for s in sentences(line, lang)]
    assert len(all_sentences) > len([l for l in lines if l.strip()])  # paragraphs are split
    for sentence in all_sentences:
        assert sentence == sentence.strip()
        assert not re.search(r"(?:^|\s)[A-ZА-Я][a-z]?\.$", sentence), f"split after an initial: {sentence!r}"
        if lang in ("es", "pl"):
            assert not re.search(r"[a-zà-ž]{2}[.!?][A-ZÀ-Ž][a-zà-ž]", sentence), f"run-together: {sentence!r}"
        if lang == "zh":
            assert not re.search(r"。.", sentence), f"unsplit Chinese sentence: {sentence!r}"
        if lang == "th":
            assert len(sentence) < 700 and not sentence.endswith(("พ.ศ.", "ค.ศ."))


def test_segment_spans_never_lose_or_overlap_text():
    line = "  Uno. Dos.[3]  Tres  "
    spans = segment(line, "es")
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))
    gaps = [line[:spans[0][0]]] + [line[spans[i][1]:spans[i + 1][0]] for i in range(len(spans) - 1)]
    assert all(g.strip() == "" for g in gaps)
