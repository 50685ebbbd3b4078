"""The task graph and its executors: the same output whoever runs the tasks."""
from __future__ import annotations

import shutil

import pytest

from edition import Edition
from edition.build import build
from edition.pipeline.graph import Graph, Task
from tests.conftest import ROOT


def test_levels_put_each_task_after_what_it_needs():
    graph = Graph()
    graph.add(Task("html", print, needs=("check",)))
    graph.add(Task("check", print))
    graph.add(Task("pdf", print, needs=("check",)))
    assert [[t.name for t in level] for level in graph.levels()] == [["check"], ["html", "pdf"]]
    graph.add(Task("a", print, needs=("b",)))
    graph.add(Task("b", print, needs=("a",)))
    with pytest.raises(ValueError, match="wait on each other"):
        graph.levels()


def _edition(folder) -> Edition:
    shutil.copytree(ROOT / "tei", folder / "tei")
    if (ROOT / "node_modules").is_dir():
        (folder / "node_modules").symlink_to(ROOT / "node_modules")
    return Edition.at(folder)


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as running:
        yield running


def test_a_local_dask_cluster_builds_byte_for_byte_what_one_process_builds(tmp_path, cluster):
    """The per-document tasks (each document's check, each source's page) run on the two
    workers, the reductions here: the same site, byte for byte, and the same report."""
    serial, spread = _edition(tmp_path / "serial"), _edition(tmp_path / "spread")
    built = "2026-12-01 00:00 UTC"
    one_report = build(serial, html=True, pdf=False, cache=False, scheduler="serial", built=built).report
    assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
    other_report = build(spread, html=True, pdf=False, cache=False, scheduler=cluster.scheduler_address,
                         built=built).report
    ran = set(cluster.scheduler.task_prefixes)
    assert {"check_files", "render_source_pages"} <= ran, ran  # per document, on the workers
    assert "write_output" not in ran  # the site is not one task: its pages are
    for output in ("html",):  # the EPUBs are not yet reproducible (they differ from run to run: issue 15)
        one, other = _files(serial.build_dir / output), _files(spread.build_dir / output)
        assert one.keys() == other.keys() and len(one) >= 5
        different = [name for name in one if one[name] != other[name]]
        assert not different, f"{output}: {different[:5]}"
    assert [str(d) for d in one_report.diagnostics] == [str(d) for d in other_report.diagnostics]


def test_the_workers_check_each_document_as_one_process_does(tmp_path, cluster):
    """A worker parses its documents itself and knows the rest of the corpus only by its index
    (Corpus.compact): the same diagnostics, at the same places, in the same order."""
    from edition.checking import check_edition
    from edition.pipeline.graph import Dask
    edition = _edition(tmp_path / "e")
    bad = edition.sources_dir / "pl-khasan.xml"
    text = bad.read_text("utf-8")
    text = text.replace('ref="per:', 'ref="per:nobody-', 1).replace('ana="evt:', 'ana="evx:', 1)
    bad.write_text(text.replace('when="', 'when="1938-02-30" n="', 1), "utf-8")
    here = check_edition(edition, use_tei_all=False)
    workers = Dask(cluster.scheduler_address)
    try:
        there = check_edition(edition, use_tei_all=False, cluster=workers)
    finally:
        workers.close()
    assert {d.rule for d in here.errors} >= {"pointer"}
    assert [str(d) for d in here.diagnostics] == [str(d) for d in there.diagnostics]


def test_source_pages_made_by_forked_workers_are_the_pages_one_process_makes(tmp_path, monkeypatch):
    """PagesInPool: from PARALLEL_PAGES sources on, forked workers render the source pages
    into the parts folder and the site's writer takes them: the same site byte for byte,
    with the cache and without; the pages are counted as made, and a later build takes them."""
    from edition.pipeline import graph
    built = "2026-12-01 00:00 UTC"
    alone, pooled, cached = (_edition(tmp_path / name) for name in ("alone", "pooled", "cached"))
    build(alone, html=True, pdf=False, cache=False, built=built)
    monkeypatch.setattr(graph, "PARALLEL_PAGES", 2)
    monkeypatch.setattr(graph, "POOL_PAGES_PER_TASK", 1)
    monkeypatch.setattr(graph, "_forked_source_pages", _recording)
    _RECORD[:] = [tmp_path / "tasks.txt", graph.__dict__["_forked_source_pages_made"]]
    import os
    record = tmp_path / "tasks.txt"
    build(pooled, html=True, pdf=False, cache=False, built=built)
    by_workers = len(record.read_text().split())
    first = build(cached, html=True, pdf=False, cache=True, built=built)
    tasks = record.read_text().split()
    # the workers made pages (those the writer did not reach first: it makes a page whose task
    # has not started itself) in both builds, in other processes
    assert 1 <= by_workers <= 4 and 1 <= len(tasks) - by_workers <= 4 and str(os.getpid()) not in tasks
    one = _files(alone.build_dir / "html")
    for other in (pooled, cached):
        files = _files(other.build_dir / "html")
        assert files.keys() == one.keys() and [n for n in one if one[n] != files[n]] == []
    assert first.parts["page"] == (0, 11)  # 4 sources, the map and the corpus-wide pages, all made
    # a worker also made its sources' search share and text exports, which the writer then found
    assert first.parts["searched"][0] >= 1 and first.parts["exports"][0] >= 1
    assert not list(pooled.build_dir.rglob(".pages"))  # the scratch folder went with the build
    import re
    edited = cached.root / "tei" / "sources" / "pl-khasan.xml"  # one translation's words: one page to make
    text = edited.read_text("utf-8")
    match = re.search(r'(<div type="translation".*?<s [^>]*>)', text, re.S)
    edited.write_text(text[:match.end()] + "Edited: " + text[match.end():], "utf-8")
    again = build(cached, html=True, pdf=False, cache=True, built=built)
    assert again.parts["page"] == (10, 1)  # the pool's pages were kept, and one page is too few for a pool
    assert len(record.read_text().split()) == len(tasks)


