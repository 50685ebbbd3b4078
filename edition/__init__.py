"""edition: publish a multilingual TEI critical edition as HTML and PDF.

Pipeline: plain text → TEI (sources/) → checked TEI (checking/) →
processing model (model/) → HTML site and PDF book.
"""
import sys as _sys

if "lxml.etree" not in _sys.modules and "rnc2rng" not in _sys.modules:
    # lxml imports rnc2rng when it is installed, for RelaxNG.from_rnc_string, which
    # nothing here calls (checking/schema.py imports rnc2rng itself when it needs
    # it): that import was a sixth of every command's start-up (issue 15). And it
    # takes inspect.getfullargspec at import, for parser target objects only
    # (lxml's parsertarget.pxi): inspect (with ast, dis, tokenize) was another
    # eighth of `edition render`, which imports nothing else that needs it. lxml
    # is handed a getfullargspec that imports inspect when first called.
    _sys.modules["rnc2rng"] = None  # `import rnc2rng` inside lxml fails, quietly
    _real_inspect = _sys.modules.get("inspect")
    if _real_inspect is None:
        import types as _types

        def _getfullargspec(function):
            import inspect
            return inspect.getfullargspec(function)
        _sys.modules["inspect"] = _types.ModuleType("inspect")
        _sys.modules["inspect"].getfullargspec = _getfullargspec
    try:
        import lxml.etree  # noqa: F401
    finally:
        del _sys.modules["rnc2rng"]
        if _real_inspect is None:
            del _sys.modules["inspect"]

__version__ = "0.1.0"
__all__ = ["Edition", "import_source", "source_text", "__version__"]


def __getattr__(name: str):
    """Edition, import_source and source_text, imported when first asked for
    (so that `edition --version` or `edition render` load only what they use)."""
    if name == "Edition":
        from .project import Edition
        return Edition
    if name in ("import_source", "source_text"):
        from . import api
        return getattr(api, name)
    raise AttributeError(f"module 'edition' has no attribute {name!r}")
