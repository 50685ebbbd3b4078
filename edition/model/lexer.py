"""XQuery expression text → tokens (XPath 3.1 §A.2 lexical structure, the ODDs' subset).

A `<` where an operand is expected starts a direct element constructor,
which is taken whole as one token (XQuery §3.9.1).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .code import XQueryError  # raised here, defined where evaluation (which needs no lexer) finds it

OPERAND_START = {"", "(", "[", ",", "{", ":=", "return", "then", "else", "in", "and", "or",
                 "=", "!=", "<", "<=", ">", ">=", "||", "+", "-", "*", "/", "//", "|", "!"}

TOKEN = re.compile(r"""
    (?P<ws>\s+|\(:.*?:\))
  | (?P<strcons>``\[.*?\]``)
  | (?P<string>"(?:[^"]|"")*"|'(?:[^']|'')*')
  | (?P<number>\d+(?:\.\d*)?|\.\d+)
  | (?P<var>\$[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)
  | (?P<name>[A-Za-z_][\w.\-]*(?::(?:[A-Za-z_][\w.\-]*|\*))?)
  | (?P<op>//|::|:=|\|\||!=|<=|>=|\.\.|[/()\[\],@.|=<>+\-*!?{}])
""", re.X | re.S)


@dataclass(frozen=True)
class Token:
    kind: str  # string strcons number var name op xml end
    value: str
    offset: int


def tokenize(text: str) -> list[Token]:
    tokens, position, previous = [], 0, ""
    while position < len(text):
        if text[position] == "<" and previous in OPERAND_START and re.match(r"<[A-Za-z_]", text[position:]):
            end = _constructor_end(text, position)
            tokens.append(Token("xml", text[position:end], position))
            position, previous = end, ")"
            continue
        match = TOKEN.match(text, position)
        if not match:
            raise XQueryError(f"unexpected character {text[position]!r}", position)
        if match.lastgroup != "ws":
            tokens.append(Token(match.lastgroup, match.group(), position))
            previous = match.group() if match.lastgroup in ("op", "name") else ")"
        position = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


def _constructor_end(text: str, start: int) -> int:
    """End of a direct element constructor `<a …>…</a>` (XQuery §3.9.1)."""
    depth, position = 0, start
    tag = re.compile(r"""<(/?)[A-Za-z_][\w.:\-]*(?:\s+[\w.:\-]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(/?)>""")
    while True:
        found = tag.search(text, position)
        if not found:
            raise XQueryError("unterminated element constructor", start)
        closing, empty = found.group(1), found.group(2)
        depth += 0 if empty else (-1 if closing else 1)
        position = found.end()
        if depth == 0:
            return position
