"""The site's own search engine (edition/html/search.py + styles/js/search.js), in headless Chromium."""
from __future__ import annotations

import json
import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from edition.html.search import tokens


def query(browser, text):
    box = browser.find_element(By.ID, "search-input")
    box.clear()
    box.send_keys(text)
    WebDriverWait(browser, 10).until(
        lambda b: "for “" + text + "”" in b.find_element(By.ID, "search-status").text)
    return browser.execute_script("""
        return [...document.querySelectorAll('.search-group')].map(g => ({
            source: g.dataset.source,
            hits: [...g.querySelectorAll('.search-hit')].map(h => ({
                texts: [...h.querySelectorAll('p a')].map(a => [a.lang, a.textContent]),
                marks: [...h.querySelectorAll('mark')].map(m => m.textContent),
                href: h.querySelector('a').getAttribute('href')}))}));""")


def loaded_scripts(browser):
    return browser.execute_script(
        "return [...document.scripts].map(s => s.src.split('/').pop())")


def documents(site, source):
    text = (site / "assets" / "search" / f"d-{source}.js").read_text("utf-8")
    return json.loads(re.match(r"window\.EDITION_SEARCH_DOCS\((\".*?\"),(.*)\);\s*$", text, re.S)[2])


def test_the_browser_tokenizes_as_the_index_was_built(open_page, site):
    """Query tokens must be the index's tokens, or words are silently missed."""
    browser = open_page("search.html")
    samples = [doc[4] for source in ("th-khalkhin-gol", "zh-nomonhan", "pl-khasan", "es-khalkhin-gol")
               for doc in documents(site, source)[:40]]
    samples += ["Łódź Jasán ZAOZIÓRNAJA", "ทะเลสาบคาซาน 1938", "哈桑湖 Khasan"]
    in_browser = browser.execute_script("return arguments[0].map(t => window.EDITION_SEARCH_TOKENS(t))", samples)
    assert in_browser == [tokens(text) for text in samples]


def test_the_page_loads_only_the_manifest_before_a_query(open_page):
    browser = open_page("search.html")
    before = loaded_scripts(browser)
    assert "index.js" in before
    assert not [n for n in before if n.startswith(("t-", "d-"))]
    query(browser, "Zhukov")
    after = loaded_scripts(browser)
    assert "t-z.js" in after and not [n for n in after if n.startswith("t-") and n != "t-z.js"]


@pytest.mark.parametrize("text, lang", [("ญี่ปุ่น", "th"), ("朱可夫", "zh"), ("jeziorem", "pl"),
                                        ("Zhukov", "en"), ("frontera", "es")])
def test_search_finds_words_in_every_script(open_page, text, lang):
    groups = query(open_page("search.html"), text)
    found = [(l, t) for g in groups for h in g["hits"] for l, t in h["texts"]]
    assert any(l == lang and text.lower() in t.lower() for l, t in found)


def test_a_name_finds_its_entry_in_every_script(open_page, site):
    """"Chasan" (one Polish spelling) finds the tagged mentions of Lake Khasan in
    every source that names it, whatever its script, and the sentences of the
    Chinese source that narrate the battle without naming the lake."""
    groups = {g["source"]: g["hits"] for g in query(open_page("search.html"), "Chasan")}
    assert set(groups) == {"th-khalkhin-gol", "es-khalkhin-gol", "pl-khasan", "zh-nomonhan"}
    for source in ("th-khalkhin-gol", "es-khalkhin-gol", "pl-khasan"):
        tagged = {doc[2].removesuffix("-en") for doc in documents(site, source)
                  if any(site_entry(site, m[0]) == "pla:lake-khasan" for m in doc[7])}
        shown = {h["href"].split("#")[1] for h in groups[source]}
        assert tagged and tagged <= shown, source
        assert all(h["marks"] for h in groups[source] if h["href"].split("#")[1] in tagged)
    thai_marks = {m for h in groups["th-khalkhin-gol"] for m in h["marks"]}
    assert any(re.search(r"[\u0E00-\u0E7F]", m) for m in thai_marks)


def site_entry(site, index):
    text = (site / "assets" / "search" / "index.js").read_text("utf-8")
    manifest = json.loads(text.removeprefix("window.EDITION_SEARCH=").rstrip().rstrip(";"))
    return manifest["entries"][index][0]


def test_folded_matches_are_highlighted(open_page):
    groups = query(open_page("search.html"), "Jasan")
    marks = {m for g in groups for h in g["hits"] for m in h["marks"]}
    assert any("Jasán" in m for m in marks)


def test_filters_by_source_and_language(open_page):
    browser = open_page("search.html")
    everywhere = query(browser, "Japan")
    assert len({g["source"] for g in everywhere}) > 1
    Select(browser.find_element(By.ID, "search-source")).select_by_value("zh-nomonhan")
    WebDriverWait(browser, 10).until(lambda b: {g["source"] for g in query(b, "Japanese")} == {"zh-nomonhan"})
    Select(browser.find_element(By.ID, "search-source")).select_by_value("")
    Select(browser.find_element(By.ID, "search-lang")).select_by_value("pl")
    groups = query(browser, "jeziorem")
    assert {g["source"] for g in groups} == {"pl-khasan"}
    Select(browser.find_element(By.ID, "search-lang")).select_by_value("")
