"""The site as a reader meets it, at laptop (1366 px) and phone (390 px, 320 px) widths,
in headless Chromium: no page wider than the screen, jump targets in sight,
the keyboard's tab stops, popovers, citations, downloads, fonts and the views."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import ROOT

PAGE_TYPES = ["index.html", "th-khalkhin-gol.html", "pl-khasan.html", "zh-nomonhan.html", "synopsis.html",
              "apparatus.html", "persons.html", "organisations.html", "timeline.html", "map.html",
              "search.html?q=Chasan", "bibliography.html"]
SOURCES = ["th-khalkhin-gol", "es-khalkhin-gol", "pl-khasan", "zh-nomonhan"]


@pytest.fixture
def at_width(browser, site):
    """Open a page at a given window width (a phone: touch metrics, 844 px high)."""
    def load(name: str, width: int, height: int = 900):
        browser.set_window_size(width, height)
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500})
        path, _, fragment = name.partition("#")
        path, _, query = path.partition("?")
        browser.get((site / path).as_uri() + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else ""))
        WebDriverWait(browser, 10).until(lambda b: b.execute_script("return document.readyState") == "complete")
        return browser
    yield load
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.set_window_size(1280, 900)


@pytest.mark.parametrize("width", [1366, 390, 320])
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_no_page_is_wider_than_the_screen(at_width, name, width):
    browser = at_width(name, width)
    if "search" in name:
        WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".search-hit"))
    overflow = browser.execute_script("""
        const limit = document.documentElement.clientWidth;
        const wide = [...document.querySelectorAll('body *')].filter(e => {
            const r = e.getBoundingClientRect();
            return r.width && r.right > limit + 1 && !e.closest('[popover]');
        }).slice(0, 3).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));
        return [document.documentElement.scrollWidth, limit, wide];""")
    assert overflow[0] <= overflow[1], overflow


def sticky_bottom(browser):
    return browser.execute_script("""
        return Math.max(0, ...[...document.querySelectorAll('body *')].filter(e => {
            const p = getComputedStyle(e).position;
            return (p === 'sticky' || p === 'fixed') && e.getClientRects().length && !e.closest('[popover]');
        }).map(e => { const r = e.getBoundingClientRect(); return r.top < 1 && r.bottom > 0 ? r.bottom : 0; }));""")


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("target", ["th-khalkhin-gol-s39", "pl-khasan-s14", "zh-nomonhan-s20-en"])
def test_a_permalinks_sentence_is_fully_visible_below_any_sticky_element(at_width, width, target):
    page = target.rsplit("-s", 1)[0] + ".html"
    browser = at_width(f"{page}#{target}", width, 900 if width > 500 else 844)
    WebDriverWait(browser, 5).until(lambda b: b.execute_script(
        "return document.getElementById(arguments[0]).closest('.pair').classList.contains('arrived')", target))
    top, bottom, height = browser.execute_script("""
        const r = document.getElementById(arguments[0]).getBoundingClientRect();
        return [r.top, r.bottom, window.innerHeight];""", target)
    assert top >= sticky_bottom(browser) and bottom <= height, (top, bottom, sticky_bottom(browser))


def tab_stops(browser):
    """The elements in the page's sequential focus order (tabindex ≥ 0, rendered, not in a closed popover)."""
    return browser.execute_script("""
        return [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
          .filter(e => e.tabIndex >= 0 && !e.disabled && !e.hidden
                  && e.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true})
                  && !e.closest('[popover]:not(:popover-open)') && !e.closest('details:not([open]) > :not(summary)'))
          .map(e => e.closest('.parallel .pair') ? 'row:' + e.closest('.pair').dataset.sentence
                    : e.closest('ol.problems') ? 'problems' : 'control');""")


