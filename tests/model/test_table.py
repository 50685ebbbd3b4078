"""The dispatch resolved once per processing model and mode (engine.Table), shared by every
Renderer of them, renders what a Renderer resolving everything afresh renders: each fixture
document under several ODDs in both modes, the renders interleaved in a random order."""
from __future__ import annotations

import random

from model_helpers import EDITION_ODD, FIXTURE_TEI, fixture

from edition.model import engine, load_odd, render_document
from edition.model.page import to_html
from edition.xmlio import parse_file


def html(tree, model, mode) -> str:
    return to_html([render_document(tree, model, mode, parameters={"markers": "none"} if mode == "web" else None)])


def test_renders_through_a_shared_table_equal_fresh_ones():
    models = [load_odd(EDITION_ODD), load_odd(fixture("odd", "teipublisher.odd"))]
    trees = [parse_file(fixture("tei", name), collect_ids=False) for name in FIXTURE_TEI]
    cases = [(t, m, mode) for t in range(len(trees)) for m in range(len(models)) for mode in ("web", "print")]
    fresh = {}
    for case in cases:
        engine._TABLES.clear()
        tree, model, mode = case
        fresh[case] = html(trees[tree], models[model], mode)
    engine._TABLES.clear()
    order = cases * 2
    random.Random(15).shuffle(order)
    for case in order:
        tree, model, mode = case
        assert html(trees[tree], models[model], mode) == fresh[case], case
    assert len(engine._TABLES) == len(models) * 2  # one table per model and mode, kept


def test_a_replaced_behaviour_is_not_served_from_a_table_made_before(monkeypatch):
    from edition.model.behaviours import WEB
    model = load_odd(EDITION_ODD)
    tree = parse_file(fixture("tei", "tp-serafin-orlik-letter.xml"), collect_ids=False)
    before = html(tree, model, "web")
    assert "<p" in before
    monkeypatch.setitem(WEB._functions, "paragraph", lambda ctx, node, classes, content, **_: ["(p)"])
    after = html(tree, model, "web")
    assert "(p)" in after and after != before
