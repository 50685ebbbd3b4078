"""The DTS answers a static host can serve → files under build/html/api/dts/.

Written from the same service as `edition serve` answers, through the path
URL scheme (urls.StaticUrls): the entry point, the collection and each
resource (children and parents), per citation tree the navigation from the
root (down=1, down=-1) and from every unit (itself, its siblings, its
children, its subtree), and the document of every resource and unit.

A large edition (more sources than the site's MANY_SOURCES, where the site
splits its pages too) gets no per-unit answers (navigation from a unit, a
unit's passage): they are about 700 files per source, and a file costs more
to create than to compute (~0.3 ms of system time here: 1,000 sources would
spend minutes making 700,000 files). Its static API has the entry point, the
collections, every resource's whole document and each citation tree's
navigation from the root (every unit's identifier and place, down=-1), so a
client can still walk the corpus and read any document; a unit's own answers
come from a DTS server (`edition serve`, Level 1). Its entry point's URI
templates have no `{/ref}`, so a client reading them does not ask for a unit.
"""
from __future__ import annotations

import os
from pathlib import Path

from .service import ROOT, DtsService
from .urls import BASE, StaticUrls


def write_static_api(view, out: Path, parts=None, units: bool | None = None, files=None) -> int:
    """Write the static API into `out` (build/html); the number of files written.
    `parts` (pipeline.parts.SiteParts): each source's resource files (its document, its
    navigation from the root and from every unit) are taken from the parts cache when the
    source and the edition around it have not changed. `units`: write the answers of each
    citable unit (default: unless the edition is large, see the module's docstring). `files`
    (html.output.SiteFiles): how the files are written (default: plainly)."""
    if units is None:
        from ..html.pages import MANY_SOURCES
        units = len(view.sources) <= MANY_SOURCES
    urls = StaticUrls("/" + BASE)
    service = DtsService(view, urls)
    written = 0
    made: dict[str, bytes] = {}  # what write() answered, by path under api/dts: a source's share
    folders: set[str] = set()  # made already: one mkdir per folder, not per file
    keeping = parts is not None and parts.enabled
    write_bytes = files.write if files is not None else _write_bytes

    api = os.path.join(os.fspath(out), BASE)

    def put(relative: str, data: bytes) -> None:
        """One file, unless the last build's is there with these bytes (then it stays)."""
        if parts is not None and parts.same_in_place(f"{BASE}/{relative}", data):
            return
        target = os.path.join(api, relative)  # strings: a Path per file cost more than its JSON
        folder = os.path.dirname(target)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        write_bytes(target, data)

    def write(endpoint: str, **params) -> None:
        """One answer, and every further page of it."""
        nonlocal written
        page = None
        while True:
            response = getattr(service, endpoint)(**params, **({"page": page} if page else {}))
            if response.status != 200:
                raise RuntimeError(f"DTS {endpoint} {params}: {response.status} {response.body[:200]!r}")
            relative = urls.path(endpoint, **params, **({"page": page} if page else {}))
            put(relative, response.body)
            if keeping:
                made[relative] = response.body
            written += 1
            paged = endpoint != "document" and b'"next"' in response.body  # else no JSON to read
            following = response.json().get("view", {}).get("next") if paged else None
            if not following:
                return
            page = (page or 1) + 1

    target = out / BASE / "index.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    if not units:  # the entry point offers no `ref` a large edition's files cannot answer
        urls.templates = {name: template.replace("{/ref}", "") for name, template in urls.templates.items()}
    write_bytes(target, service.entry().body)
    for identifier in (None, ROOT, service.root_id, *service.sources):
        for nav in (None, "parents"):
            write("collection", id=identifier, nav=nav)
    for source in service.sources.values():
        made.clear()

        def documents(source=source) -> None:
            write("document", resource=source.id)
            for citation in service._trees_of(source) if units else ():
                for unit in citation.units():
                    write("document", resource=source.id, tree=citation.identifier, ref=unit.identifier)

        def navigation(source=source) -> None:
            for citation in service._trees_of(source):
                tree = citation.identifier
                for down in (1, -1):
                    write("navigation", resource=source.id, tree=tree, down=down)
                for unit in citation.units() if units else ():
                    for down in (None, 0, 1, -1):
                        write("navigation", resource=source.id, tree=tree, ref=unit.identifier, down=down)
        # the passages: the source's text; the navigation: only its units' structure and its
        # resource object, so that an edit of the words takes the navigation files as they were
        key = parts.source_key(view, source, "dts", *(() if units else ("whole",))) if keeping else None
        put_back = _kept("dts", key, documents, made, put, parts)  # (write() counts what it writes)
        put_back += _kept("dtsnav", key and _structure_key(service, source, parts, units), navigation, made, put, parts)
        written += put_back
    return written + 1


def _write_bytes(path: str, data: bytes) -> None:
    with open(path, "wb") as out:
        out.write(data)


def _structure_key(service, source, parts, units: bool = True) -> str:
    """What a source's navigation answers read: its citation trees' units (identifier, level,
    parent, type) and descriptions, its resource objects; and everything around the sources."""
    import json
    from ..pipeline.inputs import part_key
    trees = [[tree.identifier, tree.description, [[u.identifier, u.level, u.parent, u.cite_type]
                                                  for u in tree.units()]] for tree in service._trees_of(source)]
    return part_key(parts.context, "dts-navigation", source.id, json.dumps(
        [trees, service._resource(source), service._resource(source, brief=True)], sort_keys=True),
                    *(() if units else ("whole",)))


def _kept(kind: str, key: str | None, resource, made: dict, put, parts) -> int:
    """Write one share of a source's files by `resource()`, or put back the ones kept for
    (kind, key); the number of files put back (those written are counted by write())."""
    from ..pipeline.parts import pack, unpack
    if parts is None or not parts.enabled:
        resource()
        return 0
    ran = []
    in_place = parts.leave_in_place(kind, key)  # the last build's files, untouched since: not written
    if in_place is not None:
        return len(in_place)

    def make() -> bytes:
        made.clear()
        resource()
        ran.append(True)
        return pack(made)
    payload = parts.memo(kind, key, make)
    if ran:  # written just now
        parts.wrote(kind, key, [f"{BASE}/{relative}" for relative in made])
        return 0
    if payload is None:  # no part for this source
        made.clear()
        resource()
        return 0
    files = unpack(payload)
    for relative, data in files.items():
        put(relative, data)
    parts.wrote(kind, key, [f"{BASE}/{relative}" for relative in files])
    return len(files)
