"""Each language's date normaliser, on its own."""
import pytest

from edition.annotate.dates import DateContext, find_dates
from edition.annotate.dates.chinese import chinese_number
from edition.annotate.dates.thai import to_common_era


def dates(text, lang, year=None):
    context = DateContext(year)
    return [(text[d.start:d.end], d.attributes, d.inferred) for d in find_dates(text, lang, context)]


@pytest.mark.parametrize("numeral, value", [("二十八", 28), ("十", 10), ("十一", 11), ("五", 5),
                                            ("一九三九", 1939), ("一千五百", 1500), ("１９３９", 1939)])
def test_chinese_numerals(numeral, value):
    assert chinese_number(numeral) == value


def test_chinese_full_date_with_chinese_numerals():
    assert dates("1939年五月二十八日，由山县武光大佐", "zh") == [
        ("1939年五月二十八日", {"when": "1939-05-28"}, False)]


def test_chinese_month_and_day_take_the_year_from_context():
    found = dates("1939年五月，关东军决定。五月十一日，蒙古军。", "zh")
    assert found[1] == ("五月十一日", {"when": "1939-05-11"}, True)


def test_chinese_same_year_expression():
    assert dates("1938年7月，开进。同年十月，苏蒙", "zh")[1] == ("同年十月", {"when": "1938-10"}, True)


@pytest.mark.parametrize("year, era, expected", [(2482, "พ.ศ.", 1939), (2475, None, 1932),
                                                 (1938, "ค.ศ.", 1938), (1931, None, 1931)])
def test_buddhist_era_years_convert(year, era, expected):
    assert to_common_era(year, era) == expected


def test_thai_day_month_buddhist_era_year():
    assert dates("เมื่อวันที่ 7 สิงหาคม พ.ศ. 2479 พบว่า", "th") == [
        ("วันที่ 7 สิงหาคม พ.ศ. 2479", {"when": "1936-08-07"}, False)]


def test_thai_bare_buddhist_era_year_in_context():
    assert dates("ในตอนท้ายของปี 2475 ได้มีการเตรียมแผน", "th") == [("ปี 2475", {"when": "1932"}, False)]


def test_thai_common_era_year_stays():
    assert dates("ในต้นฤดูใบไม้ร่วงปี 1931 กองทหาร", "th")[0][1] == {"when": "1931"}


def test_thai_month_without_year_takes_the_year_in_force():
    assert dates("วันที่ 20 สิงหาคม", "th", year=1939) == [("วันที่ 20 สิงหาคม", {"when": "1939-08-20"}, True)]


def test_spanish_day_alone_and_year_after_en():
    assert dates("En 1932 Japón. El día 28, llevaron", "es") == [
        ("1932", {"when": "1932"}, False), ("El día 28", {"when": "---28"}, True)]


def test_spanish_full_date():
    assert dates("el 20 de agosto de 1939 comenzó", "es")[0][1] == {"when": "1939-08-20"}


def test_polish_genitive_month_with_year_and_r():
    assert dates("Następnie, 20 lipca 1938 r., ambasador", "pl") == [
        ("20 lipca 1938 r.", {"when": "1938-07-20"}, False)]


def test_polish_day_month_takes_context_year():
    assert dates("29 lipca konflikt", "pl", year=1938) == [("29 lipca", {"when": "1938-07-29"}, True)]


def test_polish_locative_month_and_from_january():
    found = dates("Od stycznia 1938 r. radzieccy. W marcu zatopili", "pl")
    assert [f[1] for f in found] == [{"when": "1938-01"}, {"when": "1938-03"}]


def test_english_dates_and_that_may_is_not_a_month():
    found = dates("On 20 August 1939 it began; it may rain. In May 1939 and since 1938.", "en")
    assert [f[0] for f in found] == ["20 August 1939", "May 1939", "1938"]


def test_a_range_of_days_becomes_from_and_to():
    assert dates("20-31 de agosto de 1939", "es")[0][1] == {"from": "1939-08-20", "to": "1939-08-31"}


def test_numbers_that_are_not_years_are_not_dates():
    assert dates("Los japoneses contaron 17 202 muertos y 1500 heridos", "es") == []
