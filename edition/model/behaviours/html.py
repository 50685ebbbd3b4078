"""TEI nodes + ODD params → HTML for the web: every behaviour of the processing model.

Each function is `(ctx, node, classes, content, **params)` and returns a list
of strings and HTML elements. `ctx` renders content (`ctx.apply`), hands out
ids (`claim_id`, `new_id`), numbers notes (`next_number`) and expands TEI
pointers (`resolve_pointer`). What is read on demand (the other reading of an
alternate, a note) sits in a native HTML popover opened by a button
(`popovertarget`): keyboard-accessible, no script needed.
Semantics follow TEI Guidelines §22.5.4.4 and TEI Publisher's html-functions.
"""
from __future__ import annotations

from lxml import etree

from ...xmlio import TEI_NS, tei
from .markup import _class_value, data_attributes, element, identity, interactive, leftover, plain, text
from .registry import WEB

behaviour = WEB.behaviour


@behaviour("paragraph")
def paragraph(ctx, node, classes, content, **optional):
    return [_around(ctx, "p", node, classes, content, optional)]


@behaviour("block")
def block(ctx, node, classes, content, **optional):
    return [_around(ctx, "div", node, classes, content, optional)]


@behaviour("section")
def section(ctx, node, classes, content, **optional):
    return [_around(ctx, "section", node, classes, content, optional)]


def _around(ctx, tag: str, node, classes, content, optional: dict):
    """element(ctx, tag, node, classes, ctx.apply(node, content), data_attributes(optional)).
    When the content is the node itself (no content param), its children are rendered
    straight into the element (Renderer.fill) instead of into a list appended after:
    the same children first, then the element's id (so ids are claimed in the same
    order), and the attributes in the same order."""
    fill = getattr(ctx, "fill", None)  # a Renderer's (a context of the behaviours' own may have none)
    if fill is None or type(content) is not list or len(content) != 1 or content[0] is not node:  # (Rendered: output)
        return element(ctx, tag, node, classes, ctx.apply(node, content), data_attributes(optional))
    out = etree.Element(tag)
    if classes:
        out.set("class", _class_value(tuple(classes)))
    fill(out, node)
    if node.attrib:
        identity(ctx, node, out)
    if optional:
        for name, value in data_attributes(optional).items():
            if value is not None and value != "":
                out.set(name, str(value))
    return out


@behaviour("body")
def body(ctx, node, classes, content):
    return [element(ctx, "div", node, [*classes, "body"], ctx.apply(node, content))]


@behaviour("document")
def document(ctx, node, classes, content):
    return [element(ctx, "article", node, [*classes, "document"], ctx.apply(node, content))]


@behaviour("metadata")
def metadata(ctx, node, classes, content):
    return [element(ctx, "header", node, [*classes, "metadata"], ctx.apply(node, content))]


@behaviour("title")
def title(ctx, node, classes, content):
    return [element(ctx, "h1", node, [*classes, "title"], ctx.apply(node, content))]


@behaviour("inline")
def inline(ctx, node, classes, content, **optional):
    return [_around(ctx, "span", node, classes, content, optional)]


@behaviour("text")
def text_behaviour(ctx, node, classes, content):
    """Literal text: the string value of the content, no markup."""
    return [text(content)]


@behaviour("omit")
def omit(ctx, node, classes, content, **ignored):
    """Nothing; TEI Publisher's ODDs give omit params (type, label) it ignores too."""
    return []


@behaviour("pass-through")
def pass_through(ctx, node, classes, content, **optional):
    """The content without a wrapper (TEI Publisher; its other params feed templates)."""
    return ctx.apply(node, content)


@behaviour("heading")
def heading(ctx, node, classes, content, level=(), **optional):
    depth = text(level)
    if not depth.isdigit():  # TEI Publisher: the number of enclosing divs
        depth = str(sum(1 for a in node.iterancestors(tei("div"))))
    rank = min(max(int(depth), 1), 6)
    return [element(ctx, f"h{rank}", node, classes, ctx.apply(node, content), data_attributes(optional))]


