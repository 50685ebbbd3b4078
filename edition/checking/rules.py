"""The edition's own rules → diagnostics (beyond what a schema can say).

Rules for any TEI document:
- unique-id: xml:id values are unique in each document, and across the
  documents kept to the house encoding (which point into each other).
- pointer: every @ref, @target, @corresp, @ana, @resp, @who resolves; in a
  document from elsewhere a pointer to a file outside the edition is its own
  business, and one that does not resolve in the document is a warning.
- date: the att.datable attributes (Guidelines §3.6.4) of the elements that
  carry them are real ISO 8601 dates; from ≤ to, notBefore ≤ notAfter.
House rules, for the documents of the house profile (docs/encoding.md):
- translation: once a source has a translation, no original <s> has more
  than one English counterpart (<s corresp="#id">) and every counterpart
  points at an original; an untranslated sentence (none, or an empty one) is
  a warning: a draft builds with placeholders, --strict refuses it.
- received-text, note-part, translated-name: see integrity.py.
- factual-problem: every such note has a known category (@subtype, from the
  taxonomy in tei/edition.xml), a @target, and evidence.
- unreviewed (warning): a machine annotation nobody has confirmed yet.
- image (warning): an image a source shows (graphic/@url) that the site, the book and
  the EPUB cannot carry: missing, outside tei/, or of a type they do not carry
  (edition/media.py). It reads the disk, so it runs every time (a corpus rule, never kept).
- bound: a figure given as a bound ("more than 500", "almost 660") carries
  @atLeast/@atMost, not also an exact @value/@quantity, which would state the
  bound as the figure (a warning); and @atLeast is not above @atMost (an error).
- event-date, person-date, event-link: the consistency of facts with the
  registers of events and persons (edition.checking.consistency).
Another module adds a rule by appending it to CORPUS_RULES or RULES (at the end of this module).
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict

from lxml import etree

from ..corpus import Corpus, Document, UnknownPrefix
from ..diagnostics import WARNING, Diagnostic
from ..xmlio import NS, XML_ID, tei
from . import consistency, integrity

POINTER_ATTRIBUTES = ("ref", "target", "corresp", "ana", "resp", "who")
DATE_ATTRIBUTES = ("when", "from", "to", "notBefore", "notAfter")
MACHINE_RESP = "edition-annotate"
TAXONOMY_ID = "factual-problems"


# The elements of att.datable in TEI P5 4.11 (tei_all.rng; tests/checking compares the list with it):
# @when, @from, @to, @notBefore, @notAfter are dates only on these (biblScope/@from, app/@from are not).
DATABLE = frozenset("""
acquisition affiliation age altIdentifier application author binding birth bloc change climate conversion
country creation custEvent date death district docDate editor education event eventName faith floruit
funder gender geogFeat geogName idno langKnowledge langKnown licence localProp location mapping meeting
name nationality objectName occupation offset orgName origDate origPlace origin persName persPronouns
placeName population post precision principal provenance region relation residence resp seal settlement
sex socecStatus sponsor stamp state terrain time title trait unitDecl unitDef""".split())

ANY, HOUSE = "any TEI", "house"


def check(corpus: Corpus, documents: list[Document] | None = None, workers: int | None = None,
          cluster=None) -> list[Diagnostic]:
    """The corpus rules (a reduction over every document), then the per-document rules
    of `documents` (default: all), in the corpus's order. With many documents the
    per-document rules run as tasks of a local process pool (edition/pipeline/graph.py,
    `workers`: 1 for none) or of a Dask cluster (`cluster`), with the same diagnostics in the same order."""
    found: list[Diagnostic] = [d for rule in CORPUS_RULES for d in rule(corpus)]
    context = rule_context(corpus)
    chosen = list(corpus.documents.values()) if documents is None else documents
    from ..pipeline.graph import check_documents
    return found + check_documents(corpus, chosen, context, workers, cluster)


def rule_context(corpus: Corpus) -> dict:
    """What every per-document rule reads of the whole corpus, found once."""
    return {"categories": _categories(corpus)}


# check() in two halves, for a check that keeps documents' diagnostics (checking/kept.py)
def corpus_rules(corpus: Corpus) -> list[Diagnostic]:
    """The rules over the whole corpus (CORPUS_RULES), in their order: check()'s first half."""
    return [d for rule in CORPUS_RULES for d in rule(corpus)]


