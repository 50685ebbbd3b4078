"""Rendered HTML fragments → XHTML an EPUB reading system accepts.

The processing model renders for browsers (buttons, popovers, data
attributes); an EPUB content document is XHTML5 checked by EPUBCheck, so
only phrasing elements and a few attributes pass, everything else becomes a
span carrying its classes. An image passes when the book carries its file (its src under
media/, edition/media.py); any other becomes its description, as text.
"""
from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

PHRASING = {"span", "a", "em", "i", "b", "strong", "sup", "sub", "br", "abbr", "q", "small", "cite",
            "code", "del", "ins", "mark", "s", "u", "bdi", "bdo", "time", "dfn", "kbd", "samp", "var"}
BLOCKS = {"p", "div", "ol", "ul", "li", "blockquote", "h2", "h3", "h4", "table", "tr", "td", "th",
          "tbody", "thead", "figure", "figcaption", "section", "dl", "dt", "dd"}
ATTRIBUTES = {"id", "class", "lang", "href", "title", "dir"}
CARRIED = "media/"  # the book's own images (epub/book.py packages them)


def fragment(rendered: str, blocks: bool = False):
    """A <span> (or <div> with `blocks`) holding the cleaned fragment, as an lxml.html element."""
    holder = lxml_html.fragment_fromstring(rendered or "", create_parent="div" if blocks else "span")
    allowed = PHRASING | (BLOCKS if blocks else set())
    for element in list(holder.iter()):
        if element is holder or not isinstance(element.tag, str):
            if not isinstance(element.tag, str) and element.getparent() is not None:
                element.drop_tree()  # comments, processing instructions
            continue
        if element.tag == "img":
            _image(element)
            continue
        if element.tag not in allowed:
            element.tag = "span"
        for name in list(element.attrib):
            if name not in ATTRIBUTES or (name == "href" and element.get(name).lower().startswith("javascript:")):
                del element.attrib[name]
        if element.tag == "a" and not element.get("href"):
            element.tag = "span"
    return holder


def _image(element) -> None:
    """An img the book carries keeps its src and description (alt: "" marks it decorative);
    any other becomes a span holding its description."""
    src, alt, classes = element.get("src") or "", element.get("alt") or "", element.get("class")
    element.attrib.clear()
    if src.startswith(CARRIED) and "/../" not in "/" + src:
        element.set("src", src)
        element.set("alt", alt)
    else:
        element.tag, element.text = "span", alt
    if classes:
        element.set("class", classes)


def to_xhtml(element) -> str:
    """The children of an lxml.html element as XML text (serialised inside an XHTML document)."""
    parts = [_escape(element.text or "")]
    for child in element:
        parts.append(etree.tostring(child, method="xml", encoding="unicode"))
    return "".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Scripts whose runs inside text of another language get their own lang (WCAG 3.1.2).
SCRIPT_LANGUAGES = (("th", "[\u0e00-\u0e7f]+"), ("zh", "[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+"))
XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def mark_script_runs(document: str) -> str:
    """Wrap each run of Thai or Chinese characters that stands in text of another language
    (a Thai word quoted in an English note) in a span with its language."""
    import re
    root = etree.fromstring(document.encode("utf-8"))
    patterns = [(lang, re.compile(pattern)) for lang, pattern in SCRIPT_LANGUAGES]
    for element in list(root.iter(f"{{{XHTML}}}*")):
        if element.tag in (f"{{{XHTML}}}head", f"{{{XHTML}}}title", f"{{{XHTML}}}style"):
            continue
        language = (element.xpath("ancestor-or-self::*[@lang][1]/@lang") or ["en"])[0].split("-")[0]
        for lang, pattern in patterns:
            if lang == language:
                continue
            _wrap(element, "text", pattern, lang)
            for child in list(element):
                _wrap(child, "tail", pattern, lang, parent=element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode("utf-8")


def _wrap(element, slot: str, pattern, lang: str, parent=None) -> None:
    text = getattr(element, slot)
    if not text or not pattern.search(text):
        return
    pieces = pattern.split(text)
    runs = pattern.findall(text)
    setattr(element, slot, pieces[0])
    anchor = element
    for run, after in zip(runs, pieces[1:]):
        span = etree.Element(f"{{{XHTML}}}span", lang=lang)
        span.set(XML_LANG, lang)
        span.text, span.tail = run, after
        if slot == "text":
            element.insert(list(element).index(anchor) + 1 if anchor is not element else 0, span)
        else:
            anchor.addnext(span)
        anchor = span
