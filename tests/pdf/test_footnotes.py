"""A note's white space is collapsed as the text's is (edition/pdf/footnotes.py): the line feeds
of a TEI file inside a note do not break the note's lines in the book."""
from __future__ import annotations

from weasyprint import CSS, HTML

from edition.pdf import footnotes

NOTE = """Vgl. <span class="bibl">
                <i>Deutsches Wörterbuch</i> von <span>J.
                  Grimm</span> und <span>W. Grimm</span>,
                Leipzig 1983, Sp. 1477
                </span>"""
PAGE = CSS(string="""@page { size: A5; margin: 15mm; @footnote { margin-right: 40%; } }
.footnote { float: footnote; font: 8pt/1.3 serif; }
.footnote::footnote-marker { content: none; }""")


def _note_lines(note_style: str = "") -> list[str]:
    html = f'<p>Heute heißt es nicht: dulde dich!<span class="footnote" style="{note_style}">{NOTE}</span> Weiter.</p>'
    with footnotes.installed():
        document = HTML(string=html).render(stylesheets=[PAGE])
    area, = (box for box in document.pages[0]._page_box.children if type(box).__name__ == "FootnoteAreaBox")
    return [" ".join("".join(box.text for box in line.descendants() if hasattr(box, "text")).split())
            for note in area.children for line in note.children]


def test_a_note_breaks_its_lines_by_width_not_where_the_file_did():
    lines = _note_lines()
    assert lines[0].startswith("Vgl. Deutsches Wörterbuch von J. Grimm und")  # one line, not four
    assert " ".join(lines).endswith("Leipzig 1983, Sp. 1477")
    assert len(lines) <= 2


def test_a_notes_text_transform_applies():
    assert _note_lines("text-transform: uppercase")[0].startswith("VGL. DEUTSCHES")
