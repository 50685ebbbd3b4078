"""`edition serve`: the site over HTTP on 127.0.0.1, rebuilt when TEI changes."""
import threading
import urllib.request

from edition import api
from edition.serve import Rebuilder, make_server
from tests.conftest import ROOT, seed_path


def test_serve_rebuilds_on_change_and_keeps_the_last_good_build(scratch_edition):
    (scratch_edition.root / "node_modules").symlink_to(ROOT / "node_modules")
    api.import_source(scratch_edition, seed_path("es-khalkhin-gol"), "es", "es-khalkhin-gol")
    rebuild = lambda: api.build(scratch_edition, html=True, pdf=False)  # noqa: E731
    rebuild()
    server = make_server(scratch_edition, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    messages = []
    watcher = Rebuilder(scratch_edition, rebuild, messages.append)
    url = f"http://127.0.0.1:{server.server_port}/es-khalkhin-gol.html"
    try:
        assert "Zhúkov" in urllib.request.urlopen(url, timeout=10).read().decode("utf-8")
        source = scratch_edition.source_path("es-khalkhin-gol")
        source.write_text(source.read_text("utf-8").replace("<title>", "<title>Revised: ", 1), "utf-8")
        watcher.rebuild_safely()
        assert "Revised: " in urllib.request.urlopen(url, timeout=10).read().decode("utf-8")
        source.write_text(source.read_text("utf-8").replace("</TEI>", ""), "utf-8")  # broken
        watcher.rebuild_safely()
        assert "still serving the last good build" in messages[-1]
        assert "Revised: " in urllib.request.urlopen(url, timeout=10).read().decode("utf-8")
    finally:
        server.shutdown()
