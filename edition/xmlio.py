"""XML in and out: safe parsing with located errors, and atomic writes.

Duplicate xml:ids are not parse errors here (collect_ids=False): the checker
reports them with both places. Every TEI file and ODD the edition reads goes
through `parse_file`, which never reads anything but that file: no network,
no DTD (not even a local one), no external entity, no entity expansion (XXE,
billion laughs), no XInclude; what it refuses is decided on the parsed
document, so a UTF-16 file is judged like a UTF-8 one.
Writes go to a temporary file that is renamed over the target, so a crash
never leaves a half-written source.
"""
from __future__ import annotations

import codecs
import os
import re
import stat
import zlib
from pathlib import Path

from lxml import etree

from .diagnostics import WARNING, Diagnostic, InvalidEdition, environment_fault, remember_source
from .safety import MAX_DEPTH

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NS = {"tei": TEI_NS}
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"


def tei(local: str) -> str:
    """Clark name of a TEI element: tei('p') -> '{http://www.tei-c.org/ns/1.0}p'."""
    return f"{{{TEI_NS}}}{local}"


class _RefuseExternal(etree.Resolver):
    """Answers every request libxml2 makes for an external resource (the
    external DTD subset, an external parameter or general entity) with an
    empty document, and records it. libxml2 opens a DOCTYPE's local DTD even
    with load_dtd=False when IDs are not collected (lxml sets the context's
    loadsubset bit), so this resolver, not a parser flag, is what guarantees
    that parsing never reads another file (SYSTEM "/dev/stdin" would hang,
    SYSTEM "file:///etc/passwd" would be read)."""

    def __init__(self):
        super().__init__()
        self.asked: list[str] = []

    def resolve(self, url, public_id, context):
        self.asked.append(url or public_id or "")
        return self.resolve_string("", context)


def safe_parser(collect_ids: bool = False) -> etree.XMLParser:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, attribute_defaults=False, huge_tree=False,
                             remove_blank_text=False, collect_ids=collect_ids)
    parser.resolvers.add(_RefuseExternal())
    return parser


def parse_bytes(data: bytes, path: str | Path = "<string>", collect_ids: bool = False):
    """Parse XML or raise InvalidEdition with every problem located."""
    return parse_checked(data, path, collect_ids)[0]


def parse_checked(data: bytes, path: str | Path = "<string>", collect_ids: bool = False, from_file: bool = False):
    """(tree, warnings). Safety is decided on the parsed document, whatever its
    encoding: a DOCTYPE's external DTD is never read (a warning says so, and
    the document goes on); an internal subset may declare internal parameter
    entities; general entities, external entities and entity references are
    refused, as are elements nested deeper than safety.MAX_DEPTH."""
    parser = safe_parser(collect_ids)
    try:
        root = etree.fromstring(data, parser, base_url=str(path))
    except etree.XMLSyntaxError as error:
        raise InvalidEdition(f"{path}: not well-formed XML",
                             syntax_diagnostics(error, path, parser)) from None
    tree = root.getroottree()
    text = _decoded(data, tree.docinfo.encoding)
    remember_source(str(path), text, (len(data), zlib.crc32(data), tree.docinfo.encoding) if from_file else None)
    problems, warnings = _doctype_problems(tree, text, path)
    declared = {e.name for e in tree.docinfo.internalDTD.iterentities()} if tree.docinfo.internalDTD else set()
    problems += _entity_references(root, path, declared)
    problems += _depth_problems(root, path)
    if problems:
        raise InvalidEdition(f"{path}: refused for safety ({len(problems)} problem(s))", problems)
    return tree, warnings


def parse_file(path: str | Path, collect_ids: bool = False):
    return parse_file_checked(path, collect_ids)[0]


def parse_file_checked(path: str | Path, collect_ids: bool = False):
    """(tree, warnings) for a file: only regular files are read."""
    path = Path(path)
    return parse_checked(read_regular(path), path, collect_ids, from_file=True)


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file (never a FIFO, a device or a directory,
    which could hang or never end), at most `limit` bytes."""
    from .diagnostics import UsageProblem
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise UsageProblem(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageProblem(f"{path}: is a folder, not a file") from None
    except OSError as error:  # permission denied...: one line naming the file
        raise environment_fault(error, path, doing="read") or error
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UsageProblem(f"{path}: not a regular file (a device, pipe or socket is never read)")
        if limit is not None and info.st_size > limit:
            raise UsageProblem(f"{path}: {info.st_size} bytes, more than the limit of {limit} bytes "
                               "(raise it with --max-size)")
        data = handle.read() if limit is None else handle.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise UsageProblem(f"{path}: more than the limit of {limit} bytes (raise it with --max-size)")
    return data


def decoded(data: bytes) -> str:
    """A document's bytes as text, in the encoding it declares (or its BOM says)."""
    match = re.match(rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)", data)
    return _decoded(data, match[1].decode("ascii") if match else None)


