"""Chinese date expressions → ISO dates: 1939年五月二十八日, 五月十一日, 同年十月,
1936年3月30日, 从1935年1月至1938年10月. Chinese numerals are read with
`chinese_number`; a month or day without a year takes the year in force."""
from __future__ import annotations

import re

from . import DateContext, DateMatch, iso

DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9}
NUMBER = r"[0-9０-９〇零一二两三四五六七八九十百千]+"


def chinese_number(text: str) -> int:
    """'二十八' -> 28, '十' -> 10, '一九三九' -> 1939, '1939' -> 1939, '一千五百' -> 1500."""
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isdigit():
        return int(text)
    if all(c in DIGITS for c in text):  # digit by digit, as in years: 一九三九
        return int("".join(str(DIGITS[c]) for c in text))
    total, current = 0, 0
    for char in text:
        if char in DIGITS:
            current = DIGITS[char]
        else:
            unit = {"十": 10, "百": 100, "千": 1000}[char]
            total += (current or 1) * unit
            current = 0
    return total + current


EXPRESSION = re.compile(
    rf"(?P<same>同年)?(?:(?P<year>{NUMBER})年)?(?:(?P<month>{NUMBER})月(?:(?P<day>{NUMBER})[日号])?)?")


def find(text: str, context: DateContext) -> list[DateMatch]:
    found = []
    for match in EXPRESSION.finditer(text):
        if not (match["year"] or match["month"]):
            continue
        year = chinese_number(match["year"]) if match["year"] else None
        if year is not None and not 1000 <= year <= 2100:
            continue
        month = chinese_number(match["month"]) if match["month"] else None
        day = chinese_number(match["day"]) if match["day"] else None
        if (month and not 1 <= month <= 12) or (day and not 1 <= day <= 31):
            continue
        inferred = year is None
        if year is not None:
            context.year = year
        elif context.year is not None:
            year = context.year
        found.append(DateMatch(match.start(), match.end(), {"when": iso(year, month, day)}, inferred))
    return found
