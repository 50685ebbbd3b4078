"""Sentences of every source (original and translation) → the search data.

The data is written as a script (search-data.js, assigning a global) rather
than JSON fetched at run time, so search works from file:// too. The index is
built in the browser by MiniSearch with the tokenizer in styles/js/search.js:
words for spaced scripts, character bigrams for Thai and Chinese, which have
no spaces between words — the same approach as Lucene's CJK bigram analyser.
"""
from __future__ import annotations

import json

from .collect import EditionView, text_of


def search_documents(view: EditionView, page_of) -> list[dict]:
    documents = []
    for source in view.sources:
        for pair in source.pairs:
            documents.append({"id": pair.id, "source": source.id, "lang": source.lang,
                              "url": f"{page_of(source)}#{pair.id}", "text": text_of(pair.original)})
            if pair.translation is not None:
                identifier = pair.translation_id
                documents.append({"id": identifier, "source": source.id, "lang": "en",
                                  "url": f"{page_of(source)}#{identifier}", "text": text_of(pair.translation)})
    return documents


def search_script(view: EditionView, page_of) -> str:
    data = {"sources": {s.id: {"title": s.title, "language": s.language} for s in view.sources},
            "documents": search_documents(view, page_of)}
    return "window.EDITION_SEARCH = " + json.dumps(data, ensure_ascii=False) + ";\n"
