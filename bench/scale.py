"""Large corpora made from our own sources: N documents, every id renamed.

    python bench/scale.py 4 40 200 [1000]      # the scale table
    python bench/scale.py 1000 --no-edit       # only the full build (no edit rows)
    python bench/scale.py --generate 200 DIR   # only make the corpus, in DIR (1,000: ~12 s)

Copy k of source S is S-cK: its file tei/sources/S-cK.xml and every xml:id
and pointer that names S ("pl-khasan-s3", "#pl-khasan-fp2",
"pl-khasan.xml#…") renamed, so the copies are distinct documents that pass
`edition check` (unique ids across the corpus); the registers, bibliography
and edition.xml are ours, unchanged (they point only to the originals). The
original text of each copy is the source's own, so its received-text digest
still holds.

Each build runs in a fresh process (`edition build --html`, timed from
outside, peak memory from the child's rusage), first without the cache (a
full build), then after a one-source edit (the cache in use).
"""
from __future__ import annotations

import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "tei" / "sources").glob("*.xml"))
PYTHON = sys.executable


def generate(folder: Path, n: int) -> Path:
    """An edition in `folder` with n sources (copies of ours, ids renamed)."""
    shutil.copytree(ROOT / "tei", folder / "tei", ignore=shutil.ignore_patterns("sources"))
    (folder / "tei" / "sources").mkdir()
    if (ROOT / "node_modules").is_dir():
        (folder / "node_modules").symlink_to(ROOT / "node_modules")
    texts = {path.stem: path.read_text("utf-8") for path in SOURCES}
    for number in range(n):
        stem = SOURCES[number % len(SOURCES)].stem
        copy = number // len(SOURCES)
        name = stem if copy == 0 else f"{stem}-c{copy}"
        text = texts[stem] if copy == 0 else rename(texts[stem], stem, name)
        (folder / "tei" / "sources" / f"{name}.xml").write_text(text, "utf-8")
    return folder


def rename(text: str, old: str, new: str) -> str:
    """Every id and pointer naming `old` (as an id prefix or a file name) → `new`."""
    return re.sub(rf"(?<![\w-]){re.escape(old)}(?=[-.#\"' ]|$)", new, text)


def tree_pss(pid: int) -> float:
    """MiB of proportional set size of a process and all its descendants (shared pages, as a
    forked worker's are, counted once in all): what the build costs the machine's memory."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return total / 1024


def run_build(folder: Path, *options: str) -> dict:
    """One `edition build --html` in a fresh process: wall time, CPU seconds (the process and
    its children: check workers, page workers, jing; and the process's own, its serial part:
    on a loaded machine the wall time is noise, and the build's own CPU bounds it from below
    when the children run beside it), peak RSS (MiB) of the process and of its largest child,
    and the peak of the whole process tree's PSS (sampled every 0.5 s)."""
    probe = ("import resource, sys, time; from edition.cli import main\n"
             "start = time.perf_counter()\n"
             "try:\n    main(sys.argv[1:], standalone_mode=False)\n"
             "finally:\n"
             "    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)\n"
             "    print('BENCH', time.perf_counter() - start, me.ru_maxrss, kids.ru_maxrss,"
             " me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, me.ru_utime + me.ru_stime,"
             " file=sys.stderr)\n")
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen([PYTHON, "-c", probe, "--root", str(folder), "build", "--html", *options],
                                 stdout=out, stderr=err, text=True)
        pss = 0.0
        while child.poll() is None:
            pss = max(pss, tree_pss(child.pid))
            time.sleep(0.5)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        result = subprocess.CompletedProcess(child.args, child.returncode, out.read(), err.read())
    line = [l for l in result.stderr.splitlines() if l.startswith("BENCH")]
    if result.returncode or not line:
        raise RuntimeError(f"build failed in {folder}:\n{result.stderr[-3000:]}")
    _, inside, peak, children, cpu, own = line[-1].split()
    kept = re.search(r"\((\d+) of (\d+) pages from build/\.cache/parts\)", result.stdout)
    return {"wall": wall, "inside": float(inside), "peak_mib": int(peak) / 1024,
            "children_peak_mib": int(children) / 1024, "pss_mib": pss, "cpu": float(cpu), "cpu_own": float(own),
            "cached": "unchanged inputs: from build/.cache" in result.stdout,
            "pages_kept": f"{kept[1]}/{kept[2]}" if kept else "0"}


