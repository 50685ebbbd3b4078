"""The editing commands: thin faces over edition/edit/, with the CLI's exit codes."""
from __future__ import annotations

from click.testing import CliRunner

from edition.cli import main
from tests.edit.conftest import edition_copy  # noqa: F401 - fixture
from tests.edit.support import changed_lines, commit


def run(edition, *args):
    return CliRunner().invoke(main, ["--root", str(edition.root), *args])


def test_tag_review_confirm_reject_and_undo_from_the_command_line(edition_copy):  # noqa: F811
    result = run(edition_copy, "tag", "es-khalkhin-gol-s7", "retaguardia", "org:kwantung-army", "--dry-run")
    assert result.exit_code == 0 and "+" in result.output and changed_lines(edition_copy.root) == []
    result = run(edition_copy, "tag", "es-khalkhin-gol-s7", "retaguardia", "per:stalim")
    assert result.exit_code == 1 and "did you mean per:stalin?" in result.output
    assert run(edition_copy, "retag", "es-khalkhin-gol-s4/2", "--remove").exit_code == 0
    assert run(edition_copy, "retag", "es-khalkhin-gol-s6/0", "--remove").exit_code == 0
    report = run(edition_copy, "annotate", "--report", "es-khalkhin-gol")
    assert "persName" in report.output and "machine" not in "".join(changed_lines(edition_copy.root))
    commit(edition_copy.root)
    run(edition_copy, "annotate", "es-khalkhin-gol")
    review = run(edition_copy, "review")
    addresses = [line.split(": ")[1] for line in review.output.splitlines() if line.startswith("tei/")]
    assert len(addresses) == 2
    assert run(edition_copy, "confirm", addresses[0]).exit_code == 0
    assert run(edition_copy, "reject", addresses[1]).exit_code == 0
    assert "nothing new" in run(edition_copy, "annotate", "es-khalkhin-gol").output
    assert "undid: reject" in run(edition_copy, "undo").output


def test_a_translation_file_with_the_wrong_count_is_refused(edition_copy, tmp_path):  # noqa: F811
    lines = tmp_path / "en.txt"
    lines.write_text("one\ntwo\n", encoding="utf-8")
    result = run(edition_copy, "translate", "import", "pl-khasan", str(lines))
    assert result.exit_code == 2 and "has 2 line(s) but pl-khasan has" in result.output
    assert changed_lines(edition_copy.root) == []
