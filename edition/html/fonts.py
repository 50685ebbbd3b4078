"""The installed Noto fonts → subset WOFF2 web fonts for the pages (assets/fonts/).

The site should read the same on a reader's machine as here, Thai and Chinese
included, without shipping whole fonts (Noto Serif CJK is 26 MB): each font is
cut down to the characters the built pages actually use, and written as WOFF2.
Fonts are found through fontconfig (`fc-match`), as WeasyPrint finds them for
the book; a font that is not installed is left out, and the page falls back to
the reader's own fonts.

The cutting is HarfBuzz's subsetter (uharfbuzz), milliseconds a font where
fontTools' took seconds (it executed every CFF charstring of the CJK face in
Python); fontTools (a WeasyPrint dependency) only wraps the cut font as WOFF2.
A cut font is kept in the user's cache folder ($XDG_CACHE_HOME/edition/fonts,
pipeline/parts.user_cache), keyed on the font file's bytes, the face, the
characters and the code that cuts it, so that a build into an empty build/
folder takes the fonts of any earlier build with the same characters.
EDITION_FONT_CACHE=off cuts every time.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
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
CACHE_SWITCH = "EDITION_FONT_CACHE"


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
    return locate_all([(pattern, family)])[0]


def locate_all(wanted: list[tuple[str, str]]) -> list[tuple[Path, int] | None]:
    """`locate` for each (pattern, family): asked of the fontconfig library itself when it
    can be loaded (what `fc-match` does, without a process per font), else of fc-match."""
    library = _fontconfig()
    if library is not None:
        return [_located(_match(library, pattern), family) for pattern, family in wanted]
    return _fc_match_all(wanted)


def _fc_match_all(wanted: list[tuple[str, str]]) -> list[tuple[Path, int] | None]:
    """`locate` for each (pattern, family), the fc-match processes run side by side."""
    if not shutil.which("fc-match"):
        return [None] * len(wanted)
    running = [subprocess.Popen(["fc-match", "-f", "%{file}|%{index}|%{family}", pattern],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
               for pattern, _ in wanted]
    return [_located(process.communicate()[0], family) for process, (_, family) in zip(running, wanted)]


@cache
def _fontconfig():
    """libfontconfig through ctypes, initialised; None where it cannot be loaded."""
    import ctypes
    import ctypes.util
    name = ctypes.util.find_library("fontconfig")
    try:
        library = ctypes.CDLL(name or "libfontconfig.so.1")
    except OSError:
        return None
    pointer = ctypes.c_void_p
    for function, result, arguments in (
            ("FcInit", ctypes.c_int, []), ("FcNameParse", pointer, [ctypes.c_char_p]),
            ("FcConfigSubstitute", ctypes.c_int, [pointer, pointer, ctypes.c_int]),
            ("FcDefaultSubstitute", None, [pointer]),
            ("FcFontMatch", pointer, [pointer, pointer, ctypes.POINTER(ctypes.c_int)]),
            ("FcPatternGetString", ctypes.c_int, [pointer, ctypes.c_char_p, ctypes.c_int,
                                                  ctypes.POINTER(ctypes.c_char_p)]),
            ("FcPatternGetInteger", ctypes.c_int, [pointer, ctypes.c_char_p, ctypes.c_int,
                                                   ctypes.POINTER(ctypes.c_int)]),
            ("FcPatternDestroy", None, [pointer])):
        handle = getattr(library, function, None)
        if handle is None:
            return None
        handle.restype, handle.argtypes = result, arguments
    return library if library.FcInit() else None


def _match(library, pattern: str) -> str:
    """fc-match -f '%{file}|%{index}|%{family}' PATTERN, answered by the library: the same
    steps (parse, configuration and default substitutions, best match)."""
    import ctypes
    asked = library.FcNameParse(pattern.encode("utf-8"))
    if not asked:
        return ""
    try:
        library.FcConfigSubstitute(None, asked, 0)  # FcMatchPattern
        library.FcDefaultSubstitute(asked)
        result = ctypes.c_int()
        found = library.FcFontMatch(None, asked, ctypes.byref(result))
    finally:
        library.FcPatternDestroy(asked)
    if not found:
        return ""
    try:
        text, number = ctypes.c_char_p(), ctypes.c_int()
        if library.FcPatternGetString(found, b"file", 0, ctypes.byref(text)) != 0:
            return ""
        file = text.value.decode("utf-8", "surrogateescape")
        index = number.value if library.FcPatternGetInteger(found, b"index", 0, ctypes.byref(number)) == 0 else 0
        families = []
        while library.FcPatternGetString(found, b"family", len(families), ctypes.byref(text)) == 0:
            families.append(text.value.decode("utf-8", "replace"))
        return f"{file}|{index}|{','.join(families)}"
    finally:
        library.FcPatternDestroy(found)


def _located(found: str, family: str) -> tuple[Path, int] | None:
    try:
        path, index, families = found.split("|", 2)
    except ValueError:
        return None
    if family not in families.split(","):
        return None  # fontconfig fell back to another family: not the font asked for
    return Path(path), int(index or 0)


def used_characters(folder: Path, pages=()) -> set[str]:
    """Every character of the built pages and of the search data they show; `pages`: more
    pages, written elsewhere (the last build's, left in place by an incremental build)."""
    characters: set[str] = set()
    for path in [*folder.glob("*.html"), *pages, *(folder / "assets" / "search").glob("d-*.js")]:
        characters.update(characters_of(path.read_text("utf-8")))
    return characters


_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")
_PRINTABLE_ASCII = [chr(code) for code in range(0x20, 0x80)]


def characters_of(text: str) -> set[str]:
    """The characters of `text` from U+0020 on: set(text) without the control characters,
    made faster (the pages are mostly ASCII markup: the rest is set apart by one regular
    expression, and each printable ASCII character is looked for once)."""
    found = set(_ASCII_RUNS.sub("", text))
    found.update(c for c in _PRINTABLE_ASCII if c in text)
    return found


def cut(source: Path, index: int, characters: set[str]) -> tuple[int, bytes]:
    """(how many of `characters` the face has, the face cut to them as WOFF2 bytes; b"" if none).
    As the fontTools subsetter was asked before: every OpenType layout feature (Thai marks
    and CJK forms need theirs), every name record, the .notdef glyph's outline, hinting kept."""
    from ..fonts import cut_face
    count, data = cut_face(source, index, {ord(c) for c in characters})
    return (count, woff2(data)) if count else (0, b"")


def woff2(sfnt: bytes) -> bytes:
    """An OpenType font's bytes wrapped as WOFF2 (fontTools; no timestamps touched: reproducible)."""
    from fontTools.ttLib import TTFont
    font = TTFont(io.BytesIO(sfnt), recalcTimestamp=False, recalcBBoxes=False)
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out, reorderTables=None)
    return out.getvalue()


