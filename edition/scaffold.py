"""A folder → a new, working edition: tei/edition.xml, empty registers and
bibliography, tei/sources/ to put TEI files in, and a README for the editors.

The files are templates in edition/skeleton/ (package data); every one of them
is valid TEI (tei_all and the house schema), so `edition check` and
`edition build` work at once, and again as soon as any TEI P5 file is placed
in tei/sources/.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from xml.sax.saxutils import escape

from jinja2 import Environment, StrictUndefined

from . import __version__
from .diagnostics import UsageProblem
from .languages import language_name

SKELETON = ("edition.xml", "bibliography.xml", "registers/persons.xml", "registers/places.xml",
            "registers/organisations.xml", "registers/events.xml")


def new_edition(folder: str | Path, title: str = "A TEI edition", languages: list[str] | None = None,
                editors: str = "The editors") -> list[Path]:
    """Write a new edition into `folder` (which may exist, but must not hold an edition yet)."""
    root = Path(folder)
    if (root / "tei").exists():
        raise UsageProblem(f"{root / 'tei'} exists: {root} already holds an edition")
    languages = languages or ["en"]
    context = {"title": escape(title), "subtitle": "", "editors": escape(editors), "lang": languages[0],
               "version": __version__,
               "languages": [(lang, language_name(lang)) for lang in languages]}
    environment = Environment(undefined=StrictUndefined, keep_trailing_newline=True)
    written = []
    for name in SKELETON:
        written.append(_write(root / "tei" / name, environment, name, context))
    (root / "tei" / "sources").mkdir(parents=True, exist_ok=True)
    written.append(_write(root / "README.md", environment, "README.md", {**context, "title": title}))
    return written


def _write(path: Path, environment: Environment, name: str, context: dict) -> Path:
    template = files("edition").joinpath("skeleton", *name.split("/")).read_text("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(environment.from_string(template).render(**context), "utf-8")
    return path
