"""The checked edition → build/html/ and build/pdf/, in two phases.

Gather: parse every TEI file, check it (schemas and the edition's rules) and
collect the view-models; any error stops the build before anything is
written. Write: render into a temporary folder beside build/, then swap each
output folder in with renames, so that a failed build leaves the previous
one intact.
"""
from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .checking import check_edition
from .corpus import Corpus
from .diagnostics import WARNING, Diagnostic, InvalidEdition, Report
from .html.collect import collect
from .project import Edition


@dataclass
class BuildResult:
    outputs: dict[str, Path] = field(default_factory=dict)
    report: Report = field(default_factory=Report)
    found: list[str] = field(default_factory=list)  # per source, what the reader found


def build(edition: Edition, html: bool = True, pdf: bool = True, strict: bool = False) -> BuildResult:
    corpus = Corpus.load(edition)  # gathered once: checked, then collected into view-models
    report = check_edition(edition, use_tei_all=False, corpus=corpus)  # tei_all is `edition check`'s
    _refuse(report, strict)
    view = collect(corpus)
    report.extend(unplaced(view))
    _refuse(report, strict)
    result = BuildResult(report=report, found=[s.report.summary(s.id) for s in view.sources])
    edition.build_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=edition.build_dir, prefix=".building-") as scratch:
        scratch = Path(scratch)
        built = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        if html:
            write_html(edition, view, scratch / "html", built)
        if pdf:
            write_pdf(edition, view, scratch / "pdf", built)
        for name in [n for n, wanted in (("html", html), ("pdf", pdf)) if wanted]:
            result.outputs[name] = swap_in(scratch / name, edition.build_dir / name)
    return result


def _refuse(report: Report, strict: bool) -> None:
    failures = report.diagnostics if strict else report.errors
    if failures:
        raise InvalidEdition(f"the edition has {len(failures)} problem(s); nothing was built", failures)


def unplaced(view) -> list[Diagnostic]:
    """A warning for each piece of a source's text that no part of its page holds (edition/readers)."""
    return [Diagnostic.at(element, "unplaced", f'text the page cannot place: "{text[:60]}"',
                          source.document.path, WARNING)
            for source in view.sources for element, text in source.report.unplaced]


def write_html(edition: Edition, view, out: Path, built: str) -> None:
    from .html.pages import SiteWriter
    from .model import web_renderer
    out.mkdir(parents=True)
    SiteWriter(view, web_renderer(edition), edition.styles, out, built).write_all()


def write_pdf(edition: Edition, view, out: Path, built: str) -> None:
    from .pdf import write_book
    out.mkdir(parents=True)
    write_book(edition, view, out / "edition.pdf", built)


def swap_in(new: Path, target: Path) -> Path:
    """Replace `target` by `new` with renames; the old copy is removed last."""
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old)
    return target
