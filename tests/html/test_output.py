"""A clean build of the site without its costs: the inodes of the last build's files taken
where the bytes are the same (html/output.py), the data files written by a forked child
(html/beside.py), the atlas's drawings kept in the user's cache (html/geography.py), the
previous build removed by a process of its own (build.discard). Every one of them must leave
the site byte for byte what a plain build writes, and a failed build the previous one intact."""
from __future__ import annotations

import filecmp
import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest

from edition.build import REMOVING, build, repair
from edition.html import geography, output
from edition.html.beside import Beside
from edition.html.beside import wanted as beside_wanted
from tests.pipeline.test_cache import _edit, edition  # noqa: F401 - the fixture

BUILT = "2026-12-01 12:00 UTC"


def _tree(folder: Path) -> dict[str, tuple[str, int]]:
    """Each file's digest and inode."""
    return {p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_ino)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _same_trees(one: Path, other: Path) -> bool:
    compared = filecmp.dircmp(one, other)

    def same(c) -> bool:
        if c.left_only or c.right_only or c.diff_files or c.funny_files:
            return False
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        return not mismatch and not errors and all(same(s) for s in c.subdirs.values())
    return same(compared)


# --- SiteFiles -------------------------------------------------------------------------------
def test_a_file_with_the_last_builds_bytes_takes_its_inode_any_other_is_written(tmp_path):
    previous, out = tmp_path / "html", tmp_path / "new"
    (previous / "a").mkdir(parents=True)
    (out / "a").mkdir(parents=True)
    (previous / "first.txt").write_bytes(b"first")
    (previous / "a" / "same.json").write_bytes(b'{"same": 1}')
    (previous / "a" / "changed.json").write_bytes(b'{"old": 1}')
    (previous / "a" / "longer.json").write_bytes(b'{"same": 1}  ')
    files = output.SiteFiles(out, previous)
    files.write(out / "first.txt", b"first")  # the first file is written: the mode a new file gets
    files.write(out / "a" / "same.json", b'{"same": 1}')
    files.write(out / "a" / "changed.json", b'{"new": 1}')
    files.write(out / "a" / "longer.json", b'{"same": 1}')
    files.write(out / "a" / "new.json", b"{}")
    assert (out / "a" / "same.json").stat().st_ino == (previous / "a" / "same.json").stat().st_ino
    for name, data in (("changed.json", b'{"new": 1}'), ("longer.json", b'{"same": 1}'), ("new.json", b"{}")):
        assert (out / "a" / name).read_bytes() == data
        assert (out / "a" / name).stat().st_nlink == 1
    assert (previous / "a" / "changed.json").read_bytes() == b'{"old": 1}'
    assert (files.linked, files.written) == (1, 4)


def test_a_path_written_again_never_writes_through_the_shared_inode(tmp_path):
    previous, out = tmp_path / "html", tmp_path / "new"
    previous.mkdir()
    out.mkdir()
    (previous / "page.html").write_bytes(b"<p>old</p>")
    files = output.SiteFiles(out, previous)
    files.write(out / "first", b"x")
    files.write(out / "page.html", b"<p>old</p>")
    assert (out / "page.html").stat().st_nlink == 2
    files.write(out / "page.html", b"<p>new</p>")  # written again (a page claimed twice, say)
    assert (previous / "page.html").read_bytes() == b"<p>old</p>"
    assert (out / "page.html").read_bytes() == b"<p>new</p>"
    os.chmod(previous / "page.html", 0o600)  # copy() sets a mode: never on a shared inode
    source = tmp_path / "asset.js"
    source.write_bytes(b"<p>old</p>")
    os.chmod(source, 0o640)
    files.copy(source, out / "page.html")
    assert (previous / "page.html").stat().st_mode & 0o777 == 0o600
    assert (out / "page.html").stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("case", ["other link", "symlink", "linked folder", "mode"])
