"""Name forms matched in every script: longest match, word boundaries."""
from edition.annotate.names import NameFinder
from edition.annotate.registers import NameForm


def finder(*forms):
    return NameFinder([NameForm(text, element, ref, None) for text, element, ref in forms])


def found(f, text, lang):
    return [(text[m.start:m.end], m.form.ref) for m in f.find(text, lang)]


def test_longest_match_wins():
    f = finder(("Zhukov", "persName", "per:zhukov"), ("G. K. Zhukov", "persName", "per:zhukov"),
               ("Khasan", "placeName", "pla:lake-khasan"), ("lago Jasán", "placeName", "pla:lake-khasan"),
               ("Jasán", "placeName", "pla:lake-khasan"))
    assert found(f, "G. K. Zhukov y el lago Jasán", "es") == [
        ("G. K. Zhukov", "per:zhukov"), ("lago Jasán", "pla:lake-khasan")]


def test_latin_names_do_not_match_inside_longer_words():
    f = finder(("Zhukov", "persName", "per:zhukov"))
    assert found(f, "Zhukovsky met Zhukov.", "en") == [("Zhukov", "per:zhukov")]


def test_chinese_name_inside_a_longer_word_does_not_match():
    f = finder(("中山", "placeName", "pla:zhongshan"), ("朱可夫", "persName", "per:zhukov"))
    # 中山 is a place, but in 中山装 (a Zhongshan suit) it is part of a longer word.
    assert found(f, "他穿着中山装见朱可夫。", "zh") == [("朱可夫", "per:zhukov")]
    assert found(f, "他去了中山。", "zh") == [("中山", "pla:zhongshan")]


def test_thai_name_inside_a_longer_word_does_not_match():
    f = finder(("ลาว", "placeName", "pla:laos"), ("จีน", "placeName", "pla:china"))
    # ลาวา (lava) contains ลาว (Laos); ชนะในจีน contains จีน as a word.
    assert found(f, "ลาวาไหลลงมา", "th") == []
    assert found(f, "ต้องการกีดกันความหวังที่จะชนะในจีนแล้ว", "th") == [("จีน", "pla:china")]


def test_a_form_that_names_two_entries_is_not_guessed():
    f = finder(("Khalkhin Gol", "placeName", "pla:khalkhin-gol-river"),
               ("Khalkhin Gol", "orgName", "org:something"))
    assert found(f, "at Khalkhin Gol", "en") == []
    assert "Khalkhin Gol" in f.ambiguous