def subset(source: Path, index: int, characters: set[str], target: Path) -> int:
    """Cut `source` to `characters` into `target`; how many of them it has (0: nothing written)."""
    count, data = cut(source, index, characters)
    if count:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return count


@cache
def code_version() -> str:
    """What the bytes of a cut font depend on besides its inputs: this module and its tools
    (their installed versions, read from their metadata: importing HarfBuzz to ask it took
    longer than the rest of a kept font's work)."""
    from importlib.metadata import PackageNotFoundError, version

    def installed(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "?"
    from .. import fonts  # cut_face: the cutting itself
    code = b"".join(Path(module).read_bytes() for module in (__file__, fonts.__file__))
    return " ".join((hashlib.sha256(code).hexdigest(), installed("uharfbuzz"),
                     installed("fonttools"), installed("brotli")))


def font_digest(cache, source: Path) -> str:
    """The SHA-256 of a font file's bytes, kept in `cache` under the file's status (device,
    inode, size, modification and change times, as make and git's index tell a changed file):
    the faces are 29 MB, read and digested on every build before. A changed or replaced file
    has another status (its change time moves with any write), so it is digested again."""
    from ..pipeline.inputs import part_key

    def digest() -> bytes:
        with open(source, "rb") as font:
            return hashlib.file_digest(font, "sha256").hexdigest().encode("ascii")
    info = os.stat(source)
    key = part_key("font-file", os.path.realpath(source), info.st_dev, info.st_ino, info.st_size,
                   info.st_mtime_ns, info.st_ctime_ns)
    kept = cache.memo("digest", key, digest)
    if len(kept) != 64 or kept.strip(b"0123456789abcdef"):
        return digest().decode("ascii")
    return kept.decode("ascii")


def kept_subset(cache, source: Path, index: int, characters: set[str], target: Path, writer=None) -> int:
    """`subset`, through a parts cache (pipeline/parts.py: the user's, else the build's) when
    there is one. The key: the font file's bytes, the face, the characters, the code that cuts."""
    if cache is None:
        return subset(source, index, characters, target)
    from ..pipeline.inputs import part_key
    from ..pipeline.parts import pack, unpack
    key = part_key("font", code_version(), font_digest(cache, source), index, "".join(sorted(characters)))

    def make() -> bytes:
        count, data = cut(source, index, characters)
        return pack({"count": str(count).encode(), **({"font": data} if count else {})})
    try:
        files = unpack(cache.memo("font", key, make))
        count = int(files["count"])
        data = files["font"] if count else b""
    except (ValueError, KeyError):  # a part that does not hold what a font part holds
        return subset(source, index, characters, target)
    if count:
        target.parent.mkdir(parents=True, exist_ok=True)
        writer.write(target, data) if writer is not None else target.write_bytes(data)
    return count


def write_fonts(folder: Path, cache=None, pages=(), files=None) -> list[WebFont]:
    """Subset fonts into assets/fonts/ and the @font-face rules into assets/fonts.css.
    `cache`: the build's pipeline.parts.PartCache, used when the user's font cache is off;
    `pages`: the site's pages that are not in `folder` (used_characters); `files`: how the
    files are written (output.SiteFiles)."""
    from ..pipeline.parts import user_cache
    store = user_cache("fonts", CACHE_SWITCH) or cache
    characters = used_characters(folder, pages)
    fonts: list[WebFont] = []
    located = locate_all([(pattern, name) for _, pattern, _, _, name, _ in FACES])
    for (family, _, weight, style, _, ranges), found in zip(FACES, located):
        if found is None:
            continue
        wanted = characters if ranges is None else {
            c for c in characters if any(low <= ord(c) <= high for low, high in ranges)}
        file = f"fonts/{family.lower().replace(' ', '-')}-{weight}{'-italic' if style == 'italic' else ''}.woff2"
        count = kept_subset(store, *found, wanted, folder / "assets" / file, files)
        if count:
            fonts.append(WebFont(family, weight, style, file, count, ranges))
    if store is not None and store is not cache:
        store.finish()
    rules = ["/* Subsets of the Noto fonts, made at build time (edition/html/fonts.py), SIL Open Font Licence. */"]
    for font in fonts:
        rules.append(f'@font-face {{ font-family: "{font.family}"; src: url("{font.file}") format("woff2"); '
                     f"font-weight: {font.weight}; font-style: {font.style}; font-display: swap;"
                     + (f" unicode-range: {font.unicode_range};" if font.ranges else "") + " }")
    css = "\n".join(rules) + "\n"
    if files is not None:
        files.write_text(folder / "assets" / "fonts.css", css)
    else:
        (folder / "assets" / "fonts.css").write_text(css, "utf-8")
    return fonts
