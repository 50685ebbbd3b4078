"""An ODD + TEI documents → what the processing model did: its coverage and a trace per element.

`coverage()` renders the documents (web and print, or one mode) with a
`Tracer` listening to the engine, and reports what an ODD author needs to see
(issue: "an ODD author can see what their ODD did"):
- the models of the ODD (and of the ODDs it inherits) that never fired;
- the elements no model of the ODD handled: they fell back to the engine's
  defaults (defaults.odd) or to a plain inline;
- the expressions skipped: parts the engine takes as the empty sequence
  (what needs eXist-db) and models left out because they could not be
  translated, each at its file:line:column in the ODD, with how often it
  mattered (the times its model fired, or elements of its kind rendered).
`trace()` gives, per element, which model fired and why (JSON-ready dicts).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..xmlio import parse_file
from .engine import Renderer
from .table import Model, ProcessingModel

SKIPPED_RULES = ("odd-xpath", "odd-behaviour")  # a model left out


class Tracer:
    """Collects the engine's decisions: per element, the entry that applied."""

    def __init__(self, keep_decisions: bool = True):
        self.fired: Counter = Counter()  # Model -> times it rendered an element
        self.fallbacks: Counter = Counter()  # (element name, "defaults"|"inline") -> count
        self.first_fallback: dict = {}  # element name -> (path, line) of its first fallback
        self.rendered: Counter = Counter()  # element name -> elements dispatched
        self.decisions: list[dict] = []
        self.keep = keep_decisions

    def chose(self, renderer, element, entry, passed) -> None:
        local = element.tag.rsplit("}", 1)[-1]
        self.rendered[local] += 1
        origin = _origin(renderer, entry)
        if origin != "odd":
            self.fallbacks[(local, origin)] += 1
            self.first_fallback.setdefault(local, (_document(element), element.sourceline or 0))
        if self.keep:
            self.decisions.append(_decision(renderer, element, entry, origin, passed))


def _origin(renderer, entry) -> str:
    if entry is None:
        return "inline"
    return "defaults" if entry.where[0] == str(renderer.defaults.path) else "odd"


def _document(element) -> str:
    return element.getroottree().docinfo.URL or "<document>"


def _where(entry) -> str:
    path, line, column = entry.where
    return f"{path}:{line}:{column}"


def _why(entry) -> str:
    if entry.predicate is not None:
        return f"its predicate {entry.predicate.source.strip()!r} holds"
    if entry.mode is not None:
        return f'$parameters?mode is "{entry.mode}"'
    return "it has no predicate: it applies to every such element"


def _path(element) -> str:
    """/TEI/text/body/div[2]/p[3]: local names, positions among same-named siblings."""
    steps = []
    for node in [element, *element.iterancestors()]:
        name = node.tag.rsplit("}", 1)[-1]
        parent = node.getparent()
        same = [s for s in parent if s.tag == node.tag] if parent is not None else [node]
        steps.append(name + (f"[{same.index(node) + 1}]" if len(same) > 1 else ""))
    return "/" + "/".join(reversed(steps))


def _decision(renderer, element, entry, origin, passed) -> dict:
    out = {"element": element.tag.rsplit("}", 1)[-1], "path": _path(element),
           "document": _document(element), "line": element.sourceline, "mode": renderer.mode, "from": origin}
    if entry is None:
        out.update(model=None, behaviour="inline",
                   why="no model of the ODD or of the defaults applies: rendered inline")
    else:
        out.update(model=_where(entry), behaviour=getattr(entry, "behaviour", type(entry).__name__),
                   why=_why(entry) + ("" if origin == "odd" else " (a model of the defaults: the ODD has "
                                      "none that applies)"))
    out["passed_over"] = [{"model": _where(e), "why": why} for e, why in passed]
    return out


