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


def test_a_local_dask_cluster_builds_byte_for_byte_what_one_process_builds(tmp_path):
    distributed = pytest.importorskip("distributed")
    serial, spread = _edition(tmp_path / "serial"), _edition(tmp_path / "spread")
    built = "2026-12-01 00:00 UTC"
    build(serial, html=True, pdf=False, epub=True, cache=False, scheduler="serial", built=built)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        build(spread, html=True, pdf=False, epub=True, cache=False, scheduler=cluster.scheduler_address,
              built=built)
    for output in ("html", "epub"):
        one, other = _files(serial.build_dir / output), _files(spread.build_dir / output)
        assert one.keys() == other.keys() and len(one) >= 5
        different = [name for name in one if one[name] != other[name]]
        assert not different, f"{output}: {different[:5]}"
