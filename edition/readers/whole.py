"""A source with no translation → a Reading with no parallel text: its whole
<text> (front, body, back, notes, apparatus) is rendered through the ODD."""
from __future__ import annotations

from ..xmlio import NS
from .model import Reading, declared_language, language_of, prevailing_language


def read(root) -> Reading:
    text = root.find("tei:text", NS)
    lang = language_of(text, declared_language(root)) if text is not None else declared_language(root)
    if not lang and text is not None:
        lang = prevailing_language(text)
    return Reading("no translation: rendered whole", lang=lang, after=[text] if text is not None else [])
