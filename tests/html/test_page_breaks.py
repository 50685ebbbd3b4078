"""A page break as a reader sees it in Chromium: its number in brackets, or the
diplomatic bar when it has none (empty brackets read as a box)."""
from __future__ import annotations

from click.testing import CliRunner

from edition.cli import main

DOCUMENT = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
<titleStmt><title>Breaks</title></titleStmt><publicationStmt><p>test</p></publicationStmt>
<sourceDesc><p>written for the test</p></sourceDesc></fileDesc></teiHeader>
<text><body><p>al<pb break="no"/>les und <pb n="12"/>weiter</p></body></text></TEI>"""


def marks(browser, page) -> list[tuple[str, str, str]]:
    browser.get(page.as_uri())
    return browser.execute_script("""
        return [...document.querySelectorAll('.page-break')].map(el => [el.textContent,
            getComputedStyle(el, '::before').content, getComputedStyle(el, '::after').content]);""")


def test_a_page_break_shows_its_number_or_the_bar(tmp_path, browser):
    source = tmp_path / "breaks.xml"
    source.write_text(DOCUMENT, encoding="utf-8")
    page = tmp_path / "breaks.html"
    result = CliRunner().invoke(main, ["render", str(source), "-o", str(page)])
    assert result.exit_code == 0, result.output
    unnumbered, numbered = marks(browser, page)
    assert unnumbered == ["", '"|"', "none"]
    assert numbered == ["12", '"["', '"]"']
    shown = browser.execute_script("return document.querySelector('p').innerText")
    assert "al" in shown and "weiter" in shown