def test_the_thai_page_has_one_tab_stop_per_sentence_row(open_page):
    browser = open_page("th-khalkhin-gol.html")
    stops = tab_stops(browser)
    rows = browser.execute_script("return document.querySelectorAll('.parallel .pair').length")
    per_row = [s for s in stops if s.startswith("row:")]
    controls = [s for s in stops if s == "control"]
    assert len(per_row) == len(set(per_row)) == rows
    assert stops.count("problems") == 1  # the apparatus list: one stop, arrows inside
    assert len(stops) < rows + len(controls) + 2 and len(controls) < 60


def test_arrow_keys_move_inside_a_row_and_to_the_next(open_page):
    browser = open_page("pl-khasan.html")
    first = browser.find_element(By.CSS_SELECTOR, ".pair[data-sentence='pl-khasan-s3'] .sentence-number")
    browser.execute_script("arguments[0].focus()", first)
    first.send_keys(Keys.ARROW_RIGHT)
    assert browser.switch_to.active_element.get_attribute("class") == "cite-button"
    browser.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
    assert browser.switch_to.active_element.get_attribute("href").endswith("#pl-khasan-s4")
    assert browser.switch_to.active_element.get_attribute("tabindex") == "0"


@pytest.mark.parametrize("width", [1366, 390])
def test_a_long_problem_popover_takes_focus_fits_the_screen_and_scrolls(at_width, width):
    browser = at_width("th-khalkhin-gol.html", width, 900 if width > 500 else 844)
    markers = browser.find_elements(By.CSS_SELECTOR, ".parallel .fp-marker")
    longest = max(markers, key=lambda m: len(browser.find_element(
        By.ID, m.get_attribute("popovertarget")).get_attribute("textContent")))
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus()", longest)
    longest.send_keys(Keys.ENTER)
    popover = browser.find_element(By.ID, longest.get_attribute("popovertarget"))
    WebDriverWait(browser, 3).until(lambda b: b.execute_script(
        "return arguments[0].matches(':popover-open') && arguments[0].contains(document.activeElement)", popover))
    top, bottom, left, right, scroll, client, vh, vw = browser.execute_script("""
        const p = arguments[0], r = p.getBoundingClientRect();
        return [r.top, r.bottom, r.left, r.right, p.scrollHeight, p.clientHeight, innerHeight, innerWidth];""", popover)
    assert top >= 0 and bottom <= vh and left >= 0 and right <= vw
    assert bottom - top <= 0.8 * vh + 1
    if scroll > client:  # the evidence at its end can be scrolled to
        browser.execute_script("arguments[0].scrollTop = arguments[0].scrollHeight", popover)
        assert browser.execute_script("return arguments[0].scrollTop", popover) > 0
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    WebDriverWait(browser, 3).until(lambda b: b.switch_to.active_element == longest)


_REFERENCE = re.compile(r"\bs\d+\b|\b(?:sentences?|paragraphs?)\s+\d+")


@pytest.mark.parametrize("page", [f"{s}.html" for s in SOURCES] + ["apparatus.html"])
def test_every_sentence_reference_in_a_note_is_a_link_that_resolves(site, page):
    root = lxml_html.parse(str(site / page)).getroot()
    notes = root.xpath("//*[contains(@class, 'note-content')] | //*[contains(@class, 'problem')]"
                       "[self::li or self::div]")
    assert notes
    unlinked, broken, linked = [], [], 0
    for note in notes:
        for text in note.xpath(".//text()[not(ancestor::a)]"):
            unlinked += [m[0] for m in re.finditer(r"\bs\d+\b", text)]
        for link in note.xpath(".//a[contains(@class, 'sentence-ref')]"):
            linked += 1
            name, _, fragment = link.get("href").partition("#")
            target = lxml_html.parse(str(site / (name or page))).getroot()
            if not target.xpath(f"//*[@id='{fragment}']"):
                broken.append(link.get("href"))
    assert unlinked == [] and broken == []
    if page in ("th-khalkhin-gol.html", "pl-khasan.html", "apparatus.html"):  # their notes cite s39, paragraph 6
        assert linked