def _decoded(data: bytes, encoding: str | None) -> str:
    for codec in (_codec(data, encoding), "utf-8"):
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")


def _codec(data: bytes, encoding: str | None) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return encoding or "utf-8"


_DECLARATION = re.compile(r"<!ENTITY\s+(%\s+)?([^\s>]+)")


def _doctype_problems(tree, text: str, path) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """Entity declarations as libxml2 parsed them (its serialisation of the
    internal subset, not the file's bytes: the encoding does not matter)."""
    info = tree.docinfo
    problems, warnings = [], []
    where = _position(text, "<!DOCTYPE")
    if info.system_url or info.public_id:
        warnings.append(Diagnostic(str(path), *where, "xml-dtd",
                                   f"the external DTD {info.system_url or info.public_id!r} is not "
                                   "loaded (the edition never reads DTDs); checked without it",
                                   WARNING))
    dtd = info.internalDTD
    if dtd is None:
        return problems, warnings
    declared = _subset(tree)
    kinds = {match[2]: bool(match[1]) for match in _DECLARATION.finditer(declared)}
    general = []
    for entity in dtd.iterentities():
        parameter = kinds.get(entity.name, False)
        position = _position(text, f"<!ENTITY{' % ' if parameter else ' '}{entity.name}", where)
        if entity.system_url is not None or (parameter and entity.content is None):
            problems.append(Diagnostic(str(path), *position, "xml-safety",
                                       f"the external entity {entity.name!r} ({entity.system_url}) is "
                                       "refused: the edition never reads external entities"))
        elif not parameter:
            general.append((position, entity.name))
    if general:  # one message for them all (a billion laughs declares dozens)
        names = ", ".join(name for _, name in general[:5]) + (", ..." if len(general) > 5 else "")
        problems.append(Diagnostic(str(path), *general[0][0], "xml-safety",
                                   f"{len(general)} general entit{'y' if len(general) == 1 else 'ies'} "
                                   f"({names}) refused: the edition does not expand entities (write the "
                                   "text itself, or a character reference such as &#x2014;)"))
    return problems, warnings


def _subset(tree) -> str:
    """libxml2's serialisation of the internal subset, comments left out. A
    declaration cut off by an odd "]>" in a value counts as general: refused."""
    text = etree.tostring(tree, encoding="unicode")
    start = text.find("<!DOCTYPE")
    end = text.find("]>", start)
    return re.sub(r"<!--.*?-->", "", text[start:end if end >= 0 else len(text)], flags=re.S)


def _position(text: str, needle: str, default=(1, 1)) -> tuple[int, int]:
    index = text.find(needle)
    if index < 0 and needle.startswith("<!ENTITY"):
        name = needle.split()[-1]
        found = re.search(r"<!ENTITY\s+(?:%\s+)?" + re.escape(name) + r"\b", text)
        index = found.start() if found else -1
    if index < 0:
        return default
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _entity_references(root, path, declared: set[str]) -> list[Diagnostic]:
    """References to entities the document does not declare (those it declares
    are refused at their declaration)."""
    lines = _source_lines(path)
    found = []
    for entity in root.iter(etree.Entity):
        if entity.name in declared:
            continue
        line = entity.sourceline or 1
        column = lines[line - 1].find(f"&{entity.name};") + 1 if line <= len(lines) else 0
        found.append(Diagnostic(str(path), line, max(column, 1), "xml-safety",
                                f"the entity reference &{entity.name}; is refused: the edition never "
                                "expands entities nor reads the DTD that could declare them"))
    return found


def _source_lines(path) -> list[str]:
    from .diagnostics import source_lines
    return source_lines(str(path)) or []


def _depth_problems(root, path) -> list[Diagnostic]:
    if not _too_deep()(root):  # asked of libxml2 first: no Python step per element (a twentieth of a render)
        return []
    depth = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > MAX_DEPTH:
            return [Diagnostic.at(element, "xml-depth",
                                  f"elements nested {depth} deep: the edition renders at most "
                                  f"{MAX_DEPTH} levels", path)]
    return []


_TOO_DEEP = []


def _too_deep():
    """XPath: is there an element MAX_DEPTH levels below the root (nested deeper than MAX_DEPTH)?"""
    if not _TOO_DEEP:
        _TOO_DEEP.append(etree.XPath("boolean(" + "/".join(["*"] * MAX_DEPTH) + ")"))
    return _TOO_DEEP[0]


