"""Proof that a change to the renderer leaves every render byte-identical.

    python bench/same_renders.py write FOLDER      # before the change: keep every render
    python bench/same_renders.py compare FOLDER    # after: render again, compare byte for byte

Renders, through `edition.model.render_file` (what `edition render` runs), every
ODD at hand over every document at hand, in both modes: our styles/edition.odd,
the package's defaults.odd, the shared fixture ODDs and, if fetched
(tests/model/fetch_tp_odds.sh), TEI Publisher's ODDs; the shared fixture TEI,
the anchor's Romeo and Kant (bench/fetch_anchor.sh) and our tei/ files. What is
kept of each render: the HTML page, the warnings given to `warn`, or the error
it ended with. Also the site's renderer (`web_renderer`/`print_renderer` of our
edition, per source, as `edition build` calls it). FOLDER is outside the
repository (a scratch folder); nothing here is a test, it is the check a
speed-up is held to. The checkout's and the shared folder's paths (in warnings,
document-uri()) are written as ROOT and SHARED, so that two checkouts compare.
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if (p / "fixtures").is_dir()),
              ROOT.parent / "shared")
FETCHED = ROOT / ".fetched" / "tp"
ANCHOR_DOCS = ROOT / "bench" / "anchor" / "docs"


def odds() -> list[Path]:
    found = [ROOT / "styles" / "edition.odd", ROOT / "edition" / "model" / "defaults.odd"]
    found += sorted((SHARED / "fixtures" / "odd").glob("*.odd"))
    found += sorted(FETCHED.glob("*/*.odd"))
    return found


def documents() -> list[Path]:
    found = sorted((SHARED / "fixtures" / "tei").glob("*.xml"))
    found += [p for p in (ANCHOR_DOCS / "F-rom.xml", ANCHOR_DOCS / "kant_rvernunft_1781.TEI-P5.xml") if p.exists()]
    found += sorted((ROOT / "tei").rglob("*.xml"))
    return found


def renders():
    """(name, bytes) of every render."""
    from edition.model import render_file
    for odd in odds():
        for document in documents():
            for mode in ("web", "print"):
                warnings = []
                try:
                    page = render_file(document, odd, mode, search_path=[FETCHED / "current"],
                                       warn=lambda w: warnings.append(str(w)))
                except Exception as error:  # noqa: BLE001 - the error is part of what is compared
                    page = f"ERROR {type(error).__name__}: {error}"
                name = f"{odd.parent.name}-{odd.stem}--{document.stem}--{mode}"
                yield name, ("\n".join(warnings) + "\n=====\n" + page).encode("utf-8")
    yield from site_renders()


def site_renders():
    """Our edition's sources through the site's and the book's renderers, element by element
    as the pages render them (each source's text and its notes)."""
    from edition.model import print_renderer, web_renderer
    from edition.project import Edition
    from edition.xmlio import parse_file, tei
    edition = Edition.at(ROOT)
    for maker in (web_renderer, print_renderer):
        render = maker(edition)
        for path in sorted((ROOT / "tei").rglob("*.xml")):
            render.new_page()
            tree = parse_file(path)
            parts = [render(tree.getroot().find(f".//{tei('text')}"))]
            parts += [render(note, content_only=True) for note in tree.getroot().iter(tei("note"))]
            yield f"site-{maker.__name__}--{path.stem}", "\n".join(parts).encode("utf-8")


def normalised(data: bytes) -> bytes:
    """The render with the checkout's and the fixtures' folders named ROOT and SHARED."""
    text = data.decode("utf-8")
    for folder, name in ((ROOT, "ROOT"), (SHARED, "SHARED"), (SHARED.resolve(), "SHARED")):
        text = text.replace(str(folder), name)
    return text.encode("utf-8")


def main() -> None:
    action, folder = sys.argv[1], Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    count, differ, missing = 0, [], []
    for name, data in renders():
        data = normalised(data)
        count += 1
        path = folder / f"{name}.out"
        if action == "write":
            path.write_bytes(data)
        elif not path.exists():
            missing.append(name)
        elif normalised(path.read_bytes()) != data:
            differ.append(name)
            (folder / f"{name}.new").write_bytes(data)
        print(f"{count:4d} {name} {hashlib.sha256(data).hexdigest()[:12]}", flush=True)
    if action == "compare":
        print(f"{count} renders: {count - len(differ) - len(missing)} identical, {len(differ)} differ "
              f"(NAME.new beside NAME.out), {len(missing)} not kept before")
        for name in differ + missing:
            print("  DIFFERS" if name in differ else "  MISSING", name)
        sys.exit(1 if differ or missing else 0)
    print(f"{count} renders kept in {folder}")


if __name__ == "__main__":
    main()