@behaviour("break")
def break_(ctx, node, classes, content, type=(), label=()):
    kind = text(type) or {"pb": "page", "cb": "column"}.get(_local(node), "line")
    if kind == "page":
        mark = text(label) or node.get("n", "")
        return [element(ctx, "span", node, [*classes, "page-break"], [mark], {"data-page": mark})]
    return [element(ctx, "br", node, [*classes, f"{kind}-break"])]


@behaviour("anchor")
def anchor(ctx, node, classes, content, id=()):
    wanted = text(id)
    out = element(ctx, "span", node, classes, identify=False)
    claimed = ctx.claim_id(wanted) if wanted else None
    if claimed:
        out.set("id", claimed)
    return [out]


@behaviour("link")
def link(ctx, node, classes, content, uri=(), target=(), label=(), **optional):
    """A hyperlink; `label` is its accessible name when the content is terse (a number)."""
    items = ctx.apply(node, content)
    href = ctx.resolve_pointer(text(uri))
    if not href or href.lower().lstrip().startswith(("javascript:", "data:", "vbscript:")):
        return [element(ctx, "span", node, classes, items, data_attributes(optional))]
    attrs = {"href": href, "aria-label": text(label) or None, **data_attributes(optional)}
    if text(target):
        attrs.update(target=text(target), rel="noopener")
    if interactive(items):
        return _links_around(ctx, node, classes, items, attrs)
    return [element(ctx, "a", node, classes, items or [href], attrs)]


def _links_around(ctx, node, classes, items, attrs) -> list:
    """A link that holds a note, a button or another link (a <ref> around a <note> with a
    <ref> in it) becomes links around its runs of plain content, what is interactive
    standing between them: HTML forbids the nesting, and a parser closes the outer link
    where the inner one starts, taking the rest of the note out into the text."""
    out, run, first = [], [], None

    def close_run():
        nonlocal first
        if not _shown(run):
            out.extend(run)
        elif first is None:
            first = element(ctx, "a", node, classes, run, attrs)
            out.append(first)
        else:
            piece = element(ctx, "a", node, classes, run, attrs, identify=False)
            for name in ("lang", "dir"):  # the id stays on the first piece
                if first.get(name):
                    piece.set(name, first.get(name))
            out.append(piece)
        run.clear()

    for item in items:
        if isinstance(item, etree._Element) and interactive([item]):
            close_run()
            out.append(item)
        else:
            run.append(item)
    close_run()
    return out


@behaviour("list")
def list_(ctx, node, classes, content, type=()):
    kind = text(type) or node.get("type", "")
    tag = "dl" if node.find(tei("label")) is not None else "ol" if kind in ("ordered", "numbered") else "ul"
    return [element(ctx, tag, node, classes, ctx.apply(node, content))]


@behaviour("listItem")
def list_item(ctx, node, classes, content, n=(), **optional):
    label = node.getprevious()
    while label is not None and not isinstance(label.tag, str):
        label = label.getprevious()
    parent = node.getparent()
    if label is not None and label.tag == tei("label") and parent is not None and parent.find(tei("label")) is not None:
        term = element(ctx, "dt", label, classes, ctx.apply(label, [label]))
        return [term, element(ctx, "dd", node, classes, ctx.apply(node, content), data_attributes(optional))]
    attrs = {"value": text(n) if text(n).isdigit() else None, **data_attributes(optional)}
    return [element(ctx, "li", node, classes, ctx.apply(node, content), attrs)]


@behaviour("table")
def table(ctx, node, classes, content):
    rows, caption = [], []
    for item in ctx.apply(node, content):
        (rows if getattr(item, "tag", None) in ("tr", "thead", "tbody") else caption).append(item)
    out = element(ctx, "table", node, classes)
    if plain(caption).strip() or any(not isinstance(i, str) for i in caption):
        out.append(element(ctx, "caption", None, [], caption))
    out.append(element(ctx, "tbody", None, [], rows))
    return [out]


@behaviour("row")
def row(ctx, node, classes, content):
    return [element(ctx, "tr", node, classes, ctx.apply(node, content))]


