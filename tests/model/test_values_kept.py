"""A param value kept per document and attribute values (engine.Renderer.evaluate) is the value
the expression has on every element with those attribute values: native.attributes_read never
misses what an expression reads of its context node."""
from __future__ import annotations

import pytest
from lxml import etree
from model_helpers import EDITION_ODD, FIXTURE_ODDS, FIXTURE_TEI, ROOT, fixture, tei

from edition.model import engine, expressions, load_odd
from edition.model.engine import Renderer, _id_index, default_model
from edition.model.functions import FRAME
from edition.model.native import attributes_read
from edition.model.page import container, to_html
from edition.xmlio import XML_NS, parse_file

NAMESPACES = {"tei": "http://www.tei-c.org/ns/1.0", "pmx": "urn:x-edition:processing-model:functions"}


@pytest.mark.parametrize("text, read", [
    ('pmx:tokenize(normalize-space(@wit), " ")', {"wit"}),
    ('pmx:seq(pmx:strings(pmx:id(substring-after(pmx:var("w"), "#"))/@n), "x")[1]', set()),
    ("concat(@from, '-', @to)", {"from", "to"}),
    ("@xml:id and @n", {f"{{{XML_NS}}}id", "n"}),
    ("count((/)/tei:TEI//tei:note[@type = 'x'])", {"type"}),  # over-read (a predicate's own @type): harmless
    ("$param.mode = 'toc'", set()),
    ("2 * 3", set()),
])
def test_what_an_expression_reads_of_its_context_node(text, read):
    assert attributes_read(text, NAMESPACES) == read


@pytest.mark.parametrize("text", [".", "..", "tei:hi", "@n | tei:hi", "string()", "normalize-space()", "position()",
                                  "last()", "lang('en')", "name()", "tei:hi/@n", "*", "@*", "child::tei:hi",
                                  "pmx:id(@corresp)[.//tei:p]", "text()"])
def test_an_expression_that_reads_more_of_its_context_node_is_not_kept(text):
    assert attributes_read(text, NAMESPACES) is None


def test_only_a_python_step_expression_is_kept():
    single = expressions.Expression.compile("concat(@a, @b)", NAMESPACES, NAMESPACES["tei"])
    several = expressions.Expression.compile("for $x in tokenize(@a, ' ') return concat($x, '!')", NAMESPACES,
                                             NAMESPACES["tei"])
    reading = expressions.Expression.compile("for $x in tokenize(@a, ' ') return concat($x, string(.))", NAMESPACES,
                                             NAMESPACES["tei"])
    assert single.keyed_by is None  # one XPath: cheaper to evaluate than to look up
    assert several.keyed_by == ("a",)
    assert reading.keyed_by is None


def canonical(value: list, root) -> list:
    """Nodes of the document by identity, constructed ones (fresh each time) by their markup."""
    out = []
    for item in value:
        if isinstance(item, etree._Element):
            out.append(("node", id(item)) if item.getroottree().getroot() is root
                       else ("made", etree.tostring(item, with_tail=False)))
        else:
            out.append(("atom", str(item)))
    return out


def test_a_kept_value_is_the_value_on_every_element_with_the_same_attributes():
    odds = [load_odd(EDITION_ODD), default_model()] + [
        load_odd(fixture("odd", name), search_path=[fixture("odd")]) for name in FIXTURE_ODDS]
    documents = [fixture("tei", name) for name in FIXTURE_TEI] + [ROOT / "tei" / "sources" / "pl-khasan.xml"]
    kept = [(model, entry, expression) for model in odds for entry in model.models
            for expression in entry.params.values() if expression.keyed_by is not None]
    assert len(kept) >= 10  # for, let and sequence params of our ODDs and TEI Publisher's
    compared = 0
    for path in documents:
        root = parse_file(path, collect_ids=False).getroot()
        token = FRAME.set({"ids": _id_index(root), "root": root, "variables": {}, "constants": [], "params": {}})
        try:
            for model, entry, expression in kept:
                env = expressions.Env.of({"root": root}, model.parameters | default_model().parameters)
                values = {}
                elements = root.iter(f"{{{model.namespace}}}{entry.ident}") if entry.ident != "*" else root.iter()
                for element in elements:
                    try:
                        value = canonical(expression.evaluate(element, env), root)
                    except Exception:  # an error is not kept (each element reports its own)
                        continue
                    key = tuple(element.get(a) for a in expression.keyed_by)
                    if key in values:
                        compared += 1
                        assert values[key] == value, (path.name, expression.source, element.sourceline)
                    values.setdefault(key, value)
        finally:
            FRAME.reset(token)
    assert compared > 100  # yasna's readings share their witnesses


@pytest.mark.parametrize("mode", ["web", "print"])
def test_renders_are_the_same_with_values_kept_or_not(monkeypatch, mode):
    document = parse_file(fixture("tei", "teic-stylesheets-testapp2-yasna.xml"), collect_ids=False)
    for model in (default_model(), load_odd(EDITION_ODD)):
        keeping = Renderer(model, mode)
        kept = to_html([container(keeping.render(document.getroot()), mode)])
        assert keeping._values  # the readings' witnesses
        monkeypatch.setattr(engine, "VALUES_KEPT", 0)
        computing = Renderer(model, mode)
        assert kept == to_html([container(computing.render(document.getroot()), mode)])
        assert not computing._values
        monkeypatch.setattr(engine, "VALUES_KEPT", 4096)


def test_a_value_is_kept_per_document():
    model = default_model()
    renderer = Renderer(model, "web")
    first = tei('<TEI><text><body><listWit><witness xml:id="A" n="one"/></listWit>'
                '<p><app><rdg wit="#A">x</rdg></app></p></body></text></TEI>')
    second = tei('<TEI><text><body><listWit><witness xml:id="A" n="two"/></listWit>'
                 '<p><app><rdg wit="#A">x</rdg></app></p></body></text></TEI>')
    assert "one" in to_html(renderer.render(first)) and "one" not in to_html(renderer.render(second))
    assert "two" in to_html(renderer.render(second))
