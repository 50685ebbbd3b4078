"""A preview server: build/html/ on 127.0.0.1, rebuilt when tei/ or styles/ change.

Polls file modification times (no watcher dependency, works everywhere).
A change that breaks the edition prints its diagnostics and keeps serving
the last good build, as the build's swap-in guarantees. The rebuild thread
survives anything a rebuild raises (it reports it in one line and goes on
watching); the server listens on the loopback interface only, answers a
malformed request path (a NUL byte) with 400, and a busy port is an
EnvironmentFault raised before anything is built.
"""
from __future__ import annotations

import functools
import http.server
import threading
import time
from pathlib import Path
from typing import Callable

from .diagnostics import EditionError, PortInUse, environment_fault
from .project import Edition

LOOPBACK = ("127.0.0.1", "::1", "localhost")


def snapshot(edition: Edition) -> dict[Path, float]:
    found = {}
    for folder in (edition.tei_dir, *edition.styles.folders):
        for path in folder.rglob("*"):
            try:
                if path.is_file():
                    found[path] = path.stat().st_mtime
            except OSError:  # removed while we looked: the next poll sees it
                continue
    return found


class Rebuilder(threading.Thread):
    def __init__(self, edition: Edition, rebuild: Callable[[], None], log: Callable[[str], None],
                 interval: float = 1.0):
        super().__init__(daemon=True)
        self.edition, self.rebuild, self.log, self.interval = edition, rebuild, log, interval
        self.stopped = threading.Event()
        self.seen = snapshot(edition)

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                current = snapshot(self.edition)
            except Exception as error:  # noqa: BLE001 - the watcher must outlive any fault
                self.log(f"cannot watch {self.edition.root}: {type(error).__name__}: {error}")
                continue
            if current != self.seen:
                self.seen = current
                self.rebuild_safely()

    def rebuild_safely(self) -> None:
        started = time.perf_counter()
        try:
            result = self.rebuild()
            self.log(f"rebuilt in {time.perf_counter() - started:.1f} s{parts_said(result)}")
        except EditionError as error:
            self.log(error.format_message() + "\n(still serving the last good build)")
        except Exception as error:  # noqa: BLE001 - a bug or a fault: say it, keep watching
            fault = environment_fault(error) if isinstance(error, OSError) else None
            message = fault.message if fault else f"internal error: {type(error).__name__}: {error}"
            self.log(f"rebuild failed: {message}\n(still serving the last good build)")


def parts_said(result) -> str:
    """", 3 of 4 source pages kept": what an incremental build could take (pipeline/parts.py)."""
    taken, made = (getattr(result, "parts", None) or {}).get("page", (0, 0))
    return f", {taken} of {taken + made} pages kept" if taken + made else ""


def make_server(edition: Edition, host: str, port: int) -> http.server.ThreadingHTTPServer:
    if host not in LOOPBACK:
        raise ValueError(f"the preview server listens on the loopback interface only, not {host}")
    from .dts.live import LiveDts
    handler = functools.partial(QuietHandler, directory=str(edition.build_dir / "html"), dts=LiveDts(edition))
    try:
        return http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as error:
        fault = environment_fault(error, f"{host}:{port}")
        if isinstance(fault, PortInUse):
            raise fault from None
        raise


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """The built site, and the DTS API in its query form under /api/dts/ (edition/dts/)."""

    def __init__(self, *args, dts=None, **kwargs):
        self.dts = dts
        super().__init__(*args, **kwargs)

    def do_GET(self):  # noqa: N802 - the stdlib's name
        if self.dts is None or "\x00" in self.path or "%00" in self.path or not self.dts.wants(self.path):
            return super().do_GET()
        host = self.headers.get("Host") or f"{self.server.server_address[0]}:{self.server.server_address[1]}"
        try:
            response = self.dts.handle(self.path, host)
        except Exception as error:  # noqa: BLE001 - one bad request never drops the server's thread
            self.send_error(500, f"{type(error).__name__}: {error}"[:200])
            return None
        self.send_response(response.status)
        self.send_header("Content-Type", f"{response.content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        for key, value in response.headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(response.body)

    def send_head(self):
        if "\x00" in self.path or "%00" in self.path:
            self.send_error(400, "Bad request path")
            return None
        try:
            return super().send_head()
        except ValueError:  # a path the file system cannot take
            self.send_error(400, "Bad request path")
            return None

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass
