"""Thai date expressions → ISO dates, converting Buddhist-Era years.

"7 สิงหาคม พ.ศ. 2479" → 1936-08-07 (BE − 543 = CE); "ค.ศ. 1938" → 1938;
a bare year is read as BE when it is above 2400 ("ปี 2475" → 1932) and as
CE otherwise ("ปี 1931"), which is how the edition's Thai text mixes eras.
"""
from __future__ import annotations

import re

from . import DateContext, DateMatch, iso

MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
          "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]
SHORT_MONTHS = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.",
                "ต.ค.", "พ.ย.", "ธ.ค."]
BUDDHIST_ERA_OFFSET = 543

_MONTH = "|".join(re.escape(m) for m in sorted(MONTHS + SHORT_MONTHS, key=len, reverse=True))
_ERA = r"(?P<era>พ\.ศ\.|ค\.ศ\.)\s?"
EXPRESSION = re.compile(
    rf"(?:(?:วันที่\s?)?(?P<day>\d{{1,2}})(?:\s?[-–]\s?(?P<day2>\d{{1,2}}))?\s?)?(?P<month>{_MONTH})"
    rf"(?:\s?(?:{_ERA})?(?P<year>\d{{4}}))?"
    rf"|(?:(?:ปี|ในปี|พ\.ศ\.|ค\.ศ\.)\s?(?:{_ERA.replace('era', 'era2')})?(?P<year2>\d{{4}}))")
_ERA_ONLY = re.compile(r"(พ\.ศ\.|ค\.ศ\.)\s?$")


def to_common_era(year: int, era: str | None) -> int:
    if era == "พ.ศ." or (era is None and year > 2400):
        return year - BUDDHIST_ERA_OFFSET
    return year


def month_number(name: str) -> int:
    return (MONTHS.index(name) if name in MONTHS else SHORT_MONTHS.index(name)) + 1


def find(text: str, context: DateContext) -> list[DateMatch]:
    found = []
    for match in EXPRESSION.finditer(text):
        raw_year = match["year"] or match["year2"]
        era = match["era"] or match["era2"] or _era_before(text, match)
        year = to_common_era(int(raw_year), era) if raw_year else None
        if year is not None and not 1000 <= year <= 2100:
            continue
        inferred = year is None
        if year is None:
            year = context.year
        else:
            context.year = year
        month = month_number(match["month"]) if match["month"] else None
        day = int(match["day"]) if match["day"] else None
        if day and not 1 <= day <= 31:
            continue
        if match["day2"]:
            attributes = {"from": iso(year, month, day), "to": iso(year, month, int(match["day2"]))}
        else:
            attributes = {"when": iso(year, month, day)}
        found.append(DateMatch(match.start(), match.end(), attributes, inferred))
    return found


def _era_before(text: str, match) -> str | None:
    """'ปี พ.ศ. 2482': the era may stand between the keyword and the year."""
    era = _ERA_ONLY.search(text[:match.start("year2")] if match["year2"] else "")
    return era.group(1) if era else None
