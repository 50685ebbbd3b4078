"""Other people's TEI in a new edition: what the pages say about a source comes from what the reader
found in it, and the names pointing into a document's own lists feed the edition's registers (site
popovers, register pages, search, the book's index). The two documents are written here (our own
words), in the encodings TEI Publisher's demo data uses."""
from __future__ import annotations

import html as markup
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from edition import Edition, api
from edition.cli import main

TEI = "http://www.tei-c.org/ns/1.0"

# A letter: the source and its translation as two texts inside the outer <text>, divisions with no
# <body> (TEI Publisher's Dantiscus letters); the people and places in the header's own lists,
# pointed at by @ref and by @corresp.
LETTER = f"""<TEI xmlns="{TEI}">
<teiHeader><fileDesc><titleStmt><title>Lettera di prova</title></titleStmt>
<publicationStmt><p>Written for the test suite.</p></publicationStmt><sourceDesc><p>None.</p></sourceDesc></fileDesc>
<profileDesc><langUsage><language ident="it">Italian</language><language ident="de">German</language></langUsage>
<particDesc><listPerson><person xml:id="ana"><persName><forename>Anna</forename> <surname>Rossi</surname></persName></person></listPerson></particDesc>
<settingDesc><listPlace><place xml:id="borgo"><placeName>Borgo Fittizio</placeName></place></listPlace></settingDesc>
</profileDesc></teiHeader>
<text>
<text type="source" xml:lang="it"><div xml:id="it.1"><p>
<seg xml:id="it.1.1">Cara <persName ref="#ana">Anna</persName>, la tua lettera è arrivata ieri.</seg>
<seg xml:id="it.1.2">A <placeName corresp="#borgo">Borgo</placeName> piove da una settimana.</seg>
</p></div></text>
<text type="translation" xml:lang="de"><div xml:id="de.1"><p>
<seg xml:id="de.1.1">Liebe <persName ref="#ana">Anna</persName>, dein Brief ist gestern angekommen.</seg>
<seg xml:id="de.1.2">In <placeName corresp="#borgo">Borgo</placeName> regnet es seit einer Woche.</seg>
</p></div>
<div type="notes"><note xml:id="de.n1">Borgo Fittizio is an invented village.</note></div></text>
<back><div type="commentary"><p>Written in one sitting.<note>The village is not on any map.</note></p></div></back>
</text></TEI>"""

# A diary with no translation, rendered whole; its person in a standOff list; one paragraph without id.
DIARY = f"""<TEI xmlns="{TEI}" xml:lang="fr">
<teiHeader><fileDesc><titleStmt><title>Carnet imaginaire</title></titleStmt>
<publicationStmt><p>Written for the test suite.</p></publicationStmt><sourceDesc><p>None.</p></sourceDesc></fileDesc>
<profileDesc><langUsage><language ident="fr">French</language></langUsage></profileDesc></teiHeader>
<standOff><listPerson><person xml:id="jean"><persName>Jean Lefictif</persName></person></listPerson></standOff>
<text><body><div xml:id="jour1"><head>Lundi</head>
<sp who="#jean" xml:id="sp1"><speaker>Jean.</speaker><p>Il pleut encore.</p></sp>
<p xml:id="p1">Visite de <persName ref="#jean">Jean</persName> avant midi.</p>
<p>Le soir, la pluie sur les tuiles.<note>A note of the diarist's.</note></p>
</div></body></text></TEI>"""


@pytest.fixture(scope="module")
def foreign(tmp_path_factory):
    folder = tmp_path_factory.mktemp("foreign") / "ed"
    result = CliRunner().invoke(main, ["new", str(folder), "--title", "Strangers' letters"])
    assert result.exit_code == 0, result.output
    (folder / "tei" / "sources" / "letter.xml").write_text(LETTER, "utf-8")
    (folder / "tei" / "sources" / "diary.xml").write_text(DIARY, "utf-8")
    edition = Edition.at(folder)
    api.build(edition, html=True, pdf=True, epub=True)
    return edition.build_dir


