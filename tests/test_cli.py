"""The `edition` command as a user meets it: help, exit codes, messages."""
import subprocess
import sys

from click.testing import CliRunner

from edition import __version__
from edition.cli import main
from tests.conftest import seed_path


def run(edition, *args):
    return CliRunner().invoke(main, ["--root", str(edition.root), *args], catch_exceptions=False)


def test_help_lists_every_command():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("import", "text", "check"):
        assert command in result.output


def test_version_is_the_package_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_import_then_text_reproduces_the_seed_byte_for_byte(scratch_edition):
    seed = seed_path("pl-khasan")
    assert run(scratch_edition, "import", str(seed), "--lang", "pl", "--id", "pl-khasan").exit_code == 0
    result = CliRunner().invoke(main, ["--root", str(scratch_edition.root), "text", "pl-khasan"])
    assert result.stdout_bytes == seed.read_bytes()


def test_import_refuses_to_overwrite_an_edited_source(scratch_edition):
    seed = seed_path("es-khalkhin-gol")
    run(scratch_edition, "import", str(seed), "--lang", "es", "--id", "es")
    target = scratch_edition.source_path("es")
    target.write_text(target.read_text("utf-8").replace("Soldados", "Soldados"), "utf-8")
    before = target.read_bytes()
    result = run(scratch_edition, "import", str(seed), "--lang", "es", "--id", "es")
    assert result.exit_code == 2 and "exists" in result.output
    assert target.read_bytes() == before


def test_import_of_text_xml_cannot_carry_writes_nothing(scratch_edition, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes("línea uno\nlínea\x02 dos\n".encode())
    result = run(scratch_edition, "import", str(bad), "--lang", "es", "--id", "bad")
    assert result.exit_code == 1
    assert "bad.txt:2:6: import-char: U+0002 cannot appear in XML text" in result.output
    assert not scratch_edition.source_path("bad").exists()


def test_import_of_a_file_that_is_not_utf8_is_refused(scratch_edition, tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("uno\ndós".encode("latin-1"))
    result = run(scratch_edition, "import", str(bad), "--lang", "es", "--id", "l1")
    assert result.exit_code == 1 and "latin1.txt:2:1: import-encoding" in result.output


def test_check_exits_1_and_prints_every_problem_with_its_position(scratch_edition):
    (scratch_edition.sources_dir / "a.xml").write_text("<TEI>\n<p>\n</TEI>", "utf-8")
    (scratch_edition.sources_dir / "b.xml").write_text("<TEI><p></TEI>", "utf-8")
    result = run(scratch_edition, "check", "--no-tei-all")
    assert result.exit_code == 1
    assert "a.xml:3:" in result.output and "b.xml:1:" in result.output
    assert "well-formed" in result.output and "Traceback" not in result.output


def test_check_of_a_clean_edition_exits_0(scratch_edition):
    run(scratch_edition, "import", str(seed_path("zh-nomonhan")), "--lang", "zh", "--id", "zh")
    result = run(scratch_edition, "check", "--no-tei-all")
    assert result.exit_code == 0, result.output
    assert run(scratch_edition, "check", "--no-tei-all", "--strict").exit_code == 1  # untranslated


def test_text_of_an_unknown_source_is_a_usage_error(scratch_edition):
    result = run(scratch_edition, "text", "nope")
    assert result.exit_code == 2 and "no source 'nope'" in result.output


def test_the_installed_command_runs_as_a_module():
    result = subprocess.run([sys.executable, "-m", "edition", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "Usage" in result.stdout


def test_written_files_get_ordinary_permissions(scratch_edition):
    run(scratch_edition, "import", str(seed_path("es-khalkhin-gol")), "--lang", "es", "--id", "es")
    assert scratch_edition.source_path("es").stat().st_mode & 0o044 == 0o044  # readable by others


def test_rendering_to_a_device_writes_through_and_leaves_it_a_device(tmp_path):
    import os
    import stat
    from edition.xmlio import write_atomic
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_atomic(fifo, b"<html/>")
        assert os.read(reader, 100) == b"<html/>"
        assert stat.S_ISFIFO(fifo.stat().st_mode)
    finally:
        os.close(reader)
