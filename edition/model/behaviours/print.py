"""TEI nodes + ODD params → HTML for print: the web mode with notes as footnotes.

As TEI Publisher's ext-printcss.xql extends its HTML module, only what paper
needs differently is here; every other behaviour is the web one. Footnotes are
`<span class="footnote">`, which styles/css/tei.css floats to the foot of the
page (`float: footnote`, CSS GCPM §2, as WeasyPrint implements it).
"""
from __future__ import annotations

from .markup import data_attributes, element, leftover, plain, text
from .registry import PRINT

behaviour = PRINT.behaviour


@behaviour("note")
def note(ctx, node, classes, content, place=(), label=(), **optional):
    where = "margin-note" if (text(place) or node.get("place")) == "margin" else "footnote"
    return [element(ctx, "span", node, [*classes, where], ctx.apply(node, content),
                    data_attributes(optional))]


@behaviour("alternate")
def alternate(ctx, node, classes, content, default=None, alternate=(), **optional):
    """The default reading in the text, the other one in a footnote (with the
    children neither param holds, as on the web)."""
    wrapper = element(ctx, "span", node, ["alternate", *classes], attrs=data_attributes(optional))
    reading = ctx.apply(node, content if default is None else default)
    other = ctx.apply(node, alternate)
    rest = ctx.apply(node, leftover(node, content if default is None else default, alternate))
    if not _shown(reading) and not _shown(other):
        reading, rest = rest, []
    other = [*other, *([" "] if other and rest else []), *rest]
    wrapper.append(element(ctx, "span", None, ["alternate-default"], reading))
    if _shown(other):
        wrapper.append(element(ctx, "span", None, ["footnote", "alternate-content"], other))
    return [wrapper]


def _shown(items) -> bool:
    return bool(plain(items).strip()) or any(not isinstance(i, str) for i in items)
