"""Glyphs WeasyPrint draws → the text a reader copies out of the PDF, exactly.

A PDF maps each glyph of a font to text once, in the font's ToUnicode map.
WeasyPrint fills that map from the first cluster a glyph is met in, and gives
a cluster of several glyphs to its last glyph: so a Thai mark first met in a
cluster (ตั้ = three glyphs) maps to nothing, or a base letter to the whole
cluster, and every later use of the glyph copies wrong — tone marks lost or
moved (ตั้ง → ตัง), letters doubled. And HarfBuzz's Thai shaper draws SARA AM
(ำ) as two glyphs, NIKHAHIT and SARA AA, with NIKHAHIT moved before a tone
mark: no one-glyph-one-text map can give ำ back, since SARA AA alone is า.

The fix is made where the map is made, in two steps:
1. Before WeasyPrint draws a line (`draw_first_line`), the glyphs of each
   unit — a spacing glyph and the marks drawn on it, whatever clusters Pango
   made of them — are drawn through CIDs of their own (from OWN_CIDS up): a
   spacing glyph's CID copies as its character with the marks that belong to
   it, in the source's order; a mark's CID copies as nothing. Widths stay the
   glyphs' own, so positions are WeasyPrint's and no extractor sees a gap.
2. After the PDF is written, each font that uses such CIDs gets a
   CIDToGIDMap (ISO 32000-1 §9.7.4.2) that draws them with the real glyphs
   (pikepdf).

`installed()` patches WeasyPrint for the duration of a layout-and-write.
"""
from __future__ import annotations

import contextlib
import re
import unicodedata
from pathlib import Path

OWN_CIDS = 0x8000  # CIDs above the glyph ids of the fonts that need them (Thai: < 2,000 glyphs)


class OwnCids:
    """The CIDs given to glyphs drawn in a multi-glyph cluster, per font (by its PDF name):
    (glyph, text) -> cid, and cid -> glyph for the CIDToGIDMap."""

    def __init__(self):
        self.by_font: dict[str, dict[tuple[int, str], int]] = {}

    def cid(self, font, glyph: int, text: str) -> int:
        table = self.by_font.setdefault(font.name.decode().lstrip("/"), {})
        if (glyph, text) not in table:
            table[(glyph, text)] = OWN_CIDS + len(table)
        return table[(glyph, text)]

    def glyphs(self, font_name: str) -> dict[int, int]:
        return {cid: glyph for (glyph, _), cid in self.by_font.get(font_name.lstrip("/"), {}).items()}


_MARKS = re.compile("[\u0300-\u036f\u0e31\u0e33-\u0e3a\u0e47-\u0e4e]")  # combining marks, SARA AM


def map_line(stream, textbox, own: OwnCids) -> None:
    """Give the glyphs of a line their text before WeasyPrint draws it (step 1)."""
    if not _MARKS.search(textbox.pango_layout.text):  # most lines: nothing to map, no Pango calls
        return
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango
    first_line, _ = textbox.pango_layout.get_first_line()
    utf8 = textbox.pango_layout.text.encode()
    run = first_line.runs[0]
    while run != ffi.NULL:
        glyph_item, run = run.data, run.next
        item = glyph_item.item
        if item.analysis.level % 2:  # right-to-left: left as WeasyPrint maps it
            continue
        text = utf8[item.offset:item.offset + item.length].decode(errors="replace")
        if not _MARKS.search(text):
            continue
        font, font_size = stream.add_font(item.analysis.font)
        if font.bitmap:
            continue
        for infos, unit_text in _units(glyph_item, utf8):
            _map_unit(font, item.analysis.font, font_size, infos, unit_text, own, FROM_UNITS, pango, stream)


def _units(glyph_item, utf8):
    """The glyphs of a run in units of a spacing glyph and the marks drawn on it: Pango's clusters,
    joined when a cluster starts with a glyph that has no advance (a mark on the previous one)."""
    glyphs, count = glyph_item.glyphs, glyph_item.glyphs.num_glyphs
    offset, length = glyph_item.item.offset, glyph_item.item.length
    starts = [i for i in range(count) if i == 0 or glyphs.log_clusters[i] != glyphs.log_clusters[i - 1]]
    units: list[list[int]] = []
    for index, start in enumerate(starts):
        if units and glyphs.glyphs[start].geometry.width == 0:
            units[-1].append(index)
        else:
            units.append([index])
    for unit in units:
        first = starts[unit[0]]
        end = starts[unit[-1] + 1] if unit[-1] + 1 < len(starts) else count
        if end - first < 2:
            continue
        stop = glyphs.log_clusters[end] if end < count else length
        text = utf8[offset + glyphs.log_clusters[first]:offset + stop].decode(errors="replace")
        yield [glyphs.glyphs[i] for i in range(first, end)], text


