"""One reference scheme: sentence numbers as the notes cite them, problems numbered in text order."""
from __future__ import annotations

import pytest

from edition import Edition
from edition.corpus import Corpus
from edition.html.collect import collect
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def view():
    return collect(Corpus.load(Edition.at(ROOT)))


def test_sentence_numbers_are_the_numbers_in_the_ids(view):
    for source in view.sources:
        for pair in source.pairs:
            assert pair.id.endswith(f"-s{pair.number}")


def test_problems_are_numbered_once_per_source_in_the_order_of_their_passages(view):
    for source in view.sources:
        order = {element: index for index, element in enumerate(source.document.root.iter())}
        positions = [order[p.target] for p in source.problems if p.target is not None]
        assert positions == sorted(positions), source.id
        assert [p.number for p in source.problems] == list(range(1, len(source.problems) + 1))
        assert all(p.label == f"{source.siglum} {p.number}" for p in source.problems)


def test_every_source_has_a_description_in_the_editors_words(view):
    for source in view.sources:
        assert len(source.description) > 40, source.id
