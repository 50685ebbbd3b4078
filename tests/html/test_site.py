"""The built HTML edition, read in a real headless Chromium."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from lxml import html as lxml_html
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

PAGES = ["index.html", "synopsis.html", "apparatus.html", "persons.html", "places.html",
         "organisations.html", "timeline.html", "map.html", "search.html", "bibliography.html"]
SOURCES = ["th-khalkhin-gol.html", "es-khalkhin-gol.html", "pl-khasan.html", "zh-nomonhan.html"]


def severe(log):
    return [entry for entry in log if entry["level"] == "SEVERE"]


@pytest.mark.parametrize("name", PAGES + SOURCES)
def test_every_page_loads_without_console_errors(open_page, name):
    browser = open_page(name)
    browser.execute_script("return document.readyState")
    assert severe(browser.get_log("browser")) == []
    assert browser.find_element(By.TAG_NAME, "h1").text.strip()


def test_every_internal_link_and_anchor_resolves(site):
    ids = {}
    pages = sorted(site.glob("*.html"))
    for page in pages:
        ids[page.name] = set(lxml_html.parse(str(page)).getroot().xpath("//@id"))
    broken = []
    for page in pages:
        for link in lxml_html.parse(str(page)).getroot().xpath("//a/@href"):
            target = urlparse(link)
            if target.scheme or link.startswith("//"):
                continue
            name = unquote(target.path) or page.name
            if name not in ids and not (site / name).exists():
                broken.append(f"{page.name}: {link} (no such file)")
            elif target.fragment and target.fragment not in ids.get(name, set()):
                broken.append(f"{page.name}: {link} (no such anchor)")
    assert broken == []


def test_every_element_in_a_source_page_has_the_right_language(open_page):
    browser = open_page("th-khalkhin-gol.html")
    langs = browser.execute_script(
        "return [...document.querySelectorAll('.cell.original .sentence')].map(s => s.closest('[lang]').lang)")
    assert langs and set(langs) == {"th"}
    langs = browser.execute_script(
        "return [...document.querySelectorAll('.cell.translation .sentence')].map(s => s.closest('[lang]').lang)")
    assert set(langs) == {"en"}


@pytest.mark.parametrize("name", SOURCES)
def test_parallel_rows_are_aligned(open_page, name):
    browser = open_page(name)
    offsets = browser.execute_script("""
        return [...document.querySelectorAll('.cell.original .sentence')].map(s => {
            const other = document.getElementById(s.dataset.counterpart);
            return other ? [s.id, s.getBoundingClientRect().top, other.getBoundingClientRect().top] : null;
        }).filter(Boolean);""")
    assert offsets, "no aligned sentence pairs"
    misaligned = [(i, a, b) for i, a, b in offsets if abs(a - b) > 1]
    assert misaligned == []


def test_hovering_a_sentence_highlights_its_counterpart(open_page):
    from selenium.webdriver import ActionChains
    browser = open_page("pl-khasan.html")
    sentence = browser.find_element(By.ID, "pl-khasan-s3")
    counterpart = browser.find_element(By.ID, sentence.get_attribute("data-counterpart"))
    ActionChains(browser).move_to_element(sentence).perform()
    assert "highlight" in counterpart.get_attribute("class")


def test_focusing_a_permalink_highlights_both_sentences(open_page):
    browser = open_page("pl-khasan.html")
    link = browser.find_element(By.CSS_SELECTOR, "a.permalink[href='#pl-khasan-s5']")
    browser.execute_script("arguments[0].focus()", link)
    counterpart = browser.find_element(By.ID, "pl-khasan-s5-en")
    assert "highlight" in counterpart.get_attribute("class")


def test_a_layer_toggle_hides_and_shows_its_annotations(open_page):
    browser = open_page("zh-nomonhan.html")
    probe = "return getComputedStyle(document.querySelector('.parallel .annotation-place')).backgroundColor"
    shown = browser.execute_script(probe)
    browser.find_element(By.ID, "layer-place").click()
    assert browser.execute_script(probe) == "rgba(0, 0, 0, 0)" != shown
    browser.find_element(By.ID, "layer-place").click()
    assert browser.execute_script(probe) == shown


def test_a_person_opens_a_popover_with_the_register_entry(open_page):
    browser = open_page("zh-nomonhan.html")
    mention = browser.find_element(By.CSS_SELECTOR, ".parallel [data-ref^='per:']")
    mention.click()
    popover = browser.find_element(By.ID, "pop-" + mention.get_attribute("data-ref").split()[0].replace(":", "-"))
    assert browser.execute_script("return arguments[0].matches(':popover-open')", popover)
    assert "Register entry" in popover.text


def test_a_factual_problem_marker_opens_its_note_with_evidence(open_page):
    browser = open_page("th-khalkhin-gol.html")
    marker = browser.find_element(By.CSS_SELECTOR, ".parallel .fp-marker")
    marker.click()
    popover = browser.find_element(By.ID, marker.get_attribute("popovertarget"))
    assert browser.execute_script("return arguments[0].matches(':popover-open')", popover)
    assert "Evidence" in popover.text


def test_the_apparatus_filters_by_source(open_page):
    browser = open_page("apparatus.html")
    total = len(browser.find_elements(By.CSS_SELECTOR, ".all-problems > li"))
    browser.execute_script("const s = document.getElementById('filter-source'); s.value = 'zh-nomonhan';"
                           "s.dispatchEvent(new Event('change'))")
    visible = browser.execute_script("return [...document.querySelectorAll('.all-problems > li')]"
                                     ".filter(li => !li.hidden).map(li => li.dataset.source)")
    assert visible and set(visible) == {"zh-nomonhan"} and len(visible) < total


def test_columns_stack_on_a_phone(browser, site):
    browser.set_window_size(390, 844)
    try:
        browser.get((site / "pl-khasan.html").as_uri())
        original, translation = browser.execute_script("""
            const pair = document.querySelector('.pair');
            return [pair.querySelector('.cell.original').getBoundingClientRect().left,
                    pair.querySelector('.cell.translation').getBoundingClientRect().left];""")
        assert original == translation
    finally:
        browser.set_window_size(1280, 900)


def test_keyboard_reaches_a_mention_by_arrows_and_its_popover_takes_focus(open_page):
    browser = open_page("zh-nomonhan.html")
    mention = browser.find_element(By.CSS_SELECTOR, ".parallel [data-ref^='pla:'][role=button]")
    row = mention.find_element(By.XPATH, "ancestor::div[contains(@class, 'pair')]")
    first = row.find_element(By.CSS_SELECTOR, "[tabindex='0']")
    first.send_keys("")  # focus the row's one tab stop
    browser.execute_script("arguments[0].focus()", first)
    for _ in range(20):
        if browser.switch_to.active_element == mention:
            break
        browser.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)
    assert browser.switch_to.active_element == mention
    mention.send_keys(Keys.ENTER)
    popover = browser.find_element(By.ID, "pop-" + mention.get_attribute("data-ref").split()[0].replace(":", "-"))
    WebDriverWait(browser, 3).until(lambda b: b.execute_script(
        "return arguments[0].contains(document.activeElement)", popover))
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    WebDriverWait(browser, 3).until(lambda b: b.switch_to.active_element == mention)


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("name", ["index.html", "pl-khasan.html", "th-khalkhin-gol.html", "apparatus.html",
                                  "persons.html", "synopsis.html", "search.html"])
def test_pages_meet_wcag_21_aa(open_page, name):
    """axe-core's WCAG 2.1 A/AA rules (contrast, names, landmarks, lang) in the real page."""
    browser = open_page(name)
    browser.execute_script(AXE.read_text("utf-8"))
    result = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
           .then(r => done(r.violations.map(v => [v.id, v.nodes.length, v.nodes[0].target.join(' ')])));""")
    assert result == []


def test_no_page_repeats_an_id(site):
    from collections import Counter
    repeated = {}
    for page in sorted(site.glob("*.html")):
        counts = Counter(lxml_html.parse(str(page)).getroot().xpath("//@id"))
        duplicates = [i for i, n in counts.items() if n > 1]
        if duplicates:
            repeated[page.name] = duplicates[:5]
    assert repeated == {}
