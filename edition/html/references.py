"""References in the editors' notes ("s39", "sentences 8–9", "paragraphs 3, 6 and 9")
→ links to the sentence or paragraph of the same source.

The notes cite sentences and paragraphs by the numbers the site shows in the
margin (Pair.number, the paragraph's "-pN"); making each citation a link lets
a reader follow a note to the words it is about and back. A number that names
no sentence of the source stays text (and the tests report it).
"""
from __future__ import annotations

import re

from lxml import html as lxml_html
from markupsafe import escape

_SENTENCE = re.compile(r"\bs(\d+)\b")
_WORDED = re.compile(r"\b(sentences?|paragraphs?)\s+(\d+(?:(?:,\s*|\s+and\s+|\s*[–-]\s*)\d+)*)\b")
_NUMBER = re.compile(r"\d+")
_DESCRIPTION = re.compile(r"\bsource description\b")


class SourceReferences:
    """The sentence and paragraph anchors of one source page."""

    def __init__(self, source, page: str):
        self.page = page
        self.about = bool(getattr(source, "description", ""))  # the page's #about paragraph
        self.sentences = {pair.number: pair.id for pair in source.pairs}
        self.paragraphs = {}
        for position, paragraph in enumerate(source.paragraphs, start=1):
            self.paragraphs[paragraph_number(paragraph, position)] = paragraph.id

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, href) of every reference in a piece of text that resolves."""
        found = []
        for match in _SENTENCE.finditer(text):
            target = self.sentences.get(int(match[1]))
            if target:
                found.append((match.start(), match.end(), f"{self.page}#{target}"))
        for match in _DESCRIPTION.finditer(text) if self.about else ():
            found.append((match.start(), match.end(), f"{self.page}#about"))
        for match in _WORDED.finditer(text):
            table = self.sentences if match[1].startswith("s") else self.paragraphs
            for number in _NUMBER.finditer(match[2]):
                target = table.get(int(number[0]))
                if target:
                    start = match.start(2) + number.start()
                    found.append((start, start + len(number[0]), f"{self.page}#{target}"))
        return sorted(found)

    def link(self, rendered: str, within: str | None = None) -> str:
        """The rendered HTML with its references linked (only inside elements of
        class `within`, if given: the translator's notes inside a sentence)."""
        if not rendered or not (_SENTENCE.search(rendered) or _WORDED.search(rendered)
                                or _DESCRIPTION.search(rendered)):
            return rendered
        fragment = lxml_html.fragment_fromstring(rendered, create_parent="span")
        scopes = fragment.find_class(within) if within else [fragment]
        for scope in scopes:
            for element in list(scope.iter()):
                if not isinstance(element.tag, str) or element.xpath("ancestor-or-self::a"):
                    continue
                if element.text:
                    element.text = self._split(element, element.text, into_text=True)
                for child in list(element):
                    if child.tail:
                        child.tail = self._split(child, child.tail, into_text=False)
        return _inner(fragment)

    def _split(self, anchor, text: str, into_text: bool) -> str:
        """Replace references in `text` by <a> elements; returns what stays as text."""
        spans = self.spans(text)
        if not spans:
            return text
        head, links = text[:spans[0][0]], []
        for index, (start, end, href) in enumerate(spans):
            link = lxml_html.Element("a", {"class": "sentence-ref", "href": href})
            link.text = text[start:end]
            following = spans[index + 1][0] if index + 1 < len(spans) else len(text)
            link.tail = text[end:following]
            links.append(link)
        if into_text:
            for position, link in enumerate(links):
                anchor.insert(position, link)
        else:
            for link in reversed(links):
                anchor.addnext(link)
        return head


def _inner(element) -> str:
    text = str(escape(element.text)) if element.text else ""
    return text + "".join(lxml_html.tostring(child, encoding="unicode") for child in element)


def paragraph_number(paragraph, position: int) -> int:
    """The paragraph's number as the notes cite it ("…-p6" is 6), else its position."""
    match = re.search(r"-p(\d+)$", paragraph.id or "")
    return int(match[1]) if match else position