def check_documents(corpus: Corpus, documents: list[Document], context: dict, workers: int | None = None,
                    cluster=None) -> list[Diagnostic]:
    """The per-document rules of `documents`, in their order: check()'s second half
    (pipeline/graph.py: in a pool when many, on a cluster's workers when given one)."""
    if not documents:
        return []
    from ..pipeline.graph import check_documents as run
    return run(corpus, documents, context, workers, **({"cluster": cluster} if cluster is not None else {}))


def document_rules(corpus: Corpus, document: Document, context: dict) -> list[Diagnostic]:
    """Every per-document rule (RULES) on one document: a task of the check."""
    found: list[Diagnostic] = []
    house = corpus.house(document)
    for rule, scope in RULES:
        if scope == ANY or house:
            found += rule(corpus, document, context)
    return found


def _at(document: Document, node, rule: str, message: str, severity="error") -> Diagnostic:
    return Diagnostic.at(node, rule, message, document.path, severity)


def images(corpus: Corpus) -> list[Diagnostic]:
    from .. import media
    tei_dir = corpus.edition.tei_dir
    return [_at(document, element, "image", why, WARNING)
            for document in corpus.documents.values() for element in media.shown(document.root)
            if (why := media.why_not_carried(element, tei_dir))]


def unique_ids(corpus: Corpus) -> list[Diagnostic]:
    shared: dict[str, tuple[Document, object]] = {}  # ids of the house documents, which point into each other
    found = []
    for document in corpus.documents.values():
        first = shared if corpus.house(document) else {}
        for element in _WITH_ID(document.root):
            identifier = element.get(XML_ID)
            if identifier in first:
                other, node = first[identifier]
                found.append(_at(document, element, "unique-id",
                                 f'xml:id "{identifier}" is already used at '
                                 f"{corpus.relative(other.path)}:{node.sourceline}"))
            else:
                first[identifier] = (document, element)
    return found


def pointers(corpus: Corpus, document: Document, context=None) -> list[Diagnostic]:
    found = []
    house = corpus.house(document)
    settings = set(document.root.xpath(".//tei:appInfo//*", namespaces=NS))  # files and folders, maybe not there yet
    answers: dict[str, str | None] = {}  # a pointer's problem, found once per document (most repeat)
    for element in _WITH_POINTERS(document.root):
        if element in settings:
            continue
        for attribute in POINTER_ATTRIBUTES:
            for pointer in (element.get(attribute) or "").split():
                if pointer not in answers:
                    answers[pointer] = _pointer_problem(corpus, document, pointer, house)
                problem = answers[pointer]
                if problem:
                    found.append(Diagnostic.at(element, "pointer", f'@{attribute} "{pointer}" {problem}',
                                               document.path, "error" if house else WARNING,
                                               attribute=attribute))
    return found


# the elements (the root among them) that carry a pointer attribute, in document order
_WITH_POINTERS = etree.XPath("descendant-or-self::*[" + " or ".join(f"@{a}" for a in POINTER_ATTRIBUTES) + "]")
_WITH_ID = etree.XPath("descendant-or-self::*[@xml:id]")
_DATED = etree.XPath("descendant-or-self::tei:*[" + " or ".join(f"@{a}" for a in DATE_ATTRIBUTES) + "]",
                     namespaces=NS)


def _did_you_mean(corpus: Corpus, path, fragment: str, pointer: str) -> str:
    """The closest xml:id of that file, written as the pointer was ("per:stalin")."""
    import difflib
    known = [identifier for (where, identifier) in corpus.ids if where == path]
    close = difflib.get_close_matches(fragment, known, n=1, cutoff=0.75)
    if not close:
        return ""
    return f" (did you mean {pointer[: len(pointer) - len(fragment)]}{close[0]}?)"


