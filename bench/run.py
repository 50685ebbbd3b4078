"""Benchmarks of the edition pipeline, printed as figures measured in one run.

    python bench/run.py        # everything
    python bench/run.py pdf    # the book alone: build time, pages/s, text/notes/blank per page

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
    """HTML site and PDF book of the whole edition, timed separately."""
    from pypdf import PdfReader
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(ROOT / "tei", root / "tei")
        shutil.copytree(ROOT / "styles", root / "styles")
        (root / "node_modules").symlink_to(ROOT / "node_modules")
        edition = Edition.at(root)
        html = timed(lambda: api.build(edition, html=True, pdf=False), repeat=1)
        pages = len(list((edition.build_dir / "html").glob("*.html")))
        print(f"html    {pages} pages: {html:.1f} s ({pages / html:.1f} pages/s)")
        bench_pdf(edition)


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


def bench_pdf(edition) -> None:
    """`build --pdf` (check, gather, one layout of the book, the PDF and its PDF/A twin), wall
    and CPU time (the machine is shared: CPU time is what the build itself costs), then the
    pages' shares of text, notes and blank as tests/pdf/layout.py measures them."""
    import resource
    from pypdf import PdfReader
    def used() -> float:  # this process and the processes it waited for (jing, a forked writer)
        return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                     resource.getrusage(resource.RUSAGE_CHILDREN)))
    before = used()
    pdf = timed(lambda: api.build(edition, html=False, pdf=True, cache=False), repeat=1)
    cpu = used() - before
    book = edition.build_dir / "pdf" / "edition.pdf"
    count = len(PdfReader(str(book)).pages)
    print(f"pdf     {count} pages, {book.stat().st_size / 1e6:.1f} MB: {pdf:.1f} s wall, {cpu:.1f} s CPU "
          f"({count / pdf:.1f} pages/s; goal < 20 s CPU: {'met' if cpu < 20 else 'not met'})")
    bench_pages(book)


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
        bench_pdf(Edition.at(root))


def bench_incremental() -> None:
    """The build cache: a second build with nothing changed, and a one-source edit."""
    import re
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(ROOT / "tei", root / "tei")
        (root / "node_modules").symlink_to(ROOT / "node_modules")
        edition = Edition.at(root)
        full = timed(lambda: api.build(edition, html=True, pdf=False, cache=False), repeat=1)
        api.build(edition, html=True, pdf=False)  # fills the cache
        unchanged = timed(lambda: api.build(edition, html=True, pdf=False))
        path = edition.sources_dir / "pl-khasan.xml"
        text = path.read_text("utf-8")
        match = re.search(r'(<div type="translation".*?<s [^>]*>)', text, re.S)
        path.write_text(text[:match.end()] + "Edited: " + text[match.end():], "utf-8")
        edit = timed(lambda: api.build(edition, html=True, pdf=False), repeat=1)
        print(f"html    full {full:.1f} s; unchanged rebuild {unchanged:.2f} s (goal < 1 s); "
              f"one-source edit {edit:.1f} s (goal < 1 s; {edit / full:.0%} of the full build)")


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
    bench_import()
    bench_check()
    bench_build()
    bench_extra_outputs()
    bench_incremental()
    bench_tei_all()
    bench_scale()
