"""Benchmarks of the processing model: ODD start-up, then TEI → HTML pages in MB/s.

    python bench/render.py [--size MB]

Times load_odd (start-up) for the fixture ODDs and ours, render_file on the
fixture TEI and our sources in web and print mode, and on a generated TEI
document of several megabytes (our sources' bodies repeated with fresh ids).
When xsltproc and the TEI Stylesheets (html/html.xsl) are installed, the same
files are also run through them and the ratios printed; otherwise only our
figures are.
"""
from __future__ import annotations

import argparse
import copy
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from lxml import etree  # noqa: E402

from edition.model import load_odd, render_file  # noqa: E402
from edition.model.engine import default_model  # noqa: E402
from edition.xmlio import XML_ID, parse_file, tei  # noqa: E402

from timing import timed  # noqa: E402

FIXTURES = ROOT.parent / "shared" / "fixtures"
SAXON = Path("/usr/share/java/Saxon-HE.jar")
OUTPUT = Path(tempfile.gettempdir()) / "edition-bench-render.html"  # both converters write here
STYLESHEETS = [Path("/usr/share/xml/tei/stylesheet/html/html.xsl"),
               Path("/usr/share/xml/tei/stylesheet/html5/html5.xsl")]



def bench_startup() -> None:
    default_model.cache_clear()
    seconds = timed(lambda: (default_model.cache_clear(), default_model()), 3)
    print(f"start-up  defaults.odd (package)          {seconds * 1000:7.1f} ms")
    odds = [FIXTURES / "odd" / n for n in ("teipublisher.odd", "serafin.odd", "tei_simplePrint.odd")]
    for path in [*[p for p in odds if p.exists()], ROOT / "styles" / "edition.odd"]:
        seconds = timed(lambda: load_odd(path))
        models = len(load_odd(path).models)
        print(f"start-up  {path.name:<22} {models:4d} models {seconds * 1000:7.1f} ms")


def bench_files(files: list[Path], converter: list[str] | None) -> None:
    """In-process rendering (ODD load included), and when an XSLT converter is
    given, the whole `edition render` command against the whole converter
    command, start-up included on both sides."""
    odd = ROOT / "styles" / "edition.odd"
    for path in files:
        size = path.stat().st_size
        for mode in ("web", "print"):
            seconds = timed(lambda: render_file(path, odd, mode, ROOT))
            line = (f"render    {path.name:<44} {mode:<5} {size / 1024:8.1f} KiB {seconds * 1000:8.1f} ms "
                    f"{size / 1e6 / seconds:6.2f} MB/s")
            if converter and mode == "web":
                ours = timed(lambda: run([sys.executable, "-m", "edition", "--root", str(ROOT), "render",
                                          str(path), "-o", str(OUTPUT)]), 1)
                theirs = timed(lambda: run([part.replace("{input}", str(path)) for part in converter]), 1)
                line += f"   command: ours {ours:6.2f} s, XSLT {theirs:6.2f} s, ratio {theirs / ours:5.1f}x"
            print(line)


def run(command: list[str]) -> None:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def converter_command(stylesheet: Path | None) -> list[str] | None:
    """The TEI Stylesheets' HTML conversion: XSLT 2 with Saxon-HE (Debian's
    libsaxonhe-java) as teitohtml runs it, or an XSLT 1 stylesheet with xsltproc."""
    candidates = [stylesheet] if stylesheet else STYLESHEETS
    found = next((s for s in candidates if s and s.exists()), None)
    if found is None:
        return None
    if SAXON.exists() and shutil.which("java"):
        return ["java", "-cp", str(SAXON), "net.sf.saxon.Transform", "-s:{input}", f"-xsl:{found}",
                f"-o:{OUTPUT}"]
    if shutil.which("xsltproc"):
        return ["xsltproc", "--nonet", "-o", str(OUTPUT), str(found), "{input}"]
    return None


def generated(folder: Path, megabytes: float) -> Path:
    """A TEI document of about `megabytes`: our sources' texts, repeated with fresh ids."""
    tree = parse_file(ROOT / "tei" / "sources" / "pl-khasan.xml")
    body = tree.getroot().find(f".//{tei('body')}")
    back = tree.getroot().find(f".//{tei('back')}")
    originals = [copy.deepcopy(d) for d in body]
    copies = 0
    while len(etree.tostring(tree)) < megabytes * 1e6:
        copies += 1
        for division in originals:
            clone = copy.deepcopy(division)
            for element in clone.iter():
                if isinstance(element.tag, str) and element.get(XML_ID):
                    element.set(XML_ID, f"{element.get(XML_ID)}-c{copies}")
            body.append(clone)
        if copies > 2000:
            break
    if back is not None:
        back.getparent().remove(back)  # the notes point at the first copy only
    path = folder / f"generated-{megabytes:g}mb.xml"
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=5.0, help="megabytes of the generated document")
    parser.add_argument("--stylesheet", type=Path, help="the TEI Stylesheets' html5.xsl (or html.xsl) to compare with")
    options = parser.parse_args()
    xslt = converter_command(options.stylesheet)
    print("XSLT converter: " + (" ".join(xslt) if xslt else "not installed (TEI Stylesheets + Saxon-HE), "
                                 "our figures only"))
    bench_startup()
    fixtures = sorted((FIXTURES / "tei").glob("*.xml")) + sorted((ROOT / "tei" / "sources").glob("*.xml"))
    bench_files(fixtures, xslt)
    with tempfile.TemporaryDirectory() as folder:
        bench_files([generated(Path(folder), options.size)], xslt)


if __name__ == "__main__":
    main()