def test_a_last_build_file_that_is_not_plainly_its_own_is_not_taken(tmp_path, case):
    previous, out, elsewhere = tmp_path / "html", tmp_path / "new", tmp_path / "elsewhere"
    for folder in (previous, out, elsewhere):
        folder.mkdir()
    (elsewhere / "data.json").write_bytes(b"[1]")
    if case == "other link":  # a name outside build/html shares it
        os.link(elsewhere / "data.json", previous / "data.json")
    elif case == "symlink":
        (previous / "data.json").symlink_to(elsewhere / "data.json")
    elif case == "linked folder":
        (previous / "api").symlink_to(elsewhere)
        (out / "api").mkdir()
    else:
        (previous / "data.json").write_bytes(b"[1]")
        os.chmod(previous / "data.json", 0o600)
    target = out / "api" / "data.json" if case == "linked folder" else out / "data.json"
    files = output.SiteFiles(out, previous)
    files.write(out / "first", b"x")
    files.write(target, b"[1]")
    assert target.read_bytes() == b"[1]" and not target.is_symlink()
    assert target.stat().st_ino != (elsewhere / "data.json").stat().st_ino
    assert files.linked == 0


# --- the build -------------------------------------------------------------------------------
def _settled(build_dir: Path) -> None:
    """Wait for the detached remover of the last build (a second at most)."""
    for _ in range(100):
        if not list(build_dir.glob(f"{REMOVING}*")):
            return
        time.sleep(0.01)


