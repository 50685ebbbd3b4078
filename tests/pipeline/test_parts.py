"""The parts cache (edition/pipeline/parts.py): an incremental build makes again
only what reads what changed, its output is byte for byte a clean build's,
and a part that is damaged or from elsewhere is thrown away, never used."""
from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest

from edition import Edition, api
from edition.corpus import Corpus
from edition.html.collect import collect
from edition.pipeline import inputs
from edition.pipeline.parts import PLACEHOLDER, PartCache, pack, site_parts, unpack
from tests.pipeline.test_cache import KINDS, _edit, edition  # noqa: F401 - the fixture
from tests.pipeline.test_summaries import _keys as summary_keys

BUILT = "2026-12-01 12:00 UTC"


# --- one part ----------------------------------------------------------------------------------
def test_a_sound_part_is_returned_as_kept(tmp_path):
    cache = PartCache(tmp_path)
    cache.put("page", "a" * 64, b"<p>kept</p>")
    assert PartCache(tmp_path).get("page", "a" * 64) == b"<p>kept</p>"
    assert PartCache(tmp_path).get("page", "b" * 64) is None


def _truncated(path):
    path.write_bytes(path.read_bytes()[:-3])


def _edited(path):
    path.write_bytes(path.read_bytes().replace(b"kept", b"KEPT"))


def _foreign(path):  # a part copied under another key (from another edition, another input)
    other = path.with_name("c" * 64)
    PartCache(path.parents[3]).put("page", "c" * 64, b"<p>from elsewhere</p>")
    other.replace(path)


def _old_format(path):
    path.write_bytes(path.read_bytes().replace(b"edition-cache-", b"edition-cache-0", 1))


def _garbage(path):
    path.write_bytes(b"\x00\xff not a part")


def _empty(path):
    path.write_bytes(b"")


@pytest.mark.parametrize("damage", [_truncated, _edited, _foreign, _old_format, _garbage, _empty])
def test_a_damaged_or_foreign_part_is_discarded_never_used(tmp_path, damage):
    PartCache(tmp_path).put("page", "a" * 64, b"<p>kept</p>")
    path = tmp_path / ".cache" / "parts" / "page" / ("a" * 64)
    damage(path)
    cache = PartCache(tmp_path)
    assert cache.get("page", "a" * 64) is None
    assert not path.exists() and cache.discarded
    assert cache.memo("page", "a" * 64, lambda: b"<p>made afresh</p>") == b"<p>made afresh</p>"
    assert PartCache(tmp_path).get("page", "a" * 64) == b"<p>made afresh</p>"


def test_a_part_name_that_is_not_a_digest_is_refused(tmp_path):
    with pytest.raises(ValueError):
        PartCache(tmp_path).get("page", "../../../etc/passwd")


def test_what_no_build_used_is_pruned_after_two_builds(tmp_path):
    first = PartCache(tmp_path)
    first.put("page", "a" * 64, b"one")
    first.finish()
    second = PartCache(tmp_path)
    second.put("page", "b" * 64, b"two")
    second.finish()
    assert PartCache(tmp_path).get("page", "a" * 64) == b"one"  # the build before: kept (an undo)
    third = PartCache(tmp_path)
    third.get("page", "b" * 64)
    third.finish()
    assert PartCache(tmp_path).get("page", "a" * 64) is None
    assert PartCache(tmp_path).get("page", "b" * 64) == b"two"


def test_files_packed_in_one_part_come_back_and_cannot_leave_the_output():
    files = {"a/b.json": b"{}", "c.html": "ห้า".encode()}
    assert unpack(pack(files)) == files
    with pytest.raises(ValueError):
        unpack(pack({"../outside": b"x"}))
    with pytest.raises(ValueError):
        unpack(pack(files)[:-1])


# --- what each part's key reads ----------------------------------------------------------------
def _keys(edition: Edition) -> dict[str, str]:
    view = collect(Corpus.load(edition))
    parts = site_parts(edition, edition.build_dir, BUILT)
    keys = {s.id: parts.source_key(view, s) for s in view.sources}
    keys["map"] = parts.key(view, "map")
    return keys


# The keys of the pages, and of the per-source summaries (pipeline/summaries.py), cover the same inputs.
KEYS = pytest.mark.parametrize("keys", [_keys, summary_keys], ids=["pages", "summaries"])


