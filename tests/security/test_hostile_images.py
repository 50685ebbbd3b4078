"""A source's images (graphic/@url) are carried only from inside the edition's tei/ folder: a link out
of it, an xml:base elsewhere, a path climbing out or another host is never read, fetched or copied."""
from __future__ import annotations

import zipfile

from tests.security.conftest import assert_nothing_outside, run_edition


STRANGER = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="la">
<teiHeader><fileDesc><titleStmt><title>Epistula</title></titleStmt><publicationStmt><p>Test.</p></publicationStmt>
<sourceDesc><p>Written for the test suite.</p></sourceDesc></fileDesc></teiHeader>
<text><body><p>Gallia est omnis divisa in partes tres.</p>FIGURES</body></text></TEI>"""


def test_an_image_out_of_the_edition_is_never_read_nor_carried(edition, canary, secret):
    """A stranger's source (the house profile does not cover it) beside the edition's own."""
    house = edition.tei_dir / "edition.xml"
    house.write_text(house.read_text("utf-8").replace('target="edition.xml sources/ registers/', 'target="edition.xml sources/es-k.xml registers/'), "utf-8")
    images = edition.sources_dir / "images"
    images.mkdir()
    (images / "link.png").symlink_to(secret)  # a link out of the edition, named as an image
    (secret.parent / "SECRET.png").write_bytes(b"TOP-SECRET-CONTENT")  # named as an image beside the secret
    figures = (f'<figure><graphic url="images/link.png"/></figure>'
               f'<figure><graphic url="../../../outside/SECRET.png"/></figure>'
               f'<figure xml:base="file://{secret.parent}/"><graphic url="SECRET.png"/></figure>'
               f'<figure><graphic url="http://127.0.0.1:{canary.port}/x.png"/></figure>')
    (edition.sources_dir / "pictured.xml").write_text(STRANGER.replace("FIGURES", figures), "utf-8")
    run = run_edition(edition, "build")
    assert run.returncode == 0, run.stderr
    assert_nothing_outside(run, edition, secret, canary)
    assert str(secret.parent / "SECRET.png") not in run.opened
    for output in edition.build_dir.rglob("*"):
        if output.is_file() and not output.is_symlink():
            data = output.read_bytes()
            assert b"TOP-SECRET-CONTENT" not in data, output
            if output.suffix == ".epub":
                with zipfile.ZipFile(output) as book:
                    assert not [n for n in book.namelist() if n.startswith("EPUB/media/")]
    assert not list((edition.build_dir / "html").rglob("*.png"))
    warnings = [m for m in run.messages if ": warning: image:" in m or ": warning: resource:" in m]
    assert any("images/link.png" in m and "links out of the edition" in m for m in warnings), warnings
