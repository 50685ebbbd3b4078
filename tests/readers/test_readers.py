"""Each encoding of a text and its translation, read into the one model pages use."""
from __future__ import annotations

from lxml import etree

from edition.readers import read, unplaced_words
from edition.readers.align import by_lengths
from edition.xmlio import XML_ID, parse_file
from tests.conftest import ROOT, SHARED

FIXTURES = SHARED / "fixtures" / "tei"
TEI = "http://www.tei-c.org/ns/1.0"


def reading_of(name):
    root = parse_file(FIXTURES / f"{name}.xml").getroot()
    return root, read(root)


def words(element) -> str:
    return " ".join("".join(element.itertext()).split())


def document(body: str):
    return etree.fromstring(f'<TEI xmlns="{TEI}"><teiHeader/><text><body>{body}</body></text></TEI>')


def test_a_group_of_texts_pairs_each_segment_with_its_translation():
    root, reading = reading_of("tp-serafin-orlik-letter")
    assert (reading.encoding, reading.unit, reading.lang, reading.translation_lang) == \
        ("group/text[@type='translation']", "seg", "la", "pl")
    pairs = [(u.original.get(XML_ID), u.translation.get(XML_ID)) for u in reading.units]
    assert len(pairs) == 13 and all(o.replace("s.", "t.", 1) == t for o, t in pairs)
    assert [e.tag.rsplit("}")[-1] for e in reading.after] == ["back"]  # the notes, rendered whole
    assert unplaced_words(root, reading) == []


def test_translation_divs_are_aligned_by_length_where_one_side_has_an_empty_block():
    root, reading = reading_of("tp-vangogh-let695")
    assert (reading.encoding, reading.unit, reading.lang, reading.translation_lang) == \
        ("div[@type='translation']", "ab", "fr", "")  # the letter does not say its translation's language
    rows = [(words(u.original), words(u.translation)) for u in reading.units
            if u.original is not None and u.translation is not None]
    assert rows[0] == ("Mon cher Gauguin,", "My dear Gauguin,")
    assert rows[-1][0].startswith("Mais avec vous") and rows[-1][1].startswith("But I won’t exchange")
    # the original's block of textual notes, inside the original div, keeps a row of its own
    assert [u.original.get("type") for u in reading.units if u.translation is None] == ["textualNotes"]
    assert unplaced_words(root, reading) == []


def test_an_epidoc_edition_is_set_beside_its_fullest_translation_and_the_rest_is_kept():
    root, reading = reading_of("epidoc-iospe-PE3000196-greek")
    (unit,) = reading.units
    assert unit.original.getparent().get("type") == "edition"
    assert words(unit.translation).startswith("[--- Аид]")
    assert [d.get("type") for d in reading.before] == ["bibliography", "bibliography"]
    assert [(d.get("type"), d.get("{http://www.w3.org/XML/1998/namespace}lang")) for d in reading.after] == \
        [("apparatus", None), ("translation", "en"), ("commentary", "ru"), ("commentary", "en")]


def test_a_document_without_translation_is_rendered_whole():
    root, reading = reading_of("teic-stylesheets-testapp2-yasna")
    assert reading.units == [] and reading.after == [root.find(f"{{{TEI}}}text")]


def test_a_text_stating_no_language_is_in_the_language_most_of_it_is_marked_in():
    dictionary = document('<div xml:lang="de"><p>Logos (<foreign xml:lang="el">λόγος</foreign>) heißt Wort.</p></div>'
                          '<div xml:lang="de"><p>Kunst ist schöpferisch.</p></div>')
    assert read(dictionary).lang == "de"
    quoting = document('<p>Logos <foreign xml:lang="el">λόγος</foreign> heißt Wort und Vernunft.</p>')
    assert read(quoting).lang == ""  # most of it is marked in no language: none is guessed


def test_our_own_sources_keep_their_sentence_pairs():
    root = parse_file(ROOT / "tei" / "sources" / "pl-khasan.xml").getroot()
    reading = read(root)
    assert reading.encoding.startswith("house") and reading.unit == "s"
    assert all(u.translation.get("corresp") == "#" + u.original.get(XML_ID) for u in reading.units)


