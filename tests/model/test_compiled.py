"""Compiled ODDs kept between runs (edition/model/compiled.py): used when nothing changed, never trusted otherwise."""
from __future__ import annotations

import os

import pytest
from model_helpers import EDITION_ODD, FIXTURE_TEI, fixture
from test_odd import write_odd

from edition.model import compiled, load_odd, render_file
from edition.model import odd as odd_module


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A cache folder of this test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("EDITION_ODD_CACHE", raising=False)
    return tmp_path / "xdg" / "edition" / "odd"


def entries(folder):
    return sorted(p for p in folder.iterdir() if not p.name.startswith(("text-", ".")))


def compiles(monkeypatch) -> list:
    """Count the ODD compilations (Loader.load calls) from here on."""
    calls = []
    real = odd_module.Loader.load

    def counted(self, path):
        calls.append(path)
        return real(self, path)
    monkeypatch.setattr(odd_module.Loader, "load", counted)
    return calls


def test_a_second_load_is_taken_from_the_cache_and_renders_the_same_page(cache, monkeypatch, tmp_path):
    document = fixture("tei", FIXTURE_TEI[2])  # yasna: apparatus, constructors, lazily compiled XPath
    monkeypatch.setenv("EDITION_ODD_CACHE", "off")
    fresh = render_file(document, EDITION_ODD)
    monkeypatch.delenv("EDITION_ODD_CACHE")
    calls = compiles(monkeypatch)
    render_file(document, EDITION_ODD)  # compiles, and keeps the model
    assert len(calls) == 1 and len(entries(cache)) == 1
    assert oct(cache.stat().st_mode & 0o777) == "0o700"
    again = render_file(document, EDITION_ODD)
    assert len(calls) == 1, "the kept model was compiled again"
    assert again == fresh


def test_a_change_to_the_odd_or_an_inherited_odd_compiles_it_again(cache, monkeypatch, tmp_path):
    write_odd(tmp_path, "base.odd", '<elementSpec ident="p"><model behaviour="paragraph"/></elementSpec>')
    child = write_odd(tmp_path, "child.odd", '<elementSpec ident="hi"><model behaviour="inline"/></elementSpec>',
                      source="base")
    assert load_odd(child).entries("p", "web")[0].behaviour == "paragraph"
    write_odd(tmp_path, "base.odd", '<elementSpec ident="p"><model behaviour="block"/></elementSpec>')
    assert load_odd(child).entries("p", "web")[0].behaviour == "block"
    write_odd(tmp_path, "child.odd", '<elementSpec ident="hi"><model behaviour="block"/></elementSpec>',
              source="base")
    assert load_odd(child).entries("hi", "web")[0].behaviour == "block"


def test_a_parent_appearing_where_it_is_looked_for_first_is_seen(cache, tmp_path):
    library, work = tmp_path / "library", tmp_path / "work"
    library.mkdir()
    work.mkdir()
    write_odd(library, "base.odd", '<elementSpec ident="p"><model behaviour="paragraph"/></elementSpec>')
    child = write_odd(work, "child.odd", '<elementSpec ident="hi"><model behaviour="inline"/></elementSpec>',
                      source="base")
    assert load_odd(child, search_path=[library]).entries("p", "web")[0].behaviour == "paragraph"
    write_odd(work, "base.odd", '<elementSpec ident="p"><model behaviour="block"/></elementSpec>')  # beside it
    assert load_odd(child, search_path=[library]).entries("p", "web")[0].behaviour == "block"


@pytest.mark.parametrize("damage", ["flip", "truncate", "foreign", "empty"])
def test_a_damaged_or_foreign_entry_is_deleted_and_the_odd_compiled_again(cache, monkeypatch, damage):
    expected = [m.behaviour for m in load_odd(EDITION_ODD).models_in_order]
    (entry,) = entries(cache)
    data = entry.read_bytes()
    entry.write_bytes({"flip": data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:], "truncate": data[:len(data) // 2],
                       "foreign": b"\x80\x04K\x01.", "empty": b""}[damage])
    calls = compiles(monkeypatch)
    assert [m.behaviour for m in load_odd(EDITION_ODD).models_in_order] == expected
    assert len(calls) == 1
    assert entry.read_bytes() != b"" and compiled.load(entry.name) is not None  # kept anew, whole


def test_a_folder_others_may_write_is_not_used(cache, monkeypatch):
    cache.mkdir(parents=True)
    cache.chmod(0o777)
    calls = compiles(monkeypatch)
    load_odd(EDITION_ODD)
    load_odd(EDITION_ODD)
    assert len(calls) == 2 and not list(cache.iterdir())


def test_odd_problems_are_not_kept_and_warnings_come_back_from_the_cache(cache, tmp_path):
    broken = write_odd(tmp_path, "broken.odd", '<elementSpec ident="p"><model behaviour="sparkle"/></elementSpec>'
                                               '<elementSpec ident="hi"><model behaviour="inline"/></elementSpec>')
    first = load_odd(broken).warnings
    assert [d.rule for d in first] == ["odd-behaviour"]
    assert load_odd(broken).warnings == first
    from edition.diagnostics import InvalidEdition
    with pytest.raises(InvalidEdition):
        load_odd(broken, strict=True)  # strict is part of the key: the warning is an error here


def test_the_code_digest_changes_with_a_source_file_s_size_or_time(tmp_path, monkeypatch):
    """A changed model source (as an upgrade or an edit leaves it) is new code: ODDs are compiled again."""
    folder = tmp_path / "edition"
    (folder / "model" / "behaviours").mkdir(parents=True)
    source = folder / "model" / "behaviours" / "html.py"
    source.write_text("x = 1\n")
    for name in ("safety.py", "xmlio.py", "diagnostics.py"):
        (folder / name).write_text("")
    monkeypatch.setattr(compiled, "EDITION", folder)

    def digest():
        compiled.code_digest.cache_clear()
        return compiled.code_digest()
    first = digest()
    assert digest() == first
    (folder / "model" / "__pycache__").mkdir()
    (folder / "model" / "__pycache__" / "html.cpython-311.pyc").write_bytes(b"\0")
    (folder / "model" / "notes.txt").write_text("not code")
    assert digest() == first
    source.write_text("x = 22\n")
    assert digest() != first
    changed = digest()
    stat = source.stat()
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert digest() != changed
    compiled.code_digest.cache_clear()


def test_the_odd_s_cleaned_stylesheet_comes_with_the_kept_model(cache, monkeypatch):
    """A page takes the ODD's CSS cleaned once, at compile time: from the cache, as when it was made."""
    from edition.safety import clean_stylesheet
    odd = fixture("odd", "vangogh.odd")
    model = load_odd(odd)
    assert model.css and model.stylesheet == clean_stylesheet(model.css)
    compiled._REMEMBERED.clear()
    calls = compiles(monkeypatch)
    kept = load_odd(odd)
    assert not calls, "the model was compiled again"
    assert kept.stylesheet == model.stylesheet
    assert compiled._REMEMBERED[(clean_stylesheet, kept.css)] == model.stylesheet
