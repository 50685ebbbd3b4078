"""An ODD file (and the ODDs it inherits from) → the dispatch table of a processing model.

Reads elementSpec/model, modelSequence and modelGrp (TEI Guidelines §22.5.4.8
and §22.5.4.9) with @predicate, @output, @behaviour, @cssClass,
@useSourceRendition, TEI Publisher's @pb:mode, param and outputRendition.
Inheritance follows schemaSpec/@source (a path or a bare name beside the ODD)
and merges as TEI Publisher's odd2odd does: a child elementSpec with models
replaces the parent's; mode="change" without models keeps them;
mode="replace" without models and mode="delete" remove them.

Every problem is reported at the ODD's file:line:column, all in one run.
A file that is not an ODD, or an inherited ODD that cannot be found (beside
the ODD, then along the search path), is an error (InvalidEdition). What
only one model gets wrong is a warning and only that model is left out, so
its element falls back to the next model or to the defaults: an unknown
behaviour, an expression that does not parse or translate. A param the
behaviour does not take is ignored with a warning (TEI Publisher passes it
on unused); what needs eXist-db is taken as the empty sequence with a
warning. Warnings are kept in `ProcessingModel.warnings`; `strict` makes
them errors (our own ODD is held to that).
"""
from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from lxml import etree

from ..diagnostics import WARNING, Diagnostic, InvalidEdition, source_lines
from ..safety import clean_stylesheet, css_declarations
from ..xmlio import TEI_NS, XML_ID, parse_file, tei
from . import compiled
from .behaviours import MODES
from .code import XQueryError
from .expressions import Expression
from .table import Entry, Model, ModelGroup, ModelSequence, ProcessingModel

PB_NS = "http://teipublisher.com/1.0"
KINDS = {tei("model"): Model, tei("modelSequence"): ModelSequence, tei("modelGrp"): ModelGroup}
KNOWN_OUTPUTS = {"web", "print", "fo", "latex", "epub", "plain", "markdown", "docx", "tei", "html"}
LEFT_OUT = "this model is left out (the element falls back to its next model or the defaults)"
SCOPES = {"before": "::before", "after": "::after", "first-line": "::first-line",
          "first-letter": "::first-letter", "selection": "::selection"}


def load_odd(path: str | Path, strict: bool = False, search_path=()) -> ProcessingModel:
    """Load and compile an ODD; raise InvalidEdition with every error found
    (and every warning, too, when `strict`). An inherited ODD
    (schemaSpec/@source) is looked for beside the ODD that names it, then in
    each folder of `search_path` in turn (see `odd_search_path`). A model
    compiled before from the same files by the same code is taken from the
    user's cache (compiled.py) instead of being compiled again."""
    key = compiled.key(path, strict, search_path)
    model = compiled.load(key)
    if model is not None:
        return _cleaned(model)
    loader = Loader([Path(folder) for folder in search_path])
    model = loader.load(Path(path))
    failures = [d for d in loader.diagnostics if strict or d.severity != WARNING]
    if failures:
        raise InvalidEdition(f"{path}: the ODD has {len(failures)} problem(s)", loader.diagnostics)
    model.warnings = sorted(loader.diagnostics)
    model.stylesheet = clean_stylesheet(model.css)
    compiled.store(key, model, list(loader.inputs.items()))
    return _cleaned(model)


def _cleaned(model: ProcessingModel) -> ProcessingModel:
    """The model, its cleaned stylesheet made known to compiled.remembered: a page's
    <style> of the ODD's CSS (page.standalone) then costs no CSS parser (tinycss2) in a
    process that took the model from the cache."""
    if model.stylesheet is not None:
        compiled.known(clean_stylesheet, model.css, model.stylesheet)
    return model


def odd_search_path(odd_path=(), styles_folders=()) -> list[Path]:
    """Where inherited ODDs are looked for after the child's own folder: the
    folders given with --odd-path (in order), then the edition's style folders
    (its own styles/, then the package's: resources.Styles.folders)."""
    folders = [Path(p) for p in (*odd_path, *styles_folders)]
    return [f for f in folders if f.is_dir()]


