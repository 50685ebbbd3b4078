"""View-model + templates (styles/templates/epub/) → .epub files (OCF zip, EPUB 3.3 package)."""
from __future__ import annotations

import datetime as dt
import html
import os
import re
import subprocess
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from lxml import html as lxml_html
from markupsafe import Markup, escape

from ..fonts import find_face, subset
from ..html.collect import EditionView, text_of
from ..html.pages import place_after_passage
from ..xmlio import XML_ID
from .xhtml import CARRIED, fragment, mark_script_runs, to_xhtml

FACES = {"latin": "Noto Serif", "th": "Noto Serif Thai", "zh": "Noto Serif CJK SC"}
SCRIPT_LANGS = {"th": "th", "zh": "zh", "ja": "zh", "ko": "zh"}  # which embedded face a language needs


@dataclass
class Note:
    id: str
    ref_id: str
    label: str
    kind: str          # "problem" or "translator"
    body: Markup


@dataclass
class Chapter:
    file: str
    title: str
    lang: str
    body: Markup
    notes: list[Note] = field(default_factory=list)
    properties: str = ""


class EpubWriter:
    """One EPUB: chapters rendered through the ODD's print mode, then packaged."""

    def __init__(self, view: EditionView, render, styles, built: dt.datetime, tei_dir: Path | None = None):
        """`tei_dir`: where the images the chapters show are read from (edition/media.py)."""
        self.view, self._render, self.styles, self.built = view, render, styles, built
        self.tei_dir = tei_dir
        self.env = Environment(loader=FileSystemLoader([f"{d}/epub" for d in styles.template_dirs()]),
                               autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.env.globals.update(view=view, text_of=text_of)
        self.characters = ""  # set by write_epubs: every character the edition's books use
        self.prefix = ""

    # --- content ------------------------------------------------------------------
    def xhtml(self, element, blocks: bool = False) -> Markup:
        if element is None:
            return Markup("")
        self._render.new_page()
        return Markup(to_xhtml(fragment(self._render(element, content_only=True), blocks)))

    def sentence(self, element, problems, notes: list[Note], side: str) -> Markup:
        """A sentence with its footnote calls: problems after their words, translator's notes in place."""
        if element is None:
            return Markup("")
        self._render.new_page()
        holder = fragment(self._render(element, content_only=True))
        self._endnotes(holder, notes, side, "translator", "T")
        for problem in problems:
            note_id = f"fn-{problem.id}"
            call = lxml_html.fragment_fromstring(
                f'<a href="#{note_id}" id="{note_id}-ref" role="doc-noteref" class="noteref">{escape(problem.number)}</a>')
            place_after_passage(holder, problem.target_id, call)
            notes.append(Note(note_id, f"{note_id}-ref", problem.label, "problem", self.problem_note(problem)))
        return Markup(to_xhtml(holder).replace('class="noteref', 'epub:type="noteref" class="noteref'))

    def _endnotes(self, holder, notes: list[Note], side: str, kind: str, prefix: str) -> None:
        """The print mode's footnotes (and glosses) in `holder` → the chapter's endnotes, each
        replaced by its call."""
        notes_xpath = (".//span[contains(concat(' ', @class, ' '), ' footnote ') or "
                       "contains(concat(' ', @class, ' '), ' translator-note ')]")
        for span in holder.xpath(notes_xpath):
            note_id = f"tn-{self.prefix}{len(notes) + 1}-{side}"
            notes.append(Note(note_id, f"{note_id}-ref", f"{prefix}{len([n for n in notes if n.kind == kind]) + 1}",
                              kind, Markup(to_xhtml(span))))
            call = lxml_html.fragment_fromstring(
                f'<a href="#{note_id}" id="{note_id}-ref" role="doc-noteref" class="noteref translator-call">'
                f'{notes[-1].label}</a>')
            call.tail = span.tail
            span.getparent().replace(span, call)

    def part(self, element, notes: list[Note]) -> Markup:
        """A part of a source rendered whole (another edition's notes, apparatus, commentary; a text with
        no translation): its blocks, its footnotes among the chapter's endnotes."""
        self._render.new_page()
        holder = fragment(self._render(element, content_only=True), blocks=True)
        self._endnotes(holder, notes, "w", "note", "N")
        return Markup(to_xhtml(holder).replace('class="noteref', 'epub:type="noteref" class="noteref'))

    def problem_note(self, problem) -> Markup:
        parts = [Markup("<strong>{}</strong> {}.").format(problem.label, problem.category_label)]
        for kind in ("problem", "correction"):
            part = problem.part(kind)
            if part is not None:
                parts.append(self.xhtml(part))
        evidence = [text_of(bibl) for bibl in problem.evidence]
        if evidence:
            parts.append(Markup("Evidence: {}.").format("; ".join(e for e in evidence if e)))
        if problem.cert:
            parts.append(Markup("Certainty: {}.").format(problem.cert))
        return Markup(" ").join(parts)

    def source_chapter(self, source, number: int) -> Chapter:
        notes: list[Note] = []
        self.prefix = f"{source.id}-"  # note ids unique in a book of several sources
        paragraphs = [[(pair, self.sentence(pair.original, pair.problems, notes, "o"),
                        self.sentence(pair.translation, [], notes, "t"))
                       for pair in paragraph.pairs] for paragraph in source.paragraphs]
        before = [self.part(part, notes) for part in source.before]  # as the site and the book show them
        after = [self.part(part, notes) for part in source.after]
        body = self.env.get_template("source.xhtml").render(source=source, paragraphs=paragraphs,
                                                            before=before, after=after)
        return Chapter(f"source-{number}.xhtml", source.title or source.id, "en", Markup(body), notes)

    def chapters(self, sources) -> list[Chapter]:
        chapters = [Chapter("title.xhtml", self.view.title, "en",
                            Markup(self.env.get_template("title.xhtml").render(built=self.built.date())))]
        if self.view.front is not None and len(sources) > 1:
            chapters.append(Chapter("introduction.xhtml", "Introduction", "en", self.xhtml(self.view.front, True)))
        chapters += [self.source_chapter(source, number) for number, source in enumerate(sources, start=1)]
        if any(self.view.entries.values()):  # registers with no entry make no (empty) chapter
            registers = self.env.get_template("registers.xhtml").render(entries=self.view.entries)
            chapters.append(Chapter("registers.xhtml", "Registers", "en", Markup(registers)))
        if self.view.bibliography:
            works = Markup("").join(Markup('<li id="{}">{}</li>').format(b.get(XML_ID, ""), self.xhtml(b))
                                    for b in self.view.bibliography)
            chapters.append(Chapter("works-cited.xhtml", "Works cited", "en",
                                    Markup("<h1>Works cited</h1><ul class='works'>{}</ul>").format(works)))
        return chapters

    # --- package ------------------------------------------------------------------
    def write(self, path: Path, sources, title: str) -> Path:
        chapters = self.chapters(sources)
        languages = ["en", *sorted({s.lang for s in sources if s.lang and s.lang != "en"})]
        fonts = self.fonts(chapters, sources)
        identifier = uuid.uuid5(uuid.NAMESPACE_URL, f"edition:{self.view.title}:{','.join(s.id for s in sources)}")
        documents = {c.file: self.env.get_template("chapter.xhtml").render(chapter=c, title=title) for c in chapters}
        documents = {file: mark_script_runs(text) for file, text in link_within_book(documents).items()}
        images = self.images(documents)
        package = self.env.get_template("package.opf").render(
            identifier=f"urn:uuid:{identifier}", title=title, languages=languages, chapters=chapters,
            fonts=fonts, images=images, modified=self.built.strftime("%Y-%m-%dT%H:%M:%SZ"))
        nav = self.env.get_template("nav.xhtml").render(chapters=chapters, title=title)
        css = self.styles.find("css/epub.css").read_text("utf-8") + "".join(
            f'\n@font-face {{ font-family: "{family}"; src: url("fonts/{file}"); }}'
            for file, (family, _, _) in fonts.items())
        path.parent.mkdir(parents=True, exist_ok=True)
        entries = [("META-INF/container.xml", self.env.get_template("container.xml").render()),
                   ("EPUB/package.opf", package), ("EPUB/nav.xhtml", nav), ("EPUB/epub.css", css),
                   *((f"EPUB/{file}", text) for file, text in documents.items()),
                   *((f"EPUB/fonts/{file}", data) for file, (_, data, _) in fonts.items()),
                   *((f"EPUB/{unquote(href)}", data) for href, (data, _) in images.items())]
        with zipfile.ZipFile(path, "w") as book:
            book.writestr(self._entry("mimetype", zipfile.ZIP_STORED), "application/epub+zip")
            for name, data in entries:  # in a fixed order, each with the same stamp: reproducible bytes
                book.writestr(self._entry(name, zipfile.ZIP_DEFLATED), data)
        return path

    def images(self, documents: dict[str, str]) -> dict[str, tuple[bytes, str]]:
        """href -> (bytes, media type) of each image the chapters show (media/…, read from the
        edition's tei/ folder). An image whose file cannot be read is shown by its description."""
        found: dict[str, tuple[bytes, str]] = {}
        for file, text in list(documents.items()):
            documents[file] = _CARRIED_IMG.sub(lambda match: self._carried(match, found), text)
        return dict(sorted(found.items()))

    def _carried(self, match, found: dict) -> str:
        from .. import media
        href = html.unescape(match[1])
        path = media.image_path(href.removeprefix(CARRIED), str(self.tei_dir / "edition.xml"), self.tei_dir) \
            if self.tei_dir is not None else None  # the href read from a file at the top of tei/
        readable = media.readable(path, self.tei_dir) if path is not None else None
        if readable is None:
            return f'<span class="tei-graphic">{match[2]}</span>'
        found[href] = (readable.read_bytes(), media.IMAGE_TYPES[path.suffix.lower()])
        return match[0]

    def _entry(self, name: str, compression: int) -> zipfile.ZipInfo:
        """A zip member stamped with the edition's time (not the clock's), as a regular
        file readable by all, so that two builds of the same sources give the same bytes."""
        stamp = max(self.built.astimezone(dt.timezone.utc), ZIP_EPOCH)
        info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
        info.compress_type, info.create_system, info.external_attr = compression, 3, 0o100644 << 16
        return info

    def fonts(self, chapters, sources) -> dict[str, tuple[str, bytes, str]]:
        """file -> (family, subset bytes, media type) for each face the text needs and the machine has.
        The faces are cut to the characters of the whole edition once (see `characters`), so that every
        book of one build shares the same subsets."""
        text = self.characters or "".join(str(c.body) + "".join(str(n.body) for n in c.notes) for c in chapters)
        needed = {"latin"} | {SCRIPT_LANGS[s.lang.split("-")[0]] for s in sources
                              if s.lang.split("-")[0] in SCRIPT_LANGS}
        found = {}
        for script in sorted(needed):
            face = find_face(FACES[script])
            if face is None:
                continue
            data = subset(face, text)
            opentype = data[:4] == b"OTTO"
            file = FACES[script].replace(" ", "") + (".otf" if opentype else ".ttf")
            found[file] = (FACES[script], data, "font/otf" if opentype else "font/ttf")
        return found


_ID = re.compile(r'\sid="([^"]+)"')
_CARRIED_IMG = re.compile(r'<img[^>]*?\ssrc="(media/[^"]*)"[^>]*?\salt="([^"]*)"[^>]*/>')
_HREF = re.compile(r'\shref="([^"]*)"')
_EXTERNAL = re.compile(r"^(https?|mailto):", re.I)


def link_within_book(documents: dict[str, str]) -> dict[str, str]:
    """Links into TEI files (registers, bibliography, other sources) lead to the chapter that holds
    the id; a link to anything the book does not contain loses its href (the words stay)."""
    where = {identifier: file for file, text in documents.items() for identifier in _ID.findall(text)}
    local = {file: set(_ID.findall(text)) for file, text in documents.items()}
    book_files = {*documents, "epub.css", "nav.xhtml"} - {""}

    def rewrite(file: str):
        def one(match):
            href = match[1]
            if _EXTERNAL.match(href) or href.partition("#")[0] in book_files:
                return match[0]
            fragment = href.partition("#")[2]
            target = file if fragment in local[file] else where.get(fragment)
            if not fragment or target is None:
                return ""  # outside the book: the words stay, unlinked
            return f' href="#{fragment}"' if target == file else f' href="{target}#{fragment}"'
        return one
    return {file: _HREF.sub(rewrite(file), text) for file, text in documents.items()}


ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)  # the earliest time a zip can hold


