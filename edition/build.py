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
from .diagnostics import InvalidEdition, Report
from .html.collect import collect
from .project import Edition


@dataclass
class BuildResult:
    outputs: dict[str, Path] = field(default_factory=dict)
    report: Report = field(default_factory=Report)


def build(edition: Edition, html: bool = True, pdf: bool = True, strict: bool = False) -> BuildResult:
    corpus = Corpus.load(edition)  # gathered once: checked, then collected into view-models
    report = check_edition(edition, corpus=corpus)
    failures = report.diagnostics if strict else report.errors
    if failures:
        raise InvalidEdition(f"the edition has {len(failures)} problem(s); nothing was built", failures)
    view = collect(corpus)
    result = BuildResult(report=report)
    edition.build_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=edition.build_dir, prefix=".building-") as scratch:
        scratch = Path(scratch)
        built = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        if html:
            write_html(edition, view, scratch / "html", built, pdf="edition.pdf" if pdf else None)
        if pdf:
            write_pdf(edition, view, scratch / "pdf", built)
            if html:  # the site links the book: a copy beside the pages, for any static host
                shutil.copyfile(scratch / "pdf" / "edition.pdf", scratch / "html" / "edition.pdf")
        for name in [n for n, wanted in (("html", html), ("pdf", pdf)) if wanted]:
            result.outputs[name] = swap_in(scratch / name, edition.build_dir / name)
    return result


def write_html(edition: Edition, view, out: Path, built: str, pdf: str | None = None) -> None:
    from .html.pages import SiteWriter
    from .model import web_renderer
    out.mkdir(parents=True)
    SiteWriter(view, web_renderer(edition), edition.styles, out, built, pdf=pdf).write_all()


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
