"""Date expressions in text → spans with normalised TEI date attributes.

One normaliser per language, each a function (text, context) -> [DateMatch],
testable on its own. `context` carries the year in force (the last explicit
year before this point in the document), so that "29 lipca" or "五月十一日"
take their year from the narrative, as a reader does; such dates are marked
with lower certainty.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DateContext:
    year: int | None = None


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    attributes: dict = field(hash=False)
    inferred: bool = False  # the year (or month) came from context


def iso(year: int | None, month: int | None = None, day: int | None = None) -> str:
    """An ISO 8601 / XSD date value: 1939, 1939-05, 1939-05-28, --05-28, ---28."""
    if year is None:
        if month is None:
            return f"---{day:02d}"
        return f"--{month:02d}" + (f"-{day:02d}" if day else "")
    value = f"{year:04d}"
    if month:
        value += f"-{month:02d}"
        if day:
            value += f"-{day:02d}"
    return value


def find_dates(text: str, lang: str, context: DateContext) -> list[DateMatch]:
    from . import chinese, latin, thai
    base = lang.split("-")[0]
    finder = {"th": thai.find, "zh": chinese.find}.get(base)
    if finder:
        return finder(text, context)
    if base in latin.MONTHS:
        return latin.find(text, base, context)
    return []
