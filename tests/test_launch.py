"""`edition render` without click (edition/launch.py) does what the click command does.

Each case runs in fresh processes twice: `python -m edition ARGS` (the entry point,
which takes a plain render itself) and the click CLI alone (edition.cli.main), and
the two must print the same, exit with the same code and write the same files.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from edition.cli import main as cli
from edition.launch import REPEATABLE, RENDER_OPTIONS, render_request

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tei" / "sources" / "pl-khasan.xml"
ODD = ROOT / "styles" / "edition.odd"
CLICK = "import sys\nfrom edition.cli import main\nmain(sys.argv[1:], prog_name=\"python -m edition\")"


def both(arguments: list[str], folder: Path) -> list[tuple]:
    """(exit code, stdout, stderr, written files) of the entry point and of click."""
    runs = []
    for way, command in (("entry", ["-m", "edition"]), ("click", ["-c", CLICK])):
        out = folder / way
        out.mkdir()
        words = [w.replace("OUT", str(out)) for w in arguments]
        done = subprocess.run([sys.executable, *command, *words], capture_output=True, text=True, cwd=folder,
                              env={**os.environ, "XDG_CACHE_HOME": str(folder / "cache")})
        written = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
        runs.append((done.returncode, done.stdout.replace(str(out), "OUT"), done.stderr.replace(str(out), "OUT"),
                     written))
    return runs


CASES = {
    "to a file": ["render", str(SOURCE), "-o", "OUT/page.html"],
    "to standard output, print mode": ["render", "--mode", "print", str(SOURCE)],
    "options spelt with =": ["--root=.", "render", f"--odd={ODD}", "--mode=web", str(SOURCE), "--output=OUT/p.html"],
    "a root, an ODD path, a trace": ["--root", ".", "--debug", "render", str(SOURCE), "--odd-path", str(ROOT / "styles"),
                                     "--odd-path", str(ROOT), "--trace", "OUT/trace.json", "-o", "OUT/page.html"],
    "a file that is not XML": ["render", str(ROOT / "README.md"), "-o", "OUT/page.html"],
    "an ODD that is not an ODD": ["render", str(SOURCE), "--odd", str(SOURCE), "-o", "OUT/page.html"],
    "a folder to write the page to": ["render", str(SOURCE), "-o", "OUT"],
    "no such file": ["render", "missing.xml"],
    "a mode that is none": ["render", "--mode", "screen", str(SOURCE)],
    "an unknown option": ["render", "--fast", str(SOURCE)],
    "help": ["render", "--help"],
    "two files": ["render", str(SOURCE), str(ODD)],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_entry_point_and_click_print_and_write_the_same(case, tmp_path):
    entry, click_run = both(CASES[case], tmp_path)
    assert entry == click_run
    if case == "to a file":
        assert entry[0] == 0 and b"<main>" in entry[3]["page.html"]


def test_a_fault_of_the_machine_is_shown_the_same_way(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who may write anywhere")
        entry, click_run = both(["render", str(SOURCE), "-o", str(folder / "page.html")], tmp_path)
    finally:
        folder.chmod(0o700)
    assert entry == click_run and entry[0] == 5 and "cannot write" in entry[2]


def test_a_plain_render_is_taken_without_click_and_the_rest_is_left_to_it():
    assert render_request(["render", str(SOURCE)]) is not None
    for arguments in (["--version"], ["render"], ["check"], ["render", "--help"], ["render", str(SOURCE), "-o"],
                      ["render", str(SOURCE), "-oOUT"], ["render", str(SOURCE), "--", "x"],
                      ["render", "--mode", "Web", str(SOURCE)], ["--root", str(SOURCE), "render", str(SOURCE)],
                      ["render", str(SOURCE), "--odd-path", str(SOURCE)], ["render", str(ROOT)]):
        assert render_request(arguments) is None, arguments
    probe = ("import sys, runpy\nsys.argv = ['edition', 'render', sys.argv[1], '-o', sys.argv[2]]\n"
             "try:\n    runpy.run_module('edition', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             "print(sorted(sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe, str(SOURCE), os.devnull], capture_output=True, text=True,
                         check=True).stdout
    loaded = set(json.loads(out.splitlines()[-1].replace("'", '"')))
    assert "edition.model" in loaded and not {m for m in loaded if m.split(".")[0] == "click"}


def test_the_options_taken_are_the_click_commands_own():
    """A new render option in edition/cli.py must be known here too (or such a render goes to click)."""
    command = cli.commands["render"]
    options = {opt: param.name for param in command.params if param.param_type_name == "option" for opt in param.opts}
    assert options == RENDER_OPTIONS
    assert {param.name for param in command.params if getattr(param, "multiple", False)} == REPEATABLE
    assert [p.name for p in command.params if p.param_type_name == "argument"] == ["file"]
    assert {opt for param in cli.params for opt in param.opts} == {"--version", "--root", "--debug"}
