"""Benchmarks of the edition pipeline, printed as figures measured in one run.

    python bench/run.py        # everything
    python bench/run.py pdf    # the book: build --pdf time, pages/s, text/notes/blank per page; build of all
    python bench/run.py full --against /work/main/.venv/bin/edition --rounds 3
                               # build --no-cache (html + pdf + epub) alternated, medians, a timeline
    python bench/run.py html   # the site alone: clean (user caches cold, warm), an edit, its undo
    python bench/run.py html --against /work/main/.venv/bin/edition --rounds 5
                               # the same cases, this tree and another `edition` alternated, medians

Times the import of the four seeds, `edition check` of the whole edition
(our schema, tei_all when available, the edition's rules), and reports
throughput. Later stages (render, HTML, PDF) add their own sections.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from edition import Edition, api  # noqa: E402
from edition.sources.importer import import_text  # noqa: E402

from timing import timed  # noqa: E402

SEEDS = {"th": "000_5f4a6e760ff94c3f.txt", "es": "001_607dc21c17f38a64.txt",
         "pl": "002_2c3f7e8a4fd4a63b.txt", "zh": "003_d3acb1c3318e8afe.txt"}



def bench_import() -> None:
    texts = {lang: (ROOT / "seeds" / name).read_text("utf-8") for lang, name in SEEDS.items()}
    total = sum(len(t.encode()) for t in texts.values())
    import_text("warm up.", "th", "w")  # load the Thai model once, as a long run would
    seconds = timed(lambda: [import_text(t, lang, f"b-{lang}") for lang, t in texts.items()])
    print(f"import  4 seeds, {total / 1024:.1f} KiB: {seconds * 1000:.0f} ms "
          f"({total / 1024 / seconds:.0f} KiB/s)")
    for lang, text in texts.items():
        s = timed(lambda: import_text(text, lang, "b"))
        print(f"  {lang}: {len(text.encode()) / 1024:6.1f} KiB in {s * 1000:6.1f} ms")


def bench_check() -> None:
    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree(ROOT / "tei", Path(folder) / "tei")
        shutil.copytree(ROOT / "styles", Path(folder) / "styles")
        edition = Edition.at(folder)
        size = sum(p.stat().st_size for p in edition.tei_files())
        tei_all = ROOT.parent / "shared" / "schema" / "tei_all.rng"
        without = timed(lambda: api.check(edition, use_tei_all=False))
        print(f"check   {len(edition.tei_files())} files, {size / 1024:.0f} KiB, own schema + rules: "
              f"{without * 1000:.0f} ms")
        if tei_all.exists():
            with_all = timed(lambda: api.check(edition, tei_all=tei_all), repeat=1)
            print(f"check   + tei_all: {with_all * 1000:.0f} ms "
                  f"(ratio to own schema only: {with_all / without:.1f}x)")


def bench_build() -> None:
    """The HTML site (bench_html: clean, cold and warm, an edit and its undo), then the PDF book."""
    bench_html()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(ROOT / "tei", root / "tei")
        shutil.copytree(ROOT / "styles", root / "styles")
        (root / "node_modules").symlink_to(ROOT / "node_modules")
        edition = Edition.at(root)
        bench_pdf(edition)
        bench_both(edition)


def edition_command(root: Path, *arguments: str, environment: dict | None = None,
                    executable: Path | None = None) -> tuple[float, float, str]:
    """(wall s, CPU s, its output) of one `edition` process run in `root`: the whole process,
    start-up included, user + system time of it and its children (jing, fc-match)."""
    import os
    import resource
    import subprocess
    import time
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([str(executable or Path(sys.executable).with_name("edition")), *arguments], cwd=root,
                          capture_output=True, text=True, env={**os.environ, **(environment or {})})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise RuntimeError(f"edition {' '.join(arguments)}: {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout + done.stderr


def bench_html() -> None:
    """`edition build --html` of our edition in a copy, as a user runs it (one process each):
    with no build/ folder and the user's caches ($XDG_CACHE_HOME/edition: fonts, compiled ODD)
    empty (cold) and filled by that build (warm); then one word of pl-khasan's translation
    changed, and the change undone. Goals (issue 15): a clean build < 1 s, an edit < 1 s."""
    import os
    with tempfile.TemporaryDirectory() as folder:
        root, caches = Path(folder) / "edition", Path(folder) / "user-cache"
        shutil.copytree(ROOT / "tei", root / "tei")
        (root / "node_modules").symlink_to(ROOT / "node_modules")
        private = {"XDG_CACHE_HOME": str(caches)}
        load = os.getloadavg()[0]
        print(f"html    edition build --html in a copy of our edition (load {load:.1f} on {os.cpu_count()} cores; "
              "CPU = user + system of the process and its children):")

        def line(label: str, goal: str, figures: tuple[float, float, str]) -> None:
            wall, cpu, out = figures
            said = [row.partition(" (")[2].rstrip(")") for row in out.splitlines() if row.startswith("wrote ")]
            print(f"  {label:<46} {wall:5.2f} s wall {cpu:5.2f} s CPU  (goal {goal}: "
                  f"{'met' if cpu < 1 else 'not met'} in CPU){'  ' + said[-1] if said and said[-1] else ''}")
        line("clean, no build/, user caches cold", "< 1 s", edition_command(root, "build", "--html", environment=private))
        shutil.rmtree(root / "build")
        line("clean, no build/, user caches warm", "< 1 s", edition_command(root, "build", "--html", environment=private))
        line("nothing changed", "< 1 s", edition_command(root, "build", "--html", environment=private))
        path = root / "tei" / "sources" / "pl-khasan.xml"
        text = path.read_text("utf-8")
        word = "Relations between"  # the first words of the translation's first sentence
        assert word in text, f"{word!r} is no longer in {path.name}: choose another word"
        path.write_text(text.replace(word, "Dealings between", 1), "utf-8")
        line("one word of one source's translation changed", "< 1 s",
             edition_command(root, "build", "--html", environment=private))
        path.write_text(text, "utf-8")
        line("that change undone", "< 1 s", edition_command(root, "build", "--html", environment=private))


HTML_CASES = [
    ("clean --no-cache, the last build in build/", "keep", ["--no-cache"]),
    ("clean --no-cache, no build/", "remove", ["--no-cache"]),
    ("clean, no build/ (build/.cache made)", "remove", []),
    ("nothing changed", "keep", []),
    ("one word of one source's translation changed", "edit", []),
    ("that change undone", "undo", []),
]


def bench_html_against(other: str, rounds: int = 3) -> None:
    """HTML_CASES for this tree's `edition` and `other` (another checkout's, e.g. main's),
    alternated round by round (who goes first alternates too), each in its own copy of our
    edition with its own user caches (warmed by one build first); the median wall and CPU
    (user + system of the process and its children, forked writers included) of each case."""
    import os
    import statistics
    ours = str(Path(sys.executable).with_name("edition"))
    sides = {"this tree": ours, "other": other}
    with tempfile.TemporaryDirectory() as folder:
        roots = {}
        for number, (name, executable) in enumerate(sides.items()):
            root = Path(folder) / f"edition-{number}"
            shutil.copytree(ROOT / "tei", root / "tei")
            (root / "node_modules").symlink_to(ROOT / "node_modules")
            roots[name] = root
            _edition_run(executable, root, "--no-cache", caches=Path(folder) / f"cache-{number}")  # user caches warm
        loads = [os.getloadavg()[0]]
        figures: dict = {(name, case): [] for name in sides for case, _, _ in HTML_CASES}
        word = "Relations between"  # the first words of the translation's first sentence
        for turn in range(rounds):
            order = list(sides) if turn % 2 == 0 else list(reversed(sides))
            for name in order:
                root = roots[name]
                caches = Path(folder) / f"cache-{list(sides).index(name)}"
                path = root / "tei" / "sources" / "pl-khasan.xml"
                text = path.read_text("utf-8")
                for case, before, arguments in HTML_CASES:
                    if before == "remove":
                        shutil.rmtree(root / "build", ignore_errors=True)
                    elif before == "edit":
                        assert word in text, f"{word!r} is no longer in {path.name}: choose another word"
                        path.write_text(text.replace(word, "Dealings between", 1), "utf-8")
                    elif before == "undo":
                        path.write_text(text, "utf-8")
                    figures[(name, case)].append(_edition_run(sides[name], root, *arguments, caches=caches))
                loads.append(os.getloadavg()[0])
    print(f"html    build --html, this tree against {other}: median of {rounds} alternated rounds "
          f"(load {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} cores; wall / CPU = user + system "
          "incl. children)")
    print(f"  {'case':<48} {'this tree':>17}   {'other':>17}")
    for case, _, _ in HTML_CASES:
        cells = []
        for name in sides:
            runs = figures[(name, case)]
            cells.append(f"{statistics.median(w for w, _ in runs):5.2f} / {statistics.median(c for _, c in runs):5.2f} s")
        print(f"  {case:<48} {cells[0]:>17}   {cells[1]:>17}")


def _edition_run(executable: str, root: Path, *arguments: str, caches: Path) -> tuple[float, float]:
    """(wall s, CPU s) of `executable build --html ARGUMENTS` in `root` with its user caches."""
    import os
    import resource
    import subprocess
    import time
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([executable, "build", "--html", *arguments], cwd=root, capture_output=True, text=True,
                          env={**os.environ, "XDG_CACHE_HOME": str(caches)})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise RuntimeError(f"{executable} build --html {' '.join(arguments)}: {done.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def bench_extra_outputs() -> None:
    """The outputs beside the site and the book: the static DTS API and the EPUB books."""
    from edition.corpus import Corpus
    from edition.dts import write_static_api
    from edition.epub import write_epubs
    from edition.html.collect import collect
    edition = Edition.at(ROOT)
    view = collect(Corpus.load(edition))
    with tempfile.TemporaryDirectory() as folder:
        files = []
        dts = timed(lambda: files.append(write_static_api(view, Path(folder) / "dts")), repeat=1)
        print(f"dts     {files[-1]} static files: {dts:.1f} s")
        books = []
        epub = timed(lambda: books.append(write_epubs(edition, view, Path(folder) / "epub")), repeat=1)
        print(f"epub    {len(books[-1])} books: {epub:.1f} s")


def _cpu_used() -> float:
    """CPU seconds of this process and the processes it waited for (jing, the forked writers)."""
    import resource
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))


def _load() -> str:
    import os
    return f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def bench_pdf(edition) -> None:
    """`build --pdf` (check, gather, one layout of the book, the PDF and its PDF/A twin), wall
    and CPU time (the machine is shared: CPU time is what the build itself costs), then the
    pages' shares of text, notes and blank as tests/pdf/layout.py measures them."""
    from pypdf import PdfReader
    load, before = _load(), _cpu_used()
    pdf = timed(lambda: api.build(edition, html=False, pdf=True, cache=False), repeat=1)
    cpu = _cpu_used() - before
    book = edition.build_dir / "pdf" / "edition.pdf"
    count = len(PdfReader(str(book)).pages)
    print(f"pdf     {count} pages, {book.stat().st_size / 1e6:.1f} MB: {pdf:.1f} s wall, {cpu:.1f} s CPU, {load} "
          f"({count / pdf:.1f} pages/s; goal < 20 s: {'met' if pdf < 20 else 'not met'} wall, "
          f"{'met' if cpu < 20 else 'not met'} CPU)")
    bench_pages(book)


