"""A large edition's site is split (edition/html/pages.py, MANY_SOURCES): a 40-document edition made
by bench/scale.py from ours, built once, read in headless Chromium from file://."""
from __future__ import annotations

import importlib.util
import json
import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from edition import Edition, api
from edition.html.pages import MANY_SOURCES, PER_PAGE
from tests.conftest import ROOT

from tests.html.test_search import loaded_scripts, query

N = 40


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("scale", ROOT / "bench" / "scale.py")
    scale = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale)
    root = scale.generate(tmp_path_factory.mktemp("large"), N)
    api.build(Edition.at(root), html=True, pdf=False)
    return root / "build" / "html"


def test_the_navigation_does_not_list_every_source(large, browser):
    assert N > MANY_SOURCES
    browser.get((large / "sources.html").as_uri())
    order = [row.get_attribute("id") for row in browser.find_elements(By.CSS_SELECTOR, ".sources-table tbody tr")]
    assert len(order) == N
    here = order.index("pl-khasan-c9")
    browser.get((large / "pl-khasan-c9.html").as_uri())
    nav = browser.find_element(By.CSS_SELECTOR, ".site-header nav[aria-label='Edition']")
    assert len(nav.find_elements(By.TAG_NAME, "a")) < MANY_SOURCES
    steps = browser.find_element(By.CSS_SELECTOR, ".source-steps")
    assert steps.find_element(By.CSS_SELECTOR, "a[rel=prev]").get_attribute("href").endswith(f"/{order[here - 1]}.html")
    assert steps.find_element(By.CSS_SELECTOR, "a[rel=next]").get_attribute("href").endswith(f"/{order[here + 1]}.html")
    # the sources index holds every source, and the step's "Source k of N" link finds this one's row
    index = steps.find_elements(By.TAG_NAME, "a")[1]
    assert index.text == f"Source {here + 1} of {N}"
    index.click()
    assert browser.current_url.endswith("sources.html#pl-khasan-c9")


def test_the_apparatus_is_one_page_per_source(large, browser):
    browser.get((large / "sources.html").as_uri())
    row = browser.find_element(By.ID, "es-khalkhin-gol-c9")
    row.find_element(By.CSS_SELECTOR, "td[data-label='Factual problems'] a").click()
    assert browser.current_url.endswith("apparatus-es-khalkhin-gol-c9.html")
    problems = browser.find_elements(By.CSS_SELECTOR, ".all-problems > li")
    assert problems and {p.get_attribute("data-source") for p in problems} == {"es-khalkhin-gol-c9"}
    Select(browser.find_element(By.ID, "filter-category")).select_by_index(1)  # the category filter still works
    shown = [p for p in problems if p.is_displayed()]
    assert 0 < len(shown) <= len(problems)
    count = browser.find_element(By.ID, "filter-count").text
    assert count == f"{len(shown)} problem" + ("s" if len(shown) != 1 else "")


def test_an_event_told_by_many_sources_is_paginated(large, browser):
    browser.get((large / "synopsis.html").as_uri())
    assert not browser.find_elements(By.CSS_SELECTOR, ".event-card")  # an index of the events, no sentences
    busiest = max(browser.find_elements(By.CSS_SELECTOR, ".event-index li"),
                  key=lambda li: int(re.search(r"narrated by (\d+)", li.text)[1]))
    told = int(re.search(r"narrated by (\d+)", busiest.text)[1])
    assert told > PER_PAGE
    busiest.find_element(By.TAG_NAME, "a").click()
    first_pager = "(//nav[@class='pager'])[1]/a"
    pages = browser.find_elements(By.XPATH, first_pager)
    assert len(pages) == -(-told // PER_PAGE)
    seen = set()
    for number in range(len(pages)):
        browser.find_elements(By.XPATH, first_pager)[number].click()
        shown = {s.get_attribute("aria-label") for s in browser.find_elements(By.CSS_SELECTOR, ".event-source")}
        assert 0 < len(browser.find_elements(By.CSS_SELECTOR, ".event-source")) <= PER_PAGE
        seen |= {a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, ".event-source h3 a")}
        assert shown
    assert len(seen) == told  # every source that tells the event, once


