"""Render speed against the TEI Consortium's XSLT anchor (html.xsl on SaxonC-HE), measured in one run.

    python bench/render.py [--repeat 5] [--size 10]

The anchor is the standard `teitohtml` path: the TEI Stylesheets' html/html.xsl
run by SaxonC-HE. Neither is part of the repository; once, on this machine:

    .venv/bin/pip install saxonche         # SaxonC-HE, from the package registry
    sh bench/fetch_anchor.sh               # into the git-ignored bench/anchor/

fetch_anchor.sh also brings the large documents: Romeo and Juliet (Folger, 480 KB)
and Kant's Kritik der reinen Vernunft, 1781 (DTA, 3.1 MB). To them are added the
shared fixtures and a generated document of --size MB (Kant's body repeated).
Per document, alternating ours and the anchor, the median of --repeat runs of:
- whole process: a fresh `edition render DOC -o OUT` (the package's ODD) against
  a fresh process that loads SaxonC, compiles html.xsl and transforms DOC;
- transform alone: the ODD (stylesheet) already loaded, parse + render
  (transform) + serialise to a file, each side in a worker process of its own
  that loads once and is then asked for one document at a time (so that
  neither side's threads or heap slow the other's).
The ratio is the anchor's time over ours; the goal (issue 15) is >= 5x.
Beside each wall-clock figure, the CPU seconds of the same runs (the medians;
for a whole process its children's user + system time, for a transform the
worker's process time, all threads): on a shared machine under load, wall
time measures the neighbours too, and a many-threaded JVM-like process gets
more of the cores than a one-threaded one.
Our whole process finds the ODD compiled in its cache (edition/model/compiled.py,
here a private folder filled by a first run); the line "ODD not kept" is one
run with the cache off (EDITION_ODD_CACHE=off), the ODD compiled as on a first use.
Without the anchor, only our times are printed. Both processes run as an
installed tool runs: the bench installs this checkout (`pip install --no-deps
--target`, into a temporary folder) and runs `python -S` with that folder and
site-packages on PYTHONPATH, so that the import hook of the editable
(development) install, which a `pip install .` has not, is paid by neither side.
"""
from __future__ import annotations

import argparse
import copy
import os
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if not {"--worker", "--anchor"} & set(sys.argv):  # workers use the installed copy
    sys.path.insert(0, str(ROOT))

ANCHOR = Path(__file__).resolve().parent / "anchor"
STYLESHEET = ANCHOR / "Stylesheets" / "html" / "html.xsl"
FIXTURES = next((p for p in (ROOT.parent / "shared" / "fixtures", ROOT.parent.parent / "shared" / "fixtures")
                 if p.is_dir()), ROOT.parent / "shared" / "fixtures")
GOAL = 5.0


def anchor_process(document: str, output: str) -> None:
    """The anchor's whole process (run as `render.py --anchor DOC OUT`)."""
    from saxonche import PySaxonProcessor
    with PySaxonProcessor(license=False) as processor:
        executable = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(STYLESHEET))
        executable.transform_to_file(source_file=document, output_file=output)


class Anchor:
    """html.xsl compiled once, for the transform-alone figures."""

    def __init__(self):
        from saxonche import PySaxonProcessor
        self.processor = PySaxonProcessor(license=False)
        self.executable = self.processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(STYLESHEET))

    def transform(self, document: Path, output: Path) -> None:
        self.executable.transform_to_file(source_file=str(document), output_file=str(output))


class Ours:
    """The package's ODD loaded once, for the transform-alone figures."""

    def __init__(self):
        from edition.model import load_odd
        from edition.resources import Styles
        self.model = load_odd(Styles().odd)

    def transform(self, document: Path, output: Path) -> None:
        from edition.model import document_css, document_title, render_document
        from edition.model.page import standalone
        from edition.xmlio import parse_file
        tree = parse_file(document, collect_ids=False)
        body = render_document(tree, self.model, "web")
        output.write_text(standalone(body, document_title(tree), None, [self.model.css, document_css(tree)]), "utf-8")


def worker(side: str) -> None:
    """`render.py --worker ours|anchor`: load once, then for each line "DOC OUT"
    of standard input transform DOC and print the seconds it took."""
    converter = Ours() if side == "ours" else Anchor()
    print("ready", flush=True)
    for line in sys.stdin:
        document, output = line.rstrip("\n").split("\t")
        before = time.process_time()
        wall = seconds(lambda: converter.transform(Path(document), Path(output)))
        print(wall, time.process_time() - before, flush=True)


