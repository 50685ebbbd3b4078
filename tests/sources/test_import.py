"""Import is lossless: the TEI's original reading equals the received text."""
import pytest
from hypothesis import given, settings, strategies as st
from lxml import etree

from edition.diagnostics import InvalidEdition
from edition.sources.importer import import_text
from edition.sources.reading import original_text
from edition.xmlio import NS, parse_bytes
from tests.conftest import SEEDS, seed_path

ALPHABETS = {
    "th": "กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอฮะาิีึืุูเแโใไ่้๊๋็์ๆฯ",
    "zh": "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年五月日。，！？“”",
    "pl": "aąbcćdeęfghijklłmnńoóprsśtuwyzźżAĄBCĆDEĘŁŃÓŚŹŻ",
    "es": "aábcdeéfghiíjlmnñoópqrstuúüvxyzÁÉÍÑÓÚ¿¡",
}
PUNCTUATION = " .,;:!?[]()0123456789\"'«»…-–\t\r&<>"


def texts(lang):
    return st.text(alphabet=ALPHABETS[lang] + PUNCTUATION + "\n", max_size=300)


@pytest.mark.parametrize("lang", sorted(ALPHABETS))
def test_import_of_generated_text_is_lossless(lang):
    @settings(max_examples=60, deadline=None)
    @given(texts(lang))
    def round_trip(text):
        tree = parse_bytes(import_text(text, lang, "gen"))
        assert original_text(tree.getroot()) == text
    round_trip()


@pytest.mark.parametrize("source_id", sorted(SEEDS))
def test_import_of_each_seed_is_lossless_and_marks_up_sentences(source_id):
    text = seed_path(source_id).read_text("utf-8")
    tree = parse_bytes(import_text(text, SEEDS[source_id][1], source_id))
    assert original_text(tree.getroot()) == text
    sentence_ids = tree.xpath("//tei:s/@xml:id", namespaces=NS)
    assert sentence_ids[0] == f"{source_id}-s1"
    assert len(set(sentence_ids)) == len(sentence_ids) > 10


def test_citation_numbers_become_ref_elements():
    tree = parse_bytes(import_text("Texto.[15] Otro texto.[16]", "es", "x"))
    refs = tree.xpath("//tei:ref[@type='citation']", namespaces=NS)
    assert [(r.get("n"), r.text) for r in refs] == [("15", "[15]"), ("16", "[16]")]


def test_header_describes_the_text_as_received():
    tree = parse_bytes(import_text("Hola.", "es", "x", title="Un título", source_name="a.txt"))
    header = tree.find("{*}teiHeader")
    assert header.findtext(".//{*}titleStmt/{*}title") == "Un título"
    assert header.find(".//{*}langUsage/{*}language[@ident='es']") is not None
    assert "a.txt" in "".join(header.find(".//{*}sourceDesc").itertext())
    for part in ("editorialDecl", "revisionDesc", "publicationStmt"):
        assert header.find(f".//{{*}}{part}") is not None


def test_text_that_xml_cannot_carry_is_refused_with_its_position():
    with pytest.raises(InvalidEdition) as caught:
        import_text("bien\nmal\x01o", "es", "x", source_name="in.txt")
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.path, diagnostic.line, diagnostic.column, diagnostic.rule) == ("in.txt", 2, 4, "import-char")


def test_corrections_and_notes_are_not_part_of_the_original_reading():
    xml = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body><div type="original">'
           '<p><s>W marcu <choice><sic>zatopili</sic><corr>nie zatopili</corr></choice> '
           'nic.<note>uwaga</note></s></p></div></body></text></TEI>')
    assert original_text(etree.fromstring(xml)) == "W marcu zatopili nic."
