"""The package as pyproject.toml installs it: every subpackage listed, the default styles found."""
from __future__ import annotations

import tomllib

from edition import Edition
from edition.resources import Styles, package_styles
from tests.conftest import ROOT


def test_pyproject_lists_every_subpackage_of_edition():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "edition").rglob("__init__.py")}
    assert on_disk - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"


def test_an_edition_without_styles_uses_the_package_defaults(tmp_path):
    styles = Edition.at(tmp_path).styles
    assert styles.odd == package_styles() / "edition.odd"
    assert styles.find("templates/book.html").is_file()


def test_an_editions_own_style_file_replaces_the_packages_by_name(tmp_path):
    (tmp_path / "styles" / "css").mkdir(parents=True)
    (tmp_path / "styles" / "css" / "site.css").write_text("body { color: red }", "utf-8")
    styles = Styles(tmp_path / "styles")
    listing = styles.listing("css")
    assert listing["site.css"] == tmp_path / "styles" / "css" / "site.css"
    assert listing["book.css"] == package_styles() / "css" / "book.css"
    assert styles.template_dirs()[-1] == str(package_styles() / "templates")
