"""The built HTML edition and a real headless Chromium to read it with."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from edition import Edition, api
from tests.conftest import ROOT


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The edition as it stands, built once (HTML only) in a scratch copy."""
    root = tmp_path_factory.mktemp("edition")
    shutil.copytree(ROOT / "tei", root / "tei")
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    api.build(Edition.at(root), html=True, pdf=False)
    return root / "build" / "html"


def chromium_paths() -> tuple[str, str] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    paths = chromium_paths()
    if paths is None:
        pytest.fail("chromium and chromedriver are needed (Debian: chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1280,900",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(paths[1]), options=options)
    yield driver
    driver.quit()


@pytest.fixture
def open_page(browser, site):
    def load(name: str):
        browser.get((site / name).as_uri())
        browser.get_log("browser")  # start each page with an empty console
        return browser
    return load
