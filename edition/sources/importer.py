"""Plain text → TEI P5: one <p> per line, sentences as <s>, citations as <ref>.

The import is lossless: the original reading of the TEI body (see reading.py)
equals the received file exactly, character for character, which `import_text`
verifies before anything is written. Guidelines §16.3 (Blocks, Segments and
Anchors) for <s>; §3.7 (Simple Links and Cross-References) for <ref>.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import re
from importlib.resources import files

from jinja2 import Environment

from ..diagnostics import Diagnostic, InvalidEdition
from ..languages import language_name
from ..xmlio import parse_bytes
from .reading import original_text
from .segment import CITATION, segment

ID_PATTERN = re.compile(r"^[A-Za-z_][\w.-]*$")
# Characters XML 1.0 cannot carry (§2.2 Char): such text cannot become TEI.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def import_text(text: str, lang: str, source_id: str, title: str | None = None,
                source_name: str = "<text>", today: _dt.date | None = None) -> bytes:
    """The TEI document (UTF-8 bytes) for a received plain text."""
    _check_input(text, lang, source_id, source_name)
    counter = iter(range(1, 10**9))  # sentences are numbered through the document
    paragraphs = [_paragraph(line, lang, source_id, number, counter)
                  for number, line in enumerate(text.split("\n"), start=1)]
    xml = _template().render(
        id=source_id, lang=lang, language=language_name(lang),
        title=title or f"{source_id} ({language_name(lang)} source)",
        source_name=source_name, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        lines=len(paragraphs), today=(today or _dt.date.today()).isoformat(),
        paragraphs=paragraphs)
    data = xml.encode("utf-8")
    try:
        tree = parse_bytes(data, f"{source_id}.xml")
    except InvalidEdition as error:  # a limit of the parser (a 10 MB text node): say where in the input
        lines = text.split("\n")
        longest = max(range(len(lines)), key=lambda i: len(lines[i]))
        reason = error.diagnostics[0].message if error.diagnostics else error.message
        raise InvalidEdition(f"{source_name}: cannot import", [Diagnostic(
            source_name, longest + 1, 1, "import-limit",
            f"the TEI made from this text is refused ({reason}); line {longest + 1} has "
            f"{len(lines[longest])} characters: split it into shorter paragraphs")]) from None
    if original_text(tree.getroot()) != text:  # never write a lossy import
        raise AssertionError(f"import of {source_name} would not be lossless")
    return data


def _check_input(text: str, lang: str, source_id: str, source_name: str) -> None:
    problems = []
    if not ID_PATTERN.match(source_id):
        problems.append(Diagnostic(source_name, 1, 1, "import-id",
                                   f"{source_id!r} is not a valid xml:id (letters, digits, . _ -)"))
    if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", lang):
        problems.append(Diagnostic(source_name, 1, 1, "import-lang",
                                   f"{lang!r} is not a BCP 47 language tag such as th, zh-Hans"))
    for number, line in enumerate(text.split("\n"), start=1):
        for bad in NOT_XML.finditer(line):
            problems.append(Diagnostic(source_name, number, bad.start() + 1, "import-char",
                                       f"U+{ord(bad.group()):04X} cannot appear in XML text"))
    if problems:
        raise InvalidEdition(f"{source_name}: cannot import", problems)


def _paragraph(line: str, lang: str, source_id: str, number: int, counter) -> str:
    """The <p> for one line: sentences and the white space between them."""
    out, position = [], 0
    for start, end in segment(line, lang):
        out.append(_escape(line[position:start]))
        sentence_id = f"{source_id}-s{next(counter)}"
        out.append(f'<s xml:id="{sentence_id}">{_with_citations(line[start:end])}</s>')
        position = end
    out.append(_escape(line[position:]))
    return f'<p xml:id="{source_id}-p{number}">{"".join(out)}</p>'


def _with_citations(text: str) -> str:
    pieces, position = [], 0
    for match in re.finditer(CITATION, text):
        pieces.append(_escape(text[position:match.start()]))
        number = match.group()[1:-1]
        pieces.append(f'<ref type="citation" n="{_escape(number)}">{_escape(match.group())}</ref>')
        position = match.end()
    pieces.append(_escape(text[position:]))
    return "".join(pieces)


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


def _template():
    source = files("edition").joinpath("templates/source.xml.j2").read_text("utf-8")
    return Environment(autoescape=True, keep_trailing_newline=True).from_string(source)