@KEYS
def test_a_source_edit_changes_only_that_sources_keys(edition, keys):
    before = keys(edition)
    _edit(edition.root / "tei" / "sources" / "pl-khasan.xml", "</TEI>", "<!-- edited --></TEI>")
    after = keys(edition)
    assert {name for name in before if before[name] != after[name]} == {"pl-khasan"}


@KEYS
@pytest.mark.parametrize("kind", sorted(k for k in KINDS if k != "a source"))
def test_anything_around_the_sources_changes_every_parts_key(edition, kind, keys):
    relative, old, new = KINDS[kind]
    before = keys(edition)
    path = edition.root / relative
    if old:
        _edit(path, old, new)
    else:
        path.write_text(new + path.read_text("utf-8"), "utf-8")
    after = keys(edition)
    assert all(before[name] != after[name] for name in before), kind


@KEYS
def test_the_package_is_an_input_of_every_part(edition, monkeypatch, keys):
    before = keys(edition)
    inputs.package_digest.cache_clear()
    monkeypatch.setattr(inputs, "__version__", "99.0")
    try:
        after = keys(edition)
    finally:
        inputs.package_digest.cache_clear()
    assert all(before[name] != after[name] for name in before)


def test_what_every_page_shows_of_a_source_is_an_input_of_every_page(edition):
    """The navigation names each source: another source's new title changes every page's key."""
    before = _keys(edition)
    _edit(edition.root / "tei" / "sources" / "es-khalkhin-gol.xml", "<title>", "<title>Retitled ")
    after = _keys(edition)
    assert all(before[name] != after[name] for name in before)


# --- the build -------------------------------------------------------------------------------------
def _clean_copy(edition: Edition, folder: Path, built: str) -> Path:
    shutil.copytree(edition.root, folder, symlinks=True, ignore=shutil.ignore_patterns("build"))
    api_edition = Edition.at(folder)
    from edition.build import build
    build(api_edition, html=True, pdf=False, cache=False, built=built)
    return folder / "build" / "html"


def _same_tree(one: Path, other: Path) -> list[str]:
    """The files that differ or are missing on either side (empty: byte for byte the same)."""
    names = {p.relative_to(one).as_posix() for p in one.rglob("*") if p.is_file()}
    names |= {p.relative_to(other).as_posix() for p in other.rglob("*") if p.is_file()}
    return sorted(n for n in names if not ((one / n).is_file() and (other / n).is_file()
                                           and filecmp.cmp(one / n, other / n, shallow=False)))


def _translator_edit(path: Path, words: str) -> None:
    """Words put at the start of the first sentence of the translation (as bench/scale.py edits)."""
    text = path.read_text("utf-8")
    start = text.index("<s ", text.index('<div type="translation"'))
    end = text.index(">", start) + 1
    path.write_text(text[:end] + words + text[end:], "utf-8")


def test_an_incremental_build_is_byte_for_byte_a_clean_build(edition, tmp_path):
    from edition.build import build
    first = build(edition, html=True, pdf=False, built=BUILT)
    # 4 sources, the map, the index, the synopsis, the timeline and the 3 registers
    assert first.parts["page"] == (0, 11) and first.parts["dts"] == (0, 4)
    api_files = edition.build_dir / "html" / "api" / "dts" / "document"
    inodes = {p.name: p.stat().st_ino for p in api_files.iterdir()}
    polish = {p: (p.stat().st_ino, p.read_bytes()) for p in (edition.build_dir / "html" / "api").rglob("*")
              if "pl-khasan" in p.as_posix() and p.is_file()}
    # a translator's edit, built a minute later: the other sources' parts are taken
    _translator_edit(edition.root / "tei" / "sources" / "pl-khasan.xml", "EDITED-TRANSLATION ")
    later = "2026-12-01 12:01 UTC"
    edited = build(edition, html=True, pdf=False, built=later)
    now = {p.name: p.stat().st_ino for p in api_files.iterdir()}
    assert now["th-khalkhin-gol.xml"] == inodes["th-khalkhin-gol.xml"]  # untouched: left where it was
    assert now["pl-khasan.xml"] != inodes["pl-khasan.xml"]
    # of the edited source's DTS files, those whose bytes did not change stay where they were
    stayed = {p for p, (inode, data) in polish.items() if p.read_bytes() == data}
    assert all(p.stat().st_ino == polish[p][0] for p in stayed)
    assert all(p.stat().st_ino != polish[p][0] for p in set(polish) - stayed)
    assert len(stayed) > len(polish) / 2 and len(stayed) < len(polish)
    html = edition.build_dir / "html"
    # only the edited source's page is made (its first sentence narrates no event: the synopsis is kept)
    assert edited.parts["page"] == (10, 1) and edited.parts["dts"] == (0, 1)  # 3 sources' DTS files left in place
    assert first.parts["dtsnav"] == (0, 4) and "dtsnav" not in edited.parts  # words, not structure: navigation stays
    assert "EDITED-TRANSLATION" in (html / "pl-khasan.html").read_text("utf-8")
    assert PLACEHOLDER[:4] not in (html / "th-khalkhin-gol.html").read_text("utf-8")
    assert _same_tree(html, _clean_copy(edition, tmp_path / "clean-1", later)) == []
    # a register edit: every page shows the entries it names, so every page is made again
    _edit(edition.root / "tei" / "registers" / "persons.xml", "Blyukher", "Blyukher-EDITED")
    again = build(edition, html=True, pdf=False, built=later)
    assert again.parts["page"] == (0, 11) and again.parts["dts"] == (0, 4) and again.parts["dtsnav"] == (0, 4)
    assert "Blyukher-EDITED" in (html / "pl-khasan.html").read_text("utf-8")
    assert _same_tree(html, _clean_copy(edition, tmp_path / "clean-2", later)) == []


