"""DTS for a running server: the query form answered from the edition as it is on disk now.

The view-model is gathered again only when a TEI file has changed since the
last request, so `edition serve` answers from the same TEI it shows.
"""
from __future__ import annotations

import threading
from urllib.parse import parse_qs, urlsplit

from .service import DtsService, Response
from .urls import BASE, QueryUrls


class LiveDts:
    prefix = "/" + BASE

    def __init__(self, edition):
        self.edition = edition
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._view = None
        self._services: dict[str, DtsService] = {}

    def wants(self, path: str) -> bool:
        route = urlsplit(path).path
        return route == self.prefix or route.startswith(self.prefix + "/")

    def handle(self, path: str, host: str = "127.0.0.1") -> Response:
        """The response to a GET of `path` (with its query string) sent to `host` (the Host header):
        URI templates and @ids are absolute, so that a client can follow them as they are."""
        parts = urlsplit(path)
        endpoint = parts.path[len(self.prefix):].strip("/")
        params = {key: values[-1] for key, values in parse_qs(parts.query, keep_blank_values=True).items()}
        return self.service(f"http://{host}{self.prefix}").handle(endpoint, params)

    def service(self, base: str) -> DtsService:
        stamp = tuple((str(p), p.stat().st_mtime_ns) for p in self.edition.tei_files())
        with self._lock:
            if stamp != self._stamp or self._view is None:
                from ..corpus import Corpus
                from ..html.collect import collect
                self._view, self._stamp, self._services = collect(Corpus.load(self.edition)), stamp, {}
            if base not in self._services:
                self._services[base] = DtsService(self._view, QueryUrls(base))
            return self._services[base]