def test_a_clean_build_over_the_last_is_a_plain_builds_site(edition, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user"))
    build(edition, html=True, pdf=False, cache=False, built=BUILT)
    first = _tree(edition.build_dir / "html")
    _edit(edition.root / "tei" / "sources" / "pl-khasan.xml", "Relations between", "Dealings between")
    build(edition, html=True, pdf=False, cache=False, built=BUILT)
    second = _tree(edition.build_dir / "html")
    assert set(first) == set(second)
    kept = [name for name in first if first[name] == second[name]]  # same bytes, same inode
    changed = [name for name in first if first[name][0] != second[name][0]]
    assert changed and len(kept) > len(first) / 2
    assert all(first[name][1] != second[name][1] for name in changed)
    _settled(edition.build_dir)
    assert not list(edition.build_dir.glob(f"{REMOVING}*")) and not list(edition.build_dir.glob(".building-*"))
    assert all((edition.build_dir / "html" / name).stat().st_nlink == 1 for name in second)
    # byte for byte what one process, with no last build and no kept drawings, writes
    plain = edition.build_dir.parent / "plain"
    shutil.copytree(edition.root / "tei", plain / "tei")
    shutil.copytree(edition.root / "styles", plain / "styles")
    if (edition.root / "node_modules").exists():
        (plain / "node_modules").symlink_to((edition.root / "node_modules").resolve())
    from edition import Edition
    monkeypatch.setenv("EDITION_SITE_PROCESSES", "1")
    monkeypatch.setenv("EDITION_MAP_CACHE", "off")
    build(Edition.at(plain), html=True, pdf=False, cache=False, built=BUILT)
    assert _same_trees(plain / "build" / "html", edition.build_dir / "html")


def test_a_failed_clean_build_leaves_the_last_build_as_it_was(edition, tmp_path, monkeypatch):  # noqa: F811
    from edition.html import pages
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user"))
    build(edition, html=True, pdf=False, cache=False, built=BUILT)
    before = _tree(edition.build_dir / "html")

    def broken(*args, **kwargs):  # after every page, the DTS API and the search data are written
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(pages, "write_fonts", broken)
    with pytest.raises(Exception):
        build(edition, html=True, pdf=False, cache=False, built="2026-12-01 12:01 UTC")
    assert _tree(edition.build_dir / "html") == before
    assert all((edition.build_dir / "html" / name).stat().st_nlink == 1 for name in before)
    assert not list(edition.build_dir.glob(".building-*"))


def test_what_a_killed_remover_left_is_removed_by_the_next_build(tmp_path):
    left = tmp_path / f"{REMOVING}x1" / "old" / "api"
    left.mkdir(parents=True)
    (left / "index.json").write_text("{}", "utf-8")
    (tmp_path / "html").mkdir()
    repair(tmp_path)
    assert not (tmp_path / f"{REMOVING}x1").exists() and (tmp_path / "html").is_dir()


# --- the child beside the pages ----------------------------------------------------------------
def test_work_that_fails_in_the_child_is_done_here(tmp_path):
    done = tmp_path / "done"
    here = os.getpid()

    def work():
        if os.getpid() != here:
            raise RuntimeError("only in the child")
        done.write_text(str(os.getpid()), "utf-8")
    beside = Beside(work)
    beside.wait()
    assert done.read_text("utf-8") == str(here)


def test_work_in_the_child_is_waited_for(tmp_path, monkeypatch):
    monkeypatch.delenv("EDITION_SITE_PROCESSES", raising=False)
    done = tmp_path / "done"
    forked = beside_wanted()  # not when other threads run (a test before this one may leave some)
    beside = Beside(lambda: (time.sleep(0.2), done.write_text(str(os.getpid()), "utf-8")))
    beside.wait()
    assert (done.read_text("utf-8") != str(os.getpid())) == forked


def test_one_process_when_asked(tmp_path, monkeypatch):
    monkeypatch.setenv("EDITION_SITE_PROCESSES", "1")
    done = tmp_path / "done"
    beside = Beside(lambda: done.write_text(str(os.getpid()), "utf-8"))
    assert not done.exists()  # not begun before it is waited for
    beside.wait()
    assert done.read_text("utf-8") == str(os.getpid())


# --- the atlas's drawings ------------------------------------------------------------------
@pytest.fixture
def atlas():
    from tests.conftest import ROOT
    found = geography.find_atlas([ROOT], "50m")
    if found is None:
        pytest.skip("world-atlas is not installed (npm ci)")
    return found


def _frame():
    from edition.html.graphics import Projection
    return Projection(125.0, 40.0, 135.0, 48.0, 600), (125.0, 40.0, 135.0, 48.0), 480


def test_a_kept_drawing_is_the_drawing_and_the_atlas_is_not_read(atlas, tmp_path, monkeypatch):
    from edition.pipeline.parts import UserPartCache
    drawn = geography.Geography(atlas).svg(*_frame())
    cache = UserPartCache(tmp_path / "maps")
    assert geography.KeptGeography(atlas, cache).svg(*_frame()) == drawn
    monkeypatch.setattr(geography, "Geography", lambda path: pytest.fail("the atlas was read"))
    assert geography.KeptGeography(atlas, UserPartCache(tmp_path / "maps")).svg(*_frame()) == drawn


def test_a_damaged_drawing_is_discarded_and_drawn_again(atlas, tmp_path):
    from edition.pipeline.parts import UserPartCache
    drawn = geography.Geography(atlas).svg(*_frame())
    geography.KeptGeography(atlas, UserPartCache(tmp_path / "maps")).svg(*_frame())
    [entry] = (tmp_path / "maps" / "map").iterdir()
    entry.write_bytes(entry.read_bytes().replace(b"map-land", b"map-evil"))
    cache = UserPartCache(tmp_path / "maps")
    assert geography.KeptGeography(atlas, cache).svg(*_frame()) == drawn
    assert cache.discarded and cache.made["map"] == 1


def test_another_atlas_or_frame_is_another_drawing(atlas, tmp_path):
    from edition.html.graphics import Projection
    from edition.pipeline.parts import UserPartCache
    cache = UserPartCache(tmp_path / "maps")
    geography.KeptGeography(atlas, cache).svg(*_frame())
    wider = Projection(124.0, 40.0, 135.0, 48.0, 600), (124.0, 40.0, 135.0, 48.0), 480
    assert geography.KeptGeography(atlas, cache).svg(*wider) == geography.Geography(atlas).svg(*wider)
    copy = tmp_path / "countries-50m.json"
    copy.write_bytes(atlas.read_bytes().replace(b'"scale":[', b'"scale": [', 1))
    assert geography.KeptGeography(copy, cache).digest != geography.KeptGeography(atlas, cache).digest
    assert cache.made["map"] == 2 and cache.taken["map"] == 0
