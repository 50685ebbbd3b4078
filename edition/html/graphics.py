"""Events and places → SVG drawn at build time (no tiles, no CDN, works offline).

The timeline places each dated event on a time axis (months from the
earliest to the latest date) in lanes so that bars never overlap; the map
projects the places that have coordinates (equirectangular, fitted to their
bounding box) with a graticule, so readers see where things are relative to
one another. Both are plain SVG with <title> tooltips and links.
"""
from __future__ import annotations

import datetime as dt
from html import escape

from ..checking.rules import parse_iso

WIDTH = 1000


def _day(value: str | None, last: bool = False) -> dt.date | None:
    span = parse_iso(value) if value else None
    if not span or span[0] == dt.date.min:
        return None
    return span[1] if last else span[0]


def timeline_svg(events, link=lambda event: f"#{event.id}") -> str:
    dated = [(e, _day(e.start), _day(e.end, last=True)) for e in events]
    dated = [(e, a, b or a) for e, a, b in dated if a]
    if not dated:
        return '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="No dated events"/>'
    first = min(a for _, a, _ in dated)
    last = max(b for _, _, b in dated)
    total = max((last - first).days, 1)
    margin, lane_height = 20, 26
    x = lambda day: margin + (WIDTH - 2 * margin) * (day - first).days / total  # noqa: E731
    lanes: list[float] = []
    bars = []
    for event, start, end in sorted(dated, key=lambda item: item[1]):
        left, right = x(start), max(x(end), x(start) + 6)
        width = 7.2 * len(event.label) + 10
        flipped = left + width > WIDTH - margin  # a label that would leave the picture ends at the bar
        span_start = right - width if flipped else left
        span_end = right if flipped else left + width
        lane = next((i for i, used in enumerate(lanes) if used < span_start), len(lanes))
        if lane == len(lanes):
            lanes.append(0)
        lanes[lane] = max(right, span_end)
        bars.append((event, lane, left, right, start, end, flipped))
    height = 40 + lane_height * len(lanes) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {WIDTH} {height}" '
             f'role="img" aria-label="Timeline of {len(bars)} dated events, {first.year}–{last.year}">']
    for year in range(first.year, last.year + 1):
        day = max(dt.date(year, 1, 1), first)
        parts.append(f'<line class="axis-tick" x1="{x(day):.1f}" y1="20" x2="{x(day):.1f}" y2="{height - 20}"/>'
                     f'<text class="axis-label" x="{x(day) + 3:.1f}" y="{height - 6}">{year}</text>')
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


def map_svg(entries, link=lambda entry: f"#{entry.id}") -> str:
    located = [(e, *e.coordinates) for e in entries if e.coordinates]
    if not located:
        return '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="No places with coordinates"/>'
    latitudes = [lat for _, lat, _ in located]
    longitudes = [lon for _, _, lon in located]
    south, north = min(latitudes) - 2, max(latitudes) + 2
    west, east = min(longitudes) - 3, max(longitudes) + 3
    height = round(WIDTH * (north - south) / (east - west)) if east > west else WIDTH
    height = min(max(height, 400), 1400)
    x = lambda lon: (lon - west) / (east - west) * WIDTH  # noqa: E731
    y = lambda lat: (north - lat) / (north - south) * height  # noqa: E731
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="map" viewBox="0 0 {WIDTH} {height}" '
             f'role="img" aria-label="Map of {len(located)} places, equirectangular projection">',
             f'<rect class="map-sea" width="{WIDTH}" height="{height}"/>']
    step = 5 if (east - west) < 60 else 10
    for lon in range(int(west // step * step), int(east) + 1, step):
        parts.append(f'<line class="graticule" x1="{x(lon):.1f}" y1="0" x2="{x(lon):.1f}" y2="{height}"/>'
                     f'<text class="graticule-label" x="{x(lon) + 2:.1f}" y="{height - 4}">{lon}°E</text>')
    for lat in range(int(south // step * step), int(north) + 1, step):
        parts.append(f'<line class="graticule" x1="0" y1="{y(lat):.1f}" x2="{WIDTH}" y2="{y(lat):.1f}"/>'
                     f'<text class="graticule-label" x="2" y="{y(lat) - 2:.1f}">{lat}°N</text>')
    placed: list[tuple[float, float, float, float]] = []
    for entry, lat, lon in sorted(located, key=lambda item: -item[1]):
        label_x, label_y, anchor = place_label(x(lon), y(lat), entry.name, placed)
        parts.append(
            f'<a href="{escape(link(entry))}" class="map-place" data-place="{escape(entry.id)}">'
            f'<title>{escape(entry.name)} ({lat:.2f}, {lon:.2f})</title>'
            f'<circle cx="{x(lon):.1f}" cy="{y(lat):.1f}" r="4"/>'
            f'<text x="{label_x:.1f}" y="{label_y:.1f}" text-anchor="{anchor}">{escape(entry.name)}</text></a>')
    parts.append("</svg>")
    return "".join(parts)


def place_label(px: float, py: float, name: str, placed: list) -> tuple[float, float, str]:
    """Put a point's label right, left, below or above it, wherever it overlaps
    no label already placed (12 px text, about 7 px a character)."""
    width, height = 7.0 * len(name), 12.0
    candidates = [(px + 6, py + 4, "start", px + 6), (px - 6, py + 4, "end", px - 6 - width),
                  (px - width / 2, py + 18, "start", px - width / 2), (px - width / 2, py - 8, "start", px - width / 2)]
    for label_x, label_y, anchor, left in candidates:
        box = (left, label_y - height, left + width, label_y)
        if all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in placed):
            placed.append(box)
            return label_x, label_y, anchor
    placed.append((px + 6, py - 8, px + 6 + width, py + 4))
    return px + 6, py + 4, "start"
