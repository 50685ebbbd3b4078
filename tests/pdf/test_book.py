"""The PDF book, read back with poppler-utils and pypdf."""
from __future__ import annotations

import re
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader



def squeeze(text: str) -> str:
    """Text as it can be compared with a PDF's extracted text: no spaces or
    hyphens (line breaks, hyphenation), no digits (footnote calls stand inside
    sentences), and no non-spacing marks: poppler emits Thai tone marks and
    vowels in glyph order, even after the next consonant (ตัง้ for ตั้ง)."""
    text = unicodedata.normalize("NFKD", text)  # ำ → ํ + า, as the font draws it; ligatures apart
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return re.sub(r"[\s\-\u00ad\u2010\u2011\d]+", "", text)


def stretches(element) -> list[str]:
    """The sentence's text between notes (glosses and footnotes interrupt it in print)."""
    pieces, current = [], []

    def walk(node):
        if node.tag == "{http://www.tei-c.org/ns/1.0}note":
            pieces.append("".join(current))
            current.clear()
        elif node.tag not in ("{http://www.tei-c.org/ns/1.0}corr", "{http://www.tei-c.org/ns/1.0}reg"):
            current.append(node.text or "")
            for child in node:
                walk(child)
                current.append(child.tail or "")
    walk(element)
    pieces.append("".join(current))
    return [p for p in pieces if squeeze(p)]


def test_every_font_is_embedded_including_thai_and_chinese(book):
    listing = subprocess.run(["pdffonts", str(book)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    assert rows, "no fonts in the PDF"
    assert all("yes" in row[-5:-2] for row in rows), listing  # the 'emb' column
    names = " ".join(row[0] for row in rows)
    assert "Thai" in names and "CJK" in names and "Serif" in names


def test_every_translation_is_in_its_column(book_columns, view):
    """(The originals are compared exactly, character for character, in test_copy.py.)"""
    columns = {side: squeeze(text) for side, text in book_columns.items()}
    missing = []
    for source in view.sources:
        for pair in source.pairs:
            for side, element in (("translation", pair.translation),):
                if element is None or any(squeeze(p) not in columns[side] for p in stretches(element)):
                    missing.append(f"{side}: {pair.id}")
    assert missing == []


def test_the_outline_mirrors_the_table_of_contents(book, view):
    reader = PdfReader(str(book))

    def titles(outline):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title
    found = list(titles(reader.outline))
    assert "Contents" in found
    for source in view.sources:
        assert source.title in found
    assert any(t.startswith("Index of") for t in found)


def test_there_is_one_short_note_and_one_full_note_per_factual_problem(book_pages, view):
    for source in view.sources:
        pages = _source_pages(book_pages, source)
        numbers = sorted(n for page in pages for n in page.note_numbers)
        assert numbers == list(range(1, len(source.problems) + 1)), source.id
        apparatus = _apparatus_pages(book_pages, pages[-1].number)
        assert apparatus and apparatus[0].text.count("Apparatus: the") == 1, source.id
        full = {link.dest for page in apparatus for link in page.links if link.dest.startswith("fn-call-")}
        assert full == {f"fn-call-{p.id}" for p in source.problems}, source.id  # each full note leads back
        text = " ".join(page.text for page in apparatus)
        assert all(problem.category_label in text for problem in source.problems), source.id


def _apparatus_pages(pages, last_source_page: int):
    """The apparatus after a chapter's text: from the page after its last source page to the
    next chapter's opening (its running head is the chapter's)."""
    from tests.pdf.layout import _opens_chapter
    found = []
    for page in pages[last_source_page:]:
        if _opens_chapter(page) or page.is_source:
            break
        found.append(page)
    return found


def _source_pages(pages, source):
    """The source pages of one chapter: from its title to the next chapter."""
    start = next(i for i, p in enumerate(pages) if p.is_source and source.language + " original" in p.text)
    chapter = []
    for page in pages[start:]:
        if not page.is_source:
            break
        chapter.append(page)
    return chapter


def test_index_page_numbers_are_the_pages_the_links_lead_to(book):
    """Each page number in the indexes is a link to the mention it counts:
    the number printed (found by its box, pdftotext -bbox) is the page the link
    leads to."""
    reader = PdfReader(str(book))
    checked = 0
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        if "Index of" not in text or "Contents" in text:
            continue
        words = _words(book, number)
        height = float(page.mediabox[3])
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            if link.get("/Subtype") != "/Link" or not isinstance(link.get("/Dest"), str):
                continue
            target = reader.get_destination_page_number(reader.named_destinations[link["/Dest"]]) + 1
            left, right = sorted(float(v) for v in link["/Rect"][0::2])
            bottom, top = sorted(height - float(v) for v in link["/Rect"][1::2])
            shown = [w for x, y, w in words if left <= x <= right and bottom <= y <= top]
            assert shown and shown[0].strip(",.") == str(target), (number, link["/Dest"], shown, target)
            checked += 1
    assert checked > 20


def _words(book, page: int) -> list[tuple[float, float, str]]:
    """(x centre, y centre from the top, word) for each word on a page, from poppler."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(book), "-"],
                         capture_output=True, text=True, check=True).stdout
    words = []
    for match in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out):
        x0, y0, x1, y1 = (float(v) for v in match.groups()[:4])
        words.append(((x0 + x1) / 2, (y0 + y1) / 2, match.group(5)))
    return words


def test_document_metadata(book, view):
    info = PdfReader(str(book)).metadata
    assert info.title == view.title
    assert "editors" in (info.author or "")


def test_running_heads_on_every_page_but_chapter_openings(book_pages):
    from tests.pdf.layout import MARGIN_TOP
    headed = [p for p in book_pages if any(w.y1 < MARGIN_TOP - 2 for w in p.words)]
    assert len(headed) > len(book_pages) // 2
    assert any("source" in " ".join(w.text for w in p.words if w.y1 < MARGIN_TOP - 2) for p in headed)


def test_every_link_leads_within_the_book_or_to_the_web(book, view):
    """A pointer into the edition's TEI (bib:…, per:… as the prefixes expand them) is a link to
    the work in Works cited, or no link: never a file: link into the disk of whoever built it."""
    reader = PdfReader(str(book))
    addresses, to_works = [], 0
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            action = link.get("/A")
            if action is not None and action.get("/URI") is not None:
                addresses.append(str(action["/URI"]))
            elif isinstance(link.get("/Dest"), str):
                to_works += link["/Dest"].startswith("work-")
                assert link["/Dest"] in reader.named_destinations, link["/Dest"]
    assert addresses and all(re.match(r"(https?|mailto):", a) for a in addresses), \
        [a for a in addresses if not re.match(r"(https?|mailto):", a)][:5]
    assert to_works >= len(view.bibliography) // 2  # the citations of the works, at least