# --- an incremental build moves in only what changed ---------------------------------------------------
def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text("utf-8") for p in folder.rglob("*") if p.is_file()}


def _files(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, "utf-8")


def test_sync_moves_new_files_in_keeps_what_stays_and_removes_what_went(tmp_path):
    from edition.build import sync_in
    target, new = tmp_path / "html", tmp_path / ".building-x" / "html"
    _files(target, {"a.html": "old a", "b.html": "kept", "gone/c.json": "old c", "user.txt": "not ours"})
    _files(new, {"a.html": "new a", "added/e.json": "new e"})
    sync_in(new, target, keep={"b.html"}, before={"a.html": [], "b.html": [], "gone/c.json": []})
    assert _tree(target) == {"a.html": "new a", "b.html": "kept", "added/e.json": "new e", "user.txt": "not ours"}
    assert not (target / "gone").exists() and not (tmp_path / ".building-x" / "sync.json").exists()


def test_a_build_killed_while_moving_in_is_completed_by_the_next(tmp_path):
    import json
    from edition.build import SYNC_PLAN, repair
    build_dir = tmp_path / "build"
    target, scratch = build_dir / "html", build_dir / ".building-killed"
    _files(target, {"a.html": "new a", "b.html": "old b", "gone.html": "old"})  # a.html had moved in already
    _files(scratch / "html", {"b.html": "new b"})
    (scratch / SYNC_PLAN).write_text(json.dumps({"output": "html", "remove": ["gone.html"]}), "utf-8")
    repair(build_dir)
    assert _tree(target) == {"a.html": "new a", "b.html": "new b"} and not scratch.exists()


def test_a_scratch_folder_without_a_plan_is_only_removed(tmp_path):
    from edition.build import repair
    build_dir = tmp_path / "build"
    _files(build_dir / "html", {"a.html": "old a"})
    _files(build_dir / ".building-killed" / "html", {"a.html": "half-made a"})
    repair(build_dir)
    assert _tree(build_dir / "html") == {"a.html": "old a"} and not (build_dir / ".building-killed").exists()


def test_a_sources_navigation_key_reads_its_structure_not_its_words(edition):
    from edition.dts.service import DtsService
    from edition.dts.static import _structure_key
    from edition.dts.urls import BASE, StaticUrls

    def key() -> str:
        view = collect(Corpus.load(edition))
        parts = site_parts(edition, edition.build_dir, BUILT)
        service = DtsService(view, StaticUrls("/" + BASE))
        return _structure_key(service, service.sources["pl-khasan"], parts)
    path = edition.sources_dir / "pl-khasan.xml"
    before = key()
    _translator_edit(path, "EDITED ")
    assert key() == before
    _edit(path, 'xml:id="pl-khasan-s2"', 'xml:id="pl-khasan-s2-renamed"')
    renamed = key()
    assert renamed != before
    _edit(path, "<title>", "<title>Retitled ")
    assert key() != renamed
