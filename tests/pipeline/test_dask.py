"""`edition build --scheduler tcp://…`: a local two-worker Dask cluster builds what one process builds.

The cluster and its client run in a child process: a Dask client leaves threads running in its
process for good (its event loop, its profiler), and a process with other threads never forks
(edition/forks.py), so tests run after it in one pytest process would no longer see the book's,
the site's and the check's forked children."""
from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest

from edition import Edition
from edition.build import build
from edition.checking import check_edition
from tests.conftest import ROOT
from tests.pipeline.test_graph import _edition, _files

BUILT = "2026-12-01 00:00 UTC"
ON_THE_CLUSTER = """
import json, sys
import distributed
from edition import Edition
from edition.build import build
from edition.checking import check_edition
from edition.pipeline.graph import Dask

spread, bad, built = sys.argv[1:4]
with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                              dashboard_address=None) as cluster:
    report = build(Edition.at(spread), html=True, pdf=False, cache=False, scheduler=cluster.scheduler_address,
                   built=built).report
    workers = Dask(cluster.scheduler_address)
    try:
        checked = check_edition(Edition.at(bad), use_tei_all=False, cluster=workers)
    finally:
        workers.close()
    print(json.dumps({"address": cluster.scheduler_address, "ran": sorted(cluster.scheduler.task_prefixes),
                      "built": [str(d) for d in report.diagnostics],
                      "checked": [str(d) for d in checked.diagnostics]}))
"""


def _broken(edition: Edition) -> Edition:
    """pl-khasan with a pointer to no one, an unknown prefix and an impossible date."""
    bad = edition.sources_dir / "pl-khasan.xml"
    text = bad.read_text("utf-8")
    text = text.replace('ref="per:', 'ref="per:nobody-', 1).replace('ana="evt:', 'ana="evx:', 1)
    bad.write_text(text.replace('when="', 'when="1938-02-30" n="', 1), "utf-8")
    return edition


@pytest.fixture(scope="module")
def cluster_run(tmp_path_factory):
    pytest.importorskip("distributed")
    folder = tmp_path_factory.mktemp("dask")
    spread, bad = _edition(folder / "spread"), _broken(_edition(folder / "bad"))
    run = subprocess.run([sys.executable, "-c", ON_THE_CLUSTER, str(spread.root), str(bad.root), BUILT],
                         capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-3000:]
    return spread, bad, json.loads(run.stdout.strip().splitlines()[-1])


def test_a_local_dask_cluster_builds_byte_for_byte_what_one_process_builds(tmp_path, cluster_run):
    """The per-document tasks (each document's check, each source's page) run on the two
    workers, the reductions in the build's process: the same site, byte for byte, and the same report."""
    spread, _, there = cluster_run
    serial = _edition(tmp_path / "serial")
    one_report = build(serial, html=True, pdf=False, cache=False, scheduler="serial", built=BUILT).report
    assert there["address"].startswith("tcp://127.0.0.1:")
    assert {"check_files", "render_source_pages"} <= set(there["ran"]), there["ran"]  # per document, on the workers
    assert "write_output" not in there["ran"]  # the site is not one task: its pages are
    one, other = _files(serial.build_dir / "html"), _files(spread.build_dir / "html")
    assert one.keys() == other.keys() and len(one) >= 5
    different = [name for name in one if one[name] != other[name]]
    assert not different, different[:5]
    assert [str(d) for d in one_report.diagnostics] == there["built"]


def test_the_workers_check_each_document_as_one_process_does(cluster_run):
    """A worker parses its documents itself and knows the rest of the corpus only by its index
    (Corpus.compact): the same diagnostics, at the same places, in the same order."""
    _, bad, there = cluster_run
    here = check_edition(bad, use_tei_all=False)
    assert {d.rule for d in here.errors} >= {"pointer"}
    assert [str(d) for d in here.diagnostics] == there["checked"]


def test_the_cluster_left_no_thread_in_the_tests_process(cluster_run):
    assert threading.active_count() == 1, [t.name for t in threading.enumerate()]
