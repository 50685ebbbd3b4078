"""Authority files → name forms: every way the sources write each entry's name.

A register entry (person, place, org) lists its names in persName / placeName
/ orgName children; each becomes a NameForm pointing back to the entry
through the prefix of its register (per:, pla:, org:).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..xmlio import XML_ID, XML_LANG, parse_file, tei

# register file → (entry element, name element, pointer prefix)
REGISTERS = {
    "persons.xml": ("person", "persName", "per"),
    "places.xml": ("place", "placeName", "pla"),
    "organisations.xml": ("org", "orgName", "org"),
}


@dataclass(frozen=True)
class NameForm:
    text: str
    element: str      # the TEI element that marks a mention: persName, placeName, orgName
    ref: str          # the pointer to the register entry, e.g. per:zhukov
    lang: str | None  # the language the form is written in, if the register says


def load_name_forms(registers_dir: Path) -> list[NameForm]:
    forms: list[NameForm] = []
    for filename, (entry, name, prefix) in REGISTERS.items():
        path = registers_dir / filename
        if path.exists():
            forms.extend(_forms(parse_file(path).getroot(), entry, name, prefix))
    return forms


def _forms(root, entry: str, name: str, prefix: str):
    for item in root.iter(tei(entry)):
        identifier = item.get(XML_ID)
        if not identifier:
            continue
        for label in item.findall(tei(name)):  # direct children: not names of sub-entries
            text = " ".join("".join(label.itertext()).split())
            if text:
                yield NameForm(text, name, f"{prefix}:{identifier}", _lang(label))


def _lang(element) -> str | None:
    while element is not None:
        if element.get(XML_LANG):
            return element.get(XML_LANG)
        element = element.getparent()
    return None
