"""Sibling <text>s, one of them a translation, → a Reading.

TEI Publisher's Serafin letters hold a Latin text and its Polish translation
as `group/text[@type='translation']`; its Dantiscus letters (the Cortés
letter of its demo data) put `text[@type='source']` and
`text[@type='translation']` straight inside the outer <text>, with their
divisions directly under each text (no <body>). Both are read here: the
original is the text typed as one (source, original, edition …), else the
first that is not a translation; the bodies (or the texts themselves) are
aligned; each text's front and back (notes) are rendered whole after the
parallel text."""
from __future__ import annotations

from ..xmlio import NS, tei
from .align import align
from .divs import ORIGINAL_TYPES
from .model import Reading, declared_language, language_of, translated_language


def read(root) -> Reading | None:
    outer = root.find("tei:text", NS)
    if outer is None:
        return None
    holder = outer.find(tei("group"))
    holder = holder if holder is not None else outer
    texts = holder.findall(tei("text"))
    translations = [t for t in texts if t.get("type") == "translation"]
    originals = [t for t in texts if t.get("type") != "translation"]
    if not translations or not originals:
        return None
    original = next((t for kind in ORIGINAL_TYPES for t in originals if t.get("type") == kind), originals[0])
    translation = translations[0]
    body, translated_body = _body(original), _body(translation)
    if body is None or translated_body is None:
        return None
    unit, method, rows = align(body, translated_body)
    lang = language_of(body, declared_language(root))
    rest = [t for t in texts if t is not original and t is not translation]
    before = [e for e in outer if e.tag == tei("front")]
    after = [part for text in (original, translation) if _body(text) is not text
             for part in text if part.tag in (tei("front"), tei("back"))]
    after += rest + [e for e in outer if e.tag == tei("back")]
    encoding = "group/text[@type='translation']" if holder is not outer else \
        f"text[@type='{original.get('type') or 'text'}'] + text[@type='translation']"
    return Reading(encoding, unit, lang, translated_language(root, translated_body, lang),
                   [("", rows)], before, after, method)


def _body(text):
    """A text's body, or the text itself when its divisions stand in it directly (no <body>)."""
    body = text.find(tei("body"))
    if body is not None:
        return body
    return text if any(c.tag == tei("div") for c in text) else None