def bench_both(edition) -> None:
    """`edition build --no-cache` of the site, the book and the EPUBs as a user runs it (one
    command; the book and the EPUBs in children forked from the build, pipeline/graph.py):
    wall against the goal, CPU of all its processes."""
    load = _load()
    wall, cpu, _ = edition_command(edition.root, "build", "--no-cache")
    print(f"build   html + pdf + epub (edition build --no-cache): {wall:.1f} s wall, {cpu:.1f} s CPU, {load} "
          f"(goal < 20 s wall: {'met' if wall < 20 else 'not met'})")


def bench_full_against(other: str | None, rounds: int = 3) -> None:
    """`edition build --no-cache` (html + pdf + epub) in a copy of our edition: this tree's
    `edition` and `other`'s alternated round by round (who goes first alternates too), the
    median wall and CPU of each, then the timeline of one more run of this tree's (which
    process did what when: bench/timeline.py)."""
    import os
    import statistics
    from timeline import timeline
    ours = str(Path(sys.executable).with_name("edition"))
    sides = {"this tree": ours, **({"other": other} if other else {})}
    with tempfile.TemporaryDirectory() as folder:
        roots = {}
        for number, name in enumerate(sides):
            roots[name] = root = Path(folder) / f"edition-{number}"
            shutil.copytree(ROOT / "tei", root / "tei")
            (root / "node_modules").symlink_to(ROOT / "node_modules")
        loads, figures = [os.getloadavg()[0]], {name: [] for name in sides}
        for turn in range(rounds):
            for name in (list(sides) if turn % 2 == 0 else list(reversed(sides))):
                executable = Path(sides[name])
                wall, cpu, _ = edition_command(roots[name], "build", "--no-cache", executable=executable)
                figures[name].append((wall, cpu))
                loads.append(os.getloadavg()[0])
        print(f"build   html + pdf + epub (edition build --no-cache), median of {rounds} alternated rounds "
              f"(load {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} cores; goal < 20 s wall):")
        for name, runs in figures.items():
            print(f"  {name:<10} {statistics.median(w for w, _ in runs):5.1f} s wall "
                  f"{statistics.median(c for _, c in runs):5.1f} s CPU   "
                  f"(runs: {', '.join(f'{w:.1f}/{c:.1f}' for w, c in runs)})")
        print("  timeline of this tree's build:")
        timeline([ours, "--root", str(roots["this tree"]), "build", "--no-cache"], sys.stdout)


