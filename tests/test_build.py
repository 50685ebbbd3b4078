"""`edition build`: check first, and a failed build loses nothing."""
import pytest
from click.testing import CliRunner

from edition import api
from edition.build import swap_in
from edition.cli import main
from edition.diagnostics import InvalidEdition
from tests.conftest import seed_path


def test_an_invalid_edition_is_not_built_and_the_last_build_survives(scratch_edition):
    api.import_source(scratch_edition, seed_path("pl-khasan"), "pl", "pl-khasan")
    previous = scratch_edition.build_dir / "html" / "index.html"
    previous.parent.mkdir(parents=True)
    previous.write_text("the last good build", "utf-8")
    source = scratch_edition.source_path("pl-khasan")
    broken = source.read_text("utf-8").replace('<s xml:id="pl-khasan-s2">', '<s xml:id="pl-khasan-s1">')
    source.write_text(broken, "utf-8")
    result = CliRunner().invoke(main, ["--root", str(scratch_edition.root), "build"])
    assert result.exit_code == 1
    assert "unique-id" in result.output and "nothing was built" in result.output
    assert previous.read_text("utf-8") == "the last good build"
    assert source.read_text("utf-8") == broken


def test_strict_build_refuses_warnings(scratch_edition):
    api.import_source(scratch_edition, seed_path("zh-nomonhan"), "zh", "zh")
    with pytest.raises(InvalidEdition) as caught:
        api.build(scratch_edition, html=False, pdf=False, strict=True)
    assert any(d.rule == "translation" for d in caught.value.diagnostics)


def test_swap_in_replaces_the_old_output_whole(tmp_path):
    old, new = tmp_path / "html", tmp_path / ".new"
    old.mkdir()
    (old / "stale.html").write_text("old", "utf-8")
    new.mkdir()
    (new / "index.html").write_text("new", "utf-8")
    swap_in(new, old)
    assert sorted(p.name for p in old.iterdir()) == ["index.html"]
    assert not new.exists() and not (tmp_path / ".html.old").exists()
