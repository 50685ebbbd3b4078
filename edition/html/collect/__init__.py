"""The gathered corpus → view-models for the HTML and PDF editions.

Everything a page needs is computed here once, so that templates only lay
out: sentence pairs aligned through @corresp, mentions back-linked to the
register entries they point to, sentences grouped by event (@ana), numeric
claims (num/measure) by type, and the factual-problem apparatus.

One module a concern: model.py / view.py (the data pages read), sources.py
(a document through its reader), notes.py (factual problems), registers.py
(entries and their mentions), events.py (events, figures), front.py (the
edition's own file and bibliography). The names pages use are importable
from here.
"""
from __future__ import annotations

from ...corpus import Corpus
from .events import claims_of, events_of
from .front import bibliography_of, categories_of, front_matter, titles
from .model import UNIT_LABELS, Pair, Paragraph, Problem, Source, SourceReport, text_of
from .registers import entries_of, link_occurrences
from .sources import language_name, short_title, source_of
from .view import REGISTER_KINDS, Claim, EditionView, Entry, Event, Occurrence

__all__ = ["collect", "text_of", "language_name", "EditionView", "Source", "SourceReport", "Pair", "Paragraph",
           "Problem", "Entry", "Occurrence", "Event", "Claim", "REGISTER_KINDS", "UNIT_LABELS"]


def collect(corpus: Corpus, summaries=None) -> EditionView:
    """`summaries` (pipeline/summaries.KeptSummaries): what a source gives the corpus-wide
    view (its occurrences of register entries) kept between builds, by the source's bytes."""
    front = corpus.documents.get((corpus.edition.tei_dir / "edition.xml").resolve())
    categories = categories_of(front)
    sources = [source_of(corpus, d, categories) for d in corpus.sources()]
    languages = [s.language for s in sources]
    for source in sources:
        source.label = (source.language if source.lang and languages.count(source.language) == 1
                        else short_title(source.title))  # a title where languages repeat or none is stated
    labels = [s.label for s in sources]
    for source in sources:
        if labels.count(source.label) > 1:  # two sermons of one volume: the file tells them apart
            source.label = f"{source.label} ({source.id})"
    entries = {kind: entries_of(corpus, sources, kind, name, prefix, filename)
               for kind, name, prefix, filename in REGISTER_KINDS}
    view = EditionView(corpus, *titles(front), front_matter(front), sources, entries,
                       events_of(corpus, sources), claims_of(sources), categories, bibliography_of(corpus),
                       corpus.config)
    link_occurrences(view, summaries.kept(view, "occurrences") if summaries is not None else None)
    return view
