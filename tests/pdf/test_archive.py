"""The PDF/A-3u twin of the book (build/pdf/edition-pdfa.pdf), checked with what runs here:
veraPDF is in none of the package registries this project may use (not on PyPI, npm or in
Debian; the PyPI packages that drive it, such as pdfa-parser, download it at run time from
elsewhere), so the requirements of ISO 19005-3 that can be read from the file are checked
with pikepdf: identification and metadata, output intent, associated files, annotations,
fonts, and what the standard forbids (encryption, JavaScript, launch actions)."""
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


def test_the_metadata_and_the_document_information_agree(archive):
    """ISO 19005-3 §6.6.2.3: the XMP says what the document information says (title, author)."""
    with archive.open_metadata() as meta:
        assert meta["dc:title"] == str(archive.docinfo.Title)
        assert str(archive.docinfo.Author) in " ".join(meta["dc:creator"])
    assert archive.pdf_version <= "1.7" and len(archive.trailer.ID) == 2  # §6.1.3: a file identifier


def test_the_output_intent_is_an_rgb_icc_profile(archive):
    profile = archive.Root.OutputIntents[0].DestOutputProfile
    data = profile.read_bytes()
    assert data[36:40] == b"acsp" and data[16:20] == b"RGB " and profile.N == 3  # ICC header: an RGB profile
    assert str(archive.Root.OutputIntents[0].OutputConditionIdentifier)


def test_each_attachment_says_what_it_is(archive):
    """§6.8: an embedded file's stream gives its MIME type and dates; its file specification its
    names (F, UF), a description and its relationship; the catalog's name tree lists it."""
    listed = archive.Root.Names.EmbeddedFiles.Names
    names = [str(listed[i]) for i in range(0, len(listed), 2)]
    assert names == sorted(names) and len(names) == len(archive.Root.AF)
    for spec in archive.Root.AF:
        stream = spec.EF.F
        assert stream.Subtype == "/application/xml" and str(stream.Params.ModDate).startswith("D:")
        assert int(stream.Params.Size) == len(stream.read_bytes())
        assert str(spec.F) == str(spec.UF) and str(spec.Desc) and spec.AFRelationship == "/Source"


def test_every_annotation_prints_and_nothing_runs(archive):
    """§6.3.2: annotations have the Print flag and are not hidden; §6.6.1: no JavaScript, no launch."""
    annotations = [a for page in archive.pages for a in page.get("/Annots", [])]
    assert len(annotations) > 100  # the book's links
    for annotation in annotations:
        flags = int(annotation.get("/F", 0))
        assert flags & 4 and not flags & 2
        action = annotation.get("/A")
        assert action is None or action.get("/S") not in ("/JavaScript", "/Launch")
    assert "/JavaScript" not in archive.Root.get("/Names", {}) and "/OpenAction" not in archive.Root
    assert "/Encrypt" not in archive.trailer
