"""Rendered HTML items → valid HTML5: a container element, or a standalone page.

Behaviours build elements freely; HTML's parser, though, closes a <p> at the
first <div> inside it, so a block rendered inside phrasing content would come
apart in the browser (and in WeasyPrint). `demote_blocks` renames such blocks
to <span> with a `demoted-<tag>` class (styles/css/tei.css displays them as
blocks) before anything is serialised.
"""
from __future__ import annotations

from lxml import etree

from ..safety import clean_stylesheet, sanitize
from . import compiled
from .behaviours.markup import append

# Elements whose content model is phrasing content only (HTML §3.2.5.2.5).
PHRASING_ONLY = {"p", "span", "a", "em", "strong", "b", "i", "u", "s", "small", "sub", "sup", "q", "cite",
                 "abbr", "code", "mark", "time", "data", "bdi", "bdo", "button", "label", "dt", "pre",
                 "h1", "h2", "h3", "h4", "h5", "h6", "caption", "figcaption", "summary", "legend"}
# Flow elements that may not stand inside phrasing content.
BLOCKS = {"div", "p", "section", "article", "aside", "header", "footer", "nav", "main", "figure",
          "figcaption", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "table", "caption", "tbody",
          "thead", "tfoot", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "pre", "address",
          "details", "summary", "fieldset", "form"}


def container(items, mode: str) -> etree._Element:
    """The rendered items in one <div class="tei-render">, made valid HTML."""
    out = etree.Element("div", {"class": f"tei-render mode-{mode}"})
    append(out, items)
    demote_blocks(out)
    sanitize(out)  # the one attribute/URL policy for every behaviour and template (edition.safety)
    return out


def demote_blocks(element, in_phrasing: bool = False) -> None:
    """Rename every block inside phrasing content, in one walk of start/end events
    (counting the phrasing elements open), all found before any is renamed."""
    depth, found = (1 if in_phrasing else 0), []
    for event, child in etree.iterwalk(element, events=("start", "end")):
        if child is element:
            continue
        tag = child.tag
        if event == "start":
            if depth and tag in BLOCKS:
                found.append(child)
            if tag in PHRASING_ONLY:
                depth += 1
        elif tag in PHRASING_ONLY:
            depth -= 1
    for child in found:
        child.set("class", f"{child.get('class', '')} demoted-{child.tag}".strip())
    for child in found:
        child.tag = "span"


def escape(text: str, quote: bool = True) -> str:
    """html.escape (importing html loads html.entities, a hundredth of `edition render`)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;").replace("'", "&#x27;") if quote else text


def to_html(items) -> str:
    """Serialise rendered items (a fragment) as HTML."""
    parts = []
    for item in items:
        parts.append(escape(item, quote=False) if isinstance(item, str) else html_string(item))
    return "".join(parts)


def html_string(element) -> str:
    """lxml.html.tostring (which also drops <meta http-equiv="Content-Type">), without
    importing lxml.html for the common case of markup that has no <meta> at all."""
    text = etree.tostring(element, method="html", encoding="unicode")
    if "<meta" in text:
        from lxml import html as lxml_html
        return lxml_html.tostring(element, encoding="unicode")
    return text


def standalone(body, title: str, lang: str | None, css: list[str], direction: str | None = None) -> str:
    """A complete HTML5 page around a rendered body. Without a language, the page
    says so (lang="und", BCP 47's undetermined) and lets the browser find the
    direction (dir="auto")."""
    styles = "\n".join(f"<style>\n{compiled.remembered(clean_stylesheet, sheet)}\n</style>"
                       for sheet in css if sheet.strip())
    attributes = f' lang="{escape(lang or "und")}"' + (f' dir="{direction}"' if direction else ' dir="auto"' if not lang else "")
    return (f'<!DOCTYPE html>\n<html{attributes}>\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n{styles}\n</head>\n<body>\n<main>\n"
            f'<h1 class="document-title">{escape(title)}</h1>\n'
            f"{html_string(body)}\n</main>\n</body>\n</html>\n")