class Loader:
    def __init__(self, search_path: list[Path] | None = None):
        self.diagnostics: list[Diagnostic] = []
        self.lines: dict[str, list[str]] = {}
        self.search_path = search_path or []
        self.failed = False  # the model being compiled has a problem: it is left out
        self.inputs: dict[str, str | None] = {}  # each file read (its SHA-256) or looked for in vain (None)
        self._same_line: dict = {}  # (root, tag) -> {element: same-name elements before it on its line} (where)

    # --- reading and merging -------------------------------------------------
    def load(self, path: Path) -> ProcessingModel:
        specs, namespace, renditions = self.read(path.resolve(), [])
        model = ProcessingModel(path=path.resolve(), namespace=namespace)
        for ident, spec in specs.items():
            entries = self.compile_spec(ident, spec, namespace)
            if entries:
                model.specs[ident] = entries
        if not model.specs and all(d.severity == WARNING for d in self.diagnostics):
            root = parse_file(path.resolve(), collect_ids=False).getroot()
            self.warning(root, "odd-no-models", f"{path.name} declares no <model>, so it changes nothing: "
                         "every element is rendered by the defaults")
        model.css = "\n".join([*renditions, *self.model_css(model)])
        model.parameters = frozenset(name for entries in model.specs.values()
                                     for entry in entries for name in entry.parameters())
        self.check_reachable(model)
        return model

    def read(self, path: Path, chain: list[Path]):
        """ident → the elementSpec that provides its models, the spec namespace, CSS."""
        root = parse_file(path, collect_ids=False).getroot()
        data = path.read_bytes()
        self.inputs[str(path)] = compiled.sha256(data).hexdigest()
        self.lines[str(path)] = data.decode("utf-8", "replace").split("\n")
        if not _is_odd(root):
            self.error(root, "odd-not-odd", f"{path.name} is not an ODD: its root is <{etree.QName(root).localname}> "
                       "and it holds no TEI schemaSpec or elementSpec")
            return {}, TEI_NS, []
        schema = root.find(f".//{tei('schemaSpec')}")
        namespace = (schema.get("ns") if schema is not None else None) or TEI_NS
        specs, renditions = {}, []
        source = schema.get("source") if schema is not None else None
        if source and not source.startswith("tei:"):
            parent = self.parent(path, source, schema, chain)
            if parent is not None:
                specs, namespace, renditions = self.read(parent, [*chain, path])
        own = self.own_specs(root)
        for ident, declared in own.items():
            self.merge(specs, ident, declared)
        return specs, namespace, [*renditions, *self.rendition_css(root)]

    def parent(self, path: Path, source: str, schema, chain: list[Path]) -> Path | None:
        if source.startswith(("http://", "https://")):
            self.error(schema, "odd-source", f'schemaSpec/@source "{source}" is remote; the edition reads '
                       "no network: put a copy beside the ODD and name it")
            return None
        names = [source, f"{source}.odd", f"{source}.xml"]
        folders = [path.parent, *(f for f in self.search_path if f.resolve() != path.parent)]
        found = None
        for candidate in (folder / name for folder in folders for name in names):
            if candidate.is_file():
                found = candidate.resolve()
                break
            self.inputs.setdefault(str(candidate), None)  # were it to appear, it would be the parent
        if found is None:
            where = f"beside {path.name}" + (f" nor in {', '.join(map(str, folders[1:]))}" if folders[1:] else "")
            self.error(schema, "odd-source", f'schemaSpec/@source "{source}" names no ODD {where} '
                       f"(looked for {', '.join(names)}; --odd-path adds folders to look in)")
        elif found in chain or found == path:
            self.error(schema, "odd-source", f'schemaSpec/@source "{source}": the ODDs inherit in a circle')
            found = None
        return found

    def own_specs(self, root) -> dict[str, list]:
        """Every elementSpec of the file, grouped by @ident (as odd2odd groups them)."""
        grouped: dict[str, list] = defaultdict(list)
        for spec in root.iter(tei("elementSpec")):
            grouped[spec.get("ident", "")].append(spec)
        for ident, specs in grouped.items():
            if len(specs) > 1 and sum(1 for s in specs if _models(s)) > 1:
                self.warning(specs[1], "odd-duplicate-spec", f"a second elementSpec for <{ident}> in the same "
                             "ODD: their models are joined in document order")
        return grouped

    def merge(self, specs: dict, ident: str, declared: list) -> None:
        modes = {s.get("mode", "add") for s in declared}
        models = [m for s in declared for m in _models(s)]
        if "delete" in modes:
            specs.pop(ident, None)
        elif models:
            if ident in specs and modes <= {"add"}:
                self.warning(declared[0], "odd-mode", f'elementSpec <{ident}> mode="add" declares an element the '
                             "inherited ODD already specifies; its models replace the inherited ones "
                             '(TEI Publisher would keep those: say mode="change")')
            specs[ident] = declared
        elif "replace" in modes:
            specs.pop(ident, None)

    # --- compiling -----------------------------------------------------------
    def compile_spec(self, ident: str, specs: list, namespace: str) -> tuple[Entry, ...]:
        all_models = [m for s in specs for m in s.iter(tei("model"))]
        numbering = {id(m): n for n, m in enumerate(all_models, start=1)}
        classes = lambda m: (f"tei-{ident}",) + ((f"tei-{ident}{numbering[id(m)]}",)  # noqa: E731
                                                 if len(all_models) > 1 else ())
        return tuple(e for s in specs for child in _models(s)
                     if (e := self.entry(child, ident, namespace, classes, None)) is not None)

    def entry(self, element, ident, namespace, classes, output) -> Entry | None:
        output = element.get("output", output)
        if output and output not in KNOWN_OUTPUTS:
            self.warning(element, "odd-output", f'<{ident}>: @output "{output}" is not an output this or '
                         f"TEI Publisher knows ({', '.join(sorted(KNOWN_OUTPUTS))}); the model never applies")
        common = dict(ident=ident, output=output, mode=element.get(f"{{{PB_NS}}}mode"),
                      predicate=self.expression(element, "predicate", namespace, predicate=True),
                      where=self.where(element))
        kind = KINDS[element.tag]
        if kind is Model:
            model = self.model(element, common, namespace, classes)
            failed, self.failed = self.failed, False
            return None if failed else model
        failed, self.failed = self.failed, False
        members = tuple(e for child in _models(element)
                        if (e := self.entry(child, ident, namespace, classes, output)) is not None)
        return None if failed else kind(members=members, **common)

    def model(self, element, common: dict, namespace: str, classes) -> Model:
        ident, behaviour = common["ident"], element.get("behaviour", "")
        applies_to = [mode for mode in MODES if common["output"] in (None, mode)]
        for mode in applies_to:
            if MODES[mode].lookup(behaviour) is None:
                self.fail(element, "odd-behaviour", f'<{ident}>: unknown behaviour "{behaviour}" '
                          f"(known: {', '.join(sorted(MODES[mode].names()))})")
                break
        params = {}
        for param in element.iterfind(tei("param")):
            name = param.get("name", "")
            if self.check_param(param, ident, behaviour, name, applies_to):
                params[name] = self.expression(param, "value", namespace) or _empty()
        for nested in element.iterfind(tei("model")):
            self.warning(nested, "odd-unsupported", f"<{ident}>: a model inside a model is not supported; "
                         "it is not used")
        css = " ".join((element.get("cssClass") or "").split())
        return Model(behaviour=behaviour, params=params, classes=(*classes(element), *css.split()),
                     css_class=classes(element)[-1], template=element.find(f"{{{PB_NS}}}template"),
                     source_rendition=element.get("useSourceRendition") == "true",
                     renditions=self.renditions(element, ident), **common)

    def check_param(self, param, ident, behaviour, name, modes) -> bool:
        """Whether the param is passed on: one the behaviour does not take is ignored."""
        if param.get("value") is None:
            self.warning(param, "odd-param", f'<{ident}>: param "{name}" has no @value; it is the empty sequence')
        for mode in modes:
            registry = MODES[mode]
            if registry.lookup(behaviour) is not None and not registry.accepts(behaviour, name):
                takes = ", ".join(["content", *registry.params_of(behaviour)])
                self.warning(param, "odd-param", f'<{ident}>: behaviour "{behaviour}" takes no param "{name}" '
                             f"in {mode} output (it takes {takes}); the param is ignored")
                return False
        return True

    def expression(self, element, attribute: str, namespace: str, predicate=False) -> Expression | None:
        source = element.get(attribute)
        if source is None:
            return None
        namespaces = {p: uri for p, uri in element.nsmap.items() if p} | {"tei": TEI_NS}
        try:
            compiled = Expression.compile(source, namespaces, namespace, predicate)
        except XQueryError as problem:
            line, column = self.position(element, attribute, source, problem.offset)
            what = "@predicate" if attribute == "predicate" else f'param "{element.get("name")}"'
            self.diagnostics.append(Diagnostic(self.path_of(element), line, column, "odd-xpath",
                                               f"{what} {source.strip()!r} does not compile: {problem}; "
                                               f"{LEFT_OUT}", WARNING))
            self.failed = True
            return None
        compiled.where = (self.path_of(element), *self.position(element, attribute, source, 0))
        for message in compiled.warnings:
            line, column = compiled.where[1:]
            self.diagnostics.append(Diagnostic(self.path_of(element), line, column, "odd-xquery",
                                               message, WARNING))
        return compiled

    # --- CSS from outputRendition and renditions -----------------------------
    def renditions(self, element, ident: str) -> tuple[tuple[str, str], ...]:
        rules = []
        for rendition in element.iterfind(tei("outputRendition")):
            scope = rendition.get("scope")
            if scope and scope not in SCOPES:
                self.warning(rendition, "odd-rendition", f'<{ident}>: outputRendition scope "{scope}" is not '
                             f"a CSS pseudo-element ({', '.join(SCOPES)}); the rule applies to the element itself")
            rules.append((SCOPES.get(scope, ""), _css(rendition.text)))
        return tuple(rules)

    def model_css(self, model: ProcessingModel) -> list[str]:
        return [f".{m.css_class}{scope} {{ {css} }}"
                for entries in model.specs.values() for m in _all_models(entries)
                for scope, css in m.renditions if css]

    def rendition_css(self, root) -> list[str]:
        """Global renditions: tagsDecl/rendition and outputRendition with xml:id → .simple_<id>."""
        found = [*root.iter(tei("rendition")), *(r for r in root.iter(tei("outputRendition"))
                                                 if r.getparent().tag != tei("model"))]
        return [f".simple_{r.get(XML_ID)} {{ {_css(r.text)} }}" for r in found if r.get(XML_ID) and _css(r.text)]

    # --- reachability --------------------------------------------------------
    def check_reachable(self, model: ProcessingModel) -> None:
        """After a model that always applies, later alternatives never do (§22.5.4.8:
        the first matching model wins): say so rather than drop them silently."""
        for entries in model.specs.values():
            for container in [entries, *(e.members for e in _all_entries(entries) if isinstance(e, ModelGroup))]:
                for mode in MODES:
                    self.unreachable(container, mode)

    def unreachable(self, entries, mode: str) -> None:
        applicable = [e for e in entries if e.output in (None, mode)]
        for position, entry in enumerate(applicable):
            if entry.predicate is None and entry.mode is None and position + 1 < len(applicable):
                later = applicable[position + 1]
                path, line, column = later.where
                self.diagnostics.append(Diagnostic(path, line, column, "odd-unreachable-model",
                                                   f"<{later.ident}>: this model never applies in {mode} output: "
                                                   f"the model at line {entry.where[1]} always applies first",
                                                   WARNING))
                return

    # --- locations -----------------------------------------------------------
    def path_of(self, element) -> str:
        return element.getroottree().docinfo.URL or "<odd>"

    def where(self, element) -> tuple[str, int, int]:
        """What Diagnostic.at(element, …) locates: its file, line and column. The column as
        diagnostics.column_of finds it, the elements of the same name that start earlier on
        the same line counted once per ODD and name (column_of walks the document for each:
        a fifth of compiling an ODD)."""
        before = self._before(element)
        if before is None:
            located = Diagnostic.at(element, "", "", self.path_of(element))
            return located.path, located.line, located.column
        return self.path_of(element), element.sourceline or 0, _column(element, before)

    def _before(self, element) -> int | None:
        root, tag = element.getroottree().getroot(), element.tag
        key = (root, tag)
        counts = self._same_line.get(key)
        if counts is None:
            counts, lines = {}, {}
            for other in root.iter(tag):  # document order, as column_of counts
                counts[other] = lines.get(other.sourceline, 0)
                lines[other.sourceline] = counts[other] + 1
            self._same_line[key] = counts
        return counts.get(element)

    def position(self, element, attribute: str, value: str, offset: int) -> tuple[int, int]:
        """Line and column of a character of an attribute value in the source."""
        path, line, column = self.where(element)
        lines = self.lines.get(path, [])
        for number in range(line - 1, min(line + 20, len(lines))):
            start = column - 1 if number == line - 1 else 0
            found = lines[number].find(f"{attribute}=", start)
            if found >= 0:
                before = value[:offset]
                if "\n" in before:
                    return number + 1 + before.count("\n"), len(before.rsplit("\n", 1)[1]) + 1
                return number + 1, found + len(attribute) + 3 + offset
        return line, column

    def error(self, element, rule: str, message: str) -> None:
        self.diagnostics.append(Diagnostic.at(element, rule, message, self.path_of(element)))

    def fail(self, element, rule: str, message: str) -> None:
        """A problem of one model: a warning, and the model is left out."""
        self.warning(element, rule, f"{message}; {LEFT_OUT}")
        self.failed = True

    def warning(self, element, rule: str, message: str) -> None:
        self.diagnostics.append(Diagnostic.at(element, rule, message, self.path_of(element), WARNING))


