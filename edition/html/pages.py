"""View-models + templates (styles/templates) → the pages of build/html/.

TEI content is rendered through the processing model (web mode) by the
`render` callable; everything else on a page is layout in the templates.
Page names are flat (index.html, pl-khasan.html, persons.html …) so that the
site works from any static host and straight from disk (file://).

An edition of more than MANY_SOURCES sources is split so that no page grows with
the number of sources: the navigation links to a paginated index of the sources
(sources.html, sources-2.html …) instead of listing them, the apparatus is one
page per source (apparatus-ID.html), the synopsis one page per event
(synopsis-EVENT.html, PER_PAGE sources a page), and a register entry's
occurrences a page of their own (persons-ID.html …). A smaller edition keeps its
single pages.
"""
from __future__ import annotations

import dataclasses
import json
import math
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined

from ..resources import Styles
from ..sorting import fold, natural_key
from lxml import html as lxml_html
from markupsafe import Markup, escape

from ..safety import safe_link, site_url
from ..xmlio import NS, XML_ID
from .collect import EditionView, Pair, Problem, text_of
from .collect.view import Event
from .collect.registers import pointers
from .geography import CACHE_SWITCH as MAP_CACHE_SWITCH, KeptGeography, atlas_folders, find_atlas
from .graphics import map_svg, overview_svg, timeline_svg
from .citation import citation_of
from .figures import figures_by_event
from .fonts import write_fonts
from .exports import export_names, tei_path, write_exports
from .references import SourceReferences, paragraph_number
from .output import SiteFiles
from .search import write_search
from . import kept

LAYERS = [("person", "People"), ("place", "Places"), ("organisation", "Organisations"),
          ("date", "Dates"), ("number", "Figures"), ("problem", "Factual problems")]
KIND_LABELS = {"person": "person", "place": "place", "org": "organisation or unit"}
REGISTER_PAGES = {"person": ("persons.html", "People"), "place": ("places.html", "Places"),
                  "org": ("organisations.html", "Organisations and military units")}
AUTHORITIES = {"wikidata": "https://www.wikidata.org/wiki/{}", "geonames": "https://www.geonames.org/{}",
               "viaf": "https://viaf.org/viaf/{}"}

# Above this many sources the pages that grow with them are split (see the module's docstring).
MANY_SOURCES = 12
PER_PAGE = 12            # sources per page of an event's sentences or an entry's occurrences
SOURCES_PER_INDEX = 100  # rows per page of the index of the sources

Render = Callable[..., str]
# The map's close-ups: the place at the centre, its reach in degrees of latitude, the caption.
INSETS = [("lake-khasan", 0.45, "Lake Khasan, 1938: where the Soviet, Manchukuo and Korean borders met"),
          ("khalkhin-gol-river", 0.8, "Khalkhin Gol (Nomonhan), 1939: the river and the disputed border")]


