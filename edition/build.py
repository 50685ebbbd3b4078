"""The checked edition → build/html/ and build/pdf/, in two phases.

Gather: parse every TEI file, check it (schemas and the edition's rules) and
collect the view-models; any error stops the build before anything is
written. Write: render into a temporary folder inside build/, then switch
each output folder in with one atomic exchange (renameat2 RENAME_EXCHANGE),
so that a failed or killed build leaves the previous one intact.

One build at a time: build/.lock is held (flock) while writing, and a second
build is refused with a clear message. Under the lock, what a killed build
left (.building-* folders, an interrupted fallback switch) is repaired first.
"""
from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import fcntl
import json
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .checking import check_edition
from .corpus import Corpus
from .diagnostics import WARNING, Busy, Diagnostic, InvalidEdition, Report, environment_fault
from .html.collect import collect
from .project import Edition
from .xmlio import fsync_folder

OUTPUTS = ("html", "pdf", "epub")


@dataclass
class BuildResult:
    outputs: dict[str, Path] = field(default_factory=dict)
    report: Report = field(default_factory=Report)
    found: list[str] = field(default_factory=list)  # per source, what the reader found
    cached: list[str] = field(default_factory=list)  # outputs taken from build/.cache/
    parts: dict = field(default_factory=dict)  # {kind: (taken from build/.cache/parts, made)}


def build(edition: Edition, html: bool = True, pdf: bool = True, strict: bool = False,
          epub: bool = False, cache: bool = True, log=None, scheduler=None,
          built: str | None = None) -> BuildResult:
    """`cache`: an output whose inputs are byte for byte those of a cached build
    is taken from build/.cache/ (edition/pipeline/), not made again. `scheduler`:
    who writes the outputs (edition/pipeline/graph.py: serial, processes, tcp://…)."""
    try:
        with build_lock(edition.build_dir):  # from the start: a second build is refused at once
            repair(edition.build_dir)
            return _build(edition, html, pdf, strict, epub, cache, log, scheduler, built)
    except OSError as error:  # disk full, read-only build/: one line naming build/
        raise environment_fault(error, edition.build_dir) or error


def _build(edition: Edition, html: bool, pdf: bool, strict: bool, epub: bool, cache: bool = True,
           log=None, scheduler=None, built: str | None = None) -> BuildResult:
    from .pipeline import OutputCache, output_key
    from .pipeline.graph import cluster_for
    wanted = [n for n, on in (("html", html), ("pdf", pdf), ("epub", epub)) if on]
    options = {"strict": strict, "outputs": tuple(wanted)}
    store = OutputCache(edition.build_dir, log) if cache else None
    keys = {name: output_key(edition, name, options) for name in (*wanted, "check")} if store else {}
    cached = store.report(keys["check"]) if store else None
    cluster = cluster_for(scheduler)  # a Dask cluster: the per-document tasks run on its workers
    try:
        return _gather_and_write(edition, wanted, strict, pdf, store, keys, options, cached, log,
                                 cluster or scheduler, built)
    finally:
        if cluster is not None:
            cluster.close()


