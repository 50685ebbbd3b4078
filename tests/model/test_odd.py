"""The ODD loader: fixture ODDs into dispatch tables, inheritance, and located problems."""
from __future__ import annotations

import pytest
from model_helpers import fixture

from edition.diagnostics import InvalidEdition
from edition.model import load_odd
from edition.model.table import Model, ModelSequence

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><fileDesc><titleStmt><title>t</title></titleStmt></fileDesc></teiHeader>
  <text><body>
"""
FOOTER = """
  </body></text>
</TEI>
"""


def write_odd(folder, name: str, specs: str, source: str | None = None):
    path = folder / name
    attribute = f' source="{source}"' if source else ""
    path.write_text(f'{HEADER}<schemaSpec ident="x"{attribute}>\n{specs}\n</schemaSpec>{FOOTER}', "utf-8")
    return path


def problems(path, strict: bool = False):
    """The errors (not the warnings) that loading the ODD raises, in file order;
    `strict`: the warnings too (they fail a strict load)."""
    with pytest.raises(InvalidEdition) as raised:
        load_odd(path, strict=strict)
    return [d for d in raised.value.diagnostics if strict or d.severity == "error"]


def test_teipublishers_odd_has_247_models_using_26_behaviours(odds):
    model = odds["teipublisher.odd"]
    assert len(model.models) == 247
    assert len(model.behaviours) == 26
    assert len(model.specs) == 107


def test_the_tei_simple_print_odd_loads_its_164_models_despite_repeated_ids(odds):
    model = odds["tei_simplePrint.odd"]
    assert len(model.models) == 164
    assert len(model.behaviours) == 25


def test_serafin_inherits_teipublisher_and_overrides_what_it_changes(odds):
    serafin, base = odds["serafin.odd"], odds["teipublisher.odd"]
    assert set(base.specs) <= set(serafin.specs)  # every inherited element is there
    assert serafin.specs["app"] is not None and len(serafin.entries("app", "web")) == 2
    note = serafin.entries("note", "web")
    assert all("serafin.odd" in entry.where[0] for entry in note)
    assert "teipublisher.odd" in serafin.entries("cell", "web")[0].where[0]
    assert {"glossary", "meta"} <= serafin.behaviours  # LaTeX-only models are kept, never run


def test_serafin_says_where_it_diverges_from_tei_publisher(odds):
    rules = {(d.rule, d.line) for d in odds["serafin.odd"].warnings if d.path.endswith("serafin.odd")}
    assert ("odd-mode", 136) in rules  # persName mode="add" over an inherited persName


def test_an_odd_with_problems_reports_them_all_at_their_file_line_and_column(tmp_path):
    path = write_odd(tmp_path, "broken.odd", """<elementSpec ident="p" mode="change">
  <model behaviour="sparkle"/>
  <model predicate="@type=" behaviour="inline"/>
  <model behaviour="break"><param name="colour" value="'red'"/></model>
  <model predicate="frobnicate(.)" behaviour="block"/>
</elementSpec>""")
    found = [(d.line, d.column, d.rule) for d in problems(path, strict=True)]
    assert found == [(7, 3, "odd-behaviour"), (8, 27, "odd-xpath"), (9, 28, "odd-param"), (10, 21, "odd-xpath")]


def test_a_model_with_a_problem_is_left_out_and_the_rest_of_the_odd_loads(tmp_path):
    path = write_odd(tmp_path, "broken.odd", """<elementSpec ident="p" mode="change">
  <model behaviour="sparkle"/>
  <model predicate="@type=" behaviour="inline"/>
  <model behaviour="break"><param name="colour" value="'red'"/></model>
  <model predicate="frobnicate(.)" behaviour="block"/>
</elementSpec>
<elementSpec ident="hi" mode="change"><model behaviour="inline"/></elementSpec>""")
    model = load_odd(path)
    assert [(e.behaviour, e.params) for e in model.entries("p", "web")] == [("break", {})]  # its param ignored
    assert model.entries("hi", "web")[0].behaviour == "inline"
    assert {d.severity for d in model.warnings} == {"warning"}
    assert sum("this model is left out" in d.message for d in model.warnings) == 3


def test_the_messages_name_the_element_the_expression_and_what_is_known(tmp_path):
    path = write_odd(tmp_path, "broken.odd", """<elementSpec ident="p" mode="change">
  <model behaviour="sparkle"/>
  <model predicate="@type=" behaviour="inline"/>
  <model behaviour="break"><param name="colour" value="'red'"/></model>
</elementSpec>""")
    messages = [d.message for d in problems(path, strict=True)]
    assert messages[0].startswith('<p>: unknown behaviour "sparkle" (known: alternate, anchor, block,')
    assert messages[0].endswith("; this model is left out (the element falls back to its next model or the defaults)")
    assert messages[1].startswith("@predicate '@type=' does not compile: expected an expression at 'the end' "
                                  "(character 7); this model is left out")
    assert messages[2] == ('<p>: behaviour "break" takes no param "colour" in web output '
                           "(it takes content, label, type); the param is ignored")


def test_what_needs_exist_db_is_a_warning_and_the_odd_still_loads(tmp_path):
    path = write_odd(tmp_path, "exist.odd", """<elementSpec ident="persName" mode="change">
  <model behaviour="alternate">
    <param name="alternate" value="collection($global:register-root)/id(@ref)"/>
  </model>
