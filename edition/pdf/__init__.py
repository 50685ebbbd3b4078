"""The edition's view-models → a typeset PDF book, through WeasyPrint.

The book is one HTML document (styles/templates/book.html) whose TEI content
is rendered by the processing model in print mode, laid out by
styles/css/book.css with CSS Paged Media: running heads, page numbers, a
table of contents and index with target-counter(), factual problems as CSS
footnotes (float: footnote), PDF bookmarks from bookmark-level. The index is
made in passes: a layout tells on which pages each mention fell, the next
prints the index with each page once, and layouts repeat until the pages
printed are the pages laid out.
"""
from __future__ import annotations

from pathlib import Path

from .book import BookWriter


def write_book(edition, view, path: Path, built: str, warn=None) -> Path:
    """`warn` hears of every resource the book refused to fetch (outside the edition)."""
    from ..model import print_renderer
    allowed = (edition.root, *edition.styles.folders)  # the edition and the package's styles
    BookWriter(view, print_renderer(edition), edition.styles, built,
               allowed=allowed, warn=warn or _log).write(path)
    return path


def _log(message: str) -> None:
    import click
    click.echo(f"warning: pdf-resource: {message}", err=True)