@behaviour("cell")
def cell(ctx, node, classes, content, type=()):
    parent = node.getparent()
    header = text(type) == "head" or node.get("role") == "label" or (
        parent is not None and parent.get("role") == "label")
    attrs = {"colspan": node.get("cols"), "rowspan": node.get("rows")}
    return [element(ctx, "th" if header else "td", node, classes, ctx.apply(node, content), attrs)]


@behaviour("figure")
def figure(ctx, node, classes, content, title=()):
    out = element(ctx, "figure", node, classes, ctx.apply(node, content))
    caption = ctx.apply(node, title) if title else []
    if caption:
        out.append(element(ctx, "figcaption", None, [], caption))
    return [out]


@behaviour("graphic")
def graphic(ctx, node, classes, content, url=(), width=(), height=(), scale=(), title=()):
    description = text(title) or _figure_description(node)
    style = "".join(f"{name}: {text(value)}; " for name, value in
                    (("width", width), ("height", height), ("scale", scale)) if text(value))
    source = ctx.resolve_pointer(text(url) or node.get("url", ""))
    placed = ctx.image_url(source, node) if hasattr(ctx, "image_url") else source  # a ctx of its own (tests)
    attrs = {"src": placed or None, "alt": description,
             "style": style.strip() or None}
    out = element(ctx, "img", node, classes, attrs=attrs)
    out.set("alt", description)  # alt="" marks a decorative image; never leave it out
    return [out]


def _figure_description(node) -> str:
    parent = node.getparent()
    found = parent.find(tei("figDesc")) if parent is not None else None
    return " ".join("".join(found.itertext()).split()) if found is not None else ""


@behaviour("glyph")
def glyph(ctx, node, classes, content, uri=()):
    if text(uri) == "char:EOLhyphen" or node.get("ref") == "char:EOLhyphen":
        return ["\u00ad"]  # a soft hyphen: the line-end hyphen of the source
    return [element(ctx, "span", node, classes, ctx.apply(node, content))]


@behaviour("cit")
def cit(ctx, node, classes, content, source=()):
    out = element(ctx, "blockquote", node, classes, ctx.apply(node, content))
    if source:
        out.append(element(ctx, "cite", None, [], ctx.apply(node, source)))
    return [out]


@behaviour("index")
def index(ctx, node, classes, content, type=()):
    """A table of contents of the divisions with a head (the only index type)."""
    if text(type) not in ("", "toc"):
        return []
    entries = []
    for division in node.iter(tei("div")):
        head = division.find(tei("head"))
        if head is None:
            continue
        label = " ".join("".join(head.itertext()).split())
        target = division.get("{http://www.w3.org/XML/1998/namespace}id")
        entry = element(ctx, "a", None, [], [label], {"href": f"#{target}"}) if target else label
        entries.append(element(ctx, "li", None, [], [entry]))
    if not entries:
        return []
    return [element(ctx, "nav", None, [*classes, "index", "toc"], [element(ctx, "ul", None, [], entries)],
                    {"aria-label": "Contents"})]


@behaviour("webcomponent")
def webcomponent(ctx, node, classes, content, name=(), **optional):
    """A custom element (TEI Publisher's pb-* components); its params become attributes."""
    tag = text(name)
    if "-" not in tag or not tag.replace("-", "").isalnum():
        tag = "span"
    attrs = {key: text(value) for key, value in optional.items() if text(value)}
    return [element(ctx, tag, node, classes, ctx.apply(node, content), attrs)]


@behaviour("definitionList")
def definition_list(ctx, node, classes, content):
    """A <dl> whose content renders to term/description pairs (`definition`)."""
    return [element(ctx, "dl", node, classes, ctx.apply(node, content))]


@behaviour("definition")
def definition(ctx, node, classes, content, term=()):
    """A term and its description: <dt>term</dt><dd>content</dd> (identity on the dt)."""
    return [element(ctx, "dt", node, classes, ctx.apply(node, term)),
            element(ctx, "dd", None, classes, ctx.apply(node, content))]


