"""The build's work as a graph of tasks, run by an executor of your choice.

The tasks are plain functions of plain arguments (an edition's folder, an
output's name, the build time), so that any executor can run them: in this
process (`serial`), in a local process pool (`processes`, the default when
more than one output is to be made: the HTML site and the PDF book are then
written at the same time), or on a Dask distributed cluster
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

import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Callable

from ..diagnostics import UsageProblem


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

    def result(self, handle):
        return handle.result()

    def close(self):
        self.pool.shutdown()


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

    def result(self, handle):
        return handle.result()

    def close(self):
        if self.own:
            self.client.close()


def executor_for(scheduler, outputs: int):
    """`scheduler`: None (processes when more than one output, else serial),
    "serial", "processes", a tcp:// address, or an executor already made."""
    if scheduler is None:
        return Processes() if outputs > 1 else Serial()
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


def write_outputs(edition, view, names: list[str], scratch: Path, built: str, scheduler=None,
                  with_pdf: bool = False, parts=None) -> None:
    """Make each output in `names` into scratch/NAME through the task graph. `parts`: the
    site's parts cache, used where the site is written in this process."""
    from ..build import write_output as write
    if not names:
        return
    executor = executor_for(scheduler, len(names))
    try:
        local = names[0] if isinstance(executor, (Processes, Serial)) else None  # this process has the view
        graph = Graph()
        for name in names:
            if name != local:
                graph.add(Task(f"write:{name}", write_output, (str(edition.root), name, built, with_pdf)))
        handles = {t.name: executor.submit(t.function, *t.args) for level in graph.levels() for t in level}
        if local:
            write(local, edition, view, scratch / local, built, with_pdf, parts if local == "html" else None)
        for task_name, handle in handles.items():
            files = executor.result(handle)
            out = scratch / task_name.split(":", 1)[1]
            out.mkdir(parents=True)
            for relative, data in files.items():
                target = out / relative
                if ".." in Path(relative).parts or Path(relative).is_absolute():
                    raise ValueError(f"a task returned a file outside its output: {relative}")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
    finally:
        executor.close()


# --- the check's per-document tasks -----------------------------------------------------
PARALLEL_CHECK = 16  # documents from which their rules run in a pool (fewer: a pool costs more than it saves)
_GATHERED: tuple | None = None  # (corpus, documents, context), inherited by forked check workers


def check_documents(corpus, documents: list, context: dict, workers: int | None = None) -> list:
    """The per-document rules (checking.rules.document_rules) of `documents`, in their order.
    From PARALLEL_CHECK documents on (or with `workers` > 1) they are tasks of a local pool
    of forked workers, which inherit the gathered corpus (nothing is parsed twice) and send
    back only diagnostics: the same, in the same order, as in one process."""
    from ..checking.rules import document_rules
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if len(documents) >= PARALLEL_CHECK else 1
    if workers <= 1 or len(documents) < 2 or "fork" not in get_all_start_methods():
        return [d for document in documents for d in document_rules(corpus, document, context)]
    global _GATHERED
    _GATHERED = (corpus, documents, context)
    try:
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            parts = list(pool.map(_check_some, _balanced(documents, workers * 4)))
    finally:
        _GATHERED = None
    found = dict(item for part in parts for item in part)
    return [d for index in range(len(documents)) for d in found[index]]


def _check_some(indexes: list[int]) -> list[tuple[int, list]]:
    from ..checking.rules import document_rules
    corpus, documents, context = _GATHERED
    return [(index, document_rules(corpus, documents[index], context)) for index in indexes]


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