@lru_cache(maxsize=1)
def _empty() -> Expression:
    """The empty sequence, for a param without a value (compiled when first needed)."""
    return Expression.compile("()", {}, TEI_NS)


def _is_odd(root) -> bool:
    """A TEI document with a schemaSpec or elementSpec (an ODD or an ODD chunk)."""
    if not root.tag.startswith(f"{{{TEI_NS}}}"):
        return False
    return root.tag in (tei("schemaSpec"), tei("elementSpec")) or root.find(f".//{tei('schemaSpec')}") is not None \
        or root.find(f".//{tei('elementSpec')}") is not None


def _models(element) -> list:
    return [child for child in element if child.tag in KINDS]


def _all_entries(entries):
    for entry in entries:
        yield entry
        if not isinstance(entry, Model):
            yield from _all_entries(entry.members)


def _all_models(entries):
    return [e for e in _all_entries(entries) if isinstance(e, Model)]


def _css(text: str | None) -> str:
    """A declaration block reduced to safe declarations (edition.safety: no url(), no rule break-out)."""
    return css_declarations(text)


def _column(node, before: int) -> int:
    """diagnostics.column_of(node) given how many elements of its name start before it on its line."""
    source = source_lines(node.getroottree().docinfo.URL)
    if source is None or not node.sourceline:
        return 1
    line = source[node.sourceline - 1] if node.sourceline <= len(source) else ""
    local = node.tag.rsplit("}", 1)[-1] if isinstance(node.tag, str) else ""
    tag = node.prefix + ":" + local if node.prefix else local
    index = -1
    for _ in range(before + 1):
        index = line.find("<" + tag, index + 1)
        if index < 0:
            return 1
    return index + 1