@dataclass
class Coverage:
    odd: Path
    documents: list[Path]
    modes: tuple[str, ...]
    models: int = 0
    never_fired: list = field(default_factory=list)  # (Model, ) in ODD order
    fired: Counter = field(default_factory=Counter)
    fallbacks: list = field(default_factory=list)  # (element, origin, count, first (path, line))
    skipped: list = field(default_factory=list)  # (path, line, column, rule, message, count)

    def as_dict(self) -> dict:
        return {
            "odd": str(self.odd), "documents": [str(d) for d in self.documents], "modes": list(self.modes),
            "models": self.models,
            "never_fired": [{"where": _where(m), "element": m.ident, "behaviour": m.behaviour,
                             "output": m.output, "predicate": m.predicate.source if m.predicate else None}
                            for m in self.never_fired],
            "fell_back": [{"element": e, "to": o, "count": n, "first": f"{p}:{line}"}
                          for e, o, n, (p, line) in self.fallbacks],
            "skipped": [{"where": f"{p}:{line}:{column}", "rule": rule, "message": message, "count": n}
                        for p, line, column, rule, message, n in self.skipped],
        }

    def lines(self) -> list[str]:
        """The report as text, one finding a line (file:line:column first, as diagnostics are)."""
        out = [f"{self.odd}: {self.models} models, over {len(self.documents)} document(s) "
               f"in {' and '.join(self.modes)} output"]
        out.append(f"models that never fired: {len(self.never_fired)}")
        for m in self.never_fired:
            condition = f" predicate={m.predicate.source.strip()!r}" if m.predicate else ""
            output = f" output={m.output}" if m.output else ""
            out.append(f"  {_where(m)}: <{m.ident}> behaviour={m.behaviour}{output}{condition}")
        total = sum(n for _, _, n, _ in self.fallbacks)
        out.append(f"elements no model of the ODD handled: {len(self.fallbacks)} kind(s), {total} element(s)")
        for element, origin, count, (path, line) in self.fallbacks:
            to = "the defaults (defaults.odd)" if origin == "defaults" else "a plain inline"
            out.append(f"  <{element}> ×{count}: fell back to {to}; first at {path}:{line}")
        out.append(f"expressions skipped: {len(self.skipped)}")
        for path, line, column, rule, message, count in self.skipped:
            out.append(f"  {path}:{line}:{column}: {rule}: {message} (mattered {count} time(s))")
        return out


def coverage(model: ProcessingModel, documents, modes=("web", "print"), parameters=None) -> Coverage:
    """Render every document in every mode and report what the ODD did."""
    tracer = Tracer(keep_decisions=False)
    paths = [Path(d) for d in documents]
    for path in paths:
        root = parse_file(path, collect_ids=False).getroot()
        for mode in modes:
            Renderer(model, mode, parameters, tracer=tracer).render(root)
    models = model.models_in_order
    report = Coverage(odd=model.path, documents=paths, modes=tuple(modes), models=len(models), fired=tracer.fired)
    report.never_fired = [m for m in models if not tracer.fired[m]]
    report.fallbacks = sorted(((e, o, n, tracer.first_fallback[e]) for (e, o), n in tracer.fallbacks.items()),
                              key=lambda item: (-item[2], item[0]))
    report.skipped = _skipped(model, tracer)
    return report


def _skipped(model: ProcessingModel, tracer: Tracer) -> list:
    """Parts of expressions taken as empty (count: the times their model fired) and
    models left out (count: the elements of that name rendered, which fell back)."""
    found = []
    for m in model.models_in_order:
        for name, expression in [("predicate", m.predicate), *m.params.items()]:
            if expression is not None and expression.warnings and expression.where:
                path, line, column = expression.where
                for message in expression.warnings:
                    found.append((path, line, column, "odd-xquery", message, tracer.fired[m]))
    for warning in model.warnings:
        if warning.rule in SKIPPED_RULES and "this model is left out" in warning.message:
            ident = warning.message[1:].split(">", 1)[0] if warning.message.startswith("<") else _ident(warning)
            found.append((warning.path, warning.line, warning.column, warning.rule,
                          warning.message, tracer.rendered[ident]))
    return sorted(set(found))


def _ident(warning) -> str:
    """The element an odd-xpath warning is about: its elementSpec, read back from the ODD."""
    from lxml import etree
    try:
        root = etree.parse(warning.path).getroot()
    except (OSError, etree.XMLSyntaxError):
        return ""
    for spec in root.iter("{http://www.tei-c.org/ns/1.0}elementSpec"):
        ends = [e.sourceline for e in spec.iter() if e.sourceline]
        if ends and spec.sourceline <= warning.line <= max(ends):
            return spec.get("ident", "")
    return ""


def trace(model: ProcessingModel, document, mode: str = "web", parameters=None) -> tuple[list, list[dict]]:
    """The rendered items and, per element in the order rendered, the decision taken."""
    tracer = Tracer()
    root = parse_file(document, collect_ids=False).getroot() if isinstance(document, (str, Path)) else document
    renderer = Renderer(model, mode, parameters, tracer=tracer)
    items = renderer.render(root)
    return items, tracer.decisions


__all__ = ["Coverage", "Tracer", "coverage", "trace", "Model"]
