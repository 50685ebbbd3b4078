"""The PDF/A-3u twin of the book (build/pdf/edition-pdfa.pdf), checked with what runs here:
veraPDF is in none of the package registries this project may use (PyPI, Debian, npm),
so the requirements of ISO 19005-3 that can be read from the file are checked with pikepdf."""
from __future__ import annotations

import re

import pikepdf
import pytest


@pytest.fixture(scope="module")
def archive(book):
    with pikepdf.open(book.with_name("edition-pdfa.pdf")) as pdf:
        yield pdf


def test_it_declares_pdf_a_3u_and_has_an_output_intent(archive):
    xmp = archive.Root.Metadata.read_bytes().decode()
    assert re.search(r"pdfaid:part[^0-9]*3", xmp) and re.search(r"pdfaid:conformance[^A-Z]*U", xmp)
    intent = archive.Root.OutputIntents[0]
    assert intent.S == "/GTS_PDFA1" and len(intent.DestOutputProfile.read_bytes()) > 1000
    assert not archive.is_encrypted


def test_every_font_is_embedded_with_a_unicode_map_and_a_cid_to_glyph_map(archive):
    fonts = [o for o in archive.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font"]
    assert fonts
    for font in fonts:
        if font.get("/Subtype") == "/Type0":
            assert "/ToUnicode" in font
            descendant = font.DescendantFonts[0]
            descriptor = descendant.FontDescriptor
            assert any(k in descriptor for k in ("/FontFile2", "/FontFile3")), font.BaseFont
            if descendant.Subtype == "/CIDFontType2":
                assert "/CIDToGIDMap" in descendant


def test_the_tei_sources_are_attached_as_associated_files(archive, book_edition):
    associated = list(archive.Root.AF)  # WeasyPrint lists each file twice (catalog and page)
    sources = sorted(book_edition.tei_dir.rglob("*.xml"))
    by_name = {str(spec.UF): spec for spec in associated}
    assert set(by_name) == {f.relative_to(book_edition.tei_dir).as_posix() for f in sources}
    for file in sources:
        spec = by_name[file.relative_to(book_edition.tei_dir).as_posix()]
        assert spec.AFRelationship == "/Source"
        assert spec.EF.F.read_bytes() == file.read_bytes()


def test_the_archive_copies_thai_back_as_the_book_does(book, view):
    import subprocess
    text = subprocess.run(["pdftotext", str(book.with_name("edition-pdfa.pdf")), "-"], capture_output=True,
                          text=True, check=True).stdout
    thai = next(s for s in view.sources if s.lang == "th")
    from edition.html.collect import text_of
    assert text.count("\u0e33") >= sum(text_of(p.original).count("\u0e33") for p in thai.pairs)
