"""The edition's integrity rules → diagnostics: what the text, its notes and
its translation promise each other.

- received-text: the original reading still hashes to the SHA-256 the header
  recorded at import (sourceDesc/bibl/idno[@type='sha256']): a character of
  the original changed, by hand or by a tool, is an error.
- note-part: a factual-problem note is made of a closed list of parts
  (ab type="problem" | "correction", listBibl type="evidence"); anything else
  would silently vanish from the HTML and the PDF (e.g. a misspelt
  `<ab type="corection">`).
- translated-name (warning): where an original sentence and its translation
  each name one person (or place, or organisation), it is the same name and
  should point to the same entry.
"""
from __future__ import annotations

import hashlib

from lxml import etree

from ..corpus import Document
from ..diagnostics import WARNING, Diagnostic
from ..sources.reading import original_text
from ..xmlio import NS, XML_ID, tei

NOTE_PARTS = {"ab": {"problem", "correction"}, "listBibl": {"evidence"}}
NAMES = ("persName", "placeName", "orgName")


def check(corpus, document: Document, context=None) -> list[Diagnostic]:
    return received_text(document) + note_parts(document) + translated_names(document)


def _at(document, node, rule, message, severity="error") -> Diagnostic:
    return Diagnostic.at(node, rule, message, document.path, severity)


def received_text(document: Document) -> list[Diagnostic]:
    recorded = document.root.find(".//tei:sourceDesc/tei:bibl/tei:idno[@type='sha256']", NS)
    if recorded is None or not (recorded.text or "").strip():
        return []
    actual = hashlib.sha256(original_text(document.root).encode("utf-8")).hexdigest()
    if actual == recorded.text.strip():
        return []
    return [_at(document, recorded, "received-text",
                "the original text no longer matches the SHA-256 recorded at import: a character of "
                "the original reading was changed (compare `edition text ID` with the received file; "
                "corrections go beside it in choice/sic/corr)")]


def note_parts(document: Document) -> list[Diagnostic]:
    found = []
    for note in document.root.xpath(".//tei:note[@type='factual-problem']", namespaces=NS):
        for part in note:
            if not isinstance(part.tag, str):
                continue
            name = etree.QName(part).localname
            allowed = NOTE_PARTS.get(name)
            if allowed is None or part.get("type") not in allowed:
                known = ', '.join(f'<{n} type="{t}">' for n, ts in NOTE_PARTS.items() for t in sorted(ts))
                found.append(_at(document, part, "note-part",
                                 f'<{name}{_type(part)}> is not a part of a factual-problem note '
                                 f"(the parts are {known}); it would not be shown"))
    return found


def _type(part) -> str:
    return f' type="{part.get("type")}"' if part.get("type") else ""


def translated_names(document: Document) -> list[Diagnostic]:
    english = {(s.get("corresp") or "").lstrip("#"): s
               for s in document.root.xpath(".//tei:div[@type='translation']//tei:s[@corresp]", namespaces=NS)}
    found = []
    for original in document.root.xpath(".//tei:div[@type='original']//tei:s[@xml:id]", namespaces=NS):
        counterpart = english.get(original.get(XML_ID))
        if counterpart is None:
            continue
        for name in NAMES:
            there, here = _refs(original, name), _refs(counterpart, name)
            if len(there) == len(here) == 1 and there != here:  # one each: they are the same name
                found.append(_at(document, counterpart, "translated-name",
                                 f"<{name}> points to {here[0]} in the translation but to {there[0]} in "
                                 f"the original sentence {original.get(XML_ID)}: the same name should "
                                 "point to the same entry", WARNING))
    return found


def _refs(sentence, name: str) -> list[str]:
    return [ref for element in sentence.iter(tei(name))
            if not any(a.tag in (tei("note"), tei("corr"), tei("reg")) for a in element.iterancestors())
            for ref in (element.get("ref") or "").split()]
