"""The installed Noto fonts → subset WOFF2 web fonts for the pages (assets/fonts/).

The site should read the same on a reader's machine as here, Thai and Chinese
included, without shipping whole fonts (Noto Serif CJK is 26 MB): each font is
cut down with fontTools (a WeasyPrint dependency) to the characters the built
pages actually use, and written as WOFF2. Fonts are found through fontconfig
(`fc-match`), as WeasyPrint finds them for the book; a font that is not
installed is left out, and the page falls back to the reader's own fonts.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

THAI = [(0x0E00, 0x0E7F)]
CJK = [(0x2E80, 0x2FDF), (0x3000, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF)]
# (CSS family, fontconfig pattern, weight, style, family name the file must have, ranges it serves)
FACES = [
    ("Edition Serif", "Noto Serif:style=Regular", 400, "normal", "Noto Serif", None),
    ("Edition Serif", "Noto Serif:style=Bold", 700, "normal", "Noto Serif", None),
    ("Edition Serif", "Noto Serif:style=Italic", 400, "italic", "Noto Serif", None),
    ("Edition Sans", "Noto Sans:style=Regular", 400, "normal", "Noto Sans", None),
    ("Edition Sans", "Noto Sans:style=Bold", 700, "normal", "Noto Sans", None),
    ("Edition Thai", "Noto Serif Thai:style=Regular", 400, "normal", "Noto Serif Thai", THAI),
    ("Edition Thai", "Noto Serif Thai:style=Bold", 700, "normal", "Noto Serif Thai", THAI),
    ("Edition CJK", "Noto Serif CJK SC:style=Regular", 400, "normal", "Noto Serif CJK SC", CJK),
]


@dataclass
class WebFont:
    family: str
    weight: int
    style: str
    file: str        # under assets/
    characters: int  # how many of the pages' characters it carries
    ranges: list | None = None  # the unicode-range it serves (None: everything it has)

    @property
    def unicode_range(self) -> str:
        return ", ".join(f"U+{low:04X}-{high:04X}" for low, high in self.ranges or [])


def locate(pattern: str, family: str) -> tuple[Path, int] | None:
    """The font file (and face index in a collection) fontconfig has for `pattern`."""
    if not shutil.which("fc-match"):
        return None
    found = subprocess.run(["fc-match", "-f", "%{file}|%{index}|%{family}", pattern],
                           capture_output=True, text=True, check=False).stdout
    try:
        path, index, families = found.split("|", 2)
    except ValueError:
        return None
    if family not in families.split(","):
        return None  # fontconfig fell back to another family: not the font asked for
    return Path(path), int(index or 0)


def used_characters(folder: Path) -> set[str]:
    """Every character of the built pages and of the search data they show."""
    characters: set[str] = set()
    for path in [*folder.glob("*.html"), *(folder / "assets" / "search").glob("d-*.js")]:
        characters.update(path.read_text("utf-8"))
    return {c for c in characters if ord(c) >= 0x20}


def subset(source: Path, index: int, characters: set[str], target: Path) -> int:
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont
    font = TTFont(source, fontNumber=index, recalcTimestamp=False)  # reproducible builds
    available = set(font.getBestCmap() or {})
    wanted = {ord(c) for c in characters} & available
    if not wanted:
        return 0
    options = ft_subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # Thai marks and CJK forms need their OpenType features
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.flavor = "woff2"
    font.save(target)
    return len(wanted)


def kept_subset(cache, source: Path, index: int, characters: set[str], target: Path) -> int:
    """`subset`, through the build's parts cache (pipeline/parts.py) when there is one: cutting
    a font is most of a small site's build time, and an edit seldom brings a new character.
    The key: the font file's bytes, the face, the characters, the fontTools that cut it."""
    if cache is None:
        return subset(source, index, characters, target)
    import hashlib
    import fontTools
    from ..pipeline.inputs import part_key
    from ..pipeline.parts import pack, unpack
    digest = hashlib.sha256(Path(source).read_bytes()).hexdigest()
    key = part_key("font", fontTools.version, digest, index, "".join(sorted(characters)))

    def make() -> bytes:
        with tempfile.TemporaryDirectory() as scratch:
            made = Path(scratch) / "font.woff2"
            count = subset(source, index, characters, made)
            return pack({"count": str(count).encode(), **({"font": made.read_bytes()} if count else {})})
    try:
        files = unpack(cache.memo("font", key, make))
        count = int(files["count"])
    except (ValueError, KeyError):  # a part that does not hold what a font part holds
        return subset(source, index, characters, target)
    if count:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files["font"])
    return count


def write_fonts(folder: Path, cache=None) -> list[WebFont]:
    """Subset fonts into assets/fonts/ and the @font-face rules into assets/fonts.css.
    `cache`: a pipeline.parts.PartCache that keeps the subsets between builds."""
    characters = used_characters(folder)
    fonts: list[WebFont] = []
    for family, pattern, weight, style, name, ranges in FACES:
        located = locate(pattern, name)
        if located is None:
            continue
        wanted = characters if ranges is None else {
            c for c in characters if any(low <= ord(c) <= high for low, high in ranges)}
        file = f"fonts/{family.lower().replace(' ', '-')}-{weight}{'-italic' if style == 'italic' else ''}.woff2"
        count = kept_subset(cache, *located, wanted, folder / "assets" / file)
        if count:
            fonts.append(WebFont(family, weight, style, file, count, ranges))
    rules = ["/* Subsets of the Noto fonts, made at build time (edition/html/fonts.py), SIL Open Font Licence. */"]
    for font in fonts:
        rules.append(f'@font-face {{ font-family: "{font.family}"; src: url("{font.file}") format("woff2"); '
                     f"font-weight: {font.weight}; font-style: {font.style}; font-display: swap;"
                     + (f" unicode-range: {font.unicode_range};" if font.ranges else "") + " }")
    (folder / "assets" / "fonts.css").write_text("\n".join(rules) + "\n", "utf-8")
    return fonts
