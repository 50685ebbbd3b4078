"""The TEI Processing Model in Python: TEI + an ODD's <model> rules → HTML for web and print.

    model = load_odd("styles/edition.odd")
    element = render_document(parse_file("tei/sources/pl-khasan.xml"), model, mode="web")
    page = render_file("letter.xml", odd_path="serafin.odd", mode="print")

One ODD (compatible with TEI Publisher's) drives both outputs: "web" for the
site, "print" for the book (the web behaviours with notes and alternates as
CSS footnotes). Pipeline: odd.py reads the ODD into a dispatch table
(table.py) of compiled expressions (xquery.py → expressions.py);
engine.py applies it to a TEI tree through the behaviours/; page.py makes
valid HTML of the result.
"""
from __future__ import annotations

from pathlib import Path

from ..diagnostics import InvalidEdition
from ..safety import clean_stylesheet, css_declarations
from ..xmlio import parse_file_checked, tei
from .engine import Renderer
from .languages import direction, document_language
from .odd import load_odd, odd_search_path
from .page import container, standalone, to_html
from .table import ProcessingModel

__all__ = ["ProcessingModel", "Renderer", "load_odd", "odd_coverage", "odd_search_path", "render_document",
           "render_file",
           "web_renderer", "print_renderer"]


def render_document(tree, model: ProcessingModel, mode: str = "web", parameters: dict | None = None,
                    strict: bool = False, warn=None, tracer=None):
    """The rendered TEI document as one HTML element (a <div> for a page's body).
    An expression of the ODD that fails on this document is a warning (given
    to `warn`) and its model is passed over; with `strict` it raises InvalidEdition."""
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    renderer = Renderer(model, mode, parameters, strict=strict, tracer=tracer)
    items = renderer.render(root)
    if not renderer.report.ok:
        raise InvalidEdition(f"{len(renderer.report.errors)} problem(s) while rendering",
                             renderer.report.diagnostics)
    for warning in renderer.report.diagnostics:
        if warn:
            warn(warning)
    return container(items, mode)


def render_file(tei_path, odd_path=None, mode: str = "web", edition_root=None,
                parameters: dict | None = None, warn=None, search_path=(), tracer=None) -> str:
    """A standalone HTML5 page for a TEI file: title from its header, CSS inlined
    (css/tei.css of the edition's styles or the package's, then the ODD's outputRendition rules).
    `warn` is called with each warning about the ODD and the rendering;
    a `tracer` (coverage.Tracer) is told which model fired for each element;
    inherited ODDs are looked for beside the ODD, then along `search_path`
    and the edition's styles folders."""
    from ..resources import Styles
    styles = Styles(Path(edition_root) / "styles" if edition_root is not None else None)  # None: the package's
    model = load_odd(odd_path or styles.odd, search_path=odd_search_path(search_path, styles.folders))
    for warning in model.warnings:
        if warn:
            warn(warning)
    tree, parse_warnings = parse_file_checked(tei_path, collect_ids=False)
    for warning in parse_warnings:  # an external DTD not loaded (edition.xmlio)
        if warn:
            warn(warning)
    body = render_document(tree, model, mode, parameters, warn=warn, tracer=tracer)
    css = [styles.find("css/tei.css").read_text("utf-8"), model.css, document_css(tree)]
    lang = document_language(tree)
    return standalone(body, document_title(tree) or Path(tei_path).stem, lang, css,
                      direction(lang, tree.getroot().find(f".//{tei('text')}")) if lang else "auto")


def document_title(tree) -> str:
    root = tree.getroot()
    found = root.find(f"{tei('teiHeader')}/{tei('fileDesc')}/{tei('titleStmt')}/{tei('title')}")  # where it is
    if found is None:
        found = root.find(f".//{tei('titleStmt')}/{tei('title')}")
    return " ".join("".join(found.itertext()).split()) if found is not None else ""


def document_lang(tree) -> str | None:
    """The language of the document's text (see languages.document_language)."""
    return document_language(tree)


def document_css(tree) -> str:
    """The document's own renditions (tagsDecl/rendition), for @rendition="#id"."""
    rules = []
    for rendition in tree.getroot().iter(tei("rendition")):
        xml_id = rendition.get("{http://www.w3.org/XML/1998/namespace}id")
        css = css_declarations(rendition.text)
        if xml_id and css and rendition.get("scheme", "css") == "css":
            rules.append(f".document_{xml_id} {{ {css} }}")
    return "\n".join(rules)


def _renderer(edition, mode: str, refs=None, images=None):
    """render(element, content_only=False) -> HTML through the edition's ODD.
    The site and the book place factual-problem markers and footnotes
    themselves, so the ODD's own markers are off (markers="none")."""
    model = load_odd(edition.styles.odd, search_path=odd_search_path((), edition.styles.folders))

    page = {}

    def new_page() -> None:
        """Start a new output page: generated ids (popovers, notes) are unique per page."""
        page["renderer"] = Renderer(model, mode, {"markers": "none"}, strict=True, images=images)

    def render(element, content_only: bool = False) -> str:
        renderer = page["renderer"]
        items = container(renderer.render(element, content_only), mode)
        if not renderer.report.ok:
            raise InvalidEdition("problems while rendering", renderer.report.diagnostics)
        html = to_html([items.text or "", *items])
        return refs(html, element) if refs else html
    new_page()
    render.new_page = new_page
    render.renderer = lambda: page["renderer"]  # the page's Renderer: its journal (html/kept.py)
    render.stylesheet = model.stylesheet if model.stylesheet is not None else clean_stylesheet(model.css)
    return render


def web_renderer(edition, refs=None):
    """The edition's TEI through styles/edition.odd in web mode, as HTML strings, for the site.
    `refs(html, element) -> html`: the view's resolution of the names' pointers to register
    entries (EditionView.resolve_refs), so that a document's own "#K2" becomes its entry's ref.
    A source's images are shown from their copies in the site (edition/media.py)."""
    from ..media import site_images
    return _renderer(edition, "web", refs, site_images(edition.tei_dir))


def print_renderer(edition, refs=None, images=None):
    """The same in print mode (notes and alternates as CSS footnotes), for the book: a source's
    images by their path in the edition's folder, the book's base (edition/media.py); `images`
    places them otherwise (the EPUB)."""
    from ..media import book_images
    return _renderer(edition, "print", refs, images or book_images(edition.tei_dir))


def odd_coverage(odd_path, documents, modes=("web", "print"), search_path=(), edition_root="."):
    """coverage.coverage() of an ODD file (found as render_file finds it) over TEI files."""
    from ..resources import Styles
    from .coverage import coverage
    styles = Styles(Path(edition_root) / "styles")
    model = load_odd(odd_path, search_path=odd_search_path(search_path, styles.folders))
    return coverage(model, documents, modes)
