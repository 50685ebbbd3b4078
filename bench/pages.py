"""The shape of a built site: page sizes, and what the search page fetches (issue 15, goal 4).

    python bench/pages.py build/html [OTHER/build/html …]
    python bench/pages.py --generate 40 200         # generate (bench/scale.py), build, measure
    python bench/pages.py --search-only 1000        # generate, collect, write only the search page

For each site: the number of pages, the median page, the median source page (an
"ordinary" page), the largest page and its name, and — in headless Chromium, from
file:// — the bytes the search page loads before the first query (the page and
every file the browser requests, from its DevTools performance log, sized on
disk, since file:// reports no transfer sizes), then what one query adds. The goal is
beside each figure: no page that grows with the number of sources, and less than
1 MB fetched by the search page before a query at 1,000 documents.

--search-only skips the pages (a 1,000-document build takes long on a shared
machine): it collects the corpus and writes search.html, the assets and the search
index, which is all the search page loads; its fonts are cut to that page's
characters only, so they are a little smaller than a full build's.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parents[1]
SEARCH_GOAL = 1_000_000


def page_sizes(site: Path) -> dict:
    pages = {p.name: p.stat().st_size for p in site.glob("*.html")}
    ordinary = [pages[p.name] for p in site.glob("*.html")
                if 'class="page-source"' in p.read_text("utf-8", errors="replace")[:20000]]
    largest = max(pages, key=pages.get)
    return {"pages": len(pages), "median": statistics.median(pages.values()),
            "median_source_page": statistics.median(ordinary) if ordinary else None,
            "largest": pages[largest], "largest_name": largest}


def search_fetch(site: Path, query: str | None = "jeziorem") -> dict:
    """Bytes the search page loads from file:// before a query, and the files a query adds."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
    with tempfile.TemporaryDirectory() as profile:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--no-first-run", f"--user-data-dir={profile}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
        try:
            driver.get((site / "search.html").as_uri())
            WebDriverWait(driver, 30).until(
                lambda d: d.find_element(By.ID, "search-status").text.startswith(("Type", "The search index")))
            time.sleep(0.5)  # fonts the first paint asks for
            before = _requested(driver)
            status = driver.find_element(By.ID, "search-status").text
            result = {"status": status, "before_files": len(before),
                      "before_bytes": sum(_size(u) for u in before)}
            if query:
                box = driver.find_element(By.ID, "search-input")
                box.send_keys(query)
                WebDriverWait(driver, 60).until(lambda d: "for “" in d.find_element(By.ID, "search-status").text)
                added = [u for u in _requested(driver) if u not in before]
                result.update(query=query, query_status=driver.find_element(By.ID, "search-status").text,
                              query_files=[Path(unquote(urlparse(u).path)).name for u in added],
                              query_bytes=sum(_size(u) for u in added))
            return result
        finally:
            driver.quit()


def _requested(driver) -> set[str]:
    """Every URL requested since the log was last read (the log is emptied by reading)."""
    found = getattr(driver, "_requested", set())
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent" and \
                message["params"]["request"]["url"].startswith("file://"):
            found.add(message["params"]["request"]["url"].split("#")[0])
    driver._requested = found
    return set(found)


def _size(url: str) -> int:
    path = Path(unquote(urlparse(url).path))
    return path.stat().st_size if path.is_file() else 0


def report(site: Path, label: str) -> None:
    sizes = page_sizes(site)
    print(f"{label}: {sizes['pages']} pages; median page {sizes['median'] / 1e3:.0f} KB; median source page "
          f"{(sizes['median_source_page'] or 0) / 1e3:.0f} KB; largest {sizes['largest'] / 1e6:.2f} MB "
          f"({sizes['largest_name']})  [goal: no page growing with N]")
    fetched = search_fetch(site)
    print(f"  search page before a query: {fetched['before_files']} files, {fetched['before_bytes'] / 1e3:.0f} KB "
          f"[goal < {SEARCH_GOAL / 1e3:.0f} KB at 1,000 documents]; status: {fetched['status']!r}")
    if "query" in fetched:
        print(f"  query {fetched['query']!r}: +{len(fetched['query_files'])} files, "
              f"{fetched['query_bytes'] / 1e3:.0f} KB ({', '.join(sorted(fetched['query_files']))}); "
              f"{fetched['query_status']!r}")


def search_only(n: int) -> None:
    import resource
    sys.path.insert(0, str(ROOT / "bench"))
    from scale import generate

    from edition import Edition
    from edition.corpus import Corpus
    from edition.html.collect import collect
    from edition.html.fonts import write_fonts
    from edition.html.pages import SiteWriter
    from edition.model import web_renderer
    with tempfile.TemporaryDirectory() as scratch:
        folder = generate(Path(scratch), n)
        started = time.perf_counter()
        edition = Edition.at(folder)
        view = collect(Corpus.load(edition))
        out = folder / "site"
        out.mkdir()
        writer = SiteWriter(view, web_renderer(edition, view.resolve_refs), edition.styles, out, "2026-01-01 00:00 UTC")
        writer.page("search.html", "search.html")
        writer.write_assets()
        write_fonts(out)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        index = out / "assets" / "search" / "index.js"
        print(f"{n} documents, search page only: {time.perf_counter() - started:.0f} s wall, "
              f"{usage.ru_utime + usage.ru_stime:.0f} s CPU; index.js {index.stat().st_size / 1e3:.0f} KB, "
              f"search.html {(out / 'search.html').stat().st_size / 1e3:.1f} KB")
        fetched = search_fetch(out)
        print(f"  search page before a query: {fetched['before_files']} files, {fetched['before_bytes'] / 1e3:.0f} KB "
              f"[goal < {SEARCH_GOAL / 1e3:.0f} KB at 1,000 documents]; status: {fetched['status']!r}")
        print(f"  query {fetched['query']!r}: +{len(fetched['query_files'])} files, "
              f"{fetched['query_bytes'] / 1e3:.0f} KB; {fetched['query_status']!r}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="*", type=Path)
    parser.add_argument("--generate", nargs="*", type=int, default=[], metavar="N")
    parser.add_argument("--search-only", nargs="*", type=int, default=[], metavar="N")
    args = parser.parse_args(argv)
    for n in args.search_only:
        search_only(n)
    for site in args.sites:
        report(site, str(site))
    if args.generate:
        sys.path.insert(0, str(ROOT / "bench"))
        from scale import generate
        for n in args.generate:
            with tempfile.TemporaryDirectory() as scratch:
                folder = generate(Path(scratch), n)
                subprocess.run([sys.executable, "-m", "edition", "--root", str(folder), "build", "--html"],
                               check=True, stdout=subprocess.DEVNULL)
                report(folder / "build" / "html", f"{n} documents")


if __name__ == "__main__":
    main()
