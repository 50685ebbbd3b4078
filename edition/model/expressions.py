"""ODD predicates and param values → expressions compiled once, evaluated on TEI nodes.

`Expression.compile` translates the XQuery of an ODD (xquery.py) and compiles
every XPath 1.0 part with lxml once; `let`, `for`, `try` and top-level
sequences and conditionals run as small Python steps around those parts.
Evaluation needs an `Env`: the values of `$parameters?…` (as lxml variables)
and, through functions.FRAME, the document's xml:id index.
"""
from __future__ import annotations

import copy
import re
from typing import Callable

from lxml import etree

from ..records import Factory, Record
from ..xmlio import XML_NS as XML
from .functions import EXTENSIONS, FRAME, FUNCTIONS_NS, PREFIX, atom_text, items, sequence
from .code import PARAMETER, Code, Construct, Flwor, For, If, Let, Logic, Seq, Translation, Try, X, XQueryError
from .boolean import compile_test
from .native import Document, attributes_read, compile_native

NATIVE = True  # evaluate what native.py implements without libxml2 (tests compare the two)

Run = Callable[[object, "Env"], object]


class Env(Record):
    """What an expression sees besides its context node."""
    variables: dict = Factory(dict)  # lxml variables: param.mode → value

    @classmethod
    def of(cls, parameters: dict, names) -> "Env":
        """Every parameter the model refers to gets a value; missing ones are ''
        (XQuery's empty sequence compares false and has the boolean value false)."""
        return cls({PARAMETER + name: _variable(parameters.get(name, "")) for name in names})


def _variable(value):
    if isinstance(value, (bool, float, str)):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, etree._Element):
        return [value]
    if value is None:
        return ""
    return list(value) if all(isinstance(v, etree._Element) for v in value) else " ".join(map(str, value))


