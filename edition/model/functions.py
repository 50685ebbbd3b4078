"""XPath 2/3 and eXist functions → lxml extension functions for translated ODD expressions.

TEI Publisher's predicates and params are XQuery 3.1; lxml evaluates XPath 1.0.
`xquery.py` rewrites calls such as head(), tokenize() or format-date() into
calls of the functions below, registered under FUNCTIONS_NS with the prefix
`pmx`. They follow the XPath Functions 3.1 specification (F&O) where they can
and are lenient on the empty sequence as the specification is: f(()) is ().

lxml hands an extension function node-sets as lists, strings, floats and
booleans, and takes back the same kinds, except that a list may hold only
elements and strings: numbers and booleans in a sequence become strings.
Variables bound by `let`/`for` live in `FRAME`, set while an expression runs.
"""
from __future__ import annotations

import re
from contextvars import ContextVar
from pathlib import Path

from lxml import etree

FUNCTIONS_NS = "urn:x-edition:processing-model:functions"
PREFIX = "pmx"

# The evaluation frame of the running expression: let/for variables, the
# xml:id index of the document, constants from element constructors.
FRAME: ContextVar[dict] = ContextVar("processing_model_frame", default={})


def sequence(value) -> list:
    """Any XPath value as a sequence (a list)."""
    if isinstance(value, list):
        return value
    if value is None:
        return []
    return [value]


def items(*values) -> list:
    """Concatenate values into one sequence that lxml can take back."""
    out = []
    for value in values:
        for item in sequence(value):
            out.append(atom_text(item) if isinstance(item, (bool, float, int)) else item)
    return out


def atom_text(item) -> str:
    """The string value of an item (XPath string())."""
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, float):
        return str(int(item)) if item.is_integer() else repr(item)
    if isinstance(item, int):
        return str(item)
    if isinstance(item, str):
        return str(item)
    if isinstance(item, etree._Element):
        return "".join(item.itertext()) if isinstance(item.tag, str) else (item.text or "")
    return str(item)


def string_of(value) -> str:
    """The string value of the first item, or '' (XPath 1.0 string())."""
    seq = sequence(value)
    return atom_text(seq[0]) if seq else ""


def _regex(pattern: str, flags: str = "") -> re.Pattern:
    """An XSD/XPath regular expression as a Python one (F&O §5.6)."""
    options = 0
    for flag in flags:
        options |= {"i": re.I, "m": re.M, "s": re.S, "x": re.X}.get(flag, 0)
    return re.compile(pattern, options)


# --- F&O functions ------------------------------------------------------------
def f_seq(_, *values):
    return items(*values)


def f_if(_, condition, then, otherwise):
    return then if condition else otherwise


def f_head(_, value):
    return items(*sequence(value)[:1])


def f_tail(_, value):
    return items(*sequence(value)[1:])


def f_exists(_, value):
    return bool(sequence(value))


def f_empty(_, value):
    return not sequence(value)


def f_reverse(_, value):
    return items(*reversed(sequence(value)))


def f_data(_, value):
    return [atom_text(i) for i in sequence(value)]


def f_string_join(_, value, separator=""):
    return string_of(separator).join(atom_text(i) for i in sequence(value))


def f_tokenize(_, value, pattern=None, flags=""):
    text = string_of(value)
    if pattern is None:  # the one-argument form splits on white space
        return text.split()
    return [t for t in _regex(string_of(pattern), flags).split(text)] if text else []


def f_replace(_, value, pattern, replacement, flags=""):
    python = re.sub(r"\$(\d)", r"\\\1", string_of(replacement))
    return _regex(string_of(pattern), flags).sub(python, string_of(value))


def f_matches(_, value, pattern, flags=""):
    return _regex(string_of(pattern), flags).search(string_of(value)) is not None


def f_upper_case(_, value):
    return string_of(value).upper()


def f_lower_case(_, value):
    return string_of(value).lower()


def f_ends_with(_, value, suffix):
    return string_of(value).endswith(string_of(suffix))


def f_distinct_values(_, value):
    seen = {}
    for item in sequence(value):
        seen.setdefault(atom_text(item), None)
    return list(seen)


def f_subsequence(_, value, start, length=None):
    seq = sequence(value)
    first = max(int(round(start)) - 1, 0)
    last = len(seq) if length is None else max(int(round(start + length)) - 1, 0)
    return items(*seq[first:last])


def f_number_of(name):
    def aggregate(_, value):
        numbers = [float(atom_text(i)) for i in sequence(value)]
        return {"max": max, "min": min}[name](numbers) if numbers else []
    return aggregate


