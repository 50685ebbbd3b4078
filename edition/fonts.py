"""Installed fonts → subset font files for outputs that carry their own fonts (EPUB, web fonts).

A reader's device may have no Thai or Chinese font, so the outputs embed the
faces the PDF uses, cut down to the characters the text needs (fontTools,
a WeasyPrint dependency). Fonts are found through fontconfig (`fc-match`),
the same lookup WeasyPrint makes, so every output uses the same faces.
"""
from __future__ import annotations

import io
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


def subset(face: Face, text: str, flavor: str | None = None) -> bytes:
    """The face cut down to the characters of `text` (plus ASCII), as OpenType or WOFF2 bytes."""
    return _subset(face, "".join(sorted(set(text))), flavor)


@lru_cache(maxsize=32)
def _subset(face: Face, characters: str, flavor: str | None) -> bytes:
    from fontTools import subset as fontsubset
    from fontTools.ttLib import TTFont
    # Bounding boxes are kept as they are: recomputing them for CFF outlines costs
    # seconds per face and changes nothing a reader sees.
    font = TTFont(str(face.path), fontNumber=face.index, lazy=False, recalcBBoxes=False,
                  recalcTimestamp=False)  # reproducible: the face's own date, not the time of the build
    options = fontsubset.Options()
    options.layout_features = ["*"]        # keep shaping (Thai marks, CJK forms)
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.flavor = flavor
    subsetter = fontsubset.Subsetter(options)
    subsetter.populate(text=characters + "".join(map(chr, range(0x20, 0x7F))))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = flavor
    font.save(out)
    return out.getvalue()
