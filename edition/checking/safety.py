"""Hostile-input rules → diagnostics: what `edition check` says before a build
would refuse or leave something out (edition.safety holds the policy).

- source-id (error): a source's file name is its id and its page's name, so
  it must be a source id (safety.SOURCE_ID): `javascript:x.xml` never becomes
  a link in the site's navigation.
- resource (warning): a @url that the site and the book will not embed
  (another host, an absolute path, a path climbing out of the edition).
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..corpus import Corpus
from ..diagnostics import WARNING, Diagnostic
from ..safety import local_url, source_id_problem, within

RESOURCE_ATTRIBUTES = ("url",)


def check(corpus: Corpus) -> list[Diagnostic]:
    found = []
    sources = corpus.edition.sources_dir.resolve()
    for path in corpus.edition.tei_files():
        if path.resolve().parent == sources:
            problem = source_id_problem(path.stem)
            if problem:
                found.append(Diagnostic(str(path.resolve()), 1, 1, "source-id",
                                        f"the file name gives the source id: {problem}; rename the file"))
    for document in corpus.documents.values():
        for element in document.root.iter():
            if not isinstance(element.tag, str):
                continue
            for name in RESOURCE_ATTRIBUTES:
                value = element.get(name)
                if value is not None and not _inside(value, document.path, corpus.edition.root):
                    found.append(Diagnostic.at(element, "resource",
                                               f"@{name}={value!r} is outside the edition: the site and the "
                                               "book will not embed it", document.path, WARNING))
    return found


def _inside(url: str, document: Path, root: Path) -> bool:
    """Whether `url`, read against its document, names a file inside the edition
    ("../images/f1.png" from tei/sources/ does)."""
    url = local_url(url)
    if url is None:
        return False
    path = unquote(urlsplit(url).path)
    return not path or within(document.parent / path, [root])
