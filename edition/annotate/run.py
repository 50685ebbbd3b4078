"""Annotate sources: registers + date normalisers → TEI written atomically.

Gather, then write: every source is annotated in memory, the result is
serialised so that only the lines that gained annotations change, and it is
written with a temporary file and a rename. A source that does not parse is
reported and left untouched.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


from ..diagnostics import Diagnostic, EditionError
from ..project import Edition
from ..xmlio import decoded, parse_bytes, read_regular, serialize_like, write_atomic
from .dates import DateContext, find_dates
from .markup import annotatable_slots, rejected_annotations, slot_sentence, wrap
from .names import NameFinder
from .registers import load_name_forms

MACHINE = {"resp": "ed:edition-annotate"}


@dataclass
class SourceResult:
    source_id: str
    path: Path
    before: bytes
    after: bytes
    counts: Counter = field(default_factory=Counter)
    candidates: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> str:
        return "".join(difflib.unified_diff(
            decoded(self.before).splitlines(keepends=True),
            decoded(self.after).splitlines(keepends=True),
            f"a/{self.path.name}", f"b/{self.path.name}"))


@dataclass
class AnnotationRun:
    results: list[SourceResult] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


def annotate(edition: Edition, source_ids: list[str] | None = None, write: bool = True) -> AnnotationRun:
    finder = NameFinder(load_name_forms(edition.registers_dir))
    run = AnnotationRun()
    for source_id in source_ids or edition.source_ids():
        path = edition.require_source(source_id)
        try:
            run.results.append(annotate_file(path, source_id, finder))
        except EditionError as error:
            run.problems.extend(error.diagnostics)
    if write:
        for result in run.results:
            if result.changed:
                write_atomic(result.path, result.after)
    return run


def annotate_file(path: Path, source_id: str, finder: NameFinder) -> SourceResult:
    before = read_regular(path)
    tree = parse_bytes(before, path)
    result = SourceResult(source_id, path, before, before)
    context = DateContext()
    rejections = rejected_annotations(tree.getroot())
    for slot in list(annotatable_slots(tree.getroot())):
        sentence = slot_sentence(slot)
        refused = lambda span, text=slot.text: (sentence, span[2], text[span[0]:span[1]]) in rejections  # noqa: E731
        spans = _spans(slot.text, slot.lang, finder, context, result, refused)
        if spans:
            wrap(slot, spans)
    result.after = serialize_like(before, tree)
    return result


def _spans(text, lang, finder, context, result, refused=lambda span: False) -> list[tuple[int, int, str, dict]]:
    names = [(m.start, m.end, m.form.element, {"ref": m.form.ref, **MACHINE, "cert": "medium"})
             for m in finder.find(text, lang)]
    dates = [(d.start, d.end, "date", {**d.attributes, **MACHINE, "cert": "low" if d.inferred else "medium"})
             for d in find_dates(text, lang, context) if "None" not in str(d.attributes)]
    chosen, taken = [], []
    for span in sorted(names + dates, key=lambda s: (s[0], -s[1])):  # longest at each start
        if refused(span):  # a scholar rejected this annotation here: never again
            taken.append((span[0], span[1]))
            continue
        if all(span[1] <= a or span[0] >= b for a, b in taken):
            chosen.append(span)
            taken.append((span[0], span[1]))
            result.counts[span[2]] += 1
    for word in _name_like(text, lang, taken):
        result.candidates[word] += 1
    return sorted(chosen)


def _name_like(text: str, lang: str, taken) -> list[str]:
    """Unmatched runs of capitalised words, not at the start of a sentence:
    candidates for the registers."""
    found = []
    for match in re.finditer(r"[^\W\d_][\w-]+", text):
        word, start = match.group(), match.start()
        at_sentence_start = not text[:start].strip() or text[:start].rstrip()[-1] in ".!?"
        untaken = all(match.end() <= a or start >= b for a, b in taken)
        if word[0].isupper() and untaken and not at_sentence_start and len(word) > 2:
            if found and text[found[-1][1]:start] == " ":
                found[-1] = (found[-1][0], match.end())
            else:
                found.append((start, match.end()))
    return [text[a:b] for a, b in found]
