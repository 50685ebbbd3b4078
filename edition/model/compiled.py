"""Compiled ODDs kept between runs: an ODD is translated and compiled once per version of it.

Compiling an ODD (odd.py: reading it and the ODDs it inherits, translating
every XQuery expression) is most of what `edition render` of a small file
does (issue 15). A compiled model is kept in the user's cache folder
($XDG_CACHE_HOME/edition/odd, private to the user), under a key made of the
ODD's bytes, its path, the search path, `strict`, and the code that compiles
it (this package's version, the model's source files as Python checks its
.pyc files, by size and modification time, Python and lxml). The
entry also names every other file the compilation read (the inherited ODDs,
with their SHA-256) and every place it looked for one in vain; it is used only
if all of them are still so. An entry is checked against its own digest
before it is read: a damaged, truncated or foreign file is deleted and the
ODD compiled again, never trusted. A folder another user could write is not
used. EDITION_ODD_CACHE=off turns the cache off.

The XPath parts are not kept (lxml's compiled XPath cannot be); each
expression compiles its XPath when it is first evaluated (expressions.py).
"""
from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

try:  # the builtin module: hashlib would load OpenSSL, a twentieth of `edition render`'s start-up
    from _sha2 import sha256
except ImportError:
    try:
        from _sha256 import sha256
    except ImportError:
        from hashlib import sha256

FORMAT = b"edition-odd 1\n"
KEEP = 128  # entries kept: the oldest go when there are more
EDITION = Path(__file__).resolve().parents[1]
CODE = ("model", "safety.py", "xmlio.py", "diagnostics.py")  # what compiling an ODD runs


def key(path: Path, strict: bool, search_path) -> str | None:
    """The cache key of an ODD as it is now; None when its file cannot be read (compile says why)."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    digest = sha256(FORMAT + code_digest().encode())
    for part in (str(Path(path).resolve()), str(bool(strict)), *(str(Path(f).resolve()) for f in search_path)):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(data)
    return digest.hexdigest()


@cache
def code_digest() -> str:
    """The version of the code that compiles ODDs: package version, Python, lxml, and each
    source file's name, size and modification time (what Python's own .pyc files are
    checked against: reading and hashing every source was a fiftieth of `edition render`)."""
    from lxml import etree

    from .. import __version__
    digest = sha256(f"{__version__} {sys.version} {etree.LXML_VERSION}".encode())
    for name in CODE:
        for relative, status in _sources(str(EDITION / name), name):
            digest.update(f"{relative}\0{status.st_size}\0{status.st_mtime_ns}\0".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _sources(path: str, relative: str):
    """(relative path, stat) of each .py/.odd file at `path` (a file, or a folder walked in name order)."""
    try:
        entries = sorted(os.scandir(path), key=lambda e: e.name)
    except NotADirectoryError:
        yield relative, os.stat(path)
        return
    except OSError:
        return
    for entry in entries:
        if entry.name == "__pycache__":
            continue
        if entry.is_dir():
            yield from _sources(entry.path, f"{relative}/{entry.name}")
        elif entry.name.endswith((".py", ".odd")) and entry.is_file():
            yield f"{relative}/{entry.name}", entry.stat()


def folder() -> Path | None:
    """$XDG_CACHE_HOME/edition/odd (~/.cache/edition/odd), if it is this user's alone."""
    return user_folder("odd", "EDITION_ODD_CACHE")


def user_folder(name: str, switch: str) -> Path | None:
    """$XDG_CACHE_HOME/edition/NAME (~/.cache/edition/NAME), made if need be; None when the
    environment variable `switch` is off/0/no, the folder cannot be made, or another user
    could write into it (an entry planted there would be trusted: compute instead)."""
    if os.environ.get(switch, "").lower() in ("off", "0", "no"):
        return None
    place = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "edition" / name
    try:
        place.mkdir(parents=True, exist_ok=True, mode=0o700)
        status = place.stat()
    except OSError:
        return None
    if status.st_uid != os.getuid() or status.st_mode & 0o022:
        return None
    return place


