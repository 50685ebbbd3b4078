"""The sources' figures (num, measure) → compared by event and by side.

A figure is read as belonging to the side of the army or state the sentence
names nearest before it (else nearest after it): "the Japanese lost 180
aircraft" is a Japanese figure. The sides are the register's organisations
and states, grouped by their ids below; a sentence that names neither side
gives a figure of no stated side, and the page says so rather than guess.
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
                              "org:mpr", "pla:soviet-union", "pla:mongolia", "pla:outer-mongolia", "pla:russian-empire")),
    ("Japanese and Manchukuo", ("org:japanese-", "org:ija", "org:kwantung-", "org:azuma-", "org:shibuya-",
                                "org:manchukuo-", "org:xingan-", "org:privy-council-japan", "org:army-ministry-japan",
                                "pla:japan", "pla:manchukuo")),
]
NO_SIDE = "No side named in the sentence"
MENTIONS = ".//*[self::tei:orgName or self::tei:placeName][@ref][not(ancestor::tei:note)]"


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


def _side(sentence, element) -> str:
    order = {e: i for i, e in enumerate(sentence.iter())}
    at = order.get(element, 0)
    mentions = []
    for mention in sentence.xpath(MENTIONS, namespaces=NS):
        side = next(filter(None, map(side_of, mention.get("ref").split())), None)
        if side:
            mentions.append((order[mention], side))
    before = [side for position, side in mentions if position < at]
    after = [side for position, side in mentions if position > at]
    return before[-1] if before else after[0] if after else NO_SIDE


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
        for pair in pairs.values():
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
    side_order = [label for label, _ in SIDES] + [NO_SIDE]
    result = []
    for event in order + ([None] if None in grouped else []):
        sides = grouped[event.id if event is not None else None]
        result.append((event, [(side, sorted(sides[side].items())) for side in side_order if side in sides]))
    return result

