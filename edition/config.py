"""tei/edition.xml's header → the edition's settings: everything pages and the book say about the edition.

The header is the configuration, so that an edition is configured in TEI
like the rest of its files: the title and subtitle (titleStmt/title), the
editors (titleStmt/editor), the languages (profileDesc/langUsage), the
subject keywords (profileDesc/textClass/keywords/term), and, in
encodingDesc/appInfo/application[@ident='edition'], the order of the
sources (ptr[@type='sources']), the files kept to the house encoding
(ptr[@type='house-profile']: our schema and rules apply to them, tei_all
to every file), and the edition's own wording for pages (desc[@type]).
An edition without edition.xml, or with none of these, gets neutral defaults.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .xmlio import NS, XML_LANG

APPLICATION = "tei:teiHeader/tei:encodingDesc/tei:appInfo/tei:application[@ident='edition']"
WORDING = {  # desc[@type] → what pages say when the edition does not say it
    "synopsis-heading": "The sources side by side, by event",
    "figures": "Every figure the sources give, by kind",
    "how-to-read": "the sources side by side",
    "alignment": "its translation, where it has one, unit by unit",
    "book-editors": "",  # default: "Edited by" the editors
}


@dataclass
class EditionConfig:
    title: str = "Edition"
    subtitle: str = ""
    editors: list[str] = field(default_factory=list)
    languages: list[tuple[str, str]] = field(default_factory=list)  # (ident, name), langUsage order
    keywords: list[str] = field(default_factory=list)
    source_order: list[Path] = field(default_factory=list)
    house: list[Path] = field(default_factory=list)  # files and folders (ending in /) of the house profile
    wording: dict[str, str] = field(default_factory=lambda: dict(WORDING))
    lang: str = "en"

    @classmethod
    def read(cls, root, tei_dir: Path) -> "EditionConfig":
        """The settings of an edition.xml (its parsed root); tei_dir resolves the pointers."""
        text = lambda path: " ".join("".join(root.xpath(f"string({path})", namespaces=NS)).split())  # noqa: E731
        config = cls(title=text(".//tei:titleStmt/tei:title[@type='main']") or
                     text(".//tei:titleStmt/tei:title") or "Edition",
                     subtitle=text(".//tei:titleStmt/tei:title[@type='sub']"),
                     lang=root.get(XML_LANG) or "en")
        config.editors = [" ".join("".join(e.itertext()).split())
                          for e in root.iterfind(".//tei:titleStmt/tei:editor", NS)]
        config.languages = [(lang.get("ident"), " ".join("".join(lang.itertext()).split()))
                            for lang in root.iterfind(".//tei:profileDesc/tei:langUsage/tei:language", NS)]
        config.keywords = [" ".join("".join(t.itertext()).split())
                           for t in root.iterfind(".//tei:profileDesc/tei:textClass/tei:keywords/tei:term", NS)]
        for application in root.xpath(APPLICATION, namespaces=NS):
            config.source_order += _pointers(application, "sources", tei_dir)
            config.house += _pointers(application, "house-profile", tei_dir)
            for desc in application.iterfind("tei:desc[@type]", NS):
                config.wording[desc.get("type")] = " ".join("".join(desc.itertext()).split())
        config.wording["book-editors"] = config.wording["book-editors"] or f"Edited by {config.editors_line}"
        return config

    def in_house_profile(self, path: Path) -> bool:
        path = Path(path).resolve()
        return any(path == p or (p.is_dir() and p in path.parents) for p in self.house)

    @property
    def language_names(self) -> list[str]:
        return [name or ident for ident, name in self.languages]

    @property
    def editors_line(self) -> str:
        return ", ".join(self.editors) or "the editors"


def _pointers(application, kind: str, tei_dir: Path) -> list[Path]:
    return [(tei_dir / target).resolve()
            for ptr in application.iterfind(f"tei:ptr[@type='{kind}']", NS)
            for target in (ptr.get("target") or "").split()]
