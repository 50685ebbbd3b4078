"""The book's apparatus, read back from the PDF's boxes (tests/pdf/layout.py): calls
where their notes are, notes that leave the page to the text, citations not keys."""
from __future__ import annotations

import re
import subprocess

import pytest
from pypdf import PdfReader

from edition.html.collect import text_of
from edition.model import print_renderer
from edition.pdf.book import BookWriter, call_label
from tests.pdf.layout import MIDDLE, MARGIN_LEFT, chapter_last_pages

NOTES_BOUND, BLANK_BOUND = 0.35, 0.20


def _numbers(call: str) -> list[int]:
    if "\u2013" in call:
        first, last = (int(n) for n in call.split("\u2013"))
        return list(range(first, last + 1))
    return [int(n) for n in call.strip(",").split(",")]


def test_every_note_stands_on_the_page_of_its_call(book_pages):
    """Read from the PDF: the numbers called on a source page are the numbers of the notes at
    its foot (a source's numbers run 1..n within its chapter)."""
    displaced = []
    for page in (p for p in book_pages if p.is_source):
        called = sorted(n for call in page.calls for n in _numbers(call.text))
        if called != sorted(page.note_numbers):
            displaced.append((page.number, called, sorted(page.note_numbers)))
    assert displaced == []


def test_calls_that_meet_are_one_call_with_separated_numbers(book_pages):
    for page in (p for p in book_pages if p.is_source):
        for call in page.calls:
            assert re.fullmatch(r"\d+(,\d+)*|\d+\u2013\d+", call.text), (page.number, call.text)
            numbers = _numbers(call.text)
            assert numbers == sorted(set(numbers))


def test_call_labels_separate_two_and_join_a_run():
    assert call_label([3, 4]) == "3,4"
    assert call_label([3, 4, 5, 6]) == "3\u20136"
    assert call_label([3, 5, 6]) == "3,5,6"


def test_no_call_stands_alone_on_a_line(book_pages):
    """A call is glued to the word before it: a word ends within a hair of the call's start."""
    for page in (p for p in book_pages if p.is_source):
        body = [w for w in page.body if w.height >= 12]
        for call in page.calls:
            before = [w for w in body if abs(w.y1 - call.y1) < 8 and -0.5 <= call.x0 - w.x1 < 1.5]
            assert before, (page.number, call.text)


def test_calls_follow_the_words_their_note_is_about(book_edition, view):
    """In the book's HTML, the text just before each call ends with the passage's text."""
    from lxml import html as lxml_html
    writer = BookWriter(view, print_renderer(book_edition), book_edition.styles, "test")
    checked = 0
    for source in view.sources:
        for pair in source.pairs:
            if not pair.problems:
                continue
            fragment = lxml_html.fragment_fromstring(str(writer.render_pair(pair, "original")),
                                                     create_parent="span")
            for call in fragment.xpath("//a[@class='call']"):
                before = "".join(_text_before(fragment, call)).rstrip()
                ids = [call.get("id")] + [a.get("id") for a in call.xpath(".//span[@class='call-anchor']")]
                for problem in (p for p in pair.problems if f"fn-call-{p.id}" in ids):
                    passage = " ".join(text_of(problem.target).split())
                    if problem.target is not None and problem.target.tag.endswith("seg"):
                        assert " ".join(before.split()).endswith(passage), (problem.label, before[-60:])
                        checked += 1
    assert checked > 100


class _Stop(Exception):
    pass


def _text_before(root, stop) -> list[str]:
    """The text of the original before an element, footnotes and calls left out."""
    out: list[str] = []

    def walk(element):
        if element is stop:
            raise _Stop
        if element.get("class") not in ("footnote", "call"):
            out.append(element.text or "")
            for child in element:
                walk(child)
        if element is not root:
            out.append(element.tail or "")
    try:
        walk(root)
    except _Stop:
        pass
    return out


def test_notes_take_at_most_a_third_of_a_page_and_pages_are_full(book_pages):
    """Measured from the boxes, as shares of the text area (see tests/pdf/layout.py)."""
    last = chapter_last_pages(book_pages)
    over, blank = [], []
    for page in (p for p in book_pages if p.is_source):
        text, notes, empty = page.shares()
        if notes > NOTES_BOUND:
            over.append((page.number, round(notes, 2)))
        if empty > BLANK_BOUND and page.number not in last:
            blank.append((page.number, round(empty, 2)))
    assert over == [] and blank == [], (over, blank)


