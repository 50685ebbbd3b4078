"""TEI → plain text: the original reading of a source, for the lossless check.

The original reading is the text of the source as received: inside <choice>
it takes sic/orig/abbr and leaves corr/reg/expan; it leaves out everything
the editors add (notes, supplied text, apparatus readings). Paragraphs of
the original become lines again.
"""
from __future__ import annotations


from ..xmlio import NS, tei

# Editorial layers that are not part of the text as received.
EDITORIAL = {tei(name) for name in ("corr", "reg", "expan", "note", "supplied", "ex", "rdg",
                                    "rdgGrp", "witDetail", "figDesc", "interp", "interpGrp")}


def original_text(root) -> str:
    """The text of the source as received, read back from its TEI document."""
    return "\n".join(element_text(p) for p in original_paragraphs(root))


def original_paragraphs(root) -> list:
    """The paragraphs (one per line of the received text) of the original."""
    divs = root.xpath(".//tei:text/tei:body/tei:div[@type='original']", namespaces=NS)
    scope = divs[0] if divs else root.find(f".//{tei('body')}")
    if scope is None:
        return []
    return scope.xpath(".//tei:p[not(ancestor::tei:note)]", namespaces=NS)


def element_text(element) -> str:
    """String value of `element` in its original reading (see module doc)."""
    parts: list[str] = []
    _collect(element, parts, is_root=True)
    return "".join(parts)


def _collect(node, parts: list[str], is_root: bool = False) -> None:
    # An editorial element asked for itself (a note's text) is read; inside a text it is skipped.
    skip = not isinstance(node.tag, str) or (node.tag in EDITORIAL and not is_root)
    if not skip:
        if node.text:
            parts.append(node.text)
        for child in node:
            _collect(child, parts)
    if not is_root and node.tail:
        parts.append(node.tail)
