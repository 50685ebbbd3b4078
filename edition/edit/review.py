"""The edition's TEI → the queue of machine annotations nobody has reviewed yet.

A machine annotation carries resp="ed:edition-annotate" (edition annotate);
each queue item says where it is (file:line, sentence), what it says (element,
pointer or date, certainty) and the words, with the address the confirm,
correct and reject operations take.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from lxml import etree

from ..project import Edition
from ..xmlio import XML_ID, parse_file
from .document import address_of, sentence_of
from .inline import reading
from .tagging import MACHINE


@dataclass
class Item:
    address: str
    path: str
    line: int
    sentence: str | None
    element: str
    attributes: dict
    words: str
    context: str

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        details = " ".join(f'{k}="{v}"' for k, v in self.attributes.items())
        return f"{self.path}:{self.line}: {self.address}: <{self.element} {details}> \"{self.words}\""


def queue(edition: Edition, source_ids: list[str] | None = None) -> list[Item]:
    items = []
    for source_id in source_ids or edition.source_ids():
        path = edition.require_source(source_id)
        root = parse_file(path).getroot()
        for element in root.iter("{*}*"):
            if MACHINE in (element.get("resp") or "").split():
                items.append(_item(edition, path, element))
    return items


def _item(edition: Edition, path, element) -> Item:
    sentence = sentence_of(element)
    attributes = {etree.QName(k).localname: v for k, v in element.attrib.items()
                  if k not in ("resp", XML_ID)}
    return Item(address_of(element), str(path.relative_to(edition.root)), element.sourceline or 0,
                sentence.get(XML_ID) if sentence is not None else None,
                etree.QName(element).localname, attributes, reading(element),
                reading(sentence) if sentence is not None else "")
