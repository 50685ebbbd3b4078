"""This edition's encoding → a Reading: sentences of div[@type='original'], paired with
the English s[@corresp] of div[@type='translation'] (docs/encoding.md), one row group per <p>."""
from __future__ import annotations

from ..xmlio import NS, XML_ID, XML_LANG, tei
from .model import Reading, Unit


def read(root) -> Reading | None:
    original = root.find(".//tei:body/tei:div[@type='original']", NS)
    if original is None or original.find(f".//{tei('s')}") is None:
        return None
    translations = {s.get("corresp").lstrip("#"): s for s in root.xpath(  # an empty one is a draft: untranslated
        ".//tei:div[@type='translation']//tei:s[@corresp]", namespaces=NS) if "".join(s.itertext()).strip()}
    translation_div = root.find(".//tei:body/tei:div[@type='translation']", NS)
    paragraphs = [(p.get(XML_ID, ""), [Unit(s, translations.get(s.get(XML_ID))) for s in p.iter(tei("s"))])
                  for p in original.iter(tei("p"))]
    return Reading("house (div[@type='original']//s)", "s", original.get(XML_LANG, ""),
                   translation_div.get(XML_LANG, "en") if translation_div is not None else "",
                   paragraphs, alignment="pointers",
                   elsewhere=root.xpath("tei:text/tei:back/tei:div[@type='apparatus']", namespaces=NS))