def f_abs(_, value):
    return abs(float(string_of(value))) if sequence(value) else []


def f_id(_, value, *__):
    """id($ids) in the document being rendered (xml:id; lxml's own id() needs a DTD)."""
    index = FRAME.get().get("ids", {})
    wanted = [t for i in sequence(value) for t in atom_text(i).split()]
    return [index[t] for t in dict.fromkeys(wanted) if t in index]


def f_strings(_, value):
    """`path/string()`: the string value of every item of the path."""
    return [atom_text(i) for i in sequence(value)]


def f_var(_, name):
    return FRAME.get()["variables"][name]


def f_constant(_, number):
    return [FRAME.get()["constants"][int(number)]]


def f_serialize(_, value):
    return "".join(etree.tostring(i, encoding="unicode", with_tail=False)
                   if isinstance(i, etree._Element) else atom_text(i) for i in sequence(value))


def f_is(_, left, right):
    """`a is b`: both single nodes, the same node (XPath 3.1 §3.7.3)."""
    left, right = sequence(left), sequence(right)
    return len(left) == 1 and len(right) == 1 and left[0] is right[0]


def f_except(_, left, right):
    drop = {id(i) for i in sequence(right)}
    return [i for i in sequence(left) if id(i) not in drop]


def f_intersect(_, left, right):
    keep = {id(i) for i in sequence(right)}
    return [i for i in sequence(left) if id(i) in keep]


def f_index_of(_, value, wanted, *__):
    target = string_of(wanted)
    return [str(n) for n, item in enumerate(sequence(value), start=1) if atom_text(item) == target]


def f_string_to_codepoints(_, value):
    return [str(ord(c)) for c in string_of(value)]


def f_codepoints_to_string(_, value):
    return "".join(chr(int(float(atom_text(i)))) for i in sequence(value))


# --- the simple map `!` and steps XPath 1.0 has not ------------------------------
# The right-hand side of a map is compiled once, when the ODD is, and called
# by number: XPath 1.0 cannot pass an expression to a function.
_PATHS: list = []
_PATH_KEYS: dict = {}


def register_path(text: str, namespaces: dict[str, str]) -> int:
    """Compile the XPath a map applies to each item; raises XPathSyntaxError."""
    key = (text, tuple(sorted((p, u) for p, u in namespaces.items() if p)))
    if key not in _PATH_KEYS:
        compiled = etree.XPath(text, namespaces={**dict(key[1]), PREFIX: FUNCTIONS_NS}, extensions=EXTENSIONS)
        names = sorted(set(re.findall(r"\$(param\.[\w.\-]+)", text)))
        _PATHS.append((compiled, names))
        _PATH_KEYS[key] = len(_PATHS) - 1
    return _PATH_KEYS[key]


def f_map(_, value, key, as_path=False):
    """`value ! step`: step on each item in turn, the results concatenated; as
    the step of a path (`a/(b|c)`), nodes once each in document order. An atom
    is the context as the text of a bare element (its string value is the atom's)."""
    compiled, names = _PATHS[int(key)]
    variables = FRAME.get().get("params", {})
    bound = {n: variables.get(n, "") for n in names}
    out = []
    for item in sequence(value):
        if not isinstance(item, etree._Element):
            holder = etree.Element("item")
            holder.text = atom_text(item)
            item = holder
        out.extend(sequence(compiled(item, **bound)))
    if as_path and out and all(isinstance(i, etree._Element) for i in out):
        return _document_order(out)
    return items(*out)


def _document_order(nodes: list) -> list:
    unique = list({id(n): n for n in nodes}.values())
    if len(unique) < 2:
        return unique
    root = unique[0].getroottree().getroot()
    order = {id(e): n for n, e in enumerate(root.iter())} if len(unique) > 1 else {}
    return sorted(unique, key=lambda n: order.get(id(n), -1))


# --- dates (F&O §9.8 format-date, the common picture markers) ----------------
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_DATE = re.compile(r"^(-?\d{4,})-(\d\d)-(\d\d)(Z|[+-]\d\d:\d\d)?$")


def f_xs_date(_, value):
    """xs:date(): the ISO date itself, or an error for anything else."""
    if not sequence(value):
        return []
    text = string_of(value).strip()
    match = _DATE.match(text)
    if not match:
        raise ValueError(f"xs:date: {text!r} is not an ISO 8601 date (YYYY-MM-DD)")
    _date(match)  # raises on 1939-02-30
    return text