def test_the_notes_are_no_wider_than_a_text_column(book_pages):
    column = MIDDLE - MARGIN_LEFT
    widths = [p.note_width for p in book_pages if p.is_source and p.notes]
    assert widths and max(widths) <= column


def test_no_bibliography_key_is_printed(book_text, view):
    text = " ".join(book_text.split())
    assert "bib:" not in text
    assert "Coox 1985" in text and "Goldman 2012" in text


def test_works_cited_are_alphabetical_by_author_then_year(book, view):
    from edition.pdf.citations import works
    listed = works(view.bibliography)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(book), "-"], capture_output=True, text=True,
                          check=True).stdout
    section = text[text.rindex("Works cited"):]
    positions = [section.index(f"{w.surname},") if f"{w.surname}," in section else section.index(w.surname)
                 for w in listed]
    assert positions == sorted(positions)
    assert [w.surname for w in listed][:2] == ["Coox", "Coox"] and listed[0].year < listed[1].year


def test_a_date_moved_to_the_head_of_a_reference_leaves_no_empty_place_behind(book_text, view):
    """Works cited are author–date: the date leaves its place in the entry, and so does its comma."""
    from edition.pdf.citations import reference, works
    entries = [str(reference(work)) for work in works(view.bibliography)]
    middle = [e for e in entries if "Saint Petersburg State University, Saint Petersburg" in e]
    assert middle and all(not re.search(r",\s*,", e) for e in entries), middle
    section = " ".join(book_text[book_text.rindex("Works cited"):].split())
    assert "Saint Petersburg, 315 pp." in section and not re.search(r",\s*,", section)


def test_no_synthesised_faces_and_every_font_embedded(book):
    listing = subprocess.run(["pdffonts", str(book)], capture_output=True, text=True, check=True).stdout
    assert not re.search(r"Oblique|Small-Caps|Italic", "\n".join(l for l in listing.splitlines()
                                                                if "Thai" in l or "CJK" in l)), listing


def test_every_note_label_and_heading_carries_its_language(book_edition, view):
    from lxml import html as lxml_html
    writer = BookWriter(view, print_renderer(book_edition), book_edition.styles, "test")
    page = lxml_html.document_fromstring(writer.html("body", 5))
    notes = page.xpath("//span[@class='footnote'] | //li[@class='app-entry']")
    assert len(notes) == 2 * len(view.problems)
    assert {n.get("lang") for n in notes} == {"en"}
    for source in view.sources:
        title = page.xpath(f"//section[@id='src-{source.id}']/h1")[0]
        assert title.get("lang") == source.lang
        cells = page.xpath(f"//section[@id='src-{source.id}']//td[@class='original']")
        assert {c.get("lang") for c in cells} == {source.lang}
        numbers = page.xpath(f"//section[@id='src-{source.id}']//span[@class='sentence-number']")
        assert {n.get("lang") for n in numbers} == {"en"}


def test_sentence_numbers_are_the_numbers_the_notes_cite_and_links_reach_them(book_edition, view):
    from lxml import html as lxml_html
    writer = BookWriter(view, print_renderer(book_edition), book_edition.styles, "test")
    page = lxml_html.document_fromstring(writer.html("body", 5))
    ids = set(page.xpath("//@id"))
    for source in view.sources:
        for pair in source.pairs:
            number = page.xpath(f"//span[@class='sentence-number'][@id='{pair.id}']")
            assert number and number[0].text == str(pair.number)
    refs = page.xpath("//a[@class='sentence-ref' or @class='app-sentence']/@href")
    assert len(refs) > 50
    unresolved = [r for r in refs if r.lstrip("#") not in ids]
    assert len(unresolved) <= len(refs) // 20, unresolved[:10]


def test_indexes_sort_by_their_keys_and_find_original_forms(book_edition, view, book_text):
    from edition.pdf.index import index_lines
    lines = index_lines(view.entries["person"], lambda ref: [(1, "m1")])
    headings = [line.heading for line in lines if not line.see]
    assert headings.index("Arita Hachirō") < headings.index("Komatsubara Michitarō") < headings.index("Zhukov, Georgy")
    assert [line.sort_key for line in lines] == sorted(line.sort_key for line in lines)
    assert lines[-1].see and not lines[0].see  # see-references after the headings
    organisations = [line.heading for line in index_lines(view.entries["org"], lambda ref: [(1, "m1")])
                     if not line.see and line.heading[:1].isdigit()]
    numbers = [int("".join(c for c in h.split()[0] if c.isdigit())) for h in organisations]
    assert numbers == sorted(numbers)
    text = " ".join(book_text.split())
    assert "朱可夫 see Zhukov, Georgy" in text and "Hachirō, Arita" not in text


