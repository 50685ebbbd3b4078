"""A predicate compiled into one Python test (edition/model/boolean.py) answers as lxml's XPath does,
on every element of random trees and of the fixture documents, for every predicate of the ODDs at hand."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from model_helpers import EDITION_ODD, FIXTURE_ODDS, FIXTURE_TEI, fixture

from edition.model import expressions, load_odd
from edition.model.boolean import compile_test
from edition.model.engine import default_model
from edition.xmlio import parse_file

TEI = "http://www.tei-c.org/ns/1.0"
NAMESPACES = {"tei": TEI, "pmx": "urn:x-edition:processing-model:functions"}
TAGS = [f"{{{TEI}}}a", f"{{{TEI}}}b", f"{{{TEI}}}c", "b"]
NAMES = ["tei:a", "tei:b", "tei:c", "b", "*"]
VALUES = ["", "x", "y"]
ATTRIBUTES = ["type", "rend", f"{{http://www.w3.org/XML/1998/namespace}}id"]
SPELLED = {"type": "type", "rend": "rend", ATTRIBUTES[2]: "xml:id"}


@st.composite
def trees(draw, depth=0):
    element = etree.Element(draw(st.sampled_from(TAGS)))
    for name in draw(st.lists(st.sampled_from(ATTRIBUTES), max_size=2, unique=True)):
        element.set(name, draw(st.sampled_from(VALUES)))
    if depth < 4:
        for _ in range(draw(st.integers(0, 3))):
            kind = draw(st.integers(0, 9))
            if kind == 0:
                element.append(etree.Comment("c"))
            elif kind == 1:
                element.append(etree.ProcessingInstruction("p", "x"))
            else:
                element.append(draw(trees(depth + 1)))
    return element


def attribute(draw) -> str:
    return "@" + SPELLED[draw(st.sampled_from(ATTRIBUTES))]


@st.composite
def steps(draw, depth):
    axis = draw(st.sampled_from(["", "child::", "parent::", "ancestor::", "ancestor-or-self::", "self::",
                                 "following-sibling::", "preceding-sibling::"]))
    step = axis + draw(st.sampled_from(NAMES))
    for _ in range(draw(st.integers(0, 2))):
        predicate = draw(st.one_of(st.sampled_from(["1", "2"]), predicates(depth + 1)))
        step += f"[{predicate}]"
    return step


@st.composite
def paths(draw, depth):
    found = "/".join(draw(st.lists(steps(depth), min_size=1, max_size=3)))
    if draw(st.booleans()):
        return found + "/" + attribute(draw), True
    return found, False


@st.composite
def atoms(draw, depth):
    choice = draw(st.integers(0, 6 if depth < 2 else 3))
    if choice == 0:
        return attribute(draw)
    if choice == 1:
        return f"{attribute(draw)} {draw(st.sampled_from(['=', '!=']))} '{draw(st.sampled_from(VALUES))}'"
    if choice == 2:
        return draw(st.sampled_from(["true()", "false()", "."]))
    if choice == 3 and depth >= 2:
        return "self::" + draw(st.sampled_from(NAMES))
    path, to_attribute = draw(paths(depth))
    if to_attribute and draw(st.booleans()):
        return f"{path} {draw(st.sampled_from(['=', '!=']))} \"{draw(st.sampled_from(VALUES))}\""
    return path


@st.composite
def predicates(draw, depth=0):
    parts = [draw(atoms(depth))]
    for _ in range(draw(st.integers(0, 2 if depth < 2 else 0))):
        parts.append(draw(st.sampled_from(["and", "or"])))
        parts.append(draw(atoms(depth)))
    text = " ".join(parts)
    wrap = draw(st.integers(0, 3))
    if wrap == 1:
        text = f"not({text})"
    elif wrap == 2:
        text = f"({text})"
    return text


def answers(text: str, root) -> tuple[list, list]:
    test = compile_test(f"boolean({text})", NAMESPACES)
    assert test is not None, text
    xpath = etree.XPath(f"boolean({text})", namespaces=NAMESPACES)
    elements = list(root.iter(etree.Element))
    return [test(e) for e in elements], [xpath(e) for e in elements]


@settings(max_examples=600, deadline=None)
@given(trees(), predicates())
def test_a_compiled_predicate_answers_as_lxml_does(root, text):
    ours, theirs = answers(text, etree.ElementTree(root).getroot())
    assert ours == theirs, text


@pytest.mark.parametrize("text", ["count(*) > 1", "position() = 1", "@n = 1", "..", "tei:a | tei:b", "$param.x",
                                  "string(.) = 'x'", "tei:a = 'x'", ".//tei:a", "(/)//tei:a", "lang('en')",
                                  "@*", "tei:*", "(@a) = 'x'", "'x' = @a", "tei:a[last()]"])
def test_what_it_does_not_compile_is_left_to_native_or_lxml(text):
    assert compile_test(f"boolean({text})", NAMESPACES) is None


def test_the_predicates_of_every_odd_at_hand_answer_as_lxml_on_the_fixtures():
    """Every predicate our ODD, the defaults and the fixture ODDs hold, compiled here when it can be,
    on every element of the fixture documents (a real corpus, not only generated trees)."""
    models = [load_odd(EDITION_ODD), default_model()] + [load_odd(fixture("odd", name)) for name in FIXTURE_ODDS]
    texts = {m.predicate._code.text for model in models for m in model.models
             if m.predicate is not None and isinstance(m.predicate._code, expressions.X)}
    compiled = {t: compile_test(t, m.predicate._namespaces) for model in models for m in model.models
                if m.predicate is not None and isinstance(m.predicate._code, expressions.X)
                for t in [m.predicate._code.text]}
    assert sum(test is not None for test in compiled.values()) >= 20  # the commonest predicates are compiled
    roots = [parse_file(fixture("tei", name), collect_ids=False).getroot() for name in FIXTURE_TEI]
    for text in sorted(texts):
        test = compiled[text]
        if test is None:
            continue
        xpath = etree.XPath(text, namespaces=NAMESPACES)
        for root in roots:
            for element in root.iter(etree.Element):
                assert test(element) == xpath(element), (text, element.tag)


def test_an_expression_answers_through_its_compiled_test_as_lxml_does():
    text = "ancestor::tei:listApp or ancestor::tei:div[@type='apparatus']"
    expression = expressions.Expression.compile(text, NAMESPACES, TEI, predicate=True)
    tree = etree.fromstring(f'<div xmlns="{TEI}"><div type="apparatus"><app><rdg/></app></div>'
                            f'<listApp><app/></listApp><app><!-- c --><rdg/></app></div>')
    xpath = etree.XPath(f"boolean({text})", namespaces=NAMESPACES)
    answers = [(expression.test(e, expressions.Env()), xpath(e)) for e in tree.iter(etree.Element)]
    assert all(ours == theirs for ours, theirs in answers)
    assert {ours for ours, _ in answers} == {True, False}