_RECORD: list = []  # (file, the real task), set before the workers are forked


def _recording(source_ids):
    import os
    with open(_RECORD[0], "a") as out:
        out.write(f"{os.getpid()}\n")
    return _RECORD[1](source_ids)


def test_a_page_workers_error_stops_the_build_with_its_traceback_and_no_worker_is_left(tmp_path, monkeypatch):
    from edition.pipeline import graph
    monkeypatch.setattr(graph, "PARALLEL_PAGES", 2)
    monkeypatch.setattr(graph, "POOL_PAGES_PER_TASK", 1)
    monkeypatch.setattr(graph, "_forked_source_pages", _failing)
    _RECORD[:] = [tmp_path / "failed.txt"]
    edition = _edition(tmp_path / "failing")
    with pytest.raises(RuntimeError, match="(?s)a worker rendering source pages failed.*no page today"):
        build(edition, html=True, pdf=False, cache=False, built="2026-12-01 00:00 UTC")
    import os
    workers = [int(pid) for pid in (tmp_path / "failed.txt").read_text().split()]
    assert workers
    for pid in workers:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # every forked worker was waited for
    assert not (edition.build_dir / "html").exists()


def _failing(source_ids):
    import os
    with open(_RECORD[0], "a") as out:
        out.write(f"{os.getpid()}\n")
    raise ValueError("no page today")


def test_a_split_editions_pages_from_the_pool_with_their_apparatus_are_one_processs(tmp_path, monkeypatch):
    """Above MANY_SOURCES each source has an apparatus page too, which the worker that renders
    the source's page makes with it: the same site byte for byte as one process makes, and
    every page counted as made (none was kept: the cache was empty)."""
    import importlib.util
    from edition.html.pages import MANY_SOURCES
    from edition.pipeline import graph
    spec = importlib.util.spec_from_file_location("scale", ROOT / "bench" / "scale.py")
    scale = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale)
    built = "2026-12-01 00:00 UTC"
    alone, pooled = (Edition.at(scale.generate(tmp_path / name, MANY_SOURCES + 2)) for name in ("alone", "pooled"))
    monkeypatch.setattr(graph, "PARALLEL_PAGES", 10 ** 6)
    build(alone, html=True, pdf=False, cache=False, built=built)
    monkeypatch.setattr(graph, "PARALLEL_PAGES", 2)
    monkeypatch.setattr(graph, "_forked_source_pages", _recording)
    _RECORD[:] = [tmp_path / "tasks.txt", graph.__dict__["_forked_source_pages_made"]]
    result = build(pooled, html=True, pdf=False, cache=True, built=built)
    assert (tmp_path / "tasks.txt").read_text().split()  # workers ran
    assert result.parts["page"][0] == 0 and result.parts["page"][1] > 2 * (MANY_SOURCES + 2)
    one, other = _files(alone.build_dir / "html"), _files(pooled.build_dir / "html")
    assert any(name.startswith("apparatus-") for name in one)
    assert one.keys() == other.keys() and [n for n in one if one[n] != other[n]] == []


def _pid_and_square(number):
    import os
    return os.getpid(), number * number


def _three_fails(number):
    if number == 3:
        raise ValueError("three")
    return number


def _dies(number):
    import os
    import signal
    if number == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    return number


def test_forked_map_gives_each_result_in_order_from_a_process_of_its_own():
    import os
    import subprocess
    from edition.pipeline.graph import forked_map
    other = subprocess.Popen(["sh", "-c", "sleep 0.2; exit 7"])  # someone else's child: never reaped by it
    found = forked_map(_pid_and_square, list(range(7)), 2)
    assert [square for _, square in found] == [n * n for n in range(7)]
    pids = [pid for pid, _ in found]
    assert len(set(pids)) == 7 and os.getpid() not in pids
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # each was waited for
    assert other.wait() == 7


def test_forked_map_stops_at_a_call_that_raises_or_a_worker_that_dies():
    from edition.pipeline.graph import forked_map
    with pytest.raises(RuntimeError, match="(?s)a forked worker failed.*ValueError: three"):
        forked_map(_three_fails, [1, 2, 3, 4], 2)
    with pytest.raises(RuntimeError, match="a forked worker failed:\\nexit status -9"):
        forked_map(_dies, [1, 2, 3], 2)