def bench_pages(book) -> None:
    from tests.pdf.layout import chapter_last_pages, read_pages
    pages = read_pages(book)
    last = chapter_last_pages(pages)
    rows = [(p.number, *p.shares(), p.number in last) for p in pages if p.is_source]
    print("page   text  notes  blank")
    for number, text, notes, blank, is_last in rows:
        print(f"{number:4d}  {text:5.0%}  {notes:5.0%}  {blank:5.0%}{'  (chapter end)' if is_last else ''}")
    inner = [r for r in rows if not r[4]]
    print(f"source pages {len(rows)}: notes at most {max(r[2] for r in rows):.0%} (bound 35 %), "
          f"blank at most {max(r[3] for r in inner):.0%} except chapter ends (bound 20 %), "
          f"mean text {sum(r[1] for r in rows) / len(rows):.0%}, notes {sum(r[2] for r in rows) / len(rows):.0%}, "
          f"blank {sum(r[3] for r in rows) / len(rows):.0%}")


def bench_pdf_only() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(ROOT / "tei", root / "tei")
        (root / "node_modules").symlink_to(ROOT / "node_modules")
        edition = Edition.at(root)
        bench_pdf(edition)
        bench_both(edition)


def bench_tei_all() -> None:
    """check --tei-all on a register-heavy file (persons.xml repeated to ~1.2 MB) against jing alone."""
    import re
    import subprocess
    tei_all = ROOT.parent / "shared" / "schema" / "tei_all.rng"
    if not (tei_all.exists() and shutil.which("jing")):
        print("tei-all (skipped: no tei_all.rng or jing)")
        return
    from edition.checking.schema import QUICK_JVM, jing_command
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(ROOT / "tei", root / "tei")
        path = root / "tei" / "registers" / "persons.xml"
        text = path.read_text("utf-8")
        start, end = text.index("<person "), text.rindex("</person>") + len("</person>")
        people = text[start:end]
        copies = "".join(re.sub(r'xml:id="([^"]+)"', rf'xml:id="\1-x{k}"', people) for k in range(1, 40))
        path.write_text(text[:end] + copies + text[end:], "utf-8")
        size = path.stat().st_size / 1e6
        edition = Edition.at(root)
        def cpu(function) -> float:
            """CPU seconds of this process and its children (jing) while `function` runs."""
            import resource
            before = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
            function()
            after = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
            return sum(a.ru_utime + a.ru_stime - b.ru_utime - b.ru_stime for a, b in zip(after, before))
        check = lambda: api.check(edition, [path], tei_all=tei_all)  # noqa: E731
        # jing alone as it is installed (Debian's jars, the JVM's defaults), and with the JVM set
        # for a short run as `edition check` starts it (schema.QUICK_JVM)
        alone = lambda: subprocess.run([*jing_command(), str(tei_all), str(path)], capture_output=True)  # noqa: E731
        quick = lambda: subprocess.run([*jing_command(1), str(tei_all), str(path)], capture_output=True)  # noqa: E731
        ours, jing, tuned = timed(check, repeat=3), timed(alone, repeat=3), timed(quick, repeat=3)
        ours_cpu, jing_cpu, tuned_cpu = cpu(check), cpu(alone), cpu(quick)
        print(f"tei-all {size:.1f} MB register: edition check --tei-all {ours:.2f} s, jing alone {jing:.2f} s, "
              f"ratio {ours / jing:.2f} (goal <= 1.2); cpu {ours_cpu:.2f} s against {jing_cpu:.2f} s, "
              f"ratio {ours_cpu / jing_cpu:.2f}")
        print(f"tei-all   against jing alone with the same JVM settings ({' '.join(QUICK_JVM)}): "
              f"{tuned:.2f} s, ratio {ours / tuned:.2f}; cpu {tuned_cpu:.2f} s, ratio {ours_cpu / tuned_cpu:.2f}")


