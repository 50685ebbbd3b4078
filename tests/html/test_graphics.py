"""Timeline and map SVG, drawn at build time."""
from pathlib import Path

import pytest
from lxml import etree

from edition.html.collect import Entry, Event
from edition.html.geography import Geography, find_atlas
from edition.html.graphics import map_svg, overview_svg, timeline_svg
from edition.xmlio import tei

SVG = "{http://www.w3.org/2000/svg}"


def event(identifier, start, end=None, label=None):
    return Event(identifier, label or identifier, None, start, end or start)


def place(identifier, lat, lon):
    element = etree.fromstring(f'<place xmlns="http://www.tei-c.org/ns/1.0"><location><geo>{lat} {lon}</geo>'
                               f"</location></place>")
    return Entry("place", identifier, f"pla:{identifier}", identifier.title(), element, [])


def test_timeline_places_events_in_time_order_and_links_them():
    svg = etree.fromstring(timeline_svg([event("b", "1939-08-20", "1939-08-31"), event("a", "1938-07-29")]))
    links = svg.findall(f"{SVG}a")
    assert [a.get("data-event") for a in links] == ["a", "b"]
    xs = [float(a.find(f"{SVG}rect").get("x")) for a in links]
    assert xs[0] < xs[1]
    assert links[0].get("href") == "#a"


def test_overlapping_events_go_to_different_lanes():
    svg = etree.fromstring(timeline_svg([event("a", "1939-05-11", "1939-09-16", "A long war"),
                                         event("b", "1939-07-03", "1939-07-05", "A battle")]))
    ys = [float(r.get("y")) for r in svg.iter(f"{SVG}rect")]
    assert ys[0] != ys[1]


def test_undated_events_are_left_out():
    svg = etree.fromstring(timeline_svg([event("a", None), event("b", "1939")]))
    assert [a.get("data-event") for a in svg.findall(f"{SVG}a")] == ["b"]


def test_map_projects_north_up_and_west_left():
    svg = etree.fromstring(map_svg([place("moscow", 55.75, 37.62), place("hailar", 49.21, 119.74)]))
    points = {a.get("data-place"): a.find(f"{SVG}circle") for a in svg.findall(f"{SVG}a")}
    assert float(points["moscow"].get("cx")) < float(points["hailar"].get("cx"))
    assert float(points["moscow"].get("cy")) < float(points["hailar"].get("cy"))


def test_places_without_coordinates_are_not_drawn():
    no_geo = Entry("place", "x", "pla:x", "X", etree.Element(tei("place")), [])
    svg = etree.fromstring(map_svg([no_geo, place("hailar", 49.21, 119.74)]))
    assert len(svg.findall(f"{SVG}a")) == 1


def label_boxes(svg, css):
    boxes = []
    for text in svg.iter(f"{SVG}text"):
        if text.get("class") != css:
            continue
        size = float(text.get("style").split(":")[1].removesuffix("px"))
        x, y, width = float(text.get("x")), float(text.get("y")), 0.58 * size * len(text.text)
        left = x - width if text.get("text-anchor") == "end" else x
        boxes.append((left, y - size, left + width, y))
    return boxes


def apart(a, b):
    return a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1]


