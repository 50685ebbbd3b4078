"""The library API behind the CLI: import, read back, check, build.

Each function takes an `Edition` (the folder being worked on) and plain
arguments, and raises an `EditionError` carrying diagnostics on failure.
Each function imports what it uses when it runs, so that a command loads
only its own part of the tool (issue 15: start-up time).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic, InvalidEdition, UsageProblem
from .project import Edition
from .safety import MAX_IMPORT_BYTES

if TYPE_CHECKING:
    from .annotate.run import AnnotationRun
    from .build import BuildResult
    from .diagnostics import Report


def import_source(edition: Edition, text_path: str | Path, lang: str, source_id: str,
                  title: str | None = None, force: bool = False,
                  max_bytes: int = MAX_IMPORT_BYTES) -> Path:
    """Turn a plain-text file into tei/sources/ID.xml; refuse to overwrite.
    Only a regular file of at most `max_bytes` is read (never a FIFO or device)."""
    from .sources.importer import import_text
    from .xmlio import read_regular, write_atomic
    text_path = Path(text_path)
    target = edition.source_path(source_id)
    if target.exists() and not force:
        raise UsageProblem(f"{target} exists: the edited source would be lost "
                           "(use --force to import again from scratch)")
    data = read_regular(text_path, max_bytes)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise InvalidEdition(f"{text_path}: cannot import", [Diagnostic(
            str(text_path), line, 1, "import-encoding", f"not UTF-8: {error.reason}")]) from None
    data = import_text(text, lang, source_id, title, source_name=text_path.name)
    write_atomic(target, data)
    return target


def source_text(edition: Edition, source_id: str) -> str:
    """The original reading of a source, as received (lossless read-back)."""
    from .sources.reading import original_text
    from .xmlio import parse_file
    return original_text(parse_file(edition.require_source(source_id)).getroot())


def check(edition: Edition, paths: list[str | Path] | None = None,
          tei_all: str | Path | None = None, use_tei_all: bool = True) -> "Report":
    """Validate the edition (or the given files); every problem in one Report."""
    from .checking import check_edition
    files = [Path(p) for p in paths] if paths else None
    missing = [p for p in files or [] if not p.exists()]
    if missing:
        raise UsageProblem("no such file: " + ", ".join(map(str, missing)))
    for path in files or []:
        edition.require_inside(path)
    return check_edition(edition, files, Path(tei_all) if tei_all else None, use_tei_all)


def annotate(edition: Edition, source_ids: list[str] | None = None,
             dry_run: bool = False) -> "AnnotationRun":
    """First-pass annotation of names (from the registers) and dates; idempotent."""
    from .annotate.run import annotate as annotate_sources
    run = annotate_sources(edition, source_ids or None, write=not dry_run)
    if run.problems:
        raise InvalidEdition("some sources could not be annotated; they were left untouched",
                             run.problems)
    return run


def build(edition: Edition, html: bool = True, pdf: bool = True, strict: bool = False,
          epub: bool = False, cache: bool = True, scheduler: str | None = None) -> "BuildResult":
    """Check, then write build/html/, build/pdf/edition.pdf and (with epub) build/epub/*.epub
    (the last good build survives a failure)."""
    from .build import build as build_edition
    return build_edition(edition, html, pdf, strict, epub=epub, cache=cache, scheduler=scheduler)
