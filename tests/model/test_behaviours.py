"""Behaviour functions, called with a stub context, make small HTML fragments."""
from __future__ import annotations

import pytest

from edition.model.behaviours import PRINT, WEB, Registry, html as web, print as paper

from model_helpers import html, tei


def test_a_paragraph_keeps_the_xml_id_as_id_and_the_language_as_lang(ctx):
    node = tei('<p xml:id="p1" xml:lang="pl">Tekst</p>')
    out = web.paragraph(ctx, node, ["tei-p"], [node])
    assert html(out) == '<p class="tei-p" id="p1" lang="pl">Tekst</p>'


def test_an_id_is_given_to_one_output_element_only(ctx):
    node = tei('<p xml:id="p1">x</p>')
    web.paragraph(ctx, node, ["tei-p"], [node])
    assert 'id=' not in html(web.paragraph(ctx, node, ["tei-p"], [node]))


def test_right_to_left_languages_get_dir_rtl(ctx):
    node = tei('<p xml:lang="ar">نص</p>')
    assert 'dir="rtl"' in html(web.paragraph(ctx, node, [], [node]))


def test_direction_follows_the_script_subtag_not_the_language(ctx):
    transliterated = tei('<p xml:lang="ar-Latn-x-ijmes">al-Ṭabarī</p>')
    assert 'dir=' not in html(web.paragraph(ctx, transliterated, [], [transliterated]))
    written = tei('<p xml:lang="und-Arab">abc</p>')  # the subtag wins over the content
    assert 'dir="rtl"' in html(web.paragraph(ctx, written, [], [written]))


def test_without_a_script_subtag_the_content_decides_the_direction(ctx):
    hebrew = tei('<p xml:lang="x-lang">שלום</p>')
    assert 'dir="rtl"' in html(web.paragraph(ctx, hebrew, [], [hebrew]))
    latin_arabic = tei('<p xml:lang="ar">Qurʾān</p>')  # Arabic, but written here in Latin letters
    assert 'dir=' not in html(web.paragraph(ctx, latin_arabic, [], [latin_arabic]))


def test_left_to_right_text_inside_right_to_left_text_says_so(ctx):
    document = tei('<p xml:lang="ar">نص <foreign xml:lang="ar-Latn">naṣṣ</foreign></p>')
    inner = document[0]
    assert 'dir="ltr"' in html(web.inline(ctx, inner, [], [inner]))


def test_params_an_inline_does_not_name_become_data_attributes(ctx):
    node = tei('<persName ref="per:zhukov">Жуков</persName>')
    out = web.inline(ctx, node, ["tei-persName", "annotation", "annotation-person"], [node], ref=["per:zhukov"])
    assert html(out) == ('<span class="tei-persName annotation annotation-person" '
                         'data-ref="per:zhukov">Жуков</span>')


def test_an_alternate_shows_the_default_and_puts_the_other_reading_in_a_popover(ctx):
    node = tei("<choice><sic>japonesas</sic><corr>japoneses</corr></choice>")
    out = web.alternate(ctx, node, ["tei-choice"], [node], default=[node[0]], alternate=[node[1]])
    fragment = out[0]
    button = fragment.find("button")
    popover = fragment.find("span[@popover]")
    assert button.text == "japonesas" and button.get("type") == "button"
    assert button.get("popovertarget") == popover.get("id")
    assert popover.text == "japoneses"


def test_an_alternate_whose_reading_holds_a_link_opens_by_a_separate_marker(ctx):
    node = tei("<app><lem>a</lem><rdg>b</rdg></app>")
    ctx.apply = lambda n, content: [web.link(ctx, n, [], ["x"], uri=["#a"])[0]] if content == [n[0]] else ["b"]
    fragment = web.alternate(ctx, node, [], [node], default=[node[0]], alternate=[node[1]])[0]
    assert fragment.find("button").get("class") == "alternate-marker"
    assert fragment.find("button").get("aria-label") == "Other reading"
    assert fragment.find(".//button//a") is None


