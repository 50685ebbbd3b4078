"""Bad luck: a build or an annotation killed at each write step, two builds at
once, a full disk, a read-only tei/. After each, the previous build and every
source are intact, and the message is one line with its documented exit code."""
from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from edition import Edition
from tests.conftest import ROOT
from tests.security.conftest import edition, run_edition  # noqa: F401 - shared fixtures

KILLER = Path(__file__).with_name("killer.py")


def killed_at(edition: Edition, step: int, *args: str) -> subprocess.CompletedProcess:  # noqa: F811
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, str(KILLER), str(step), "--root", str(edition.root), *args],
                          capture_output=True, text=True, timeout=600, env=env, stdin=subprocess.DEVNULL)


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def retitle(edition: Edition, title: str) -> None:  # noqa: F811
    source = edition.source_path("es-k")
    text = source.read_text("utf-8")
    source.write_text(re.sub(r"<title>[^<]*</title>", f"<title>{title}</title>", text, count=1), "utf-8")


def samples(total: int) -> list[int]:
    """The first steps, some in the middle, and every one of the last (the switch)."""
    chosen = {1, 2, 3, total // 4, total // 2, 3 * total // 4, *range(max(1, total - 6), total + 1)}
    return sorted(s for s in chosen if 1 <= s <= total)


def test_a_build_killed_at_any_write_step_leaves_the_previous_build(edition):  # noqa: F811
    retitle(edition, "Old title")
    assert run_edition(edition, "build", "--html", trace=False).returncode == 0
    html = edition.build_dir / "html"
    old = digest(html)
    sources = digest(edition.tei_dir)
    retitle(edition, "New title")
    sources = digest(edition.tei_dir)
    counted = killed_at(edition, 0, "build", "--html", "--no-cache")  # the write path, every step of it
    assert counted.returncode == 0, counted.stderr
    total = int(re.search(r"steps: (\d+)", counted.stderr)[1])
    new = digest(html)
    assert "New title" in (html / "es-k.html").read_text("utf-8")
    for step in samples(total):
        retitle(edition, "Old title")
        assert run_edition(edition, "build", "--html", trace=False).returncode == 0
        before = digest(html)
        retitle(edition, "New title")
        sources = digest(edition.tei_dir)
        result = killed_at(edition, step, "build", "--html", "--no-cache")
        assert result.returncode == -9, (step, result.stderr)
        now = digest(html)
        assert set(now) == set(old) == set(new), f"step {step}: files missing or added"
        page = (html / "es-k.html").read_text("utf-8")
        assert now == before or "New title" in page, f"step {step}: a mixture of builds"
        assert digest(edition.tei_dir) == sources, f"step {step}: a source changed"
    assert run_edition(edition, "build", "--html", trace=False).returncode == 0
    assert not list(edition.build_dir.glob(".building-*")) and not list(edition.build_dir.glob(".*.old"))


def test_the_fallback_switch_is_repaired_by_the_next_build(edition):  # noqa: F811
    """Where RENAME_EXCHANGE is missing: killed between the two renames, the next run puts html back."""
    from edition import build
    assert run_edition(edition, "build", "--html", trace=False).returncode == 0
    html = edition.build_dir / "html"
    before = digest(html)
    html.rename(edition.build_dir / ".html.old")  # what the kill between the renames leaves
    (edition.build_dir / ".building-x1").mkdir()
    with build.build_lock(edition.build_dir):
        build.repair(edition.build_dir)
    assert digest(html) == before
    assert not (edition.build_dir / ".building-x1").exists()


def test_an_annotation_killed_at_any_write_step_leaves_each_source_whole(edition):  # noqa: F811
    source = edition.source_path("es-k")
    original = source.read_bytes()
    counted = killed_at(edition, 0, "annotate", "es-k")
    assert counted.returncode == 0, counted.stderr
    annotated = source.read_bytes()
    assert annotated != original
    total = int(re.search(r"steps: (\d+)", counted.stderr)[1])
    for step in range(1, total + 1):
        source.write_bytes(original)
        result = killed_at(edition, step, "annotate", "es-k")
        assert result.returncode in (-9, 0)
        assert source.read_bytes() in (original, annotated), f"step {step}: a half-written source"
        assert not [p for p in edition.sources_dir.iterdir() if p.name.startswith(".")]or result.returncode == -9


def test_two_builds_at_once_the_second_is_refused_clearly(edition):  # noqa: F811
    assert run_edition(edition, "build", "--html", trace=False).returncode == 0
    before = digest(edition.build_dir / "html")
    lock = edition.build_dir / ".lock"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.Popen([sys.executable, "-m", "edition", "--root", str(edition.root), "build"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        held = False
        for _ in range(600):  # until the first build holds the lock
            with open(lock, "rb") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    fcntl.flock(handle, fcntl.LOCK_UN)
                except BlockingIOError:
                    held = True
                    break
            time.sleep(0.05)
            if first.poll() is not None:
                break
        if not held:
            pytest.skip("the first build finished before a second could start")
        second = run_edition(edition, "build", "--html", trace=False)
        assert second.returncode == 7, second.stderr
        assert len(second.messages) == 1 and "another build of this edition is running" in second.messages[0]
        assert str(edition.build_dir) in second.messages[0]
    finally:
        first.wait(timeout=600)
    assert first.returncode == 0, first.stderr.read() if first.stderr else ""
    # the full build adds the book beside the pages (the site links it); nothing else changes
    assert set(digest(edition.build_dir / "html")) - {"edition.pdf"} == set(before)


def mount(kind: str, target: Path, options: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    args = ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)] if kind == "tmpfs" else \
        ["mount", "--bind", str(target), str(target)]
    if subprocess.run(args, capture_output=True).returncode != 0:
        return False
    if kind == "readonly" and subprocess.run(["mount", "-o", "remount,ro,bind", str(target)],
                                             capture_output=True).returncode != 0:
        subprocess.run(["umount", str(target)], capture_output=True)
        return False
    return True


def test_a_full_disk_is_one_line_and_the_previous_build_survives(tmp_path, edition):  # noqa: F811
    disk = tmp_path / "disk"
    disk.mkdir()
    if not mount("tmpfs", disk, "size=6m"):
        pytest.skip("cannot mount a small tmpfs here")
    try:
        shutil.copytree(edition.tei_dir, disk / "tei")
        (disk / "node_modules").symlink_to(ROOT / "node_modules")
        small = Edition.at(disk)
        assert run_edition(small, "build", "--html", trace=False).returncode == 0
        before = digest(small.build_dir / "html")
        retitle(small, "Full disk")  # a change to build, made while there is room
        sources = digest(small.tei_dir)
        filler = disk / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)  # fill the disk to the last byte
        try:
            for size in (65536, 4096, 1):
                try:
                    while True:
                        os.write(fd, b"\0" * size)
                except OSError:
                    pass
        finally:
            os.close(fd)
        run = run_edition(small, "build", "--html", trace=False)
        assert run.returncode == 4, run.stderr
        assert len(run.messages) == 1 and "no space left on the device" in run.messages[0], run.stderr
        assert str(small.build_dir) in run.messages[0]
        assert digest(small.build_dir / "html") == before
        assert digest(small.tei_dir) == sources
        run = run_edition(small, "annotate", "es-k", trace=False)
        assert run.returncode == 4, run.stderr
        assert run.messages == [f"{small.source_path('es-k')}: no space left on the device; free some space "
                                "and run again (the previous build and the sources are intact)"]
        assert digest(small.tei_dir) == sources
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def test_a_read_only_tei_folder_is_one_line_naming_the_source(edition):  # noqa: F811
    if not mount("readonly", edition.tei_dir, ""):
        pytest.skip("cannot make a read-only bind mount here")
    try:
        sources = digest(edition.tei_dir)
        run = run_edition(edition, "annotate", "es-k", trace=False)
        assert run.returncode == 5, run.stderr
        assert run.messages == [f"{edition.source_path('es-k')}: cannot write (read-only file system); "
                                "make it writable or work on a copy"]
        run = run_edition(edition, "import", str(ROOT / "seeds" / "002_2c3f7e8a4fd4a63b.txt"), "--lang", "pl",
                          "--id", "pl-k", trace=False)
        assert run.returncode == 5 and len(run.messages) == 1 and "pl-k.xml" in run.messages[0], run.stderr
        assert digest(edition.tei_dir) == sources
        assert run_edition(edition, "build", "--html", trace=False).returncode == 0  # reading is fine
    finally:
        subprocess.run(["umount", "-l", str(edition.tei_dir)], capture_output=True)
