"""How a DTS URL looks: the query form (a server) or the path form (static files).

The specification lets a static site publish URI templates without a query
string ("URI Templates examples for static website"): here
`collection{/id}{;nav,page}.json`, `navigation/{resource}{;tree,down,page}{/ref}.json`
and `document/{resource}{;tree}{/ref}.xml`. Expansion follows RFC 6570 (simple
strings are percent-encoded; identifiers of the edition are NCNames, so
they stay as they are). Start/end ranges and media types other than TEI need
a server (Level 1); the static form is Level 0.
"""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote as _quote, urlencode

BASE = "api/dts"
_QUERY_ORDER = {"collection": ("id", "page", "nav"),
                "navigation": ("resource", "ref", "start", "end", "down", "tree", "page"),
                "document": ("resource", "ref", "start", "end", "tree", "mediaType")}


@lru_cache(maxsize=65536)
def _quoted(value: str) -> str:
    """quote(value, safe=''): asked for the same identifiers thousands of times a build."""
    return _quote(value, safe="")


def quote(value: str, safe: str = "/") -> str:
    return _quoted(value) if safe == "" else _quote(value, safe=safe)


def _present(params: dict) -> dict:
    return {k: v for k, v in params.items() if v not in (None, "")}


class QueryUrls:
    """The query form of the specification, answered by `edition serve`."""

    def __init__(self, base: str = "/" + BASE):
        self.base = base.rstrip("/")
        self.templates = {name: f"{self.base}/{name}{{?{','.join(order)}}}"
                          for name, order in _QUERY_ORDER.items()}

    def entry(self) -> str:
        return f"{self.base}/"

    def _url(self, endpoint: str, params: dict) -> str:
        ordered = [(k, params[k]) for k in _QUERY_ORDER[endpoint] if k in _present(params)]
        return f"{self.base}/{endpoint}" + (f"?{urlencode(ordered)}" if ordered else "")

    def collection(self, **params) -> str:
        return self._url("collection", params)

    def navigation(self, **params) -> str:
        return self._url("navigation", params)

    def document(self, **params) -> str:
        return self._url("document", params)

    def downloads(self, source_id: str) -> list[str]:
        return [self.document(resource=source_id)]


class StaticUrls(QueryUrls):
    """The path form: every answer is a file under build/html/api/dts/."""

    def __init__(self, base: str = "/" + BASE):
        super().__init__(base)
        self.templates = {"collection": f"{self.base}/collection{{/id}}{{;nav,page}}.json",
                          "navigation": f"{self.base}/navigation/{{resource}}{{;tree,down,page}}{{/ref}}.json",
                          "document": f"{self.base}/document/{{resource}}{{;tree}}{{/ref}}.xml"}

    def entry(self) -> str:
        return f"{self.base}/index.json"

    def path(self, endpoint: str, **params) -> str:
        """The file, relative to the API folder, that answers a request."""
        return getattr(self, endpoint)(**params)[len(self.base) + 1:]

    def collection(self, id=None, nav=None, page=None, **_) -> str:
        return (f"{self.base}/collection" + (f"/{quote(id, safe='')}" if id else "")
                + _matrix(nav=nav, page=page) + ".json")

    def navigation(self, resource=None, ref=None, down=None, tree=None, page=None, start=None, end=None) -> str:
        if start or end:
            raise ValueError("start/end ranges need a DTS server (Level 1); the static API is Level 0")
        return (f"{self.base}/navigation/{quote(resource or '', safe='')}" + _matrix(tree=tree, down=down, page=page)
                + (f"/{quote(ref, safe='')}" if ref else "") + ".json")

    def document(self, resource=None, ref=None, tree=None, start=None, end=None, mediaType=None) -> str:
        if start or end:
            raise ValueError("start/end ranges need a DTS server (Level 1); the static API is Level 0")
        return (f"{self.base}/document/{quote(resource or '', safe='')}" + _matrix(tree=tree)
                + (f"/{quote(ref, safe='')}" if ref else "") + ".xml")


def _matrix(**params) -> str:
    return "".join(f";{k}={quote(str(v), safe='')}" for k, v in params.items() if v not in (None, ""))