def _gather_and_write(edition, wanted, strict, pdf, store, keys, options, cached, log, scheduler, built):
    from .pipeline import output_key
    from .pipeline.graph import Dask, write_outputs
    from .pipeline.parts import site_parts
    from .pipeline.summaries import KeptSummaries
    corpus = view = None
    summaries = KeptSummaries(edition, edition.build_dir, log) if store else None  # per source, for the view
    if cached is None:
        from .checking.kept import KeptChecks
        kept = KeptChecks.of(edition, edition.build_dir, log) if store else None  # before the parse
        corpus = Corpus.load(edition)  # gathered once: checked, then collected into view-models
        report = check_edition(edition, use_tei_all=False, corpus=corpus, kept=kept,  # tei_all is `edition check`'s
                               cluster=scheduler if isinstance(scheduler, Dask) else None)
        _refuse(report, strict)
        view = collect(corpus, summaries)
        report.extend(unplaced(view))
        _refuse(report, strict)
        found = [s.report.summary(s.id) for s in view.sources]
        if store:
            store.keep_report(keys["check"], report, found)
    else:
        report, found = cached
        _refuse(report, strict)
    result = BuildResult(report=report, found=found)
    with tempfile.TemporaryDirectory(dir=edition.build_dir, prefix=".building-") as scratch:
        scratch = Path(scratch)
        built = built or dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        missing = []
        for name in wanted:
            if store and store.current(name, keys[name], edition.build_dir / name):
                result.cached.append(name)
                result.outputs[name] = edition.build_dir / name
            elif store and store.restore(name, keys[name], scratch / name):
                result.cached.append(name)
            else:
                missing.append(name)
        parts = None
        if missing:
            view = view or collect(corpus or Corpus.load(edition), summaries)
            parts = site_parts(edition, edition.build_dir, built, log,
                               store.placed("html", edition.build_dir / "html")) if store and "html" in missing else None
            write_outputs(edition, view, missing, scratch, built, scheduler, with_pdf=pdf, parts=parts)
            if parts:
                parts.cache.finish()
                result.parts = parts.cache.counts()
        if "html" in missing and pdf:  # the site links the book: a copy beside the pages, for any static host
            book = scratch / "pdf" / "edition.pdf"
            shutil.copyfile(book if book.exists() else edition.build_dir / "pdf" / "edition.pdf",
                            scratch / "html" / "edition.pdf")
        if summaries is not None:
            summaries.finish()
        for name in missing:  # kept only if no input changed while it was made
            if name == "html" and parts and parts.enabled:
                continue  # the site is kept in parts (pipeline/parts.py), not copied whole each time
            if store and output_key(edition, name, options) == keys[name]:
                store.store(name, keys[name], scratch / name)
        for name in [n for n in wanted if n not in result.outputs]:
            files = None
            if name == "html" and parts and parts.in_place:  # an incremental build: only what changed moves
                moved = {os.path.relpath(os.path.join(d, n), scratch / name)
                         for d, _, names in os.walk(scratch / name) for n in names}
                identical: set[str] = set()
                result.outputs[name] = sync_in(scratch / name, edition.build_dir / name, parts.in_place,
                                               parts.previous_files, identical)
                files = signature_after_sync(result.outputs[name], moved - identical, parts.in_place | identical,
                                             parts.previous_files)
            else:
                result.outputs[name] = swap_in(scratch / name, edition.build_dir / name)
            if store:
                store.stamp(name, keys[name], result.outputs[name], parts.placed if name == "html" and parts else None,
                            files=files)
    return result


