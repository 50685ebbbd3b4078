"""The site's web fonts (edition/html/fonts.py): each face cut by HarfBuzz to the pages'
characters, as the fontTools subsetter cut it before, and kept in the user's font cache
(pipeline/parts.user_cache), which a damaged entry or a changed font never fools."""
from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from fontTools import subset as ft_subset
from fontTools.ttLib import TTFont

from edition.html import fonts
from edition.pipeline.parts import user_cache

TEXT = "Konflikt nad jeziorem Chasan, 29 lipca – 11 sierpnia 1938 r. ½ ① “quoted” ﬁ "


def _face(pattern: str, family: str) -> tuple[Path, int]:
    found = fonts.locate(pattern, family)
    if found is None:
        pytest.skip(f"{family} is not installed")
    return found


def _tags(font: TTFont, table: str) -> set[str]:
    return {r.FeatureTag for r in font[table].table.FeatureList.FeatureRecord} if table in font else set()


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv(fonts.CACHE_SWITCH, raising=False)


@pytest.mark.parametrize("pattern, family, text", [
    ("Noto Serif:style=Regular", "Noto Serif", TEXT),
    ("Noto Serif Thai:style=Regular", "Noto Serif Thai", "ในขั้นต้น ฝ่ายญี่ปุ่นได้ส่งกำลังทหารเข้าไป ๑๙๓๙"),
])
def test_a_cut_face_keeps_what_the_fonttools_subsetter_kept(pattern, family, text):
    """The same characters, glyphs and OpenType features (Thai marks, Latin small caps and
    figures: every feature, not HarfBuzz's default list), and valid WOFF2."""
    path, index = _face(pattern, family)
    count, data = fonts.cut(path, index, set(text))
    cut = TTFont(io.BytesIO(data))
    assert cut.flavor == "woff2"
    old = TTFont(path, fontNumber=index)
    wanted = {ord(c) for c in text} & set(old.getBestCmap())
    options = ft_subset.Options()
    options.layout_features, options.name_IDs, options.notdef_outline = ["*"], ["*"], True
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(old)
    assert count == len(wanted) and set(cut.getBestCmap()) == wanted
    assert len(cut.getGlyphOrder()) == len(old.getGlyphOrder())
    for table in ("GSUB", "GPOS"):
        assert _tags(cut, table) == _tags(old, table), table
    assert {n.nameID for n in cut["name"].names} == {n.nameID for n in old["name"].names}


def test_a_face_without_any_of_the_characters_is_not_written(tmp_path):
    path, index = _face("Noto Serif Thai:style=Regular", "Noto Serif Thai")
    assert fonts.subset(path, index, set("字"), tmp_path / "thai.woff2") == 0
    assert not (tmp_path / "thai.woff2").exists()


