"""Registers: the edition's files and each source's own lists → Entries, and every mention
of an entry in the sources → its Occurrences."""
from __future__ import annotations

from ...corpus import Corpus
from ...sorting import entry_sort_key
from ...xmlio import NS, XML_ID, XML_LANG, tei
from .model import Source, text_of
from .view import EditionView, Entry, Occurrence


def entries_of(corpus: Corpus, sources: list[Source], kind, name, prefix, filename) -> list[Entry]:
    """A register: the edition's file (tei/registers/), then the lists each source holds
    (particDesc, standOff, listPerson/listPlace/listOrg in its header or back)."""
    document = corpus.documents.get((corpus.edition.registers_dir / filename).resolve())
    entries = [] if document is None else [
        _entry(item, kind, name, item.get(XML_ID), f"{prefix}:{item.get(XML_ID)}", document.path)
        for item in document.root.iter(tei(kind))]
    for source in sources:
        for item in source.document.root.iter(tei(kind)):
            identifier = item.get(XML_ID) or next((n.get(XML_ID) for n in item.findall(tei(name))
                                                   if n.get(XML_ID)), None)
            if identifier:
                entry = _entry(item, kind, name, f"{source.id}-{identifier}", f"{source.id}:{identifier}",
                               source.document.path, identifier)
                entries.append(entry)
                if source.report is not None:
                    source.report.entries += 1
    return sorted(entries, key=lambda e: e.sort_key)


def _entry(item, kind, name, entry_id, ref, path, identifier=None) -> Entry:
    names = item.findall(tei(name))
    canonical = next((n for n in names if n.get("type") == "canonical"), names[0] if names else None)
    forms = [(text_of(n), n.get(XML_LANG) or "") for n in names]
    entry = Entry(kind, entry_id, ref, text_of(canonical) or identifier or entry_id, item, forms)
    entry.keys = {(path, i) for i in [identifier or item.get(XML_ID)] + [n.get(XML_ID) for n in names] if i}
    entry.sort_key = entry_sort_key(kind, item, canonical, entry.name)
    return entry


def link_occurrences(view: EditionView) -> None:
    for source in view.sources:
        units = _unit_ids(source)
        for element in source.document.root.xpath(
                ".//tei:body//*[self::tei:persName or self::tei:placeName or self::tei:orgName][@ref]"
                "[not(ancestor::tei:corr or ancestor::tei:reg or ancestor::tei:expan or ancestor::tei:note)]",
                namespaces=NS):  # a name inside a correction is the same occurrence as in the sic
            for ref in element.get("ref").split():
                entry = view.entry_for(ref, source.document)
                if entry:
                    entry.occurrences.append(Occurrence(source.id, _enclosing_unit(element, units), text_of(element)))


def _enclosing_unit(element, units: dict):
    """The id of the row unit (sentence, segment, block) holding an element, or None."""
    while element is not None and element not in units:
        element = element.getparent()
    return units.get(element) if element is not None else None


def _unit_ids(source: Source) -> dict:
    units = {}
    for pair in source.pairs:
        if pair.original is not None:
            units[pair.original] = pair.id
        if pair.translation is not None:
            units[pair.translation] = pair.translation_id
    return units
