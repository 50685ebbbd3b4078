"""The images a source shows (`<graphic url="images/f1.png"/>`): files beside the TEI, carried
by the site, the book and the EPUB.

A relative url is read as TEI reads it, against the element's base: its file, or an xml:base
on the way (§1.3.1.1.3; lxml's `element.base`). An image is carried when it lies under the
edition's tei/ folder (the edition's data, whose bytes the build's cache keys on:
pipeline/inputs.py) and is of a type every browser and WeasyPrint show (`IMAGE_TYPES`).
Anything else keeps its url as the source wrote it, and `edition check` says why (the
`image` rule, checking/rules.py). SVG is not carried: opened from the site on its own, an
SVG runs its scripts with the site's rights.

Where an image goes: the site mirrors tei/ under build/html/tei/ (the TEI downloads), so an
image is copied beside its TEI file there — the downloaded TEI's own relative url still
works — and the page's `src` names that copy. The book reads the same path against the
edition's folder and embeds the file (the PDF's fetcher allows files inside the edition);
the EPUB carries it as a manifest item. Where an image goes on the site is read from the
url's text alone, never from the disk, so a kept page is the page the url makes; the bytes
are read when the image is copied.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from .safety import local_url

TEI = "{http://www.tei-c.org/ns/1.0}"
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".webp": "image/webp"}
# the element whose @url the processing model shows as an image (edition/model/defaults.odd)
GRAPHIC = f"{TEI}graphic"


def image_path(url: str | None, base: str | None, tei_dir: Path) -> Path | None:
    """The image a relative `url` read against `base` (its TEI file's path, or a file: URL)
    names, when the edition carries it: under `tei_dir`, of a type of IMAGE_TYPES. Read from
    the text alone (no file is looked at): the same url always lands in the same place."""
    url = local_url(url)  # None: another host, a data: or script URL, an absolute path
    if url is None or not base:
        return None
    parts = urlsplit(url)
    if parts.query or not parts.path:
        return None
    candidate = _resolved(parts.path, base)
    folder = Path(os.path.abspath(tei_dir))
    if candidate is None or candidate.suffix.lower() not in IMAGE_TYPES or folder not in candidate.parents:
        return None
    return candidate


def _resolved(path: str, base: str) -> Path | None:
    """The local path a relative URL path names, read against `base` as a URL is: against the
    folder `base` names when it ends in "/" (an xml:base="images/"), else against its file's
    folder. None when `base` is on another host."""
    if base.startswith("file:"):
        base = unquote(urlsplit(base).path)
    elif len(urlsplit(base).scheme) > 1:  # (one letter: a Windows drive)
        return None
    folder = base if base.endswith("/") else os.path.dirname(base)
    return Path(os.path.normpath(os.path.join(os.path.abspath(folder), unquote(path))))


def readable(path: Path, tei_dir: Path) -> Path | None:
    """`path` (from image_path) when it is a regular file that, links followed, is still under
    `tei_dir`: the file whose bytes are copied. None: missing, or a link out of the edition."""
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    inside = Path(tei_dir).resolve() in resolved.parents
    return resolved if inside and resolved.is_file() else None


def images_of(document_root, tei_dir: Path) -> list[Path]:
    """The images a document shows that the edition carries, each once, in document order."""
    found = {}
    for element in shown(document_root):
        path = image_path(element.get("url"), element.base, tei_dir)
        if path is not None:
            found.setdefault(path, None)
    return list(found)


def shown(document_root) -> list:
    """The image elements of a document the pages show: those in its text (a facsimile's or a
    header's images are not shown). A walk of the tree, not XPath's //: a build runs it on
    every document (the check's image rule), and it is a few hundred times faster."""
    return [element for element in document_root.iter(GRAPHIC)
            if element.get("url") is not None and next(element.iterancestors(f"{TEI}text"), None) is not None]


def site_path(path: Path, tei_dir: Path) -> str:
    """Where the site keeps an image: beside its TEI file's copy under tei/ (exports.tei_path)."""
    return "tei/" + path.relative_to(Path(os.path.abspath(tei_dir))).as_posix()


def why_not_carried(element, tei_dir: Path) -> str | None:
    """Why the image `element` shows is not carried, for the check's warning. None: it is; or
    its url names another host, or a file outside the edition, which checking/safety.py's
    `resource` rule already reports."""
    url = local_url(element.get("url"))
    if not url or element.base is None:
        return None
    suffix = Path(unquote(urlsplit(url).path)).suffix.lower()
    if suffix not in IMAGE_TYPES:
        return (f"the image {url!r} is not of a type the edition carries ({', '.join(sorted(IMAGE_TYPES))})"
                + ("; an SVG opened from the site would run its scripts" if suffix == ".svg" else ""))
    path = image_path(url, element.base, tei_dir)
    if path is None:
        lexical = _resolved(urlsplit(url).path, element.base)
        if lexical is None or Path(os.path.abspath(tei_dir)).parent not in lexical.parents:
            return None  # outside the edition: the resource rule says so
        return f"the image {url!r} is not under the edition's tei/ folder, so the site and the book do not carry it"
    if readable(path, tei_dir) is None:
        shown = path.relative_to(Path(os.path.abspath(tei_dir)).parent).as_posix()
        return f"the image {url!r} is not found at {shown} (or links out of the edition)"
    return None


def site_images(tei_dir: Path):
    """The site's `images` for the processing model (engine.Renderer): a carried image is shown
    from its copy beside the TEI copy (the pages sit at the site's top), "tei/sources/…"."""
    def placed(url: str, node) -> str | None:
        path = image_path(url, node.base, tei_dir)
        return quote(site_path(path, tei_dir)) if path is not None else None
    return placed


def book_images(tei_dir: Path):
    """The book's `images`: a carried image by the same path, read against the edition's folder
    (the book's base, pdf/book.py), where its file is. An image the edition does not carry is
    not fetched (the check has said why): its description stands in the book."""
    def placed(url: str, node) -> str:
        path = image_path(url, node.base, tei_dir)
        if path is None or readable(path, tei_dir) is None:
            return ""
        return quote(site_path(path, tei_dir))
    return placed


def package_images(tei_dir: Path, folder: str = "media"):
    """The EPUB's `images`: a carried image is shown from its member under `folder`/ (chapters sit
    beside that folder), named by its path under tei/."""
    def placed(url: str, node) -> str | None:
        path = image_path(url, node.base, tei_dir)
        return quote(folder + "/" + site_path(path, tei_dir).removeprefix("tei/")) if path is not None else None
    return placed
