"""A source's factual-problem notes → Problems, numbered in text order and set on their rows."""
from __future__ import annotations

from ...corpus import Corpus
from ...xmlio import NS, XML_ID, tei
from .model import Problem, Source


def problems_of(corpus: Corpus, source: Source, categories) -> list[Problem]:
    pairs = {p.id: p for p in source.pairs}
    problems = []
    notes = source.document.root.xpath(".//tei:note[@type='factual-problem']", namespaces=NS)
    for position, note in enumerate(notes, start=1):
        target_id = (note.get("target") or "").split()[0].lstrip("#") if note.get("target") else ""
        target = corpus.ids.get((source.document.path, target_id))
        sentence = enclosing_sentence(target)
        category = note.get("subtype", "")
        problems.append(Problem(note.get(XML_ID, f"{source.id}-fp{position}"), position, source.id, category,
                                categories.get(category, category), note, target_id, target,
                                sentence.get(XML_ID) if sentence is not None else None, note.get("cert", ""),
                                source.siglum))
    order = {element: index for index, element in enumerate(source.document.root.iter())}
    problems.sort(key=lambda p: (order.get(p.target, len(order)), p.number))  # text order
    for number, problem in enumerate(problems, start=1):
        problem.number = number
        if problem.sentence_id in pairs:
            pairs[problem.sentence_id].problems.append(problem)
    return problems


def enclosing_sentence(element):
    while element is not None and element.tag != tei("s"):
        element = element.getparent()
    return element
