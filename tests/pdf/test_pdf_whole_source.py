"""A source from elsewhere rendered whole (no sentence pairs: its <text> as the processing model
renders it) copies back from the book without hyphens the layout put in."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from lxml import etree
from pypdf import PdfReader

from edition import Edition, api
from edition.scaffold import new_edition
from tests.conftest import SHARED

FIXTURE = SHARED / "fixtures" / "tei" / "teic-stylesheets-test-christmas-carol.xml"  # English prose, rendered whole
HYPHENS = ("-", "\u2010", "\u00ad")


@pytest.fixture(scope="module")
def foreign_book(tmp_path_factory):
    if not FIXTURE.exists():
        pytest.skip("no shared fixtures")
    root = tmp_path_factory.mktemp("foreign") / "carol"
    new_edition(root, title="A carol", languages=["en"])
    shutil.copy(FIXTURE, root / "tei" / "sources" / FIXTURE.name)
    api.build(Edition.at(root), html=False, pdf=True)
    return root / "build" / "pdf" / "edition.pdf"


def _chapter_text(book) -> str:
    """The source's chapter: from its title in the outline to the next chapter (indexes, works cited)."""
    reader = PdfReader(str(book))
    title = " ".join(" ".join(etree.parse(str(FIXTURE)).find(
        ".//{http://www.tei-c.org/ns/1.0}titleStmt/{http://www.tei-c.org/ns/1.0}title").itertext()).split())
    starts = sorted(reader.get_destination_page_number(item) + 1 for item in reader.outline if not isinstance(item, list))
    first = next(reader.get_destination_page_number(item) + 1 for item in reader.outline
                 if not isinstance(item, list) and item.title == title)
    last = min((page - 1 for page in starts if page > first), default=len(reader.pages))
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(first), "-l", str(max(first, last)), str(book), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_a_source_rendered_whole_has_no_hyphen_of_the_layout(foreign_book):
    text = _chapter_text(foreign_book)
    source = " ".join(" ".join(etree.parse(str(FIXTURE)).getroot().find(
        "{http://www.tei-c.org/ns/1.0}text").itertext()).split())
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert len(lines) > 100  # the chapter was read
    broken = [line.split()[-1] for line in lines if line.endswith(HYPHENS) and line.split()[-1] not in source]
    assert broken == []