def f_format_date(_, value, picture, *__):
    if not sequence(value):
        return []
    match = _DATE.match(string_of(value).strip())
    if not match:
        raise ValueError(f"format-date: {string_of(value)!r} is not a date")
    date = _date(match)
    return re.sub(r"\[([^\]]*)\]", lambda m: _date_part(date, m[1].replace(" ", "")),
                  string_of(picture))


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _date(match):
    """The datetime.date of a matched _DATE (datetime imported here: most renders need none)."""
    import datetime
    return datetime.date(int(match[1]), int(match[2]), int(match[3]))


def _date_part(date, marker: str) -> str:
    component, form = marker[:1], marker[1:]
    value = {"D": date.day, "M": date.month, "Y": date.year, "F": date.isoweekday()}.get(component)
    if value is None:
        raise ValueError(f"format-date: unsupported picture marker [{marker}]")
    if form.startswith("N") or (component == "F" and not form):
        name = (MONTHS if component == "M" else DAYS)[value - 1]
        return name.upper() if form == "N" else name.lower() if form == "n" else name
    if form.endswith("o"):
        return _ordinal(value)
    digits = form.rstrip("o")
    width = len(digits) if len(digits) > 1 else 1
    return str(value).zfill(width) if component != "Y" or width > 1 else str(value)


# --- eXist-db's util module, for documents on disk -----------------------------
def f_document_name(_, value):
    root = next((i for i in sequence(value) if isinstance(i, etree._Element)), None)
    url = root.getroottree().docinfo.URL if root is not None else None
    return Path(url).name if url else ""


def f_collection_name(_, value):
    root = next((i for i in sequence(value) if isinstance(i, etree._Element)), None)
    url = root.getroottree().docinfo.URL if root is not None else None
    return str(Path(url).parent) if url else ""


def f_document_uri(_, value=None):
    node = FRAME.get().get("root")
    url = node.getroottree().docinfo.URL if node is not None else None
    return url or ""


# The name a translated expression calls (after `pmx:`) → the function.
LIBRARY = {
    "seq": f_seq, "if": f_if, "head": f_head, "tail": f_tail, "exists": f_exists,
    "empty": f_empty, "reverse": f_reverse, "data": f_data, "string-join": f_string_join,
    "tokenize": f_tokenize, "replace": f_replace, "matches": f_matches,
    "upper-case": f_upper_case, "lower-case": f_lower_case, "ends-with": f_ends_with,
    "distinct-values": f_distinct_values, "subsequence": f_subsequence,
    "max": f_number_of("max"), "min": f_number_of("min"), "abs": f_abs, "id": f_id,
    "strings": f_strings, "var": f_var, "constant": f_constant, "serialize": f_serialize,
    "xs-date": f_xs_date, "format-date": f_format_date, "document-name": f_document_name,
    "collection-name": f_collection_name, "document-uri": f_document_uri,
    "is": f_is, "except": f_except, "intersect": f_intersect, "map": f_map, "index-of": f_index_of,
    "string-to-codepoints": f_string_to_codepoints, "codepoints-to-string": f_codepoints_to_string,
}

EXTENSIONS = {(FUNCTIONS_NS, name): function for name, function in LIBRARY.items()}

# XQuery function name (as written in ODDs) → name in LIBRARY.
XQUERY_NAMES = {name: name for name in LIBRARY
                if name not in ("seq", "if", "strings", "var", "constant", "is", "except", "intersect", "map")}
XQUERY_NAMES.update({"xs:date": "xs-date", "xs:string": "data", "util:document-name": "document-name",
                     "util:collection-name": "collection-name", "data": "data"})

# XPath 1.0 functions that lxml evaluates itself (same meaning in XPath 3.1).
XPATH1 = {"last", "position", "count", "local-name", "namespace-uri", "name", "string", "concat",
          "starts-with", "contains", "substring-before", "substring-after", "substring",
          "string-length", "normalize-space", "translate", "boolean", "not", "true", "false",
          "lang", "number", "sum", "floor", "ceiling", "round"}

# Node tests that look like calls.
NODE_TESTS = {"text", "node", "comment", "processing-instruction"}

# Prefixes of eXist-db modules that need its database or HTTP session.
DATABASE_PREFIXES = {"util", "session", "request", "response", "xmldb", "sm", "system", "console",
                     "kwic", "ft", "config", "pm-config", "nav", "pages", "app", "global", "counters"}
DATABASE_FUNCTIONS = {"collection", "doc", "doc-available", "uri-collection", "unparsed-text"}
