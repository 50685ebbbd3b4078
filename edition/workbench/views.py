"""TEI documents → the JSON the workbench page draws: sentences as trees of
text and annotations (only what the original reading shows, so that a
selection's offsets are reading offsets), notes, the taxonomy, the
bibliography and the register entries for the picker."""
from __future__ import annotations

from lxml import etree

from ..edit.document import address_of, sha256
from ..edit.inline import reading
from ..edit.registers import entries
from ..edit.tagging import MACHINE
from ..project import Edition
from ..sources.reading import EDITORIAL
from ..xmlio import NS, XML_ID, XML_LANG, parse_file, tei


def nodes(element) -> list:
    out = [element.text] if element.text else []
    for child in element:
        if isinstance(child.tag, str) and child.tag not in EDITORIAL:
            item = {"tag": etree.QName(child).localname, "address": address_of(child),
                    "attrs": {etree.QName(k).localname: v for k, v in child.attrib.items()},
                    "machine": MACHINE in (child.get("resp") or "").split(),
                    "children": nodes(child)}
            if child.tag == tei("choice"):
                other = child.find(tei("corr")) if child.find(tei("corr")) is not None else child.find(tei("reg"))
                item["attrs"]["reading"] = reading(other) if other is not None else ""
            out.append(item)
        if child.tail:
            out.append(child.tail)
    return out


def source_view(edition: Edition, source_id: str) -> dict:
    path = edition.require_source(source_id)
    data = path.read_bytes()
    root = parse_file(path).getroot()
    original = root.find(".//tei:body/tei:div[@type='original']", NS)
    lang = (original.get(XML_LANG) if original is not None else None) or root.get(XML_LANG) or ""
    english = {(s.get("corresp") or "").lstrip("#"): s
               for s in root.xpath(".//tei:div[@type='translation']//tei:s", namespaces=NS)}
    sentences = []
    for s in (original.iter(tei("s")) if original is not None else []):
        translation = english.get(s.get(XML_ID))
        sentences.append({
            "id": s.get(XML_ID), "paragraph": s.getparent().get(XML_ID), "nodes": nodes(s),
            "text": reading(s),
            "translation": None if translation is None else {
                "id": translation.get(XML_ID), "nodes": nodes(translation), "text": reading(translation)}})
    return {"id": source_id, "lang": lang, "title": _title(root),
            "path": str(path.relative_to(edition.root)), "version": sha256(data),
            "sentences": sentences, "notes": [_note(n) for n in root.iter(tei("note"))
                                              if n.get("type") == "factual-problem"]}


def _title(root) -> str:
    title = root.find(".//tei:titleStmt/tei:title", NS)
    return " ".join("".join(title.itertext()).split()) if title is not None else ""


def _note(note) -> dict:
    part = lambda name: " ".join("".join(e.itertext()).split()) if (e := note.find(f"tei:ab[@type='{name}']", NS)) is not None else ""  # noqa: E731,E501
    evidence = []
    for bibl in note.xpath("tei:listBibl[@type='evidence']/tei:bibl", namespaces=NS):
        ptr, ref, cited = bibl.find(tei("ptr")), bibl.find(tei("ref")), bibl.find(tei("citedRange"))
        if ptr is not None:
            evidence.append({"bib": ptr.get("target"), "locator": cited.text if cited is not None else ""})
        elif ref is not None:
            evidence.append({"url": ref.get("target"), "title": "".join(ref.itertext())})
    return {"id": note.get(XML_ID), "category": note.get("subtype"), "target": note.get("target"),
            "cert": note.get("cert"), "problem": part("problem"), "correction": part("correction"),
            "evidence": evidence}


def edition_view(edition: Edition) -> dict:
    """What every page needs once: sources, taxonomy, bibliography, registers, versions."""
    front = edition.tei_dir / "edition.xml"
    categories = []
    if front.exists():
        for category in parse_file(front).getroot().iter(tei("category")):
            label = category.find(tei("catDesc"))
            categories.append({"id": category.get(XML_ID),
                               "label": " ".join("".join(label.itertext()).split()) if label is not None else ""})
    bibliography = []
    bib_path = edition.tei_dir / "bibliography.xml"
    if bib_path.exists():
        for bibl in parse_file(bib_path).getroot().iter(tei("bibl")):
            if bibl.get(XML_ID):
                bibliography.append({"ref": f"bib:{bibl.get(XML_ID)}",
                                     "label": " ".join("".join(bibl.itertext()).split())[:140]})
    return {"sources": edition.source_ids(), "categories": categories, "bibliography": bibliography,
            "entries": entries(edition), "versions": versions(edition)}


def versions(edition: Edition) -> dict[str, str]:
    return {str(p.relative_to(edition.root)): sha256(p.read_bytes()) for p in edition.tei_files()}