def test_corresp_between_divs_aligns_paragraphs_by_their_pointers():
    root = document('<div xml:id="o" xml:lang="de"><p xml:id="p1">Eins.</p><p xml:id="p2">Zwei.</p></div>'
                    '<div corresp="#o" xml:lang="en"><p corresp="#p2">Two.</p><p corresp="#p1">One.</p></div>')
    reading = read(root)
    assert reading.encoding == "div/@corresp" and reading.alignment == "pointers"
    assert [(words(u.original), words(u.translation)) for u in reading.units] == [("Eins.", "One."), ("Zwei.", "Two.")]


def test_text_outside_the_units_gets_a_row_where_it_stands():
    root = document('<div type="original"><head>Titel</head><p>Eins.</p><p>Zwei.</p></div>'
                    '<div type="translation"><p>One.</p><p>Two.</p></div>')
    reading = read(root)
    assert [(u.original is not None and words(u.original), u.translation is not None and words(u.translation))
            for u in reading.units] == [("Titel", False), ("Eins.", "One."), ("Zwei.", "Two.")]
    assert unplaced_words(root, reading) == []


def test_a_unit_with_no_counterpart_is_left_unpaired_by_the_length_alignment():
    make = lambda text: etree.fromstring(f'<p xmlns="{TEI}">{text}</p>')  # noqa: E731
    left = [make("a" * 40), make("b" * 200), make("c" * 60)]
    right = [make("A" * 42), make("C" * 58)]
    rows = by_lengths(left, right)
    assert [(u.original is not None and u.original.text[0], u.translation is not None and u.translation.text[0])
            for u in rows] == [("a", "A"), ("b", False), ("c", "C")]


def test_words_no_part_holds_are_reported():
    root = document('<div type="original"><p>Eins.</p></div><div type="translation"><p>One.</p></div>')
    reading = read(root)
    reading.after, reading.paragraphs = [], [("", [reading.units[0].__class__(reading.units[0].original, None)])]
    assert [text for _, text in unplaced_words(root, reading)] == ["One."]


def test_units_pointing_into_another_div_make_it_the_original():
    root = document('<div xml:lang="la"><ab xml:id="a1">Gallia est omnis divisa.</ab><ab xml:id="a2">In partes tres.</ab></div>'
                    '<div xml:lang="en"><ab corresp="#a1">All Gaul is divided.</ab><ab corresp="#a2">Into three parts.</ab></div>')
    reading = read(root)
    assert (reading.encoding, reading.alignment, reading.lang, reading.translation_lang) == \
        ("div/@corresp", "pointers", "la", "en")
    assert [words(u.translation) for u in reading.units] == ["All Gaul is divided.", "Into three parts."]


def test_a_source_text_and_a_translation_text_inside_the_outer_text_are_set_side_by_side():
    """TEI Publisher's Dantiscus letters: text[@type='source'] and text[@type='translation'] inside the outer
    <text>, divisions straight under each (no body); the translation's language is its own xml:lang."""
    root = etree.fromstring(
        f'<TEI xmlns="{TEI}"><teiHeader><profileDesc><langUsage><language ident="es">Spanish</language>'
        '<language ident="pl">Polish</language></langUsage></profileDesc></teiHeader><text>'
        '<text type="translation" xml:lang="pl"><div><p><seg>Dostałem list.</seg><seg>Dziękuję.</seg></p></div>'
        '<div type="notes"><note>Uwaga tłumacza.</note></div></text>'
        '<text type="source" xml:lang="es"><div><p><seg>Recibí la carta.</seg><seg>Gracias.</seg></p></div></text>'
        '</text></TEI>')
    reading = read(root)
    assert (reading.encoding, reading.unit, reading.lang, reading.translation_lang) == \
        ("text[@type='source'] + text[@type='translation']", "seg", "es", "pl")
    assert [(u.original is not None and words(u.original), u.translation is not None and words(u.translation))
            for u in reading.units] == [("Recibí la carta.", "Dostałem list."), ("Gracias.", "Dziękuję."),
                                        (False, "Uwaga tłumacza.")]
    assert unplaced_words(root, reading) == []


def test_our_own_sources_leave_no_text_unplaced():
    """The house apparatus (back/div[@type='apparatus']) is shown on the apparatus page, not lost."""
    for path in sorted((ROOT / "tei" / "sources").glob("*.xml")):
        root = parse_file(path).getroot()
        reading = read(root)
        assert reading.elsewhere, path.name
        assert unplaced_words(root, reading) == [], path.name