def test_cite_this_passage_gives_the_permalink_a_citation_bibtex_and_csl_json(open_page):
    browser = open_page("pl-khasan.html")
    browser.find_element(By.CSS_SELECTOR, ".cite-button[data-cite='pl-khasan-s5']").click()
    box = browser.find_element(By.ID, "cite-box")
    WebDriverWait(browser, 3).until(lambda b: b.execute_script("return arguments[0].matches(':popover-open')", box))
    assert browser.execute_script("return arguments[0].contains(document.activeElement)", box)
    link = browser.find_element(By.ID, "cite-link").get_attribute("value")
    assert link.endswith("pl-khasan.html#pl-khasan-s5")
    text = browser.find_element(By.ID, "cite-text").get_attribute("value")
    assert "sentence 5" in text and "Polish" in text and link in text
    bibtex = browser.find_element(By.ID, "cite-bibtex").get_attribute("value")
    assert bibtex.startswith("@incollection{pl-khasan-s5,") and "url = {" + link + "}" in bibtex
    csl = json.loads(browser.find_element(By.ID, "cite-csl").get_attribute("value"))
    assert csl[0]["URL"] == link and csl[0]["language"] == "pl" and csl[0]["container-title"]


@pytest.mark.parametrize("name", ["index.html", "th-khalkhin-gol.html", "persons.html", "synopsis.html"])
def test_every_page_carries_citation_meta_tags(site, name):
    root = lxml_html.parse(str(site / name)).getroot()
    meta = {m.get("name"): m.get("content") for m in root.xpath("//head/meta[@name]")}
    assert meta.get("citation_title") and meta.get("DC.title") and meta.get("DC.date")
    assert meta.get("citation_publication_date", "").count("/") == 2
    if name.startswith("th-"):
        assert meta["citation_language"] == "th" and meta["DC.language"] == "th"


def test_a_source_page_links_its_tei_and_plain_exports(site):
    root = lxml_html.parse(str(site / "pl-khasan.html")).getroot()
    hrefs = root.xpath("//p[@class='downloads']/a/@href")
    links = {"TEI XML": next(h for h in hrefs if h.endswith(".xml")),
             "Plain text (Polish)": next(h for h in hrefs if h.endswith("pl-khasan.txt")),
             "Markdown (original and translation)": next(h for h in hrefs if h.endswith(".md"))}
    tei = site / links["TEI XML"]
    assert tei.read_bytes() == (ROOT / "tei" / "sources" / "pl-khasan.xml").read_bytes()
    sentences = root.xpath("//div[contains(@class, 'cell original')]/span[@class='sentence']")
    text = (site / links["Plain text (Polish)"]).read_text("utf-8")
    assert len([line for line in text.splitlines() if line]) == len(sentences)
    markdown = (site / links["Markdown (original and translation)"]).read_text("utf-8")
    assert markdown.startswith("# ") and "## English translation" in markdown
    assert "[14] Konflikt nad jeziorem Khasan" in markdown


def test_the_site_reads_thai_and_chinese_in_its_own_web_fonts(open_page, site):
    assert any((site / "assets" / "fonts").glob("edition-thai-*.woff2"))
    for page, selector, family in (("th-khalkhin-gol.html", ".cell.original .sentence", "Edition Thai"),
                                   ("zh-nomonhan.html", ".cell.original .sentence", "Edition CJK")):
        browser = open_page(page)
        loaded = browser.execute_async_script("""
            const done = arguments[arguments.length - 1];
            const el = document.querySelector(arguments[0]);
            document.fonts.ready.then(() => done([getComputedStyle(el).fontFamily,
                [...document.fonts].filter(f => f.family.replace(/"/g, '') === arguments[1] && f.status === 'loaded').length]));
            """, selector, family)
        assert loaded[0].replace('"', "").startswith(family) and loaded[1] >= 1, loaded


