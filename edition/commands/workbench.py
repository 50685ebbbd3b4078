"""`edition edit`: the workbench on 127.0.0.1 (a thin face over edition/workbench/)."""
from __future__ import annotations

import socket

import click

from ..diagnostics import UsageProblem


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, before any build: a busy port is one line, at once."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise UsageProblem(f"cannot listen on {host}:{port}: {error.strerror} "
                           "(another `edition serve` or `edition edit`? use --port)") from None
    sock.listen(64)
    return sock


@click.command("edit")
@click.option("--port", default=8001, show_default=True, help="Port on 127.0.0.1.")
@click.option("--no-preview", is_flag=True, help="Do not build the HTML preview (build/html/) on changes.")
@click.pass_obj
def edit_command(obj, port, no_preview):
    """The scholar's workbench: tag, review, fact-check and translate in the browser.

    Every save is one checked, minimal, undoable write of the TEI; the pages
    reload by themselves after any change under tei/ or styles/.
    """
    import uvicorn

    from .. import api
    from ..workbench.app import create_app
    edition = obj["edition"]
    sock = bind("127.0.0.1", port)
    rebuild = None if no_preview else (lambda: api.build(edition, html=True, pdf=False))
    if rebuild:
        try:
            rebuild()
        except Exception as error:  # the workbench still opens, to fix the edition in it
            click.echo(getattr(error, "format_message", lambda: str(error))(), err=True)
    app = create_app(edition, sock.getsockname()[1], rebuild=rebuild)
    click.echo(f"workbench at http://127.0.0.1:{sock.getsockname()[1]}/ (Ctrl-C stops)")
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    server.run(sockets=[sock])
