"""The sources' figures (num, measure) → compared by event and by side.

A figure is read as belonging to the side of the army, unit or government
the sentence names nearest to it (counted in characters): "the Kwantung
Army's Shibuya detachment, 1,500 men" is a Japanese figure. A state does not
decide a side ("the Japanese violated the border of the Soviet Union 230
times" counts Japanese acts), but a sentence that names both sides, by unit
or by state, leaves its figures undetermined ("against the 12,500 Soviet
soldiers the Japanese assembled 33,000"); distances belong to no side. The
page lists those apart rather than guess. The sides are the register's
organisations and states, grouped by their ids below.
Each figure keeps the source's words around it, linked to its sentence.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..xmlio import NS
from .collect import EditionView, text_of

# The two sides of the border wars, by register id (prefix) of organisations and states.
SIDES = [
    ("Soviet and Mongolian", ("org:soviet-", "org:red-army", "org:okdva", "org:nkvd", "org:nkid", "org:mongolian-",
                              "org:mpr", "pla:soviet-union", "pla:mongolia", "pla:outer-mongolia")),
    ("Japanese and Manchukuo", ("org:japanese-", "org:ija", "org:kwantung-", "org:azuma-", "org:shibuya-",
                                "org:manchukuo-", "org:xingan-", "org:privy-council-japan", "org:army-ministry-japan",
                                "pla:japan", "pla:manchukuo")),
]
NO_SIDE = "No side: no unit named, or a distance"
BOTH_SIDES = "Both sides named in the sentence: side not determined"
MENTIONS = ".//tei:orgName[@ref][not(ancestor::tei:note)]"  # units and governments decide a side
NAMED = ".//*[self::tei:orgName or self::tei:placeName][@ref][not(ancestor::tei:note)]"  # states only rule one out


def side_of(ref: str) -> str | None:
    for label, prefixes in SIDES:
        if any(ref == p or ref.startswith(p) for p in prefixes):
            return label
    return None


@dataclass
class Figure:
    source_id: str
    sentence_id: str
    sentence_number: int
    kind: str
    value: str
    words: str         # the source's words around the figure
    figure_text: str   # the figure as written
    translation: str
    side: str


def _offsets(sentence) -> dict:
    """Where each element starts in the sentence's text, in characters."""
    offsets, position = {}, 0

    def walk(element):
        nonlocal position
        offsets[element] = position
        position += len(element.text or "")
        for child in element:
            walk(child)
            position += len(child.tail or "")
    walk(sentence)
    return offsets


def _side(sentence, element) -> str:
    """The side of the unit named nearest the figure (in characters; before it on
    a tie) — unless the sentence names both sides (a unit or a state of each):
    then the figure could be either's, and no side is given."""
    if element.tag.endswith("measure"):
        return NO_SIDE  # a distance or a length is not one side's
    offsets = _offsets(sentence)
    at = offsets.get(element, 0)
    named = {side for mention in sentence.xpath(NAMED, namespaces=NS)
             for side in map(side_of, mention.get("ref").split()) if side}
    if len(named) > 1:
        return BOTH_SIDES
    nearest = None
    for mention in sentence.xpath(MENTIONS, namespaces=NS):
        side = next(filter(None, map(side_of, mention.get("ref").split())), None)
        if side is None:
            continue
        start = offsets[mention]
        distance = at - (start + len(text_of(mention))) if start < at else start - at + 0.5
        if nearest is None or distance < nearest[0]:
            nearest = (distance, side)
    return nearest[1] if nearest else NO_SIDE


def _window(text: str, words: str, width: int = 60) -> str:
    at = text.find(words) if words else -1
    if at < 0:
        return text if len(text) <= 2 * width else text[:2 * width] + " …"
    start, end = max(0, at - width), min(len(text), at + len(words) + width)
    return ("… " if start else "") + text[start:end].strip() + (" …" if end < len(text) else "")


def figures_by_event(view: EditionView) -> list[tuple[object, list[tuple[str, list[tuple[str, list[Figure]]]]]]]:
    """[(event or None, [(side, [(kind, [figures])])])] in the order of the events."""
    grouped: dict[str | None, dict[str, dict[str, list[Figure]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list)))
    for source in view.sources:
        pairs = {pair.id: pair for pair in source.pairs}
        for pair in (p for p in pairs.values() if p.original is not None):  # a translation unit may stand alone
            for element in pair.original.xpath(".//tei:num | .//tei:measure", namespaces=NS):
                if element.xpath("ancestor::tei:note", namespaces=NS):
                    continue
                value = element.get("value") or element.get("quantity") or element.get("atLeast") or \
                    element.get("atMost") or ""
                if element.get("unit"):
                    value = f"{value} {element.get('unit')}"
                words = text_of(element)
                figure = Figure(source.id, pair.id, pair.number,
                                (element.get("type") or element.tag.rsplit("}", 1)[-1]).replace("-", " "),
                                value, _window(text_of(pair.original), words), words,
                                text_of(pair.translation), _side(pair.original, element))
                for event in pair.events or [None]:
                    grouped[event][figure.side][figure.kind].append(figure)
    order = [e for e in view.events if e.id in grouped]
    side_order = [label for label, _ in SIDES] + [BOTH_SIDES, NO_SIDE]
    result = []
    for event in order + ([None] if None in grouped else []):
        sides = grouped[event.id if event is not None else None]
        result.append((event, [(side, sorted(sides[side].items())) for side in side_order if side in sides]))
    return result

