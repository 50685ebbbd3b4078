"""The edition's view-models → a typeset PDF book, through WeasyPrint.

The book is one HTML document (styles/templates/book.html) whose TEI content
is rendered by the processing model in print mode, laid out by
styles/css/book.css with CSS Paged Media: running heads, page numbers,
factual problems as CSS footnotes (float: footnote), PDF bookmarks from
bookmark-level. The book is laid out once: the body first, then the indexes
with the body's page numbers, then the contents (edition/pdf/book.py); the
cross-references by page are filled in after the layout (apparatus.py).
"""
from __future__ import annotations

from pathlib import Path

from .book import BookWriter


def write_book(edition, view, path: Path, built: str, warn=None) -> Path:
    """build/pdf/edition.pdf and its archival twin edition-pdfa.pdf (PDF/A-3u, the TEI attached).
    `warn` hears of every resource the book refused to fetch (outside the edition)."""
    from ..model import print_renderer
    from ..safety import pdf_fetcher, within
    allowed = (edition.root, *edition.styles.folders)  # the edition and the package's styles
    fetcher = pdf_fetcher(allowed, warn or _log)
    attachments = []
    for file in sorted(edition.tei_dir.rglob("*.xml")):
        if within(file, [edition.root]) and file.is_file():
            attachments.append((file, file.relative_to(edition.tei_dir).as_posix()))
        else:  # a link out of the edition: named, never read
            (warn or _log)(f"the archival PDF does not attach {file}: only files inside the edition are used")
    BookWriter(view, print_renderer(edition, view.resolve_refs), edition.styles, built, url_fetcher=fetcher,
               warn=_layout_warning, base_url=str(edition.root)).write(
        path, archive=path.with_name(path.stem + "-pdfa.pdf"), attachments=attachments)
    return path


def _log(message: str) -> None:
    import click
    click.echo(f"warning: pdf-resource: {message}", err=True)


def _layout_warning(message: str) -> None:
    import click
    click.echo(f"warning: book-layout: {message}", err=True)
