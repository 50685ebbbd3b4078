"""XML in and out: safe parsing with located errors, and atomic writes.

Duplicate xml:ids are not parse errors here (collect_ids=False): the checker
reports them with both places. Parsing never touches the network and never expands external entities (XXE,
billion laughs): every TEI file the edition reads goes through `parse_file`.
Writes go to a temporary file that is renamed over the target, so a crash
never leaves a half-written source.
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from lxml import etree

from .diagnostics import Diagnostic, InvalidEdition, remember_source

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NS = {"tei": TEI_NS}
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"


def tei(local: str) -> str:
    """Clark name of a TEI element: tei('p') -> '{http://www.tei-c.org/ns/1.0}p'."""
    return f"{{{TEI_NS}}}{local}"


_ENTITY_DECLARATION = re.compile(rb"<!ENTITY\b")


def safe_parser(collect_ids: bool = False) -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_blank_text=False,
                           collect_ids=collect_ids)


def parse_bytes(data: bytes, path: str | Path = "<string>", collect_ids: bool = False):
    """Parse XML or raise InvalidEdition with every libxml2 error located."""
    entity = _ENTITY_DECLARATION.search(data)
    if entity:  # refuse before libxml2 sees it: no XXE, no billion laughs
        line = data[:entity.start()].count(b"\n") + 1
        column = entity.start() - (data.rfind(b"\n", 0, entity.start()) + 1) + 1
        raise InvalidEdition(f"{path}: entity declarations are not allowed", [
            Diagnostic(str(path), line, column, "xml-safety",
                       "the document declares an entity; the edition refuses entity "
                       "declarations (no external entities, no entity expansion)")])
    parser = safe_parser(collect_ids)
    try:
        root = etree.fromstring(data, parser, base_url=str(path))
    except etree.XMLSyntaxError as error:
        raise InvalidEdition(f"{path}: not well-formed XML",
                             syntax_diagnostics(error, path)) from None
    remember_source(str(path), data.decode("utf-8", "replace"))
    return root.getroottree()


def parse_file(path: str | Path, collect_ids: bool = False):
    path = Path(path)
    return parse_bytes(path.read_bytes(), path, collect_ids)


def syntax_diagnostics(error: etree.XMLSyntaxError, path) -> list[Diagnostic]:
    entries = [e for e in error.error_log if e.level_name in ("ERROR", "FATAL")]
    if not entries:
        line, column = error.position
        return [Diagnostic(str(path), line, column, "well-formed", error.msg)]
    return [Diagnostic(str(path), e.line, e.column, "well-formed", e.message.strip())
            for e in entries]


def serialize(tree) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8") + b"\n"


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file in the same folder + rename."""
    path = Path(path)
    if path.exists() and not path.is_file():  # a device or pipe (/dev/stdout): write through
        with open(path, "wb") as handle:
            handle.write(data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else _default_mode())
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _default_mode() -> int:
    """What open() would give a new file (0666 less the umask), not mkstemp's 0600."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
