"""Events and places → SVG drawn at build time (no tiles, no CDN, works offline).

The timeline gives each year a width by how many events it holds (years with
none shrink to a break in the axis), so that the 1938–39 fighting, not the
forty years of context, takes the width; months are marked where a year is
wide enough, and an overview strip below shows the whole span to scale with
the zoomed years shaded. Bars go in lanes so that they never overlap.

The map draws real geography — land, coasts and today's borders from Natural
Earth (the npm package world-atlas, TopoJSON, read at build time; see
edition/html/geography.py) — in an equirectangular projection corrected for
latitude, with the register's places on it; two insets zoom in on Lake Khasan
and Khalkhin Gol. Labels are placed where they overlap no other label and no
other dot; a second, larger set of labels (fewer of them) is used on a phone.
Both are plain SVG with <title> tooltips and links.
"""
from __future__ import annotations

import datetime as dt
import math
from html import escape

from ..checking.rules import parse_iso

WIDTH = 1000
MONTHS = "JFMAMJJASOND"
MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _day(value: str | None, last: bool = False) -> dt.date | None:
    span = parse_iso(value) if value else None
    if not span or span[0] == dt.date.min:
        return None
    return span[1] if last else span[0]


class YearScale:
    """A piecewise-linear time axis: each year's width grows with its events;
    runs of empty years collapse into one narrow break."""

    def __init__(self, dated, left: float, right: float):
        first = min(a for _, a, _ in dated).year
        last = max(b for _, _, b in dated).year
        counts = {year: 0 for year in range(first, last + 1)}
        for _, start, end in dated:
            for year in range(start.year, end.year + 1):
                counts[year] += 1 if end.year - start.year < 3 else 0  # long spans do not widen every year
            counts[start.year] += 1
        weights = {year: (1 + 4 * n) if n else 0 for year, n in counts.items()}
        # empty years: one break for a run of them
        self.breaks: list[tuple[int, int]] = []
        year = first
        while year <= last:
            if weights[year] == 0:
                end = year
                while end + 1 <= last and weights[end + 1] == 0:
                    end += 1
                weights[year] = 0.6
                for y in range(year + 1, end + 1):
                    weights[y] = 0.0
                self.breaks.append((year, end))
                year = end + 1
            else:
                year += 1
        total = sum(weights.values())
        self.starts: dict[int, float] = {}
        self.widths: dict[int, float] = {}
        position = left
        for year in range(first, last + 1):
            self.starts[year] = position
            self.widths[year] = (right - left) * weights[year] / total
            position += self.widths[year]
        self.first, self.last, self.left, self.right = first, last, left, right

    def x(self, day: dt.date) -> float:
        start = dt.date(day.year, 1, 1)
        length = (dt.date(day.year + 1, 1, 1) - start).days
        return self.starts[day.year] + self.widths[day.year] * (day - start).days / length

    def zoomed(self) -> list[int]:
        """The widest years (at least half the widest): the ones the axis zooms into."""
        widest = max(self.widths.values())
        return [y for y, w in self.widths.items() if w >= widest / 2]


def _dated(events) -> list[tuple]:
    """(event, first day, last day) of each event that has a date; a one-day event ends where it starts."""
    spans = [(e, _day(e.start), _day(e.end, last=True)) for e in events]
    return [(e, a, b or a) for e, a, b in spans if a]