def syntax_diagnostics(error: etree.XMLSyntaxError, path, parser=None) -> list[Diagnostic]:
    """This parse's own errors: the parser's log, not libxml2's global one, which
    other threads and earlier documents write to as well."""
    log = parser.error_log if parser is not None else error.error_log
    entries = [e for e in log if e.level_name in ("ERROR", "FATAL")
               and e.domain_name not in ("XPATH", "XSLT", "RELAXNGV", "RELAXNGP", "SCHEMASV")]
    if not entries:
        line, column = error.position
        return [Diagnostic(str(path), line or 1, column or 1, "well-formed", error.msg)]
    return [Diagnostic(str(path), e.line or 1, e.column or 1, _rule_of(e), e.message.strip())
            for e in entries]


def _rule_of(entry) -> str:
    """libxml2's own refusals of entity expansion (a billion laughs) are safety refusals."""
    limit = "amplification" in entry.message or entry.type_name in ("ERR_RESOURCE_LIMIT",
                                                                     "ERR_ENTITY_LOOP")
    return "xml-safety" if limit else "well-formed"


def serialize(tree) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8") + b"\n"


def serialize_like(original: bytes, tree) -> bytes:
    """The changed tree as bytes, keeping everything of `original` around the
    root element byte for byte — XML declaration, DOCTYPE, comments and
    processing instructions before and after it, the encoding and its BOM —
    so that a write changes only what was changed in the tree."""
    encoding = tree.docinfo.encoding or "UTF-8"
    text, codec = _decoded(original, encoding), _codec(original, encoding)
    root = tree.getroot()
    body = etree.tostring(root, encoding="unicode")
    start, end = _root_span(text, root)
    prolog = text[:start] if start is not None else ""
    epilog = text[end:] if end is not None else _epilog(root, text)
    out = prolog + body + epilog
    if codec == "utf-16":
        big = original.startswith(codecs.BOM_UTF16_BE)
        return (codecs.BOM_UTF16_BE if big else codecs.BOM_UTF16_LE) + \
            out.encode("utf-16-be" if big else "utf-16-le")
    if codec == "utf-8-sig":
        return codecs.BOM_UTF8 + out.encode("utf-8")
    return out.encode(codec, errors="xmlcharrefreplace")


_MISC = re.compile(r"(?:\s|<!--.*?-->|<\?.*?\?>)*", re.S)


def _root_span(text: str, root) -> tuple[int | None, int | None]:
    """Where the root element starts and ends in the document's text."""
    name = f"{root.prefix}:{etree.QName(root).localname}" if root.prefix else etree.QName(root).localname
    lines = text.split("\n")
    start = None
    if root.sourceline and root.sourceline <= len(lines):
        offset = sum(len(line) + 1 for line in lines[:root.sourceline - 1])
        found = re.compile(r"<" + re.escape(name) + r"[\s/>]").search(text, offset)
        start = found.start() if found else None
    closing = re.compile(r"</" + re.escape(name) + r"\s*>")
    ends = [m.end() for m in closing.finditer(text, start or 0)]
    for end in reversed(ends):  # the last closing tag followed only by comments, PIs and spaces
        if _MISC.fullmatch(text, end):
            return start, end
    return start, None


def _epilog(root, text: str) -> str:
    """Comments and PIs after the root, serialised (when the text could not be cut)."""
    parts = [etree.tostring(node, encoding="unicode", with_tail=False) for node in root.itersiblings()]
    return "".join("\n" + part for part in parts) + ("\n" if text.endswith("\n") else "")


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file in the same folder + rename,
    both flushed to disk (the file, then the folder). A fault of the machine
    (disk full, read-only) is an EnvironmentFault naming `path`, not the
    hidden temporary file, and leaves `path` as it was."""
    path = Path(path)
    try:
        if path.exists() and not path.is_file():  # a device or pipe (/dev/stdout): write through
            with open(path, "wb") as handle:
                handle.write(data)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _temporary(path.parent, f".{path.name}.", ".tmp")
    except OSError as error:
        raise environment_fault(error, path) or error
    try:
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else _default_mode())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        fsync_folder(path.parent)
    except BaseException as error:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise environment_fault(error, path) or error
        raise


def _temporary(folder: Path, prefix: str, suffix: str) -> tuple[int, str]:
    """tempfile.mkstemp(dir=folder, prefix=prefix, suffix=suffix), made as mkstemp makes it
    (a new name, O_EXCL, mode 0600) without importing tempfile (shutil, random: a
    twentieth of `edition render`'s start-up)."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        name = os.path.join(folder, f"{prefix}{os.urandom(6).hex()}{suffix}")
        try:
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(f"{folder}: no new temporary file name found")


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename) to disk."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _default_mode() -> int:
    """What open() would give a new file (0666 less the umask), not mkstemp's 0600."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
