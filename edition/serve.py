"""A preview server: build/html/ on 127.0.0.1, rebuilt when tei/ or styles/ change.

Polls file modification times (no watcher dependency, works everywhere).
A change that breaks the edition prints its diagnostics and keeps serving
the last good build, as the build's swap-in guarantees.
"""
from __future__ import annotations

import functools
import http.server
import threading
import time
from pathlib import Path
from typing import Callable

from .diagnostics import EditionError
from .project import Edition


def snapshot(edition: Edition) -> dict[Path, float]:
    folders = [edition.tei_dir, *edition.styles.folders]
    files = [p for folder in folders for p in folder.rglob("*") if p.is_file()]
    return {p: p.stat().st_mtime for p in files}


class Rebuilder(threading.Thread):
    def __init__(self, edition: Edition, rebuild: Callable[[], None], log: Callable[[str], None],
                 interval: float = 1.0):
        super().__init__(daemon=True)
        self.edition, self.rebuild, self.log, self.interval = edition, rebuild, log, interval
        self.stopped = threading.Event()
        self.seen = snapshot(edition)

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            current = snapshot(self.edition)
            if current != self.seen:
                self.seen = current
                self.rebuild_safely()

    def rebuild_safely(self) -> None:
        started = time.perf_counter()
        try:
            self.rebuild()
            self.log(f"rebuilt in {time.perf_counter() - started:.1f} s")
        except EditionError as error:
            self.log(error.format_message() + "\n(still serving the last good build)")


def make_server(edition: Edition, host: str, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(QuietHandler, directory=str(edition.build_dir / "html"))
    return http.server.ThreadingHTTPServer((host, port), handler)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass
