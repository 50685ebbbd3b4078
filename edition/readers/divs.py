"""div[@type='translation'] beside the original → a Reading (TEI Publisher's Van Gogh
letters: div[@type='original'] and div[@type='translation']; EpiDoc:
div[@type='edition'] and one translation div per language), or a div whose
@corresp points to a sibling div. Of several translations the fullest is set
beside the original; the other parts of the body (apparatus, commentary,
other translations, notes) are rendered whole, before or after it."""
from __future__ import annotations

from ..xmlio import NS, XML_ID, tei
from .align import align
from .model import Reading, declared_language, language_of, translated_language

ORIGINAL_TYPES = ("original", "edition", "transcription", "source")


def read(root) -> Reading | None:
    body = root.find("tei:text/tei:body", NS)
    if body is None:
        return None
    pair = _typed(body) or _corresponding(body)
    if pair is None:
        return None
    original, translation = pair
    unit, method, rows = align(original, translation)
    children = [c for c in body if isinstance(c.tag, str)]
    start = children.index(original)
    text = root.find("tei:text", NS)
    before = [e for e in text if e.tag == tei("front")] + [c for c in children[:start] if c is not translation]
    after = [c for c in children[start + 1:] if c is not translation] + [e for e in text if e.tag == tei("back")]
    return Reading("div[@type='translation']" if translation.get("type") == "translation" else "div/@corresp",
                   unit, language_of(original, declared_language(root)), translated_language(root, translation, language_of(original, declared_language(root))),
                   [("", rows)], before, after, method)


def _typed(body):
    translations = body.findall("tei:div[@type='translation']", NS)
    if not translations:
        return None
    originals = [d for t in ORIGINAL_TYPES for d in body.findall(f"tei:div[@type='{t}']", NS)]
    originals = originals or [d for d in body.findall(tei("div")) if d.get("type") not in
                              ("translation", "commentary", "apparatus", "bibliography", "notes")]
    if not originals:
        return None
    fullest = max(translations, key=lambda d: len("".join(d.itertext()).strip()))
    return originals[0], fullest


def _corresponding(body):
    """A div pointing at a sibling with @corresp, or whose units (p, ab, s …) point into one."""
    divs = body.findall(tei("div"))
    by_id = {d.get(XML_ID): d for d in divs if d.get(XML_ID)}
    for div in divs:
        for pointer in (div.get("corresp") or "").split():
            target = by_id.get(pointer.lstrip("#"))
            if target is not None and target is not div:
                return target, div
    owner = {e.get(XML_ID): d for d in divs for e in d.iter() if isinstance(e.tag, str) and e.get(XML_ID)}
    for div in divs:
        pointed = [owner.get(p.lstrip("#")) for e in div.iterdescendants() if isinstance(e.tag, str)
                   for p in (e.get("corresp") or "").split()]
        targets = {d for d in pointed if d is not None and d is not div}
        if len(targets) == 1:
            return targets.pop(), div
    return None