@contextlib.contextmanager
def build_lock(build_dir: Path):
    """Hold build/.lock for the duration; a second build is refused (Busy)."""
    build_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(build_dir / ".lock", os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise Busy(f"{build_dir}: another build of this edition is running (pid {holder}); "
                       "wait for it to finish, then build again") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def repair(build_dir: Path) -> None:
    """Undo what a killed build left behind (call with the lock held): an
    output moved aside by the fallback switch is put back, scratch folders go."""
    for name in OUTPUTS:
        target, old = build_dir / name, build_dir / f".{name}.old"
        if old.exists() and not target.exists():
            old.rename(target)
        elif old.exists():
            shutil.rmtree(old, ignore_errors=True)
    for aside in build_dir.glob(f"{REMOVING}*"):  # a previous build a remover did not finish
        shutil.rmtree(aside, ignore_errors=True)
    for scratch in build_dir.glob(".building-*"):
        plan = scratch / SYNC_PLAN
        if plan.is_file():  # killed while moving an incremental build in: finish the move
            with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
                data = json.loads(plan.read_text("utf-8"))
                if data["output"] in OUTPUTS and (scratch / data["output"]).is_dir():
                    _complete_sync(scratch / data["output"], build_dir / data["output"], list(data["remove"]))
        shutil.rmtree(scratch, ignore_errors=True)
    for half in build_dir.glob(".cache/**/.storing-*"):  # a cache entry the killed build did not finish
        shutil.rmtree(half, ignore_errors=True) if half.is_dir() else half.unlink(missing_ok=True)


def _refuse(report: Report, strict: bool) -> None:
    failures = report.diagnostics if strict else report.errors
    if failures:
        raise InvalidEdition(f"the edition has {len(failures)} problem(s); nothing was built", failures)


def unplaced(view) -> list[Diagnostic]:
    """A warning for each piece of a source's text that no part of its page holds (edition/readers)."""
    return [Diagnostic.at(element, "unplaced", f'text the page cannot place: "{text[:60]}"',
                          source.document.path, WARNING)
            for source in view.sources for element, text in source.report.unplaced]


def write_output(name: str, edition: Edition, view, out: Path, built: str, with_pdf: bool = False,
                 parts=None) -> None:
    """One output (html, pdf, epub) into `out`: the task the pipeline runs. `parts`
    (pipeline.parts.SiteParts): the site's per-source parts kept between builds."""
    if name == "html":
        write_html(edition, view, out, built, pdf="edition.pdf" if with_pdf else None, parts=parts)
    elif name == "pdf":
        write_pdf(edition, view, out, built)
    else:
        write_epub(edition, view, out)


def write_html(edition: Edition, view, out: Path, built: str, pdf: str | None = None, parts=None) -> None:
    """The site into `out`. Many sources: their pages are rendered by a pool of forked workers
    (pipeline.graph.PagesInPool) while this process writes the DTS files."""
    from .dts import write_static_api
    from .html.beside import Beside
    from .html.output import SiteFiles
    from .html.pages import SiteWriter
    from .model import web_renderer
    from .pipeline.graph import PagesInPool
    out.mkdir(parents=True)
    # a build that swaps its folder in (swap_in) takes the inodes of the last build's files whose
    # bytes it writes again (html/output.py); one that moves files in (sync_in) leaves them in place
    swapped = parts is None or not parts.previous_files
    files = SiteFiles(out, edition.build_dir / "html" if swapped and out.parent != edition.build_dir else None)
    pool = PagesInPool(edition, view, built, pdf, parts, out.parent)
    beside = None
    try:
        writer = SiteWriter(view, web_renderer(edition, view.resolve_refs), edition.styles, out, built, pdf=pdf,
                            parts=pool.parts, files=files)
        if parts is None and pool.inner is None:
            # a build without cache, no pool rendering pages: the data files beside the pages (a cached
            # build's child would have to hand its parts back; measured, it did not pay there)
            def data_files() -> None:
                from . import forks
                forks.wait_at_gate()  # a book being made beside: after its body is laid out (forks.py)
                write_static_api(view, out, files=files)
                writer.write_data()
            beside = Beside(data_files)
        else:
            write_static_api(view, out, parts, files=files)  # the DTS API as static files beside the site
        writer.write_all(beside=beside)
    finally:
        if beside is not None:
            beside.close()
        pool.close()


def write_pdf(edition: Edition, view, out: Path, built: str) -> None:
    from .pdf import write_book
    out.mkdir(parents=True)
    write_book(edition, view, out / "edition.pdf", built)


def write_epub(edition: Edition, view, out: Path) -> None:
    from .epub import write_epubs
    out.mkdir(parents=True)
    write_epubs(edition, view, out)


SYNC_PLAN = "sync.json"


def sync_in(new: Path, target: Path, keep: set[str], before: dict, identical: set | None = None) -> Path:
    """Put `new` in the place of `target` file by file: each file of `new` is renamed over
    target's, the files of the last build (`before`) that are neither in `new` nor left in
    place (`keep`) are removed. For an incremental build, where most files stay: nothing is
    written or removed that did not change. The plan (what to remove) is written first, next
    to `new`; once it is there the switch is completed by `repair` if the build is killed,
    so target is the previous build or the new one, never a mix (but a reader looking while
    it runs may see both). A file of `new` whose bytes are those of the last build's file
    (one `before` names) is not moved: the old one stays; `identical` is told its path."""
    fresh = {os.path.relpath(os.path.join(d, n), new) for d, _, names in os.walk(new) for n in names}
    remove = sorted(set(before) - fresh - set(keep))
    plan = new.parent / SYNC_PLAN
    temporary = plan.with_suffix(".tmp")
    temporary.write_text(json.dumps({"output": target.name, "remove": remove}), "utf-8")
    os.replace(temporary, plan)
    _complete_sync(new, target, remove, before, identical)
    plan.unlink()
    return target


def _same_file(new: str, old: Path) -> bool:
    """Whether `old` is a regular file (not a link) with exactly the bytes of `new`."""
    try:
        info = os.stat(old, follow_symlinks=False)
        if not stat.S_ISREG(info.st_mode) or info.st_size != os.path.getsize(new):
            return False
        with open(new, "rb") as one, open(old, "rb") as other:
            return one.read() == other.read()
    except OSError:
        return False


def signature_after_sync(target: Path, moved: set[str], kept: set[str], before: dict) -> dict:
    """What pipeline.cache._signature(target) gives after sync_in, without walking the whole
    folder: the files moved in, looked at one by one, and the files left in place as the last
    build's stamp described them (cache.placed found them so when this build began)."""
    from .pipeline.cache import file_signature
    found = {relative: before[relative] for relative in kept if relative in before and relative not in moved}
    for relative in moved:
        found[relative] = file_signature(target / relative)
    return found


def _complete_sync(new: Path, target: Path, remove: list[str], before: dict | None = None,
                   identical: set | None = None) -> None:
    for directory, _, names in os.walk(new):
        relative_folder = os.path.relpath(directory, new)
        place = target / relative_folder
        try:
            place.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):  # a file of the last build where a folder goes now
            for parent in [place, *place.parents]:
                if parent == target:
                    break
                if parent.is_file() or parent.is_symlink():
                    parent.unlink()
            place.mkdir(parents=True, exist_ok=True)
        for name in names:
            relative = os.path.normpath(os.path.join(relative_folder, name))
            if before and relative in before and _same_file(os.path.join(directory, name), place / name):
                if identical is not None:
                    identical.add(relative)
                continue  # a rename costs more than reading both; the old file is this one
            try:
                os.replace(os.path.join(directory, name), place / name)
            except (IsADirectoryError, OSError) as error:  # a folder of the last build where a file goes now
                if not (place / name).is_dir() or (place / name).is_symlink():
                    raise error
                shutil.rmtree(place / name)
                os.replace(os.path.join(directory, name), place / name)
    folders = set()
    for relative in remove:
        if ".." in Path(relative).parts or Path(relative).is_absolute():
            continue
        (target / relative).unlink(missing_ok=True)
        folders.update(p for p in Path(relative).parents if str(p) != ".")
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            (target / folder).rmdir()  # only when emptied
    fsync_folder(target)


