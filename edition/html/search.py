"""Sentences of every source (original and translation), and the text units of the parts rendered
whole, → a sharded search index.

The index is built here, at build time, so that the search page loads almost
nothing before the first query: a small manifest (the sources and the register's
name forms), then, on demand, the term shard a query word falls in, the shard
of the sentences tagged with the entries it names, and the sentences of the
sources that match. Every
file is a script that calls a global function (not JSON fetched at run time),
so that search works from file:// as from any static host. styles/js/search.js
reads them.

Tokens are the same on both sides (the test suite checks a sample): words for
spaced scripts, lower-cased with accents folded (ł → l as well); Thai and
Chinese, written without spaces between words, become overlapping character
bigrams, like Lucene's CJK bigram analyser, so that any word of two or more
characters is found without a dictionary in the browser.

Register-aware: a query that matches a name form of a person, place or
organisation (any form in the register, or any tagged mention's text) finds
every sentence tagged with that entry, in every script; a place also finds the
sentences that narrate the events named after it ("the battle of Lake Khasan").
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..readers.model import language_of
from ..readers.passages import anchor
from .collect import EditionView, text_of
from .collect.registers import mentions

UNSPACED = ((0x0E00, 0x0E7F), (0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
SHARDS_UNSPACED = 16  # bigram shards: by the first character's code point
SHARDS_ENTRIES = 16   # the sentences of the register's entries: entry number modulo this
# Places too large to stand for the events named after them ("Japan", "Mongolia").
BROAD_PLACES = {"state", "continent", "region"}


def unspaced(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in UNSPACED)


def fold(word: str) -> str:
    """Lower case, accents off (NFD without combining marks), ł → l: as search.js folds."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not 0x300 <= ord(c) <= 0x36F).replace("ł", "l")


def _word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LNM"


def runs(text: str) -> list[tuple[str, bool]]:
    """The text as runs of one kind: (run, True) for Thai/Chinese, (word, False) otherwise."""
    found, current, kind = [], "", None
    for char in text:
        this = "u" if unspaced(char) else "w" if _word_char(char) else None
        if this != kind and current:
            found.append((current, kind == "u"))
            current = ""
        kind = this
        if this:
            current += char
    if current:
        found.append((current, kind == "u"))
    return found


def tokens(text: str) -> list[str]:
    result = []
    for run, is_unspaced in runs(text):
        if is_unspaced:
            if len(run) == 1:
                result.append(run)
            result.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            result.append(fold(run))
    return result


def shard_of(term: str) -> str:
    """The shard a term lives in; prefixes of a word share its shard (its first letter)."""
    first = term[0]
    if "a" <= first <= "z" or "0" <= first <= "9":
        return first
    return f"u{ord(first) % SHARDS_UNSPACED}"


@dataclass
class SearchIndex:
    sources: list[dict]
    documents: dict[str, list[list]]            # source id → its sentences
    terms: dict[str, dict[str, list[int]]]      # shard → term → sentence numbers
    entries: list[list] = field(default_factory=list)  # [ref, name, kind, forms, register id]
    entry_sentences: list[list] = field(default_factory=list)  # per entry: [tagged, narrating an event]

    def write(self, folder: Path, files=None) -> None:
        """index.js (the manifest the page loads) holds nothing whose size grows with the
        sentences but the sources' list: the entries' sentences are in e-K.js, loaded when a
        query matches an entry, like the term (t-KEY.js) and sentence (d-SOURCE.js) shards."""
        folder.mkdir(parents=True, exist_ok=True)
        manifest = {"sources": self.sources, "shards": sorted(self.terms), "entries": self.entries,
                    "entryShards": SHARDS_ENTRIES, "count": sum(len(d) for d in self.documents.values())}
        write = files.write_text if files is not None else lambda path, text: path.write_text(text, "utf-8")
        _script(write, folder / "index.js", "EDITION_SEARCH", manifest)
        shards: dict[int, dict[str, list]] = {}
        for number, sentences in enumerate(self.entry_sentences):
            if any(sentences):
                shards.setdefault(number % SHARDS_ENTRIES, {})[str(number)] = sentences
        for key, found in sorted(shards.items()):
            _script(write, folder / f"e-{key}.js", "EDITION_SEARCH_ENTRIES", key, found)
        for key, postings in self.terms.items():
            _script(write, folder / f"t-{key}.js", "EDITION_SEARCH_TERMS", key, postings)
        for source, documents in self.documents.items():
            _script(write, folder / f"d-{source}.js", "EDITION_SEARCH_DOCS", source, documents)


def _script(write, path: Path, function: str, *arguments) -> None:
    body = ",".join(json.dumps(a, ensure_ascii=False, separators=(",", ":")) for a in arguments)
    if function == "EDITION_SEARCH":
        write(path, f"window.{function}={body};\n")
    else:
        write(path, f"window.{function}({body});\n")


def _words(view, units, document) -> list[list]:
    """Per unit, per side (original, then translation): its text, its terms in text order and
    the names in it that point at register entries ([entry ref, the name's words])."""
    found = []
    for sides in units:
        for _, _, element in sides:
            text = text_of(element)
            names = [[entry.ref, text_of(name)] for name, entry in mentions(view, element, document)]
            found.append([text, list(dict.fromkeys(tokens(text))), names])  # a set's order changes with the hash seed
    return found


