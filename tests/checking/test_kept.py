"""A document's check kept between builds (edition/checking/kept.py): the diagnostics are
an uncached check's, in its order; what a document's diagnostics read — its bytes, the
edition around it, the xml:ids of every other document — invalidates its entry; a
damaged entry, or one made while the file changed, is never used."""
from __future__ import annotations

from pathlib import Path

from edition.checking import check_edition
from edition.checking.kept import KIND, KeptChecks
from edition.corpus import Corpus
from tests.pipeline.test_cache import _edit, edition  # noqa: F401 - the fixture

# A file beside the sources that points into one of them (and has problems of its own).
NOTES = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Notes</title></titleStmt>
<publicationStmt><p>Here.</p></publicationStmt><sourceDesc><p>Made for a test.</p></sourceDesc></fileDesc></teiHeader>
<text><body><p>See <ref target="sources/pl-khasan.xml#pl-khasan-s1">the first sentence</ref>,
<ref target="sources/pl-khasan.xml#pl-khasan-s999">one that is not there</ref> and
<date when="1938-02-30">a day that never was</date>.</p></body></text></TEI>
"""


def _check(edition, kept=None):
    return check_edition(edition, use_tei_all=False, corpus=Corpus.load(edition), kept=kept).diagnostics


def _kept_check(edition):
    kept = KeptChecks.of(edition, edition.build_dir)
    return _check(edition, kept), kept.cache


def _counts(cache) -> tuple[int, int]:
    return cache.taken[KIND], cache.made[KIND]


def test_kept_diagnostics_are_an_uncached_checks_and_follow_what_they_read(edition):
    (edition.tei_dir / "notes.xml").write_text(NOTES, "utf-8")
    documents = len(edition.tei_files())
    uncached = _check(edition)
    assert any(d.path.endswith("notes.xml") for d in uncached)
    first, cache = _kept_check(edition)
    assert first == uncached and _counts(cache) == (0, documents)
    again, cache = _kept_check(edition)
    assert again == uncached and _counts(cache) == (documents, 0)
    # a source's text edited: that source alone is checked again
    _edit(edition.sources_dir / "pl-khasan.xml", ">Relations between", ">Edited relations between")
    edited, cache = _kept_check(edition)
    assert edited == _check(edition) and _counts(cache) == (documents - 1, 1)
    # an xml:id renamed: notes.xml, unchanged, now points to nothing, and says so
    _edit(edition.sources_dir / "pl-khasan.xml", 'xml:id="pl-khasan-s1"', 'xml:id="pl-khasan-s1-renamed"')
    renamed, cache = _kept_check(edition)
    assert renamed == _check(edition) and _counts(cache)[1] == documents
    assert any(d.path.endswith("notes.xml") and '"pl-khasan-s1"' in d.message for d in renamed)
    assert not any(d.path.endswith("notes.xml") and '"pl-khasan-s1"' in d.message for d in uncached)
    # a register edited (the edition around every document): everything is checked again
    _edit(edition.tei_dir / "registers" / "persons.xml", "</TEI>", "<!-- edited --></TEI>")
    _, cache = _kept_check(edition)
    assert _counts(cache) == (0, documents)


def test_a_damaged_entry_is_discarded_and_the_document_checked_again(edition):
    (edition.tei_dir / "notes.xml").write_text(NOTES, "utf-8")
    uncached = _check(edition)
    _kept_check(edition)
    entries = sorted((edition.build_dir / ".cache" / "checks" / KIND).iterdir(), key=lambda p: p.stat().st_size)
    biggest = entries[-1]
    biggest.write_bytes(biggest.read_bytes().replace(b"pointer", b"pointed", 1).replace(b"date", b"data", 1))
    damaged, cache = _kept_check(edition)
    assert damaged == uncached and cache.discarded and _counts(cache) == (len(entries) - 1, 1)


def test_nothing_is_kept_for_a_file_that_changed_while_it_was_checked(edition):
    kept = KeptChecks.of(edition, edition.build_dir)  # the bytes read here...
    path = edition.sources_dir / "pl-khasan.xml"
    _edit(path, ">Relations between", ">Changed relations between")  # ...are not those parsed
    _check(edition, kept)
    _, cache = _kept_check(edition)
    assert _counts(cache) == (len(edition.tei_files()) - 1, 1)