</elementSpec>""")
    model = load_odd(path)
    assert {d.rule for d in model.warnings} == {"odd-xquery"}
    assert any("collection()" in d.message and d.line == 8 for d in model.warnings)
    with pytest.raises(InvalidEdition):
        load_odd(path, strict=True)


def test_an_odd_inherits_from_a_bare_name_beside_it(tmp_path):
    write_odd(tmp_path, "base.odd", '<elementSpec ident="p"><model behaviour="paragraph"/></elementSpec>'
                                    '<elementSpec ident="hi"><model behaviour="inline"/></elementSpec>')
    child = write_odd(tmp_path, "child.odd", '<elementSpec ident="hi" mode="change">'
                                             '<model behaviour="block"/></elementSpec>', source="base")
    model = load_odd(child)
    assert model.entries("p", "web")[0].behaviour == "paragraph"
    assert model.entries("hi", "web")[0].behaviour == "block"


def test_change_without_models_keeps_the_parents_and_delete_and_replace_remove_them(tmp_path):
    write_odd(tmp_path, "base.odd", "".join(f'<elementSpec ident="{i}"><model behaviour="block"/></elementSpec>'
                                            for i in ("a", "b", "c")))
    child = write_odd(tmp_path, "child.odd", '<elementSpec ident="a" mode="change"/>'
                                             '<elementSpec ident="b" mode="delete"/>'
                                             '<elementSpec ident="c" mode="replace"/>', source="base.odd")
    model = load_odd(child)
    assert [e.behaviour for e in model.entries("a", "web")] == ["block"]
    assert model.entries("b", "web") == () and model.entries("c", "web") == ()


def test_an_inherited_odd_is_looked_for_beside_the_child_then_along_the_search_path(tmp_path):
    library, work = tmp_path / "library", tmp_path / "work"
    library.mkdir(), work.mkdir()
    write_odd(library, "base.odd", '<elementSpec ident="p"><model behaviour="paragraph"/></elementSpec>')
    child = write_odd(work, "child.odd", '<elementSpec ident="hi"><model behaviour="block"/></elementSpec>',
                      source="base")
    assert "--odd-path adds folders" in problems(child)[0].message
    model = load_odd(child, search_path=[library])
    assert model.entries("p", "web")[0].where[0] == str((library / "base.odd").resolve())
    write_odd(work, "base.odd", '<elementSpec ident="p"><model behaviour="block"/></elementSpec>')
    assert load_odd(child, search_path=[library]).entries("p", "web")[0].behaviour == "block"  # beside wins


def test_a_file_that_is_not_an_odd_is_an_error_and_an_odd_without_models_a_warning(tmp_path):
    letter = tmp_path / "letter.xml"
    letter.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>Dear</p></body></text></TEI>')
    assert [(d.rule, d.line) for d in problems(letter)] == [("odd-not-odd", 1)]
    schema_only = write_odd(tmp_path, "schema.odd", '<elementSpec ident="p" mode="change"/>')
    model = load_odd(schema_only)
    assert [d.rule for d in model.warnings] == ["odd-no-models"]
    assert "declares no <model>" in model.warnings[0].message


def test_a_missing_or_circular_parent_is_an_error_at_the_schema_spec(tmp_path):
    missing = write_odd(tmp_path, "orphan.odd", "", source="nowhere")
    assert [(d.rule, d.line) for d in problems(missing)] == [("odd-source", 5)]
    write_odd(tmp_path, "a.odd", "", source="b")
    circle = write_odd(tmp_path, "b.odd", "", source="a")
    assert "in a circle" in problems(circle)[0].message


def test_a_model_after_one_that_always_applies_is_reported_as_unreachable(tmp_path):
    path = write_odd(tmp_path, "order.odd", """<elementSpec ident="p" mode="change">
  <model behaviour="paragraph"/>
  <model predicate="@rend" behaviour="block"/>
</elementSpec>""")
    warnings = load_odd(path).warnings
    assert [(d.rule, d.line) for d in warnings] == [("odd-unreachable-model", 8)] * 2  # web and print


def test_models_sequences_classes_and_renditions_are_read(tmp_path):
    path = write_odd(tmp_path, "full.odd", """<elementSpec ident="hi" mode="change">
  <modelSequence output="web">
    <model behaviour="inline" cssClass="a b"><outputRendition scope="before">content: "[";</outputRendition></model>
    <model behaviour="inline" useSourceRendition="true"/>
  </modelSequence>
  <model output="print" behaviour="inline"><outputRendition>font-style: italic;</outputRendition></model>
</elementSpec>""")
    model = load_odd(path)
    sequence = model.entries("hi", "web")[0]
    assert isinstance(sequence, ModelSequence) and len(sequence.members) == 2
    first: Model = sequence.members[0]
    assert first.classes == ("tei-hi", "tei-hi1", "a", "b") and sequence.members[1].source_rendition
    assert '.tei-hi1::before { content: "["; }' in model.css
    assert ".tei-hi3 { font-style: italic; }" in model.css
    assert model.entries("hi", "print")[0].behaviour == "inline"


def test_the_edition_odd_loads_without_warnings(odds):
    assert odds["edition.odd"].warnings == []


def test_the_fixture_odds_load_from_the_shared_folder():
    assert fixture("odd", "teipublisher.odd").exists()
