"""Installed fonts → subset font files for outputs that carry their own fonts (EPUB, web fonts).

A reader's device may have no Thai or Chinese font, so the outputs embed the
faces the PDF uses, cut down to the characters the text needs (HarfBuzz's
subsetter, `cut_face`: the web fonts' too). Fonts are found through fontconfig
(`fc-match`), the same lookup WeasyPrint makes, so every output uses the same faces.
"""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Face:
    family: str          # the CSS family name the output declares
    path: Path
    index: int = 0       # the face's number in a collection (.ttc)


@lru_cache(maxsize=None)
def find_face(family: str, style: str = "Regular") -> Face | None:
    """The installed file fontconfig gives for a family, or None when it has none of that family."""
    if not shutil.which("fc-match"):
        return None
    result = subprocess.run(["fc-match", "-f", "%{family}\t%{file}\t%{index}", f"{family}:style={style}"],
                            capture_output=True, text=True, timeout=30, check=False)
    names, _, rest = result.stdout.partition("\t")
    file, _, index = rest.partition("\t")
    if result.returncode != 0 or family.lower() not in names.lower() or not file:
        return None
    return Face(family, Path(file), int(index or 0))


def subset(face: Face, text: str) -> bytes:
    """The face cut down to the characters of `text` (plus printable ASCII), as OpenType bytes."""
    return _subset(face, "".join(sorted(set(text))))


@lru_cache(maxsize=32)
def _subset(face: Face, characters: str) -> bytes:
    return cut_face(face.path, face.index, {ord(c) for c in characters} | set(range(0x20, 0x7F)))[1]


def cut_face(source: Path, index: int, unicodes: set[int]) -> tuple[int, bytes]:
    """(how many of the code points `unicodes` face `index` of the font file `source` has, the
    face cut down to them as OpenType bytes; b"" when it has none). HarfBuzz's subsetter
    (uharfbuzz), milliseconds a face where fontTools' took seconds (it ran every CFF charstring
    of the CJK face in Python: 4 s of the EPUB's 5). As the fontTools subsetter was asked
    before: every OpenType layout feature (Thai marks and CJK forms need theirs), every name
    record, the .notdef glyph's outline, hinting kept; the face's own dates (reproducible)."""
    import uharfbuzz as hb
    face = hb.Face(hb.Blob.from_file_path(str(source)), index)
    wanted = set(unicodes) & set(face.unicodes)
    if not wanted:
        return 0, b""
    asked = hb.SubsetInput()
    asked.unicode_set.update(wanted)
    for every in (hb.SubsetInputSets.LAYOUT_FEATURE_TAG, hb.SubsetInputSets.NAME_ID):
        asked.sets(every).clear()
        asked.sets(every).invert()  # the empty set inverted: all of them
    asked.flags = hb.SubsetFlags.NOTDEF_OUTLINE
    made = hb.subset(face, asked)
    if made is None:
        raise ValueError(f"{source}: HarfBuzz could not subset face {index}")
    return len(wanted), made.blob.data
