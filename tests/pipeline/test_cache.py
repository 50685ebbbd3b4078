"""The build cache (edition/pipeline/): an output is reused only when every
input it is made from is byte for byte the same, and an entry that is
corrupt, tampered with or from elsewhere is thrown away, never used."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from edition import Edition, api
from edition.diagnostics import Diagnostic, Report
from edition.pipeline import inputs
from edition.pipeline.cache import MANIFEST, OutputCache
from edition.pipeline.inputs import output_key
from tests.conftest import ROOT


@pytest.fixture
def edition(tmp_path) -> Edition:
    shutil.copytree(ROOT / "tei", tmp_path / "tei")
    shutil.copytree(ROOT / "styles", tmp_path / "styles")
    if (ROOT / "node_modules").is_dir():
        (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    return Edition.at(tmp_path)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


# --- every kind of input is part of the key ------------------------------------------
KINDS = {
    "a source": ("tei/sources/pl-khasan.xml", "</TEI>", "<!-- edited --></TEI>"),
    "a register": ("tei/registers/persons.xml", "</TEI>", "<!-- edited --></TEI>"),
    "the bibliography": ("tei/bibliography.xml", "</TEI>", "<!-- edited --></TEI>"),
    "edition.xml": ("tei/edition.xml", "</TEI>", "<!-- edited --></TEI>"),
    "a style file": ("styles/css/site.css", "", "/* edited */\n"),
    "a template": ("styles/templates/base.html", "", "{# edited #}\n"),
    "the ODD": ("styles/edition.odd", "</TEI>", "<!-- edited --></TEI>"),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_change_to_any_input_changes_every_outputs_key(edition, kind):
    relative, old, new = KINDS[kind]
    before = {name: output_key(edition, name) for name in ("html", "pdf", "epub", "check")}
    path = edition.root / relative
    if old:
        _edit(path, old, new)
    else:
        path.write_text(new + path.read_text("utf-8"), "utf-8")
    after = {name: output_key(edition, name) for name in before}
    assert all(before[name] != after[name] for name in before), kind


def test_an_added_or_removed_file_changes_the_key(edition):
    before = output_key(edition, "html")
    extra = edition.root / "styles" / "css" / "extra.css"
    extra.write_text("p {}", "utf-8")
    added = output_key(edition, "html")
    extra.unlink()
    (edition.root / "tei" / "registers" / "events.xml").unlink()
    removed = output_key(edition, "html")
    assert len({before, added, removed}) == 3


def test_the_package_version_and_code_are_inputs(edition, monkeypatch):
    before = output_key(edition, "html")
    inputs.package_digest.cache_clear()
    monkeypatch.setattr(inputs, "__version__", "99.0")
    try:
        assert output_key(edition, "html") != before
    finally:
        inputs.package_digest.cache_clear()
    assert output_key(edition, "html", package="another build of the code") != before


def test_the_maps_atlas_is_an_input(edition):
    from edition.html.geography import PACKAGE
    before = output_key(edition, "html")
    if (edition.root / "node_modules").is_symlink():  # never write into the project's own node_modules
        (edition.root / "node_modules").unlink()
    atlas = edition.root.joinpath(*PACKAGE)
    atlas.mkdir(parents=True, exist_ok=True)
    (atlas / "countries-50m.json").write_text('{"changed": true}', "utf-8")
    assert output_key(edition, "html") != before


def test_touching_a_file_without_changing_it_keeps_the_key(edition):
    before = output_key(edition, "html")
    path = edition.root / "tei" / "sources" / "pl-khasan.xml"
    path.write_bytes(path.read_bytes())
    assert output_key(edition, "html") == before


# --- entries are verified before use --------------------------------------------------------
@pytest.fixture
def stored(tmp_path):
    tree = tmp_path / "out"
    (tree / "sub").mkdir(parents=True)
    (tree / "index.html").write_text("<p>the page</p>", "utf-8")
    (tree / "sub" / "data.json").write_text("{}", "utf-8")
    cache = OutputCache(tmp_path / "build")
    cache.store("html", "k" * 64, tree)
    return cache, cache.folder / "html" / ("k" * 64)


def test_a_sound_entry_is_restored_whole(stored, tmp_path):
    cache, _ = stored
    assert cache.restore("html", "k" * 64, tmp_path / "into")
    assert (tmp_path / "into" / "index.html").read_text("utf-8") == "<p>the page</p>"
    assert (tmp_path / "into" / "sub" / "data.json").exists()
    assert not (tmp_path / "into" / MANIFEST).exists()


def _tamper_content(entry):
    (entry / "index.html").write_text("<p>planted</p>", "utf-8")


def _truncate_manifest(entry):
    path = entry / MANIFEST
    path.write_bytes(path.read_bytes()[:20])


def _add_a_file(entry):
    (entry / "extra.js").write_text("alert(1)", "utf-8")


def _remove_a_file(entry):
    (entry / "sub" / "data.json").unlink()


def _link_out(entry):
    (entry / "index.html").unlink()
    (entry / "index.html").symlink_to("/etc/hostname")


def _foreign(entry):  # an entry of another key (another edition, another version) renamed into place
    manifest = json.loads((entry / MANIFEST).read_text("utf-8"))
    manifest["key"] = "f" * 64
    (entry / MANIFEST).write_text(json.dumps(manifest), "utf-8")


def _old_format(entry):
    manifest = json.loads((entry / MANIFEST).read_text("utf-8"))
    manifest["format"] = "edition-cache-0"
    (entry / MANIFEST).write_text(json.dumps(manifest), "utf-8")


def _escaping_path(entry):
    manifest = json.loads((entry / MANIFEST).read_text("utf-8"))
    manifest["files"]["../../outside"] = manifest["files"].pop("index.html")
    (entry / MANIFEST).write_text(json.dumps(manifest), "utf-8")


@pytest.mark.parametrize("damage", [_tamper_content, _truncate_manifest, _add_a_file, _remove_a_file,
                                    _link_out, _foreign, _old_format, _escaping_path])
def test_a_damaged_or_foreign_entry_is_discarded_never_used(stored, tmp_path, damage):
    cache, entry = stored
    damage(entry)
    assert not cache.restore("html", "k" * 64, tmp_path / "into")
    assert not (tmp_path / "into").exists()
    assert not entry.exists(), "the bad entry is removed"
    assert cache.discarded


def test_a_damaged_check_report_is_discarded(tmp_path):
    cache = OutputCache(tmp_path / "build")
    report = Report([Diagnostic("tei/x.xml", 3, 4, "rule", "a warning", "warning")])
    cache.keep_report("r" * 64, report, ["pl-khasan: 39 sentences"])
    restored, found = cache.report("r" * 64)
    assert restored.diagnostics == report.diagnostics and found == ["pl-khasan: 39 sentences"]
    path = cache.folder / "check" / ("r" * 64 + ".json")
    data = json.loads(path.read_text("utf-8"))
    data["diagnostics"] = []  # a report with its warnings removed
    path.write_text(json.dumps(data), "utf-8")
    assert cache.report("r" * 64) is None and not path.exists()
    path.write_text("{not json", "utf-8")
    assert cache.report("r" * 64) is None and not path.exists()


# --- the build uses it -------------------------------------------------------------------------------
def test_an_edit_is_built_and_an_unchanged_build_comes_from_the_cache(edition):
    first = api.build(edition, html=True, pdf=False)
    assert first.cached == []
    page = edition.build_dir / "html" / "pl-khasan.html"
    assert "Chasan" in page.read_text("utf-8")
    again = api.build(edition, html=True, pdf=False)
    assert again.cached == ["html"]
    _edit(edition.root / "tei" / "sources" / "pl-khasan.xml", "Chasan", "Chasanu-EDITED")
    edited = api.build(edition, html=True, pdf=False)
    assert edited.cached == []
    assert "Chasanu-EDITED" in page.read_text("utf-8")
    assert edited.parts["page"][1] > 0  # the edited source's page was made again
    # the edit undone: the parts of the build before are still kept, and are used (the site is
    # kept in parts, not whole: nothing of it is made again)
    _edit(edition.root / "tei" / "sources" / "pl-khasan.xml", "Chasanu-EDITED", "Chasan")
    undone = api.build(edition, html=True, pdf=False)
    assert undone.parts["page"][1] == 0 and undone.parts["page"][0] > 0 and "Chasanu-EDITED" not in page.read_text("utf-8")
    # a page edited by hand in build/html is not "up to date": the site is made again
    page.write_text("edited by hand", "utf-8")
    assert api.build(edition, html=True, pdf=False).cached == []
    assert "Chasan" in page.read_text("utf-8")
    # a tampered part is discarded and the page made afresh
    for entry in (edition.build_dir / ".cache" / "parts" / "page").iterdir():
        entry.write_bytes(entry.read_bytes().replace(b"Chasan", b"planted"))
    page.write_text("edited by hand again", "utf-8")
    rebuilt = api.build(edition, html=True, pdf=False)
    assert rebuilt.cached == [] and "Chasan" in page.read_text("utf-8")
    assert "planted" not in page.read_text("utf-8")