def swap_in(new: Path, target: Path) -> Path:
    """Put `new` in the place of `target` in one atomic step: the two folders
    are exchanged (so `target` always exists, old or new), then the old copy
    is removed (`discard`: by a process of its own, the build does not wait).
    Where the file system cannot exchange, two renames in an order that `repair`
    completes after a crash."""
    if target.exists():
        if not _exchange(new, target):
            old = target.with_name(f".{target.name}.old")
            if old.exists():
                shutil.rmtree(old)
            target.rename(old)
            new.rename(target)
            fsync_folder(target.parent)
            discard(old)
            return target
        fsync_folder(target.parent)
        discard(new)  # the previous build, now
    else:
        new.rename(target)
        fsync_folder(target.parent)
    return target


REMOVING = ".removing-"


def discard(folder: Path) -> None:
    """Remove `folder` (a previous build, swapped out) without waiting: it is renamed to
    build/.removing-* and removed by `rm -rf` in a process of its own, which outlives this
    one (a folder of a few thousand files and fifty folders took this build a quarter of a
    second, and up to seconds on a busy disk, where each folder's blocks are freed). What a
    killed remover leaves, `repair` removes. Where that cannot be done, removed here."""
    import subprocess
    place = folder.parent.parent if folder.parent.name.startswith(".building-") else folder.parent
    try:
        aside = Path(tempfile.mkdtemp(dir=place, prefix=REMOVING))
        os.rename(folder, aside / "old")
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return
    rm = shutil.which("rm")
    try:
        if rm is None:
            raise OSError("no rm")
        # sh starts rm in the background and ends: nothing is left for this process to reap
        subprocess.run(["/bin/sh", "-c", '"$0" -rf -- "$1" </dev/null >/dev/null 2>&1 &', rm, str(aside)],
                       check=True, timeout=30, close_fds=True, start_new_session=True)
    except (OSError, subprocess.SubprocessError):
        shutil.rmtree(aside, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """renameat2(a, b, RENAME_EXCHANGE); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))
