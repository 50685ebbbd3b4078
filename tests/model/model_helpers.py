"""Helpers for the processing-model tests: fixture paths, TEI snippets, a stub context."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
# ../shared/fixtures beside the checkout (or beside the folder of worktrees).
FIXTURES = next((p for p in (ROOT.parent / "shared" / "fixtures", ROOT.parent.parent / "shared" / "fixtures")
                 if p.is_dir()), ROOT.parent / "shared" / "fixtures")
FIXTURE_ODDS = ["teipublisher.odd", "serafin.odd", "tei_simplePrint.odd", "vangogh.odd"]
FIXTURE_TEI = ["tp-serafin-orlik-letter.xml", "teic-stylesheets-test-christmas-carol.xml",
               "teic-stylesheets-testapp2-yasna.xml", "tp-vangogh-let695.xml", "epidoc-iospe-PE3000196-greek.xml"]
EDITION_ODD = ROOT / "styles" / "edition.odd"
TEI = "http://www.tei-c.org/ns/1.0"


def fixture(*parts: str) -> Path:
    path = FIXTURES.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


def tei(xml: str):
    """A TEI element from a snippet written without the namespace declaration."""
    return etree.fromstring(re.sub(r"^<([\w:]+)", rf'<\1 xmlns="{TEI}"', xml, count=1))


class StubContext:
    """Just enough of the renderer for a behaviour: content is the node's text."""
    mode = "web"

    def __init__(self):
        self.ids: set[str] = set()
        self.numbers = 0

    def apply(self, node, content):
        out = []
        for item in content:
            if item is node:
                out.append(node.text or "")
            elif isinstance(item, etree._Element):
                out.append("".join(item.itertext()))
            else:
                out.append(str(item))
        return out

    def claim_id(self, wanted):
        if wanted in self.ids:
            return None
        self.ids.add(wanted)
        return wanted

    def new_id(self, prefix):
        return self.claim_id(f"{prefix}-{len(self.ids) + 1}")

    def next_number(self, counter):
        self.numbers += 1
        return self.numbers

    def resolve_pointer(self, uri):
        return uri.replace("bib:", "bibliography.html#")


def html(items) -> str:
    return "".join(i if isinstance(i, str) else etree.tostring(i, encoding="unicode") for i in items)
