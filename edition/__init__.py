"""edition: publish a multilingual TEI critical edition as HTML and PDF.

Pipeline: plain text → TEI (sources/) → checked TEI (checking/) →
processing model (model/) → HTML site and PDF book.
"""
from .api import import_source, source_text
from .project import Edition

__version__ = "0.1.0"
__all__ = ["Edition", "import_source", "source_text", "__version__"]
