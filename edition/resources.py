"""Style files → paths: the edition's own styles/ first, then the package's defaults.

As MkDocs themes ship in the package and a site's custom_dir replaces single
files, every edition gets the default ODD, schema, templates, CSS and JS from
the installed package (importlib.resources, package `edition.styles`, which is
the repository's top-level styles/ folder), and an edition's own styles/ adds
or replaces files by name. Nothing is looked up in the current directory.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from .records import Record


@cache
def package_styles() -> Path:
    """The installed default styles (a real folder: the package is installed unzipped).
    The package's own folder when it has one, which spares every command the import
    of importlib.resources (and zipfile), a tenth of `edition render`'s start-up."""
    from . import styles
    if getattr(styles, "__file__", None):
        return Path(styles.__file__).parent
    from importlib.resources import files
    return Path(str(files("edition.styles")))


class Styles(Record, frozen=True):
    """An edition's style search path: its own folder (if any), then the package's."""
    own: Path | None = None

    @property
    def folders(self) -> list[Path]:
        own = [self.own] if self.own is not None and self.own.is_dir() else []
        defaults = package_styles()
        return own + ([defaults] if not own or own[0].resolve() != defaults.resolve() else [])

    def find(self, relative: str) -> Path:
        """The first folder's copy of a style file; FileNotFoundError names every place looked."""
        for folder in self.folders:
            candidate = folder / relative
            if candidate.is_file():
                return candidate
        places = ", ".join(str(folder / relative) for folder in self.folders)
        raise FileNotFoundError(f"no style file {relative!r} (looked in {places})")

    def find_after(self, relative: str, current: Path) -> Path:
        """The next copy of a style file after `current` along the search path: what an edition's
        own styles/edition.odd inherits from when its schemaSpec/@source names edition.odd (the
        package's), as a theme's template extends the one it replaces."""
        current = Path(current).resolve()
        later = [f for f in self.folders if (f / relative).is_file()]
        for index, folder in enumerate(later):
            if (folder / relative).resolve() == current and index + 1 < len(later):
                return later[index + 1] / relative
        raise FileNotFoundError(f"no style file {relative!r} after {current}")

    def listing(self, folder: str) -> dict[str, Path]:
        """Every file of a style folder by name; an edition's file replaces the package's."""
        found: dict[str, Path] = {}
        for base in reversed(self.folders):
            for path in sorted((base / folder).glob("*")):
                if path.is_file():
                    found[path.name] = path
        return found

    def template_dirs(self) -> list[str]:
        return [str(folder / "templates") for folder in self.folders if (folder / "templates").is_dir()]

    @property
    def odd(self) -> Path:
        return self.find("edition.odd")

    @property
    def schema(self) -> Path:
        return self.find("schema/edition.rnc")
