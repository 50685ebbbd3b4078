"""Per-source summaries kept between builds (edition/pipeline/summaries.py): a source's
occurrences of register entries are taken from build/.cache/summaries/ when nothing they
read has changed, are made afresh when anything has, and are never taken when damaged,
foreign or of another shape; the view is the one a build without them collects."""
from __future__ import annotations

import json

import pytest

from edition.corpus import Corpus
from edition.html.collect import collect
from edition.pipeline.summaries import KeptSummaries
from tests.pipeline.test_cache import _edit, edition  # noqa: F401 - the fixture

POLISH = "tei/sources/pl-khasan.xml"


def _occurrences(view) -> dict:
    return {e.ref: [(o.source_id, o.sentence_id, o.text, o.lang) for o in e.occurrences]
            for kind in view.entries.values() for e in kind}


def _collected(edition, summaries=None):
    return collect(Corpus.load(edition), summaries)


def _keys(edition) -> dict[str, str]:
    view = _collected(edition)
    summaries = KeptSummaries(edition, edition.build_dir)
    summaries.kept(view, "occurrences")
    return {s.id: summaries.parts.source_key(view, s, "occurrences") for s in view.sources}


def test_unchanged_sources_summaries_are_taken_and_the_view_is_the_same(edition):
    fresh = _occurrences(_collected(edition))
    first = KeptSummaries(edition, edition.build_dir)
    assert _occurrences(_collected(edition, first)) == fresh
    first.finish()
    assert first.parts.cache.counts()["occurrences"] == (0, 4)
    again = KeptSummaries(edition, edition.build_dir)
    assert _occurrences(_collected(edition, again)) == fresh
    assert again.parts.cache.counts()["occurrences"] == (4, 0)


def test_an_edited_sources_occurrences_are_made_again_the_others_taken(edition):
    summaries = KeptSummaries(edition, edition.build_dir)
    _collected(edition, summaries)
    summaries.finish()
    path = edition.root / POLISH
    text = path.read_text("utf-8")
    start = text.index("<persName", text.index('<div type="translation"'))
    end = text.index(">", start) + 1
    path.write_text(text[:end] + "EDITED " + text[end:], "utf-8")  # a name's words in the translation
    later = KeptSummaries(edition, edition.build_dir)
    kept = _occurrences(_collected(edition, later))
    assert later.parts.cache.counts()["occurrences"] == (3, 1)
    assert kept == _occurrences(_collected(edition))
    assert any(text.startswith("EDITED ") for found in kept.values() for _, _, text, _ in found)


# What a summary's key covers (each kind of input): tests/pipeline/test_parts.py, whose key
# tests run on the pages' keys and on these (`_keys` here).


def _kept_files(edition):
    return sorted((edition.build_dir / ".cache" / "summaries" / "occurrences").iterdir())


def test_a_damaged_summary_is_discarded_and_made_again(edition):
    fresh = _occurrences(_collected(edition))
    summaries = KeptSummaries(edition, edition.build_dir)
    _collected(edition, summaries)
    summaries.finish()
    for path in _kept_files(edition):
        path.write_bytes(path.read_bytes()[:-5])  # truncated: its digest no longer holds
    again = KeptSummaries(edition, edition.build_dir)
    assert _occurrences(_collected(edition, again)) == fresh
    assert again.parts.cache.counts()["occurrences"] == (0, 4) and len(again.parts.cache.discarded) == 4


def test_a_summary_of_another_shape_or_naming_an_unknown_entry_is_not_used(edition):
    view = _collected(edition)
    fresh = _occurrences(view)
    summaries = KeptSummaries(edition, edition.build_dir)
    summaries.kept(view, "occurrences")
    wrong = {"th-khalkhin-gol": [["per:nobody-at-all", None, "Nobody", "th"]],  # sound, but no such entry
             "es-khalkhin-gol": {"not": "a list"}, "pl-khasan": [["per:zhukov", 3, "Zhukov", "pl"]],
             "zh-nomonhan": [[["per:zhukov"], None, "x", "zh"]]}
    for source in view.sources:
        key = summaries.parts.source_key(view, source, "occurrences")
        summaries.parts.cache.put("occurrences", key, json.dumps(wrong[source.id]).encode())
    assert _occurrences(_collected(edition, KeptSummaries(edition, edition.build_dir))) == fresh


def test_a_summary_is_not_kept_when_its_source_changed_during_the_build(edition):
    summaries = KeptSummaries(edition, edition.build_dir)
    _collected(edition, summaries)
    _edit(edition.root / POLISH, "</TEI>", "<!-- edited meanwhile --></TEI>")
    summaries.finish()
    assert len(_kept_files(edition)) == 3


def test_a_summary_is_not_kept_when_its_source_changed_before_it_was_parsed(edition):
    summaries = KeptSummaries(edition, edition.build_dir)  # the build makes it before the parse
    _edit(edition.root / POLISH, "</TEI>", "<!-- edited before the parse --></TEI>")
    _collected(edition, summaries)
    summaries.finish()
    assert len(_kept_files(edition)) == 3


def test_a_build_keeps_summaries_and_an_edited_build_is_a_clean_ones(edition, tmp_path):
    from edition.build import build
    from tests.pipeline.test_parts import BUILT, _clean_copy, _same_tree, _translator_edit
    build(edition, html=True, pdf=False, built=BUILT)
    assert len(_kept_files(edition)) == 4
    _translator_edit(edition.root / POLISH, "EDITED-TRANSLATION ")
    build(edition, html=True, pdf=False, built=BUILT)
    assert len(_kept_files(edition)) == 5  # the edited source's new summary beside the last build's
    assert _same_tree(edition.build_dir / "html", _clean_copy(edition, tmp_path / "clean", BUILT)) == []
