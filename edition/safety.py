"""The one policy for what the edition writes into HTML and CSS, and what it reads.

TEI from anyone is rendered into pages a reader opens, so everything that
comes from a TEI file or an ODD and ends up in HTML passes here:

- ids of sources and pages are a closed syntax (`SOURCE_ID`), and the site's
  URLs for them are made by `site_url`, which can only produce a relative
  path inside the site;
- links (`safe_link`) are fragments, relative references (followed only
  when a reader clicks them), or http(s)/mailto URLs; embedded resources (`safe_resource`: images, CSS url())
  are relative paths inside the edition only, never another host or an
  absolute path;
- rendered elements (`sanitize`) keep only harmless elements and attributes:
  no script, no event handlers, no javascript:/data: links, no autofocus;
- CSS from ODD and TEI renditions (`css_declarations`, `clean_stylesheet`) is
  parsed with tinycss2 and reduced to plain declarations: no url(), no
  @import, nothing that closes the rule it was put in;
- the PDF's resources (`PdfFetcher`) are the edition's own files and the
  package's assets; every other URL is refused with a warning.

Parsing limits live here too: how deep elements may nest (`MAX_DEPTH`, so
that rendering never exhausts Python's stack) and how large an imported text
may be (`MAX_IMPORT_BYTES`).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable
from urllib.parse import quote, unquote, urlsplit


# Source and page ids: the ASCII subset of xml:id's NCName that is also a safe
# file and URL path segment (no colon, no slash, no space, no percent sign).
SOURCE_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,99}")
# Deepest element nesting accepted in any TEI file (TEI itself rarely goes past 30).
MAX_DEPTH = 120
# Largest plain-text file `edition import` reads unless told otherwise (--max-size).
MAX_IMPORT_BYTES = 50 * 1024 * 1024

LINK_SCHEMES = {"http", "https", "mailto"}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# Browsers drop these anywhere in a URL before reading its scheme ("java\tscript:").
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def valid_source_id(value: str) -> bool:
    return bool(SOURCE_ID.fullmatch(value or "")) and value not in (".", "..")


def source_id_problem(value: str) -> str | None:
    """Why `value` cannot be a source id (None when it can)."""
    if valid_source_id(value):
        return None
    return (f"{value!r} is not a valid source id: a letter or _ first, then letters, digits, "
            "'.', '_' or '-' (at most 100 characters)")


def site_url(page_id: str, fragment: str | None = None) -> str:
    """The site's URL of a page: `ID.html`, relative, inside the site, always."""
    if not valid_source_id(page_id):
        raise ValueError(source_id_problem(page_id))
    url = f"{page_id}.html"
    return f"{url}#{quote(fragment, safe='-._~')}" if fragment else url


def _scheme(url: str) -> str | None:
    match = _SCHEME.match(_IGNORED_IN_URL.sub("", url))
    return match[1].lower() if match else None


def _inside(path: str) -> bool:
    """A relative path that does not climb out of the folder it is resolved in."""
    if path.startswith(("/", "\\")) or "\\" in path:
        return False
    depth = 0
    for segment in unquote(path).split("/"):
        if segment == "..":
            depth -= 1
            if depth < 0:
                return False
        elif segment not in ("", "."):
            depth += 1
    return True


def safe_link(url: str | None) -> str | None:
    """`url` if a reader may follow it from a page, else None: a fragment, a
    relative reference (not an absolute path), or an http(s)/mailto URL."""
    if url is None:
        return None
    url = url.strip()
    if not url or _CONTROL.search(url):
        return None
    scheme = _scheme(url)
    if scheme is not None:
        return url if scheme in LINK_SCHEMES and (scheme == "mailto" or urlsplit(url).netloc) else None
    if url.startswith(("//", "\\")) or "\\" in url:  # scheme-relative: another host
        return None
    return None if urlsplit(url).path.startswith("/") else url


def safe_resource(url: str | None) -> str | None:
    """`url` if a page or the book may embed it: a relative path inside the
    edition, never another host, an absolute path or a script URL."""
    url = local_url(url)
    return url if url is not None and _inside(urlsplit(url).path) else None


