"""The edition on disk: where its TEI, styles and build output live.

Every command works on the edition in the current directory (or the one given
with --root): tei/sources/*.xml are the sources, tei/registers/*.xml the
authority files, tei/edition.xml the front matter, tei/bibliography.xml the
works cited; styles/ holds the ODD, CSS, templates and schema; build/ receives
generated output. Style files not in the edition's
styles/ come from the package (edition/resources.py).
"""
from __future__ import annotations

from pathlib import Path

from .diagnostics import UsageProblem
from .records import Record
from .resources import Styles


class Edition(Record, frozen=True):
    root: Path

    @classmethod
    def at(cls, root: str | Path = ".") -> "Edition":
        return cls(Path(root).resolve())

    @property
    def tei_dir(self) -> Path:
        return self.root / "tei"

    @property
    def sources_dir(self) -> Path:
        return self.tei_dir / "sources"

    @property
    def registers_dir(self) -> Path:
        return self.tei_dir / "registers"

    @property
    def styles_dir(self) -> Path:
        """The edition's own style overrides (optional): see `styles`."""
        return self.root / "styles"

    @property
    def styles(self) -> Styles:
        """Style files: the edition's styles/ first, then the package's defaults."""
        return Styles(self.styles_dir)

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    def source_path(self, source_id: str) -> Path:
        """tei/sources/ID.xml; an id that is not a source id (a path, `..`, a
        colon) or whose file resolves outside the edition is refused."""
        from .safety import source_id_problem
        problem = source_id_problem(source_id)
        if problem:
            raise UsageProblem(problem)
        path = self.sources_dir / f"{source_id}.xml"
        self.require_inside(path)
        return path

    def require_inside(self, path: str | Path) -> Path:
        """`path`, resolved (symbolic links followed), if it lies inside the
        edition's folder; otherwise a UsageProblem."""
        resolved = Path(path).resolve()
        root = self.root.resolve()
        if resolved != root and root not in resolved.parents:
            raise UsageProblem(f"{path} is outside the edition ({root}); "
                               "give --root the edition it belongs to")
        return resolved

    def source_ids(self) -> list[str]:
        return sorted(p.stem for p in self.sources_dir.glob("*.xml"))

    def tei_files(self) -> list[Path]:
        """Every TEI file of the edition, in a stable order."""
        return sorted(p for p in self.tei_dir.rglob("*.xml") if not p.name.startswith("."))

    def require_source(self, source_id: str) -> Path:
        path = self.source_path(source_id)
        if not path.exists():
            known = ", ".join(self.source_ids()) or "none"
            raise UsageProblem(f"no source {source_id!r} in {self.sources_dir} (known: {known})")
        return path