def test_the_introduction_is_indexed(book_pages, book_text):
    """Names in the introduction (pages before the first source) have page numbers in the index."""
    first_source = min(p.number for p in book_pages if p.is_source)
    index = " ".join(p.text for p in book_pages if "Index of" in p.text and p.number > first_source)
    intro_pages = {str(n) for n in range(5, first_source)}
    assert intro_pages & set(re.findall(r"\b\d+\b", index))


def test_no_running_head_on_a_chapter_opening(book_pages):
    from tests.pdf.layout import MARGIN_TOP
    for page in book_pages:
        opening = any(w.height > 18 and w.y0 < MARGIN_TOP + 20 for w in page.words)
        if opening:
            assert not [w for w in page.words if w.y1 < MARGIN_TOP - 2], page.number


def test_short_and_full_notes_give_each_others_pages(book, book_pages, view):
    """Read from the PDF: each short note ends "Full note p. N" and each full note's head says
    "call p. M"; the number is a link, and N (M) is the page its link leads to, which is the
    page of the full note (of the call)."""
    reader = PdfReader(str(book))
    page_of = {name: reader.get_destination_page_number(dest) + 1
               for name, dest in reader.named_destinations.items()}
    found = {"app-": [], "fn-call-": []}
    for page in book_pages:
        for link in page.links:
            kind = next((k for k in found if link.dest.startswith(k)), None)
            inside = [w for w in page.words if link.holds(w)]
            if kind is None or len(inside) != 1 or not inside[0].text.strip("\u2007").isdigit():
                continue
            number = inside[0]
            before = [w for w in page.words if abs(w.y0 - number.y0) < 2 and w.x1 <= number.x0 + 0.5]
            if not before or max(before, key=lambda w: w.x1).text != "p.":
                continue  # a note's own number, not a page reference
            found[kind].append((link.dest, int(number.text.strip("\u2007")), page_of[link.dest], page.number))
    for kind, references in found.items():
        assert len({dest for dest, *_ in references}) == len(view.problems), kind
        wrong = [r for r in references if r[1] != r[2]]
        assert wrong == [], wrong[:5]
    assert all(printed >= where for _, printed, _, where in found["app-"])  # forward: full notes after
    assert all(printed <= where for _, printed, _, where in found["fn-call-"])  # back: calls before


def test_the_notes_of_a_merged_call_follow_it_in_the_order_of_its_numbers(book_edition, view):
    """In the book's HTML: after a call "16,17" stand the notes 16 and 17, in that order (the
    order of the notes at the foot of the page)."""
    from lxml import html as lxml_html
    writer = BookWriter(view, print_renderer(book_edition), book_edition.styles, "test")
    merged = 0
    for source in view.sources:
        for pair in source.pairs:
            if len(pair.problems) < 2:
                continue
            fragment = lxml_html.fragment_fromstring(str(writer.render_pair(pair, "original")),
                                                     create_parent="span")
            for call in fragment.xpath("//a[@class='call'][contains(@data-numbers, ' ')]"):
                numbers = call.get("data-numbers").split()
                following = [n.get("data-call") for n in call.itersiblings()][:len(numbers)]
                assert following == numbers, (pair.id, numbers, following)
                merged += 1
    assert merged >= 5


def test_every_apparatus_page_is_headed_as_the_apparatus(book_pages, view):
    """Each page of a source's apparatus, its first included, carries the apparatus's running head
    ("Apparatus: Thai source (Th)"), not the chapter's: WeasyPrint gives a box's string-set again on
    every page the box runs onto, so an apparatus inside its chapter's section took the chapter's."""
    from tests.pdf.layout import MARGIN_TOP, _opens_chapter

    def head(page):
        return " ".join(w.text for w in page.words if w.y1 < MARGIN_TOP - 2)

    seen = {}
    current = None
    for page in book_pages:
        if _opens_chapter(page):
            current = None
        titled = next((s for s in view.sources if s.problems
                       and f"Apparatus: the {s.language} source’s factual problems" in page.text), None)
        current = titled or current
        if current is not None:
            assert head(page) == f"Apparatus: {current.language} source ({current.siglum})", page.number
            seen[current.id] = seen.get(current.id, 0) + 1
    with_problems = [s.id for s in view.sources if s.problems]
    assert sorted(seen) == sorted(with_problems) and all(n >= 1 for n in seen.values())
    assert max(seen.values()) > 1  # an apparatus of several pages (the Thai one runs to 13)
