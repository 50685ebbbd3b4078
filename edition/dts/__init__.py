"""The edition as Distributed Text Services 1.0: collection, navigation and document endpoints.

One service (`service.DtsService`) answers every DTS request from the gathered
view-model; two URL schemes give it a shape. `edition serve` answers the query
form of the specification (`/api/dts/collection?id=…`, Level 1: start/end
ranges included); `edition build` writes the same answers as static files
whose URI templates need no query string (`static.py`, the "static website"
templates of the specification, Level 0), so that any static host serves the
API. Specification: https://distributed-text-services.github.io/specifications/versions/v1.0/
"""
from .service import DtsService, Response
from .static import write_static_api

__all__ = ["DtsService", "Response", "write_static_api"]
