"""Other people's TEI, published by the installed tool: every word on its page and in the
book, translations aligned in a real browser, `edition check` clean on the valid files."""
from __future__ import annotations

import re
import subprocess
import unicodedata

import pytest
from lxml import etree, html as lxml_html

from tests.conftest import ROOT
from tests.installed.conftest import DOCUMENTS, FIXTURES, TRANSLATED, VALID, run

WORD = re.compile(r"\w+")


def normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def tei_words(name: str) -> list[str]:
    tree = etree.parse(str(FIXTURES / f"{name}.xml"), etree.XMLParser(load_dtd=False, no_network=True,
                                                                      resolve_entities=False))
    text = tree.getroot().find("{http://www.tei-c.org/ns/1.0}text")
    return WORD.findall(normal(" ".join(text.itertext())))


def missing(words: list[str], shown: str) -> list[str]:
    """The words not shown: neither a word of `shown` nor inside its letters (markup such as a
    supplied letter or a line break inside a word may split a word on the page)."""
    tokens = set(WORD.findall(shown))
    letters = "".join(WORD.findall(shown))
    return sorted({w for w in words if w not in tokens and w not in letters})


def test_the_package_runs_from_the_wheel_not_from_the_repository(installed):
    where = run([str(installed.parent / "python"), "-c", "import edition; print(edition.__file__)"],
                installed.parent).stdout.strip()
    assert where.startswith(str(installed.parent.parent)) and str(ROOT) not in where


def test_the_build_says_what_it_found_in_each_source(published):
    for name in DOCUMENTS:
        line = next(l for l in published["log"].splitlines() if l.startswith(f"found {name}:"))
        assert "0 passage(s) not placed" in line
    assert re.search(r"found tp-serafin-orlik-letter: group/text.*; 13 <seg> pairs aligned", published["log"])
    assert re.search(r"found tp-vangogh-let695: div\[@type='translation'\]; 33 <ab> pairs aligned", published["log"])


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_word_of_the_text_is_on_its_page(published, name):
    page = lxml_html.parse(str(published["html"] / f"{name}.html")).getroot()
    shown = normal(" ".join(page.find("body").itertext()))
    assert missing(tei_words(name), shown) == []


def title_of(name: str) -> str:
    title = etree.parse(str(FIXTURES / f"{name}.xml")).getroot().find(
        ".//{http://www.tei-c.org/ns/1.0}titleStmt/{http://www.tei-c.org/ns/1.0}title")
    return " ".join(" ".join(title.itertext()).split())


def chapter_pages(pdf, title: str) -> tuple[int, int]:
    """A chapter's pages, from the PDF outline: from its title to the next source's (the sources' own
    headings are bookmarks too); the last source's footnotes may run on, so it runs to the end."""
    from pypdf import PdfReader
    reader = PdfReader(str(pdf))
    pages = {item.title: reader.get_destination_page_number(item) + 1
             for item in reader.outline if not isinstance(item, list)}
    first = pages[title]
    return first, min((pages[title_of(n)] for n in DOCUMENTS if pages[title_of(n)] > first),
                      default=len(reader.pages))


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_word_of_the_text_is_in_the_book(published, name):
    first, last = chapter_pages(published["pdf"], title_of(name))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(first), "-l", str(last), str(published["pdf"]), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert missing(tei_words(name), normal(text)) == []


@pytest.mark.parametrize("name", TRANSLATED)
def test_a_translation_is_set_beside_its_original_unit_by_unit(browser, published, name):
    browser.get((published["html"] / f"{name}.html").as_uri())
    rows = browser.execute_script("""
        return [...document.querySelectorAll('.cell.original .sentence')].map(s => {
            const other = document.getElementById(s.dataset.counterpart);
            return other ? [s.id, s.getBoundingClientRect().top, other.getBoundingClientRect().top,
                            other.closest('.cell').classList.contains('translation')] : null;
        }).filter(Boolean);""")
    assert len(rows) >= {"tp-serafin-orlik-letter": 13, "tp-vangogh-let695": 33}.get(name, 1)
    assert all(in_translation for *_, in_translation in rows)
    assert [(i, a, b) for i, a, b, _ in rows if abs(a - b) > 1] == []


@pytest.mark.parametrize("name", VALID)
def test_edition_check_finds_no_schema_error_in_a_valid_file(published, name):
    result = run([str(published["edition"]), "--root", str(published["root"]), "check",
                  str(published["root"] / "tei" / "sources" / f"{name}.xml")], published["elsewhere"], check=False)
    schema_errors = [l for l in result.stderr.splitlines() if re.search(r":\d+:\d+: (tei-all|edition-schema):", l)]
    assert schema_errors == [] and result.returncode == 0, result.stderr
    assert re.search(r"^tei_all: P5 4\.\d+", result.stderr, re.M)  # it did run, with the installed copy


def test_edition_check_runs_tei_all_by_default(published):
    result = run([str(published["edition"]), "--root", str(published["root"]), "check",
                  str(published["root"] / "tei" / "sources" / "tp-vangogh-let695.xml")], published["elsewhere"], check=False)
    assert result.returncode == 1
    assert re.search(r"tp-vangogh-let695\.xml:\d+:\d+: tei-all: element \"vg:whiteline\" not allowed", result.stderr)


def test_registers_in_a_document_feed_the_editions(published):
    persons = lxml_html.parse(str(published["html"] / "persons.html")).getroot()
    names = [" ".join(h.text_content().split()) for h in persons.xpath("//article[@class='register-entry']/h2")]
    assert "Mikołaj Serafin" in names and "Michał z Buczacza" in names
    entry = persons.xpath("//article[h2='Michał z Buczacza']")[0]
    assert entry.xpath(".//a[contains(@href, 'tp-serafin-orlik-letter.html#')]")
