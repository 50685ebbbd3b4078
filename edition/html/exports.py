"""Each source in plain formats beside the HTML: its TEI as edited, Markdown
(original and translation) and plain text (one sentence a line) for corpus tools.

The TEI files are copied with the folder layout of tei/ (sources/, registers/,
edition.xml, bibliography.xml), so that the relative pointers inside them
(registers/persons.xml#…) still resolve on the site. The text exports are the
original reading (text_of: no editorial notes, no corrections), so that a
corpus tool counts the words the source has.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from .. import media
from .collect import EditionView, Source, text_of
from .references import paragraph_number


def tei_path(view: EditionView, document_path: Path) -> str:
    """The site path of a TEI file: tei/ + its path under the edition's tei folder."""
    tei_dir = view.corpus.edition.tei_dir.resolve()
    try:
        return "tei/" + document_path.resolve().relative_to(tei_dir).as_posix()
    except ValueError:
        return "tei/" + document_path.name


def write_tei(view: EditionView, out: Path, files=None) -> list[Path]:
    """The TEI files under tei/ as the edition has them, and beside them the images the
    sources show (edition/media.py: the pages show these copies)."""
    written = []
    tei_dir = view.corpus.edition.tei_dir
    images = {}
    for document in view.corpus.documents.values():
        target = out / tei_path(view, document.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if files is not None:
            files.write(target, Path(document.path).read_bytes())
        else:
            shutil.copyfile(document.path, target)
        written.append(target)
        images.update(dict.fromkeys(media.images_of(document.root, tei_dir)))
    for image in images:
        found = media.readable(image, tei_dir)
        if found is None:
            continue  # missing, or a link out of the edition: the check has named it
        target = out / media.site_path(image, tei_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        if files is not None:
            files.write(target, found.read_bytes())
        else:
            shutil.copyfile(found, target)
        written.append(target)
    return written


def export_names(source: Source) -> dict[str, str]:
    return {"markdown": f"text/{source.id}.md", "text": f"text/{source.id}.txt",
            "translation-text": f"text/{source.id}.{source.translation_lang or 'translation'}.txt"}


def markdown(view: EditionView, source: Source, built: str) -> str:
    translated = f" with {source.translation_phrase}" if source.parallel else ""
    numbers = ("Sentence numbers in brackets are the edition's references (the notes cite them as s39)."
               if source.unit == "s" else f"Numbers in brackets are the edition's references to its {source.unit_label}.")
    lines = [f"# {source.title}", "",
             f"{source.original_heading}{translated}, from *{view.title}* (version of {built[:10]}).",
             numbers if source.parallel else "", ""]
    if source.description:
        lines += [source.description, ""]
    if not source.parallel:  # rendered whole: its text units, one a paragraph
        return "\n".join(lines + [f"## Text ({source.language})", ""] +
                         [line for passage in source.passages if (text := text_of(passage))
                          for line in (_escape(text), "")])
    for heading, side in ((f"Original ({source.language})", "original"), (source.translation_heading, "translation")):
        lines += [f"## {heading}", ""]
        for position, paragraph in enumerate(source.paragraphs, start=1):
            sentences = []
            for pair in paragraph.pairs:
                element = pair.original if side == "original" else pair.translation
                if element is not None:
                    sentences.append(f"[{pair.number}] {_escape(text_of(element))}")
            if sentences:
                lines += [f"**¶{paragraph_number(paragraph, position)}** " + " ".join(sentences), ""]
    return "\n".join(lines)


def plain_text(source: Source, side: str) -> str:
    """One sentence a line, a blank line between paragraphs; a source rendered whole, one text unit a line."""
    if not source.parallel and side == "original":
        return "\n".join(text for passage in source.passages if (text := text_of(passage))) + "\n"
    paragraphs = []
    for paragraph in source.paragraphs:
        lines = [text_of(pair.original if side == "original" else pair.translation) for pair in paragraph.pairs
                 if (pair.original if side == "original" else pair.translation) is not None]
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs) + "\n"


def _escape(text: str) -> str:
    """Markdown's own characters in the source's words stay words."""
    for char in "\\*_`[]<>#":
        text = text.replace(char, "\\" + char)
    return text


def write_exports(view: EditionView, out: Path, built: str, parts=None, files=None) -> list[Path]:
    """`parts` (pipeline.parts.SiteParts): each source's text exports kept under its key,
    made with the build time's placeholder (the Markdown names the version's date)."""
    written = write_tei(view, out, files)
    (out / "text").mkdir(parents=True, exist_ok=True)
    for source in view.sources:
        for name, content in kept_texts(view, source, built, parts).items():
            if files is not None:
                files.write_text(out / name, content)
            else:
                (out / name).write_text(content, "utf-8")
            written.append(out / name)
    return written


def texts(view: EditionView, source: Source, built: str) -> dict[str, str]:
    """A source's text exports: {file name under the site: its text}."""
    names = export_names(source)
    files = {names["markdown"]: markdown(view, source, built), names["text"]: plain_text(source, "original")}
    if source.parallel:
        files[names["translation-text"]] = plain_text(source, "translation")
    return files


def kept_texts(view: EditionView, source: Source, built: str, parts) -> dict[str, str]:
    """A source's text exports through the parts cache (a forked page worker makes the same part ahead)."""
    from ..pipeline.parts import pack, unpack
    key = parts.source_key(view, source, "exports") if parts is not None and parts.enabled else None
    if key is None:
        return texts(view, source, built)
    kept = parts.memo("exports", key, lambda: pack(
        {name: text.encode("utf-8") for name, text in texts(view, source, parts.placeholder).items()}))
    names = export_names(source)
    expected = {names["markdown"], names["text"], *([names["translation-text"]] if source.parallel else [])}
    try:
        files = {name: parts.stamped(data, built).decode("utf-8") for name, data in unpack(kept).items()} \
            if kept is not None else {}  # stamped file by file: the time's digits change the pack's lengths
    except ValueError:  # not a pack of text files (UnicodeDecodeError is one)
        files = {}
    return files if set(files) == expected else texts(view, source, built)
