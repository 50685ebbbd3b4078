"""Kept fragments of corpus-wide pages (edition/html/kept.py) and the corpus-wide pages kept
by what they read (html/pages.py: SiteWriter.data_key): a fragment is taken only where the
page's renderer state lets it be, a damaged one is made again, and after edits of each kind
an incremental build is byte for byte a clean one."""
from __future__ import annotations

import json

from lxml import etree

from edition.html import kept
from edition.model import web_renderer
from edition.pipeline.cache import _signature
from edition.pipeline.parts import PartCache
from tests.pipeline.test_cache import _edit, edition  # noqa: F401 - the fixture
from tests.pipeline.test_parts import _clean_copy, _same_tree

KEY = "a" * 64
SNIPPET = etree.fromstring(
    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>on <date when="1939-05-29">29 May</date> and'
    ' <date when="1939-05-30">30 May</date></p></body></text></TEI>').find(".//{http://www.tei-c.org/ns/1.0}p")


def _renderer(edition):
    return web_renderer(edition)


def test_a_fragment_is_taken_only_where_its_journal_replays(edition, tmp_path):
    render = _renderer(edition)
    cache = PartCache(tmp_path)
    made = []

    def make():
        made.append(1)
        return render(SNIPPET)

    first = kept.take(cache, render, KEY, make)  # made on a fresh page
    assert "alt-1" in first and "alt-2" in first and len(made) == 1
    # a fresh page again: taken, and the page's state moves on as if it had been made
    render.new_page()
    assert kept.take(cache, render, KEY, make) == first and len(made) == 1
    after_taken = render(SNIPPET)
    render.new_page()
    render(SNIPPET)
    assert after_taken == render(SNIPPET)  # what the second rendering on one page gives: alt-3, alt-4
    assert "alt-3" in after_taken
    # a page on which the numbers have moved: the kept fragment would repeat alt-1: made again
    render.new_page()
    render(SNIPPET)
    again = kept.take(cache, render, KEY, make)
    assert len(made) == 2 and "alt-3" in again and "alt-1" not in again
    assert cache.counts()["fragment"] == (1, 2)  # found but not replayable counts as made, not taken


def test_a_damaged_or_foreign_fragment_is_made_again(edition, tmp_path):
    render = _renderer(edition)
    cache = PartCache(tmp_path)
    for payload in (b"not json", b'{"html": 3, "journal": []}', b'{"html": "x", "journal": [[0, "a", 5]]}',
                    b'{"html": "x"}'):
        cache.put("fragment", KEY, payload)  # a sound entry of the cache, but not a fragment's shape
        render.new_page()
        assert kept.take(cache, render, KEY, lambda: "made") == "made"


def test_without_a_cache_or_a_journal_the_fragment_is_made(edition, tmp_path):
    render = _renderer(edition)
    assert kept.take(None, render, KEY, lambda: "made") == "made"
    assert kept.take(PartCache(tmp_path), lambda element: "", KEY, lambda: "made") == "made"


def _page(edition, name: str) -> bytes:
    return (edition.build_dir / "html" / name).read_bytes()


def test_after_each_kind_of_edit_an_incremental_build_is_a_clean_build(edition, tmp_path):
    """Edits that change what a kept corpus-wide page or fragment shows: each is built
    incrementally and compared with a clean build of the same files, file by file."""
    from edition.build import build
    built = "2026-12-01 12:00 UTC"
    build(edition, html=True, pdf=False, built=built)
    sources = edition.root / "tei" / "sources"
    edits = [
        # a generated id earlier on the apparatus page: the later sources' fragments no longer replay
        ("an alternate in the first source's note", sources / "th-khalkhin-gol.xml",
         "The edition gives its account of Zhukov's arrival once",
         '<date when="1939-01-01">1 January 1939</date> The edition gives its account of Zhukov\'s arrival once',
         "apparatus.html"),
        # a name's words in a sentence: its register entry's occurrences
        ("a name's words", sources / "pl-khasan.xml", '<persName ref="per:lyushkov">Łuszkow</persName>',
         '<persName ref="per:lyushkov">Łuszkowa</persName>', "persons.html"),
        # a sentence narrating an event: the synopsis
        ("a sentence on an event", sources / "pl-khasan.xml", "konflikt rozpoczął się nad",
         "konflikt wybuchł nad", "synopsis.html"),
        # a figure: the synopsis's figures compared
        ("a figure", sources / "pl-khasan.xml", '<num type="troops" value="11">jedenastu</num>',
         '<num type="troops" value="12">dwunastu</num>', "synopsis.html"),
        # what every page shows of a source: its title
        ("a source's title", sources / "es-khalkhin-gol.xml", "<title>", "<title>Retitled ", "timeline.html"),
    ]
    for number, (label, path, old, new, page) in enumerate(edits):
        before = _page(edition, page)
        unchanged = edition.build_dir / "html" / "bibliography.html"
        inode, data = unchanged.stat().st_ino, unchanged.read_bytes()
        _edit(path, old, new)
        result = build(edition, html=True, pdf=False, built=built)
        assert _page(edition, page) != before, label
        if unchanged.read_bytes() == data:  # a page made with the same bytes is not moved in: the old file stays
            assert unchanged.stat().st_ino == inode, label
        else:
            assert label == "a source's title"
        # the stamp made without walking build/html (build.signature_after_sync) is what a walk gives
        stamp = json.loads((edition.build_dir / ".cache" / "html.stamp").read_text("utf-8"))
        assert stamp["files"] == _signature(edition.build_dir / "html"), label
        clean = _clean_copy(edition, tmp_path / f"clean-{number}", built)
        assert _same_tree(edition.build_dir / "html", clean) == [], label
        if number == 0:  # the first source's fragment made, and the three after it too (their alt-N moved)
            assert result.parts["fragment"] == (0, 4)
        elif label == "a source's title":  # every page's navigation names it: nothing kept
            assert result.parts["page"][0] == 0
        else:
            assert result.parts["page"][0] > 0, label  # some pages kept: the build was incremental


