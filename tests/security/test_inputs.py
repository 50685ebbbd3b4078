"""Command-line ids and paths stay inside the edition; import reads only
regular files within a size limit; the preview server survives bad requests
and bad rebuilds; jieba's cache is the user's own."""
from __future__ import annotations

import os
import socket
import threading
import urllib.error
import urllib.request

import pytest

from edition import api
from edition.diagnostics import PortInUse, UsageProblem
from edition.serve import Rebuilder, make_server
from tests.conftest import seed_path
from tests.security.conftest import assert_refused, run_edition, untouched


@pytest.fixture
def victim(tmp_path):
    path = tmp_path / "outside" / "victim.xml"
    path.parent.mkdir(exist_ok=True)
    path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div type="original"><p><s>'
                    'Zhukov</s></p></div></body></text></TEI>', "utf-8")
    return path


@pytest.mark.parametrize("command", ["annotate", "text"])
def test_ids_that_reach_outside_the_edition_are_refused(edition, victim, command):
    before = victim.read_bytes()
    for wanted in ("../../outside/victim", "../../../outside/victim", "/etc/passwd", "a/b", "x:y"):
        run = run_edition(edition, command, wanted, trace=False)
        assert_refused(run, code=2)
        assert len(run.messages) == 1 and "source id" in run.messages[0], run.stderr
    assert victim.read_bytes() == before


def test_a_source_symlinked_outside_the_edition_is_refused(edition, victim):
    (edition.sources_dir / "linked.xml").symlink_to(victim)
    assert_refused(run_edition(edition, "annotate", "linked", trace=False), code=2)
    assert_refused(run_edition(edition, "text", "linked", trace=False), code=2)


def test_check_refuses_files_outside_the_edition(edition, victim):
    run = run_edition(edition, "check", "--no-tei-all", str(victim), trace=False)
    assert_refused(run, code=2)
    assert "outside the edition" in run.stderr


@pytest.mark.parametrize("special", ["/dev/zero", "FIFO", "FOLDER"])
def test_import_reads_only_regular_files(edition, tmp_path, special):
    if special == "FIFO":
        special = tmp_path / "fifo"
        os.mkfifo(special)
    elif special == "FOLDER":
        special = tmp_path / "folder"
        special.mkdir()
    run = run_edition(edition, "import", str(special), "--lang", "es", "--id", "dev", timeout=60, trace=False)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert len(run.messages) == 1 or "is a directory" in run.stderr  # click's usage message for a folder
    assert not (edition.sources_dir / "dev.xml").exists()


def test_import_has_a_size_limit_that_can_be_raised(edition, tmp_path):
    text = tmp_path / "big.txt"
    text.write_text(seed_path("es-khalkhin-gol").read_text("utf-8"), "utf-8")
    run = run_edition(edition, "import", str(text), "--lang", "es", "--id", "big", "--max-size", "1000", trace=False)
    assert run.returncode == 2 and "--max-size" in run.stderr
    run = run_edition(edition, "import", str(text), "--lang", "es", "--id", "big", "--max-size", "10000000",
                      trace=False)
    assert run.returncode == 0, run.stderr


def test_an_overlong_line_is_located_in_the_input_file(edition, tmp_path):
    text = tmp_path / "long.txt"
    text.write_text("Una línea corta.\n" + "a" * 12_000_000 + "\n", "utf-8")
    run = run_edition(edition, "import", str(text), "--lang", "es", "--id", "long", timeout=300, trace=False)
    assert_refused(run, "import-limit")
    assert run.messages[0].startswith("long.txt:2:1: import-limit:"), run.stderr
    assert "long.xml" not in run.stderr