class SiteWriter:
    def __init__(self, view: EditionView, render: Render, styles: Styles, out: Path, built: str,
                 pdf: str | None = None, parts=None, files: SiteFiles | None = None):
        """`pdf`: the PDF's file name beside the pages, when the build makes one (it is linked).
        `files` (output.SiteFiles): how files are written into `out` (default: plainly).
        `parts` (pipeline.parts.SiteParts): each source's page is taken from the parts cache
        when nothing it reads has changed (an incremental build), else made and kept."""
        self.view, self._render, self.styles, self.out = view, render, styles, out
        self.built, self.pdf, self.parts = built, pdf, parts
        self.files = files if files is not None else SiteFiles(out)
        self.citation = citation_of(view, built)
        self.large = len(view.sources) > MANY_SOURCES
        self._names: set[str] | None = None  # the pages write_all has written (see _claim)
        self._left: list[Path] = []  # the last build's pages left in place (_write): their characters count
        self.references = {s.id: SourceReferences(s, page_of(s)) for s in view.sources}
        self._templates = kept_templates()
        self.env = Environment(loader=FileSystemLoader(styles.template_dirs()), autoescape=True,
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                               bytecode_cache=self._templates, auto_reload=False)  # one build: no stat per include
        self.env.globals.update(
            view=view, built=built, licence="Editorial matter CC BY 4.0", ns=NS, layers=LAYERS,
            kind_labels=KIND_LABELS, render=self.render, page_of=page_of, page_of_id=site_url,
            text_of=text_of, render_sentence=self.render_sentence,
            render_evidence=self.render_evidence, target_text=self.target_text,
            source_lang=self.source_lang, source_label=self.source_label, entry_facts=entry_facts,
            register_page=lambda kind: REGISTER_PAGES[kind][0], event_dates=event_dates,
            event_labels=self.event_labels, authority_link=authority_link, current=None, page="",
            citation=self.citation, pdf=pdf, render_note=self.render_note,
            render_translation=self.render_translation, contents=self.contents,
            paragraph_number=paragraph_number, downloads=self.downloads, source=None,
            large=self.large, apparatus_of=self.apparatus_of, synopsis_of=self.synopsis_of,
            occurrences_of=self.occurrences_of, neighbours=self.neighbours, pager=None, of_source=None,
            sources_per_index=SOURCES_PER_INDEX, problems_by_source=problems_by_source,
            problems_of=self.problems_of,
            sources_index_page=lambda position: numbered("sources", (position - 1) // SOURCES_PER_INDEX))

    # --- rendering helpers used by the templates ---------------------------------
    def render(self, element, content_only: bool = False) -> Markup:
        if element is None:
            return Markup("")
        return Markup(site_links(self._render(element, content_only=content_only)))

    def render_sentence(self, pair: Pair) -> Markup:
        """The sentence through the ODD, with a marker after each passage that
        a factual-problem note targets (the marker opens the note)."""
        rendered = site_links(self._render(pair.original, content_only=True))
        if not pair.problems:
            return Markup(rendered)
        fragment = lxml_html.fragment_fromstring(rendered or "", create_parent="span")
        for problem in pair.problems:
            marker = lxml_html.fragment_fromstring(
                f'<button type="button" class="fp-marker" popovertarget="pop-{escape(problem.id)}" '
                f'aria-label="Factual problem {problem.label}: {escape(problem.category_label)}">'
                f"{problem.number}</button>")
            place_after_passage(fragment, problem.target_id, marker, highlight=True)
        return Markup(inner_html(fragment))

    def render_note(self, element, source_id: str) -> Markup:
        """An editors' note of a source, its "s39" and "paragraph 6" made links."""
        rendered = self.render(element, content_only=True)
        references = self.references.get(source_id)
        return Markup(references.link(str(rendered))) if references else rendered

    def render_translation(self, pair: Pair, source) -> Markup:
        """The English sentence; the references in its translator's notes are links."""
        rendered = str(self.render(pair.translation, content_only=True))
        return Markup(self.references[source.id].link(rendered, within="note-content"))

    def contents(self, source) -> list[tuple[str, int, str]]:
        """The contents of a long source: each paragraph with the events it narrates
        (their register labels), or else its first words in translation."""
        labels = {e.id: e.label for e in self.view.events}
        items = []
        for position, paragraph in enumerate(source.paragraphs, start=1):
            events = list(dict.fromkeys(e for pair in paragraph.pairs for e in pair.events if e in labels))
            if events:
                label = "; ".join(labels[e] for e in events)
            else:
                first = next((p for p in paragraph.pairs), None)
                words = text_of(first.translation if first and first.translation is not None else
                                first.original if first else None).split()
                label = " ".join(words[:10]) + (" …" if len(words) > 10 else "")
            items.append((paragraph.id, paragraph_number(paragraph, position), label))
        return items

    def downloads(self, source) -> list[tuple[str, str, str]]:
        """(label, href, type) of what a reader can take away from a source page."""
        names = export_names(source)
        links = [("TEI XML", tei_path(self.view, source.document.path), "application/tei+xml"),
                 ("Markdown (original and translation)" if source.parallel else "Markdown", names["markdown"],
                  "text/markdown"),
                 (f"Plain text ({source.language})" if source.lang else "Plain text", names["text"], "text/plain")]
        if source.parallel:  # the translation's own language (xml:lang, langUsage), not an assumed English
            links.append((f"Plain text ({source.translation_language or 'translation'})",
                          names["translation-text"], "text/plain"))
        if self.pdf:
            links.append(("PDF of the whole edition", self.pdf, "application/pdf"))
        return links

    def render_evidence(self, bibl) -> Markup:
        """A bibl of evidence: pointers into the bibliography become the full reference."""
        parts = []
        for ptr in bibl.xpath("tei:ptr[@target]", namespaces=NS):
            target = ptr.get("target")
            work = self._bibliography().get(target.split(":", 1)[-1].lstrip("#"))
            label = self.render(work, content_only=True) if work is not None else escape(target)
            parts.append(Markup('<a href="bibliography.html#{}">{}</a>').format(target.split(":", 1)[-1], label))
        rest = [c for c in bibl if c.tag != "{http://www.tei-c.org/ns/1.0}ptr"]
        if rest or (bibl.text and bibl.text.strip()):
            copy = bibl.__copy__()
            for ptr in copy.xpath("tei:ptr", namespaces=NS):
                ptr.getparent().remove(ptr)
            parts.append(self.render(copy, content_only=True))
        return Markup(" ").join(parts)

    def _bibliography(self) -> dict:
        if not hasattr(self, "_bibl"):
            self._bibl = {b.get(XML_ID): b for b in self.view.bibliography}
        return self._bibl

    def target_text(self, problem: Problem) -> str:
        return text_of(problem.target)

    def _source(self, source_id: str):
        if not hasattr(self, "_sources"):  # a dict: the registers ask once per occurrence
            self._sources = {s.id: s for s in self.view.sources}
        return self._sources.get(source_id)

    def source_lang(self, source_id: str) -> str:
        source = self._source(source_id)
        return source.lang if source is not None else "und"

    def source_label(self, source_id: str) -> str:
        source = self._source(source_id)
        return f"{source.language}: {source.title}" if source is not None else source_id

    def event_labels(self, ids) -> str:
        labels = {e.id: e.label for e in self.view.events}
        return "; ".join(labels.get(i, i) for i in ids)

    # --- a source's share of a corpus-wide page, kept (html/kept.py) ----------------
    def problems_of(self, source_id: str, problems) -> Markup:
        """The apparatus's items for one source's problems (apparatus-problems.html): made once
        per version of the source (and of what every page reads), joined into the page."""
        source = self._source(source_id)
        key = self.parts.source_key(self.view, source, "fragment", "apparatus-problems.html") \
            if self.parts is not None and self.parts.enabled and source is not None else None
        return self.fragment("apparatus-problems.html", key, problems=problems)

    def fragment(self, template: str, key: str | None, **context) -> Markup:
        """`template` rendered with `context` (and the templates' globals) within the page being
        rendered; kept under `key` (what it reads), made with the build time as the placeholder."""
        def make(built: str) -> str:
            return self.env.get_template(template).render(built=built, citation=citation_of(self.view, built),
                                                          **context)
        if key is None:
            return Markup(make(self.built))
        made = kept.take(self.parts.cache, self._render, key, lambda: make(self.parts.placeholder))
        return Markup(self.parts.stamped(made.encode("utf-8"), self.built).decode("utf-8"))

    # --- where things are, in a small edition and in a split one --------------------
    def apparatus_of(self, source_id: str) -> str:
        """The fact-check page of a source's problems."""
        return site_url(f"apparatus-{source_id}") if self.large else f"apparatus.html?source={source_id}"

    def synopsis_of(self, event_id: str) -> str:
        """Where the sources' sentences on an event are shown side by side."""
        return site_url(f"synopsis-{event_id}") if self.large else f"synopsis.html#{event_id}"

    def occurrences_of(self, entry) -> str:
        """The (first) page of a register entry's occurrences in a split edition."""
        return site_url(f"{REGISTER_PAGES[entry.kind][0].removesuffix('.html')}-{entry.id}")

    def neighbours(self, source) -> tuple:
        """(position from 1, the source before, the source after) in the edition's order."""
        if not hasattr(self, "_positions"):
            self._positions = {s.id: i for i, s in enumerate(self.view.sources)}
        i, sources = self._positions[source.id], self.view.sources
        return i + 1, sources[i - 1] if i else None, sources[i + 1] if i + 1 < len(sources) else None

    # --- pages -------------------------------------------------------------------
    def write_all(self, beside=None) -> list[Path]:
        """Every page, the assets, the data files (write_data) and the fonts. `beside`
        (html/beside.py): the data files are being written by another process, waited for
        before the fonts (they are cut to the characters of the search data too)."""
        self._names = set()
        written = [self.kept_page("index.html", "index.html", lambda: dict(front=self.view.front), self.data_key(lambda: (
            "index", None if self.large else [source_row(s) for s in self.view.sources])))]
        for source in self.view.sources:
            written.append(self.source_page(source))
        if self.large:
            written.extend(self.sources_pages())
            written.extend(self.synopsis_pages())
        else:
            figures = figures_by_event(self.view)
            written.append(self.kept_page("synopsis.html", "synopsis.html", lambda: dict(
                figures=figures, source_of={s.id: s for s in self.view.sources}), self.data_key(lambda: (
                "synopsis", [event_sentences(e) for e in self.view.events], figures_data(figures)))))
        for kind, (name, heading) in REGISTER_PAGES.items():
            entries = self.view.entries[kind]
            written.append(self.kept_page(name, "register.html", lambda: dict(
                entries=entries, heading=heading, page=name.removesuffix(".html")),
                self.data_key(lambda: ("register", kind, [entry_data(e, not self.large) for e in entries]))))
            if self.large:
                written.extend(self.occurrence_pages(kind, heading))
        counts = Counter(p.category for p in self.view.problems)
        written.append(self.page("apparatus.html", "apparatus.html", category_counts=sorted(counts.items()),
                                 problems=[] if self.large else self.view.problems))
        if self.large:
            for source in self.view.sources:
                if source.problems:
                    written.append(self.apparatus_page(source))
        written.append(self.kept_page("timeline.html", "timeline.html", lambda: dict(
            timeline=Markup(timeline_svg(self.view.events, lambda e: f"#{e.id}")),
            overview=Markup(overview_svg(self.view.events))),
            self.data_key(lambda: ("timeline", [[e.id, {sid: len(pairs) for sid, pairs in e.sentences.items()}]
                                       for e in self.view.events]))))
        written.append(self.kept_page("map.html", "map.html", lambda: self.maps(), self.parts and self.parts.key(
            self.view, "map", self.pdf, [(e.id, len(e.occurrences)) for e in self.view.entries["place"]])))
        # the map: the places register, the atlas, and how often the sources name each place
        written.append(self.page("search.html", "search.html"))
        written.append(self.page("bibliography.html", "bibliography.html", works=works_cited(self.view.bibliography)))
        self.write_assets()
        if beside is None:
            self.write_data()
        else:
            beside.wait()
        write_fonts(self.out, self.parts.cache if self.parts else None,  # last: the characters of every page
                    pages=self._left, files=self.files)
        if self._templates is not None:
            self._templates.cache.finish()
        return written

    def data_key(self, data: Callable[[], tuple]) -> str | None:
        """The key of a corpus-wide page made from `data()` (what the page reads of the sources, as
        JSON: event_sentences, entry_data …) and what every page reads (parts.SiteParts.key: the
        registers, styles, package, the navigation; and the PDF link). None without parts (and
        then `data` is not asked for: a build without the cache does not gather it)."""
        if self.parts is None or not self.parts.enabled:
            return None
        return self.parts.key(self.view, self.pdf, json.dumps(data(), ensure_ascii=False, default=_no_object))

    # --- the pages of a split edition (more than MANY_SOURCES sources) -------------
    def sources_pages(self) -> list[Path]:
        """The index of the sources, SOURCES_PER_INDEX rows a page."""
        chunks = chunked(self.view.sources, SOURCES_PER_INDEX)
        names = [numbered("sources", k) for k in range(len(chunks))]
        return [self.kept_page(name, "sources.html", lambda rows=rows, k=k: dict(
                    rows=rows, first=k * SOURCES_PER_INDEX + 1, page="sources", pager=pager(names, k)),
                    self.data_key(lambda: ("sources", k, len(chunks), [source_row(s) for s in rows])))
                for k, (name, rows) in enumerate(zip(names, chunks))]

    def synopsis_pages(self) -> list[Path]:
        """synopsis.html lists the events; each event's sentences and figures are on its own
        pages, PER_PAGE sources a page (the figures tied to no event: synopsis-no-event.html)."""
        source_of = {s.id: s for s in self.view.sources}
        order = {s.id: i for i, s in enumerate(self.view.sources)}
        figures = {(event.id if event is not None else None): sides for event, sides in figures_by_event(self.view)}
        narrated = [e for e in self.view.events if e.sentences]
        written = [self.page("synopsis.html", "synopsis-index.html", narrated=narrated,
                             figures_apart=None in figures, figure_events=set(figures), per_page=PER_PAGE)]
        for event in narrated + ([None] if None in figures else []):
            sides = figures.get(event.id if event is not None else None, [])
            if event is not None:
                ids = sorted(event.sentences, key=order.get)
            else:
                ids = sorted({f.source_id for _, kinds in sides for _, items in kinds for f in items}, key=order.get)
            chunks = chunked(ids, PER_PAGE)
            stem = f"synopsis-{event.id}" if event is not None else "synopsis-no-event"
            names = [numbered(stem, k) for k in range(len(chunks))]
            for k, (name, chunk) in enumerate(zip(names, chunks)):
                shown = set(chunk)
                part = None if event is None else Event(event.id, event.label, event.element, event.start, event.end,
                                                        {sid: event.sentences[sid] for sid in chunk})
                shown_sides = only_sources(sides, shown)
                written.append(self.kept_page(name, "synopsis-event.html", lambda: dict(
                    event=part, page="synopsis", sides=shown_sides, source_of=source_of, pager=pager(names, k),
                    sources_count=len(ids)), self.data_key(lambda: (
                    "synopsis-event", name, names, len(ids), part and event_sentences(part),
                    figures_data([(event, shown_sides)])))))
        return written

    def occurrence_pages(self, kind: str, heading: str) -> list[Path]:
        """Each entry's occurrences, PER_PAGE sources a page (the register page says how many)."""
        order = {s.id: i for i, s in enumerate(self.view.sources)}
        written = []
        for entry in self.view.entries[kind]:
            if not entry.occurrences:
                continue
            by_source: dict[str, list] = {}
            for occurrence in entry.occurrences:
                by_source.setdefault(occurrence.source_id, []).append(occurrence)
            chunks = chunked(sorted(by_source, key=lambda sid: order.get(sid, len(order))), PER_PAGE)
            stem = self.occurrences_of(entry).removesuffix(".html")
            names = [numbered(stem, k) for k in range(len(chunks))]
            for k, (name, chunk) in enumerate(zip(names, chunks)):
                groups = [(sid, by_source[sid]) for sid in chunk]
                written.append(self.kept_page(name, "occurrences.html", lambda: dict(
                    entry=entry, heading=heading, groups=groups, sources_count=len(by_source),
                    page=REGISTER_PAGES[kind][0].removesuffix(".html"), pager=pager(names, k)), self.data_key(lambda: (
                    "occurrences", name, names, heading, len(by_source), entry_data(entry, False),
                    [[sid, [[o.source_id, o.sentence_id, o.text, o.lang] for o in found]] for sid, found in groups]))))
        return written

    def maps(self) -> dict:
        """The main map and the insets around the two battlefields (1:10m borders)."""
        places = self.view.entries["place"]
        link = lambda e: f"places.html#{e.id}"  # noqa: E731
        from ..pipeline.parts import user_cache
        folders = atlas_folders(self.styles)
        atlas, detailed = find_atlas(folders, "50m"), find_atlas(folders, "10m")
        parts = self.parts.cache if self.parts else None
        store = user_cache("maps", MAP_CACHE_SWITCH) or parts  # the drawings of the atlas (geography.py)
        overview = KeptGeography(atlas, store) if atlas else None
        close = KeptGeography(detailed, store) if detailed else overview
        insets = []
        for anchor, radius, caption in INSETS:
            entry = self.view.entry(f"pla:{anchor}")
            if entry is None or not entry.coordinates:
                continue
            lat, lon = entry.coordinates
            reach = radius / math.cos(math.radians(lat))
            box = (lon - reach * 1.4, lat - radius, lon + reach * 1.4, lat + radius)
            insets.append((caption, Markup(map_svg(places, link, close, box, width=600, title=caption,
                                                   css_class="map map-inset", label_size=16, mobile_size=30))))
        drawn = Markup(map_svg(places, link, overview, title="Map of the places"))
        if store is not None and store is not parts:
            store.finish()
        return {"map": drawn, "insets": insets,
                "geography": atlas is not None, "located": [e for e in places if e.coordinates]}

    def page(self, name: str, template: str, **context) -> Path:
        path = self._claim(name)
        return self._write(path, self.link_across_pages(self.page_text(name, template, **context), name))

    def _write(self, path: Path, text: str) -> Path:
        """Write a page, unless the last build's copy in build/html has exactly its bytes: then
        that one is left in place (parts.SiteParts.same_in_place; build.sync_in keeps it)."""
        data = text.encode("utf-8")
        if self.parts is not None and self.parts.same_in_place(path.relative_to(self.out).as_posix(), data):
            self._left.append(self.parts.previous_folder / path.relative_to(self.out))
            return path
        self.files.write(path, data)
        return path

    def page_text(self, name: str, template: str, **context) -> str:
        context.setdefault("page", name.removesuffix(".html"))
        getattr(self._render, "new_page", lambda: None)()
        return self.env.get_template(template).render(**context)

    def source_page(self, source) -> Path:
        return self.kept_page(page_of(source), "source.html", lambda: dict(
            source=source, current=source.id, entries_on_page=self.entries_on(source), page="source"),
            self.parts and self.parts.source_key(self.view, source, self.pdf))

    def apparatus_page(self, source) -> Path:
        """A split edition's page of one source's problems (apparatus-ID.html); a forked page
        worker (pipeline/graph.py) makes it ahead, under the same key, with the source's page."""
        return self.kept_page(self.apparatus_of(source.id), "apparatus.html", lambda: dict(
            page="apparatus", category_counts=sorted(Counter(p.category for p in source.problems).items()),
            problems=source.problems, of_source=source),
            self.parts and self.parts.source_key(self.view, source, "apparatus", self.pdf))

    def kept_page(self, name: str, template: str, context, key: str | None) -> Path:
        """A page whose inputs `key` names (parts.SiteParts: a source's page, the map). With
        parts, the page as the template made it (before the links across pages, which depend
        on every source's ids and are redone each build) is kept under its key, made with the
        build time left as a placeholder (parts.PLACEHOLDER), so that a later build at
        another minute can take it. `context()` gives the template's variables."""
        def make() -> bytes:
            stand_in = self.parts.placeholder
            return self.page_text(name, template, built=stand_in, citation=citation_of(self.view, stand_in),
                                  **context()).encode("utf-8")
        kept = self.parts.memo("page", key, make) if self.parts is not None and key else None
        if kept is None:
            return self.page(name, template, **context())
        path = self._claim(name)
        return self._write(path, self.link_across_pages(self.parts.stamped(kept, self.built).decode("utf-8"), name))

    def _claim(self, name: str) -> Path:
        """The path of a page, once per write_all: two things that would be written to one name
        (a source whose id is "apparatus-…", say, in a split edition) are an error, not a lost
        page. (A page made alone, as a build's worker makes source pages, is not counted.)"""
        if self._names is not None:
            if name in self._names:
                raise ValueError(f"two pages of the site would be {name}: rename the source or entry whose id makes it")
            self._names.add(name)
        return self.out / name

    def link_across_pages(self, html: str, name: str) -> str:
        """A "#id" link to a passage of a source shown on another page leads to that page."""
        if not hasattr(self, "_id_pages"):
            self._id_pages = {identifier: page_of(source) for source in self.view.sources
                              for identifier in source.document.root.xpath("//@xml:id")}
        if 'href="#' not in html:
            return html
        here = None  # the ids of this page: looked for only when a link leads to another page's id

        def target(match):
            nonlocal here
            identifier = match[1]
            page = self._id_pages.get(identifier)
            if page is None or page == name:
                return match[0]
            if here is None:
                here = set(_ID_ATTRIBUTE.findall(html))
            return match[0] if identifier in here else f'href="{page}#{identifier}"'
        return _FRAGMENT_HREF.sub(target, html)

    def entries_on(self, source):
        """The register entries a source page names (in its text and its notes): their popovers."""
        refs = {ref for element in source.document.root.xpath(".//tei:text//*[@ref or @corresp]", namespaces=NS)
                for ref in pointers(element)}
        found = {entry.id: entry for ref in refs if (entry := self.view.entry_for(ref, source.document))}
        return sorted(found.values(), key=lambda entry: entry.sort_key)

    def write_assets(self) -> None:
        assets = self.out / "assets"
        assets.mkdir(parents=True, exist_ok=True)
        for folder in ("css", "js"):
            for name, file in self.styles.listing(folder).items():
                self.files.copy(file, assets / name)
        self.files.write_text(assets / "odd.css", getattr(self._render, "stylesheet", "") or "")

    def write_data(self) -> None:
        """What the site gives besides its pages and assets, made from the view alone (no page
        reads it, it reads no page): the search index and the text exports."""
        write_search(self.view, page_of, self.out / "assets" / "search",
                     self.parts and self.parts.kept_json(self.view, "searched"), files=self.files)
        write_exports(self.view, self.out, self.built, self.parts, files=self.files)


class KeptTemplates(BytecodeCache):
    """The templates compiled to Python bytecode, kept in the user's cache folder
    ($XDG_CACHE_HOME/edition/templates, private to the user, as the compiled ODDs are):
    compiling them was a tenth of an incremental build. Jinja checks each entry against
    its template's source (a changed template is compiled again); the entry is checked
    against its own digest first (pipeline/parts.py), and keyed on Jinja's and Python's
    versions. EDITION_TEMPLATE_CACHE=off turns it off."""

    def __init__(self, cache):
        self.cache = cache

    def _key(self, bucket) -> str:
        import sys
        import jinja2
        from ..pipeline.inputs import part_key
        return part_key("template", jinja2.__version__, sys.version, bucket.key)

    def load_bytecode(self, bucket) -> None:
        found = self.cache.get("template", self._key(bucket))
        if found is not None:
            bucket.bytecode_from_string(found)  # Jinja resets the bucket if it is not this source's

    def dump_bytecode(self, bucket) -> None:
        self.cache.put("template", self._key(bucket), bucket.bytecode_to_string())


def kept_templates() -> KeptTemplates | None:
    from ..pipeline.parts import user_cache
    cache = user_cache("templates", "EDITION_TEMPLATE_CACHE")
    return KeptTemplates(cache) if cache is not None else None


_ID_ATTRIBUTE = re.compile(r'\sid="([^"]+)"')
_FRAGMENT_HREF = re.compile(r'href="#([^"]+)"')

# TEI files of the edition → the pages that show them.
SITE_PAGES = {"bibliography": "bibliography.html", "persons": "persons.html", "places": "places.html",
              "organisations": "organisations.html", "events": "timeline.html", "edition": "index.html"}
_TEI_HREF = re.compile(r'href="(?:\.\./)*(?:(?:registers|sources)/)?([\w.-]+)\.xml(#[^"]*)?"')


def site_links(rendered: str) -> str:
    """Links into the edition's TEI files (bib:, per:, sources) lead to their pages."""
    return _TEI_HREF.sub(lambda m: f'href="{SITE_PAGES.get(m[1], m[1] + ".html")}{m[2] or ""}"', rendered)


def chunked(items: list, size: int) -> list[list]:
    """`items` in pages of `size` (one empty page when there are none)."""
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


def numbered(stem: str, k: int) -> str:
    """The name of page k (from 0) of a split list: STEM.html, STEM-2.html, …"""
    return f"{stem}.html" if k == 0 else f"{stem}-{k + 1}.html"


def pager(names: list[str], k: int) -> list[tuple[int, str, bool]] | None:
    """(number, page, is this page) for the links between the pages of a split list; None for one page."""
    return [(i + 1, name, i == k) for i, name in enumerate(names)] if len(names) > 1 else None


def only_sources(sides, shown: set) -> list:
    """figures_by_event's sides of one event with only the figures of the sources `shown`."""
    kept = []
    for side, kinds in sides:
        kinds = [(kind, [f for f in items if f.source_id in shown]) for kind, items in kinds]
        kinds = [(kind, items) for kind, items in kinds if items]
        if kinds:
            kept.append((side, kinds))
    return kept


# --- what a corpus-wide page reads of the sources (its kept copy's key: SiteWriter.data_key) --------------
def _no_object(value):
    raise TypeError(f"not a value for a page's key: {type(value).__name__}")  # an element, say: name what it gives


def source_row(source) -> list:
    """What the table of the sources (sources-table.html) shows of a source."""
    return [source.id, source.title, source.language, source.lang, source.genre, source.description,
            len(source.pairs), [source.count_original(n) for n in ("persName", "placeName", "orgName", "date")],
            len(source.problems)]


def pair_data(pair) -> list:
    return [pair.id, pair.number, text_of(pair.original),
            None if pair.translation is None else text_of(pair.translation)]


def event_sentences(event) -> list:
    """An event as the synopsis shows it: its register data and each source's sentences on it."""
    return [event.id, event.label, event.start, event.end,
            [[sid, [pair_data(pair) for pair in pairs]] for sid, pairs in event.sentences.items()]]


def figures_data(figures) -> list:
    """figures_by_event's figures as values (the event by its id)."""
    return [[event.id if event is not None else None,
             [[side, [[kind, [dataclasses.astuple(f) for f in items]] for kind, items in kinds]] for side, kinds in sides]]
            for event, sides in figures]


def entry_data(entry, occurrences: bool = True) -> list:
    """A register entry as its page shows it: the name forms found in the sources, its occurrences."""
    return [entry.kind, entry.id, entry.ref, entry.name, entry.forms,
            [[o.source_id, o.sentence_id, o.text, o.lang] for o in entry.occurrences] if occurrences
            else [len(entry.occurrences), sorted({o.source_id for o in entry.occurrences})]]


def problems_by_source(problems) -> list[tuple[str, list]]:
    """(source id, its problems) in the order of `problems` (each source's together)."""
    groups: list[tuple[str, list]] = []
    for problem in problems:
        if not groups or groups[-1][0] != problem.source_id:
            groups.append((problem.source_id, []))
        groups[-1][1].append(problem)
    return groups


def inner_html(element) -> str:
    """The serialised content of an lxml HTML element, without the element."""
    text = str(escape(element.text)) if element.text else ""
    return text + "".join(lxml_html.tostring(child, encoding="unicode") for child in element)


def page_of(source) -> str:
    """A source's page: through safety.site_url, the one maker of site URLs."""
    return site_url(source.id)


def place_after_passage(fragment, target_id: str, marker, highlight: bool = False) -> None:
    """Put a marker (the site's problem button, the book's footnote) right after
    the rendered passage a note targets — after the outermost name holding it,
    since a button may not sit inside a button — or at the end of the sentence."""
    targets = fragment.xpath(f"//*[@id='{target_id}']") if target_id else []
    if not targets or targets[0] is fragment:
        fragment.append(marker)
        return
    if highlight:
        targets[0].classes.update(["annotation", "annotation-problem"])
    holder = (targets[0].xpath("ancestor::*[@data-ref][last()]") or [targets[0]])[0]
    holder.addnext(marker)
    marker.tail, holder.tail = holder.tail, None


def works_cited(bibliography) -> list:
    """Works cited by author (surname first, accents folded), then year, then title."""
    def key(bibl):
        author = bibl.find("tei:author", NS)
        if author is None:
            author = bibl.find("tei:editor", NS)
        surname = author.find(".//tei:surname", NS) if author is not None else None
        name = text_of(surname if surname is not None else author) or text_of(bibl.find("tei:title", NS))
        romanised = re.search(r"\(([^)]+)\)", name)
        if romanised:  # "Касахара Кота (Kasahara Kōta)": the romanised name, as written (family name first)
            name = romanised[1]
        elif surname is None and author is not None and len(name.split()) > 1 and "," not in name:
            name = name.split()[-1] + " " + " ".join(name.split()[:-1])  # "Alvin D. Coox" → "Coox Alvin D."
        date = bibl.find("tei:date", NS)
        year = (date.get("when") or text_of(date)) if date is not None else ""
        return (natural_key(fold(name)), year, natural_key(fold(text_of(bibl.find("tei:title", NS)))))
    return sorted(bibliography, key=key)


def entry_facts(entry) -> str:
    element = entry.element
    facts = []
    birth, death = element.find("tei:birth", NS), element.find("tei:death", NS)
    if birth is not None or death is not None:
        born = (birth.get("when") or text_of(birth)) if birth is not None else "?"
        died = (death.get("when") or text_of(death)) if death is not None else ""
        facts.append(f"{born} – {died}".strip())
    for occupation in element.findall("tei:occupation", NS):
        facts.append(text_of(occupation))
    if entry.kind != "person" and element.get("type"):
        facts.append(element.get("type").replace("-", " "))
    if entry.coordinates:
        facts.append("{:.2f}°N, {:.2f}°E".format(*entry.coordinates))
    return "; ".join(f for f in facts if f)


def event_dates(event) -> str:
    if event.start and event.end and event.start != event.end:
        return f"{event.start} – {event.end}"
    return event.start or ""


def authority_link(idno) -> Markup:
    kind = (idno.get("type") or "").lower()
    value = (idno.text or "").strip()
    if kind in AUTHORITIES and value:
        href = safe_link(AUTHORITIES[kind].format(quote(value, safe="")))
        return Markup('<a href="{}">{} {}</a>').format(href, kind.capitalize(), value)
    if value.startswith(("http://", "https://")) and safe_link(value):
        return Markup('<a href="{0}">{0}</a>').format(safe_link(value))
    return Markup("{} {}").format(kind, value)