def output_size(folder: Path) -> tuple[float, float, str]:
    """Total MB of build/html, the largest page (MB) and its name."""
    files = [p for p in (folder / "build" / "html").rglob("*") if p.is_file()]
    largest = max((p for p in files if p.suffix == ".html"), key=lambda p: p.stat().st_size)
    return sum(p.stat().st_size for p in files) / 1e6, largest.stat().st_size / 1e6, largest.name


def search_first_fetch(folder: Path) -> float:
    """MB the search page loads before the first query: the scripts and styles it names."""
    html = folder / "build" / "html"
    page = (html / "search.html").read_text("utf-8")
    names = set(re.findall(r'<script[^>]+src="([^"]+)"', page)) | set(
        re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', page))
    return sum((html / n).stat().st_size for n in names if (html / n).is_file()) / 1e6


def one_source_edit(folder: Path) -> None:
    """A translator's change in one source (the English of its first sentence)."""
    path = sorted((folder / "tei" / "sources").glob("pl-khasan*.xml"))[-1]
    text = path.read_text("utf-8")
    match = re.search(r'(<div type="translation".*?<s [^>]*>)', text, re.S)
    path.write_text(text[:match.end()] + "Edited: " + text[match.end():], "utf-8")


def measure(n: int, edit: bool = True) -> dict:
    """The full build of n documents, then (`edit`) a cache-filling build and the one-source edit."""
    with tempfile.TemporaryDirectory(prefix=f"edition-scale-{n}-") as scratch:
        folder = generate(Path(scratch), n)
        tei = sum(p.stat().st_size for p in (folder / "tei").rglob("*.xml")) / 1e6
        full = run_build(folder, "--no-cache")
        total, largest, name = output_size(folder)
        search = search_first_fetch(folder)
        if edit:
            run_build(folder)  # fills the cache
            one_source_edit(folder)
            edit = run_build(folder)
        else:
            edit = {"wall": float("nan"), "pages_kept": "-"}
        return {"n": n, "tei_mb": tei, "full": full, "edit": edit, "out_mb": total,
                "largest_mb": largest, "largest": name, "search_mb": search}


GOALS = {"time_1000": 60.0, "peak_mib": 500.0, "edit_ratio": 0.05, "edit_ours": 1.0, "search_mb": 1.0}


def table(rows: list[dict]) -> None:
    """The scale table, each figure with its goal (issue 15, goals 3 and 4) beside it."""
    print("scale   docs   TEI MB   build s    CPU s  (own)  peak MiB  (child)  (PSS)  out MB  largest page MB"
          "          edit s  (CPU)  ratio (CPU)  pages kept  search MB")
    print(f"  goal                  <{GOALS['time_1000']:.0f} @1000                <{GOALS['peak_mib']:.0f} flat"
          f"                                                  <{GOALS['edit_ours']:.0f} @4"
          f"        <{GOALS['edit_ratio']:.0%}                    <{GOALS['search_mb']:.0f}")
    for r in rows:
        ratio = r["edit"]["wall"] / r["full"]["wall"]
        cpu_ratio = r["edit"].get("cpu", float("nan")) / r["full"].get("cpu", float("nan"))
        print(f"        {r['n']:5d} {r['tei_mb']:8.1f} {r['full']['wall']:9.1f} {r['full'].get('cpu', 0):8.1f} "
              f"{r['full'].get('cpu_own', 0):6.1f} "
              f"{r['full']['peak_mib']:9.0f} {r['full'].get('children_peak_mib', 0):8.0f} "
              f"{r['full'].get('pss_mib', 0):6.0f} "
              f"{r['out_mb']:7.1f}  {r['largest_mb']:6.2f} {r['largest']:<18} {r['edit']['wall']:6.1f} "
              f"{r['edit'].get('cpu', float('nan')):6.1f} {ratio:6.1%} {cpu_ratio:5.1%} "
              f"{r['edit'].get('pages_kept', '?'):>11}  {r['search_mb']:6.2f}")
    print("  (build: `edition build --html --no-cache` in a fresh process; CPU: its user+system seconds and its "
          "children's, (own) the build process's alone; edit: the same build after a one-source edit, the cache "
          "filled by a build before it, its ratio to the full build in wall time and in CPU (the fairer one on a "
          "shared machine); peak: the build's maximum resident set, and its largest child's; PSS: the peak of the "
          "whole process tree's proportional set size, shared pages counted once)")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--generate"]:
        generate(Path(arguments[2]), int(arguments[1]))
        sys.exit(0)
    rows = []
    for n in [int(a) for a in arguments if a.isdigit()] or [4, 40, 200]:
        rows.append(measure(n, edit="--no-edit" not in arguments))
        print(json.dumps(rows[-1]), file=sys.stderr)
    table(rows)