def test_compiled_templates_are_kept_and_a_changed_template_is_compiled_again(tmp_path, monkeypatch):
    """html/pages.py KeptTemplates: Jinja's bytecode in the user's cache folder, checked against
    the template's source; a damaged entry is discarded (the parts cache's digest)."""
    from jinja2 import Environment, FileSystemLoader
    from edition.html.pages import kept_templates
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user"))
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "t.html").write_text("one {{ x }}", "utf-8")

    def render() -> str:
        kept = kept_templates()
        return Environment(loader=FileSystemLoader(folder), bytecode_cache=kept).get_template("t.html").render(x=1)
    assert render() == "one 1"
    entries = list((tmp_path / "user" / "edition" / "templates" / "template").iterdir())
    assert len(entries) == 1
    assert render() == "one 1"  # from the kept bytecode
    (folder / "t.html").write_text("two {{ x }}", "utf-8")
    assert render() == "two 1"  # the kept bytecode is of another source: compiled again
    for entry in (tmp_path / "user" / "edition" / "templates" / "template").iterdir():
        entry.write_bytes(entry.read_bytes()[:-3] + b"bad")  # damaged: its digest no longer holds
    assert render() == "two 1"
    monkeypatch.setenv("EDITION_TEMPLATE_CACHE", "off")
    assert kept_templates() is None


def test_a_split_editions_incremental_build_is_a_clean_build(tmp_path):
    """Above MANY_SOURCES the kept pages are the sources' index, each event's synopsis pages,
    each entry's occurrence pages and each source's apparatus page: after an edit of a name
    in a sentence on an event, the incremental build is byte for byte a clean one."""
    import importlib.util
    from edition import Edition
    from edition.build import build
    from edition.html.pages import MANY_SOURCES
    from tests.conftest import ROOT
    spec = importlib.util.spec_from_file_location("scale", ROOT / "bench" / "scale.py")
    scale = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale)
    root = scale.generate(tmp_path / "large", MANY_SOURCES + 4)
    edition = Edition.at(root)
    built = "2026-12-01 12:00 UTC"
    build(edition, html=True, pdf=False, built=built)
    html = edition.build_dir / "html"
    occurrences = html / "persons-lyushkov.html"
    before = occurrences.read_bytes()
    copy = sorted((root / "tei" / "sources").glob("pl-khasan-c*.xml"))[0]
    _edit(copy, '<persName ref="per:lyushkov">Łuszkow</persName>', '<persName ref="per:lyushkov">Łuszkowa</persName>')
    result = build(edition, html=True, pdf=False, built=built)
    assert occurrences.read_bytes() != before
    assert result.parts["page"][0] > result.parts["page"][1] > 1  # most pages kept; the edited ones made
    assert _same_tree(html, _clean_copy(edition, tmp_path / "clean", built)) == []


def test_a_sources_text_exports_are_taken_from_the_parts_as_made(edition, monkeypatch):
    """html/exports.py: the Markdown (with the version's date) and plain texts of a source, kept
    with the build time's placeholder and stamped file by file, are what making them gives."""
    from edition.corpus import Corpus
    from edition.html import exports
    from edition.html.collect import collect
    from edition.pipeline.parts import site_parts
    built = "2026-12-01 12:00 UTC"
    view = collect(Corpus.load(edition))
    parts = site_parts(edition, edition.build_dir, built)
    made = []
    texts = exports.texts
    monkeypatch.setattr(exports, "texts", lambda *a: made.append(a[1].id) or texts(*a))
    first = {s.id: exports.kept_texts(view, s, built, parts) for s in view.sources}
    later = "2026-12-02 08:07 UTC"
    again = {s.id: exports.kept_texts(view, s, later, site_parts(edition, edition.build_dir, later))
             for s in view.sources}
    assert sorted(made) == sorted(s.id for s in view.sources)  # made once each, then taken
    for source in view.sources:
        assert first[source.id] == texts(view, source, built)
        assert again[source.id] == texts(view, source, later)
        assert any("2026-12-02" in text for text in again[source.id].values())
