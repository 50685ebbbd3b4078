"""ODD expressions: TEI Publisher's XQuery-isms compile to XPath 1.0 and evaluate on TEI."""
from __future__ import annotations

import pytest
from model_helpers import tei

from edition.model.expressions import Env, Expression
from edition.model.functions import FRAME
from edition.model.xquery import XQueryError, translate

TEI_NS = "http://www.tei-c.org/ns/1.0"
NS = {"tei": TEI_NS}
DOC = tei("""<TEI><text><body>
  <p xml:id="p1" n="3"><persName ref="per:a per:b" key="k">Anna</persName> and <date when="1939-08-20">then</date></p>
  <p xml:id="p2"><note type="fp" target="#p1 #p9">Note</note></p>
</body></text></TEI>""")
P1 = DOC.find(f".//{{{TEI_NS}}}p")


def value(source: str, node=P1, **parameters):
    expression = Expression.compile(source, NS, TEI_NS)
    token = FRAME.set({"ids": {e.get("{http://www.w3.org/XML/1998/namespace}id"): e
                               for e in DOC.iter() if e.get("{http://www.w3.org/XML/1998/namespace}id")},
                       "root": DOC, "variables": {}, "constants": []})
    try:
        return expression.evaluate(node, Env.of(parameters, expression.parameters))
    finally:
        FRAME.reset(token)


def strings(source: str, **parameters) -> list[str]:
    return ["".join(i.itertext()) if hasattr(i, "itertext") else str(i) for i in value(source, **parameters)]


def test_unprefixed_names_mean_tei_elements():
    assert translate("parent::div and persName", NS, TEI_NS).code.xpath() == "(parent::tei:div and tei:persName)"
    assert strings("persName") == ["Anna"]


def test_parameters_are_variables_and_missing_ones_are_empty():
    assert value("$parameters?mode = ('toc', 'breadcrumb')", mode="toc") == [True]
    assert value("$parameters?mode = ('toc', 'breadcrumb')") == [False]
    assert value("not($parameters?static)") == [True]


def test_value_comparisons_and_string_concatenation():
    assert value("count(persName) gt 0") == [True]
    assert strings("'#' || @xml:id || '!'") == ["#p1!"]


def test_xpath_2_functions_work_on_sequences():
    assert strings("head((@missing, @n, @xml:id))") == ["3"]
    assert strings("tokenize(persName/@ref, '\\s+')[2]") == ["per:b"]
    assert strings("string-join(('a', 'b', 'c'), '-')") == ["a-b-c"]
    assert strings("upper-case(persName)") == ["ANNA"]
    assert strings("replace(@xml:id, '^p(\\d)$', 'para-$1')") == ["para-1"]


def test_let_if_for_and_try_run_around_compiled_xpath():
    assert strings("let $t := '#' || @xml:id return root(.)//note[tokenize(@target, '\\s+') = $t]") == ["Note"]
    assert strings("if (@n) then 'numbered' else 'plain'") == ["numbered"]
    assert strings("for $r in tokenize(persName/@ref, ' ') return substring-after($r, ':')") == ["a", "b"]
    assert strings("try { xs:date('1939-02-30') } catch * { 'not a date' }") == ["not a date"]


def test_format_date_follows_the_picture_string():
    assert strings("format-date(xs:date(date/@when), '[D1o] [MNn] [Y]')") == ["20th August 1939"]


def test_path_string_and_id_steps_are_translated():
    assert strings("persName/@key/string()") == ["k"]
    assert strings("root(.)/id('p2')/note") == ["Note"]
    # id() splits its argument at white space, as XQuery's does: "p1 #p9" finds p1
    assert strings("id(substring-after(note/@target, '#'), root(.))", node=DOC[0][0][1]) == ["Anna and then"]


def test_static_element_constructors_are_constants():
    assert value("head((ref, <ref type='next'/>))")[0].get("type") == "next"


def test_what_needs_exist_db_compiles_to_the_empty_sequence_with_a_warning():
    expression = Expression.compile("collection($global:root)//person | util:node-id(.)", NS, TEI_NS)
    assert any("collection()" in w for w in expression.warnings)
    assert any("$global:root" in w for w in expression.warnings)


@pytest.mark.parametrize("source, message", [
    ("@type=", "expected an expression at 'the end' (character 7)"),
    ("frobnicate(.)", "unknown function frobnicate#1 (character 1)"),
    ("foo:bar", "unknown namespace prefix 'foo' (character 1)"),
    ("$nowhere", "unknown variable $nowhere (character 1)"),
    ("(a", "expected ')' at 'the end' (character 3)"),
])
def test_expressions_that_do_not_parse_say_where(source, message):
    with pytest.raises(XQueryError) as raised:
        Expression.compile(source, NS, TEI_NS)
    assert str(raised.value) == message
