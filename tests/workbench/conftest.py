"""The workbench served from a scratch copy of the edition (under git), and a
headless Chromium (the fixture of tests/html) to use it with."""
from __future__ import annotations

import threading
import time

import pytest

from edition.commands.workbench import bind
from edition.workbench.app import create_app
from tests.edit.conftest import edition_copy  # noqa: F401 - fixture
from tests.edit.support import changed_lines, commit, git  # noqa: F401
from tests.html.conftest import browser, chromium_paths  # noqa: F401 - fixtures


class Served:
    def __init__(self, edition, rebuild=None):
        import uvicorn
        self.edition = edition
        self.sock = bind("127.0.0.1", 0)
        self.port = self.sock.getsockname()[1]
        self.app = create_app(edition, self.port, rebuild=rebuild)
        self.server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def token(self) -> str:
        return self.app.state.token

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def served(edition_copy):  # noqa: F811
    server = Served(edition_copy)
    yield server
    server.stop()
