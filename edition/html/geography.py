"""Natural Earth land and borders (TopoJSON, npm package world-atlas) → SVG paths.

world-atlas (Natural Earth 1:10m/1:50m countries, public domain; the package
ISC) is installed from the npm registry with the site's other assets
(package.json) and read at build time only: the site ships the paths drawn,
not the data. TopoJSON stores each border once, as an arc shared by the two
countries it divides; an arc used by one country only is a coast. The
borders are today's (Natural Earth has no 1939 layer): the map says so.

Reading the atlas (3.7 MB of JSON for 1:10m) and drawing it was a third of a clean build of
the site, for the same three drawings each time: a drawing (`Geography.svg` of a frame) is
kept in the user's cache folder ($XDG_CACHE_HOME/edition/maps, pipeline/parts.user_cache, as
the cut fonts are), keyed on the atlas file's bytes, the frame and projection, and the code
that draws (this module and graphics.py), verified before use like every part; the atlas is
read only when a drawing is not kept. EDITION_MAP_CACHE=off draws every time.
"""
from __future__ import annotations

import hashlib
import json
from array import array
from functools import cache, cached_property
from pathlib import Path

PACKAGE = ("node_modules", "world-atlas")
CACHE_SWITCH = "EDITION_MAP_CACHE"


def atlas_folders(styles) -> list[Path]:
    """Where the atlas is looked for: beside the style folders' projects, then the working folder."""
    return [*styles.folders, Path.cwd()]


def find_atlas(folders, resolution: str = "50m") -> Path | None:
    """countries-<resolution>.json of world-atlas beside any of the style folders' projects."""
    for folder in folders:
        for parent in [Path(folder), *Path(folder).parents][:3]:
            candidate = parent.joinpath(*PACKAGE, f"countries-{resolution}.json")
            if candidate.exists():
                return candidate
    return None


class Geography:
    def __init__(self, path: Path):
        self.path = path
        data = json.loads(path.read_text("utf-8"))
        scale, translate = data["transform"]["scale"], data["transform"]["translate"]
        # each arc's points as one array of doubles (lon, lat, lon, lat …), its parsed JSON let go
        # as it is read: the 1:10m atlas held as tuples was 74 MiB, and 119 MiB at its peak
        self.arcs = []
        arcs = data.pop("arcs")
        for number, arc in enumerate(arcs):
            x = y = 0
            points = array("d")
            for dx, dy in arc:
                x, y = x + dx, y + dy
                points.append(x * scale[0] + translate[0])
                points.append(y * scale[1] + translate[1])
            self.arcs.append(points)
            arcs[number] = None
        self.countries = data["objects"]["countries"]["geometries"]
        self.land = data["objects"]["land"]["geometries"] if "land" in data["objects"] else []

    @cached_property
    def uses(self) -> dict[int, int]:
        """How many countries each arc belongs to (2: a border, 1: a coast)."""
        counts: dict[int, int] = {}
        for geometry in self.countries:
            for ring in _rings(geometry):
                for index in ring:
                    arc = index if index >= 0 else ~index
                    counts[arc] = counts.get(arc, 0) + 1
        return counts

    def _points(self, index: int) -> list[tuple[float, float]]:
        flat = self.arcs[index]
        return list(zip(flat[0::2], flat[1::2]))

    def _arc(self, index: int) -> list[tuple[float, float]]:
        return self._points(index) if index >= 0 else self._points(~index)[::-1]

    def svg(self, project, box, height: float) -> str:
        """Land (filled) and borders (lines) inside `box`, simplified to about a pixel."""
        west, south, east, north = box
        margin = max(east - west, north - south) * 0.2
        view = (west - margin, south - margin, east + margin, north + margin)

        def inside(points):
            return any(view[0] <= lon <= view[2] and view[1] <= lat <= view[3] for lon, lat in points)

        def path(points, closed):
            out, last = [], None
            for lon, lat in points:
                # clamped to the frame: what lies beyond collapses onto its edge (the fill stays right)
                lon, lat = min(max(lon, view[0]), view[2]), min(max(lat, view[1]), view[3])
                x, y = project(lon, lat)
                if last is None or abs(x - last[0]) + abs(y - last[1]) >= 0.8:
                    out.append(f"{x:.1f},{y:.1f}")
                    last = (x, y)
            return ("M" + "L".join(out) + ("Z" if closed else "")) if len(out) > 1 else ""

        land = []
        for geometry in self.countries:
            for ring in _rings(geometry):
                points = [p for index in ring for p in self._arc(index)]
                if inside(points):
                    land.append(path(points, closed=True))
        borders = [path(points, closed=False) for i, n in self.uses.items()
                   if n > 1 and inside(points := self._points(i))]
        return (f'<path class="map-land" d="{"".join(land)}" fill-rule="nonzero"/>'
                f'<path class="map-border" d="{"".join(borders)}"/>')


class KeptGeography:
    """A Geography whose drawings are taken from `cache` (a pipeline.parts.PartCache: the
    user's, else the build's) when kept there; the atlas is read for the first one that is not."""

    def __init__(self, path: Path, cache=None):
        self.path, self.cache = path, cache

    @cached_property
    def geography(self) -> Geography:
        return Geography(self.path)

    @cached_property
    def digest(self) -> str:
        with open(self.path, "rb") as atlas:
            return hashlib.file_digest(atlas, "sha256").hexdigest()

    def svg(self, project, box, height: float) -> str:
        if self.cache is None:
            return self.geography.svg(project, box, height)
        from ..pipeline.inputs import part_key
        frame = repr(((project.west, project.south, project.east, project.north, project.width),
                      tuple(box), height))
        key = part_key("map", code_version(), self.digest, frame)
        payload = self.cache.memo("map", key, lambda: self.geography.svg(project, box, height).encode("utf-8"))
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:  # not a drawing
            return self.geography.svg(project, box, height)


@cache
def code_version() -> str:
    """What a drawing depends on besides the atlas and its frame: this module and the projection's."""
    here = Path(__file__).parent
    return " ".join(hashlib.sha256((here / name).read_bytes()).hexdigest() for name in ("geography.py", "graphics.py"))


def _rings(geometry):
    if geometry.get("type") == "Polygon":
        yield from geometry["arcs"]
    elif geometry.get("type") == "MultiPolygon":
        for polygon in geometry["arcs"]:
            yield from polygon
