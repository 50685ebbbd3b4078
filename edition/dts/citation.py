"""A source's view-model → its DTS citation trees: paragraphs, then sentences, in document order.

The default tree cites the original, the tree "translation" the English
counterparts. A unit's identifier is its xml:id: the same string as the
sentence's permalink (`source.html#ID`) and as the reference the notes cite,
so that one reference serves the site, the book and the API.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..xmlio import XML_ID

TRANSLATION = "translation"
CITE_TYPES = {"s": "sentence", "p": "paragraph", "ab": "block", "l": "line", "lg": "stanza",
              "div": "section", "seg": "segment"}


@dataclass
class Unit:
    identifier: str
    level: int
    parent: str | None
    cite_type: str
    element: object
    children: list["Unit"] = field(default_factory=list)


@dataclass
class CitationTree:
    identifier: str | None          # None: the default tree
    description: str
    roots: list[Unit]

    def units(self) -> list[Unit]:
        """Every unit, pre-order depth-first (the specification's document order); found once
        (a tree is made whole by citation_trees and not changed after), since the static API
        asks for it for every unit of the source."""
        if "_units" not in self.__dict__:
            self.__dict__["_units"] = self._walk()
        return self.__dict__["_units"]

    def by_id(self) -> dict[str, Unit]:
        if "_by_id" not in self.__dict__:
            self.__dict__["_by_id"] = {unit.identifier: unit for unit in self.units()}
        return self.__dict__["_by_id"]

    def siblings(self, parent: str | None) -> list[Unit]:
        """The units whose parent is `parent` (None: the top level), in document order."""
        if "_groups" not in self.__dict__:
            groups: dict = {}
            for unit in self.units():
                groups.setdefault(unit.parent, []).append(unit)
            self.__dict__["_groups"] = groups
        return list(self.__dict__["_groups"].get(parent, ()))

    def descendants(self, base: Unit) -> list[Unit]:
        """Every unit below `base`, in document order: in the pre-order list (units()) they
        are the units right after it that are deeper than it."""
        if "_places" not in self.__dict__:
            self.__dict__["_places"] = {id(unit): index for index, unit in enumerate(self.units())}
        units = self.units()
        start = stop = self.__dict__["_places"][id(base)] + 1
        while stop < len(units) and units[stop].level > base.level:
            stop += 1
        return units[start:stop]

    def _walk(self) -> list[Unit]:
        found: list[Unit] = []

        def visit(unit: Unit) -> None:
            found.append(unit)
            for child in unit.children:
                visit(child)
        for root in self.roots:
            visit(root)
        return found

    def cite_structure(self) -> list[dict]:
        types, units = [], self.units()
        for level in range(1, 1 + max((u.level for u in units), default=0)):
            names = sorted({u.cite_type for u in units if u.level == level})
            types.append(" or ".join(names))
        structure: list[dict] = []
        for cite_type in reversed(types):
            structure = [{"citeType": cite_type, **({"citeStructure": structure} if structure else {})}]
        return structure


def cite_type(element) -> str:
    local = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else "unit"
    return CITE_TYPES.get(local, local)


def citation_trees(source) -> list[CitationTree]:
    """The original's tree (default) and, when the source is translated, the translation's."""
    trees = [CitationTree(None, f"{source.title}: the original, by paragraph and sentence",
                          _units(source, lambda pair: (pair.id, pair.original), lambda p: p.id))]
    if any(pair.translation is not None for pair in source.pairs):
        trees.append(CitationTree(TRANSLATION, f"{source.title}: the English translation, by paragraph and sentence",
                                  _units(source, _translation_of, _translation_paragraph)))
    return trees


def _translation_of(pair):
    return (pair.translation_id, pair.translation) if pair.translation is not None else (None, None)


def _translation_paragraph(paragraph) -> str:
    for pair in paragraph.pairs:
        if pair.translation is not None:
            parent = pair.translation.getparent()
            if parent is not None and parent.get(XML_ID):
                return parent.get(XML_ID)
    return f"{paragraph.id}-en"


def _units(source, unit_of, paragraph_id) -> list[Unit]:
    roots: list[Unit] = []
    seen: set[str] = set()
    for paragraph in source.paragraphs:
        members = [(identifier, element) for identifier, element in map(unit_of, paragraph.pairs)
                   if identifier and element is not None and identifier not in seen]
        identifier = paragraph_id(paragraph)
        if not members:
            continue
        if len(members) == 1 and members[0][0] == paragraph.id or not identifier or identifier in seen:
            for unit_id, element in members:  # the unit is the paragraph itself: one level
                roots.append(Unit(unit_id, 1, None, cite_type(element), element))
                seen.add(unit_id)
            continue
        first = members[0][1].getparent()
        head = Unit(identifier, 1, None, cite_type(first) if first is not None else "paragraph", first)
        seen.add(identifier)
        for unit_id, element in members:
            head.children.append(Unit(unit_id, 2, identifier, cite_type(element), element))
            seen.add(unit_id)
        roots.append(head)
    return roots
