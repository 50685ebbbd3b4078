"""The PDF book as it stands, built once, and tools to read it back."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from edition import Edition, api
from edition.corpus import Corpus
from edition.html.collect import collect
from tests.conftest import ROOT


@pytest.fixture(scope="session")
def book_edition(tmp_path_factory):
    root = tmp_path_factory.mktemp("book")
    shutil.copytree(ROOT / "tei", root / "tei")
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    edition = Edition.at(root)
    api.build(edition, html=False, pdf=True)
    return edition


@pytest.fixture(scope="session")
def book(book_edition):
    return book_edition.build_dir / "pdf" / "edition.pdf"


@pytest.fixture(scope="session")
def view(book_edition):
    return collect(Corpus.load(book_edition))


@pytest.fixture(scope="session")
def book_text(book) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(book), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.fixture(scope="session")
def book_columns(book) -> dict[str, str]:
    """The text of the left and right halves of every page, read separately:
    read across the page, poppler interleaves the lines of parallel columns."""
    from pypdf import PdfReader
    from tests.pdf.layout import MARGIN_BOTTOM, MARGIN_TOP, MIDDLE
    width, height = (float(v) for v in PdfReader(str(book)).pages[0].mediabox[2:])
    half = int(MIDDLE)  # the columns' division (the page's margins are not equal)
    top = int(MARGIN_TOP + 15)  # below the running head and the columns' heads (a row split over
    bottom = int(height - MARGIN_BOTTOM)  # two pages reads on), above the folio

    def crop(x: int, w: int) -> str:
        return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-r", "72", "-x", str(x), "-y", str(top),
                               "-W", str(w), "-H", str(bottom - top), str(book), "-"],
                              capture_output=True, text=True, check=True).stdout
    return {"original": crop(0, half), "translation": crop(half, int(width) - half)}


@pytest.fixture(scope="session")
def book_pages(book):
    from tests.pdf.layout import read_pages
    return read_pages(book)