class Worker:
    def __init__(self, side: str):
        environment = {k: v for k, v in INSTALLED.items() if k != "cwd"}
        self.process = subprocess.Popen([sys.executable, "-S", str(Path(__file__).resolve()), "--worker", side],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                        env=environment, cwd=INSTALLED["cwd"])
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError(f"the {side} worker did not start")

    def transform(self, document: Path, output: Path) -> tuple[float, float]:
        """(wall, CPU) seconds of one transform in the worker."""
        self.process.stdin.write(f"{document}\t{output}\n")
        self.process.stdin.flush()
        wall, cpu = self.process.stdout.readline().split()
        return float(wall), float(cpu)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def seconds(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


INSTALLED: dict = {}


def install(folder: Path) -> None:
    """This checkout installed as a user would have it (not editable), for `run`."""
    target = folder / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(ROOT)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    paths = sysconfig.get_paths()
    INSTALLED.update(os.environ, PYTHONPATH=os.pathsep.join([str(target), paths["purelib"], paths["platlib"]]),
                     XDG_CACHE_HOME=str(folder / "cache"))  # the compiled ODD's cache: this bench's own
    INSTALLED["cwd"] = str(folder)  # not the checkout, whose edition/ would shadow the installed one


def run(command: list[str], **extra: str) -> tuple[float, float]:
    """A fresh process, as an installed tool starts (see the module docstring): its
    (wall, CPU) seconds, CPU being the user + system time of the process and its threads."""
    import resource
    environment = {**{k: v for k, v in INSTALLED.items() if k != "cwd"}, **extra}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-S", *command], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env=environment, cwd=INSTALLED["cwd"])
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def alternate(ours, theirs, repeat: int) -> tuple[tuple[float, float], tuple[float, float] | None]:
    """Medians of `repeat` runs, ours and the anchor's taken in turn; each
    function runs once and returns its (wall, CPU) seconds."""
    mine, other = [], []
    for _ in range(repeat):
        mine.append(ours())
        if theirs is not None:
            other.append(theirs())
    median = lambda runs: tuple(statistics.median(r[i] for r in runs) for i in (0, 1))  # noqa: E731
    return median(mine), median(other) if other else None


def generated(folder: Path, source: Path, megabytes: float) -> Path:
    """A document of about `megabytes`: the body of `source` repeated, ids made unique."""
    from lxml import etree
    from edition.xmlio import XML_ID, parse_file, tei
    tree = parse_file(source, collect_ids=False)
    body = tree.getroot().find(f".//{tei('body')}")
    originals, copies = [copy.deepcopy(d) for d in body], 0
    size = len(etree.tostring(tree))
    while size < megabytes * 1e6 and copies < 1000:
        copies += 1
        for division in originals:
            clone = copy.deepcopy(division)
            for element in clone.iter():
                if isinstance(element.tag, str) and element.get(XML_ID):
                    element.set(XML_ID, f"{element.get(XML_ID)}-c{copies}")
            body.append(clone)
            size += len(etree.tostring(clone))
    path = folder / f"generated-{megabytes:g}mb.xml"
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    return path


def documents(folder: Path, megabytes: float) -> list[Path]:
    found = sorted((FIXTURES / "tei").glob("*.xml")) + [p for p in (ANCHOR / "docs" / "F-rom.xml",
                                                                   ANCHOR / "docs" / "kant_rvernunft_1781.TEI-P5.xml")
                                                      if p.exists()]
    base = found[-1] if found else ROOT / "tei" / "sources" / "pl-khasan.xml"
    return found + [generated(folder, base, megabytes)]


def ratio(ours: tuple[float, float], theirs: tuple[float, float] | None) -> str:
    """Wall and CPU figures side by side; the goal is judged on each (on a loaded machine
    the CPU ratio is the one to read, see the module docstring)."""
    if theirs is None:
        return f"(cpu {ours[1]:.3f} s)  anchor not installed"
    wall, cpu = theirs[0] / ours[0], theirs[1] / max(ours[1], 1e-6)
    mark = lambda r: "ok" if r >= GOAL else "BELOW"  # noqa: E731
    return (f"anchor {theirs[0]:7.3f} s  ratio {wall:5.1f}x {mark(wall):<5} "
            f"| cpu ours {ours[1]:7.3f} s anchor {theirs[1]:7.3f} s ratio {cpu:5.1f}x {mark(cpu):<5} "
            f"(goal >= {GOAL:g}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--size", type=float, default=10.0, help="megabytes of the generated document")
    parser.add_argument("--only", metavar="TEXT", help="only the documents whose file name contains TEXT")
    parser.add_argument("--anchor", nargs=2, metavar=("DOC", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--worker", choices=["ours", "anchor"], help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.anchor:
        return anchor_process(*options.anchor)
    if options.worker:
        return worker(options.worker)
    try:
        import saxonche  # noqa: F401
        have_anchor = STYLESHEET.exists()
    except ImportError:
        have_anchor = False
    print("anchor: " + (f"TEI Stylesheets html.xsl ({STYLESHEET}) on SaxonC-HE" if have_anchor else
                        "not installed (pip install saxonche; sh bench/fetch_anchor.sh): our figures only"))
    print("load average (1, 5, 15 min): %.1f %.1f %.1f" % os.getloadavg(), flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        install(folder)
        ours, anchor = Worker("ours"), Worker("anchor") if have_anchor else None
        mine_out, their_out = folder / "ours.html", folder / "anchor.html"
        edition = ["-m", "edition", "--root", str(folder), "render"]
        try:
            for document in documents(folder, options.size if not options.only else 0.01):
                if options.only and options.only not in document.name:
                    continue
                size = document.stat().st_size / 1024
                whole = alternate(lambda: run([*edition, str(document), "-o", str(mine_out)]),
                                  (lambda: run([str(Path(__file__).resolve()), "--anchor", str(document),
                                                str(their_out)])) if anchor else None, options.repeat)
                cold = run([*edition, str(document), "-o", str(mine_out)], EDITION_ODD_CACHE="off")
                alone = alternate(lambda: ours.transform(document, mine_out),
                                  (lambda: anchor.transform(document, their_out)) if anchor else None, options.repeat)
                name = document.name[:38]
                print(f"{name:<38} {size:8.0f} KiB  whole process   ours {whole[0][0]:7.3f} s  {ratio(*whole)}",
                      flush=True)
                print(f"{'':<38} {'':>12}  ODD not kept    ours {cold[0]:7.3f} s  {ratio(cold, whole[1])}", flush=True)
                print(f"{'':<38} {'':>12}  transform alone ours {alone[0][0]:7.3f} s  {ratio(*alone)}", flush=True)
        finally:
            ours.close()
            if anchor:
                anchor.close()
            print("load average (1, 5, 15 min): %.1f %.1f %.1f" % os.getloadavg())


if __name__ == "__main__":
    main()