class Expression:
    """One compiled predicate or param value."""

    def __init__(self, source: str, translation: Translation, namespaces: dict[str, str],
                 predicate: bool = False):
        self.source = source
        self.literal = translation.code.literal if isinstance(translation.code, X) else None
        self.where: tuple[str, int, int] | None = None  # the ODD's path, line, column (set by odd.py)
        self.warnings = translation.warnings
        self.parameters = translation.parameters
        self.constants = translation.constants
        self._namespaces = {**namespaces, PREFIX: FUNCTIONS_NS}
        code = translation.code
        if predicate and isinstance(code, X):  # one call into libxml2, a boolean out
            code = X(f"boolean({code.text})")
        self._code = code
        self._run = self._compile(code)  # at once: an XPath that does not compile is the ODD's warning

    # --- a compiled ODD kept between runs (compiled.py): the translation is kept,
    # the XPath (lxml objects, which do not pickle) is compiled again when first used
    def __getstate__(self) -> dict:
        return {name: value for name, value in self.__dict__.items() if name != "_run"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._run = self._compile_when_used
        self._checked = True  # compiled before: its XPath compiles, so lxml may compile it when first needed

    def _compile_when_used(self, node, env):
        self._run = self._compile(self._code)
        return self._run(node, env)

    @classmethod
    def compile(cls, source: str, namespaces: dict[str, str], default_ns: str,
                predicate: bool = False) -> "Expression":
        """Raises XQueryError when the expression does not parse or compile."""
        from .xquery import translate  # only to compile: a model kept compiled (compiled.py) needs no parser
        return cls(source, translate(source, namespaces, default_ns), namespaces, predicate)

    @property
    def keyed_by(self) -> tuple[str, ...] | None:
        """The attributes of the context node that are all this expression reads of it,
        when it is more than one XPath (a for, let, sequence or element constructor):
        its value is then the same on every element of a document with the same values
        of them, and engine.Renderer keeps it. None: evaluated on each element."""
        found = self.__dict__.get("_keyed_by", False)
        if found is False:
            attributes = None if isinstance(self._code, X) else _attributes_read(self._code, self._namespaces)
            found = self.__dict__["_keyed_by"] = tuple(sorted(attributes)) if attributes is not None else None
        return found

    def evaluate(self, node, env: Env) -> list:
        """The value as a sequence: elements, strings, numbers, booleans."""
        if not self.constants:
            return sequence(self._run(node, env))
        token = FRAME.set({**FRAME.get(), "constants": self.constants})
        try:
            return sequence(self._run(node, env))
        finally:
            FRAME.reset(token)

    def test(self, node, env: Env) -> bool:
        """The effective boolean value (XPath 3.1 §2.4.3)."""
        if not self.constants:
            value = self._run(node, env)
            if value is True or value is False:  # a compiled boolean(…): the common predicate
                return value
            return effective_boolean(sequence(value))
        return effective_boolean(self.evaluate(node, env))

    # --- compilation
    def _compile(self, code: Code) -> Run:
        if isinstance(code, X):
            return self._xpath(code.text)
        if isinstance(code, Seq):
            members = [self._compile(m) for m in code.members]
            return lambda node, env: items(*(run(node, env) for run in members))
        if isinstance(code, If):
            return self._if(code)
        if isinstance(code, Let):
            return self._let(code)
        if isinstance(code, For):
            return self._for(code)
        if isinstance(code, Try):
            return self._try(code)
        if isinstance(code, Logic):
            return self._logic(code)
        if isinstance(code, Flwor):
            return self._flwor(code)
        if isinstance(code, Construct):
            return self._construct(code)
        raise TypeError(code)

    def _xpath(self, text: str) -> Run:
        shortcut = _shortcut(text)
        if shortcut is not None:
            return shortcut
        general = self._general(text)  # first: an XPath that does not compile is the ODD's warning
        test = compile_test(text, self._namespaces) if NATIVE and text.startswith("boolean(") else None
        if test is None:
            return general
        element = etree._Element
        return lambda node, env: test(node) if type(node) is element else general(node, env)  # noqa: E731

    def _general(self, text: str) -> Run:
        """native.py's evaluation, lxml's where it has none (see _xpath)."""
        if (self.__dict__.get("_checked") and NATIVE and text not in self.__dict__.get("_refused", ())
                and (native := compile_native(text, self._namespaces))):
            run = self._lxml_when_needed(text)  # most calls never need lxml: its XPath compiled on the first that does
        else:
            run = self._lxml(text)  # at once: an XPath that does not compile is the ODD's warning
            if not NATIVE:
                return run
            native = None  # compiled when first evaluated: most of an ODD's models never are in a render
        reaches_document = "(/)" in text or ".." in text or "node()" in text
        made = [native]

        def evaluate(node, env):
            native = made[0]
            if native is None:
                native = made[0] = compile_native(text, self._namespaces) or run
                if native is run:
                    return run(node, env)
            elif native is run:
                return run(node, env)
            try:
                value = native(node, env)
            except Exception:  # Fallback, or an error lxml is to report in its own words
                return run(node, env)
            if reaches_document and type(value) is list and any(isinstance(i, Document) for i in value):
                return run(node, env)  # the document node itself: as lxml hands it over
            return value
        return evaluate

    def _lxml(self, text: str) -> Run:
        """The XPath compiled by lxml (XQueryError when it does not compile)."""
        try:
            compiled = etree.XPath(text, namespaces=self._namespaces, extensions=EXTENSIONS)
        except etree.XPathSyntaxError as problem:
            self.__dict__.setdefault("_refused", set()).add(text)  # kept with the expression: see _xpath
            raise XQueryError(f"does not compile as XPath 1.0 ({problem}): {text}", 0) from None
        names = sorted(set(re.findall(rf"\$({re.escape(PARAMETER)}[\w.\-]+)", text)))
        if not names:  # registering variables costs more than most expressions
            return lambda node, env: compiled(node)  # noqa: E731
        return lambda node, env: compiled(node, **{n: env.variables[n] for n in names})  # noqa: E731

    def _lxml_when_needed(self, text: str) -> Run:
        made = []

        def run(node, env):
            if not made:
                made.append(self._lxml(text))
            return made[0](node, env)
        return run

    def _if(self, code: If) -> Run:
        try:
            test = self._xpath(f"boolean({code.test.xpath()})")
        except Exception:  # a Python step in the test: evaluate it in Python
            inner = self._compile(code.test)
            test = lambda node, env: effective_boolean(sequence(inner(node, env)))  # noqa: E731
        then, otherwise = self._compile(code.then), self._compile(code.otherwise)
        return lambda node, env: then(node, env) if test(node, env) else otherwise(node, env)

    def _logic(self, code: Logic) -> Run:
        tests = [self._compile(operand) for operand in code.operands]
        combine = any if code.operator == "or" else all
        return lambda node, env: combine(effective_boolean(sequence(test(node, env))) for test in tests)

    def _let(self, code: Let) -> Run:
        value, body = self._compile(code.value), self._compile(code.body)

        def run(node, env):
            return _bound(code.name, value(node, env), lambda: body(node, env))
        return run

    def _for(self, code: For) -> Run:
        source, body, name = self._compile(code.source), self._compile(code.body), code.name

        def run(node, env):
            """items(*(_bound(name, [item], body) for item in source)), the frame set once:
            its variable is rebound for each item (every value is made before the next)."""
            values = sequence(source(node, env))
            if not values:
                return []
            frame = FRAME.get()
            variables = {**frame.get("variables", {})}
            token = FRAME.set({**frame, "variables": variables})
            out = []
            try:
                for item in values:
                    variables[name] = [atom_text(item)] if isinstance(item, (bool, float, int)) else [item]
                    for value in sequence(body(node, env)):
                        out.append(atom_text(value) if isinstance(value, (bool, float, int)) else value)
            finally:
                FRAME.reset(token)
            return out
        return run

    def _flwor(self, code: Flwor) -> Run:
        """The clauses as transformations of a list of bindings (XQuery 3.1 §3.12.1)."""
        steps = [_CLAUSES[clause[0]](self, clause) for clause in code.clauses]
        body = self._compile(code.body)

        def run(node, env):
            tuples = [{}]
            for step in steps:
                tuples = step(tuples, node, env)
            return items(*(_binding(t, lambda: body(node, env)) for t in tuples))
        return run

    def _construct(self, code: Construct) -> Run:
        parts = [self._compile(c) for c in code.enclosed]
        template = code.template
        # Where the holes are, found once: (element's place in iter() order, attribute, text).
        in_attributes = [(place, name, text) for place, each in enumerate(template.iter())
                         for name, text in each.attrib.items() if "\ue000" in text]
        in_content = any(True for _ in template.iter("pmx-enclosed"))

        def run(node, env):
            element = template.__copy__()  # lxml copies deep (what copy.deepcopy calls)
            if in_attributes:
                value = lambda m: " ".join(atom_text(i) for i in sequence(parts[int(m[1])](node, env)))  # noqa: E731
                every = list(element.iter())
                for place, name, text in in_attributes:
                    every[place].set(name, HOLE.sub(value, text))
            if in_content:
                for hole in list(element.iter("pmx-enclosed")):
                    _fill(hole, sequence(parts[int(hole.get("n"))](node, env)))
            return [element]
        return run

    def _try(self, code: Try) -> Run:
        body, fallback = self._compile(code.body), self._compile(code.fallback)

        def run(node, env):
            try:
                return body(node, env)
            except Exception:  # XQuery `catch *`: any dynamic error
                return fallback(node, env)
        return run


def _attributes_read(code: Code, namespaces: dict) -> set | None:
    """native.attributes_read over every XPath of a translated expression (None: more is read)."""
    if isinstance(code, X):
        return attributes_read(code.text, namespaces)
    if isinstance(code, (Seq, Logic)):
        parts = code.members if isinstance(code, Seq) else code.operands
    elif isinstance(code, If):
        parts = [code.test, code.then, code.otherwise]
    elif isinstance(code, Let):
        parts = [code.value, code.body]
    elif isinstance(code, For):
        parts = [code.source, code.body]
    elif isinstance(code, Try):
        parts = [code.body, code.fallback]
    elif isinstance(code, Construct):
        parts = code.enclosed
    elif isinstance(code, Flwor):
        parts = [code.body]
        for clause in code.clauses:
            if clause[0] in ("for", "let"):
                parts.append(clause[2])
            elif clause[0] == "where":
                parts.append(clause[1])
            elif clause[0] == "group":
                parts.extend(c for _, c in clause[1])
            elif clause[0] == "order":
                parts.extend(c for c, _ in clause[1])
            else:
                return None
    else:
        return None
    found = set()
    for part in parts:
        read = _attributes_read(part, namespaces)
        if read is None:
            return None
        found |= read
    return found


HOLE = re.compile("\ue000(\\d+)\ue001")
ATTRIBUTE = re.compile(r"^@(xml:)?([A-Za-z_][\w.\-]*)$")
TEST = re.compile(r"""^boolean\(\(?@([A-Za-z_][\w.\-]*)(?: = (?:"([^"]*)"|'([^']*)'))?\)?\)$""")
LITERAL = re.compile(r"""^(?:"([^"]*)"|'([^']*)')$""")


def _shortcut(text: str) -> Run | None:
    """The commonest expressions (@ref, ., 'x', @type = 'x') without a call into libxml2."""
    if text == ".":
        return lambda node, env: [node]
    if match := ATTRIBUTE.match(text):
        name = f"{{{XML}}}{match[2]}" if match[1] else match[2]
        return lambda node, env: [v] if (v := node.get(name)) is not None else []
    if match := LITERAL.match(text):
        value = match[1] if match[1] is not None else match[2]
        return lambda node, env: value
    if match := TEST.match(text):
        name, wanted = match[1], match[2] if match[2] is not None else match[3]
        if wanted is None:
            return lambda node, env: name in node.attrib
        return lambda node, env: node.get(name) == wanted
    return None


def _for_clause(expression, clause):
    keyword, name, value = clause
    source = expression._compile(value)
    if keyword == "let":
        return lambda tuples, node, env: [{**t, name: _binding(t, lambda: source(node, env))} for t in tuples]
    return lambda tuples, node, env: [{**t, name: [item]} for t in tuples
                                      for item in sequence(_binding(t, lambda: source(node, env)))]


def _where_clause(expression, clause):
    test = expression._compile(clause[1])
    return lambda tuples, node, env: [t for t in tuples
                                      if effective_boolean(sequence(_binding(t, lambda: test(node, env))))]


def _group_clause(expression, clause):
    """Tuples with equal keys become one; the other variables hold all their values."""
    keys = [(name, expression._compile(code)) for name, code in clause[1]]

    def step(tuples, node, env):
        groups: dict = {}
        for t in tuples:
            key = tuple(" ".join(atom_text(i) for i in sequence(_binding(t, lambda: run(node, env))))
                        for _, run in keys)
            groups.setdefault(key, []).append(t)
        out = []
        for key, members in groups.items():
            joined = {name: [v for m in members for v in sequence(m[name])] for name in members[0]}
            out.append({**joined, **{name: [value] for (name, _), value in zip(keys, key)}})
        return out
    return step


def _order_clause(expression, clause):
    keys = [(expression._compile(code), descending) for code, descending in clause[1]]

    def step(tuples, node, env):
        for run, descending in reversed(keys):  # stable sorts, last key first
            tuples = sorted(tuples, reverse=descending,
                            key=lambda t: _sort_key(sequence(_binding(t, lambda: run(node, env)))))
        return tuples
    return step


_CLAUSES = {"for": _for_clause, "let": _for_clause, "where": _where_clause,
            "group": _group_clause, "order": _order_clause}


def _sort_key(value: list):
    text = atom_text(value[0]) if value else ""
    try:
        return (0, float(text), "")
    except ValueError:
        return (1, 0.0, text)


def _binding(bindings: dict, then: Callable):
    if not bindings:
        return then()
    frame = FRAME.get()
    token = FRAME.set({**frame, "variables": {**frame.get("variables", {}),
                                              **{n: _storable(v) for n, v in bindings.items()}}})
    try:
        return then()
    finally:
        FRAME.reset(token)


def _fill(hole, values: list) -> None:
    """Put an enclosed expression's value where it stood: nodes copied, atoms as text."""
    parent, items_ = hole.getparent(), []
    for value in values:
        if isinstance(value, etree._Element):
            value = copy.deepcopy(value)
            value.tail = None  # the copy is the node, not the text after it
        items_.append(value if isinstance(value, etree._Element) else atom_text(value))
    position = parent.index(hole)
    previous = parent[position - 1] if position else None
    text = ""
    for item in items_:
        if isinstance(item, str):
            text += (" " if text else "") + item
    parent.remove(hole)
    for offset, item in enumerate(i for i in items_ if not isinstance(i, str)):
        parent.insert(position + offset, item)
    tail = text + (hole.tail or "")
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail


def _bound(name: str, value, then: Callable):
    frame = FRAME.get()
    token = FRAME.set({**frame, "variables": {**frame.get("variables", {}), name: _storable(value)}})
    try:
        return then()
    finally:
        FRAME.reset(token)


def _storable(value):
    """A value that an extension function may hand back to lxml."""
    if isinstance(value, list):
        return items(*value)
    return value


def effective_boolean(value: list) -> bool:
    if not value:
        return False
    first = value[0]
    if isinstance(first, etree._Element) or len(value) > 1:
        return True
    if isinstance(first, (bool, float, int)):
        return bool(first)
    return str(first) != ""