def test_serve_answers_a_nul_in_the_url_with_400_and_goes_on(edition):
    api.build(edition, html=True, pdf=False)
    server = make_server(edition, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with socket.create_connection(("127.0.0.1", server.server_port), timeout=10) as connection:
            connection.sendall(b"GET /index%00.html HTTP/1.0\r\n\r\n")
            assert connection.recv(100).startswith(b"HTTP/1.0 400")
        with socket.create_connection(("127.0.0.1", server.server_port), timeout=10) as connection:
            connection.sendall(b"GET /index\x00.html HTTP/1.0\r\n\r\n")
            assert b" 400 " in connection.recv(100)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/../../../etc/passwd", timeout=10)
        assert refused.value.code == 404
        page = urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/index.html", timeout=10)
        assert page.status == 200
    finally:
        server.shutdown()
        server.server_close()


def test_serve_listens_on_loopback_only(edition):
    with pytest.raises(ValueError):
        make_server(edition, "0.0.0.0", 0)


def test_a_busy_port_is_one_line_before_any_build(edition):
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    port = holder.getsockname()[1]
    try:
        with pytest.raises(PortInUse):
            make_server(edition, "127.0.0.1", port)
        run = run_edition(edition, "serve", "--port", str(port), timeout=60, trace=False)
        assert run.returncode == 6, run.stderr
        assert run.messages == [f"127.0.0.1:{port}: the port is in use; choose another with --port"]
        assert not (edition.build_dir / "html").exists()  # refused before building
    finally:
        holder.close()


def test_the_rebuild_thread_survives_any_exception_and_reports_it(edition):
    calls, messages = [], []

    def rebuild():
        calls.append(1)
        if len(calls) == 1:
            raise RecursionError("maximum recursion depth exceeded")
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(edition.build_dir))

    watcher = Rebuilder(edition, rebuild, messages.append, interval=0.05)
    watcher.start()
    try:
        for number in range(3):
            source = edition.source_path("es-k")
            source.write_text(source.read_text("utf-8") + f"<!-- {number} -->", "utf-8")
            os.utime(source, (1000 + number, 1000 + number))
            for _ in range(200):
                if len(calls) > number:
                    break
                threading.Event().wait(0.05)
        assert len(calls) == 3 and watcher.is_alive()
        assert "internal error: RecursionError" in messages[0]
        assert "no space left" in messages[1] and str(edition.build_dir) in messages[1]
        assert messages[2].startswith("rebuilt in")
    finally:
        watcher.stopped.set()


def test_a_parse_error_is_reported_with_its_own_location_not_another_threads(edition):
    """Issue 10: a serve rebuild reported `file.xml:0:0: Invalid expression` from libxml2's shared log."""
    from lxml import etree

    from edition.diagnostics import InvalidEdition
    from edition.xmlio import parse_bytes
    errors = []

    def noisy():
        for _ in range(300):
            try:
                etree.XPath("///bad[")
            except etree.XPathSyntaxError:
                pass

    thread = threading.Thread(target=noisy)
    thread.start()
    for _ in range(300):
        try:
            parse_bytes(b"<TEI>\n<p></TEI>", "broken.xml")
        except InvalidEdition as error:
            errors.extend(error.diagnostics)
    thread.join()
    assert {(d.line, d.rule) for d in errors} == {(2, "well-formed")}
    assert not any("expression" in d.message.lower() for d in errors)


def test_the_jieba_cache_is_in_the_users_cache_folder(tmp_path, monkeypatch):
    from edition.annotate import names
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    names._jieba.cache_clear()
    names.chinese_words("朱可夫在诺门罕。", ("诺门罕",))
    folder = tmp_path / "cache" / "edition" / "jieba"
    assert any(folder.iterdir()), "jieba wrote no cache in the user's folder"
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    names._jieba.cache_clear()


@pytest.mark.parametrize("why", ["others can write to it", "switched off"])
def test_jieba_does_not_use_a_cache_folder_others_can_write_to_or_one_switched_off(tmp_path, monkeypatch, why):
    from edition.annotate import names
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "cache" / "edition" / "jieba"
    folder.mkdir(parents=True)
    if why == "switched off":
        monkeypatch.setenv("EDITION_JIEBA_CACHE", "off")
    else:
        folder.chmod(0o777)  # a planted dictionary there would be loaded
    names._jieba.cache_clear()
    assert names.chinese_words("朱可夫在诺门罕。", ("诺门罕",))[-2:] == ["诺门罕", "。"]
    assert not any(folder.iterdir())
    names._jieba.cache_clear()


def test_usage_problems_are_usage_errors():
    from edition import Edition
    with pytest.raises(UsageProblem):
        Edition.at(".").source_path("../x")


def test_a_tei_file_linked_out_of_the_edition_is_never_read(edition, victim):
    stamp = victim.stat().st_mtime
    os.utime(victim, (stamp - 7200, stamp))  # any read now moves the access time
    (edition.sources_dir / "linked.xml").symlink_to(victim)
    for command in (("check", "--no-tei-all"), ("build", "--html")):
        run = run_edition(edition, *command)
        assert_refused(run, "outside")
        assert str(victim) not in run.opened and untouched(victim)
