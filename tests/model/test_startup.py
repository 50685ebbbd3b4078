"""Start-up: a command imports only what it uses (issue 15), checked in a fresh interpreter."""
from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ["pythainlp", "jieba", "rnc2rng", "weasyprint", "jinja2", "edition.annotate", "edition.build",
         "edition.checking", "edition.sources.importer"]


def imported_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nimport json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_the_version_loads_no_language_tool_schema_compiler_or_pdf_engine():
    loaded = imported_after("from edition.cli import main\ntry:\n    main(['--version'])\nexcept SystemExit:\n    pass")
    assert not {m for m in loaded if m.split(".")[0] in HEAVY or m in HEAVY}


def test_rendering_with_the_processing_model_loads_none_of_them_either():
    loaded = imported_after("import edition.model, edition.model.coverage")
    assert "lxml.etree" in loaded
    assert not {m for m in loaded if m.split(".")[0] in HEAVY or m in HEAVY}


def test_the_checker_still_finds_rnc2rng_when_it_needs_it():
    loaded = imported_after("import edition\nimport rnc2rng")
    assert "rnc2rng" in loaded


def test_render_loads_neither_the_api_nor_the_editor_nor_importlib_resources(tmp_path):
    from model_helpers import EDITION_ODD
    out = tmp_path / "page.html"
    loaded = imported_after("from edition.cli import main\ntry:\n"
                            f"    main(['render', {str(EDITION_ODD)!r}, '-o', {str(out)!r}])\n"
                            "except SystemExit:\n    pass")
    assert out.exists()
    assert not {"edition.api", "edition.edit", "edition.commands.editing", "importlib.resources",
                "lxml.html", "hashlib"} & loaded


def test_the_editing_commands_are_named_before_they_are_loaded():
    import click

    from edition.cli import EDITING_COMMANDS
    from edition.commands import editing
    group = click.Group()
    editing.register(group)
    assert sorted(group.commands) == sorted(EDITING_COMMANDS)


def test_render_loads_neither_click_nor_inspect_nor_dataclasses(tmp_path):
    """What `edition render FILE -o OUT` runs (edition/launch.py): no CLI library, and none of the
    modules the dataclass decorator and lxml's import would bring (edition/records.py, edition/__init__.py)."""
    from model_helpers import FIXTURE_TEI, fixture
    out = tmp_path / "page.html"
    loaded = imported_after("from edition.launch import main\ntry:\n"
                            f"    main(['render', {str(fixture('tei', FIXTURE_TEI[0]))!r}, '-o', {str(out)!r}])\n"
                            "except SystemExit:\n    pass")
    assert out.exists()
    assert not {"click", "inspect", "dataclasses", "tempfile", "pickle", "tinycss2", "edition.model.xquery"} & loaded


def test_a_behaviour_s_params_are_read_as_inspect_reads_them():
    """registry._parameters reads the code object; inspect.signature is the reference."""
    import functools
    import inspect

    from edition.model.behaviours import MODES
    from edition.model.behaviours.registry import _parameters
    kinds = {inspect.Parameter.POSITIONAL_ONLY: "positional", inspect.Parameter.VAR_POSITIONAL: "*",
             inspect.Parameter.VAR_KEYWORD: "**"}

    def every(a, b, /, c, *rest, d, e=1, **others):
        pass

    @functools.wraps(every)
    def wrapped(*args, **kwargs):
        pass
    functions = [every, wrapped, *(f for mode in MODES.values() for f in mode._functions.values())]
    for function in functions:
        assert _parameters(function) == [(p.name, kinds.get(p.kind, "named"))
                                         for p in inspect.signature(function).parameters.values()], function
