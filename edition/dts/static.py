"""The DTS answers a static host can serve → files under build/html/api/dts/.

Written from the same service as `edition serve` answers, through the path
URL scheme (urls.StaticUrls): the entry point, the collection and each
resource (children and parents), per citation tree the navigation from the
root (down=1, down=-1) and from every unit (itself, its siblings, its
children, its subtree), and the document of every resource and unit.
"""
from __future__ import annotations

from pathlib import Path

from .service import ROOT, DtsService
from .urls import BASE, StaticUrls


def write_static_api(view, out: Path, parts=None) -> int:
    """Write the static API into `out` (build/html); the number of files written.
    `parts` (pipeline.parts.SiteParts): each source's resource files (its document, its
    navigation from the root and from every unit) are taken from the parts cache when the
    source and the edition around it have not changed."""
    urls = StaticUrls("/" + BASE)
    service = DtsService(view, urls)
    written = 0
    made: list[Path] = []  # what write() wrote: a source's share, when its part is made

    def write(endpoint: str, **params) -> None:
        """One answer, and every further page of it."""
        nonlocal written
        page = None
        while True:
            response = getattr(service, endpoint)(**params, **({"page": page} if page else {}))
            if response.status != 200:
                raise RuntimeError(f"DTS {endpoint} {params}: {response.status} {response.body[:200]!r}")
            target = out / BASE / urls.path(endpoint, **params, **({"page": page} if page else {}))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(response.body)
            made.append(target)
            written += 1
            following = response.json().get("view", {}).get("next") if endpoint != "document" else None
            if not following:
                return
            page = (page or 1) + 1

    target = out / BASE / "index.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(service.entry().body)
    for identifier in (None, ROOT, service.root_id, *service.sources):
        for nav in (None, "parents"):
            write("collection", id=identifier, nav=nav)
    for source in service.sources.values():
        def resource(source=source) -> None:
            write("document", resource=source.id)
            for citation in service._trees_of(source):
                tree = citation.identifier
                for down in (1, -1):
                    write("navigation", resource=source.id, tree=tree, down=down)
                for unit in citation.units():
                    for down in (None, 0, 1, -1):
                        write("navigation", resource=source.id, tree=tree, ref=unit.identifier, down=down)
                    write("document", resource=source.id, tree=tree, ref=unit.identifier)
        put_back = _kept(resource, made, view, source, out, parts)  # (write() counts what it writes)
        written += put_back
    return written + 1


def _kept(resource, made: list, view, source, out: Path, parts) -> int:
    """Write one source's files by `resource()`, or put back the ones kept for its key;
    the number of files put back (those written are counted by write())."""
    from ..pipeline.parts import pack, unpack
    if parts is None or not parts.enabled:
        resource()
        return 0
    folder, ran = out / BASE, []
    key = parts.source_key(view, source, "dts")
    in_place = parts.leave_in_place("dts", key)  # the last build's files, untouched since: not written
    if in_place is not None:
        return len(in_place)

    def make() -> bytes:
        made.clear()
        resource()
        ran.append(True)
        return pack({p.relative_to(folder).as_posix(): p.read_bytes() for p in made})
    payload = parts.memo("dts", key, make)
    if ran:  # written just now
        parts.wrote("dts", key, [p.relative_to(out).as_posix() for p in made])
        return 0
    if payload is None:  # no part for this source
        resource()
        return 0
    files = unpack(payload)
    for relative, data in files.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    parts.wrote("dts", key, [f"{BASE}/{relative}" for relative in files])
    return len(files)
