"""Behaviour functions, one module per output mode; `MODES` maps a mode to its registry."""
from . import html, print  # noqa: F401  (importing registers the behaviours)
from .registry import MODES, PRINT, VOCABULARY, WEB, Registry

__all__ = ["MODES", "PRINT", "VOCABULARY", "WEB", "Registry"]
