"""Spanish, Polish and English date expressions → ISO dates.

Month names in every case form the sources use (Polish genitive "lipca",
locative "marcu", nominative "lipiec"); "20 lipca 1938 r.", "w 1938 roku",
"El día 28" (a day alone: ---28), "28 de mayo de 1939", "August 20, 1939".
"""
from __future__ import annotations

import re

from . import DateContext, DateMatch, iso

MONTHS = {
    "es": [["enero"], ["febrero"], ["marzo"], ["abril"], ["mayo"], ["junio"], ["julio"],
           ["agosto"], ["septiembre", "setiembre"], ["octubre"], ["noviembre"], ["diciembre"]],
    "pl": [["styczeń", "stycznia", "styczniu"], ["luty", "lutego", "lutym"],
           ["marzec", "marca", "marcu"], ["kwiecień", "kwietnia", "kwietniu"],
           ["maj", "maja", "maju"], ["czerwiec", "czerwca", "czerwcu"],
           ["lipiec", "lipca", "lipcu"], ["sierpień", "sierpnia", "sierpniu"],
           ["wrzesień", "września", "wrześniu"], ["październik", "października", "październiku"],
           ["listopad", "listopada", "listopadzie"], ["grudzień", "grudnia", "grudniu"]],
    "en": [["January"], ["February"], ["March"], ["April"], ["May"], ["June"], ["July"],
           ["August"], ["September"], ["October"], ["November"], ["December"]],
}
YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
# A bare English year is a date only after one of these (not "1939 tanks").
YEAR_PREPOSITIONS = ("in", "In", "since", "Since", "by", "By", "of", "from", "From", "until", "to")


def _month_table(lang: str) -> dict[str, int]:
    return {form.lower(): number for number, forms in enumerate(MONTHS[lang], start=1) for form in forms}


def _patterns(lang: str) -> list[re.Pattern]:
    names = [form for forms in MONTHS[lang] for form in forms]  # English: capitalised only ("may")
    month = "(?P<month>" + "|".join(sorted(names, key=len, reverse=True)) + ")"
    day = r"(?P<day>[0-3]?\d)"
    if lang == "es":
        forms = [rf"{day}(?:\s*[-–]\s*(?P<day2>[0-3]?\d))? de {month}(?: de(?:l año)? {YEAR})?",
                 rf"{month} de {YEAR}", rf"(?:[Ee]l )?día {day}\b",
                 rf"(?<=\b[Ee]n )(?:el año )?{YEAR}\b", rf"(?<=\b[Dd]esde )(?:el año )?{YEAR}\b",
                 rf"(?:[Ee]l año ){YEAR}\b"]
    elif lang == "pl":
        forms = [rf"{day}(?:\s*[-–]\s*(?P<day2>[0-3]?\d))? {month}(?: {YEAR}(?: r\.| roku)?)?",
                 rf"{month} {YEAR}(?: r\.| roku)?",
                 rf"(?<=\b[Ww] ){month}\b", rf"{YEAR} (?:r\.|roku)", rf"(?<=\b[Ww] ){YEAR}\b"]
    else:
        forms = [rf"{day}(?:\s*[-–]\s*(?P<day2>[0-3]?\d))? {month}(?:,? {YEAR})?",
                 rf"{month} {day}(?:st|nd|rd|th)?(?:, {YEAR})?\b", rf"{month} {YEAR}",
                 rf"(?<=\b[Ii]n ){month}\b",
                 "(?:" + "|".join(rf"(?<=\b{word} )" for word in YEAR_PREPOSITIONS) + rf"){YEAR}\b"]
    return [re.compile(f, re.IGNORECASE if lang != "en" else 0) for f in forms]


_COMPILED: dict[str, list[re.Pattern]] = {}


def find(text: str, lang: str, context: DateContext) -> list[DateMatch]:
    patterns = _COMPILED.setdefault(lang, _patterns(lang))
    months = _month_table(lang)
    candidates = sorted(((m.start(), -m.end(), m) for p in patterns for m in p.finditer(text)),
                        key=lambda item: item[:2])
    found, taken_until = [], -1
    for start, _, match in candidates:
        if start < taken_until or match.end() == start:
            continue  # longest match at a position wins; no overlaps
        result = _normalise(match, months, context)
        if result:
            found.append(DateMatch(start, match.end(), *result))
            taken_until = match.end()
    return found


def _normalise(match, months, context):
    groups = match.groupdict()
    year = int(groups["year"]) if groups.get("year") else None
    month = months.get((groups.get("month") or "").lower())
    day = int(groups["day"]) if groups.get("day") else None
    if day is not None and not 1 <= day <= 31:
        return None
    inferred = year is None
    if year is not None:
        context.year = year
    elif month is not None:
        year = context.year
    if groups.get("day2"):
        return {"from": iso(year, month, day), "to": iso(year, month, int(groups["day2"]))}, inferred
    return {"when": iso(year, month, day)}, inferred
