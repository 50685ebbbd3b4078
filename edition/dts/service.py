"""DTS requests → responses (JSON-LD or TEI), computed from the edition's view-model.

Every rule of the specification that decides a status or a member lives
here once; `urls.py` only says how a URL looks (query form for `edition
serve`, path form for static hosting).
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field

from lxml import etree

from ..xmlio import NS, TEI_NS, tei
from .citation import TRANSLATION, CitationTree, Unit, citation_trees
from .urls import QueryUrls

CONTEXT = "https://dtsapi.org/context/v1.0.json"
VERSION = "1.0"
DTS_NS = "https://w3id.org/api/dts#"
TEI_MEDIA = "application/tei+xml"
JSON_LD = "application/ld+json"
ROOT = "root"  # the collection of everything this host publishes: here, one edition


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def json(self):
        return json.loads(self.body)


class DtsError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def _integer(value, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DtsError(400, f"{name} must be an integer, not {value!r}") from None


class DtsService:
    """The edition (one root collection of sources) as a DTS 1.0 API."""

    def __init__(self, view, urls=None, collection_id: str = "edition", page_size: int = 100):
        self.view, self.urls = view, urls or QueryUrls()
        self.root_id, self.page_size = collection_id, page_size
        self.sources = {source.id: source for source in view.sources}
        self._trees: dict[str, list[CitationTree]] = {}
        self._resources: dict[tuple[str, bool], dict] = {}
        self._units: dict[int, dict] = {}  # id(Unit) → its CitableUnit object, made once
        self._encoded: dict[tuple[int, int], str] = {}  # (id(object), depth) → its JSON (see _json)
        self._reused: set[int] = set()  # the ids of the objects above: made once, never changed

    # --- requests ---------------------------------------------------------------
    def handle(self, endpoint: str, params: dict) -> Response:
        """One request of the query form: endpoint '', 'collection', 'navigation' or 'document'."""
        handlers = {"": self.entry, "collection": self.collection, "navigation": self.navigation,
                    "document": self.document}
        if endpoint not in handlers:
            return self._error(404, f"no DTS endpoint {endpoint!r}")
        try:
            return handlers[endpoint](**{k: v for k, v in params.items() if k in _PARAMETERS[endpoint]})
        except DtsError as error:
            return self._error(error.status, error.message)

    def entry(self) -> Response:
        return self._json({"@context": CONTEXT, "dtsVersion": VERSION, "@id": self.urls.entry(),
                           "@type": "EntryPoint", **self.urls.templates})

    def collection(self, id=None, page=None, nav=None) -> Response:
        page = _integer(page, "page")
        if nav not in (None, "", "children", "parents"):
            raise DtsError(400, f"nav must be 'children' or 'parents', not {nav!r}")
        identifier = id or ROOT
        if identifier == ROOT:  # what this host publishes: the edition
            members = [] if nav == "parents" else [self._collection_object()]
            body = self._root_object()
        elif identifier == self.root_id:
            members = ([self._root_object()] if nav == "parents"
                       else [self._resource(s) for s in self.sources.values()])
            body = self._collection_object()
        elif identifier in self.sources:
            members = [self._collection_object()] if nav == "parents" else []
            body = self._resource(self.sources[identifier])
        else:
            raise DtsError(404, f"no collection or resource {identifier!r}")
        body = {"@context": CONTEXT, "dtsVersion": VERSION, **body}
        shown, view = self._page(members, page, lambda p: self.urls.collection(id=id, nav=nav, page=p))
        if members:
            body["member"] = shown
        if view:
            body["view"] = view
        return self._json(body)

    def navigation(self, resource=None, ref=None, start=None, end=None, down=None, tree=None,
                   page=None) -> Response:
        source, citation = self._tree(resource, tree)
        down, page = _integer(down, "down"), _integer(page, "page")
        if ref and (start or end):
            raise DtsError(400, "ref cannot be used with start or end")
        if bool(start) != bool(end):
            raise DtsError(400, "start and end go together")
        if down is None and not ref and not start:
            raise DtsError(400, "give ref, start and end, or down")
        if down == 0 and not ref:
            raise DtsError(400, "down=0 needs ref")
        units, by_id = citation.units(), citation.by_id()
        for name, value in (("ref", ref), ("start", start), ("end", end)):
            if value and value not in by_id:
                raise DtsError(404, f"no citable unit {value!r} in {self._tree_name(citation)}")
        body = {"@context": CONTEXT, "dtsVersion": VERSION, "@type": "Navigation",
                "@id": self.urls.navigation(resource=resource, ref=ref, start=start, end=end, down=down,
                                            tree=tree, page=page),
                "resource": self._resource(source, brief=True)}
        if ref:
            body["ref"] = self._unit(by_id[ref])
        if start:
            body["start"], body["end"] = self._unit(by_id[start]), self._unit(by_id[end])
        if down is not None:
            members = [self._unit(u) for u in self._members(citation, units, by_id, ref, start, end, down)]
            shown, view = self._page(members, page, lambda p: self.urls.navigation(
                resource=resource, ref=ref, start=start, end=end, down=down, tree=tree, page=p))
            body["member"] = shown
            if view:
                body["view"] = view
        return self._json(body)

    def document(self, resource=None, ref=None, start=None, end=None, tree=None, mediaType=None) -> Response:
        if mediaType not in (None, "", TEI_MEDIA):
            self._tree(resource, tree)
            raise DtsError(404, f"media type {mediaType!r} is not available (only {TEI_MEDIA})")
        source, citation = self._tree(resource, tree)
        if ref and (start or end):
            raise DtsError(400, "ref cannot be used with start or end")
        if bool(start) != bool(end):
            raise DtsError(400, "start and end go together")
        link = {"Link": f'<{self.urls.collection(id=source.id)}>; rel="collection"'}
        if not ref and not start:
            return Response(200, TEI_MEDIA, etree.tostring(source.document.tree, xml_declaration=True,
                                                           encoding="UTF-8"), link)
        units, by_id = citation.units(), citation.by_id()
        for value in (ref, start, end):
            if value and value not in by_id:
                raise DtsError(404, f"no citable unit {value!r} in {self._tree_name(citation)}")
        if ref:
            chosen = [by_id[ref]]
        else:  # the units of the range at the deeper level of its ends (not the ancestors it crosses)
            depth = max(by_id[start].level, by_id[end].level)
            chosen = [u for u in self._range(units, by_id[start], by_id[end]) if u.level >= depth]
        return Response(200, TEI_MEDIA, self._fragment(source, chosen, ref, start, end), link)

    # --- objects ----------------------------------------------------------------
    def _root_object(self) -> dict:
        return {"@id": ROOT, "@type": "Collection", "title": "Editions published here",
                "totalParents": 0, "totalChildren": 1, "collection": self.urls.templates["collection"]}

    def _collection_object(self) -> dict:
        return {"@id": self.root_id, "@type": "Collection", "title": self.view.title,
                **({"description": self.view.subtitle} if self.view.subtitle else {}),
                "totalParents": 1, "totalChildren": len(self.sources),
                "collection": self.urls.templates["collection"],
                "dublinCore": {"title": [{"lang": "en", "value": self.view.title}]}}

    def _resource(self, source, brief: bool = False) -> dict:
        """A Resource object; `brief` (inside a Navigation) keeps only what the specification requires.
        Made once per source (every navigation answer carries it); callers only serialise it."""
        if (source.id, brief) not in self._resources:
            made = self._resources[source.id, brief] = self._make_resource(source, brief)
            self._reused.add(id(made))
        return self._resources[source.id, brief]

    def _make_resource(self, source, brief: bool) -> dict:
        trees = []
        for citation in self._trees_of(source):
            tree = {"@type": "CitationTree", "citeStructure": citation.cite_structure(),
                    "description": citation.description}
            if citation.identifier:
                tree = {"identifier": citation.identifier, **tree}
            trees.append(tree)
        language = (source.lang or "und")
        if brief:
            return {"@id": source.id, "@type": "Resource", "collection": self.urls.templates["collection"],
                    "navigation": self.urls.templates["navigation"], "document": self.urls.templates["document"],
                    "citationTrees": trees}
        return {"@id": source.id, "@type": "Resource", "title": source.title or source.id,
                **({"description": source.description} if source.description else {}),
                "totalParents": 1, "totalChildren": 0,
                "collection": self.urls.templates["collection"],
                "navigation": self.urls.templates["navigation"],
                "document": self.urls.templates["document"],
                "download": self.urls.downloads(source.id),
                "mediaTypes": [TEI_MEDIA], "citationTrees": trees,
                "dublinCore": {"title": [{"lang": language, "value": source.title or source.id}],
                               "language": [language, "en"] if len(trees) > 1 else [language],
                               "isPartOf": [self.root_id]}}

    def _unit(self, unit: Unit) -> dict:
        """A CitableUnit object, made once per unit (a unit is a member of many answers:
        its siblings', its ancestors', the tree's); callers only serialise it."""
        found = self._units.get(id(unit))
        if found is None:
            found = self._units[id(unit)] = {"identifier": unit.identifier, "@type": "CitableUnit",
                                             "level": unit.level, "parent": unit.parent,
                                             "citeType": unit.cite_type}
            self._reused.add(id(found))
        return found

    # --- helpers ----------------------------------------------------------------
    def _trees_of(self, source) -> list[CitationTree]:
        if source.id not in self._trees:
            self._trees[source.id] = citation_trees(source)
        return self._trees[source.id]

    def _tree(self, resource, tree):
        if not resource:
            raise DtsError(400, "resource is required")
        if resource not in self.sources:
            raise DtsError(404, f"no resource {resource!r}")
        source = self.sources[resource]
        trees = self._trees_of(source)
        if not tree:
            return source, trees[0]
        for citation in trees[1:]:
            if citation.identifier == tree:
                return source, citation
        raise DtsError(404, f"no citation tree {tree!r} in {resource!r}")

    @staticmethod
    def _tree_name(citation: CitationTree) -> str:
        return f"the citation tree {citation.identifier!r}" if citation.identifier else "the default citation tree"

    def _members(self, citation, units, by_id, ref, start, end, down) -> list[Unit]:
        if down == 0:  # the siblings of ref, itself included
            return citation.siblings(by_id[ref].parent)
        if ref:
            base = by_id[ref]
            scope = citation.descendants(base)
            floor = base.level
        elif start:
            scope = self._range(units, by_id[start], by_id[end])
            floor = max(by_id[start].level, by_id[end].level) - 1
        else:
            scope, floor = units, 0
        return [u for u in scope if down == -1 or u.level - floor <= down]

    @staticmethod
    def _range(units, first, last) -> list[Unit]:
        """Units from first to last inclusive in document order (with the descendants of both)."""
        start, stop = units.index(first), units.index(last)
        if stop < start:
            raise DtsError(400, "end comes before start")
        stop += 1
        while stop < len(units) and units[stop].level > last.level:
            stop += 1
        return units[start:stop]

    def _page(self, members, page, url_of):
        if len(members) <= self.page_size and page in (None, 1):
            return members, None
        last = max(1, -(-len(members) // self.page_size))
        number = page or 1
        if not 1 <= number <= last:
            raise DtsError(404, f"no page {number} (pages 1–{last})")
        view = {"@id": url_of(number), "@type": "Pagination", "first": url_of(1),
                "previous": url_of(number - 1) if number > 1 else None,
                "next": url_of(number + 1) if number < last else None, "last": url_of(last)}
        return members[(number - 1) * self.page_size:number * self.page_size], view

    def _fragment(self, source, chosen: list[Unit], ref, start, end) -> bytes:
        """The passage in <dts:wrapper> inside a TEI root with the source's header."""
        root = etree.Element(tei("TEI"), nsmap={None: TEI_NS, "dts": DTS_NS})
        root.append(self._passage_header(source))
        wrapper = etree.SubElement(root, f"{{{DTS_NS}}}wrapper")
        for name, value in (("ref", ref), ("start", start), ("end", end)):
            if value:
                wrapper.set(name, f"//*[@xml:id='{value}']")
        top = [u for u in chosen if not any(u.parent == other.identifier for other in chosen)]
        for unit in top:
            element = copy.deepcopy(unit.element)
            element.tail = None
            wrapper.append(element)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=False)

    def _passage_header(self, source):
        """A short valid teiHeader for a passage: the source's title and publication, and where the whole is."""
        header = etree.Element(tei("teiHeader"))
        file_desc = etree.SubElement(header, tei("fileDesc"))
        for name in ("titleStmt", "publicationStmt"):
            found = source.document.root.find(f"tei:teiHeader/tei:fileDesc/tei:{name}", NS)
            file_desc.append(copy.deepcopy(found) if found is not None else etree.Element(tei(name)))
        if not len(file_desc[0]):
            etree.SubElement(file_desc[0], tei("title")).text = source.title or source.id
        if not len(file_desc[1]):
            etree.SubElement(file_desc[1], tei("p")).text = self.view.title
        description = etree.SubElement(etree.SubElement(file_desc, tei("sourceDesc")), tei("p"))
        description.text = f"A passage of {source.title or source.id}; the whole document: "
        etree.SubElement(description, tei("ptr"), target=self.urls.document(resource=source.id))
        return header

    def _json(self, body: dict, status: int = 200) -> Response:
        """The body as json.dumps(body, ensure_ascii=False, indent=1) writes it, byte for byte;
        the objects made once (units, resources) are serialised once per depth (the static API
        writes ~700 answers per source, most of them lists of the same units)."""
        return Response(status, JSON_LD, _indented(body, 0, self._encoded, self._reused).encode("utf-8"))

    def _error(self, status: int, message: str) -> Response:
        return self._json({"@context": CONTEXT, "@type": "Error", "statusCode": status,
                           "title": {400: "Bad Request", 404: "Not Found"}.get(status, "Error"),
                           "description": message}, status)


_ENCODE = json.encoder.encode_basestring  # ensure_ascii=False: the C implementation json.dumps uses
_CONSTANTS = {True: "true", False: "false", None: "null"}


def _indented(value, depth: int, encoded: dict, reused: set[int]) -> str:
    """json.dumps(value, ensure_ascii=False, indent=1) of `value` at `depth`; the text of an
    object whose id is in `reused` is kept in `encoded` by (id, depth)."""
    if isinstance(value, str):
        return _ENCODE(value)
    if value is None or value is True or value is False:
        return _CONSTANTS[value]
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return json.encoder.JSONEncoder(ensure_ascii=False).encode(value)
    key = (id(value), depth)
    if key in encoded:
        return encoded[key]
    inner = "\n" + " " * (depth + 1)
    if isinstance(value, dict):
        if not value:
            text = "{}"
        else:
            text = "{" + inner + ("," + inner).join(
                _ENCODE(k if isinstance(k, str) else _key(k)) + ": " + _indented(v, depth + 1, encoded, reused)
                for k, v in value.items()) + "\n" + " " * depth + "}"
    elif isinstance(value, (list, tuple)):
        if not value:
            text = "[]"
        else:
            text = "[" + inner + ("," + inner).join(_indented(v, depth + 1, encoded, reused) for v in value) \
                + "\n" + " " * depth + "]"
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
    if id(value) in reused:
        encoded[key] = text
    return text


def _key(key) -> str:
    """A dict key that is not a string, as json.dumps writes it."""
    return _CONSTANTS[key] if key is None or key is True or key is False else json.dumps(key)


_PARAMETERS = {"": set(), "collection": {"id", "page", "nav"},
               "navigation": {"resource", "ref", "start", "end", "down", "tree", "page"},
               "document": {"resource", "ref", "start", "end", "tree", "mediaType"}}
__all__ = ["DtsService", "Response", "DtsError", "TRANSLATION"]