def test_an_alternate_without_another_reading_has_no_button(ctx):
    node = tei("<app><lem>a</lem></app>")
    out = web.alternate(ctx, node, [], [node], default=[node[0]], alternate=[])
    assert out[0].find(".//button") is None and "a" in html(out)


def test_a_note_on_the_web_is_a_numbered_button_opening_a_popover(ctx):
    node = tei('<note xml:id="n1">Gloss</note>')
    wrapper = web.note(ctx, node, ["tei-note"], [node])[0]
    marker, popover = wrapper.find("button"), wrapper.find("span[@popover]")
    assert wrapper.get("id") == "n1"
    assert marker.text == "1" and marker.get("aria-label") == "Note 1"
    assert marker.get("popovertarget") == popover.get("id")
    assert popover.get("role") == "note" and "Gloss" in "".join(popover.itertext())


def test_a_note_with_a_label_uses_it_instead_of_a_number(ctx):
    wrapper = web.note(ctx, tei("<note>x</note>"), [], ["x"], label=["T3"])[0]
    assert wrapper.find("button").text == "T3"


def test_a_margin_note_stays_in_the_text(ctx):
    node = tei('<note place="margin">side</note>')
    assert html(web.note(ctx, node, ["tei-note"], [node])) == '<span class="tei-note margin-note">side</span>'


def test_in_print_a_note_is_a_css_footnote(ctx):
    node = tei('<note xml:id="n1">Gloss</note>')
    assert html(paper.note(ctx, node, ["tei-note"], [node])) == '<span class="tei-note footnote" id="n1">Gloss</span>'


def test_in_print_an_alternate_gives_the_default_inline_and_the_other_reading_as_a_footnote(ctx):
    node = tei("<choice><orig>colour</orig><reg>color</reg></choice>")
    out = html(paper.alternate(ctx, node, ["tei-choice"], [node], default=[node[0]], alternate=[node[1]]))
    assert out == ('<span class="alternate tei-choice"><span class="alternate-default">colour</span>'
                   '<span class="footnote alternate-content">color</span></span>')


def test_a_page_break_shows_its_number_and_a_line_break_is_br(ctx):
    assert html(web.break_(ctx, tei('<pb n="12"/>'), ["tei-pb"], [], type=["page"])) == \
        '<span class="tei-pb page-break" data-page="12">12</span>'
    assert html(web.break_(ctx, tei("<lb/>"), ["tei-lb"], [])) == '<br class="tei-lb line-break"/>'


def test_a_link_expands_a_prefixed_pointer_and_refuses_script_urls(ctx):
    node = tei("<ptr/>")
    assert web.link(ctx, node, [], ["Coox"], uri=["bib:coox-1985"])[0].get("href") == "bibliography.html#coox-1985"
    assert web.link(ctx, node, [], ["x"], uri=["javascript:alert(1)"])[0].tag == "span"


def test_a_link_without_a_target_keeps_its_words_but_is_no_link(ctx):
    assert html(web.link(ctx, tei("<ref>words</ref>"), ["tei-ref"], ["words"])) == '<span class="tei-ref">words</span>'


def test_a_list_with_labels_is_a_description_list(ctx):
    node = tei("<list><label>A</label><item>alpha</item></list>")
    assert web.list_(ctx, node, [], [node[1]])[0].tag == "dl"
    term, definition = web.list_item(ctx, node[1], [], [node[1]])
    assert (term.tag, term.text, definition.tag, definition.text) == ("dt", "A", "dd", "alpha")


def test_a_cell_of_a_label_row_is_a_header_cell(ctx):
    row = tei('<row role="label"><cell cols="2">Head</cell></row>')
    assert html(web.cell(ctx, row[0], [], [row[0]])) == '<th colspan="2">Head</th>'


def test_a_graphic_always_has_alt_text_from_its_figure(ctx):
    figure = tei('<figure><graphic url="map.png"/><figDesc>A map of the lake</figDesc></figure>')
    image = web.graphic(ctx, figure[0], [], [], url=["map.png"])[0]
    assert (image.get("src"), image.get("alt")) == ("map.png", "A map of the lake")