@pytest.mark.parametrize("css", ["label-wide", "label-narrow"])
def test_labels_overlap_no_other_label_and_no_other_dot(css):
    places = [place("khalkhin-gol", 47.8, 118.6), place("nomonhan", 47.75, 118.75), place("hailar", 49.2, 119.8),
              place("tamsag", 47.2, 117.3), place("ganjur", 48.3, 118.9)]
    svg = etree.fromstring(map_svg(places))
    boxes = label_boxes(svg, css)
    assert boxes
    assert all(apart(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    dots = [(float(c.get("cx")), float(c.get("cy"))) for c in svg.iter(f"{SVG}circle")]
    for link in svg.findall(f"{SVG}a"):
        own = link.find(f"{SVG}circle")
        for text in link.iter(f"{SVG}text"):
            if text.get("class") != css:
                continue
            (box,) = [b for b in label_boxes(svg, css) if b[0] <= float(text.get("x")) <= b[2] + 1
                      and abs(b[3] - float(text.get("y"))) < 0.01] or [None]
            if box is None:
                continue
            for x, y in dots:
                if (x, y) != (float(own.get("cx")), float(own.get("cy"))):
                    assert apart(box, (x - 4, y - 4, x + 4, y + 4))


def test_the_map_draws_natural_earth_land_and_borders():
    atlas = find_atlas([Path(__file__).resolve().parents[2] / "styles"], "50m")
    assert atlas is not None, "npm ci installs world-atlas (package.json)"
    svg = etree.fromstring(map_svg([place("hailar", 49.21, 119.74), place("khasan", 42.45, 130.6)],
                                   geography=Geography(atlas)))
    land = svg.find(f"{SVG}path[@class='map-land']")
    borders = svg.find(f"{SVG}path[@class='map-border']")
    assert land is not None and land.get("d").count("M") > 3
    assert borders is not None and borders.get("d").count("L") > 20


def test_the_timeline_gives_the_busy_years_the_width():
    events = [event("war", "1904-02-08", "1905-09-05")] + [
        event(f"e{i}", f"1939-{m:02d}-01") for i, m in enumerate(range(1, 13))] + [
        event(f"k{i}", f"1938-{m:02d}-10") for i, m in enumerate(range(6, 9))] + [event("end", "1945-08-09")]
    svg = etree.fromstring(timeline_svg(events))
    xs = {a.get("data-event"): float(a.find(f"{SVG}rect").get("x")) for a in svg.findall(f"{SVG}a")}
    width = float(svg.get("viewBox").split()[2])
    assert xs["end"] - xs["e11"] < (xs["e11"] - xs["e0"])  # 1939 wider than the six years after it
    assert xs["e0"] - xs["war"] < width / 2
    labels = [t.text for t in svg.iter(f"{SVG}text") if "axis-month-label" in (t.get("class") or "")]
    assert "Jan" in labels or "J" in labels
    years = sorted(float(t.get("x")) for t in svg.iter(f"{SVG}text")
                   if (t.get("class") or "").startswith("axis-label") and "month" not in t.get("class")
                   and "overview" not in t.get("class"))
    assert len(years) >= 3 and all(b - a >= 30 for a, b in zip(years, years[1:]))  # "19041905…" no more
    overview = etree.fromstring(overview_svg(events))
    zoom = overview.find(f"{SVG}rect[@class='overview-zoom']")
    track = overview.find(f"{SVG}rect[@class='overview-track']")
    assert float(zoom.get("width")) < float(track.get("width")) / 4  # 1938–39 to scale: a small part


def test_text_of_keeps_document_order_and_leaves_out_notes_and_corrections():
    from edition.html.collect import text_of
    s = etree.fromstring('<s xmlns="http://www.tei-c.org/ns/1.0">制空权,<persName>朱<hi>可</hi>夫</persName>命令'
                         '<choice><sic>wyżynyZ</sic><corr>wyżyny Z</corr></choice>'
                         '<note>gloss</note>。</s>')
    assert text_of(s) == "制空权,朱可夫命令wyżynyZ。"


def test_the_atlas_arcs_are_the_topojson_deltas_summed_and_scaled_forwards_and_backwards():
    """Geography keeps each arc as one array of doubles; a point must be exactly the
    float TopoJSON's quantised deltas give (x·scale + translate), and ~i the arc reversed."""
    import json
    atlas = find_atlas([Path(__file__).resolve().parents[2]], "110m")
    if atlas is None:
        pytest.skip("world-atlas is not installed (make node_modules/.installed-stamp)")
    data = json.loads(atlas.read_text("utf-8"))
    (sx, sy), (tx, ty) = data["transform"]["scale"], data["transform"]["translate"]
    geography = Geography(atlas)
    assert len(geography.arcs) == len(data["arcs"]) > 100
    for index, arc in enumerate(data["arcs"]):
        x = y = 0
        expected = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            expected.append((x * sx + tx, y * sy + ty))
        assert geography._arc(index) == expected
        assert geography._arc(~index) == expected[::-1]
