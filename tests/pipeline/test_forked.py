"""The outputs beside the site in children forked from the build (pipeline/graph.py `Forked`)
and the gate that keeps them from competing with the book's two processes (forks.py)."""
from __future__ import annotations

import pytest

from edition.build import build
from tests.pipeline.test_graph import _edition


# --- the outputs beside the site: forked children (graph.Forked) ----------------------------
def _pid_writer(kind: str, fail_in_child: bool = False, fail_everywhere: bool = False):
    """A stand-in for build.write_pdf/write_epub: writes the pid that made the output."""
    import os
    parent = os.getpid()

    def write(edition, view, out, *rest):
        if fail_everywhere or (fail_in_child and os.getpid() != parent):
            raise ValueError(f"no {kind} today")
        out.mkdir(parents=True)
        (out / f"edition.{kind}").write_text(str(os.getpid()), "utf-8")
    return write


def test_a_local_build_of_several_outputs_makes_them_in_forked_children_that_have_the_view(tmp_path, monkeypatch):
    """The default executor of a local build of more than one output: each output but the site
    in a child forked from the build (no spawned worker loads the corpus again), written
    straight into the build's folder, whatever the site's own switch says; the spawned pool
    where forks are not wanted."""
    import os
    from edition import build as builder
    from edition.pipeline import graph
    from edition.forks import wanted
    monkeypatch.delenv(graph.Forked.SWITCH, raising=False)
    if not wanted(graph.Forked.SWITCH):
        pytest.skip("forks are not wanted here (one core, or other threads run)")
    assert isinstance(graph.executor_for(None, 2), graph.Forked)
    assert isinstance(graph.executor_for(None, 1), graph.Serial)
    monkeypatch.setattr(builder, "write_epub", lambda edition, view, out: _pid_writer("epub")(edition, view, out))
    monkeypatch.setattr(builder, "write_pdf", _pid_writer("pdf"))
    monkeypatch.setenv("EDITION_SITE_PROCESSES", "1")  # the site in one process: not the outputs' switch
    edition = _edition(tmp_path / "forked")
    result = build(edition, html=True, pdf=True, epub=True, cache=False, built="2026-12-01 00:00 UTC")
    assert set(result.outputs) == {"html", "pdf", "epub"}
    pids = {name: (edition.build_dir / name / f"edition.{name}").read_text("utf-8") for name in ("pdf", "epub")}
    assert str(os.getpid()) not in pids.values() and pids["pdf"] != pids["epub"]
    monkeypatch.setenv(graph.Forked.SWITCH, "1")
    assert isinstance(graph.executor_for(None, 2), graph.Processes)


def test_an_output_whose_child_failed_is_made_by_the_build_and_a_fault_of_its_own_is_raised(tmp_path, monkeypatch):
    import os
    from edition import build as builder
    from edition.forks import wanted
    from edition.pipeline import graph
    monkeypatch.delenv(graph.Forked.SWITCH, raising=False)
    if not wanted(graph.Forked.SWITCH):
        pytest.skip("forks are not wanted here (one core, or other threads run)")
    monkeypatch.setattr(builder, "write_pdf", _pid_writer("pdf", fail_in_child=True))
    edition = _edition(tmp_path / "failing")
    build(edition, html=True, pdf=True, cache=False, built="2026-12-01 00:00 UTC")
    assert (edition.build_dir / "pdf" / "edition.pdf").read_text("utf-8") == str(os.getpid())
    monkeypatch.setattr(builder, "write_pdf", _pid_writer("pdf", fail_everywhere=True))
    with pytest.raises(ValueError, match="no pdf today"):
        build(edition, html=True, pdf=True, cache=False, built="2026-12-01 00:00 UTC")
    assert (edition.build_dir / "pdf" / "edition.pdf").read_text("utf-8") == str(os.getpid())  # the last build stays
    assert not list(edition.build_dir.glob(".building-*"))


def _poll(path, seconds: float = 60.0) -> bool:
    import time
    end = time.monotonic() + seconds
    while not path.exists():
        if time.monotonic() > end:
            return False
        time.sleep(0.01)
    return True


def test_who_waits_at_the_gate_goes_on_when_the_long_pole_passes_it_or_ends(tmp_path):
    """forks.py's gate: a child forked after the long pole waits until the long pole says its
    heaviest stretch is over (not until it ends), or until it ends without saying so."""
    import os
    from edition import forks
    for says in (True, False):
        folder = tmp_path / str(says)
        folder.mkdir()
        forks.open_gate()

        def pole() -> int:
            forks.hold_gate()
            if not says:
                return 0  # ends without passing the gate: the gate opens all the same
            (folder / "passed").write_text("")
            forks.pass_gate()
            return 0 if _poll(folder / "through") else 1  # the waiter went on while this still runs

        def waiter() -> int:
            forks.wait_at_gate()
            (folder / "through").write_text("passed" if (folder / "passed").exists() else "ended")
            return 0
        first = forks.fork_to_exit(pole)
        forks.leave_gate()
        second = forks.fork_to_exit(waiter)
        try:
            codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in (first, second)]
        finally:
            forks.close_gate()
        assert codes == [0, 0]
        assert (folder / "through").read_text() == ("passed" if says else "ended")
    forks.wait_at_gate()  # no gate: at once


def test_the_epubs_and_the_sites_data_files_wait_for_the_books_body(tmp_path, monkeypatch):
    """graph.Forked: the book is forked first and holds the gate; the EPUBs' child and the
    site's data files (html/beside.py) start only once the book says its body is laid out."""
    from edition import build as builder
    from edition import forks
    from edition.pipeline import graph
    monkeypatch.delenv(graph.Forked.SWITCH, raising=False)
    monkeypatch.delenv("EDITION_SITE_PROCESSES", raising=False)
    if not forks.wanted(graph.Forked.SWITCH):
        pytest.skip("forks are not wanted here (one core, or other threads run)")
    body = tmp_path / "body laid out"

    def book(edition, view, out, *rest):
        out.mkdir(parents=True)
        _poll(tmp_path / "never", 0.5)  # long enough for a child that does not wait to start
        body.write_text("")
        forks.pass_gate()
        (out / "edition.pdf").write_text("book", "utf-8")

    def epub(edition, view, out):
        out.mkdir(parents=True)
        (out / "after-body").write_text(str(body.exists()), "utf-8")
    monkeypatch.setattr(builder, "write_pdf", book)
    monkeypatch.setattr(builder, "write_epub", epub)
    from edition.dts import static
    real = static.write_static_api

    def dts(view, out, *arguments, **options):
        (tmp_path / "dts-after-body").write_text(str(body.exists()), "utf-8")
        return real(view, out, *arguments, **options)
    monkeypatch.setattr(static, "write_static_api", dts)
    import edition.dts
    monkeypatch.setattr(edition.dts, "write_static_api", dts)
    edition = _edition(tmp_path / "gated")
    build(edition, html=True, pdf=True, epub=True, cache=False, built="2026-12-01 00:00 UTC")
    assert (edition.build_dir / "epub" / "after-body").read_text("utf-8") == "True"
    assert (tmp_path / "dts-after-body").read_text("utf-8") == "True"
