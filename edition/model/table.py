"""The dispatch table of a processing model: element name → its models, in ODD order.

`Model` is one <model> (behaviour, compiled params and predicate, classes);
`ModelSequence` applies all its members in turn; `ModelGroup` (modelGrp)
offers its members as alternatives (the first that matches). Every entry
knows where in which ODD it was declared, for diagnostics.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..records import Factory, Record
from .expressions import Expression


class Entry(Record, frozen=True, eq=False):
    ident: str
    output: str | None  # None: every output
    mode: str | None  # TEI Publisher's pb:mode: only when $parameters?mode is this
    predicate: Expression | None
    where: tuple[str, int, int]  # ODD path, line, column

    def applies_to(self, output: str) -> bool:
        return self.output in (None, output)

    def parameters(self) -> set[str]:
        names = set(self.predicate.parameters) if self.predicate else set()
        return names | ({"mode"} if self.mode else set())


class Model(Entry):
    behaviour: str = ""
    params: dict[str, Expression] = Factory(dict)
    classes: tuple[str, ...] = ()  # tei-<ident>, tei-<ident><n>, @cssClass
    css_class: str = ""  # the class outputRendition rules select (TEI Publisher's naming)
    source_rendition: bool = False
    renditions: tuple[tuple[str, str], ...] = ()  # (pseudo-element, declarations)
    template: object = None  # TEI Publisher's pb:template, markup with [[param]] placeholders

    def parameters(self) -> set[str]:
        return super().parameters().union(*(p.parameters for p in self.params.values()))

    def __str__(self) -> str:
        path, line, _ = self.where
        return f'<model behaviour="{self.behaviour}"> for <{self.ident}> ({Path(path).name}:{line})'


class ModelSequence(Entry):
    members: tuple[Entry, ...] = ()

    def parameters(self) -> set[str]:
        return super().parameters().union(*(m.parameters() for m in self.members))


class ModelGroup(ModelSequence):
    """modelGrp: alternatives sharing an @output; the first that matches applies."""


class ProcessingModel(Record, eq=False):
    path: Path
    namespace: str
    specs: dict[str, tuple[Entry, ...]] = Factory(dict)
    css: str = ""  # from outputRendition and the ODD's renditions
    stylesheet: str | None = None  # css as safety.clean_stylesheet cleans it (made with the model, kept with it)
    parameters: frozenset[str] = frozenset()  # every $parameters?name the ODD reads
    warnings: list = Factory(list)

    def entries(self, ident: str, output: str) -> tuple[Entry, ...]:
        """The entries of an element that can apply to an output, in ODD order."""
        return _for_output(self, ident, output)

    @property
    def models(self) -> list[Model]:
        found, stack = [], [e for entries in self.specs.values() for e in entries]
        while stack:
            entry = stack.pop()
            if isinstance(entry, Model):
                found.append(entry)
            else:
                stack.extend(entry.members)
        return found

    @property
    def models_in_order(self) -> list[Model]:
        """Every Model, members of sequences and groups included, in ODD order."""
        found = []

        def walk(entries):
            for entry in entries:
                if isinstance(entry, Model):
                    found.append(entry)
                else:
                    walk(entry.members)
        for entries in self.specs.values():
            walk(entries)
        return sorted(found, key=lambda m: m.where)

    @property
    def behaviours(self) -> set[str]:
        return {m.behaviour for m in self.models}


@lru_cache(maxsize=4096)
def _for_output(model: ProcessingModel, ident: str, output: str) -> tuple[Entry, ...]:
    return tuple(e for e in model.specs.get(ident, ()) if e.applies_to(output))
