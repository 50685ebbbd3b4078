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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

from edition.model import load_odd, render_file  # noqa: E402
from edition.model.engine import default_model  # noqa: E402
from edition.xmlio import XML_ID, parse_file, tei  # noqa: E402

FIXTURES = ROOT.parent / "shared" / "fixtures"
STYLESHEETS = [Path("/usr/share/xml/tei/stylesheet/html/html.xsl"),
               Path("/usr/share/xml/tei/stylesheet/html5/html5.xsl")]


def timed(function, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_startup() -> None:
    default_model.cache_clear()
    seconds = timed(lambda: (default_model.cache_clear(), default_model()), 3)
    print(f"start-up  defaults.odd (package)          {seconds * 1000:7.1f} ms")
    odds = [FIXTURES / "odd" / n for n in ("teipublisher.odd", "serafin.odd", "tei_simplePrint.odd")]
    for path in [*[p for p in odds if p.exists()], ROOT / "styles" / "edition.odd"]:
        seconds = timed(lambda: load_odd(path))
        models = len(load_odd(path).models)
        print(f"start-up  {path.name:<22} {models:4d} models {seconds * 1000:7.1f} ms")


def bench_files(files: list[Path], xslt: Path | None) -> None:
    odd = ROOT / "styles" / "edition.odd"
    for path in files:
        size = path.stat().st_size
        for mode in ("web", "print"):
            seconds = timed(lambda: render_file(path, odd, mode, ROOT))
            line = (f"render    {path.name:<44} {mode:<5} {size / 1024:8.1f} KiB {seconds * 1000:8.1f} ms "
                    f"{size / 1e6 / seconds:6.2f} MB/s")
            if xslt and mode == "web":
                theirs = timed(lambda: xsltproc(xslt, path), 1)
                line += f"   xsltproc {theirs * 1000:8.1f} ms  ratio {theirs / seconds:5.2f}x"
            print(line)


def xsltproc(stylesheet: Path, path: Path) -> None:
    subprocess.run(["xsltproc", "--nonet", str(stylesheet), str(path)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


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
    options = parser.parse_args()
    xslt = next((s for s in STYLESHEETS if s.exists()), None) if shutil.which("xsltproc") else None
    print("TEI Stylesheets with xsltproc: " + (str(xslt) if xslt else "not installed, our figures only"))
    bench_startup()
    fixtures = sorted((FIXTURES / "tei").glob("*.xml")) + sorted((ROOT / "tei" / "sources").glob("*.xml"))
    bench_files(fixtures, xslt)
    with tempfile.TemporaryDirectory() as folder:
        bench_files([generated(Path(folder), options.size)], xslt)


if __name__ == "__main__":
    main()