def test_a_register_entry_links_to_its_occurrences(large, browser):
    browser.get((large / "persons.html").as_uri())
    link = browser.find_element(By.CSS_SELECTOR, "#zhukov .occurrences a")
    total, sources = map(int, re.match(r"(\d+) occurrences in (\d+) sources", link.text).groups())
    link.click()
    counted, groups = 0, 0
    while True:
        groups += len(browser.find_elements(By.CSS_SELECTOR, ".occurrence-group"))
        counted += len(browser.find_elements(By.CSS_SELECTOR, ".occurrence-group li"))
        following = browser.find_elements(By.XPATH, "(//nav[@class='pager'])[1]/a[@aria-current='page']"
                                                    "/following-sibling::a[1]")
        if not following:
            break
        following[0].click()
    assert (counted, groups) == (total, sources)


def test_search_loads_only_the_shards_a_query_needs(large, browser):
    """The manifest alone before a query; a word loads its term shard and the sentences of
    the sources it is found in, nothing else; a late source picked in the filter (whose
    options the script adds) loads that source's sentences only."""
    browser.get((large / "search.html").as_uri())
    assert {n for n in loaded_scripts(browser) if n.endswith(".js")} == {"site.js", "index.js", "search.js"}
    manifest = json.loads((large / "assets" / "search" / "index.js").read_text("utf-8")
                          .removeprefix("window.EDITION_SEARCH=").rstrip().rstrip(";"))
    assert all(len(entry) == 5 for entry in manifest["entries"])  # names, no sentence numbers
    groups = query(browser, "frontera")
    found = {g["source"] for g in groups}
    assert found and all(s.startswith("es-khalkhin-gol") for s in found)
    scripts = loaded_scripts(browser)
    assert {n for n in scripts if n.startswith("t-")} == {"t-f.js"}
    assert {n.removeprefix("d-").removesuffix(".js") for n in scripts if n.startswith("d-")} == found

    browser.get((large / "search.html").as_uri())
    late = "es-khalkhin-gol-c9"
    options = browser.find_elements(By.CSS_SELECTOR, "#search-source option")
    assert len(options) == N + 1
    Select(browser.find_element(By.ID, "search-source")).select_by_value(late)
    groups = query(browser, "frontera")
    assert [g["source"] for g in groups] == [late]
    assert groups[0]["hits"] and all(h["href"].startswith(f"{late}.html#") for h in groups[0]["hits"])
    assert [n for n in loaded_scripts(browser) if n.startswith("d-")] == [f"d-{late}.js"]


def test_a_common_word_loads_the_sources_a_step_at_a_time(large, browser):
    """"jeziorem" names Lake Khasan, which every source tells of: the first results load the
    sentences of 20 sources, "Show more sources" the next."""
    browser.get((large / "search.html").as_uri())
    groups = query(browser, "jeziorem")
    first = [n for n in loaded_scripts(browser) if n.startswith("d-")]
    assert len(groups) == len(first) == 20
    assert "20 more sources hold matches" in browser.find_element(By.ID, "search-status").text
    browser.find_element(By.CSS_SELECTOR, ".search-more-sources").click()
    WebDriverWait(browser, 20).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, ".search-group")) == N)
    assert len([n for n in loaded_scripts(browser) if n.startswith("d-")]) == N
    assert not browser.find_elements(By.CSS_SELECTOR, ".search-more-sources")
    assert "more sources" not in browser.find_element(By.ID, "search-status").text


def test_no_page_grows_with_the_sources(large, site):
    """The largest page of the 40-document site is no larger than the largest of our 4-source site
    (a source page), though every page listing or gathering the sources would be ten times larger."""
    biggest_small = max(p.stat().st_size for p in site.glob("*.html"))
    sizes = {p.name: p.stat().st_size for p in large.glob("*.html")}
    assert max(sizes.values()) <= biggest_small * 1.05, max(sizes, key=sizes.get)
