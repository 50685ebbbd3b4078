"""HTTP requests → edits, views and live-reload events (Starlette, served by uvicorn).

Routes: `/` the workbench page; `/static/…` its script and style (package
data); `/api/edition`, `/api/source/ID`, `/api/review` the JSON views;
`POST /api/edit` one operation, `POST /api/undo`, `POST /api/dates` the date
normaliser's proposal; `/events` server-sent events; `/site/…` the built
HTML edition, the live preview.

Safety, in one place (`guard`): the server binds 127.0.0.1 (cli); every
request must name this server as its Host (no DNS rebinding); a write needs
the per-session token the page was given, as a header a cross-site page
cannot set without a CORS preflight we never grant, and is refused when the
Origin (or Sec-Fetch-Site) says another site sent it. Operations are a closed
list, and each reads and writes only TEI files inside the edition
(edit/document.py). Nothing third-party is loaded by the page.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import threading
from importlib.resources import files
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..diagnostics import EditionError
from ..edit import History, apply, notes, registers, review, tagging, translation
from ..edit.apply import EditRefused
from ..edit.document import StaleFile
from ..project import Edition
from . import views

OPERATIONS = {  # the closed list of what a page may ask for
    "tag": tagging.tag, "retarget": tagging.retarget, "resize": tagging.resize,
    "remove": tagging.remove, "confirm": tagging.confirm, "reject": tagging.reject,
    "add_note": notes.add_note, "edit_note": notes.edit_note, "add_entry": registers.add_entry,
    "translate": translation.set_sentence, "translate_init": translation.init,
}


class Events:
    """Fan-out of server-sent events to every open page."""

    def __init__(self):
        self.queues: set[asyncio.Queue] = set()

    def publish(self, kind: str, data: dict) -> None:
        for queue in list(self.queues):
            queue.put_nowait((kind, data))

    async def stream(self, request: Request):
        queue: asyncio.Queue = asyncio.Queue()
        self.queues.add(queue)
        try:
            yield "event: hello\ndata: {}\n\n"
            while not await request.is_disconnected():
                try:
                    kind, data = await asyncio.wait_for(queue.get(), timeout=10)
                except asyncio.TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                yield f"event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
        finally:
            self.queues.discard(queue)


def create_app(edition: Edition, port: int, token: str | None = None, rebuild=None,
               watch: bool = True) -> Starlette:
    token = token or secrets.token_urlsafe(24)
    events = Events()
    hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
    origins = {f"http://{h}" for h in hosts}
    history = History(edition)
    one_at_a_time = threading.Lock()  # two tabs saving at once: the second sees the first's write
    static = files("edition.workbench").joinpath("static")

    def guard(request: Request, write: bool) -> Response | None:
        if request.headers.get("host") not in hosts:
            return JSONResponse({"error": "unknown host"}, status_code=403)
        if not write:
            return None
        origin = request.headers.get("origin")
        if origin is not None and origin not in origins:
            return JSONResponse({"error": f"refused: a write from another origin ({origin})"}, status_code=403)
        if request.headers.get("sec-fetch-site") not in (None, "same-origin", "none"):
            return JSONResponse({"error": "refused: a cross-site write"}, status_code=403)
        if not secrets.compare_digest(request.headers.get("x-edition-token", ""), token):
            return JSONResponse({"error": "refused: this write lacks the session token"}, status_code=403)
        return None

    async def page(request):
        if (refused := guard(request, False)):
            return refused
        html = static.joinpath("workbench.html").read_text(encoding="utf-8")
        return HTMLResponse(html.replace("{{token}}", token), headers={
            "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
            "X-Frame-Options": "DENY", "Cache-Control": "no-store"})

    async def asset(request):
        name = request.path_params["name"]
        if name not in ("workbench.js", "workbench.css"):
            return Response(status_code=404)
        kind = "text/javascript" if name.endswith(".js") else "text/css"
        return Response(static.joinpath(name).read_text(encoding="utf-8"), media_type=kind)

    def reader(function):
        async def endpoint(request):
            if (refused := guard(request, False)):
                return refused
            try:
                return JSONResponse(await run_in_threadpool(function, request))
            except EditionError as error:
                return JSONResponse({"error": error.format_message()}, status_code=400)
        return endpoint

    async def edit(request):
        if (refused := guard(request, True)):
            return refused
        body = await request.json()
        operation = OPERATIONS.get(body.get("op"))
        if operation is None:
            return JSONResponse({"ok": False, "messages": [f"unknown operation {body.get('op')!r}"]}, 400)
        arguments = dict(body.get("args") or {})
        try:
            def run():
                with one_at_a_time:
                    return apply(edition, operation, expected=body.get("versions") or {}, history=history,
                                 **arguments)
            applied = await run_in_threadpool(run)
        except TypeError as error:
            return JSONResponse({"ok": False, "messages": [f"bad arguments: {error}"]}, 400)
        except (EditRefused, StaleFile, EditionError) as error:
            reason = getattr(error, "reason", "stale" if isinstance(error, StaleFile) else "usage")
            return JSONResponse({"ok": False, "reason": reason,
                                 "messages": [_relative(edition, str(d)) for d in error.diagnostics] + [error.message]},
                                status_code=409)
        events.publish("saved", {"summary": applied.summary})
        return JSONResponse({"ok": True, "summary": applied.summary, "result": applied.result,
                             "files": [str(p.relative_to(edition.root)) for p, _, _ in applied.writes],
                             "versions": views.versions(edition)})

    async def undo(request):
        if (refused := guard(request, True)):
            return refused
        try:
            def run():
                with one_at_a_time:
                    return history.undo()
            entry = await run_in_threadpool(run)
        except EditionError as error:
            return JSONResponse({"ok": False, "messages": [error.message]}, status_code=409)
        return JSONResponse({"ok": True, "summary": entry.summary, "versions": views.versions(edition)})

    async def dates(request):
        if (refused := guard(request, True)):
            return refused
        body = await request.json()
        return JSONResponse(propose_date(body.get("text", ""), body.get("lang", "")))

    async def stream(request):
        if (refused := guard(request, False)):
            return refused
        return StreamingResponse(events.stream(request), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store"})

    async def watcher():
        from watchfiles import awatch
        folders = [str(edition.tei_dir), *[str(f) for f in edition.styles.folders if Path(f).exists()]]
        async for changes in awatch(*folders, debounce=300, step=100):
            changed = sorted({_relative(edition, path) for _, path in changes
                              if not Path(path).name.startswith(".")})
            if not changed:
                continue
            versions = views.versions(edition)  # the page ignores its own saves by these
            events.publish("changed", {"files": changed, "versions": {f: versions.get(f) for f in changed}})
            if rebuild:
                await run_rebuild()

    async def run_rebuild():
        try:
            await run_in_threadpool(rebuild)
            events.publish("built", {})
        except EditionError as error:
            events.publish("build-error", {"messages": [_relative(edition, str(d)) for d in error.diagnostics]
                                           + [error.message]})

    @contextlib.asynccontextmanager
    async def lifespan(app):
        task = asyncio.create_task(watcher()) if watch else None
        yield
        if task:
            task.cancel()

    api = lambda f: reader(f)  # noqa: E731
    routes = [
        Route("/", page),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Route("/static/{name}", asset),
        Route("/api/edition", api(lambda r: {**views.edition_view(edition),
                                             "history": [e.summary for e in history.entries()[-20:]]})),
        Route("/api/source/{id}", api(lambda r: views.source_view(edition, r.path_params["id"]))),
        Route("/api/review", api(lambda r: [i.as_dict() for i in review.queue(edition)])),
        Route("/api/edit", edit, methods=["POST"]),
        Route("/api/undo", undo, methods=["POST"]),
        Route("/api/dates", dates, methods=["POST"]),
        Route("/events", stream),
    ]
    site = edition.build_dir / "html"
    site.mkdir(parents=True, exist_ok=True)
    routes.append(Mount("/site", StaticFiles(directory=str(site), html=True, check_dir=False)))
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.token, app.state.events = token, events
    return app


def propose_date(text: str, lang: str) -> dict:
    """The language's date normaliser on the selected words: its proposal, editable."""
    from ..annotate.dates import DateContext, find_dates
    found = [d for d in find_dates(text, lang, DateContext()) if "None" not in str(d.attributes)]
    if not found:
        return {"attributes": {}, "cert": "low", "note": "no date found by the normaliser: type it"}
    best = max(found, key=lambda d: d.end - d.start)
    return {"attributes": dict(best.attributes), "cert": "low" if best.inferred else "medium",
            "words": text[best.start:best.end]}


def _relative(edition: Edition, text: str) -> str:
    return text.replace(str(edition.root) + "/", "")
