"""Checked TEI: the edition's files → a Report of every problem, in one run.

Three layers, each adding to the same Report: well-formedness (while the
corpus is gathered), RELAX NG validity (tei_all for every file when one is
available; the edition's own schema for the files of its house profile,
tei/edition.xml), and the rules (edition/checking/rules.py: the general ones
for every file, the house rules for the house profile). A file outside the
edition is checked on its own: the edition's files, prefixes and rules do not
apply to it.
"""
from __future__ import annotations

from pathlib import Path

from ..corpus import Corpus
from ..diagnostics import Report
from ..project import Edition
from . import rules, safety, schema


def check_edition(edition: Edition, paths: list[Path] | None = None,
                  tei_all: Path | None = None, use_tei_all: bool = True,
                  corpus: Corpus | None = None, kept=None, cluster=None) -> Report:
    """Check the edition, or only `paths` — whose pointers are still resolved
    against the whole edition, so that checking one file gives the same answer
    as checking everything. `kept` (kept.KeptChecks, made before the corpus was
    parsed): each document's schema and rule diagnostics kept between builds.
    `cluster` (pipeline.graph.cluster_for): the per-document rules run as tasks
    of a Dask cluster's workers."""
    named = {Path(p).resolve() for p in paths} if paths else None
    tei_dir = edition.tei_dir.resolve()
    outside = sorted(p for p in named or () if tei_dir not in p.parents)
    report = Report()
    tei_all_path = tei_all or (schema.default_tei_all(edition) if use_tei_all else None)
    for path in outside:  # on its own: an edition of one file, in its own folder, with no house profile
        report.extend(_check(Corpus.load(Edition.at(path.parent), [path]), lambda p: True, tei_all_path).diagnostics)
    if named is not None and len(outside) == len(named):
        return report
    everything = edition.tei_files() + [p for p in (named or ()) if p not in outside and p not in edition.tei_files()]
    inside = named - set(outside) if named else None
    wanted = (lambda path: Path(path).resolve() in inside) if inside else (lambda path: True)
    started = []
    if corpus is None and inside and tei_all_path:  # jing starts on the named files before the rest is read
        compiled = schema.tei_all_schema(tei_all_path)
        corpus = Corpus.load_early(edition, everything, first=lambda path: path in inside,
                                   then=lambda documents: started.append(schema.start(documents, compiled, "tei-all")))
    corpus = corpus or Corpus.load(edition, everything)  # the build passes the corpus it gathered
    report.extend(_check(corpus, wanted, tei_all_path, cluster, started[0] if started else None, kept).diagnostics)
    if kept is not None:
        kept.settle()
    return report


def _check(corpus: Corpus, wanted, tei_all_path: Path | None, cluster=None, tei_all=None, kept=None) -> Report:
    """jing (tei_all) starts first and validates while the edition's schema and rules
    run here, on the same parsed documents; the report keeps the layers' order.
    `tei_all`: the validation already started (Corpus.load_early). A document whose
    diagnostics `kept` has is neither validated against the edition's schema nor
    given to the per-document rules again."""
    report = Report()
    report.extend(d for d in corpus.problems if wanted(d.path))
    documents = [d for d in corpus.documents.values() if wanted(d.path)]
    if tei_all is None and tei_all_path:
        tei_all = schema.start(documents, schema.tei_all_schema(tei_all_path), "tei-all")
    context = rules.rule_context(corpus)
    keys = {d.path: kept.key(corpus, d, context) for d in documents} if kept is not None else {}
    known = {path: found for path, key in keys.items() if (found := kept.get(key)) is not None}
    house = [d for d in documents if corpus.house(d)]
    fresh_house = [d for d in house if d.path not in known]
    own = _by_path(schema.validate(fresh_house, schema.edition_schema(corpus.edition), "edition-schema")
                   if fresh_house else [])
    fresh = [d for d in documents if d.path not in known]
    ruled = _by_path(rules.check_documents(corpus, fresh, context, cluster=cluster))
    found = [d for d in rules.corpus_rules(corpus) if wanted(d.path)]
    trusted = kept is not None and (set(own) | set(ruled)) <= {str(d.path) for d in fresh}
    for document in documents:
        if document.path in known:
            found += [d for d in known[document.path][1] if wanted(d.path)]
        else:
            found += [d for d in ruled.get(str(document.path), []) if wanted(d.path)]
            if trusted:  # (every diagnostic is about the document it was found in)
                kept.put(keys[document.path], document, own.get(str(document.path), []),
                         ruled.get(str(document.path), []))
    found += [d for d in safety.check(corpus) if wanted(d.path)]
    report.extend(d for document in house for d in (known[document.path][0] if document.path in known
                                                     else own.get(str(document.path), [])))
    report.extend(tei_all.result() if tei_all else [])
    report.extend(found)
    return _without_schema_echoes(report)


def _by_path(diagnostics) -> dict[str, list]:
    """Diagnostics grouped by the document they are about, each group in its order."""
    grouped: dict[str, list] = {}
    for diagnostic in diagnostics:
        grouped.setdefault(diagnostic.path, []).append(diagnostic)
    return grouped


def _without_schema_echoes(report: Report) -> Report:
    """A duplicate xml:id also breaks the schemas' xsd:ID ("Invalid attribute id
    for element note"); the unique-id rule names the id and both places, so the
    schemas' vaguer message at the same line is left out."""
    duplicates = {(d.path, d.line) for d in report.diagnostics if d.rule == "unique-id"}
    report.diagnostics = [d for d in report.diagnostics
                          if not (d.rule in ("edition-schema", "tei-all") and (d.path, d.line) in duplicates
                                  and d.message.startswith("Invalid attribute id for element"))]
    return report
