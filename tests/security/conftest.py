"""Hostile input: a scratch edition, a canary HTTP server, a secret file outside
the edition, and the `edition` command run as a separate process (under
strace where it is installed) so that what it opens and connects to is seen."""
from __future__ import annotations

import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from edition import Edition, api
from tests.conftest import ROOT, seed_path

EXIT_CODES = {0, 1, 2, 4, 5, 6, 7, 8}  # documented in README.md; 3 (internal error) is never acceptable
LOCATED = re.compile(r"^\S.*?:\d+:\d+: (warning: )?[a-z][a-z-]+: .+$")


class Canary:
    """An HTTP server on 127.0.0.1 that records every request; it serves at
    most `limit` requests and stops by itself after `lifetime` seconds."""

    def __init__(self, limit: int = 50, lifetime: float = 600):
        self.requests: list[str] = []
        canary = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the stdlib's name
                canary.requests.append(self.path)
                body = b'<!ENTITY % s "x">' if self.path.endswith(".dtd") else b"canary"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                if len(canary.requests) >= limit:
                    threading.Thread(target=canary.server.shutdown, daemon=True).start()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.timer = threading.Timer(lifetime, self.server.shutdown)
        self.timer.daemon = True
        self.timer.start()

    def stop(self):
        self.timer.cancel()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def canary():
    server = Canary()
    yield server
    server.stop()
    assert server.requests == [], f"requests reached the canary: {server.requests}"


@pytest.fixture
def secret(tmp_path) -> Path:
    """A file outside the edition; its access time is set before its change
    time so that any read of it moves the access time (relatime)."""
    path = tmp_path / "outside" / "SECRET.txt"
    path.parent.mkdir()
    path.write_text("TOP-SECRET-CONTENT", "utf-8")
    stamp = path.stat().st_mtime
    os.utime(path, (stamp - 7200, stamp))
    return path


def untouched(path: Path) -> bool:
    info = path.stat()
    return info.st_atime < info.st_mtime


@pytest.fixture
def edition(tmp_path) -> Edition:
    """A scratch edition with one valid source (es-k) and MiniSearch."""
    root = tmp_path / "edition"
    root.mkdir()
    shutil.copytree(ROOT / "tei", root / "tei", ignore=shutil.ignore_patterns("sources"))
    (root / "tei" / "sources").mkdir()
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    scratch = Edition.at(root)
    api.import_source(scratch, seed_path("es-khalkhin-gol"), "es", "es-k")
    return scratch


def valid_source(edition: Edition) -> str:
    return edition.source_path("es-k").read_text("utf-8")


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    opened: list[str]
    connected: list[str]

    @property
    def messages(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


def run_edition(edition: Edition, *args: str, timeout: float = 180, stdin=subprocess.DEVNULL,
                trace: bool = True) -> Run:
    """`edition --root ROOT ARGS` in its own process; with strace, the files it
    opened and the addresses it connected to are recorded."""
    command = [sys.executable, "-m", "edition", "--root", str(edition.root), *args]
    log = edition.root.parent / f"strace-{time.monotonic_ns()}.log"
    strace = shutil.which("strace") if trace else None
    if strace:
        command = [strace, "-f", "-qq", "-e", "trace=open,openat,connect", "-o", str(log), *command]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, stdin=stdin,
                            cwd=edition.root, env=env)
    opened, connected = [], []
    if strace and log.exists():
        for line in log.read_text("utf-8", "replace").splitlines():
            found = re.search(r'open(?:at)?\((?:AT_FDCWD, )?"([^"]+)"', line)
            if found and "ENOENT" not in line:
                opened.append(found[1])
            found = re.search(r"connect\(.*sin_port=htons\((\d+)\)", line)
            if found:
                connected.append(found[1])
        log.unlink()
    return Run(result.returncode, result.stdout, result.stderr, opened, connected)


def assert_refused(run: Run, rule: str | None = None, code: int = 1) -> None:
    """Refused with the documented exit code, every diagnostic located, and no traceback."""
    assert run.returncode == code, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    located = [m for m in run.messages if LOCATED.match(m)]
    if rule:
        assert any(f": {rule}: " in m for m in located), run.stderr


def assert_nothing_outside(run: Run, edition: Edition, secret: Path, canary: Canary | None = None) -> None:
    assert str(secret) not in run.opened and untouched(secret), f"{secret} was read"
    if canary is not None:
        assert str(canary.port) not in run.connected, "the canary's port was connected to"
        assert canary.requests == []