def test_by_event_filters_to_the_events_two_sources_narrate(open_page):
    browser = open_page("synopsis.html")
    cards = browser.find_elements(By.CSS_SELECTOR, ".event-card")
    shared = [c for c in cards if int(c.get_attribute("data-sources")) >= 2]
    assert 0 < len(shared) < len(cards)
    browser.find_element(By.ID, "filter-shared").click()
    visible = browser.execute_script("return [...document.querySelectorAll('.event-card')].filter(c => !c.hidden).length")
    assert visible == len(shared)


def test_figures_are_grouped_by_event_and_side_and_link_their_sentence(site):
    root = lxml_html.parse(str(site / "synopsis.html")).getroot()
    sections = root.xpath("//section[contains(@class, 'figures-event')]")
    assert sections
    sides = {h.text_content() for h in root.xpath("//div[@class='figures-side']/h4")}
    assert {"Soviet and Mongolian", "Japanese and Manchukuo"} <= sides
    for claim in root.xpath("//a[@class='claim']")[:50]:
        page, _, fragment = claim.get("href").partition("#")
        assert lxml_html.parse(str(site / page)).getroot().xpath(f"//*[@id='{fragment}']")
        assert claim.xpath(".//span[@class='claim-words']")[0].text_content().strip()
    index = lxml_html.parse(str(site / "index.html")).getroot()
    assert index.xpath("//a[@href='synopsis.html#figures']")


def test_layer_choices_and_text_size_are_remembered(open_page):
    browser = open_page("zh-nomonhan.html")
    try:
        browser.find_element(By.ID, "layer-place").click()
        before = browser.execute_script("return parseFloat(getComputedStyle(document.documentElement).fontSize)")
        browser.find_element(By.CSS_SELECTOR, ".text-size button[data-size='1']").click()
        browser.refresh()
        assert not browser.find_element(By.ID, "layer-place").is_selected()
        after = browser.execute_script("return parseFloat(getComputedStyle(document.documentElement).fontSize)")
        assert after > before
    finally:
        browser.execute_script("localStorage.clear()")


def test_the_introduction_is_read_without_tints_unless_asked(open_page):
    browser = open_page("index.html")
    probe = "return getComputedStyle(document.querySelector('.front-matter .annotation')).backgroundColor"
    assert browser.execute_script(probe) == "rgba(0, 0, 0, 0)"
    browser.find_element(By.ID, "front-tints").click()
    assert browser.execute_script(probe) != "rgba(0, 0, 0, 0)"
    browser.execute_script("localStorage.clear()")


def test_on_a_phone_the_timeline_reads_vertically_and_map_labels_stay_readable(at_width):
    browser = at_width("timeline.html", 390, 844)
    bars = browser.execute_script(
        "return [...document.querySelectorAll('.timeline-event')].filter(e => e.getClientRects().length).length")
    label = browser.execute_script(
        "return document.querySelector('.timeline-overview .overview-label').getBoundingClientRect().height")
    assert label >= 8
    items = browser.execute_script("""return [...document.querySelectorAll('.event-list > li')].slice(0, 5)
        .map(li => li.getBoundingClientRect().top)""")
    assert bars == 0 and items == sorted(items) and len(set(items)) == len(items)
    browser = at_width("map.html", 390, 844)
    sizes = browser.execute_script("""return [...document.querySelectorAll('.map-place text')]
        .filter(t => getComputedStyle(t).display !== 'none').map(t => t.getBoundingClientRect().height)""")
    assert sizes and min(sizes) >= 11


def test_the_search_page_shows_the_tei_of_nothing_third_party(site):
    """Nothing but the site's own scripts ships with it (MiniSearch is gone)."""
    scripts = sorted(p.name for p in (site / "assets").glob("*.js"))
    assert scripts == ["search.js", "site.js"]
    assert "minisearch" not in (ROOT / "package.json").read_text("utf-8").lower()
