"""The book's archival twin, PDF/A-3u with the TEI sources attached, made from the book's PDF.

The twin was drawn a second time by WeasyPrint (`pdf_variant="pdf/a-3u"`), which
costs as much as the book's own drawing (about a quarter of the build). Its
pages are the book's pages: what WeasyPrint's PDF/A variant adds to a PDF is
a handful of objects (weasyprint/pdf/pdfa.py and pdf/__init__.py), and they are
added here to the written, tagged book (PDF/UA-1, so the twin is tagged too) with
pikepdf, as that code adds them:
- an output intent (GTS_PDFA1) with WeasyPrint's own sRGB ICC profile;
- the TEI sources as embedded files (MIME type, size and dates in their
  parameters), each an associated file of the document (catalog /AF,
  AFRelationship Source, ISO 19005-3 §6.8);
- the print flag on every annotation (ISO 19005-3 §6.3.2);
- pdfaid:part 3, conformance U in the XMP metadata, the document information
  kept in step with it; a trailer /ID (qpdf writes one on save).
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from importlib.resources import files
from pathlib import Path

ICC_PROFILE = "sRGB2014.icc"  # shipped with WeasyPrint, the profile of its own PDF/A output


def write_archive(book: Path, archive: Path, sources: list[tuple[Path, str]],
                  description: str = "TEI P5 source of the edition") -> Path:
    """`archive` = `book` as PDF/A-3u with each (file, name) in `sources` attached."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String
    from pikepdf.models.metadata import encode_pdf_date

    with pikepdf.open(book) as pdf:
        profile = pdf.make_stream((files("weasyprint.pdf") / ICC_PROFILE).read_bytes())
        profile.N = 3
        pdf.Root.OutputIntents = Array([pdf.make_indirect(Dictionary(
            Type=Name.OutputIntent, S=Name.GTS_PDFA1, OutputConditionIdentifier=String(ICC_PROFILE),
            Info=String(ICC_PROFILE), DestOutputProfile=profile))])

        associated = []
        for path, name in sources:
            data = path.read_bytes()
            modified = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
            stream = pdf.make_stream(data)
            stream.Type, stream.Subtype = Name.EmbeddedFile, Name("/application/xml")
            stream.Params = Dictionary(Size=len(data), ModDate=String(encode_pdf_date(modified)),
                                       CheckSum=String(hashlib.md5(data).digest()))
            spec = pdf.make_indirect(Dictionary(
                Type=Name.Filespec, F=String(name), UF=String(name), Desc=String(description),
                AFRelationship=Name.Source, EF=Dictionary(F=stream, UF=stream)))
            associated.append((name, spec))
        if associated:
            names = Array()
            for name, spec in sorted(associated, key=lambda item: item[0]):
                names.extend([String(name), spec])
            pdf.Root.Names = pdf.Root.get("/Names", Dictionary())
            pdf.Root.Names.EmbeddedFiles = pdf.make_indirect(Dictionary(Names=names))
            pdf.Root.AF = Array([spec for _, spec in associated])

        for page in pdf.pages:
            for annotation in page.get("/Annots", []):
                annotation.F = 4  # Print

        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["pdfaid:part"] = "3"
            meta["pdfaid:conformance"] = "U"
        pdf.save(archive)
    return archive
