"""Tagging operations: words in a sentence → names, dates, figures, corrections;
existing tags retargeted, resized or removed; machine annotations confirmed or
rejected.

Each function is `operation(workspace, **arguments) -> (summary, result)` and
only changes trees; `apply` does the checking and writing. Words are given as
reading offsets (`start`, `end`) or as a `phrase` with `nth` (1 = the first
occurrence), see inline.py.
"""
from __future__ import annotations

import datetime as dt

from lxml import etree

from ..diagnostics import UsageProblem
from ..xmlio import XML_ID, tei
from .blocks import append_block, next_id
from .document import Workspace, address_of, sentence_of
from .inline import find_phrase, reading, unwrap, unwrap_choice, wrap

MACHINE = "ed:edition-annotate"
NAME_ELEMENTS = {"per": "persName", "pla": "placeName", "org": "orgName"}
DATE_ATTRIBUTES = ("when", "from", "to", "notBefore", "notAfter")
KINDS = ("person", "place", "org", "date", "figure", "measure", "sic", "orig", "seg")


def words(element, start: int | None, end: int | None, phrase: str | None, nth: int = 1) -> tuple[int, int]:
    if phrase is not None:
        return find_phrase(element, phrase, nth)
    if start is None or end is None:
        raise UsageProblem("give the words: a phrase, or start and end offsets")
    return int(start), int(end)


def tag(ws: Workspace, sentence: str, kind: str, *, ref: str | None = None,
        start: int | None = None, end: int | None = None, phrase: str | None = None, nth: int = 1,
        attributes: dict | None = None, correction: str | None = None):
    """Wrap words of an element (a sentence) in a new annotation."""
    draft, container = ws.element(sentence)
    a, b = words(container, start, end, phrase, nth)
    text = reading(container)[a:b]
    element = _wrap_kind(draft.root, container, a, b, kind, ref, dict(attributes or {}), correction)
    return f'tag "{text}" in {sentence} as {_describe(element)}', address_of(element)


def _wrap_kind(root, container, a, b, kind, ref, attributes, correction):
    attributes = {k: str(v) for k, v in attributes.items() if v not in (None, "")}
    if kind in ("person", "place", "org", "name"):
        if not ref:
            raise UsageProblem(f"a {kind} needs a register entry (ref), e.g. per:zhukov")
        element_name = NAME_ELEMENTS.get(ref.split(":")[0], {"person": "persName", "place": "placeName",
                                                             "org": "orgName"}.get(kind, "name"))
        return wrap(container, a, b, tei(element_name), {"ref": ref, **attributes})
    if kind == "date":
        if not any(attributes.get(n) for n in DATE_ATTRIBUTES):
            raise UsageProblem("a date needs @when, or @from/@to, or @notBefore/@notAfter")
        return wrap(container, a, b, tei("date"), attributes)
    if kind in ("figure", "measure"):
        name = "measure" if kind == "measure" or "quantity" in attributes else "num"
        return wrap(container, a, b, tei(name), attributes)
    if kind in ("sic", "orig"):
        if correction is None:
            raise UsageProblem(f"a {kind} needs the {'corrected' if kind == 'sic' else 'regularised'} reading")
        original = wrap(container, a, b, tei(kind), {})
        choice = etree.Element(tei("choice"), nsmap=container.nsmap)
        original.addprevious(choice)
        choice.tail, original.tail = original.tail, None
        choice.append(original)
        other = etree.SubElement(choice, tei("corr" if kind == "sic" else "reg"), attributes)
        other.text = correction
        return choice
    if kind == "seg":
        stem = f"{root.get(XML_ID)}-seg"
        return wrap(container, a, b, tei("seg"), {XML_ID: next_id(root, stem), **attributes})
    raise UsageProblem(f"unknown kind {kind!r} (known: {', '.join(KINDS)})")


