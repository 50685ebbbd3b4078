"""group/text[@type='translation'] beside the text it translates → a Reading
(TEI Publisher's Serafin letters: a Latin text and its Polish translation as
sibling <text>s of one <group>). The bodies are aligned; each text's front
and back (notes) are rendered whole after the parallel text."""
from __future__ import annotations

from ..xmlio import NS, tei
from .align import align
from .model import Reading, declared_language, language_of, translated_language


def read(root) -> Reading | None:
    group = root.find("tei:text/tei:group", NS)
    if group is None:
        return None
    texts = group.findall(tei("text"))
    translations = [t for t in texts if t.get("type") == "translation"]
    originals = [t for t in texts if t.get("type") != "translation"]
    if not translations or not originals:
        return None
    original, translation = originals[0], translations[0]
    body, translated_body = original.find(tei("body")), translation.find(tei("body"))
    if body is None or translated_body is None:
        return None
    unit, method, rows = align(body, translated_body)
    before = [e for e in root.find("tei:text", NS) if e is not group and e.tag == tei("front")]
    after = [part for text in texts for part in text if part.tag in (tei("front"), tei("back"))]
    after += [t for t in texts if t is not original and t is not translation]
    after += [e for e in root.find("tei:text", NS) if e.tag == tei("back")]
    return Reading("group/text[@type='translation']", unit,
                   language_of(body, declared_language(root)), translated_language(root, translated_body, language_of(body, declared_language(root))),
                   [("", rows)], before, after, method)
