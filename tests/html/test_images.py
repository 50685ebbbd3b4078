"""A stranger's source that shows images (`<graphic url>` beside its TEI file): the site, the book and
the EPUB carry them; what cannot be carried is named by the check, at its line, and never fetched.
The images are drawn here with Pillow (WeasyPrint's own image library); the TEI is our own words."""
from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from edition import Edition, api
from edition.cli import main
from edition.languages import language_name
from edition.pipeline.inputs import output_key

TEI = "http://www.tei-c.org/ns/1.0"
LETTER = f"""<TEI xmlns="{TEI}" xml:lang="lat">
<teiHeader><fileDesc><titleStmt><title>Epistula picta</title></titleStmt>
<publicationStmt><p>Written for the test suite.</p></publicationStmt><sourceDesc><p>None.</p></sourceDesc></fileDesc></teiHeader>
<text><body>
<p>Gallia est omnis divisa in partes tres.</p>
<figure><graphic url="images/folio%201.png" width="240px"/><figDesc>The first folio</figDesc></figure>
<figure><graphic url="../shared/seal.jpg"/><figDesc>The seal</figDesc></figure>
<figure xml:base="../shared/"><graphic url="seal.jpg"/><figDesc>The seal again</figDesc></figure>
<figure><graphic url="images/missing.png"/><figDesc>A lost folio</figDesc></figure>
<figure><graphic url="images/drawing.svg"/><figDesc>A drawing</figDesc></figure>
<figure><graphic url="../../elsewhere/outside.png"/><figDesc>Beside the edition</figDesc></figure>
<figure><graphic url="../../../beyond.png"/><figDesc>Outside the edition</figDesc></figure>
<p>Quarum unam incolunt Belgae.</p>
</body></text></TEI>"""


def draw(path: Path, colour: str, size=(240, 120)) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path)
    return path.read_bytes()


@pytest.fixture(scope="module")
def pictured(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pictured") / "ed"
    result = CliRunner().invoke(main, ["new", str(folder), "--title", "Pictures"])
    assert result.exit_code == 0, result.output
    tei = folder / "tei"
    (tei / "sources" / "letter.xml").write_text(LETTER, "utf-8")
    folio = draw(tei / "sources" / "images" / "folio 1.png", "#c8a060")
    seal = draw(tei / "shared" / "seal.jpg", "#803020", (80, 80))
    (tei / "sources" / "images" / "drawing.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', "utf-8")
    draw(folder / "elsewhere" / "outside.png", "#000000")
    edition = Edition.at(folder)
    api.build(edition, html=True, pdf=True, epub=True)
    return edition, {"folio": folio, "seal": seal}


def test_the_site_shows_each_image_from_its_copy_beside_the_tei_copy(pictured, browser):
    edition, images = pictured
    site = edition.build_dir / "html"
    assert (site / "tei" / "sources" / "images" / "folio 1.png").read_bytes() == images["folio"]
    assert (site / "tei" / "shared" / "seal.jpg").read_bytes() == images["seal"]
    assert not list(site.rglob("*.svg")) and not list(site.rglob("outside.png"))
    browser.get((site / "letter.html").as_uri())
    shown = browser.execute_script(
        "return [...document.querySelectorAll('img.tei-graphic')].map(i => [i.alt, i.complete && i.naturalWidth])")
    assert ["The first folio", 240] in shown and ["The seal", 80] in shown
    assert ["The seal again", 80] in shown  # read against its figure's xml:base
    assert ["A lost folio", 0] in shown  # the TEI's url, which names no file: the browser shows its alt


def test_the_book_embeds_the_images_it_carries_and_fetches_no_other(pictured):
    edition, _ = pictured
    listing = subprocess.run(["pdfimages", "-list", str(edition.build_dir / "pdf" / "edition.pdf")],
                             capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    drawn = sorted((int(row.split()[3]), int(row.split()[4])) for row in listing)  # width, height
    assert drawn == [(80, 80), (80, 80), (240, 120)]  # the folio and the seal (twice); nothing else fetched


def test_the_epub_packages_its_images_and_passes_epubcheck(pictured):
    edition, images = pictured
    book = edition.build_dir / "epub" / "edition.epub"
    with zipfile.ZipFile(book) as epub:
        assert epub.read("EPUB/media/sources/images/folio 1.png") == images["folio"]
        package = epub.read("EPUB/package.opf").decode("utf-8")
        chapter = next(epub.read(n).decode() for n in epub.namelist() if n.startswith("EPUB/source-"))
    assert 'href="media/sources/images/folio%201.png" media-type="image/png"' in package
    assert "<meta property=\"schema:accessMode\">visual</meta>" in package
    assert 'alt="The first folio"' in chapter and '<span class="tei-graphic">A lost folio</span>' in chapter
    jar = Path("/usr/share/java/epubcheck.jar")
    if not jar.exists() or not shutil.which("java"):
        pytest.fail("EPUBCheck is needed (Debian: epubcheck); `make test` installs it")
    run = subprocess.run(["java", "-jar", str(jar), str(book)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_check_names_each_image_it_cannot_carry_at_its_line(pictured):
    edition, _ = pictured
    result = CliRunner().invoke(main, ["--root", str(edition.root), "check"])
    lines = [line for line in result.output.splitlines() if ": warning: image:" in line or ": warning: resource:" in line]
    assert len(lines) == 4, result.output
    assert "tei/sources/letter.xml:9:" in lines[0] and "'images/missing.png' is not found" in lines[0]
    assert "tei/sources/letter.xml:10:" in lines[1] and "SVG" in lines[1]
    assert "tei/sources/letter.xml:11:" in lines[2] and "not under the edition's tei/ folder" in lines[2]
    assert "tei/sources/letter.xml:12:" in lines[3] and ": resource:" in lines[3]  # outside the edition: said once


def test_an_image_is_an_input_of_the_outputs(pictured, tmp_path):
    edition, _ = pictured
    copy = tmp_path / "ed"
    shutil.copytree(edition.root / "tei", copy / "tei")
    moved = Edition.at(copy)
    before = output_key(moved, "html")
    draw(copy / "tei" / "sources" / "images" / "folio 1.png", "#102030")
    changed = output_key(moved, "html")
    (copy / "tei" / "sources" / "images" / "folio 1.png").unlink()
    assert len({before, changed, output_key(moved, "html")}) == 3


def test_a_language_the_edition_does_not_list_is_named_by_cldr(pictured):
    assert [language_name(tag) for tag in ("lat", "la", "deu", "chu", "zh-Hant", "x-private", "")] == \
        ["Latin", "Latin", "German", "Church Slavic", "Chinese", "x-private", "Text"]
    edition, _ = pictured
    page = (edition.build_dir / "html" / "letter.html").read_text("utf-8")
    assert "Latin original" in page and "Plain text (Latin)" in page and "lat original" not in page