def _words_shaped(found, count: int) -> bool:
    """Whether a kept share of the index (_words) has its shape: `count` [text, terms, names].
    (Plain loops: the generators it was written with were a tenth of an incremental build's index.)"""
    if not isinstance(found, list) or len(found) != count:
        return False
    for item in found:
        if not isinstance(item, list) or len(item) != 3:
            return False
        text, terms, names = item
        if not (isinstance(text, str) and isinstance(terms, list) and isinstance(names, list)):
            return False
        for term in terms:
            if not isinstance(term, str):
                return False
        for name in names:
            if not (isinstance(name, list) and len(name) == 2 and isinstance(name[0], str)
                    and isinstance(name[1], str)):
                return False
    return True


def units_of(source) -> tuple[list, list]:
    """A source's units of search, per row its sides [(id, lang, element)], and per row its
    (sentence number, events)."""
    units = [[(pair.id, source.lang, pair.original)] +
             ([(pair.translation_id, source.translation_lang or source.lang, pair.translation)]
              if pair.translation is not None else []) for pair in source.pairs]
    numbers = [(pair.number, pair.events) for pair in source.pairs]
    # the parts rendered whole (a source with no translation; another edition's notes, apparatus,
    # commentary), unit by unit: linked to the nearest id the page shows, numbered in text order
    passages = [p for p in source.passages if text_of(p)]
    for position, passage in enumerate(passages, start=len(numbers) + 1):
        units.append([(anchor(passage), language_of(passage, source.lang), passage)])
        numbers.append((position, []))
    return units, numbers


def words_of(view, source, units, kept=None) -> list[list]:
    """`_words` of a source's units, through `kept` (parts.SiteParts.kept_json) when given: the
    one call the index makes for a source (a forked page worker makes the same part ahead)."""
    make = lambda: _words(view, units, source.document)  # noqa: E731
    found = kept(source, make) if kept else None
    if not _words_shaped(found, sum(len(sides) for sides in units)):  # none kept, or not in this shape
        found = make()
    return found


def build_index(view: EditionView, page_of, kept=None) -> SearchIndex:
    """Every sentence a document, and every text unit of the parts a page renders whole (a source
    with no translation): [number, lang, id, url, text, counterpart, sentence number, mentions].
    `kept(source, make)`: a source's texts and terms (`_words`) as the parts cache keeps them
    (pipeline/parts.py), so that an unchanged source is not tokenised again."""
    entries = [e for kind in ("person", "place", "org") for e in view.entries[kind]]
    entry_index = {e.ref: i for i, e in enumerate(entries)}
    forms: list[set[str]] = [{e.name, *(f for f, _ in e.forms if f)} for e in entries]
    mentioned: list[list[int]] = [[] for _ in entries]
    events_of_sentence: dict[int, list[str]] = {}
    documents: dict[str, list[list]] = {}
    terms: dict[str, dict[str, list[int]]] = {}
    posting_of: dict[str, list[int]] = {}
    sources, number = [], 0
    for source in view.sources:
        first = number
        rows = documents.setdefault(source.id, [])
        units, numbers = units_of(source)
        said = iter(words_of(view, source, units, kept))
        for sides, (sentence_number, events) in zip(units, numbers):
            for offset, (identifier, lang, element) in enumerate(sides):
                text, terms_of_text, names = next(said)
                marks = []
                for ref, words in names:
                    if ref in entry_index:
                        marks.append([entry_index[ref], words])
                        tagged = mentioned[entry_index[ref]]
                        if not tagged or tagged[-1] != number:  # numbers only grow: a membership test
                            tagged.append(number)              # of the whole list was O(corpus) each
                        if words:
                            forms[entry_index[ref]].add(words)
                counterpart = (number + 1 if offset == 0 else number - 1) if len(sides) == 2 else -1
                url = f"{page_of(source)}#{identifier}" if identifier else page_of(source)
                rows.append([number, lang, identifier, url, text, counterpart, sentence_number, marks])
                events_of_sentence[number] = events
                for term in terms_of_text:
                    postings = posting_of.get(term)
                    if postings is None:  # the term's list in its shard, found once
                        postings = posting_of[term] = terms.setdefault(shard_of(term), {}).setdefault(term, [])
                    postings.append(number)
                number += 1
        sources.append({"id": source.id, "title": source.title, "language": source.language,
                        "lang": source.lang, "siglum": source.siglum, "page": page_of(source),
                        "first": first, "end": number})
    narrated = _narrated(view, entries, forms, events_of_sentence)
    manifest_entries = [[e.ref, e.name, e.kind, sorted(forms[i]), e.id] for i, e in enumerate(entries)]
    return SearchIndex(sources, documents, terms, manifest_entries,
                       [[mentioned[i], narrated[i]] for i in range(len(entries))])


def _narrated(view, entries, forms, events_of_sentence) -> list[list[int]]:
    """Per place, the sentences that narrate an event named after it (a label
    holding one of its name forms): the Chinese source tells the Khasan battle
    without naming the lake."""
    labels = {event.id: set(tokens(event.label)) for event in view.events}
    sentences_of: dict[str, list[int]] = {}  # event → the sentences narrating it (once, not once per place)
    for number, events in events_of_sentence.items():
        for event in events:
            sentences_of.setdefault(event, []).append(number)
    result: list[list[int]] = []
    for entry, names in zip(entries, forms):
        if entry.kind != "place" or (entry.element.get("type") or "") in BROAD_PLACES:
            result.append([])
            continue
        wanted = [set(tokens(name)) for name in names if tokens(name)]
        events = {event for event, words in labels.items() if any(w <= words for w in wanted)}
        result.append(sorted({n for event in events for n in sentences_of.get(event, ())}))
    return result


def write_search(view: EditionView, page_of, folder: Path, kept=None, files=None) -> None:
    build_index(view, page_of, kept).write(folder, files)