def test_a_heading_level_follows_the_enclosing_divisions(ctx):
    div = tei("<div><div><head>Deep</head></div></div>")
    head = div[0][0]
    assert web.heading(ctx, head, [], [head])[0].tag == "h2"
    assert web.heading(ctx, head, [], [head], level=["5"])[0].tag == "h5"


def test_a_webcomponent_turns_its_params_into_attributes_and_refuses_odd_names(ctx):
    node = tei("<seg>x</seg>")
    assert html(web.webcomponent(ctx, node, [], [node], name=["pb-highlight"], key=["k1"])) == \
        '<pb-highlight key="k1">x</pb-highlight>'
    assert web.webcomponent(ctx, node, [], [node], name=["script"])[0].tag == "span"


def test_omit_renders_nothing_and_text_renders_only_text(ctx):
    node = tei("<title>A <hi>title</hi></title>")
    assert web.omit(ctx, node, [], [node]) == []
    assert web.text_behaviour(ctx, node, [], [node]) == ["A title"]


def test_omit_takes_the_params_tei_publishers_odds_give_it(ctx):
    node = tei("<lb/>")
    assert web.omit(ctx, node, [], [node], type=["line"], label=["x"]) == []


def test_a_definition_list_holds_terms_and_their_descriptions(ctx):
    node = tei("<varlistentry><term>ODD</term><listitem>One Document Does it all</listitem></varlistentry>")
    dt, dd = web.definition(ctx, node, ["tei-d"], [node[1]], term=[node[0]])
    assert (dt.tag, dt.text, dd.tag, dd.text) == ("dt", "ODD", "dd", "One Document Does it all")
    assert web.definition_list(ctx, node, [], [node])[0].tag == "dl"


def test_an_iframe_frames_only_web_addresses_and_is_sandboxed(ctx):
    node = tei("<videodata>a film</videodata>")
    framed = web.iframe(ctx, node, [], [node], src=["https://example.org/v"], width=["640"])[0]
    assert (framed.tag, framed.get("src"), framed.get("width")) == ("iframe", "https://example.org/v", "640")
    assert framed.get("sandbox") and framed.get("title")
    refused = web.iframe(ctx, node, [], [node], src=["javascript:alert(1)"])[0]
    assert refused.tag == "span" and refused.text == "a film"


def test_an_alternate_keeps_the_children_neither_reading_holds(ctx):
    app = tei("<app><lem>a</lem><rdg>b</rdg><note>why</note></app>")
    wrapper = web.alternate(ctx, app, [], [app], default=[app[0]], alternate=[app[1]])[0]
    assert "".join(wrapper.find(".//*[@popover]").itertext()) == "b why"
    only_note = tei("<app><note>only a note</note></app>")
    wrapper = web.alternate(ctx, only_note, [], [only_note], default=[], alternate=[])[0]
    assert "".join(wrapper.itertext()) == "only a note"


def test_print_overrides_only_notes_and_alternates():
    overridden = {name for name in PRINT.names() if PRINT.lookup(name) is not WEB.lookup(name)}
    assert overridden == {"note", "alternate"}
    assert PRINT.lookup("paragraph") is WEB.lookup("paragraph")


def test_the_web_mode_implements_the_whole_vocabulary():
    from edition.model.behaviours import VOCABULARY
    assert WEB.names() == VOCABULARY


def test_registering_an_unknown_behaviour_fails():
    with pytest.raises(ValueError, match="'sparkle' is not a behaviour"):
        Registry("test").behaviour("sparkle")


def test_registering_a_behaviour_twice_in_one_mode_fails():
    registry = Registry("test")
    registry.behaviour("inline")(lambda ctx, node, classes, content: [])
    with pytest.raises(ValueError, match="registered twice"):
        registry.behaviour("inline")


def test_a_behaviour_must_have_the_common_signature():
    with pytest.raises(TypeError, match="must start with"):
        Registry("test").behaviour("inline")(lambda node, ctx, classes, content: [])


def test_a_registry_knows_which_params_a_behaviour_takes():
    assert WEB.accepts("break", "type") and not WEB.accepts("break", "colour")
    assert WEB.accepts("inline", "anything")  # **optional: TEI Publisher's $optional
    assert WEB.accepts("omit", "content")