def source_date(edition) -> dt.datetime:
    """When the edition's sources last changed, the books' date (dcterms:modified,
    the imprint, every zip member's stamp), so that the same sources make the same
    bytes (reproducible builds): $SOURCE_DATE_EPOCH when set (reproducible-builds.org),
    else the last commit of the edition's tei/ and styles/ when git has them and they
    are unchanged since, else the newest modification time among those files."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    folders = [str(f) for f in (edition.root / "tei", edition.root / "styles") if f.is_dir()]
    committed = _git_date(edition.root, folders)
    if committed is not None:
        return committed
    newest = max((p.stat().st_mtime for folder in folders for p in Path(folder).rglob("*") if p.is_file()),
                 default=0.0)
    return dt.datetime.fromtimestamp(int(newest), dt.timezone.utc)


def _git_date(root: Path, folders: list[str]) -> dt.datetime | None:
    """The commit time of the last change to `folders`, if git tracks them and they are clean."""
    if not folders:
        return None
    try:
        def git(*arguments) -> str:
            return subprocess.run(["git", "-C", str(root), *arguments, "--", *folders], capture_output=True,
                                  text=True, timeout=20, check=True).stdout.strip()
        if git("status", "--porcelain", "--untracked-files=all"):
            return None  # edited since the last commit: the files' own times say more
        stamp = git("log", "-1", "--format=%ct")
    except (OSError, subprocess.SubprocessError):
        return None
    return dt.datetime.fromtimestamp(int(stamp), dt.timezone.utc) if stamp.isdigit() else None


def write_epubs(edition, view: EditionView, out: Path, built: dt.datetime | None = None) -> list[Path]:
    """build/epub/edition.epub (everything) and one book per source (SOURCE-ID.epub),
    dated `built` (by default the sources' date: see `source_date`)."""
    from ..model import print_renderer
    built = built or source_date(edition)
    from ..media import package_images
    writer = EpubWriter(view, print_renderer(edition, view.resolve_refs, package_images(edition.tei_dir)),
                        edition.styles, built, edition.tei_dir)
    writer.characters = "".join(sorted(set("".join(
        str(c.body) + "".join(str(n.body) for n in c.notes) for c in writer.chapters(view.sources)))))
    written = [writer.write(out / "edition.epub", view.sources, view.title)]
    for source in view.sources:
        written.append(writer.write(out / f"{source.id}.epub", [source], source.title or source.id))
    return written