def _describe(element) -> str:
    name = etree.QName(element).localname
    details = " ".join(f'{etree.QName(k).localname}="{v}"' for k, v in element.attrib.items())
    return f"<{name} {details}>".replace(" >", ">")


def retarget(ws: Workspace, address: str, *, ref: str | None = None, attributes: dict | None = None):
    """Change an annotation's pointer or attributes (None removes one); a changed
    machine annotation becomes the editors' own."""
    _, element = ws.element(address)
    if ref:
        element.set("ref", ref)
    for name, value in (attributes or {}).items():
        if value in (None, ""):
            element.attrib.pop(name, None)
        else:
            element.set(name, str(value))
    if _is_machine(element):
        element.set("resp", "ed:editors")
    return f"set {address} to {_describe(element)}", address_of(element)


def resize(ws: Workspace, address: str, *, start: int | None = None, end: int | None = None,
           phrase: str | None = None, nth: int = 1):
    """Widen or narrow an annotation: the same element around other words of its sentence."""
    _, element = ws.element(address)
    container = sentence_of(element)
    if container is None or container is element:
        raise UsageProblem(f"{address} is not inside a sentence")
    a, b = words(container, start, end, phrase, nth)
    attributes, tag_name = dict(element.attrib), element.tag
    unwrap(element)
    new = wrap(container, a, b, tag_name, attributes)
    return f'resize {_describe(new)} to "{reading(container)[a:b]}"', address_of(new)


def remove(ws: Workspace, address: str):
    """Remove a tag, keeping its words (a choice keeps the original reading)."""
    _, element = ws.element(address)
    description = _describe(element)
    if element.tag in (tei("s"), tei("p"), tei("div"), tei("TEI")):
        raise UsageProblem("sentences and paragraphs are the text's structure: they are not removed")
    if element.tag == tei("choice"):
        unwrap_choice(element)
    else:
        unwrap(element)
    return f"remove {description} at {address}", None


def _is_machine(element) -> bool:
    return MACHINE in (element.get("resp") or "").split()


def confirm(ws: Workspace, address: str):
    """Accept a machine annotation as it stands: its @resp and @cert go."""
    _, element = ws.element(address)
    if not _is_machine(element):
        raise UsageProblem(f"{address} is not a machine annotation (resp={MACHINE})")
    element.attrib.pop("resp")
    element.attrib.pop("cert", None)
    return f"confirm {_describe(element)} \"{reading(element)}\"", address_of(element)


def reject(ws: Workspace, address: str, *, who: str = "ed:editors", today: str | None = None):
    """Remove a machine annotation and remember the rejection in the header's
    revisionDesc, so that `edition annotate` never adds it again: a
    <change type="rejected-annotation" target="#sentence"> holding a copy of
    the rejected element (TEI Guidelines §2.6: change documents a revision)."""
    draft, element = ws.element(address)
    if not _is_machine(element):
        raise UsageProblem(f"{address} is not a machine annotation (resp={MACHINE})")
    sentence = sentence_of(element)
    record = etree.Element(element.tag, {k: v for k, v in element.attrib.items()
                                         if k not in ("resp", "cert", XML_ID)})
    record.text = reading(element)
    description = _describe(record)
    unwrap(element)
    remember_rejection(draft.root, record, sentence.get(XML_ID) if sentence is not None else None,
                       who, today)
    return f'reject {description} "{record.text}"', None


def remember_rejection(root, record, sentence_id: str | None, who: str, today: str | None) -> None:
    header = root.find(tei("teiHeader"))
    revisions = header.find(tei("revisionDesc"))
    if revisions is None:
        revisions = etree.Element(tei("revisionDesc"))
        append_block(header, revisions)
    attributes = {"type": "rejected-annotation", "when": today or dt.date.today().isoformat(), "who": who}
    if sentence_id:
        attributes["target"] = f"#{sentence_id}"
    change = etree.Element(tei("change"), attributes)
    change.text = "Rejected the machine annotation "
    change.append(record)
    record.tail = "."
    append_block(revisions, change)
