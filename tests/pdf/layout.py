"""The built book's pages read back as boxes (poppler's pdftotext -bbox): what is
text, what is the notes' band, what is blank, where the calls stand.

Words are told apart by their height, which is their font size: the text is
set at 9.6 pt (words about 13 pt high), notes and glosses at 7.4 pt (about
10 pt), sentence numbers and calls smaller still. The notes' band is what
stands in the left half below the last line of text; its height, and the
text's, are shares of the page's text area (A4 less the margins of book.css).
Used by tests/pdf and by bench/run.py.
"""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field

MM = 72 / 25.4
PAGE_WIDTH, PAGE_HEIGHT = 595.28, 841.89
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20 * MM, 20 * MM, 22 * MM, 18 * MM
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
MIDDLE = MARGIN_LEFT + (PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / 2
BODY_WORD, NOTE_WORD, CALL_WORD = 12.0, 9.9, 9.0  # lower bounds of word heights


@dataclass
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass
class Link:
    """A link annotation's rectangle (from the top, as the words) and its named destination."""
    x0: float
    y0: float
    x1: float
    y1: float
    dest: str

    def holds(self, word: Word) -> bool:
        x, y = (word.x0 + word.x1) / 2, (word.y0 + word.y1) / 2
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1


@dataclass
class Page:
    number: int
    words: list[Word]
    links: list[Link] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def is_source(self) -> bool:
        """A page of a source's parallel text (its columns' heads repeat on every page)."""
        heads = [w for w in self.words if w.text.lower() == "translation" and w.x0 > MIDDLE - 5
                 and 10 < w.height < 12.6]
        # the two heads stand on one line ("…: the original text" | "…translation"), at the top of a
        # page or, on a chapter's opening page, below its description
        return any(o.text.lower() == "original" and o.x1 < MIDDLE and abs(o.y0 - w.y0) < 2
                   for w in heads for o in self.words)

    @property
    def body(self) -> list[Word]:
        """Words inside the text area, running head and page number apart."""
        return [w for w in self.words if MARGIN_TOP - 2 <= w.y0 and w.y1 <= PAGE_HEIGHT - MARGIN_BOTTOM + 2]

    @property
    def text_bottom(self) -> float:
        """The foot of the last line of the parallel text (body-size words, or glosses in the
        translation column)."""
        feet = [w.y1 for w in self.body if w.height >= BODY_WORD or (w.x0 > MIDDLE and w.height >= NOTE_WORD)]
        return max(feet, default=MARGIN_TOP)

    @property
    def notes(self) -> list[Word]:
        """The words of the notes' band: small words in the left half below the text."""
        bottom = self.text_bottom
        return [w for w in self.body if w.y0 > bottom and MARGIN_LEFT - 1 <= w.x0 and w.x1 <= MIDDLE + 2
                and w.height < BODY_WORD]

    @property
    def notes_top(self) -> float:
        return min((w.y0 for w in self.notes), default=PAGE_HEIGHT - MARGIN_BOTTOM)

    def shares(self) -> tuple[float, float, float]:
        """(text, notes, blank) as shares of the text area, measured vertically from the boxes."""
        top = min((w.y0 for w in self.body), default=MARGIN_TOP)
        text = (self.text_bottom - top) / TEXT_HEIGHT
        notes = ((max(w.y1 for w in self.notes) - self.notes_top) / TEXT_HEIGHT) if self.notes else 0.0
        return text, notes, max(0.0, 1 - text - notes)

    @property
    def note_width(self) -> float:
        return max((w.x1 for w in self.notes), default=0) - min((w.x0 for w in self.notes), default=0)

    @property
    def calls(self) -> list[Word]:
        """Footnote calls: the small bold numbers in the original's column, above the notes."""
        bottom = self.text_bottom
        return [w for w in self.body if w.height < CALL_WORD and w.y1 <= bottom + 1 and w.x0 > MARGIN_LEFT - 1
                and w.x1 <= MIDDLE + 2 and re.fullmatch(r"\u2060?[\d,\u2013]+", w.text)]

    @property
    def note_numbers(self) -> list[int]:
        """The numbers that open the notes at the foot of the page: each is a link to its full
        note in the apparatus (a line of a note may also begin with a number: "No. / 8 is")."""
        numbers, left = [], min((w.x0 for w in self.notes), default=0)
        to_full_notes = [link for link in self.links if link.dest.startswith("app-")]
        for word in self.notes:
            if abs(word.x0 - left) < 1 and word.text.isdigit() and any(l.holds(word) for l in to_full_notes):
                numbers.append(int(word.text))
        return numbers


def read_pages(book) -> list[Page]:
    out = subprocess.run(["pdftotext", "-bbox", str(book), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = []
    for number, chunk in enumerate(out.split("<page ")[1:], start=1):
        words = [Word(*(float(v) for v in m.groups()[:4]), _unescape(m[5]).replace("\u2060", "")) for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', chunk)]
        pages.append(Page(number, words))
    for page, links in zip(pages, _links(book)):
        page.links = links
    return pages


def _links(book) -> list[list[Link]]:
    """The named-destination links of every page (pypdf), in the words' coordinates."""
    from pypdf import PdfReader
    result = []
    for page in PdfReader(str(book)).pages:
        height, links = float(page.mediabox[3]), []
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            dest = link.get("/Dest")
            if link.get("/Subtype") != "/Link" or not isinstance(dest, str):
                continue
            x0, x1 = sorted(float(v) for v in link["/Rect"][0::2])
            y0, y1 = sorted(height - float(v) for v in link["/Rect"][1::2])
            links.append(Link(x0, y0, x1, y1, dest))
        result.append(links)
    return result


def _unescape(text: str) -> str:
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')


def chapter_last_pages(pages: list[Page]) -> set[int]:
    """The last source page of each chapter (the next page is not a source page, or opens a chapter)."""
    last = set()
    for page, following in zip(pages, pages[1:] + [None]):
        if page.is_source and (following is None or not following.is_source or _opens_chapter(following)):
            last.add(page.number)
    return last


def _opens_chapter(page: Page) -> bool:
    return any(w.height > 18 for w in page.body)  # the chapter title, 16 pt