def load(cache_key: str | None):
    """The model kept under `cache_key`, or None (missing, damaged, stale: then compile)."""
    kept = _read(cache_key)
    if kept is None:
        return None
    inputs, model = kept
    if not all(_digest(Path(name)) == wanted for name, wanted in inputs):
        return None  # an inherited ODD changed, or one appeared where none was
    return model


def store(cache_key: str | None, model, inputs: list[tuple[str, str | None]]) -> None:
    """Keep a compiled model; `inputs`: each file read (its digest) or looked for (None)."""
    _write(cache_key, (inputs, model))


_REMEMBERED: dict = {}  # (function, text) -> result, in this process (a worker renders many pages)


def remembered(function, text: str, smallest: int = 2048) -> str:
    """function(text) for a pure function of a string (a stylesheet cleaned by edition.safety),
    kept in this process, and in the same cache as the ODDs when `text` is long enough
    for that to be worth a file."""
    memo = (function, text)
    found = _REMEMBERED.get(memo)
    if found is None:
        found = _REMEMBERED[memo] = _remembered(function, text, smallest)
        if len(_REMEMBERED) > KEEP:
            del _REMEMBERED[next(iter(_REMEMBERED))]
    return found


def known(function, text: str, result: str) -> None:
    """Tell `remembered` that function(text) is `result` (made and kept elsewhere: a
    model's cleaned stylesheet is kept with the model)."""
    _REMEMBERED[(function, text)] = result
    if len(_REMEMBERED) > KEEP:
        del _REMEMBERED[next(iter(_REMEMBERED))]


def _remembered(function, text: str, smallest: int) -> str:
    if len(text) < smallest:
        return function(text)
    name = f"{function.__module__}.{function.__qualname__}"
    cache_key = "text-" + sha256(f"{code_digest()} {name}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
    found = _read(cache_key)
    if isinstance(found, str):
        return found
    result = function(text)
    _write(cache_key, result)
    return result


def _read(cache_key: str | None):
    place = folder() if cache_key else None
    if place is None:
        return None
    entry = place / cache_key
    try:
        data = entry.read_bytes()
    except OSError:
        return None
    head, digest, payload = data[:len(FORMAT)], data[len(FORMAT):len(FORMAT) + 32], data[len(FORMAT) + 32:]
    try:
        if head != FORMAT or sha256(payload).digest() != digest:
            raise ValueError("damaged")
        return _loads(payload)
    except Exception:  # damaged or foreign: never trusted, made again
        entry.unlink(missing_ok=True)
        return None


def _write(cache_key: str | None, value) -> None:
    """A cache that cannot be written is no error: the value is made again next time."""
    place = folder() if cache_key else None
    if place is None:
        return
    import io
    import pickle
    import tempfile
    temporary = None
    try:
        buffer = io.BytesIO()
        _pickler(buffer, pickle.HIGHEST_PROTOCOL).dump(value)
        payload = buffer.getvalue()
        handle, temporary = tempfile.mkstemp(dir=place, prefix=".storing-")
        with os.fdopen(handle, "wb") as out:
            out.write(FORMAT + sha256(payload).digest() + payload)
        os.replace(temporary, place / cache_key)
        temporary = None
        entries = sorted((p for p in place.iterdir() if not p.name.startswith(".")),
                         key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        pass
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass


def _digest(path: Path) -> str | None:
    try:
        return sha256(path.read_bytes()).hexdigest()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None
    except OSError:
        return "unreadable"


def _element(markup: bytes, tail: str | None):
    from lxml import etree
    element = etree.fromstring(markup)
    element.tail = tail
    return element


def _loads(payload: bytes):
    """pickle.loads, through the C module alone when it is there (pickle.py and what it
    imports are a fortieth of `edition render`'s start-up, and only storing needs them)."""
    try:
        from _pickle import loads
    except ImportError:
        from pickle import loads
    return loads(payload)


def _pickler(buffer, protocol: int):
    import pickle

    class Pickler(pickle.Pickler):
        """lxml elements in a model (pb:template, element constructors) kept as their markup."""

        def reducer_override(self, obj):
            from lxml import etree
            if isinstance(obj, etree._Element):
                return _element, (etree.tostring(obj, with_tail=False), obj.tail)
            return NotImplemented
    return Pickler(buffer, protocol=protocol)
