"""Rendering TEI through the fixture ODDs and ours: nothing lost, apparatus and layers in place."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html
from model_helpers import FIXTURE_ODDS, FIXTURE_TEI, ROOT, fixture, tei

from edition.cli import main
from edition.diagnostics import InvalidEdition
from edition.model import Renderer, document_title, render_document, render_file
from edition.model.page import container, to_html
from edition.xmlio import parse_file
from edition.xmlio import tei as tei_name

SOURCES = sorted((ROOT / "tei" / "sources").glob("*.xml"))
EXAMPLES = "{http://www.tei-c.org/ns/Examples}egXML"
TEI_NS = "http://www.tei-c.org/ns/1.0"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def lost_text(tree, renderer: Renderer, rendered) -> list[tuple[int, str]]:
    """Text of the TEI body missing from the rendering. Expected is the whole
    content of every element a model rendered with its own content (no
    "content" param, or one holding the element itself): its text, and all
    the text of any child no model was asked to render. Not expected: what a
    model omits, what a "content" param leaves out, egXML (shown as source)."""
    text = squash("".join(rendered.itertext()))
    body = tree.getroot().find(f".//{tei_name('body')}")
    lost = []
    for node in body.iter():
        if node not in renderer.expanded or any(a.tag == EXAMPLES for a in node.iterancestors()):
            continue
        pieces = [node.text, *(c.tail for c in node)]
        pieces += ["".join(c.itertext()) for c in node if isinstance(c.tag, str) and c.tag != EXAMPLES
                   and c not in renderer.visited]
        lost.extend((node.sourceline, p.strip()[:60]) for p in pieces if p and squash(p) not in text)
    return lost


def rendered(tree, model, mode):
    renderer = Renderer(model, mode)
    return renderer, container(renderer.render(tree.getroot()), mode)


@pytest.mark.parametrize("mode", ["web", "print"])
@pytest.mark.parametrize("odd", [*FIXTURE_ODDS, "edition.odd"])
@pytest.mark.parametrize("name", FIXTURE_TEI)
def test_every_fixture_renders_through_every_odd_with_all_its_text(odds, name, odd, mode):
    tree = parse_file(fixture("tei", name))
    renderer, out = rendered(tree, odds[odd], mode)
    assert renderer.report.ok  # warnings only, each at the TEI node's line
    assert all(d.severity == "warning" and d.path.endswith(name) and d.line > 0
               for d in renderer.report.diagnostics)
    assert lost_text(tree, renderer, out) == []


@pytest.mark.parametrize("mode", ["web", "print"])
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_our_sources_render_through_our_odd_with_all_their_text(odds, source, mode):
    tree = parse_file(source)
    renderer, out = rendered(tree, odds["edition.odd"], mode)
    assert renderer.report.diagnostics == []
    assert lost_text(tree, renderer, out) == []
    assert renderer.omitted == [tree.getroot().find(tei_name("teiHeader"))] + (
        tree.getroot().xpath("//tei:div[@type='apparatus']", namespaces={"tei": TEI_NS})
        if mode == "print" else [])


def test_the_lost_text_check_notices_a_behaviour_that_drops_content(odds, monkeypatch):
    from edition.model.behaviours import WEB
    monkeypatch.setitem(WEB._functions, "paragraph", lambda ctx, node, classes, content, **_: [])
    tree = parse_file(fixture("tei", "tp-serafin-orlik-letter.xml"))
    renderer, out = rendered(tree, odds["edition.odd"], "web")
    assert lost_text(tree, renderer, out)


@pytest.mark.parametrize("odd", ["teipublisher.odd", "edition.odd"])
def test_the_yasna_apparatus_shows_a_reading_in_the_text_and_the_others_on_demand(odds, odd):
    tree = parse_file(fixture("tei", "teic-stylesheets-testapp2-yasna.xml"))
    out = render_document(tree, odds[odd], "web")
    apps = tree.getroot().iter(tei_name("app"))
    shown = out.xpath("//*[contains(concat(' ', @class, ' '), ' tei-app ')]")
    assert len(shown) == 72
    for app, fragment in zip(apps, shown):
        readings = [[squash(t) for t in r.itertext()] for r in app.iter(tei_name("rdg"))]
        popover = fragment.xpath(".//*[@popover]")
        assert popover or len(readings) == 1, "other readings are on demand"
        if popover:
            button = fragment.xpath(f".//button[@popovertarget='{popover[0].get('id')}']")
            assert button, "every other reading is reachable from a button"
            other = squash("".join(popover[0].itertext()))
            assert all(piece in other for reading in readings[1:] for piece in reading)


def test_a_lemma_stands_in_the_text_and_the_readings_with_their_witnesses_in_a_popover(odds):
    document = tei('<TEI><text><body><p>In <app><lem wit="#A">principio</lem>'
                   '<rdg wit="#B #C">principium</rdg></app> erat</p></body></text></TEI>')
    out = render_document(document.getroottree(), odds["edition.odd"], "web")
    button, popover = out.find(".//button"), out.find(".//*[@popover]")
    assert "".join(button.itertext()) == "principio"
    assert "".join(popover.itertext()) == "principio] A B C principium"  # the whole entry, lemma first
    assert popover.xpath("string(.//*[contains(@class, 'witnesses')][2])") == "B C "


@pytest.mark.parametrize("mode", ["web", "print"])
def test_a_generic_name_is_a_person_place_or_organisation_by_its_type(odds, mode):
    """<rs> and <name> (TEI Publisher's van Gogh letters mark people as <rs type="pers">) take the
    annotation layer of the kind their @type names, with their pointer; a referring string of another
    kind (EpiDoc's rs type="context") stays plain text."""
    document = tei('<TEI><text><body><p><rs type="pers" ref="#a">Anna</rs> in <name type="place" '
                   'corresp="#b">Borgo</name> for <rs type="org" ref="#c">the firm</rs>: <rs type="context">'
                   'a vow</rs>, <name>Fido</name>.</p></body></text></TEI>')
    out = render_document(document.getroottree(), odds["edition.odd"], mode)
    marked = {"".join(e.itertext()): (e.get("class").split()[-1], e.get("data-ref"))
              for e in out.xpath(".//*[contains(concat(' ', @class, ' '), ' annotation ')]")}
    assert marked == {"Anna": ("annotation-person", "#a"), "Borgo": ("annotation-place", "#b"),
                      "the firm": ("annotation-organisation", "#c")}
    assert "a vow" in "".join(out.itertext()) and "Fido" in "".join(out.itertext())


def words(element) -> list[str]:
    """The words of each text node (a word that markup splits, ΚΑΚΟ<gap/>Η, as its parts)."""
    return [w for piece in element.xpath(".//text()") for w in re.findall(r"\w+", piece)]


@pytest.mark.parametrize("mode", ["web", "print"])
@pytest.mark.parametrize("odd", ["edition.odd", "teipublisher.odd", "serafin.odd", "vangogh.odd"])
@pytest.mark.parametrize("name", ["teic-stylesheets-testapp2-yasna.xml", "epidoc-iospe-PE3000196-greek.xml"])
def test_every_word_of_an_apparatus_is_rendered(odds, name, odd, mode):
    tree = parse_file(fixture("tei", name))
    out = render_document(tree, odds[odd], mode)
    rendered = "".join(out.itertext())
    text = tree.getroot().find(tei_name("text"))
    missing = {w for w in words(text) if w not in rendered}
    assert not missing


def test_the_witnesses_of_a_reading_are_named_and_linked_as_the_header_lists_them(odds):
    tree = parse_file(fixture("tei", "teic-stylesheets-testapp2-yasna.xml"))
    out = render_document(tree, odds["edition.odd"], "web")
    key = out.xpath("//*[contains(@class, 'witnesses-key')]")
    assert len(key) == 1
    entries = {li.get("id"): "".join(li.itertext()) for li in key[0].iter("li")}
    assert entries["Pt4"] == "Pt4 1779-80, Bodleian Library Oxford (MS. Zend d.2)"
    sigla = out.xpath("//*[contains(@class, 'alternate-content')]//*[contains(@class, 'witnesses')]/a")
    assert sigla and {a.get("href") for a in sigla} == {f"#{i}" for i in entries}
    assert all(a.text == a.get("href")[1:] for a in sigla)


@pytest.mark.parametrize("mode", ["web", "print"])
def test_an_app_holding_only_a_note_shows_the_note(odds, mode):
    document = tei('<TEI><text><body><ab>Ἀίδας<app><note>vacat: the end of the pentameter</note></app></ab>'
                   '</body></text></TEI>')
    out = render_document(document.getroottree(), odds["edition.odd"], mode)
    shown = out.xpath("//*[@popover]" if mode == "web" else "//*[contains(@class, 'footnote')]")
    assert [squash("".join(n.itertext())).lstrip("1") for n in shown] == ["vacat:theendofthepentameter"]
    if mode == "web":
        assert out.xpath(f"//button[@popovertarget='{shown[0].get('id')}']")


def test_in_print_the_apparatus_of_a_document_from_elsewhere_is_printed_and_ours_is_not(odds):
    foreign = parse_file(fixture("tei", "epidoc-iospe-PE3000196-greek.xml"))
    out = render_document(foreign, odds["edition.odd"], "print")
    entries = out.xpath("//*[contains(@class, 'apparatus-entry')]")
    assert len(entries) == len(foreign.getroot().findall(f".//{tei_name('listApp')}/{tei_name('app')}"))
    assert entries[1].text.startswith("1: ")  # its @loc
    ours = parse_file(ROOT / "tei" / "sources" / "pl-khasan.xml")
    renderer, _ = rendered(ours, odds["edition.odd"], "print")
    assert ours.getroot().xpath("//tei:div[@type='apparatus']", namespaces={"tei": TEI_NS})[0] in renderer.omitted


def test_in_print_the_readings_of_an_apparatus_are_footnotes(odds):
    tree = parse_file(fixture("tei", "teic-stylesheets-testapp2-yasna.xml"))
    out = render_document(tree, odds["edition.odd"], "print")
    assert not out.xpath("//*[@popover]")
    assert out.xpath("//*[contains(@class, 'tei-app')]//span[contains(@class, 'footnote')]")


def test_our_sentences_carry_their_ids_and_alignment_for_the_parallel_view(odds):
    out = render_document(parse_file(ROOT / "tei" / "sources" / "pl-khasan.xml"), odds["edition.odd"], "web")
    original = out.xpath("//*[@id='pl-khasan-s1']")[0]
    translation = out.xpath("//*[@id='pl-khasan-s1-en']")[0]
    assert "tei-s" in original.get("class").split()
    assert original.get("data-sentence") == "pl-khasan-s1"
    assert translation.get("data-corresp") == "pl-khasan-s1"


def test_our_names_dates_and_figures_are_annotation_layers(odds):
    out = render_document(parse_file(ROOT / "tei" / "sources" / "pl-khasan.xml"), odds["edition.odd"], "web")
    person = out.xpath("//*[contains(@class, 'annotation-person')]")[0]
    assert person.get("class").split()[:3] == ["tei-persName", "annotation", "annotation-person"]
    assert person.get("data-ref").startswith("per:")
    for layer in ("place", "organisation", "date", "number", "problem"):
        assert out.xpath(f"//*[contains(concat(' ', @class, ' '), ' annotation-{layer} ')]"), layer
    date = out.xpath("//*[contains(@class, 'annotation-date')][@data-when='1938-06-13']")[0]
    assert "".join(date.xpath(".//*[@popover]")[0].itertext()) == "13 June 1938"


def test_a_factual_problem_has_a_marker_in_the_text_linked_to_its_note(odds):
    out = render_document(parse_file(ROOT / "tei" / "sources" / "pl-khasan.xml"), odds["edition.odd"], "web")
    marker = out.xpath("//a[contains(@class, 'fp-marker')]")[0]
    note = out.xpath(f"//*[@id='{marker.get('href')[1:]}']")[0]
    assert "factual-problem" in note.get("class") and note.get("data-number") == marker.text
    assert marker.get("aria-label") == f"Factual problem {marker.text}"


def test_markers_are_left_to_the_site_and_the_book_when_they_ask(odds):
    tree = parse_file(ROOT / "tei" / "sources" / "pl-khasan.xml")
    for mode in ("web", "print"):
        out = render_document(tree, odds["edition.odd"], mode, {"markers": "none"})
        assert not out.xpath("//*[contains(@class, 'fp-marker')] | //*[contains(@class, 'footnote')]"
                             "[contains(@class, 'factual-problem')]")


def test_in_print_a_factual_problem_is_a_footnote_at_its_passage(odds):
    out = render_document(parse_file(ROOT / "tei" / "sources" / "pl-khasan.xml"), odds["edition.odd"], "print")
    tree = parse_file(ROOT / "tei" / "sources" / "pl-khasan.xml")
    targets = {t.lstrip("#") for t in tree.getroot().xpath(
        "//tei:note[@type='factual-problem']/@target", namespaces={"tei": TEI_NS}) for t in t.split()}
    footnotes = out.xpath("//span[contains(@class, 'factual-problem')][contains(@class, 'footnote')]")
    assert len(footnotes) == len(targets) > 20
    first = next(e.get("{http://www.w3.org/XML/1998/namespace}id") for e in tree.getroot().iter()
                 if e.get("{http://www.w3.org/XML/1998/namespace}id") in targets)
    assert first == "pl-khasan-seg28"  # the calque of sentence 1, the first problem of the text
    assert footnotes[0].getprevious().get("id") == first
    assert {f.getprevious().get("id") for f in footnotes} == targets


def test_blocks_inside_phrasing_content_are_demoted_so_html_parsers_keep_the_structure(odds):
    out = render_document(parse_file(ROOT / "tei" / "sources" / "pl-khasan.xml"), odds["edition.odd"], "print")
    html = lxml_html.tostring(out, encoding="unicode")
    reparsed = lxml_html.fragment_fromstring(html)
    assert len(reparsed.xpath("//p")) == len(out.xpath("//p"))
    assert not out.xpath("//p//div | //p//p | //span//ul")


def test_an_error_in_an_expression_is_a_warning_at_the_tei_node_and_the_model_falls_back(odds):
    tree = parse_file(ROOT / "tei" / "sources" / "pl-khasan.xml")
    warnings = []
    out = render_document(tree, odds["serafin.odd"], "web", warn=warnings.append)  # its date model wants ISO dates
    first = warnings[0]
    assert first.rule == "render-xpath" and first.path.endswith("pl-khasan.xml") and first.line > 1
    assert "'1938' is not an ISO 8601 date" in first.message and "serafin.odd:341" in first.message
    date = tree.getroot().xpath("//tei:date[@when='1938']", namespaces={"tei": TEI_NS})[0]
    assert squash("".join(date.itertext())) in squash("".join(out.itertext()))  # rendered by a later model


def test_a_strict_rendering_makes_an_error_in_an_expression_fail(odds):
    tree = parse_file(ROOT / "tei" / "sources" / "pl-khasan.xml")
    with pytest.raises(InvalidEdition) as raised:
        render_document(tree, odds["serafin.odd"], "web", strict=True)
    assert raised.value.diagnostics[0].severity == "error"


def test_a_standalone_page_has_charset_language_title_and_styles(tmp_path):
    page = render_file(ROOT / "tei" / "sources" / "es-khalkhin-gol.xml", edition_root=ROOT)
    document = lxml_html.document_fromstring(page)
    assert page.startswith("<!DOCTYPE html>")
    assert document.find(".//meta[@charset='utf-8']") is not None
    assert document.get("lang") == "en"  # the TEI root's xml:lang; the original's div says es
    assert document.findtext(".//title") == document_title(parse_file(ROOT / "tei" / "sources" / "es-khalkhin-gol.xml"))
    assert document.xpath("//section[@lang='es']")
    assert ".annotation-person" in document.findtext(".//style")


def test_the_page_language_comes_from_the_text_or_the_headers_lang_usage(tmp_path):
    letter = lxml_html.document_fromstring(render_file(fixture("tei", "tp-vangogh-let695.xml"), edition_root=ROOT))
    assert (letter.get("lang"), letter.get("dir")) == ("fr", "ltr")  # langUsage: French
    source = tmp_path / "multi.xml"
    source.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title>'
                      '</titleStmt></fileDesc><profileDesc><langUsage><language ident="de" usage="20"/>'
                      '<language ident="ko" usage="80"/></langUsage></profileDesc></teiHeader>'
                      '<text><body><p>안녕</p></body></text></TEI>', "utf-8")
    assert lxml_html.document_fromstring(render_file(source, edition_root=ROOT)).get("lang") == "ko"


def test_a_page_without_a_declared_language_lets_the_browser_find_its_direction(tmp_path):
    page = lxml_html.document_fromstring(render_file(fixture("tei", "teic-stylesheets-testapp2-yasna.xml"),
                                                     edition_root=ROOT))
    assert (page.get("lang"), page.get("dir")) == ("und", "auto")


def test_the_render_command_writes_a_page_and_reports_odd_warnings(tmp_path):
    out = tmp_path / "letter.html"
    result = CliRunner().invoke(main, ["--root", str(ROOT), "render", str(fixture("tei", "tp-serafin-orlik-letter.xml")),
                                       "--odd", str(fixture("odd", "serafin.odd")), "--mode", "print", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Mikołaj Orlik do Mikołaja Serafina" in out.read_text("utf-8")
    assert "warning: odd-mode" in result.output


def test_the_render_command_warns_of_a_model_it_leaves_out_and_renders_the_rest(tmp_path):
    odd = tmp_path / "bad.odd"
    odd.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><schemaSpec ident="x">'
                   '<elementSpec ident="p"><model behaviour="sparkle"/></elementSpec>'
                   "</schemaSpec></body></text></TEI>", "utf-8")
    result = CliRunner().invoke(main, ["render", str(ROOT / "tei" / "sources" / "pl-khasan.xml"), "--odd", str(odd)])
    assert result.exit_code == 0
    assert 'bad.odd:1:' in result.output and 'warning: odd-behaviour: <p>: unknown behaviour "sparkle"' in result.output
    assert "this model is left out" in result.output and "<p" in result.output  # p falls back to the defaults


def test_the_render_command_refuses_a_file_that_is_not_an_odd(tmp_path):
    letter = fixture("tei", "tp-serafin-orlik-letter.xml")
    result = CliRunner().invoke(main, ["render", str(letter), "--odd", str(letter)])
    assert result.exit_code == 1
    assert "odd-not-odd: tp-serafin-orlik-letter.xml is not an ODD" in result.output


def test_the_render_command_finds_an_inherited_odd_along_the_odd_path(tmp_path):
    child = tmp_path / "child"
    child.mkdir()
    (child / "serafin.odd").write_bytes(fixture("odd", "serafin.odd").read_bytes())  # its parent is not beside it
    letter = fixture("tei", "tp-serafin-orlik-letter.xml")
    alone = CliRunner().invoke(main, ["render", str(letter), "--odd", str(child / "serafin.odd")])
    assert alone.exit_code == 1 and 'schemaSpec/@source "teipublisher.odd" names no ODD' in alone.output
    found = CliRunner().invoke(main, ["render", str(letter), "--odd", str(child / "serafin.odd"),
                                      "--odd-path", str(fixture("odd", "teipublisher.odd").parent)])
    assert found.exit_code == 0, found.output
    assert "Mikołaj Orlik do Mikołaja Serafina" in found.output


def test_html_output_is_serialised_without_namespaces(odds):
    out = render_document(parse_file(fixture("tei", "tp-serafin-orlik-letter.xml")), odds["teipublisher.odd"])
    assert all(not e.tag.startswith("{") for e in out.iter() if isinstance(e.tag, str))
    assert etree.tostring(out).count(b"xmlns") == 0


def test_constant_behaviours_render_as_the_full_dispatch_does(odds):
    from edition.model.coverage import Tracer
    document = tei('<TEI><text><body><p xml:lang="de">Kri<lb/>tik <lb xml:id="l2" n="2"/>der <cb/>reinen '
                   '<pb/>Vernunft<lb xml:lang="ar" rend="indent"/></p></body></text></TEI>')
    for odd in ("edition.odd", "teipublisher.odd"):
        fast = Renderer(odds[odd], "web")
        assert {"lb", "cb"} <= set(fast._constant)  # built once, then copied
        quick = to_html(container(fast.render(document), "web"))
        full = to_html(container(Renderer(odds[odd], "web", tracer=Tracer()).render(document), "web"))
        assert quick == full and 'id="l2"' in quick and 'dir="rtl"' in quick
    assert "rend-indent" in quick  # teipublisher.odd's lb uses the source's renditions


@pytest.mark.parametrize("mode", ["web", "print"])
def test_a_link_around_a_note_with_a_link_in_it_keeps_the_note_whole_in_an_html5_parser(odds, mode):
    """A KBGA sermon's <ref> holds a <note> whose <bibl> holds a <ref>: a browser's parser (and
    WeasyPrint's, tinyhtml5) closes a link where another starts, so the rest of the note would
    fall out into the text; the link is cut around the note instead."""
    import tinyhtml5
    document = tei('<TEI><text><body><p><ref target="https://example.org/mt">Matthäus 11,12<note>Laut Brief '
                   '(<bibl>Bw.Th. I, <ref target="https://example.org/bw">S. 24</ref></bibl>).</note></ref> '
                   'Text danach.</p></body></text></TEI>')
    out = render_document(document.getroottree(), odds["edition.odd"], mode)
    assert not out.xpath("//a//a | //a//button | //a//*[@popover]")
    reparsed = tinyhtml5.parse(lxml_html.tostring(out, encoding="unicode"), namespace_html_elements=False)
    note = reparsed.findall(".//*[@popover]" if mode == "web" else ".//span[@class]")
    note = [n for n in note if "Laut" in "".join(n.itertext()) and
            (mode == "web" or "footnote" in n.get("class"))]
    assert squash("".join(note[0].itertext())).endswith("LautBrief(Bw.Th.I,S.24).")
    links = {a.get("href"): squash("".join(a.itertext())) for a in reparsed.iter("a")}
    assert links["https://example.org/mt"] == "Matthäus11,12" and links["https://example.org/bw"] == "S.24"