def timeline_svg(events, link=lambda event: f"#{event.id}") -> str:
    dated = _dated(events)
    if not dated:
        return '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="No dated events"/>'
    margin, lane_height = 20, 26
    scale = YearScale(dated, margin, WIDTH - margin)
    lanes: list[float] = []
    bars = []
    for event, start, end in sorted(dated, key=lambda item: item[1]):
        left, right = scale.x(start), max(scale.x(end), scale.x(start) + 6)
        width = 7.2 * len(event.label) + 10
        flipped = left + width > WIDTH - margin  # a label that would leave the picture ends at the bar
        span_start = right - width if flipped else left
        span_end = right if flipped else left + width
        lane = next((i for i, used in enumerate(lanes) if used < span_start), len(lanes))
        if lane == len(lanes):
            lanes.append(0)
        lanes[lane] = max(right, span_end)
        bars.append((event, lane, left, right, start, end, flipped))
    axis_y = 44 + lane_height * len(lanes)
    height = axis_y + 44
    first, last = scale.first, scale.last
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {WIDTH} {height}" '
             f'role="img" aria-label="Timeline of {len(bars)} dated events, {first}–{last}; '
             f'the years with most events are drawn widest">']
    # year and month ticks of the main axis
    for year in range(first, last + 1):
        x0, width = scale.starts[year], scale.widths[year]
        if width <= 0:
            continue
        broken = next(((a, b) for a, b in scale.breaks if a == year), None)
        if broken:
            label = str(broken[0]) if broken[0] == broken[1] else f"{broken[0]}–{str(broken[1])[-2:]}"
            middle = x0 + width / 2
            parts.append(f'<path class="axis-break" d="M{middle - 4:.1f},{axis_y - 6} l4,12 M{middle:.1f},{axis_y - 6} l4,12"/>')
            if width >= 34:
                parts.append(f'<text class="axis-label axis-label-break" x="{middle:.1f}" y="{axis_y + 18}" '
                             f'text-anchor="middle">{label}</text>')
            continue
        parts.append(f'<line class="axis-tick axis-year" x1="{x0:.1f}" y1="20" x2="{x0:.1f}" y2="{axis_y + 6}"/>')
        if width >= 34:
            parts.append(f'<text class="axis-label" x="{x0 + 3:.1f}" y="{axis_y + 18}">{year}</text>')
        if width >= 12 * 12:  # months, where a year is wide enough to read them
            names = MONTH_NAMES if width >= 12 * 30 else list(MONTHS)
            for month in range(1, 13):
                mx = scale.x(dt.date(year, month, 1))
                if month > 1:
                    parts.append(f'<line class="axis-tick axis-month" x1="{mx:.1f}" y1="{axis_y - 4}" '
                                 f'x2="{mx:.1f}" y2="{axis_y + 4}"/>')
                parts.append(f'<text class="axis-label axis-month-label" x="{mx + 2:.1f}" y="{axis_y + 32}">'
                             f'{names[month - 1]}</text>')
    parts.append(f'<line class="axis-line" x1="{margin}" y1="{axis_y}" x2="{WIDTH - margin}" y2="{axis_y}"/>')
    for event, lane, left, right, start, end, flipped in bars:
        y = 30 + lane * lane_height
        label = (f'<text x="{right:.1f}" y="{y + 20}" text-anchor="end">' if flipped
                 else f'<text x="{left:.1f}" y="{y + 20}">')
        when = start.isoformat() if start == end else f"{start.isoformat()} – {end.isoformat()}"
        parts.append(
            f'<a href="{escape(link(event))}" class="timeline-event" data-event="{escape(event.id)}">'
            f'<title>{escape(event.label)} ({when})</title>'
            f'<rect x="{left:.1f}" y="{y}" width="{right - left:.1f}" height="8" rx="3"/>'
            f'{label}{escape(event.label)}</text></a>')
    parts.append("</svg>")
    return "".join(parts)


def overview_svg(events, width: int = 600) -> str:
    """The whole span to scale, as a strip: each event a tick, the years the
    main axis zooms into shaded (readable on a phone: 600 units wide)."""
    dated = _dated(events)
    if not dated:
        return ""
    margin, top = 16, 26
    scale = YearScale(dated, margin, width - margin)
    begin, end = dt.date(scale.first, 1, 1), dt.date(scale.last + 1, 1, 1)
    span = (end - begin).days
    x = lambda day: margin + (width - 2 * margin) * (day - begin).days / span  # noqa: E731
    zoomed = scale.zoomed()
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline timeline-overview" viewBox="0 0 {width} 80" '
             f'role="img" aria-label="The events from {scale.first} to {scale.last} to scale'
             + (f"; most fall in {min(zoomed)}–{max(zoomed)}" if zoomed else "") + '">'
             f'<text class="overview-title" x="{margin}" y="{top - 8}">The whole span to scale</text>'
             f'<rect class="overview-track" x="{margin}" y="{top}" width="{width - 2 * margin}" height="16"/>']
    zoomed = scale.zoomed()
    if zoomed:
        a, b = dt.date(min(zoomed), 1, 1), dt.date(max(zoomed) + 1, 1, 1)
        parts.append(f'<rect class="overview-zoom" x="{x(a):.1f}" y="{top - 3}" width="{x(b) - x(a):.1f}" height="22"/>')
    for _, start, stop in dated:
        parts.append(f'<rect class="overview-event" x="{x(start):.1f}" y="{top + 4}" '
                     f'width="{max(x(stop) - x(start), 1.5):.1f}" height="8"/>')
    step = 10 if scale.last - scale.first > 25 else 5 if scale.last - scale.first > 8 else 1
    first_label = scale.first + (-scale.first) % step
    for year in range(first_label, scale.last + 1, step):
        parts.append(f'<text class="overview-label" x="{x(dt.date(year, 1, 1)):.1f}" y="{top + 42}" '
                     f'text-anchor="middle">{year}</text>')
    parts.append("</svg>")
    return "".join(parts)


# --- the map ------------------------------------------------------------------------

class Projection:
    """Equirectangular, x scaled by the cosine of the middle latitude, fitted to a box."""

    def __init__(self, west, south, east, north, width):
        self.west, self.south, self.east, self.north = west, south, east, north
        self.k = math.cos(math.radians((north + south) / 2))
        self.width = width
        self.scale = width / ((east - west) * self.k)
        self.height = round((north - south) * self.scale)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.west) * self.k * self.scale, (self.north - lat) * self.scale