def local_url(url: str | None) -> str | None:
    """`url`, stripped, if it is a relative URL of a local file: no scheme, no host, no absolute
    path, no backslash or control character. Where it leads is the caller's to check (it may
    climb out of its folder: `within` after resolving it against its document)."""
    if not url:
        return None
    url = url.strip()
    if _CONTROL.search(url) or _scheme(url) is not None or url.startswith(("//", "/", "\\")) or "\\" in url:
        return None
    return url


# --- rendered HTML ---------------------------------------------------------------------
DROPPED_ELEMENTS = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
                    "base", "link", "meta", "form", "input", "textarea", "select", "option",
                    "noscript", "template", "svg", "math", "portal", "param", "source", "track",
                    "video", "audio", "canvas", "dialog", "slot"}
LINK_ATTRIBUTES = {"href", "cite"}
RESOURCE_ATTRIBUTES = {"src", "poster"}
DROPPED_ATTRIBUTES = {"srcdoc", "srcset", "formaction", "action", "autofocus", "background",
                      "dynsrc", "lowsrc", "ping", "manifest", "codebase", "data", "usemap",
                      "longdesc", "xmlns", "is", "nonce", "http-equiv", "content", "contenteditable",
                      "formmethod", "method", "integrity", "classid", "archive",
                      "attributionsrc", "shadowrootmode", "writingsuggestions"}
_TAG = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
_ATTRIBUTE = re.compile(r"[a-z][a-z0-9_-]*")


def sanitize(root) -> None:
    """Make rendered HTML (an lxml element tree, no namespaces) harmless, in
    place: dropped elements go (their tail text stays), every attribute is
    checked, URLs by `safe_link`/`safe_resource`, style by `css_declarations`.
    One walk finds what goes; it goes after the walk (the order of removals does
    not change the text kept: a tail always joins what precedes it)."""
    doomed = []
    plain, tags = PLAIN_ATTRIBUTES, _TAGS
    for element in root.iter():
        tag = element.tag
        if tag.__class__ is not str:  # comments, processing instructions
            if element is not root and element.getparent() is not None:
                doomed.append(element)
            continue
        allowed = tags.get(tag)
        if allowed is None:
            allowed = _allowed_tag(tag)
        if not allowed and element is not root:
            doomed.append(element)
            continue
        names = element.keys()
        if names and not plain.issuperset(names):
            for name, value in [(n, v) for n, v in element.items() if n not in plain]:
                cleaned = clean_attribute(name, value)
                if cleaned is None:
                    del element.attrib[name]
                elif cleaned != value:
                    element.set(name, cleaned)
    for element in doomed:
        _remove(element)


# Attributes every rendered element carries, which clean_attribute keeps as they are
# whatever their value: passed over without a look (a third of sanitize's time, issue 15).
PLAIN_ATTRIBUTES = frozenset({"class", "id", "lang", "dir", "title"})
_TAGS: dict[str, bool] = {}


def _allowed_tag(tag: str) -> bool:
    allowed = _TAGS.get(tag)
    if allowed is None:
        lower = tag.lower()
        allowed = _TAGS[tag] = lower not in DROPPED_ELEMENTS and bool(_TAG.fullmatch(lower))
    return allowed


def clean_attribute(name: str, value: str) -> str | None:
    """The value an attribute may keep in a page, or None to drop it."""
    name = name.lower()
    if not _ATTRIBUTE.fullmatch(name) or name.startswith("on") or name in DROPPED_ATTRIBUTES:
        return None
    if name in LINK_ATTRIBUTES:
        return safe_link(value)
    if name in RESOURCE_ATTRIBUTES:
        return safe_resource(value)
    if name == "style":
        return css_declarations(value) or None
    if name == "target":  # a new tab at most, never a named frame of another page
        return value if value in ("_blank", "_self") else None
    return value