def text_of(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return markup.unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def page(build, name: str) -> str:
    return (build / "html" / name).read_text("utf-8")


def test_a_source_page_states_what_its_reader_found_and_the_translations_own_language(foreign):
    letter = text_of(page(foreign, "letter.html"))
    assert "Italian original with German translation · 2 segments · 2 notes · 4 names" in letter
    assert "Plain text (German)" in letter and "English" not in letter
    assert "factual problems" not in letter.lower() and "Contents:" not in letter
    diary = text_of(page(foreign, "diary.html"))
    assert "French original · 1 note · 1 name" in diary
    assert "Plain text (French)" in diary and "Plain text (English)" not in diary
    assert "factual problems" not in diary.lower() and "0 paragraphs" not in diary
    assert "(0)" not in text_of(page(foreign, "apparatus.html"))  # no source offered with none to show
    # the exports: the translation under its language's name; the whole diary, a unit a line
    assert (foreign / "html" / "text" / "letter.de.txt").read_text("utf-8").startswith("Liebe Anna")
    assert (foreign / "html" / "text" / "diary.txt").read_text("utf-8").split("\n")[:3] == \
        ["Lundi", "Jean.", "Il pleut encore."]


def test_names_pointing_into_a_documents_own_lists_reach_the_register_pages(foreign):
    persons = page(foreign, "persons.html")
    assert 'href="letter.html#it.1.1"' in persons and 'href="letter.html#de.1.1"' in persons
    assert 'href="diary.html#p1"' in persons  # the diary's paragraph, where its page shows the name
    assert 'href="diary.html#sp1"' in persons  # a speech of his (sp/@who)
    assert re.search(r'lang="de">Anna<', persons)  # the translation's words, in its own language
    places = page(foreign, "places.html")
    assert "Borgo Fittizio" in places and 'href="letter.html#it.1.2"' in places  # through @corresp


def test_a_name_opens_its_register_popover_in_a_browser(foreign, browser):
    browser.get((foreign / "html" / "letter.html").as_uri())
    for name, heading in (("persName", "Anna Rossi"), ("placeName", "Borgo Fittizio")):
        mention = browser.find_element(By.CSS_SELECTOR, f".cell.original .tei-{name}")
        mention.click()
        popover = WebDriverWait(browser, 5).until(
            lambda b: next((p for p in b.find_elements(By.CSS_SELECTOR, ".entry-popover") if p.is_displayed()), None))
        assert heading in popover.text
        browser.execute_script("arguments[0].hidePopover()", popover)


def test_every_text_unit_of_a_source_rendered_whole_is_searchable(foreign, browser):
    script = (foreign / "html" / "assets" / "search" / "d-diary.js").read_text("utf-8")
    rows = json.loads(re.match(r"window\.EDITION_SEARCH_DOCS\((\".*?\"),(.*)\);\s*$", script, re.S)[2])
    assert [(row[1], row[3], row[4]) for row in rows] == [
        ("fr", "diary.html#jour1", "Lundi"), ("fr", "diary.html#sp1", "Jean."), ("fr", "diary.html#sp1", "Il pleut encore."),
        ("fr", "diary.html#p1", "Visite de Jean avant midi."), ("fr", "diary.html#jour1", "Le soir, la pluie sur les tuiles.")]
    browser.get((foreign / "html" / "search.html").as_uri())
    box = browser.find_element(By.ID, "search-input")
    box.send_keys("tuiles")
    WebDriverWait(browser, 10).until(lambda b: "tuiles" in b.find_element(By.ID, "search-status").text)
    hits = browser.find_elements(By.CSS_SELECTOR, ".search-hit a")
    assert any("pluie sur les tuiles" in hit.text for hit in hits)
    box.clear()
    box.send_keys("Lefictif")  # a name form of the diary's own list: every mention, and its register entry
    WebDriverWait(browser, 10).until(lambda b: "Lefictif" in b.find_element(By.ID, "search-status").text)
    assert any("Visite de Jean" in hit.text for hit in browser.find_elements(By.CSS_SELECTOR, ".search-hit a"))
    link = browser.find_element(By.CSS_SELECTOR, ".search-entries a")
    assert link.text == "Jean Lefictif" and link.get_attribute("href").endswith("persons.html#diary-jean")
    assert 'id="diary-jean"' in page(foreign, "persons.html")


def test_the_books_index_lists_the_documents_own_people(foreign):
    reader = PdfReader(str(foreign / "pdf" / "edition.pdf"))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Rossi, Anna" in text and "Borgo Fittizio" in text
    # a name in a source rendered whole (the diary) is indexed with its chapter's page, as names in
    # sentence pairs are
    diary = next(reader.get_destination_page_number(item) + 1 for item in reader.outline
                 if not isinstance(item, list) and item.title == "Carnet imaginaire")
    index = next(" ".join(p.extract_text().split()) for p in reader.pages
                 if p.extract_text().lstrip().startswith("Index of people"))
    assert f"Lefictif, Jean {diary}" in index


def test_the_book_has_no_empty_chapter(foreign):
    """No register of organisations has an entry these documents name, and neither gives a figure
    (no <num>, no <measure>): the book has no empty index of organisations and no empty table of
    the figures compared, neither as a chapter nor in the contents; the indexes it has are there."""
    reader = PdfReader(str(foreign / "pdf" / "edition.pdf"))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Index of people" in outline and "Index of places" in outline
    assert "Index of organisations and military units" not in outline
    assert "organisations" not in text.lower() and "figures compared" not in text


def test_the_books_chapters_state_what_each_source_holds(foreign):
    """The chapter's opening line comes from what the reader found, as on the site: no house wording."""
    reader = PdfReader(str(foreign / "pdf" / "edition.pdf"))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Italian original with German translation · 2 segments, numbered in the margin · 2 notes" in text
    assert "French original · 1 note · 1 name" in text
    assert "factual problems" not in text.lower()


def test_the_epub_holds_the_notes_of_sources_from_elsewhere_and_epubcheck_is_clean(foreign):
    book = foreign / "epub" / "edition.epub"
    with zipfile.ZipFile(book) as z:
        chapters = " ".join(text_of(z.read(n).decode("utf-8")) for n in z.namelist() if n.startswith("EPUB/source-"))
    # the translation's note (a part the reader renders whole) and the diary's own note, as endnotes
    assert "Borgo Fittizio is an invented village." in chapters and "A note of the diarist's." in chapters
    assert "Written in one sitting." in chapters and "The village is not on any map." in chapters  # the back
    assert "Le soir, la pluie sur les tuiles" in chapters and "with German translation after each of its segments" in chapters
    epubcheck = Path("/usr/share/java/epubcheck.jar")
    if not epubcheck.exists() or not shutil.which("java"):
        pytest.fail("EPUBCheck is needed (Debian: epubcheck)")
    for name in ("edition.epub", "letter.epub", "diary.epub"):
        result = subprocess.run(["java", "-jar", str(epubcheck), "-q", str(foreign / "epub" / name)],
                                capture_output=True, text=True, timeout=600)
        output = result.stdout + result.stderr
        assert result.returncode == 0 and "ERROR" not in output and "WARNING" not in output, (name, output[:3000])


def test_the_navigation_names_a_source_of_no_stated_language_by_its_title_and_tells_like_titles_apart(tmp_path):
    from edition.corpus import Corpus
    from edition.html.collect import collect
    from edition.scaffold import new_edition
    new_edition(tmp_path / "ed", title="Nameless", languages=["en"])
    sources = tmp_path / "ed" / "tei" / "sources"
    (sources / "diary.xml").write_text(DIARY, "utf-8")
    (sources / "scraps.xml").write_text(DIARY.replace(' xml:lang="fr"', "").replace(
        "<langUsage><language ident=\"fr\">French</language></langUsage>", "").replace(
        "Carnet imaginaire", "Scraps of paper found in a drawer"), "utf-8")
    labels = {s.id: s.label for s in collect(Corpus.load(Edition.at(tmp_path / "ed"))).sources}
    assert labels == {"diary": "French", "scraps": "Scraps of paper found…"}
    (sources / "diary2.xml").write_text(DIARY, "utf-8")  # a second French diary of the same title
    labels = {s.id: s.label for s in collect(Corpus.load(Edition.at(tmp_path / "ed"))).sources}
    assert labels == {"diary": "Carnet imaginaire (diary)", "diary2": "Carnet imaginaire (diary2)",
                      "scraps": "Scraps of paper found…"}


def test_a_book_of_unnamed_scraps_has_its_title_as_running_head_and_no_empty_chapters(tmp_path):
    """A source that states no language and names no one: the PDF's running head over its pages is
    its label (its title), not "Text source (Scraps)"; the EPUB has no empty "Registers" chapter and
    EPUBCheck finds nothing."""
    from edition.scaffold import new_edition
    from tests.pdf.layout import MARGIN_TOP, read_pages
    new_edition(tmp_path / "ed", title="Nameless", languages=["en"])
    scraps = DIARY.replace(' xml:lang="fr"', "").replace(
        "<langUsage><language ident=\"fr\">French</language></langUsage>", "").replace(
        "Carnet imaginaire", "Scraps of paper found in a drawer").replace(
        '<persName ref="#jean">Jean</persName>', "Jean").replace(
        '<standOff><listPerson><person xml:id="jean"><persName>Jean Lefictif</persName></person></listPerson></standOff>',
        "").replace(' who="#jean"', "").replace(
        '<p xml:id="p1">', '<p xml:id="p1">' + " ".join(["La pluie tombe sur les tuiles du toit."] * 160))
    (tmp_path / "ed" / "tei" / "sources" / "scraps.xml").write_text(scraps, "utf-8")
    edition = Edition.at(tmp_path / "ed")
    api.build(edition, html=False, pdf=True, epub=True)
    heads = {" ".join(w.text for w in page.words if w.y1 < MARGIN_TOP - 2)
             for page in read_pages(edition.build_dir / "pdf" / "edition.pdf") if "tuiles" in page.text}
    assert heads - {""} == {"Scraps of paper found…"}
    book = edition.build_dir / "epub" / "edition.epub"
    with zipfile.ZipFile(book) as z:
        assert "EPUB/registers.xhtml" not in z.namelist()
    result = subprocess.run(["java", "-jar", "/usr/share/java/epubcheck.jar", "-q", str(book)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0 and "ERROR" not in result.stdout + result.stderr, result.stdout[:2000]
