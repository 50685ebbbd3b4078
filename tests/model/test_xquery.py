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


def test_except_and_intersect_keep_the_left_nodes_in_order():
    assert [e.tag.split("}")[1] for e in value("* except date")] == ["persName"]
    assert [v.strip() for v in value("node() except *")] == ["and"]
    assert [e.tag.split("}")[1] for e in value("* except (date|note)")] == ["persName"]
    assert strings("string-join(* intersect date, '')") == ["then"]


def test_is_compares_node_identity():
    assert value("persName is *[1]") == [True]
    assert value("persName is date") == [False]
    assert value("$parameters?root is ..", root=DOC[0][0]) == [True]


def test_a_string_constructor_joins_its_parts_and_enclosed_values():
    assert strings("``[p-`{@xml:id}`_`{persName/@ref}`.jpg]``") == ["p-p1_per:a per:b.jpg"]
    assert strings("let $n := @n return ``[`{$n}`/`{$n + 1}`]``") == ["3/4"]


def test_group_by_and_order_by_run_over_the_bindings():
    grouped = "for $t in tokenize('c a b a c c', ' ') group by $k := $t order by $k return $k || count($t)"
    assert strings(grouped) == ["a2", "b1", "c3"]
    assert strings("for $t in ('10', '9', '100') order by $t descending return $t") == ["100", "10", "9"]
    assert strings("for $t in (1, 2, 3, 4) where $t mod 2 = 0 return $t * 10") == ["20", "40"]


def test_the_simple_map_and_function_steps_apply_to_each_item():
    assert value("max(..//p ! count(*))") == [2.0]
    assert strings("(persName, date) ! local-name(.)") == ["persName", "date"]
    assert value("@n/number() + 1") == [4.0]
    assert strings("string-join(./(date|persName)/@*[1], ',')") == ["per:a per:b,1939-08-20"]
    assert strings("codepoints-to-string(string-to-codepoints('a') + 2)") == ["c"]


def test_an_element_constructor_computes_its_enclosed_expressions():
    made = value("<wrap><inner>{persName}</inner></wrap>")[0]
    assert made.tag == f"{{{TEI_NS}}}wrap" and "".join(made.itertext()) == "Anna"
    assert strings("let $b := <b>{string(@n)}</b> return serialize($b)")[0].endswith(">3</b>")


def test_what_needs_exist_db_compiles_to_the_empty_sequence_with_a_warning():
    expression = Expression.compile("collection($global:root)//person | util:node-id(.)", NS, TEI_NS)
    assert any("collection()" in w for w in expression.warnings)
    assert any("$global:root" in w for w in expression.warnings)
    assert any("repo:list() of an application module" in w
               for w in Expression.compile("not(index-of(repo:list(), @corresp))", NS, TEI_NS).warnings)


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


def test_enclosed_expressions_in_constructed_attributes_are_computed():
    made = value("for $r in tokenize(persName/@ref, ' ') return <ref target='#{$r}'>{substring-after($r, ':')}</ref>")
    assert [(m.get("target"), m.text) for m in made] == [("#per:a", "a"), ("#per:b", "b")]
