"""edition: publish a multilingual TEI critical edition as HTML and PDF.

Pipeline: plain text → TEI (sources/) → checked TEI (checking/) →
processing model (model/) → HTML site and PDF book.
"""
from .project import Edition

__version__ = "0.1.0"
__all__ = ["Edition", "import_source", "source_text", "__version__"]


def __getattr__(name: str):
    """import_source and source_text from the API, imported when first asked for
    (so that `edition --version` or `edition render` load no importer)."""
    if name in ("import_source", "source_text"):
        from . import api
        return getattr(api, name)
    raise AttributeError(f"module 'edition' has no attribute {name!r}")