def _site(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(f"<p>{text}</p>", "utf-8")
    return folder


def test_a_second_site_with_the_same_characters_takes_its_fonts_from_the_users_cache(tmp_path):
    _face("Noto Serif:style=Regular", "Noto Serif")
    first = fonts.write_fonts(_site(tmp_path / "one", TEXT))
    made = sorted((tmp_path / "one" / "assets" / "fonts").iterdir())
    cache = user_cache("fonts", fonts.CACHE_SWITCH)
    entries = sorted((cache.folder / "font").iterdir())
    assert first and len(entries) == len([f for f in fonts.locate_all([(f[1], f[4]) for f in fonts.FACES]) if f])
    entries.sort(key=lambda e: e.stat().st_size, reverse=True)  # a font's, not an empty face's
    damaged = entries[0].read_bytes()
    entries[0].write_bytes(damaged[:-60] + b"edited" + damaged[-54:])
    second = fonts.write_fonts(_site(tmp_path / "two", TEXT))  # one entry damaged: made afresh, the rest taken
    assert first == second
    for path in made:
        assert path.read_bytes() == (tmp_path / "two" / "assets" / "fonts" / path.name).read_bytes()
    assert (cache.folder / "font" / entries[0].name).read_bytes() == damaged  # made again, kept again


def test_other_characters_or_another_font_file_are_never_served_from_the_cache(tmp_path):
    regular = _face("Noto Serif:style=Regular", "Noto Serif")[0]
    bold = _face("Noto Serif:style=Bold", "Noto Serif")[0]
    cache = user_cache("fonts", fonts.CACHE_SWITCH)
    font = tmp_path / "font.ttf"
    shutil.copyfile(regular, font)
    target = tmp_path / "out.woff2"
    assert fonts.kept_subset(cache, font, 0, set("abc"), target) == 3
    from_regular = target.read_bytes()
    assert fonts.kept_subset(cache, font, 0, set("abcd"), target) == 4 and target.read_bytes() != from_regular
    shutil.copyfile(bold, font)  # the same path, other bytes (a font package upgraded)
    fonts.kept_subset(cache, font, 0, set("abc"), target)
    assert target.read_bytes() == fonts.cut(bold, 0, set("abc"))[1] != from_regular
    assert cache.taken["font"] == 0 and cache.made["font"] == 3


def test_the_users_font_cache_can_be_switched_off_and_is_not_used_if_others_can_write_it(tmp_path, monkeypatch):
    monkeypatch.setenv(fonts.CACHE_SWITCH, "off")
    assert user_cache("fonts", fonts.CACHE_SWITCH) is None
    monkeypatch.delenv(fonts.CACHE_SWITCH)
    folder = user_cache("fonts", fonts.CACHE_SWITCH).folder
    os.chmod(folder, 0o777)
    assert user_cache("fonts", fonts.CACHE_SWITCH) is None


def test_the_users_cache_keeps_only_the_most_recently_used_entries(tmp_path):
    cache = user_cache("fonts", fonts.CACHE_SWITCH, keep=2)
    for number, key in enumerate("abc"):
        cache.put("font", key * 64, b"x")
        os.utime(cache.folder / "font" / (key * 64), (1000 + number, 1000 + number))
    assert cache.get("font", "a" * 64) == b"x"  # used now: the newest
    cache.finish()
    assert sorted(p.name[0] for p in (cache.folder / "font").iterdir()) == ["a", "c"]


def test_the_fontconfig_library_answers_as_fc_match_does():
    if fonts._fontconfig() is None or not shutil.which("fc-match"):
        pytest.skip("no fontconfig library or no fc-match")
    wanted = [(f[1], f[4]) for f in fonts.FACES] + [("No Such Family:style=Bold", "No Such Family")]
    answers = fonts.locate_all(wanted)
    assert answers == fonts._fc_match_all(wanted)
    assert answers[-1] is None and any(answers[:-1])


def test_a_font_files_digest_is_kept_by_its_status_and_made_again_when_it_changes(tmp_path):
    from edition.pipeline.parts import UserPartCache
    font = tmp_path / "face.otf"
    font.write_bytes(b"one face " * 1000)
    cache = UserPartCache(tmp_path / "fonts")
    first = fonts.font_digest(cache, font)
    assert first == __import__("hashlib").sha256(font.read_bytes()).hexdigest()
    assert fonts.font_digest(UserPartCache(tmp_path / "fonts"), font) == first
    status = font.stat()
    __import__("time").sleep(0.05)  # past the clock's tick: the change time moves
    font.write_bytes(b"two face " * 1000)  # the same size, the same modification time put back
    os.utime(font, ns=(status.st_atime_ns, status.st_mtime_ns))
    again = UserPartCache(tmp_path / "fonts")
    assert fonts.font_digest(again, font) == __import__("hashlib").sha256(font.read_bytes()).hexdigest() != first
    assert again.made["digest"] == 1


@pytest.mark.parametrize("text", ["", "plain ascii <p>", "ในขั้นต้น\x07 ฝ่าย\n\t 1938 “q” ﬁ ½", "\x00\x1f\x7f\x80"])
def test_characters_of_a_text_are_its_set_from_space_on(text):
    assert fonts.characters_of(text) == {c for c in set(text) if ord(c) >= 0x20}
