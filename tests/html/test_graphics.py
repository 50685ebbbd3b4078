"""Timeline and map SVG, drawn at build time."""
from lxml import etree

from edition.html.collect import Entry, Event
from edition.html.graphics import map_svg, timeline_svg
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


def test_labels_of_nearby_places_do_not_overlap():
    svg = etree.fromstring(map_svg([place("khalkhin-gol", 47.8, 118.6), place("nomonhan", 47.75, 118.75)]))
    boxes = []
    for text in svg.iter(f"{SVG}text"):
        if text.getparent().tag != f"{SVG}a":
            continue
        x, y, width = float(text.get("x")), float(text.get("y")), 7.0 * len(text.text)
        left = x - width if text.get("text-anchor") == "end" else x
        boxes.append((left, y - 12, left + width, y))
    (a, b) = boxes
    assert a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1]


def test_text_of_keeps_document_order_and_leaves_out_notes_and_corrections():
    from edition.html.collect import text_of
    s = etree.fromstring('<s xmlns="http://www.tei-c.org/ns/1.0">制空权,<persName>朱<hi>可</hi>夫</persName>命令'
                         '<choice><sic>wyżynyZ</sic><corr>wyżyny Z</corr></choice>'
                         '<note>gloss</note>。</s>')
    assert text_of(s) == "制空权,朱可夫命令wyżynyZ。"
