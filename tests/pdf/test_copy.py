"""What a reader gets by copying from the book: every original sentence, extracted
from its column with poppler (pdftotext -bbox) and with pypdf, is the source's
sentence, character for character. Only white space may differ where a line
breaks (a break stands for a space, or, in Thai and Chinese, for nothing);
calls and sentence numbers are set apart (own size, own place) and left out."""
from __future__ import annotations

import re
from collections import defaultdict

import pytest
from pypdf import PdfReader

from edition.html.collect import text_of
from tests.pdf.layout import MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_TOP, MIDDLE, PAGE_HEIGHT, read_pages

def pattern(sentence: str, loose_spaces: bool = False) -> re.Pattern:
    """The sentence as it may come back: its characters in order, a space in it as any white
    space, and a line break (nothing or a newline) allowed between any two characters; with
    `loose_spaces`, any white space (pypdf reads a raised Thai mark's offset as a space)."""
    parts, between = [], r"\s*" if loose_spaces else r"\n?"
    for char in " ".join(sentence.split()):
        parts.append(r"\s+" if char == " " else re.escape(char) + between)
    return re.compile("".join(parts))


def poppler_column(book) -> str:
    """The original column's text on every source page, line by line, from pdftotext's boxes;
    a space where words stand apart, none where a smaller word (a call) split one."""
    lines = []
    for page in read_pages(book):
        if not page.is_source:
            continue
        words = sorted((w for w in page.body if MARGIN_LEFT - 1 <= w.x0 and w.x1 <= MIDDLE + 1
                        and w.y1 <= page.text_bottom + 0.5), key=lambda w: (w.y0 + w.y1) / 2)
        rows: list[list] = []
        for word in words:  # a line: words whose middles lie within 5 pt (a call stands higher)
            if rows and abs((word.y0 + word.y1) / 2 - (rows[-1][0].y0 + rows[-1][0].y1) / 2) < 5:
                rows[-1].append(word)
            else:
                rows.append([word])
        lines.extend(text for row in rows if (text := _join(sorted(row, key=lambda w: w.x0))))
    return "\n".join(lines)


def _join(words) -> str:
    """Body-size words of a line; a space between two where the gap, less the small words
    between them, is wider than a hair."""
    text, last, skipped = "", None, 0.0
    for word in words:
        if word.height < 12:
            skipped += word.x1 - word.x0
            continue
        if last is not None:
            text += " " if word.x0 - last.x1 - skipped > 1.0 else ""
        text += word.text
        last, skipped = word, 0.0
    return text


def pypdf_column(book) -> str:
    """The original column's text through pypdf, in the order it is drawn, leaving out the
    smaller text (calls, sentence numbers, notes); each piece placed in its column by where it
    starts."""
    chunks, column = [], "other"
    for page in PdfReader(str(book)).pages:
        def visit(chunk, cm, tm, font, size):
            nonlocal column
            if chunk.strip():
                inside = MARGIN_TOP - 2 < tm[5] * PX < PAGE_HEIGHT - MARGIN_BOTTOM  # not heads, folios
                column = "original" if inside and MARGIN_LEFT - 1 <= tm[4] * PX < MIDDLE else "other"
            if column == "original" and (size >= 12 or not chunk.strip()):  # notes, calls: smaller
                chunks.append(chunk)
        page.extract_text(visitor_text=visit)
        chunks.append("\n")
    return re.sub(r"\s*\n\s*", "\n", "".join(chunks))  # a line or page break, however many


PX = 0.75  # WeasyPrint draws in CSS pixels, scaled to points by the page's matrix
@pytest.fixture(scope="module")
def columns(book):
    return {"pdftotext": poppler_column(book), "pypdf": pypdf_column(book)}


@pytest.mark.parametrize("tool", ["pdftotext", "pypdf"])
def test_every_original_sentence_copies_back_exactly(columns, view, tool):
    column = columns[tool]
    missing = defaultdict(list)
    for source in view.sources:
        for pair in source.pairs:
            loose = tool == "pypdf" and source.lang == "th"
            if not pattern(text_of(pair.original), loose).search(column):
                missing[source.lang].append(pair.id)
    counts = {source.lang: len(source.pairs) for source in view.sources}
    assert set(counts) >= {"th", "zh", "pl", "es"}
    assert dict(missing) == {}, {lang: f"{len(ids)} of {counts[lang]}: {ids[:5]}" for lang, ids in missing.items()}


def test_no_hyphen_of_the_layout_in_the_copied_text(columns, view):
    """A hyphen at a line's end that the source does not have at that place was put in by
    hyphenation, and would be copied with the word."""
    source_text = " ".join(text_of(p.original) for s in view.sources for p in s.pairs)
    for line in columns["pdftotext"].splitlines():
        if line.endswith(("-", "\u2010", "\u00ad")):
            word = line.split()[-1]
            assert word in source_text, line


def test_thai_sara_am_and_tone_marks_survive(columns, view):
    thai = next(s for s in view.sources if s.lang == "th")
    expected = sum(text_of(p.original).count("\u0e33") for p in thai.pairs)
    assert expected > 100
    for tool, column in columns.items():
        assert column.count("\u0e33") >= expected, tool
