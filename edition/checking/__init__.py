"""Checked TEI: the edition's files → a Report of every problem, in one run.

Three layers, each adding to the same Report: well-formedness (while the
corpus is gathered), RELAX NG validity (the edition's own schema, and
tei_all when one is available), and the edition's own rules.
"""
from __future__ import annotations

from pathlib import Path

from ..corpus import Corpus
from ..diagnostics import Report
from ..project import Edition
from . import rules, schema


def check_edition(edition: Edition, paths: list[Path] | None = None,
                  tei_all: Path | None = None, use_tei_all: bool = True) -> Report:
    corpus = Corpus.load(edition, paths)
    report = Report()
    report.extend(corpus.problems)
    documents = list(corpus.documents.values())
    report.extend(schema.validate(documents, schema.edition_schema(edition), "edition-schema"))
    tei_all_path = tei_all or (schema.installed_tei_all() if use_tei_all else None)
    if tei_all_path:
        report.extend(schema.validate(documents, schema.tei_all_schema(tei_all_path), "tei-all"))
    report.extend(rules.check(corpus))
    return report