def cluster_texts(text: str, spacing: list[bool]) -> list[str]:
    """The text each glyph of a cluster copies as: a spacing glyph (one with an advance) carries
    its spacing character with the marks that follow it in the text (or, at the cluster's start,
    precede it); a mark's glyph carries
    nothing. So the text comes back in the source's order whatever order the shaper drew the
    marks in, and each piece of text spans the width of the glyph that carries it (no gaps
    for an extractor to read as spaces). None when glyphs and characters do not pair up."""
    pieces: list[str] = []
    leading = ""  # marks before the cluster's first spacing character (Pango's "้ำ")
    for char in text:
        if unicodedata.category(char) in ("Mn", "Me"):
            if pieces:
                pieces[-1] += char
            else:
                leading += char
        else:
            pieces.append(leading + char)
            leading = ""
    if leading or sum(spacing) != len(pieces):
        return None
    found = iter(pieces)
    return [next(found) if is_spacing else "" for is_spacing in spacing]


def _map_unit(font, pango_font, font_size, infos, text, own, from_units, pango, stream) -> None:
    if any(i.glyph == pango.PANGO_GLYPH_EMPTY or i.glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG
           or i.glyph >= OWN_CIDS for i in infos):
        return  # empty, missing or already mapped glyphs: as WeasyPrint does
    texts = cluster_texts(text, [i.geometry.width > 0 for i in infos])
    if texts is None:
        return
    for info, glyph_text in zip(infos, texts):
        glyph = info.glyph
        if glyph not in font.widths:  # as WeasyPrint measures it, so that positions stay its own
            pango.pango_font_get_glyph_extents(pango_font, glyph, stream.ink_rect, stream.logical_rect)
            font.widths[glyph] = round(stream.logical_rect.width * 1000 * from_units / font_size)
        cid = own.cid(font, glyph, glyph_text)
        font.to_unicode[cid] = glyph_text
        font.widths[cid] = font.widths[glyph]
        info.glyph = cid


@contextlib.contextmanager
def installed(own: OwnCids):
    """WeasyPrint's line drawing with step 1 before it."""
    from weasyprint.draw import text as draw_text
    original = draw_text.draw_first_line

    def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
        if text_overflow != "ellipsis" and block_ellipsis == "none" and textbox.text.strip():
            from weasyprint.text.ffi import pango
            pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)
            map_line(stream, textbox, own)
        return original(stream, textbox, text_overflow, block_ellipsis, matrix)

    draw_text.draw_first_line = draw_first_line
    try:
        yield
    finally:
        draw_text.draw_first_line = original


def map_own_cids(path: Path, own: OwnCids) -> int:
    """Step 2: a CIDToGIDMap for each font drawn through its own CIDs; returns how many fonts.
    The file is saved with its streams compressed and its objects in object streams (qpdf's
    zlib, in C++), so that WeasyPrint can write it uncompressed (book.py)."""
    import pikepdf
    fixed = 0
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for font in _cid_fonts(pdf):
            glyphs = own.glyphs(str(font.get("/BaseFont", "")))
            if not glyphs:
                continue
            table = bytearray()
            for cid in range(max(glyphs) + 1):
                table += glyphs.get(cid, cid if cid < OWN_CIDS else 0).to_bytes(2, "big")
            font.CIDToGIDMap = pdf.make_stream(bytes(table))
            fixed += 1
        pdf.save(path, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return fixed


def _cid_fonts(pdf):
    """The CIDFontType2 fonts the pages draw with: those of the pages' resources and of the
    form XObjects in them, at any depth (WeasyPrint gives its fonts to pages and groups
    through their resources). Not a walk over every object of the file: the book has
    35,000, nearly all of them the structure tree's."""
    fonts, forms = {}, set()

    def walk(resources):
        if resources is None:
            return
        for font in (resources.get("/Font") or {}).values():
            for descendant in font.get("/DescendantFonts", ()):
                if descendant.get("/Subtype") == "/CIDFontType2":
                    fonts.setdefault(_identity(descendant), descendant)
        for form in (resources.get("/XObject") or {}).values():
            if _identity(form) not in forms:
                forms.add(_identity(form))
                walk(form.get("/Resources"))

    for page in pdf.pages:
        walk(page.obj.get("/Resources"))
    return list(fonts.values())


def _identity(obj):
    return obj.objgen if obj.is_indirect else id(obj)
