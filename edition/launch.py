"""The `edition` command's entry point: `edition render` of a file runs without click.

Start-up is most of `edition render` of a small file (issue 15), and click with
what it imports (inspect, typing's generics, uuid, datetime, gettext) was a fifth
of it. So `main` first looks at the arguments: when they are exactly a render of
existing files with options spelt as `edition render --help` lists them, it runs
`render` itself; anything else — any other command, --help, --version, an option
it does not know, a path click would refuse — goes to the click CLI
(edition/cli.py), which stays the one place where commands, options and their
errors are defined. The render command of the CLI calls the same `render`, and
both turn an exception into what the user is shown through `failure`, so the
two paths print the same and exit with the same code (tests/test_launch.py runs
both on the same arguments, and compares the options with the click command's).
"""
from __future__ import annotations

import os
import stat
import sys

from .diagnostics import EditionError, environment_fault

MODES = ("web", "print")
# The render command's options (edition/cli.py): name -> (takes a value, repeatable).
RENDER_OPTIONS = {"--odd": "odd", "--mode": "mode", "-o": "out", "--output": "out", "--odd-path": "odd_path",
                  "--trace": "trace_file"}
REPEATABLE = {"odd_path"}


class InternalError(EditionError):
    """A bug: the exception's type and text in one line (its traceback with --debug)."""
    exit_code = 3

    def format_message(self) -> str:
        return self.message


def failure(error: Exception, debug: bool = False) -> EditionError:
    """What the user is shown for an exception out of a command: an EditionError as it is,
    a fault of the machine (disk full, read-only…) as its EnvironmentFault, anything else
    as an internal error (with its traceback printed first when debugging)."""
    if isinstance(error, EditionError):
        return error
    if isinstance(error, OSError):
        fault = environment_fault(error)
        if fault is not None:
            return fault
    if debug:
        import traceback
        traceback.print_exc()
    return InternalError(f"internal error: {type(error).__name__}: {error} (run with --debug for the traceback)")


def relative_to_cwd(diagnostic):
    """Paths in messages are shown relative to where the user stands."""
    from pathlib import Path
    try:
        return diagnostic.replace(path=str(Path(diagnostic.path).resolve().relative_to(Path.cwd())))
    except ValueError:
        return diagnostic


def render(file, odd, mode, out, odd_path, trace_file, edition_root, echo) -> None:
    """The render command (see edition/cli.py for what it is asked): the page to `out`
    or standard output, warnings to standard error, through `echo` (click.echo's signature)."""
    from .model import render_file
    from .xmlio import write_atomic
    warn = lambda d: echo(str(relative_to_cwd(d)), err=True)  # noqa: E731
    tracer = None
    if trace_file:
        from .model.coverage import Tracer
        tracer = Tracer()
    page = render_file(file, odd, mode, edition_root, warn=warn, search_path=odd_path, tracer=tracer)
    if tracer is not None:
        import json
        write_atomic(trace_file, json.dumps(tracer.decisions, ensure_ascii=False, indent=1).encode("utf-8"))
        echo(f"wrote {trace_file} ({len(tracer.decisions)} elements)", err=True)
    if out:
        write_atomic(out, page.encode("utf-8"))
        echo(f"wrote {out}", err=True)
    else:
        echo(page, nl=False)


def main(argv: list[str] | None = None) -> None:
    """`edition …`: a plain render here, everything else through click."""
    request = render_request(sys.argv[1:] if argv is None else argv)
    if request is None:
        from .cli import main as cli
        cli(args=argv)
        return
    root, debug, options = request
    try:
        edition_root = None
        if root is not None:
            from .project import Edition
            edition_root = Edition.at(root).root
        render(**options, edition_root=edition_root, echo=echo)
    except (KeyboardInterrupt, EOFError):  # as click ends a command the user interrupted
        echo("", err=True)
        echo("Aborted!", err=True)
        sys.exit(1)
    except Exception as error:
        shown = failure(error, debug)
        shown.show()
        sys.exit(shown.exit_code)
    sys.exit(0)


def render_request(argv: list[str]):
    """(root or None, debug, render's keyword arguments) when `argv` is a render that
    click would accept as it stands, else None (click then runs it, or says what is wrong)."""
    root, debug, at = None, False, 0
    while at < len(argv) and argv[at] != "render":
        word = argv[at]
        if word == "--debug":
            debug = True
        elif word == "--root" and at + 1 < len(argv):
            at += 1
            root = argv[at]
        elif word.startswith("--root="):
            root = word[len("--root="):]
        else:
            return None
        at += 1
    if at == len(argv):
        return None
    options = {"file": None, "odd": None, "mode": "web", "out": None, "odd_path": [], "trace_file": None}
    words = argv[at + 1:]
    i = 0
    while i < len(words):
        word = words[i]
        if word.startswith("-"):
            name, equals, value = word.partition("=")
            if name.startswith("--") and equals:
                pass
            elif word in RENDER_OPTIONS and i + 1 < len(words) and not words[i + 1].startswith("-"):
                name, value = word, words[i + 1]
                i += 1
            else:
                return None  # --help, an unknown option, -oFILE, a missing value…: click
            key = RENDER_OPTIONS.get(name)
            if key is None:
                return None
            if key in REPEATABLE:
                options[key].append(value)
            else:
                options[key] = value
        elif options["file"] is None:
            options["file"] = word
        else:
            return None  # a second file
        i += 1
    options["odd_path"] = tuple(options["odd_path"])
    if (options["file"] is None or options["mode"] not in MODES
            or not _path(options["file"], exists=True, directory=False)
            or (options["odd"] is not None and not _path(options["odd"], exists=True, directory=False))
            or (options["out"] is not None and not _path(options["out"], directory=False))
            or (options["trace_file"] is not None and not _path(options["trace_file"], directory=False))
            or not all(_path(folder, exists=True, file=False) for folder in options["odd_path"])
            or (root is not None and not _path(root, file=False))):
        return None
    return root, debug, options


def _path(value: str, exists: bool = False, file: bool = True, directory: bool = True) -> bool:
    """Whether click.Path(exists, file_okay=file, dir_okay=directory) takes `value` as it is."""
    try:
        status = os.stat(value)
    except OSError:
        return not exists
    if (not file and stat.S_ISREG(status.st_mode)) or (not directory and stat.S_ISDIR(status.st_mode)):
        return False
    return os.access(value, os.R_OK)


def echo(message: str, err: bool = False, nl: bool = True) -> None:
    """click.echo of a text, where click would only write it and flush."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        return
    if "\x1b" in message or (getattr(stream, "encoding", "") or "").lower().replace("-", "") != "utf8":
        import click  # ANSI codes to strip, an unusual encoding: click's own ways
        click.echo(message, err=err, nl=nl)
        return
    stream.write(message + "\n" if nl else message)
    stream.flush()
