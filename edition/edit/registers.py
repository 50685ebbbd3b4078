"""Register operations: a new entry (person, place, organisation) in the
edition's authority files, with its canonical name, name forms, dates and note.

The entry's xml:id is the lower-case ASCII slug of its canonical English name
(docs/encoding.md, "Pointers"); the pointer to it (per:ID, pla:ID, org:ID) is
what a tag then uses.
"""
from __future__ import annotations

import re
import unicodedata

from lxml import etree

from ..diagnostics import UsageProblem
from ..xmlio import NS, XML_ID, XML_LANG, tei
from .blocks import append_block, block
from .document import Workspace

KINDS = {  # kind -> (file, list, entry, name element, prefix)
    "person": ("persons.xml", "listPerson", "person", "persName", "per"),
    "place": ("places.xml", "listPlace", "place", "placeName", "pla"),
    "org": ("organisations.xml", "listOrg", "org", "orgName", "org"),
}


def slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return text if text and not text[0].isdigit() else f"x-{text}"


def add_entry(ws: Workspace, kind: str, canonical: str, *, identifier: str | None = None,
              forms: list[dict] | None = None, entry_type: str | None = None,
              birth: str | None = None, death: str | None = None, note: str | None = None):
    """Append an entry to the register of `kind`; returns its pointer (per:ID…)."""
    if kind not in KINDS:
        raise UsageProblem(f"unknown register {kind!r} (known: {', '.join(KINDS)})")
    filename, list_name, entry_name, name_element, prefix = KINDS[kind]
    draft = ws.open(ws.edition.registers_dir / filename)
    identifier = identifier or slug(canonical)
    if draft.root.xpath("//*[@xml:id=$id]", id=identifier):
        raise UsageProblem(f"{prefix}:{identifier} exists already: pick it, or give another id")
    listing = draft.root.find(f".//tei:body//tei:{list_name}", NS)
    attributes = {XML_ID: identifier, **({"type": entry_type} if entry_type else {})}
    entry = etree.Element(tei(entry_name), attributes)
    block(entry, name_element, {"type": "canonical", XML_LANG: "en"}, canonical)
    for form in forms or []:
        if form.get("text", "").strip() and form["text"].strip() != canonical:
            extra = {XML_LANG: form["lang"]} if form.get("lang") else {}
            if form.get("type"):
                extra = {"type": form["type"], **extra}
            block(entry, name_element, extra, form["text"].strip())
    if kind == "person":
        for event, value in (("birth", birth), ("death", death)):
            if value:
                block(entry, event, {"when": value}, value)
    if note:
        block(entry, "note", {}, note)
    append_block(listing, entry)
    return f"add {kind} {prefix}:{identifier} ({canonical})", f"{prefix}:{identifier}"


def entries(edition) -> list[dict]:
    """Every register entry with all its name forms and a line of facts (for the picker)."""
    from ..xmlio import parse_file
    found = []
    for kind, (filename, _, entry_name, name_element, prefix) in KINDS.items():
        path = edition.registers_dir / filename
        if not path.exists():
            continue
        for item in parse_file(path).getroot().iter(tei(entry_name)):
            names = [(" ".join("".join(n.itertext()).split()), n.get(XML_LANG), n.get("type"))
                     for n in item.findall(tei(name_element))]
            if not item.get(XML_ID) or not names:
                continue
            canonical = next((t for t, _, kind_ in names if kind_ == "canonical"), names[0][0])
            found.append({"ref": f"{prefix}:{item.get(XML_ID)}", "kind": kind, "label": canonical,
                          "forms": [{"text": t, "lang": lang} for t, lang, _ in names],
                          "facts": _facts(item)})
    return found


def _facts(item) -> str:
    parts = []
    for tag in ("birth", "death", "occupation", "desc", "note"):
        element = item.find(tei(tag))
        if element is not None:
            text = " ".join("".join(element.itertext()).split())
            parts.append({"birth": "b. ", "death": "d. "}.get(tag, "") + text[:160])
        if len(parts) >= 3:
            break
    if item.get("type"):
        parts.insert(0, item.get("type"))
    return "; ".join(parts)
