"""A TEI document + a ProcessingModel → HTML elements, in web or print mode.

For each TEI element the first entry of its elementSpec whose @output fits the
mode and whose predicate holds is applied (TEI Guidelines §22.5.4.8); params
are evaluated on the element and handed to the behaviour, whose content is
the element's children unless a "content" param says otherwise. Elements the
ODD does not describe, or none of whose models apply, fall back to the
edition's default ODD (defaults.odd), then to `inline`, so that any TEI P5
document renders. An expression that fails on a node (xs:date('2009')) is
reported in `Renderer.report` at the TEI node's file:line and that model is
passed over for the node, which falls back to its next model: a warning, or
an error when the renderer is `strict` (our own ODD is held to that).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from lxml import etree

from ..diagnostics import ERROR, WARNING, Diagnostic, Report
from ..xmlio import XML_ID, XML_LANG, tei
from .behaviours import MODES
from .behaviours import html
from .behaviours.markup import _add_text, _class_value, append, identity
from .expressions import Env
from .functions import FRAME, atom_text
from .table import Model, ModelGroup, ModelSequence, ProcessingModel
from .template import Rendered, expand, placeholders

DEFAULTS = "defaults.odd"
CONSTANT_CANDIDATES = ("lb", "cb", "pb", "milestone")
CONSTANT_BEHAVIOURS = {"break", "omit"}
PREFIX_DEF = tei("prefixDef")
# Behaviours that are one element around the content, by the element they make (Renderer._wrapper).
WRAPPERS = {html.block: "div", html.inline: "span", html.paragraph: "p", html.section: "section"}
_UNKNOWN = object()
VALUES_KEPT = 4096  # param values kept per document (Renderer.evaluate)


@lru_cache(maxsize=1)
def default_model() -> ProcessingModel:
    """The package's own ODD for elements an edition's ODD leaves out."""
    from .odd import load_odd
    beside = Path(__file__).with_name(DEFAULTS)  # the package installed as files: no importlib.resources
    if beside.is_file():
        return load_odd(beside, strict=True)
    from importlib import resources
    with resources.as_file(resources.files(__package__) / DEFAULTS) as path:
        return load_odd(path, strict=True)


class Renderer:
    """The `ctx` of the behaviours: renders content, hands out ids and numbers."""

    def __init__(self, model: ProcessingModel, mode: str = "web", parameters: dict | None = None,
                 strict: bool = False, tracer=None, images=None):
        """`images(url, node) -> str | None`: where the output shows an image a document names
        (the site's copy, the book's file; edition/media.py); None, or no `images`: its url;
        "": nowhere (the book, for an image it cannot carry: its description stands)."""
        if mode not in MODES:
            raise ValueError(f"unknown output mode {mode!r} (known: {', '.join(MODES)})")
        self.model, self.mode, self.registry = model, mode, MODES[mode]
        self.defaults = default_model()
        self.parameters = {"mode": "", **(parameters or {})}
        self.report = Report()
        self.strict = strict
        self.omitted: list = []  # elements a model omitted, with their text
        self.visited: set = set()  # elements dispatched
        self.expanded: set = set()  # elements a model rendered all the content of (content ".")
        self._ids: set[str] = set()
        self._numbers: dict[str, int] = {}
        # When a list, every read of the page's state (an id claimed or refused, a number
        # handed out) is appended to it: what html/pages.py checks before it reuses a kept
        # fragment of a page in another page's state (edition/html/kept.py).
        self.journal: list | None = None
        self._active: set = set()
        self._env: Env | None = None
        self._prefixes: dict[str, tuple[str, str]] = {}
        self._documents: dict = {}
        self._values: dict = {}  # see evaluate
        self._candidates: dict[str, tuple] = {}
        self._plans: dict = {}  # Model -> (behaviour function, has a content param, omits)
        self._locals: dict[str, str] = {}  # tag -> local name ("" outside the ODD's namespace)
        self._constant = {k: v for k, v in self._constant_behaviours().items() if v is not None}
        self._wrappers: dict = {}  # local name -> its wrapper's fast path, or None (see _wrapper)
        self._quick: dict = {}  # tag -> what dispatch runs at once for it: a constant's or a wrapper's fast path
        self.tracer = tracer  # coverage.Tracer: told what each element's dispatch decided
        self.images = images

    # --- entry point -----------------------------------------------------------
    def render(self, node, content_only: bool = False) -> list:
        """Render a TEI element (or only its content) into HTML items."""
        root = node.getroottree().getroot()
        self._env = Env.of({**self.parameters, "root": root}, self.model.parameters | self.defaults.parameters)
        ids, self._prefixes = self._indexed(root)
        token = FRAME.set({"ids": ids, "root": root, "variables": {}, "constants": [],
                           "params": self._env.variables})
        try:
            return self.children(node) if content_only else self.dispatch(node)
        finally:
            FRAME.reset(token)

    def _indexed(self, root) -> tuple[dict, dict]:
        """The document's xml:id index and prefix table, built once per document
        however many of its elements this renderer is asked for (a page renders
        each sentence of a source separately)."""
        if self._documents.get("root") is not root:
            self._documents = {"root": root, "ids": _id_index(root), "prefixes": _prefix_definitions(root)}
            self._values = {}  # (expression, attribute values) -> value: of one document only
        return self._documents["ids"], self._documents["prefixes"]

    # --- what behaviours call ----------------------------------------------------
    def apply(self, node, content) -> list:
        """Render a param value: the node itself stands for its children
        (TEI Publisher's apply-children); elements are dispatched, atoms are text."""
        out = []
        if isinstance(content, Rendered):
            return list(content)
        for item in content if isinstance(content, (list, tuple)) else [content]:
            if isinstance(item, etree._Element):
                if item is node or item == node:
                    out.extend(self.children(node))
                else:
                    out.extend(self.dispatch(item))
            elif item is not None:
                out.append(atom_text(item))
        return out

    def children(self, node) -> list:
        text = node.text
        out = [text] if text else []
        dispatch = self.dispatch
        for child in node:
            out.extend(dispatch(child))
            tail = child.tail
            if tail:
                out.append(tail)
        return out

    def claim_id(self, wanted: str) -> str | None:
        """The id for an output element: each only once in a page."""
        if not wanted or wanted in self._ids:
            if wanted and self.journal is not None:
                self.journal.append((0, wanted, False))
            return None
        self._ids.add(wanted)
        if self.journal is not None:
            self.journal.append((0, wanted, True))
        return wanted

    def taken(self, wanted: str) -> bool:
        """Whether `wanted` is already an id of this page (what claim_id would refuse)."""
        return wanted in self._ids

    def last_number(self, counter: str) -> int:
        """The number next_number(counter) last handed out on this page (0: none yet)."""
        return self._numbers.get(counter, 0)

    def new_id(self, prefix: str) -> str:
        number = self.next_number(f"id:{prefix}")
        while f"{prefix}-{number}" in self._ids:
            if self.journal is not None:
                self.journal.append((0, f"{prefix}-{number}", False))
            number = self.next_number(f"id:{prefix}")
        return self.claim_id(f"{prefix}-{number}")

    def next_number(self, counter: str) -> int:
        self._numbers[counter] = self._numbers.get(counter, 0) + 1
        if self.journal is not None:
            self.journal.append((1, counter, self._numbers[counter]))
        return self._numbers[counter]

    def resolve_pointer(self, uri: str) -> str:
        """Expand a prefixed pointer (per:zhukov) by the document's prefixDef (§16.2.3)."""
        prefix, _, rest = uri.partition(":")
        if not rest or prefix not in self._prefixes:
            return uri
        match, replacement = self._prefixes[prefix]
        try:
            return re.sub(f"^(?:{match})$", replacement.replace("$", "\\"), rest)
        except re.error:
            return uri

    def image_url(self, uri: str, node) -> str:
        """The URL the output shows the image `uri` of `node` by (see __init__'s `images`;
        "": none, the image is shown by its description)."""
        placed = self.images(uri, node) if self.images is not None and uri else None
        return uri if placed is None else placed

    # --- dispatch ----------------------------------------------------------------
    def dispatch(self, element) -> list:
        tag = element.tag
        quick = self._quick.get(tag)
        if quick is not None:  # a constant or wrapper element, found so by its tag before
            return quick(element)
        if not isinstance(tag, str):
            return []  # comments and processing instructions
        local = self._locals.get(tag)
        if local is None:
            namespace, _, name = tag[1:].partition("}") if tag[0] == "{" else ("", "", tag)
            local = self._locals[tag] = name if namespace == self.model.namespace else ""
        if not local:
            return self.foreign(element, tag.rpartition("}")[2])
        fast = self._constant.get(local)
        if fast is not None and self.tracer is None:
            self._quick[tag] = self._visiting(fast)
            self.visited.add(element)
            return fast(element)
        wrapper = self._wrappers.get(local, _UNKNOWN)
        if wrapper is _UNKNOWN:
            wrapper = self._wrappers[local] = self._wrapper(local) if self.tracer is None else None
        if wrapper is not None:
            self._quick[tag] = wrapper
            return wrapper(element)
        if element in self._active:
            self.problem(element, "render-cycle", f"<{local}> asks to render itself inside itself; skipped")
            return []
        self._active.add(element)
        self.visited.add(element)
        try:
            if self.tracer is not None:
                return self.traced(element, local)
            for entry in self.candidates(local):
                if (entry.mode is None and entry.predicate is None) or self.matches(entry, element):
                    result = self.behave(entry, element) if type(entry) is Model else self.run(entry, element)
                    if result is not None:
                        return result
            self.expanded.add(element)
            return self.registry.lookup("inline")(self, element, [f"tei-{local}"], [element])
        finally:
            self._active.discard(element)

    def _visiting(self, fast):
        visited = self.visited

        def run(element):
            visited.add(element)
            return fast(element)
        return run

    def _constant_behaviours(self) -> dict:
        """Elements whose rendering is the same whatever they hold: the first model
        that can apply to them is a `break` (or `omit`) without predicate whose
        params are constants or do not matter (a line or column break shows no
        label): TEI Publisher's lb and cb. Their output is built once and copied,
        with the element's own id, lang and renditions (issue 15: lb was 18 %)."""
        fast = {}
        for local in CONSTANT_CANDIDATES:
            entries = self.candidates(local)
            first = entries[0] if entries else None
            if (isinstance(first, Model) and first.predicate is None and first.mode is None
                    and first.behaviour in CONSTANT_BEHAVIOURS and first.template is None
                    and all(e.literal is not None for name, e in first.params.items()
                            if name not in _unused(first, local))):
                fast[local] = self._prebuilt(first, local)
        return fast

    def _prebuilt(self, model: Model, local: str):
        if model.behaviour == "omit":
            def omitted(element):
                self.omitted.append(element)
                return []
            return omitted
        params = {name: [expression.literal] for name, expression in model.params.items()
                  if name not in _unused(model, local)}
        params.pop("content", None)
        bare = etree.Element(f"{{{self.model.namespace}}}{local}")
        built = self.registry.lookup(model.behaviour)(self, bare, list(model.classes), [bare], **params)
        if len(built) != 1 or not isinstance(built[0], etree._Element) or len(built[0]) or built[0].text:
            return None
        tag, attrib, renditions = built[0].tag, dict(built[0].attrib), model.source_rendition
        classes = attrib.get("class", "").split()
        own = len(dict.fromkeys(c for c in model.classes if c))  # the model's classes come first

        def render(element):
            out = etree.Element(tag, attrib)
            identity(self, element, out)
            if renditions and (extra := _source_classes(element)):
                out.set("class", " ".join(dict.fromkeys([*classes[:own], *extra, *classes[own:]])))
            return [out]
        return render

    def _wrapper(self, local: str):
        """The fast path of an element whose rendering is one element around its
        rendered children, whatever the element holds: its first candidate is a
        block, inline, paragraph or section model without predicate, mode, params
        or template (TEI Publisher's l, sp, speaker, stage), or it has none (the
        fallback `inline`). What `behave` and the behaviour would do, done at once:
        the same element, attributes in the same order, the same bookkeeping."""
        entries = self.candidates(local)
        if entries:
            first = entries[0]
            if (type(first) is not Model or first.predicate is not None or first.mode is not None
                    or first.params or first.template is not None or first.behaviour == "omit"):
                return None
            function, classes, renditions = self.registry.lookup(first.behaviour), first.classes, first.source_rendition
        else:
            function, classes, renditions = self.registry.lookup("inline"), (f"tei-{local}",), False
        tag = WRAPPERS.get(function)
        if tag is None:
            return None
        fixed = _class_value(tuple(classes)) if classes else None
        active, visited, expanded, fill = self._active, self.visited, self.expanded, self.fill
        make, get, claim = etree.Element, etree._Element.get, self.claim_id
        attrib = {"class": fixed} if fixed is not None and not renditions else None

        def render(element):
            if not len(element) and not renditions:  # a leaf (l, speaker, w): its text, nothing to recurse into
                visited.add(element)
                expanded.add(element)
                out = make(tag, attrib) if attrib is not None else make(tag)
                if get(element, XML_LANG):
                    identity(self, element, out)
                else:
                    xml_id = get(element, XML_ID)
                    if xml_id and (claimed := claim(xml_id)):  # identity(): the id once a page
                        out.set("id", claimed)
                text = element.text
                if text:
                    out.text = text
                return [out]
            if element in active:
                self.problem(element, "render-cycle", f"<{local}> asks to render itself inside itself; skipped")
                return []
            active.add(element)
            visited.add(element)
            expanded.add(element)
            try:
                out = make(tag)
                if renditions:
                    every = (*classes, *_source_classes(element))
                    if every:
                        out.set("class", _class_value(every))
                elif fixed is not None:
                    out.set("class", fixed)
                if get(element, XML_ID) or get(element, XML_LANG):  # what identity() reads
                    identity(self, element, out)
                fill(out, element)
                return [out]
            finally:
                active.discard(element)
        return render

    def fill(self, out, node) -> None:
        """append(out, self.children(node)) without the list between: the node's
        text, its children rendered, their tails, runs of strings joined once."""
        run = []
        text = node.text
        if text:
            run.append(text)
        last = None
        dispatch, quick, element_type = self.dispatch, self._quick, etree._Element
        for child in node:
            fast = quick.get(child.tag)  # dispatch's first look, without its call
            for item in fast(child) if fast is not None else dispatch(child):
                if isinstance(item, element_type):
                    if run:  # _add_text(out, last, run), inline
                        joined = "".join(run)
                        if last is None:
                            out.text = (out.text or "") + joined
                        else:
                            last.tail = (last.tail or "") + joined
                        run = []
                    out.append(item)
                    last = item
                elif item is not None and item != "":
                    run.append(item if isinstance(item, str) else str(item))
            tail = child.tail
            if tail:
                run.append(tail)
        if run:
            _add_text(out, last, run)

    def candidates(self, local: str) -> tuple:
        """The entries that can apply to an element in this mode, in the order they
        are tried: the ODD's for the element, its "*", then the defaults' (resolved
        once per element name and mode)."""
        found = self._candidates.get(local)
        if found is None:
            found = self._candidates[local] = tuple(
                entry for model in (self.model, self.defaults) for name in (local, "*")
                for entry in model.entries(name, self.mode))
        return found

    def traced(self, element, local: str) -> list:
        """dispatch, telling the tracer which entry applied, which were passed over and why."""
        passed = []
        for entry in self.candidates(local):
            if not self.matches(entry, element):
                passed.append((entry, f"its predicate {entry.predicate.source.strip()!r} is false"
                               if entry.mode is None or self.parameters.get("mode") == entry.mode
                               else f'it is for pb:mode "{entry.mode}"'))
                continue
            result = self.run(entry, element)
            if result is not None:
                self.tracer.chose(self, element, entry, passed)
                return result
            passed.append((entry, "one of its params failed on this element"))
        self.expanded.add(element)
        self.tracer.chose(self, element, None, passed)
        return self.registry.lookup("inline")(self, element, [f"tei-{local}"], [element])

    def first(self, entries, element) -> list | None:
        """The result of the first entry that matches, or None if none does."""
        for entry in entries:
            if self.matches(entry, element):
                result = self.run(entry, element)
                if result is not None:
                    return result
        return None

    def matches(self, entry, element) -> bool:
        if entry.mode is not None and self.parameters.get("mode") != entry.mode:
            return False
        if entry.predicate is None:
            return True
        try:
            return entry.predicate.test(element, self._env)
        except Exception as error:  # an XPath error at run time: say where, go on
            self.problem(element, "render-xpath", f"{entry.predicate.source!r} of {entry}: {error}")
            return False

    def run(self, entry, element) -> list | None:
        """The entry's output, or None when one of its params failed on this node."""
        if isinstance(entry, ModelGroup):
            return self.first(entry.members, element) or []
        if isinstance(entry, ModelSequence):
            return [item for member in entry.members if member.applies_to(self.mode)
                    and self.matches(member, element) for item in (self.run(member, element) or [])]
        return self.behave(entry, element)

    def behave(self, model: Model, element) -> list | None:
        plan = self._plans.get(model)
        if plan is None:  # what does not depend on the element, found once per model and mode
            plan = self._plans[model] = (self.registry.lookup(model.behaviour), "content" in model.params,
                                         model.behaviour == "omit")
        function, content_param, omit = plan
        params = {}
        for name, expression in model.params.items():
            value = params[name] = self.evaluate(model, name, expression, element)
            if value is None:
                return None
        if self.tracer is not None:
            self.tracer.fired[model] += 1
        content = params.pop("content") if content_param else [element]
        template = model.template
        if template is not None:
            rendered = {name: self.apply(element, value) for name, value in params.items()}
            content = expand(template, {**rendered, "content": self.apply(element, content)})
        classes = list(model.classes)
        if model.source_rendition:
            classes.extend(_source_classes(element))
        if omit:
            self.omitted.append(element)
        elif template is not None:
            if "content" in placeholders(template) and not content_param:
                self.expanded.add(element)
        elif not content_param or any(item is element for item in content):
            self.expanded.add(element)
        return list(function(self, element, classes, content, **params))

    def evaluate(self, model: Model, name: str, expression, element) -> list | None:
        keyed_by = expression.keyed_by
        if keyed_by is not None:  # its value depends on these attributes alone: kept per document
            key = (expression, *[element.get(a) for a in keyed_by])
            found = self._values.get(key)
            if found is not None:
                return list(found)  # a list of its own for the behaviour, as evaluate gives
        try:
            value = expression.evaluate(element, self._env)
        except Exception as error:
            self.problem(element, "render-xpath", f'param "{name}" {expression.source!r} of {model}: {error}; '
                         "the model is passed over for this element")
            return None  # not kept: each element it fails on is reported
        if keyed_by is not None and len(self._values) < VALUES_KEPT:
            self._values[key] = value
            return list(value)
        return value

    def foreign(self, element, local: str) -> list:
        """Elements outside the TEI namespace: examples (egXML) as code, others inline."""
        if local == "egXML":
            source = etree.tostring(element, encoding="unicode", with_tail=False)
            code = etree.Element("code")
            code.text = source
            pre = etree.Element("pre", {"class": "tei-egXML"})
            pre.append(code)
            return [pre]
        span = etree.Element("span", {"class": f"foreign-{local}"})
        append(span, self.children(element))
        return [span]

    def problem(self, element, rule: str, message: str) -> None:
        self.report.add(Diagnostic.at(element, rule, message, severity=ERROR if self.strict else WARNING))


def _unused(model: Model, local: str) -> set[str]:
    """Params a constant behaviour ignores: a break's label unless it is a page break."""
    if model.behaviour != "break":
        return set()
    kind = model.params.get("type")
    page = kind.literal == "page" if kind is not None else local == "pb"
    return set() if page else {"label"}


def _id_index(root) -> "_Ids":
    return _Ids(root)


class _Ids:
    """A document's xml:id index, made when an expression first looks an id up
    (most documents' models never do: a walk of the whole tree saved)."""

    def __init__(self, root):
        self.root, self._index = root, None

    def _built(self) -> dict:
        if self._index is None:
            self._index = {e.get(XML_ID): e for e in _WITH_ID(self.root)}
        return self._index

    def __contains__(self, key) -> bool:
        return key in self._built()

    def __getitem__(self, key):
        return self._built()[key]

    def get(self, key, default=None):
        return self._built().get(key, default)


_WITH_ID = etree.XPath("//*[@xml:id]")


def _prefix_definitions(root) -> dict[str, tuple[str, str]]:
    return {p.get("ident"): (p.get("matchPattern", ""), p.get("replacementPattern", ""))
            for p in root.iter(PREFIX_DEF) if p.get("ident")}


def _source_classes(element) -> list[str]:
    """@rendition as TEI Publisher maps it: #id → document_id, simple:x → simple_x."""
    classes = []
    for token in (element.get("rendition") or "").replace(",", " ").split():
        if token.startswith("#"):
            classes.append("document_" + token[1:])
        else:
            classes.append(token.replace(":", "_"))
    return classes + [f"rend-{r}" for r in (element.get("rend") or "").split()]