def map_svg(entries, link=lambda entry: f"#{entry.id}", geography=None, box=None, width=WIDTH,
            title="Map", css_class="map", label_size=12.0, mobile_size=34.0) -> str:
    """The places with coordinates on land and borders (if `geography` is given);
    `box` (west, south, east, north) frames the map, else the places' extent."""
    located = [(e, *e.coordinates) for e in entries if e.coordinates]
    if box is not None:
        west, south, east, north = box
        located = [(e, lat, lon) for e, lat, lon in located if west <= lon <= east and south <= lat <= north]
    if not located:
        return '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="No places with coordinates"/>'
    if box is None:
        latitudes = [lat for _, lat, _ in located]
        longitudes = [lon for _, _, lon in located]
        south, north = min(latitudes) - 2, max(latitudes) + 2
        west, east = min(longitudes) - 3, max(longitudes) + 3
    project = Projection(west, south, east, north, width)
    height = min(max(project.height, 300), 1400)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="{escape(title)}: {len(located)} places, equirectangular projection">',
             f'<rect class="map-sea" width="{width}" height="{height}"/>']
    if geography is not None:
        parts.append(geography.svg(project, (west, south, east, north), height))
    span = east - west
    step = 0.5 if span < 4 else 1 if span < 10 else 5 if span < 60 else 10
    lon = math.floor(west / step) * step
    while lon <= east:
        x, _ = project(lon, north)
        parts.append(f'<line class="graticule" x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}"/>'
                     f'<text class="graticule-label" x="{x + 2:.1f}" y="{height - 4}">{lon:g}°E</text>')
        lon += step
    lat = math.floor(south / step) * step
    while lat <= north:
        _, y = project(west, lat)
        parts.append(f'<line class="graticule" x1="0" y1="{y:.1f}" x2="{width}" y2="{y:.1f}"/>'
                     f'<text class="graticule-label" x="2" y="{y - 2:.1f}">{lat:g}°N</text>')
        lat += step
    points = {entry.id: project(lon, lat) for entry, lat, lon in located}
    dots = [(px - 5, py - 5, px + 5, py + 5) for px, py in points.values()]
    wide = _labels(located, points, dots, label_size, (width, height))
    narrow = _labels(located, points, dots, mobile_size, (width, height))
    for entry, lat, lon in sorted(located, key=lambda item: -item[1]):
        px, py = points[entry.id]
        labels = ""
        for css, placed, size in (("label-wide", wide, label_size), ("label-narrow", narrow, mobile_size)):
            if entry.id in placed:
                lx, ly, anchor = placed[entry.id]
                labels += (f'<text class="{css}" x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" '
                           f'style="font-size:{size:g}px">{escape(entry.name)}</text>')
        parts.append(
            f'<a href="{escape(link(entry))}" class="map-place" data-place="{escape(entry.id)}">'
            f'<title>{escape(entry.name)} ({lat:.2f}, {lon:.2f})</title>'
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4"/>{labels}</a>')
    parts.append("</svg>")
    return "".join(parts)


def _labels(located, points, dots, size: float, frame) -> dict[str, tuple[float, float, str]]:
    """Labels that overlap no other label and no other dot; a place whose label
    finds no free spot is left unlabelled (its dot keeps its tooltip and link)."""
    placed: list[tuple[float, float, float, float]] = []
    result = {}
    # the places most often named first: more of them get a label
    order = sorted(located, key=lambda item: (-len(item[0].occurrences), item[0].name))
    for entry, _, _ in order:
        px, py = points[entry.id]
        own = (px - 5, py - 5, px + 5, py + 5)
        others = [d for d in dots if d != own]
        found = place_label(px, py, entry.name, placed + others, size=size, strict=True, frame=frame)
        if found is not None:
            result[entry.id] = found
            placed.append(_box(*found, entry.name, size))
    return result


def _box(label_x, label_y, anchor, name, size):
    width = 0.58 * size * len(name)
    left = label_x - width if anchor == "end" else label_x
    return (left, label_y - size, left + width, label_y + 2)


def place_label(px: float, py: float, name: str, placed: list, size: float = 12.0,
                strict: bool = False, frame=None) -> tuple[float, float, str] | None:
    """Put a point's label right, left, below or above it, wherever it overlaps
    nothing already placed (about 0.58 em a character). Without `strict`, a
    label with no free spot goes to the right anyway."""
    width, height = 0.58 * size * len(name), size
    gap = size / 2
    candidates = [(px + gap, py + size / 3, "start", px + gap), (px - gap, py + size / 3, "end", px - gap - width),
                  (px - width / 2, py + size * 1.5, "start", px - width / 2),
                  (px - width / 2, py - gap - 2, "start", px - width / 2),
                  (px + gap, py + size * 1.2, "start", px + gap), (px + gap, py - gap, "start", px + gap),
                  (px - gap, py + size * 1.2, "end", px - gap - width), (px - gap, py - gap, "end", px - gap - width)]
    for label_x, label_y, anchor, left in candidates:
        box = (left, label_y - height, left + width, label_y + 2)
        if frame and (box[0] < 0 or box[1] < 0 or box[2] > frame[0] or box[3] > frame[1]):
            continue
        if all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in placed):
            placed.append(box)
            return label_x, label_y, anchor
    if strict:
        return None
    placed.append((px + gap, py - height, px + gap + width, py + 4))
    return px + gap, py + size / 3, "start"
