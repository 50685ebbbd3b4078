"""Registers: the edition's files and each source's own lists → Entries, and every mention
of an entry in the sources → its Occurrences."""
from __future__ import annotations

import re

from ...corpus import Corpus
from ...readers.passages import anchor
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


# A name that points at an entry: @ref (our encoding, TEI Publisher's), else @corresp (how some
# editions link a name to its list entry). A name inside a correction is the same occurrence as in the sic; one in a
# note is the editors' words, not the source's.
MENTIONS = ("descendant-or-self::*"
            "[self::tei:persName or self::tei:placeName or self::tei:orgName or self::tei:name or self::tei:rs]"
            "[@ref or @corresp]"
            "[not(ancestor::tei:corr or ancestor::tei:reg or ancestor::tei:expan or ancestor::tei:note)]")
_DATA_REF = re.compile(r'(data-ref=")([^"]*)(")')


def pointers(element) -> list[str]:
    """The pointers by which a name refers to register entries."""
    return (element.get("ref") or element.get("corresp") or "").split()


def mentions(view: EditionView, element, document) -> list[tuple[object, Entry]]:
    """(name element, entry) for each name inside `element` (itself included) that points at an entry
    of the registers, whether the edition's (per:zhukov) or the document's own (#K2 → its listPerson)."""
    if element is None:
        return []
    names = element.xpath(MENTIONS, namespaces=NS)
    return [(name, entry) for name in names for pointer in pointers(name)
            if (entry := view.entry_for(pointer, document)) is not None]


def canonical_refs(view: EditionView, html: str, element) -> str:
    """Rendered HTML with each data-ref pointer ("#K2", a document's own) replaced by the entry's
    ref ("tp-serafin-orlik-letter:K2"): the one key the site's popovers and the book's index use."""
    document = view.document_of(element)
    if document is None or "data-ref" not in html:
        return html

    def resolve(match):
        refs = [(entry.ref if (entry := view.entry_for(p, document)) else p) for p in match[2].split()]
        return match[1] + " ".join(refs) + match[3]
    return _DATA_REF.sub(resolve, html)


def link_occurrences(view: EditionView, kept=None) -> None:
    """Every mention of an entry in a source's text (rows and parts rendered whole) → an Occurrence,
    linked to its row unit, else to the nearest element with an id (its anchor on the page).
    `kept(source, make)` (pipeline/summaries.py): a source's occurrences as a summary kept
    between builds, so that an unchanged source's names are not looked up again."""
    by_ref = {e.ref: e for kind in view.entries.values() for e in kind}
    if len(by_ref) != sum(len(kind) for kind in view.entries.values()):
        kept = None  # two entries of one ref: a summary could not say which
    for source in view.sources:
        make = lambda source=source: source_occurrences(view, source)  # noqa: E731
        rows = kept(source, make) if kept is not None else None
        if not _occurrences_shaped(rows, by_ref):
            rows = make()
        for ref, unit, text, lang in rows:
            by_ref[ref].occurrences.append(Occurrence(source.id, unit, text, lang))


def source_occurrences(view: EditionView, source) -> list[list]:
    """[entry ref, row unit or anchor, the name's text, its language] for each mention in a source,
    in text order, then its drama's speakers (sp/@who into its castList/particDesc)."""
    found: list[list] = []
    units = _unit_ids(source)
    text = source.document.root.find("tei:text", NS)
    if text is None:
        return found
    for name, entry in mentions(view, text, source.document):
        unit = _enclosing_unit(name, units)
        lang = source.lang if unit is None or unit[1] == "original" else source.translation_lang
        found.append([entry.ref, unit[0] if unit else (anchor(name) or None), text_of(name), lang])
    for speech in text.iterfind(".//tei:sp[@who]", NS):
        unit = _enclosing_unit(speech, units)
        for pointer in speech.get("who").split():
            if (entry := view.entry_for(pointer, source.document)) is not None:
                said = text_of(speech.find(tei("speaker"))) or entry.name
                found.append([entry.ref, unit[0] if unit else (anchor(speech) or None), said, source.lang])
    return found


def _occurrences_shaped(rows, by_ref: dict) -> bool:
    """Whether a kept summary has source_occurrences' shape, every ref an entry of this view."""
    return isinstance(rows, list) and all(
        isinstance(row, list) and len(row) == 4 and isinstance(row[0], str) and row[0] in by_ref
        and isinstance(row[2], str)
        and (row[1] is None or isinstance(row[1], str)) and (row[3] is None or isinstance(row[3], str))
        for row in rows)


def _enclosing_unit(element, units: dict):
    """(id, side) of the row unit (sentence, segment, block) holding an element, or None."""
    while element is not None and element not in units:
        element = element.getparent()
    return units.get(element) if element is not None else None


def _unit_ids(source: Source) -> dict:
    units = {}
    for pair in source.pairs:
        if pair.original is not None:
            units[pair.original] = (pair.id, "original")
        if pair.translation is not None:
            units[pair.translation] = (pair.translation_id, "translation")
    return units