def _remove(element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    parent.remove(element)
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


# --- CSS -------------------------------------------------------------------------------
DROPPED_PROPERTIES = {"behavior", "-moz-binding", "-ms-behavior"}
DROPPED_FUNCTIONS = {"url", "image", "image-set", "-webkit-image-set", "cross-fade", "element",
                     "expression", "src", "paint", "env"}
_PROPERTY = re.compile(r"-?[a-z][a-z0-9-]*")


def css_declarations(text: str | None) -> str:
    """A CSS declaration block (an ODD's or a TEI document's rendition) reduced
    to plain declarations: no url() or other fetching function, nothing that
    could close the rule it is put in or the <style> element it sits in."""
    if not text:
        return ""
    kept = []
    import tinycss2  # here: most commands never parse CSS (start-up, issue 15)
    for node in tinycss2.parse_declaration_list(text, skip_comments=True, skip_whitespace=True):
        if node.type != "declaration" or not _PROPERTY.fullmatch(node.lower_name):
            continue
        if node.lower_name in DROPPED_PROPERTIES or not _harmless(node.value):
            continue
        value = tinycss2.serialize(node.value).strip()
        if value and "<" not in value:
            kept.append(f"{node.lower_name}: {value}{' !important' if node.important else ''};")
    return " ".join(kept)


def _harmless(tokens) -> bool:
    for token in tokens:
        if token.type in ("url", "{} block", "at-keyword", "bad-url", "bad-string", "error"):
            return False
        if token.type == "literal" and token.value in ("{", "}", ";", "<", "@"):
            return False
        if token.type == "function" and (token.lower_name in DROPPED_FUNCTIONS or not _harmless(token.arguments)):
            return False
        if token.type in ("() block", "[] block") and not _harmless(token.content):
            return False
        if token.type == "string" and "<" in token.value:
            return False
    return True


def clean_stylesheet(text: str | None) -> str:
    """A whole stylesheet from an ODD reduced to rules of plain declarations
    (@media and @supports kept with their cleaned rules; @import, @font-face
    and other at-rules dropped)."""
    if not text:
        return ""
    out = []
    import tinycss2
    for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule":
            selector = tinycss2.serialize(rule.prelude).strip()
            body = css_declarations(tinycss2.serialize(rule.content or []))
            if selector and body and _harmless(rule.prelude) and "<" not in selector:
                out.append(f"{selector} {{ {body} }}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content:
            inner = clean_stylesheet(tinycss2.serialize(rule.content))
            condition = tinycss2.serialize(rule.prelude).strip()
            if inner and _harmless(rule.prelude) and "<" not in condition:
                out.append(f"@{rule.lower_at_keyword} {condition} {{\n{inner}\n}}")
        elif rule.type == "at-rule" and rule.lower_at_keyword == "page" and rule.content is not None:
            body = css_declarations(tinycss2.serialize(rule.content))
            condition = tinycss2.serialize(rule.prelude).strip()
            if body and _harmless(rule.prelude) and "<" not in condition:
                out.append(f"@page {condition} {{ {body} }}".replace("@page  {", "@page {"))
    return "\n".join(out)


# --- the PDF's resources ---------------------------------------------------------------
def within(path: Path, folders) -> bool:
    path = Path(path).resolve()
    return any(path == Path(f).resolve() or Path(f).resolve() in path.parents for f in folders)


def pdf_fetcher(folders, warn: Callable[[str], None]):
    """A WeasyPrint URL fetcher that serves files inside `folders` (the
    edition's own and the package's assets) and data: URLs, and refuses every
    other URL (another host, a file elsewhere) with a warning."""
    from urllib.request import url2pathname

    from weasyprint.urls import URLFetcher

    class PdfFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = _scheme(url)
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(url2pathname(urlsplit(url).path))
                if within(path, folders) and path.is_file():
                    return super().fetch(url, headers)
                if within(path, folders):
                    warn(f"the book does not embed {url}: there is no such file")
                    raise ValueError(f"no such file: {url}")
            warn(f"the book does not embed {url}: only files inside the edition are used")
            raise ValueError(f"refused by the edition: {url}")

    return PdfFetcher(timeout=5, allow_redirects=False, allowed_protocols={"file", "data"})
