"""An original part and its translation → rows of units, at the finest unit both share.

Levels, finest first: s, seg, then the paragraph-like p/ab/l (with the
letter's opener, closer and signed), then div; the part itself is the last
resort. At a level both sides use, the translation's units are matched to the
original's by @corresp when they carry it (explicit alignment), else in order
when the counts agree, else by a dynamic-programming alignment on text
length (Gale & Church 1993: translations keep roughly the length of their
originals), which leaves a unit without counterpart where one side has more.
Units without text (an empty ab holding a line break) take no row.
"""
from __future__ import annotations

from statistics import median

from ..sources.reading import element_text
from ..xmlio import XML_ID, tei
from .model import Unit

LEVELS = (("s",), ("seg",), ("p", "ab", "l", "opener", "closer", "signed", "salute", "head"), ("div",))


def units_of(part, names: tuple[str, ...]) -> list:
    """The outermost elements named `names` inside `part` (not in a note), with text, in document order."""
    wanted = {tei(n) for n in names}
    return [element for element in part.iterdescendants(*wanted)
            if not any(a.tag in wanted or a.tag == tei("note") for a in _below(element, part))
            and _words(element)]


def _below(element, part):
    """The ancestors of `element` inside `part`."""
    for ancestor in element.iterancestors():
        if ancestor is part:
            return
        yield ancestor


def _words(element) -> str:
    return " ".join("".join(element.itertext()).split())


def leftovers(part, units) -> list:
    """Elements of `part` with text that no unit holds (a heading, a block of notes), outermost first."""
    inside = set(units)  # elements themselves, not id(): lxml proxies are not kept alive otherwise
    holders = {a for u in units for a in _below(u, part)}
    found = []

    def walk(element):
        for child in element:
            if not isinstance(child.tag, str) or child in inside:
                continue
            if child in holders:
                walk(child)
            elif _words(child):
                found.append(child)
    walk(part)
    return found


def align(original, translation) -> tuple[str, str, list[Unit]]:
    """(unit name, method, rows) for an original part and its translation."""
    for names in LEVELS:
        left, right = units_of(original, names), units_of(translation, names)
        if not left or not right or not _comparable(len(left), len(right)):
            continue
        rows = _by_pointers(left, right)
        if rows is not None:
            return _name(left), "pointers", _in_place(original, translation, left, right, rows)
        if len(left) == len(right):
            rows = [Unit(a, b) for a, b in zip(left, right)]
            return _name(left), "order", _in_place(original, translation, left, right, rows)
        return _name(left), "lengths", _in_place(original, translation, left, right, by_lengths(left, right))
    return "div", "whole", [Unit(original, translation)]


def _in_place(original, translation, left, right, rows) -> list[Unit]:
    """The rows with the text no unit holds given rows of its own, where it stands in the document."""
    pending = {"original": leftovers(original, left), "translation": leftovers(translation, right)}
    order = {e: i for i, e in enumerate(original.getroottree().iter())}
    result = []

    def flush(side, before):
        while pending[side] and (before is None or order[pending[side][0]] < order[before]):
            element = pending[side].pop(0)
            result.append(Unit(element, None) if side == "original" else Unit(None, element))
    for row in rows:
        if row.original is not None:
            flush("original", row.original)
        if row.translation is not None:
            flush("translation", row.translation)
        result.append(row)
    flush("original", None)
    flush("translation", None)
    return result


def _name(units) -> str:
    return "/".join(sorted({u.tag.rsplit("}", 1)[-1] for u in units}))


def _comparable(a: int, b: int) -> bool:
    """Counts close enough for the units to be counterparts (a few added or lost)."""
    return abs(a - b) <= max(2, min(a, b) // 5)


def _by_pointers(left, right) -> list[Unit] | None:
    """Rows from the translation units' @corresp, when most of them point at original units."""
    ids = {u.get(XML_ID): u for u in left if u.get(XML_ID)}
    pointing = {}
    for unit in right:
        for pointer in (unit.get("corresp") or "").split():
            if pointer.lstrip("#") in ids:
                pointing.setdefault(pointer.lstrip("#"), unit)
    if len(pointing) < max(1, len(right) // 2):
        return None
    rows = [Unit(u, pointing.get(u.get(XML_ID))) for u in left]
    paired = {r.translation for r in rows if r.translation is not None}
    rows += [Unit(None, u) for u in right if u not in paired]
    return rows


def by_lengths(left, right) -> list[Unit]:
    """Gale–Church style alignment allowing 1–1, 1–0 and 0–1 rows: a pair costs its relative
    length mismatch (0–1) once the typical length ratio is allowed for, a unit left alone costs 1."""
    a = [len(element_text(e)) for e in left]
    b = [len(element_text(e)) for e in right]
    ratio = (median(b) or 1) / (median(a) or 1)  # medians: a unit one side lacks does not skew it
    inf = float("inf")
    cost = [[inf] * (len(b) + 1) for _ in range(len(a) + 1)]
    step = [[None] * (len(b) + 1) for _ in range(len(a) + 1)]
    cost[0][0] = 0.0
    for i in range(len(a) + 1):
        for j in range(len(b) + 1):
            here = cost[i][j]
            if here == inf:
                continue
            for di, dj, extra in ((1, 1, lambda: abs(a[i] * ratio - b[j]) / (a[i] * ratio + b[j] + 1)),
                                  (1, 0, lambda: 1.0), (0, 1, lambda: 1.0)):
                if i + di <= len(a) and j + dj <= len(b):
                    total = here + extra()
                    if total < cost[i + di][j + dj]:
                        cost[i + di][j + dj], step[i + di][j + dj] = total, (di, dj)
    rows, i, j = [], len(a), len(b)
    while i or j:
        di, dj = step[i][j]
        rows.append(Unit(left[i - 1] if di else None, right[j - 1] if dj else None))
        i, j = i - di, j - dj
    return rows[::-1]