@behaviour("code")
def code(ctx, node, classes, content, language=()):
    """Program text as it is, in <pre><code>, its language as a class hook."""
    lang = text(language)
    inner = element(ctx, "code", None, [f"language-{lang}"] if lang else [], [plain(ctx.apply(node, content))])
    return [element(ctx, "pre", node, classes, [inner])]


@behaviour("iframe")
def iframe(ctx, node, classes, content, src=(), width=(), height=(), title=(), **optional):
    """An embedded page (a video) from an http(s) address only, sandboxed; anything
    else renders as the content, so no script or local file is framed."""
    address = ctx.resolve_pointer(text(src))
    if not address.lower().startswith(("https://", "http://")):
        return [element(ctx, "span", node, classes, ctx.apply(node, content))]
    attrs = {"src": address, "width": text(width), "height": text(height), "loading": "lazy",
             "title": text(title) or address, "sandbox": "allow-scripts allow-same-origin",
             "referrerpolicy": "no-referrer", **data_attributes(optional)}
    return [element(ctx, "iframe", node, classes, attrs=attrs)]


@behaviour("alternate")
def alternate(ctx, node, classes, content, default=None, alternate=(), **optional):
    """One reading in the text, the other on demand in a popover opened by a button.
    Without a `default` param the content is the reading in the text. Children
    neither param holds (an app's note) join the other reading; when both
    params are empty (an app holding only a note) they stand in the text."""
    reading = ctx.apply(node, content if default is None else default)
    other = ctx.apply(node, alternate)
    rest = ctx.apply(node, leftover(node, content if default is None else default, alternate))
    if not _shown(reading) and not _shown(other):
        reading, rest = rest, []
    other = [*other, *([" "] if other and rest else []), *rest]
    wrapper = element(ctx, "span", node, ["alternate", *classes], attrs=data_attributes(optional))
    if not plain(other).strip() and not any(not isinstance(i, str) for i in other):
        wrapper.append(element(ctx, "span", None, ["alternate-default"], reading))
        return [wrapper]
    popover_id = ctx.new_id("alt")
    control = {"type": "button", "popovertarget": popover_id}
    if interactive(reading) or not plain(reading).strip():  # a button may not hold links: a marker
        wrapper.append(element(ctx, "span", None, ["alternate-default"], reading))
        wrapper.append(element(ctx, "button", None, ["alternate-marker"], ["\u2020"],
                               {**control, "aria-label": "Other reading"}))
    else:
        wrapper.append(element(ctx, "button", None, ["alternate-default"], reading, control))
    wrapper.append(element(ctx, "span", None, ["alternate-content"], other,
                           {"popover": "auto", "id": popover_id}))
    return [wrapper]


@behaviour("note")
def note(ctx, node, classes, content, place=(), label=(), **optional):
    """A numbered marker that opens the note in a popover; margin notes stay in the text."""
    where = text(place) or node.get("place", "")
    body = ctx.apply(node, content)
    if where == "margin":
        return [element(ctx, "span", node, [*classes, "margin-note"], body, data_attributes(optional))]
    number = text(label) or str(ctx.next_number("note"))
    wrapper = element(ctx, "span", node, [*classes, "note-wrapper"], attrs=data_attributes(optional))
    popover_id = ctx.new_id(f"note-{wrapper.get('id')}" if wrapper.get("id") else "note")
    wrapper.append(element(ctx, "button", None, ["note-marker"], [number],
                           {"type": "button", "popovertarget": popover_id, "aria-label": f"Note {number}"}))
    label_span = element(ctx, "span", None, ["note-label"], [number])
    wrapper.append(element(ctx, "span", None, ["note", "note-content"], [label_span, " ", *body],
                           {"popover": "auto", "id": popover_id, "role": "note"}))
    return [wrapper]


def _shown(items) -> bool:
    return bool(plain(items).strip()) or any(not isinstance(i, str) for i in items)


def _local(node) -> str:
    return node.tag[len(TEI_NS) + 2:] if node.tag.startswith("{" + TEI_NS) else node.tag
