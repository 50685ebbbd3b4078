"""The build's work as a graph of tasks, run by an executor of your choice.

The tasks are plain functions of plain arguments (an edition's folder, an
output's name, the build time), so that any executor can run them: in this
process (`serial`), in children forked from the build (`Forked`, the default
when more than one output is to be made: the HTML site, the PDF book and the
EPUBs are then written at the same time, the children inheriting the checked
view), in a local pool of spawned processes (`processes`), or on a Dask distributed cluster
(`tcp://host:port`, `pip install 'edition[distributed]'`). The cluster's
workers must see the edition's folder under the same path (a shared file
system); each task returns the files it made, as bytes, and only the
process that started the build writes into build/, under its lock.

Levels: the check of the corpus comes first, in the process that started
the build, since nothing is written unless it passes: its per-document rules
are tasks (`check_documents`: a local pool from PARALLEL_CHECK documents on),
its corpus rules a reduction over every document; then each wanted output
(html, pdf, epub) is one task.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Callable

from ..diagnostics import UsageProblem
from ..forks import fork_to_exit


@dataclass
class Task:
    name: str
    function: Callable
    args: tuple = ()
    needs: tuple[str, ...] = ()


@dataclass
class Graph:
    tasks: dict[str, Task] = field(default_factory=dict)

    def add(self, task: Task) -> Task:
        if task.name in self.tasks:
            raise ValueError(f"two tasks named {task.name}")
        self.tasks[task.name] = task
        return task

    def levels(self) -> list[list[Task]]:
        """The tasks in order: each level needs only tasks of the levels before it."""
        done: set[str] = set()
        levels = []
        waiting = dict(self.tasks)
        while waiting:
            ready = [t for t in waiting.values() if set(t.needs) <= done]
            if not ready:
                raise ValueError(f"tasks that wait on each other: {sorted(waiting)}")
            levels.append(ready)
            done.update(t.name for t in ready)
            for task in ready:
                del waiting[task.name]
        return levels


def run(graph: Graph, executor) -> dict[str, object]:
    results: dict[str, object] = {}
    for level in graph.levels():
        pending = {task.name: executor.submit(task.function, *task.args) for task in level}
        for name, handle in pending.items():
            results[name] = executor.result(handle)
    return results


# --- executors ------------------------------------------------------------------------
class Serial:
    """Each task in this process, when submitted."""
    def submit(self, function, *args):
        return function(*args)

    def share(self, value):
        """A value many tasks read (the corpus index): sent once, passed by handle."""
        return value

    def result(self, handle):
        return handle

    def close(self):
        pass


class Processes:
    """A local pool of worker processes (spawned: nothing of this process's state is shared)."""
    def __init__(self, workers: int | None = None):
        self.pool = ProcessPoolExecutor(max_workers=workers or min(2, os.cpu_count() or 1),
                                        mp_context=get_context("spawn"))

    def submit(self, function, *args):
        return self.pool.submit(function, *args)

    def share(self, value):
        return value

    def result(self, handle):
        return handle.result()

    def close(self):
        self.pool.shutdown()


class Forked:
    """Each output but the first in a child forked from this process (html/beside.py's
    `Beside`), which inherits the checked view (nothing is imported, parsed or collected
    again, as a spawned worker does: a second of the book's path) and writes its output
    straight into the build's scratch folder; a child that fails has its output made here
    (the same files; a fault of the work itself is raised here). The default for a local
    build of more than one output where forks may be used (forks.wanted).

    The book is the long pole (`start(..., pole=)`): it is forked first, and the other
    children, with the site's data files (html/beside.py), wait at a gate until its body is
    laid out (forks.py), then run while the book is drawn by one process."""
    SWITCH = "EDITION_BUILD_PROCESSES"

    def __init__(self):
        self.children = []

    def submit(self, function, *args):
        from .. import forks
        from ..html.beside import Beside

        def work():
            forks.wait_at_gate()
            function(*args)
        child = Beside(work, switch=self.SWITCH)
        self.children.append(child)
        return child

    def start(self, tasks: list, pole: str | None = None) -> dict:
        """{task name: handle} of `tasks`, the one named `pole` first, holding the gate."""
        from .. import forks
        from ..html.beside import Beside
        handles = {}
        for task in sorted(tasks, key=lambda task: task.name != pole):
            if task.name == pole:
                forks.open_gate()

                def work(task=task):
                    forks.hold_gate()
                    task.function(*task.args)
                child = Beside(work, switch=self.SWITCH)
                self.children.append(child)
                forks.leave_gate()
                handles[task.name] = child
            else:
                handles[task.name] = self.submit(task.function, *task.args)
        return handles

    def share(self, value):
        return value

    def result(self, handle):
        handle.wait()

    def close(self):
        from ..forks import close_gate
        for child in self.children:
            child.close()
        close_gate()


class Dask:
    """A Dask distributed cluster at `address` (tcp://host:port), or a Client given."""
    def __init__(self, address_or_client):
        try:
            from distributed import Client
        except ImportError:
            raise UsageProblem("--scheduler tcp://… needs Dask distributed: "
                               "pip install 'edition[distributed]'") from None
        self.own = isinstance(address_or_client, str)
        self.client = Client(address_or_client) if self.own else address_or_client

    def submit(self, function, *args):
        return self.client.submit(function, *args, pure=False)

    def share(self, value):
        return self.client.scatter(value, broadcast=True)

    def result(self, handle):
        return handle.result()

    def close(self):
        if self.own:
            self.client.close()


def cluster_for(scheduler):
    """The Dask executor when `scheduler` names a cluster (a tcp:// address, a Client, a Dask
    executor), else None: then the per-document tasks run in local pools."""
    if isinstance(scheduler, Dask):
        return scheduler
    if isinstance(scheduler, str) and scheduler.startswith(("tcp://", "tls://", "inproc://")):
        return Dask(scheduler)
    if scheduler is not None and type(scheduler).__name__ == "Client":
        return Dask(scheduler)
    return None


def executor_for(scheduler, outputs: int):
    """`scheduler`: None (forked children, or processes where a fork is not wanted, when more
    than one output; else serial), "serial", "processes", a tcp:// address, or an executor already made."""
    if scheduler is None:
        from ..forks import wanted
        return (Forked() if wanted(Forked.SWITCH) else Processes()) if outputs > 1 else Serial()
    if not isinstance(scheduler, str):
        return scheduler
    if scheduler == "serial":
        return Serial()
    if scheduler == "processes":
        return Processes()
    if scheduler.startswith(("tcp://", "tls://", "inproc://")):
        return Dask(scheduler)
    raise UsageProblem(f"unknown scheduler {scheduler!r}: give serial, processes or tcp://HOST:PORT")


# --- the tasks --------------------------------------------------------------------------
def write_output(root: str, name: str, built: str, with_pdf: bool = False) -> dict[str, bytes]:
    """One output of the (already checked) edition at `root`, as {relative path: bytes}.
    Run by a worker: it gathers and collects the corpus itself."""
    from ..build import write_output as write
    from ..corpus import Corpus
    from ..html.collect import collect
    from ..project import Edition
    edition = Edition.at(root)
    view = collect(Corpus.load(edition))
    with tempfile.TemporaryDirectory(prefix=f"edition-{name}-") as scratch:
        out = Path(scratch) / name
        write(name, edition, view, out, built, with_pdf)
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def write_afresh(name: str, edition, view, out: Path, built: str, with_pdf: bool = False) -> None:
    """One output into `out`, which is emptied first (a forked child that failed may have
    begun it: then this process makes it, Forked)."""
    import shutil
    from ..build import write_output as write
    shutil.rmtree(out, ignore_errors=True)
    write(name, edition, view, out, built, with_pdf)


def write_outputs(edition, view, names: list[str], scratch: Path, built: str, scheduler=None,
                  with_pdf: bool = False, parts=None) -> None:
    """Make each output in `names` into scratch/NAME through the task graph. `parts`: the
    site's parts cache, used where the site is written in this process.

    On a cluster the site is written here, from the view this process holds, and its
    per-document pages (each source's page) are tasks of the cluster's workers
    (`render_source_pages`), taken into the parts cache as an incremental build takes a
    page it kept: the same bytes as one process makes. The book and the EPUBs are one task each."""
    from ..build import write_output as write
    if not names:
        return
    executor = executor_for(scheduler, len(names))
    own = executor is not scheduler  # made here: closed here
    try:
        cluster = isinstance(executor, Dask)
        local = "html" if cluster and "html" in names else (
            names[0] if isinstance(executor, (Processes, Serial, Forked)) else None)  # this process has the view
        graph = Graph()
        for name in names:
            if name != local and isinstance(executor, Forked):  # a child that has the view: into scratch
                graph.add(Task(f"wrote:{name}", write_afresh, (name, edition, view, scratch / name, built, with_pdf)))
            elif name != local:
                graph.add(Task(f"write:{name}", write_output, (str(edition.root), name, built, with_pdf)))
        if isinstance(executor, Forked):  # the book first; the others after its body (a gate)
            handles = executor.start([t for level in graph.levels() for t in level], pole="wrote:pdf")
        else:
            handles = {t.name: executor.submit(t.function, *t.args) for level in graph.levels() for t in level}
        if local == "html" and cluster:
            parts = pages_from_cluster(executor, edition, view, built, with_pdf, parts)
        if local:
            write(local, edition, view, scratch / local, built, with_pdf, parts if local == "html" else None)
        for task_name, handle in handles.items():
            files = executor.result(handle)
            if task_name.startswith("wrote:"):
                continue  # written into scratch by the task itself
            out = scratch / task_name.split(":", 1)[1]
            out.mkdir(parents=True)
            for relative, data in files.items():
                target = out / relative
                if ".." in Path(relative).parts or Path(relative).is_absolute():
                    raise ValueError(f"a task returned a file outside its output: {relative}")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
    finally:
        if own:
            executor.close()


PAGES_PER_TASK = 8  # source pages a worker renders per task (fewer: more round trips; more: worse balance)


def pages_from_cluster(executor, edition, view, built: str, with_pdf: bool, parts=None):
    """The source pages not already in the parts cache, rendered by the cluster's workers
    (tasks of PAGES_PER_TASK sources) and put into it; the parts (a cache held in memory
    when the build keeps none) the site's writer then takes them from."""
    from .parts import BUILT_FORM, site_parts
    if parts is None:
        parts = site_parts(edition, edition.build_dir, built)
        parts.cache = HeldParts(edition.build_dir)
    if not parts.enabled or not BUILT_FORM.match(built):
        return parts
    pdf = "edition.pdf" if with_pdf else None
    wanted = {}
    for source in view.sources:
        key = parts.source_key(view, source, pdf)
        if key is None:  # a source holding the placeholder's characters: made here, the plain way
            continue
        kept = parts.cache.has("page", key) if isinstance(parts.cache, HeldParts) else (
            parts.cache.folder / "page" / key).is_file()
        if not kept:
            wanted[source.id] = key
    ids = list(wanted)
    handles = [executor.submit(render_source_pages, str(edition.root), ids[i:i + PAGES_PER_TASK], built, pdf)
               for i in range(0, len(ids), PAGES_PER_TASK)]
    for handle in handles:
        for source_id, (key, page) in executor.result(handle).items():
            if key != wanted.get(source_id):  # the worker read other files than this process did
                raise RuntimeError(f"a worker rendered {source_id} from other inputs than this build's "
                                   "(is the edition's folder the same on every worker?)")
            parts.cache.put("page", key, page)
    return parts


class HeldParts:
    """A parts cache held in memory for one build (pipeline.parts.PartCache's interface):
    a build that keeps no cache still takes its source pages from the cluster's workers."""

    def __init__(self, build_dir=None, log=None):
        from collections import Counter
        self.held: dict[tuple[str, str], bytes] = {}
        self.taken, self.made, self.discarded = Counter(), Counter(), []

    def has(self, kind: str, key: str) -> bool:
        return (kind, key) in self.held

    def get(self, kind: str, key: str) -> bytes | None:
        found = self.held.get((kind, key))
        (self.taken if found is not None else self.made)[kind] += 1
        return found

    def put(self, kind: str, key: str, payload: bytes) -> None:
        self.held[(kind, key)] = payload

    def memo(self, kind: str, key: str, make) -> bytes:
        found = self.get(kind, key)
        if found is None:
            found = make()
            self.put(kind, key, found)
        return found

    def counts(self) -> dict:
        return {kind: (self.taken[kind], self.made[kind]) for kind in sorted({*self.taken, *self.made})}

    def finish(self) -> None:
        pass


_SITES: dict = {}  # in a worker: (edition root, build time, pdf) → the site writer of its view, made once


def render_source_pages(root: str, source_ids: list[str], built: str, pdf: str | None) -> dict:
    """A task: the pages of these sources, as the parts cache keeps them ({id: (key, bytes)}).
    The worker gathers and collects the edition once (kept for its next tasks)."""
    from ..html.pages import SiteWriter
    from ..model import web_renderer
    from ..project import Edition
    from .parts import site_parts
    edition = Edition.at(root)
    made = _SITES.get((root, built, pdf))
    if made is None:
        from ..corpus import Corpus
        from ..html.collect import collect
        _SITES.clear()  # one edition at a time
        view = collect(Corpus.load(edition))
        parts = site_parts(edition, edition.build_dir, built)
        parts.cache = HeldParts()
        scratch = tempfile.mkdtemp(prefix="edition-pages-")
        writer = SiteWriter(view, web_renderer(edition, view.resolve_refs), edition.styles, Path(scratch), built,
                            pdf=pdf, parts=parts)
        writer.link_across_pages = _as_made
        made = _SITES[(root, built, pdf)] = (view, parts, writer)
    view, parts, writer = made
    pages = {}
    for source in view.sources:
        if source.id in source_ids:
            key = parts.source_key(view, source, pdf)
            writer.source_page(source).unlink()
            if ("page", key) in parts.cache.held:  # else not a page to keep: this build's process makes it
                pages[source.id] = (key, parts.cache.held[("page", key)])
    return pages


# --- the source pages in a local pool of forked workers ------------------------------------
PARALLEL_PAGES = 16  # sources from which their pages are rendered by forked workers
POOL_PAGES_PER_TASK = 8  # source pages one forked worker renders before it exits
_FORKED_SITE: tuple | None = None  # (edition, view, built, pdf, folder), inherited by the page workers


class PagesInPool:
    """The source pages not kept yet, rendered by forked workers (who inherit the view: nothing
    is parsed twice) while this process does other work (the DTS files), and taken by the
    site's writer through the parts cache as it takes a kept page: the same bytes as one
    process makes (the pages are rendered with the build time as the placeholder either way).

    Each task (POOL_PAGES_PER_TASK sources) is one forked process, which exits when its pages
    are made: a worker copies the memory it writes to (the trees of the sources it renders,
    its renderer's state), so a long-lived worker would come to hold a copy of much of the
    corpus; at most `workers` run at once. The workers put each page into the parts cache's
    folder (the build's own, else a folder in the build's scratch, emptied as the pages are
    taken); the writer's `parts.cache` is wrapped so that taking a page the pool made waits
    for its task and counts it as made, not kept. The tasks start from the last sources, the
    writer asks from the first: a page whose task has not started is made by the writer
    itself, so that no process waits while there are pages to make.
    `parts`: the site's parts (None: a build without cache)."""

    def __init__(self, edition, view, built: str, pdf: str | None, parts, scratch: Path, workers: int | None = None):
        from .parts import PartCache, site_parts
        self.parts, self.inner, self.own = parts, None, parts is None
        self.waiting: list[list[str]] = []  # chunks of page keys not started, the next to start last
        self.running: dict[int, list[str]] = {}  # pid → the keys its pages have
        self.task_of: dict[str, list[str]] = {}  # page key → its chunk
        if "fork" not in get_all_start_methods() or len(view.sources) < PARALLEL_PAGES:
            return
        self.workers = workers or min(2, os.cpu_count() or 1)
        if self.workers < 2:
            return
        if parts is None:
            parts = site_parts(edition, edition.build_dir, built)
            parts.cache = PartCache(edition.build_dir, folder=Path(scratch) / ".pages")
        if not parts.enabled or type(parts.cache) is not PartCache:
            return
        from ..html.pages import MANY_SOURCES
        wanted, also = {}, {}
        for source in view.sources:
            key = parts.source_key(view, source, pdf)
            if key is not None and not parts.cache._path("page", key).is_file():
                wanted[source.id] = key
                if len(view.sources) > MANY_SOURCES and source.problems:  # its apparatus page, made with it
                    also[source.id] = parts.source_key(view, source, "apparatus", pdf)
        if len(wanted) < 2:
            return
        ids = list(wanted)
        self.ids_of = {wanted[i]: i for i in ids}
        for i in range(0, len(ids), POOL_PAGES_PER_TASK):
            chunk = [wanted[source_id] for source_id in ids[i:i + POOL_PAGES_PER_TASK]]
            self.waiting.append(chunk)
            self.task_of.update((key, chunk) for key in chunk)
            self.task_of.update((also[source_id], chunk) for source_id in ids[i:i + POOL_PAGES_PER_TASK]
                                if source_id in also)
        self.site = (edition, view, built, pdf, parts.cache.folder)
        self.errors = Path(scratch) / ".pages-errors"
        self.parts, self.inner = parts, parts.cache
        parts.cache = _TakenFromPool(self)
        self.pump()

    def pump(self) -> None:
        """Reap the workers that finished; start tasks (from the last sources) while fewer run."""
        for pid in list(self.running):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                self._ended(pid, status)
        while self.waiting and len(self.running) < self.workers:
            chunk = self.waiting.pop()
            self.running[self._fork([self.ids_of[key] for key in chunk])] = chunk

    def wait_for(self, key: str) -> bool:
        """Whether the pool made (or is making, then wait) the page of `key`; False when its task
        had not started: it is taken from the pool, and the writer makes its pages itself."""
        chunk = self.task_of.pop(key, None)
        if chunk is None:
            return False
        if any(waiting is chunk for waiting in self.waiting):
            self.waiting = [waiting for waiting in self.waiting if waiting is not chunk]
            for other in [k for k, c in self.task_of.items() if c is chunk]:
                self.task_of.pop(other, None)
            self.pump()
            return False
        for pid, keys in list(self.running.items()):
            if keys is chunk:
                _, status = os.waitpid(pid, 0)
                self._ended(pid, status)
        self.pump()
        return True

    def _fork(self, source_ids: list[str]) -> int:
        global _FORKED_SITE
        _FORKED_SITE = self.site

        def pages() -> int:
            try:
                _forked_source_pages(source_ids)
                return 0
            except BaseException:
                import traceback
                with contextlib.suppress(BaseException):
                    self.errors.write_text(traceback.format_exc(), "utf-8")
                return 1
        try:
            return fork_to_exit(pages)
        finally:
            _FORKED_SITE = None

    def _ended(self, pid: int, status: int) -> None:
        del self.running[pid]
        if os.waitstatus_to_exitcode(status) != 0:
            self.close()
            detail = self.errors.read_text("utf-8") if self.errors.is_file() else f"exit status {status}"
            raise RuntimeError(f"a worker rendering source pages failed:\n{detail}")

    def close(self) -> None:
        """Stop what has not started, wait for what runs; the writer's cache as it was."""
        self.waiting = []
        for pid in list(self.running):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            del self.running[pid]
        if self.inner is not None:
            self.parts.cache = self.inner
            self.inner = None


class _TakenFromPool:
    """A PartCache whose pages the pool makes (PagesInPool.wait_for)."""

    def __init__(self, pool: PagesInPool):
        self.pool, self.inner = pool, pool.inner

    def get(self, kind: str, key: str):
        if kind != "page" or not self.pool.wait_for(key):
            return self.inner.get(kind, key)
        found = self.inner.get(kind, key)
        if found is not None:  # made by the pool in this build: made, not kept
            self.inner.taken[kind] -= 1
            self.inner.made[kind] += 1
            if self.pool.own:
                self.inner._path(kind, key).unlink(missing_ok=True)
        return found

    def __getattr__(self, name):
        return getattr(self.inner, name)


def _forked_source_pages(source_ids: list[str]) -> int:
    return _forked_source_pages_made(source_ids)


def _as_made(html: str, name: str) -> str:
    """A worker's SiteWriter.link_across_pages: the page a worker writes is thrown away (only its
    part, kept before the links across pages, is wanted), and the links would first find the
    page of every xml:id of every source — O(corpus) per task, and a write into every tree's
    memory (lxml's proxies), which a forked worker then copies."""
    return html


def _forked_source_pages_made(source_ids: list[str]) -> int:
    """A forked worker's task: these sources' parts into the parts folder — each one's page,
    its apparatus page (a split edition), its share of the search index and its text exports,
    made by the very calls the site's writer makes, so that the writer takes them as kept
    parts; how many sources."""
    from ..html.exports import kept_texts
    from ..html.pages import SiteWriter
    from ..html.search import units_of, words_of
    from ..model import web_renderer
    from .parts import PartCache, site_parts
    edition, view, built, pdf, folder = _FORKED_SITE
    parts = site_parts(edition, edition.build_dir, built)
    parts.cache = PartCache(edition.build_dir, folder=folder)
    wanted = set(source_ids)
    searched = parts.kept_json(view, "searched")
    with tempfile.TemporaryDirectory(prefix="edition-pages-") as scratch:  # the finished page: not wanted
        writer = SiteWriter(view, web_renderer(edition, view.resolve_refs), edition.styles, Path(scratch), built,
                            pdf=pdf, parts=parts)
        writer.link_across_pages = _as_made  # the part is kept before these links (kept_page); the page goes
        for source in view.sources:
            if source.id in wanted:
                writer.source_page(source).unlink()
                if writer.large and source.problems:
                    writer.apparatus_page(source).unlink()
                words_of(view, source, units_of(source)[0], searched)
                kept_texts(view, source, built, parts)
    return len(wanted)


# --- the check's per-document tasks -----------------------------------------------------
PARALLEL_CHECK = 16  # documents from which their rules run in a pool (fewer: a pool costs more than it saves)
CHECK_PER_FORK = 16  # documents a forked check worker checks before it exits (forked_map)
_GATHERED: tuple | None = None  # (corpus, documents, context), inherited by forked check workers


def document_check(corpus, document, context: dict) -> list:
    """A document's own rules (checking.rules.document_rules): the ONE call every executor
    makes for a document (a per-document cache wraps this)."""
    from ..checking.rules import document_rules
    return document_rules(corpus, document, context)


def check_documents(corpus, documents: list, context: dict, workers: int | None = None,
                    cluster=None) -> list:
    """The per-document rules (checking.rules.document_rules) of `documents`, in their order.
    From PARALLEL_CHECK documents on (or with `workers` > 1) they are tasks of forked
    workers (forked_map: one process per CHECK_PER_FORK documents, `workers` at once), which
    inherit the gathered corpus (nothing is parsed twice) and send back only diagnostics: the
    same, in the same order, as in one process. With `cluster`
    (a Dask executor, see cluster_for) they are tasks of its workers, each of which parses
    its documents from the shared folder and knows the rest of the corpus by its index
    (Corpus.compact: sent once to every worker)."""
    if cluster is not None and documents:
        return _check_on(cluster, corpus, documents, context)
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if len(documents) >= PARALLEL_CHECK else 1
    if workers <= 1 or len(documents) < 2 or "fork" not in get_all_start_methods():
        return [d for document in documents for d in document_check(corpus, document, context)]
    global _GATHERED
    _GATHERED = (corpus, documents, context)
    try:
        parts = forked_map(_check_some, _balanced(documents, max(workers * 4, -(-len(documents) // CHECK_PER_FORK))),
                           workers)
    finally:
        _GATHERED = None
    found = dict(item for part in parts for item in part)
    return [d for index in range(len(documents)) for d in found[index]]


def forked_map(function, items: list, workers: int) -> list:
    """[function(item) for item in items], each call in a process forked for it alone (at most
    `workers` at once), which sends back its result (pickled, through a file) and exits. A
    forked process copies the memory it writes to — lxml writes into every node it hands to
    Python — so a long-lived worker comes to hold a copy of all it has seen; one per item copies
    that item's share only. A call that raises, or a process that dies, is an error here."""
    import pickle
    results: dict[int, object] = {}
    running: dict[int, int] = {}  # pid → item's index
    todo = list(range(len(items)))[::-1]
    with tempfile.TemporaryDirectory(prefix="edition-forked-") as folder:
        def start(index: int) -> None:

            def result() -> int:
                code = 0
                try:
                    payload = pickle.dumps((True, function(items[index])), protocol=pickle.HIGHEST_PROTOCOL)
                except BaseException:
                    import traceback
                    code, payload = 1, pickle.dumps((False, traceback.format_exc()))
                with contextlib.suppress(BaseException):
                    with open(os.path.join(folder, str(index)), "wb") as out:
                        out.write(payload)
                return code
            running[fork_to_exit(result)] = index

        try:
            while todo or running:
                while todo and len(running) < workers:
                    start(todo.pop())
                ended = [(pid, status) for pid in list(running)
                         for waited, status in [os.waitpid(pid, os.WNOHANG)] if waited]  # ours only: never jing's
                if not ended:
                    time.sleep(0.005)
                for pid, status in ended:
                    index = running.pop(pid)
                    try:
                        with open(os.path.join(folder, str(index)), "rb") as found:
                            done, value = pickle.loads(found.read())
                    except (OSError, EOFError, pickle.UnpicklingError):
                        done, value = False, f"exit status {os.waitstatus_to_exitcode(status)}"
                    if not done:
                        raise RuntimeError(f"a forked worker failed:\n{value}")
                    results[index] = value
        finally:
            for pid in running:  # after an error: the others are waited for, never left behind
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, 0)
    return [results[index] for index in range(len(items))]


def _check_some(indexes: list[int]) -> list[tuple[int, list]]:
    corpus, documents, context = _GATHERED
    return [(index, document_check(corpus, documents[index], context)) for index in indexes]


DOCUMENTS_PER_TASK = 16  # documents a cluster's worker checks per task


def _check_on(cluster, corpus, documents: list, context: dict) -> list:
    index = cluster.share(corpus.compact())
    root = Path(corpus.edition.root).resolve()
    names = [Path(d.path).relative_to(root).as_posix() for d in documents]
    handles = [cluster.submit(check_files, index, names[i:i + DOCUMENTS_PER_TASK], context)
               for i in range(0, len(names), DOCUMENTS_PER_TASK)]
    found = dict(item for handle in handles for item in cluster.result(handle))
    return [d for name in names for d in found[name]]


def check_files(index, names: list[str], context: dict) -> list[tuple[str, list]]:
    """A task: the per-document rules of the files `names` (relative to the edition's root,
    which the worker sees under the same path), parsed here; the rest of the corpus is `index`."""
    from ..corpus import parse_document
    root = Path(index.root)
    documents = [parse_document(root / name) for name in names]
    corpus = index.corpus(documents)
    return [(name, document_check(corpus, document, context)) for name, document in zip(names, documents)]


def _balanced(documents: list, bins: int) -> list[list[int]]:
    """Document indexes dealt into bins of about equal bytes, largest first."""
    def size(document) -> int:
        try:
            return os.path.getsize(document.path)
        except OSError:
            return 0
    loads = [[0, []] for _ in range(min(bins, len(documents)))]
    for index in sorted(range(len(documents)), key=lambda i: -size(documents[i])):
        lightest = min(loads, key=lambda load: load[0])
        lightest[0] += size(documents[index])
        lightest[1].append(index)
    return [sorted(indexes) for _, indexes in loads if indexes]