def _pointer_problem(corpus: Corpus, document: Document, pointer: str, house: bool = True) -> str | None:
    try:
        target = corpus.expand(pointer, document)
    except UnknownPrefix as error:
        return f'uses the undeclared prefix "{error}" (declare it in listPrefixDef)'
    if target is None:
        return None
    path, fragment = target
    if path not in corpus.documents:
        if not house:
            return None  # another document of the collection it came from: not ours to check
        return f"points to {corpus.relative(path)}, which is not a TEI file of the edition"
    if fragment and (path, fragment) not in corpus.ids:
        return (f'points to no element: there is no xml:id "{fragment}" in {corpus.relative(path)}'
                + _did_you_mean(corpus, path, fragment, pointer))
    return None


def parse_iso(value: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day an ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD,
    negative years allowed; a yearless --MM-DD or ---DD covers any day) spans;
    None when it is not a valid date."""
    partial = re.fullmatch(r"--(\d{2})(?:-(\d{2}))?|---(\d{2})", value)
    if partial:  # a month, month-day or day without a year (XSD gMonth, gMonthDay, gDay)
        month, day = int(partial[1] or 1), int(partial[2] or partial[3] or 1)
        try:
            dt.date(2000, month, day)  # a leap year admits --02-29
        except ValueError:
            return None
        return (dt.date.min, dt.date.max)
    match = re.fullmatch(r"(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?)?", value)
    if not match:
        return None
    year = int(match[1])
    if year <= 0:  # Python dates cannot go before year 1: compare by year only
        return (dt.date.min, dt.date.min)
    try:
        if match[3]:
            day = dt.date(year, int(match[2]), int(match[3]))
            return day, day
        if match[2]:
            month = int(match[2])
            first = dt.date(year, month, 1)
            last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
            return first, last
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None


def dates(corpus: Corpus, document: Document, context=None) -> list[Diagnostic]:
    found = []
    for element in _DATED(document.root):
        values = {name: element.get(name) for name in DATE_ATTRIBUTES if element.get(name)}
        if not values or element.tag.rsplit("}", 1)[-1] not in DATABLE:
            continue
        parsed = {}
        for name, value in values.items():
            parsed[name] = parse_iso(value)
            if parsed[name] is None:
                found.append(_at(document, element, "date",
                                 f'@{name}="{value}" is not a valid ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD, --MM-DD or ---DD)'))
        for start, end in (("from", "to"), ("notBefore", "notAfter")):
            if parsed.get(start) and parsed.get(end) and parsed[start][0] > parsed[end][1]:
                found.append(_at(document, element, "date",
                                 f'@{start}="{values[start]}" is later than @{end}="{values[end]}"'))
    return found


def translation(corpus: Corpus, document: Document, context=None) -> list[Diagnostic]:
    translations = document.root.xpath(".//tei:div[@type='translation']", namespaces=NS)
    originals = document.root.xpath(".//tei:div[@type='original']//tei:s[@xml:id]", namespaces=NS)
    if not translations:
        if originals:
            return [_at(document, document.root, "translation",
                        "the source has no translation (div[@type='translation'])", WARNING)]
        return []
    counterparts = defaultdict(list)
    found = []
    original_ids = {s.get(XML_ID) for s in originals}
    for english in translations[0].iter(tei("s")):
        target = (english.get("corresp") or "").removeprefix("#")
        if target not in original_ids:
            found.append(_at(document, english, "translation",
                             f'translated sentence corresp="{english.get("corresp")}" is not an original sentence'))
        counterparts[target].append(english)
    for original in originals:
        english = counterparts.get(original.get(XML_ID), [])
        if len(english) > 1:
            found.append(_at(document, original, "translation",
                             f'sentence "{original.get(XML_ID)}" has {len(english)} translations; it needs exactly one'))
        elif not english or not "".join(english[0].itertext()).strip():
            # a draft: it builds, with a visible placeholder; --strict refuses it
            found.append(_at(document, english[0] if english else original, "translation",
                             f'sentence "{original.get(XML_ID)}" is not translated yet', WARNING))
    return found


def _categories(corpus: Corpus) -> set[str] | None:
    for document in corpus.documents.values():
        taxonomy = document.root.xpath(f".//tei:taxonomy[@xml:id='{TAXONOMY_ID}']", namespaces=NS)
        if taxonomy:
            return {c.get(XML_ID) for c in taxonomy[0].iter(tei("category"))}
    return None


def factual_problems(corpus: Corpus, document: Document, context) -> list[Diagnostic]:
    categories = context["categories"]
    found = []
    for note in document.root.xpath(".//tei:note[@type='factual-problem']", namespaces=NS):
        category = note.get("subtype")
        if not category:
            found.append(_at(document, note, "factual-problem", "the note has no category (@subtype)"))
        elif categories is None:
            found.append(_at(document, note, "factual-problem",
                             f'category "{category}" cannot be checked: tei/edition.xml has no '
                             f'taxonomy xml:id="{TAXONOMY_ID}"'))
        elif category not in categories:
            known = ", ".join(sorted(categories))
            found.append(_at(document, note, "factual-problem",
                             f'unknown category "{category}" (known: {known})'))
        if not note.get("target"):
            found.append(_at(document, note, "factual-problem",
                             "the note has no @target pointing at the words it is about"))
        evidence = note.xpath("tei:listBibl[@type='evidence']/tei:bibl"
                              "[tei:ptr[@target] or tei:ref[@target]]", namespaces=NS)
        if not evidence:
            found.append(_at(document, note, "factual-problem",
                             "the note gives no evidence (listBibl[@type='evidence'] with a bibl "
                             "holding a ptr or ref with @target)"))
    return found


def unreviewed(corpus: Corpus, document: Document, context=None) -> list[Diagnostic]:
    count = Counter()
    first = {}
    for element in document.root.iter(tag="{*}*"):
        if any(p.split(":")[-1].lstrip("#") == MACHINE_RESP for p in (element.get("resp") or "").split()):
            name = element.tag.rsplit("}", 1)[-1]
            count[name] += 1
            first.setdefault(name, element)
    return [_at(document, first[name], "unreviewed",
                f"{n} machine-made <{name}> annotation(s) not yet reviewed (resp={MACHINE_RESP})",
                WARNING) for name, n in sorted(count.items())]


def tei_root(corpus: Corpus, document: Document, context=None) -> list[Diagnostic]:
    """A file of the edition is a TEI P5 document: another vocabulary (DocBook, JATS …) would
    otherwise pass every TEI rule unseen and publish as an empty page."""
    if document.root.tag in (tei("TEI"), tei("teiCorpus")):
        return []
    namespace, _, name = document.root.tag.rpartition("}")
    found = f"<{name}> in {namespace.lstrip('{') or 'no namespace'}"
    return [Diagnostic.at(document.root, "not-tei", f"the root element is {found}, not a TEI P5 "
                          f"<TEI> in {NS['tei']}", document.path)]


def bounds(corpus: Corpus, document: Document, context=None) -> list[Diagnostic]:
    """A bounded figure is not also an exact one (docs/encoding.md, "Precision")."""
    found = []
    for element in document.root.iter(tei("num"), tei("measure")):
        exact = element.get("value") or element.get("quantity")
        low, high = element.get("atLeast"), element.get("atMost")
        name = element.tag.rsplit("}", 1)[-1]
        inner = element.find(tei("num")) if name == "measure" else None
        if inner is not None and low is None and high is None:  # a measure's bound sits on its num
            low, high = inner.get("atLeast"), inner.get("atMost")
        if exact is not None and (low is not None or high is not None):
            bound = f'atLeast="{low}"' if low is not None else f'atMost="{high}"'
            found.append(_at(document, element, "bound",
                             f'<{name}> gives both an exact figure ({exact}) and a bound ({bound}): '
                             "a bound stated by the words (\"more than\", \"almost\") carries no @value",
                             WARNING))
        low, high = element.get("atLeast"), element.get("atMost")
        try:
            inverted = low is not None and high is not None and float(low) > float(high)
        except ValueError:
            inverted = False  # the schema reports a value that is not a number
        if inverted:
            found.append(_at(document, element, "bound",
                             f'<{name}> has atLeast="{low}" above atMost="{high}"'))
    return found


# The registration point: a rule over the whole corpus, f(corpus) -> diagnostics, goes in CORPUS_RULES;
# a rule per document, f(corpus, document, context), goes in RULES with its scope (ANY or HOUSE).
CORPUS_RULES = [unique_ids, consistency.check, images]
RULES = [(tei_root, ANY), (pointers, ANY), (dates, ANY), (translation, HOUSE), (factual_problems, HOUSE), (unreviewed, HOUSE),
         (integrity.check, HOUSE), (bounds, HOUSE)]
