"""Kept fragments of a page: a source's share of a corpus-wide page (its problems in the
apparatus) made once per version of what it reads, and joined into the page each build.

A fragment is rendered inside its page's renderer (model.engine.Renderer), whose state
runs through the page: generated ids (alt-3) are numbered in page order and an xml:id
goes to the first element that claims it. So a fragment kept from an earlier build is
right only where the page's state is what it was when the fragment was made. While a
fragment is made, the renderer's journal records every read of that state (an id claimed,
an id found taken, a number handed out); the fragment is kept with its journal and taken
again only if replaying the journal on the page's state now gives the same answers, and
then the replay moves the state on as making it would have (ids claimed, numbers taken).
Otherwise it is made again where it stands. Either way the page is byte for byte what
rendering it whole gives.

Never trusted: the payload is JSON (never pickle), read through the parts cache's checks
(pipeline/parts.py); one that does not have the expected shape is made again.
"""
from __future__ import annotations

import json

KIND = "fragment"


def take(cache, render, key: str | None, make) -> str:
    """The fragment kept under `key` in `cache` (a parts cache) when it replays on the page
    that `render` (model._renderer's render function) is rendering now, else `make()`'s
    (then kept). Without a cache, a key or a renderer that keeps a journal: `make()`."""
    current = getattr(render, "renderer", None)
    if cache is None or key is None or current is None:
        return make()
    renderer = current()
    payload = cache.get(KIND, key)
    kept = _read(payload) if payload is not None else None
    if kept is not None and replays(renderer, kept[1]):
        replay(renderer, kept[1])
        return kept[0]
    if payload is not None:  # found, but not for this page's state (or not a fragment): made, not taken
        cache.taken[KIND] -= 1
        cache.made[KIND] += 1
    outer = renderer.journal
    if outer is None:
        renderer.journal = []
    start = len(renderer.journal)
    try:
        html = make()
        journal = renderer.journal[start:]
    finally:
        if outer is None:
            renderer.journal = None
    stored = json.dumps({"html": html, "journal": journal}, ensure_ascii=False).encode("utf-8")
    cache.put(KIND, key, stored)
    return html


def replays(renderer, journal: list) -> bool:
    """Whether the journal's reads give the same answers on the renderer's state now."""
    added: set[str] = set()
    numbers: dict[str, int] = {}
    for kind, name, value in journal:
        if kind == 0:  # an id: claimed (value True) or found taken (False)
            free = name not in added and not renderer.taken(name)
            if free != value:
                return False
            if value:
                added.add(name)
        else:  # a number handed out
            if numbers.get(name, renderer.last_number(name)) + 1 != value:
                return False
            numbers[name] = value
    return True


def replay(renderer, journal: list) -> None:
    """Move the renderer's state on as making the fragment did (replays() said it may);
    through claim_id and next_number, so that an enclosing fragment's journal records it."""
    for kind, name, _ in journal:
        if kind == 0:
            renderer.claim_id(name)
        else:
            renderer.next_number(name)


def _read(payload: bytes):
    """(html, journal) of a kept fragment, or None when it is not one."""
    try:
        data = json.loads(payload)
        html, journal = data["html"], data["journal"]
    except (ValueError, TypeError, KeyError):
        return None
    if not isinstance(html, str) or not isinstance(journal, list):
        return None
    for entry in journal:
        if not (isinstance(entry, list) and len(entry) == 3 and entry[0] in (0, 1) and isinstance(entry[1], str)
                and (isinstance(entry[2], bool) if entry[0] == 0 else
                     isinstance(entry[2], int) and not isinstance(entry[2], bool))):
            return None
    return html, [tuple(entry) for entry in journal]
