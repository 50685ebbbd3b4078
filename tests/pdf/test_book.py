"""The PDF book, read back with poppler-utils and pypdf."""
from __future__ import annotations

import re
import subprocess

from pypdf import PdfReader

from edition.html.collect import text_of


def squeeze(text: str) -> str:
    """Compare text across line breaks and hyphenation: drop spaces and hyphens."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text)


def test_every_font_is_embedded_including_thai_and_chinese(book):
    listing = subprocess.run(["pdffonts", str(book)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    assert rows, "no fonts in the PDF"
    assert all("yes" in row[-5:-2] for row in rows), listing  # the 'emb' column
    names = " ".join(row[0] for row in rows)
    assert "Thai" in names and "CJK" in names and "Serif" in names


def test_every_sentence_original_and_translation_is_in_the_text(book_text, view):
    text = squeeze(book_text)
    missing = []
    for source in view.sources:
        for pair in source.pairs:
            for element in (pair.original, pair.translation):
                if element is not None and squeeze(text_of(element)) not in text:
                    missing.append(element.get("{http://www.w3.org/XML/1998/namespace}id"))
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


def test_there_is_one_footnote_per_factual_problem(book_text, view):
    labels = {p.category_label for p in view.problems}
    pattern = re.compile(r"^(\d+)\. (" + "|".join(map(re.escape, labels)) + ")", re.MULTILINE)
    numbers = sorted({int(m.group(1)) for m in pattern.finditer(book_text)})
    assert numbers == list(range(1, len(view.problems) + 1))


def test_index_page_numbers_are_the_pages_the_links_lead_to(book):
    reader = PdfReader(str(book))
    checked = 0
    for page in reader.pages:
        text = page.extract_text() or ""
        if "Index of" not in text:
            continue
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            if link.get("/Subtype") != "/Link" or "/Dest" not in link and "/A" not in link:
                continue
            destination = link.get("/Dest") or link["/A"].get("/D")
            target = reader.get_destination_page_number(reader.named_destinations[destination]) \
                if isinstance(destination, str) else reader.get_page_number(destination[0].get_object())
            rect = [float(v) for v in link["/Rect"]]
            shown = _text_in(page, rect)
            if shown.isdigit():
                assert int(shown) == target + 1
                checked += 1
    assert checked > 20


def _text_in(page, rect) -> str:
    found = []

    def visitor(text, cm, tm, font, size):
        x, y = tm[4], tm[5]
        if rect[0] - 1 <= x <= rect[2] + 1 and rect[1] - 2 <= y <= rect[3] + 2 and text.strip():
            found.append(text.strip())
    page.extract_text(visitor_text=visitor)
    return "".join(found).strip(",. ")


def test_document_metadata(book, view):
    info = PdfReader(str(book)).metadata
    assert info.title == view.title
    assert "editors" in (info.author or "")
