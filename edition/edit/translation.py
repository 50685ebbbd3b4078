"""Translation operations: the aligned English skeleton, one sentence's text,
a file of one line per sentence.

The house pattern (docs/encoding.md, "Translation"): after the original div,
<div type="translation" xml:lang="en"> has one <p corresp="#ID-pN"> per
original paragraph and in it one <s xml:id="ID-sN-en" corresp="#ID-sN"> per
original sentence. The tool creates and keeps these aligned; the scholar only
types sentences. Retyping a sentence keeps its markup (names, dates,
translator's notes) wherever the tagged words are still in the new text.
"""
from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..diagnostics import UsageProblem
from ..xmlio import NS, XML_ID, XML_LANG, tei
from .blocks import append_block
from .document import Workspace
from .inline import _length, pieces, reading, set_pieces


def _original(root):
    found = root.find(".//tei:body/tei:div[@type='original']", NS)
    if found is None:
        raise UsageProblem("the source has no div[@type='original'] to translate")
    return found


def translation_div(root, create: bool = True):
    found = root.find(".//tei:body/tei:div[@type='translation']", NS)
    if found is None and create:
        original = _original(root)
        found = etree.Element(tei("div"), {"type": "translation", XML_LANG: "en"})
        append_block(original.getparent(), found, after=original)
    return found


def counterpart(root, sentence, create: bool = True):
    """The English <s> of an original sentence, created in its aligned place."""
    sid = sentence.get(XML_ID)
    division = translation_div(root, create)
    if division is None:
        return None
    found = division.find(f".//tei:s[@corresp='#{sid}']", NS)
    if found is not None or not create:
        return found
    paragraph = sentence.getparent()
    english_p = division.find(f"tei:p[@corresp='#{paragraph.get(XML_ID)}']", NS)
    if english_p is None:
        english_p = etree.Element(tei("p"), {"corresp": f"#{paragraph.get(XML_ID)}"})
        _insert_in_order(division, english_p, paragraph, _original(root).iter(tei("p")))
    english = etree.Element(tei("s"), {XML_ID: f"{sid}-en", "corresp": f"#{sid}"})
    _insert_sentence(english_p, english, sentence)
    return english


def _insert_in_order(division, english_p, paragraph, originals) -> None:
    order = [p.get(XML_ID) for p in originals]
    later = order[order.index(paragraph.get(XML_ID)) + 1:]
    following = next((p for p in division.findall(tei("p"))
                      if (p.get("corresp") or "").lstrip("#") in later), None)
    if following is None:
        append_block(division, english_p)
        return
    before = following.getprevious()
    english_p.tail = (before.tail if before is not None else division.text) or "\n"
    following.addprevious(english_p)


def _insert_sentence(english_p, english, sentence) -> None:
    siblings = [s for s in sentence.getparent() if s.tag == tei("s")]
    later = {s.get(XML_ID) for s in siblings[siblings.index(sentence) + 1:]}
    following = next((s for s in english_p if (s.get("corresp") or "").lstrip("#") in later), None)
    english.tail = sentence.tail if following is not None else None
    if following is not None:
        following.addprevious(english)
    else:
        if len(english_p):
            english_p[-1].tail = (english_p[-1].tail or "") or (sentence.getprevious().tail
                                                                 if sentence.getprevious() is not None else None)
        english_p.append(english)


def init(ws: Workspace, source: str):
    """Create every missing English paragraph and sentence (empty), aligned."""
    draft = ws.source(source)
    created = 0
    for sentence in _original(draft.root).iter(tei("s")):
        if sentence.get(XML_ID) and counterpart(draft.root, sentence, create=False) is None:
            counterpart(draft.root, sentence)
            created += 1
    return f"translation of {source}: {created} empty sentence(s) created, aligned", created


def set_sentence(ws: Workspace, sentence: str, text: str):
    """Type the translation of one original sentence (its markup kept where it still fits)."""
    draft, original = ws.element(sentence)
    if original.tag != tei("s") or original.getparent().tag != tei("p"):
        raise UsageProblem(f"{sentence} is not an original sentence")
    english = counterpart(draft.root, original)
    retext(english, " ".join(text.split()))
    return f"translate {sentence}: \"{text[:60]}\"", english.get(XML_ID)


def retext(element, text: str) -> None:
    """Set an element's words to `text`, keeping each child element whose words
    are still there (in order); a translator's note stays after the words it
    followed. Refuses to drop markup silently."""
    if reading(element) == text:
        return
    content, cursor, placed = [], 0, []
    for piece in pieces(element):
        if isinstance(piece, str):
            continue
        words = reading(piece) if _length(piece) else ""
        if not words:  # a note: after what came before it
            placed.append((cursor, cursor, piece))
            continue
        found = text.find(words, cursor)
        if found < 0:
            name = etree.QName(piece).localname
            raise UsageProblem(f'the new text no longer contains "{words}", tagged as <{name}> in '
                               f"{element.get(XML_ID)}: keep those words, or remove the tag first")
        placed.append((found, found + len(words), piece))
        cursor = found + len(words)
    position = 0
    for start, end, piece in placed:
        content += [text[position:start], piece]
        position = end
    content.append(text[position:])
    set_pieces(element, [p for p in content if not (isinstance(p, str) and not p)])


def import_file(ws: Workspace, source: str, path: str | Path):
    """One line per original sentence, in order; a blank line leaves a sentence as it is."""
    draft = ws.source(source)
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    sentences = [s for s in _original(draft.root).iter(tei("s")) if s.get(XML_ID)]
    if len(lines) != len(sentences):
        raise UsageProblem(f"{path} has {len(lines)} line(s) but {source} has {len(sentences)} "
                           "sentence(s): give one line per sentence, in order (a blank line skips one)")
    done = 0
    for sentence, line in zip(sentences, lines):
        if line.strip():
            retext(counterpart(draft.root, sentence), " ".join(line.split()))
            done += 1
    return f"translation of {source}: {done} sentence(s) imported from {Path(path).name}", done