def bench_scale() -> None:
    import os
    import scale
    sizes = [int(n) for n in os.environ.get("BENCH_SCALE", "4 40 200 1000").split()]
    scale.table([scale.measure(n) for n in sizes])


if __name__ == "__main__":
    if sys.argv[1:] == ["pdf"]:  # python bench/run.py pdf: the book alone
        bench_pdf_only()
        raise SystemExit
    if sys.argv[1:2] == ["full"]:  # python bench/run.py full [--against EXE] [--rounds N]
        import argparse
        asked = argparse.ArgumentParser(prog="bench/run.py full")
        asked.add_argument("--against", help="another `edition` executable (e.g. main's) to alternate with")
        asked.add_argument("--rounds", type=int, default=3)
        options = asked.parse_args(sys.argv[2:])
        bench_full_against(options.against, options.rounds)
        raise SystemExit
    if sys.argv[1:2] == ["html"]:  # python bench/run.py html: the site alone, clean and incremental
        import argparse
        asked = argparse.ArgumentParser(prog="bench/run.py html")
        asked.add_argument("--against", help="another `edition` executable (e.g. main's) to alternate with")
        asked.add_argument("--rounds", type=int, default=3)
        options = asked.parse_args(sys.argv[2:])
        bench_html_against(options.against, options.rounds) if options.against else bench_html()
        raise SystemExit
    bench_import()
    bench_check()
    bench_build()
    bench_extra_outputs()
    bench_tei_all()
    bench_scale()
