"""Fact-checking operations: words → a factual-problem note in the house pattern.

The pattern (docs/encoding.md, "Factual problems"): the words are wrapped in
<seg xml:id="ID-segN">, and <back><div type="apparatus"> receives
<note type="factual-problem" subtype="CATEGORY" xml:id="ID-fpN" target="#ID-segN"
resp="ed:editors" cert="…"> with <ab type="problem">, <ab type="correction">
and <listBibl type="evidence">: a <bibl><ptr target="bib:…"/> (with a
<citedRange> locator) or a <bibl><ref target="URL">title</ref>. The ids are
assigned here; the checker refuses an unknown category or missing evidence.
"""
from __future__ import annotations

from lxml import etree

from ..diagnostics import UsageProblem
from ..xmlio import NS, XML_ID, tei
from .blocks import append_block, block, next_id
from .document import Workspace
from .tagging import _wrap_kind, words

NOTE_PARTS = ("problem", "correction")


def add_note(ws: Workspace, sentence: str | None = None, *, category: str, problem: str,
             correction: str | None = None, evidence: list[dict] | None = None, cert: str = "medium",
             target: str | None = None, start: int | None = None, end: int | None = None,
             phrase: str | None = None, nth: int = 1, who: str = "ed:editors"):
    """A new factual-problem note about words of `sentence` (wrapped in a new
    seg) or about an element that already has an xml:id (`target`)."""
    if target:
        draft, element = ws.element(target)
        if not element.get(XML_ID):
            raise UsageProblem(f"{target} has no xml:id to point at")
    elif sentence:
        draft, container = ws.element(sentence)
        a, b = words(container, start, end, phrase, nth)
        element = _wrap_kind(draft.root, container, a, b, "seg", None, {}, None)
    else:
        raise UsageProblem("say which words the note is about (a sentence and words, or a target id)")
    root = draft.root
    note = etree.Element(tei("note"), {"type": "factual-problem", "subtype": category,
                                       XML_ID: next_id(root, f"{root.get(XML_ID)}-fp"),
                                       "target": f"#{element.get(XML_ID)}", "resp": who, "cert": cert})
    fill_note(note, problem, correction, evidence or [])
    append_block(apparatus(root), note)
    return f"add factual problem {note.get(XML_ID)} ({category}) about {element.get(XML_ID)}", note.get(XML_ID)


def edit_note(ws: Workspace, note_id: str, *, category: str | None = None, problem: str | None = None,
              correction: str | None = None, evidence: list[dict] | None = None, cert: str | None = None):
    """Change the parts of an existing note; the parts not given stay as they are."""
    _, note = ws.element(note_id)
    if note.get("type") != "factual-problem":
        raise UsageProblem(f"{note_id} is not a factual-problem note")
    for name, value in (("subtype", category), ("cert", cert)):
        if value:
            note.set(name, value)
    for part, text in (("problem", problem), ("correction", correction)):
        if text is not None:
            _set_part(note, part, text)
    if evidence is not None:
        old = note.find("tei:listBibl[@type='evidence']", NS)
        if old is None:
            append_block(note, evidence_list(evidence))
        else:
            _refill(old, evidence_list(evidence))
    return f"edit factual problem {note_id}", note_id


def _set_part(note, part: str, text: str) -> None:
    existing = note.find(f"tei:ab[@type='{part}']", NS)
    if existing is None:
        existing = etree.Element(tei("ab"), {"type": part})
        problem = note.find("tei:ab[@type='problem']", NS)
        if part == "correction" and problem is not None:
            append_block(note, existing, after=problem)
        else:
            append_block(note, existing)
    for child in list(existing):
        existing.remove(child)
    existing.text = text


def fill_note(note, problem: str, correction: str | None, evidence: list[dict]) -> None:
    block(note, "ab", {"type": "problem"}, problem)
    if correction:
        block(note, "ab", {"type": "correction"}, correction)
    note.append(evidence_list(evidence))
    note[-1].set("_block", "1")


def evidence_list(evidence: list[dict]):
    listing = etree.Element(tei("listBibl"), {"type": "evidence"})
    for item in evidence:
        bibl = block(listing, "bibl")
        if item.get("bib"):
            etree.SubElement(bibl, tei("ptr"), {"target": item["bib"]})
            if item.get("locator"):
                etree.SubElement(bibl, tei("citedRange")).text = item["locator"]
        elif item.get("url"):
            ref = etree.SubElement(bibl, tei("ref"), {"target": item["url"]})
            ref.text = item.get("title") or item["url"]
        else:
            raise UsageProblem("each piece of evidence is a bibliography entry (bib:…) or a URL with a title")
    return listing


def _refill(listing, replacement) -> None:
    """Put new evidence into an existing listBibl, keeping its indentation."""
    inner = listing.text or "\n"
    closing = listing[-1].tail if len(listing) else inner
    for child in list(listing):
        listing.remove(child)
    for child in list(replacement):
        child.attrib.pop("_block", None)
        listing.append(child)
        child.tail = inner
    if len(listing):
        listing[-1].tail = closing


def apparatus(root):
    """The source's <back><div type="apparatus">, created if missing."""
    found = root.find(".//tei:back/tei:div[@type='apparatus']", NS)
    if found is not None:
        return found
    text = root.find(tei("text"))
    back = text.find(tei("back"))
    if back is None:
        back = etree.Element(tei("back"))
        append_block(text, back)
    division = etree.Element(tei("div"), {"type": "apparatus"})
    append_block(back, division)
    return division
