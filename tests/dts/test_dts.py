"""DTS 1.0 (edition/dts/): the specification's rules as tests, on the real edition.

Each test names the rule of https://distributed-text-services.github.io/specifications/versions/v1.0/
it checks: required members, status codes, document order, pagination, the
TEI of passages, and that the static files are the same answers as the server's.
"""
from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from lxml import etree

from edition import Edition
from edition.corpus import Corpus
from edition.dts import DtsService, write_static_api
from edition.dts.service import DTS_NS, ROOT
from edition.dts.urls import StaticUrls
from edition.sources.reading import element_text
from edition.xmlio import NS, TEI_NS
from tests.conftest import ROOT as PROJECT

ENTRY_PARAMETERS = {"collection": {"id", "page", "nav"},
                    "navigation": {"resource", "ref", "start", "end", "down", "tree", "page"},
                    "document": {"resource", "ref", "start", "end", "tree", "mediaType"}}


@pytest.fixture(scope="module")
def view():
    from edition.html.collect import collect
    return collect(Corpus.load(Edition.at(PROJECT)))


@pytest.fixture(scope="module")
def dts(view):
    return DtsService(view)


def every_member(dts, **params) -> list:
    """The members of a navigation answer over all its pages (following view.next)."""
    members, page = [], None
    while True:
        body = dts.navigation(**params, **({"page": page} if page else {})).json()
        members += body["member"]
        if not body.get("view", {}).get("next"):
            return members
        page = (page or 1) + 1


def template_variables(template: str) -> set[str]:
    import re
    return {name for group in re.findall(r"\{[?&/;]?([^}]*)\}", template) for name in group.split(",")}


def test_the_entry_point_has_the_required_members_and_every_parameter_in_its_templates(dts):
    body = dts.entry().json()
    assert body["@type"] == "EntryPoint" and body["dtsVersion"] == "1.0" and body["@context"]
    for endpoint, parameters in ENTRY_PARAMETERS.items():
        assert template_variables(body[endpoint]) == parameters, endpoint


def test_the_collections_lead_from_the_root_to_every_source_and_back(dts, view):
    root = dts.collection().json()
    assert root["@id"] == ROOT and root["totalParents"] == 0 and root["totalChildren"] == len(root["member"])
    edition = dts.collection(id=root["member"][0]["@id"]).json()
    assert edition["@type"] == "Collection" and edition["totalChildren"] == len(view.sources)
    assert [m["@id"] for m in edition["member"]] == [s.id for s in view.sources]
    for member in edition["member"]:
        for required in ("@id", "@type", "title", "totalParents", "collection", "navigation", "document",
                         "citationTrees"):
            assert required in member, required
        parents = dts.collection(id=member["@id"], nav="parents").json()
        assert [p["@id"] for p in parents["member"]] == [edition["@id"]]
        assert parents["totalParents"] == 1
    assert dts.handle("collection", {"id": "nowhere"}).status == 404
    assert dts.handle("collection", {"nav": "sideways"}).status == 400


def test_a_collection_larger_than_a_page_is_paginated_with_first_previous_next_last(view):
    small = DtsService(view, page_size=3)
    first = small.collection(id="edition").json()
    pages, page = [first], first
    assert first["view"]["first"] == first["view"]["@id"] and first["view"]["previous"] is None
    while page["view"]["next"]:
        number = len(pages) + 1
        page = small.collection(id="edition", page=number).json()
        assert page["view"]["previous"].endswith(f"page={number - 1}")
        pages.append(page)
    assert page["view"]["@id"] == page["view"]["last"]
    assert [m["@id"] for p in pages for m in p["member"]] == [s.id for s in view.sources]
    assert small.handle("collection", {"id": "edition", "page": "99"}).status == 404


def test_a_sentence_is_cited_by_its_permalink_id_in_both_trees(dts, view):
    for source in view.sources:
        units = every_member(dts, resource=source.id, down=-1)
        identifiers = [u["identifier"] for u in units]
        assert len(identifiers) == len(set(identifiers)), "identifiers are unique within a tree"
        assert {p.id for p in source.pairs} <= set(identifiers)
        english = every_member(dts, resource=source.id, tree="translation", down=-1)
        assert {p.translation_id for p in source.pairs if p.translation is not None} <= {
            u["identifier"] for u in english}


def test_navigation_follows_the_specifications_table_of_down_ref_start_end(dts, view):
    source = view.sources[0]
    everything = every_member(dts, resource=source.id, down=-1)
    by_id = {u["identifier"]: u for u in everything}
    tops = [u for u in everything if u["level"] == 1]
    assert all(u["parent"] is None for u in tops)
    assert every_member(dts, resource=source.id, down=1) == tops
    for unit in everything:  # pre-order depth-first: a parent comes before its children
        if unit["parent"]:
            assert everything.index(by_id[unit["parent"]]) < everything.index(unit)
    paragraph = tops[1]["identifier"]
    alone = dts.navigation(resource=source.id, ref=paragraph).json()
    assert alone["ref"]["identifier"] == paragraph and "member" not in alone
    children = dts.navigation(resource=source.id, ref=paragraph, down=1).json()["member"]
    assert children and all(u["parent"] == paragraph for u in children)
    siblings = dts.navigation(resource=source.id, ref=paragraph, down=0).json()["member"]
    assert siblings == tops
    first, last = children[0]["identifier"], children[-1]["identifier"]
    ranged = dts.navigation(resource=source.id, start=first, end=last, down=0 or 1).json()
    assert ranged["start"]["identifier"] == first and [u["identifier"] for u in ranged["member"]] == [
        u["identifier"] for u in children]


@pytest.mark.parametrize("params, status", [
    ({}, 400),                                                     # no resource
    ({"resource": "pl-khasan"}, 400),                              # neither ref, range nor down
    ({"resource": "pl-khasan", "down": "0"}, 400),                 # down=0 without ref
    ({"resource": "pl-khasan", "ref": "pl-khasan-s1", "start": "pl-khasan-s1", "end": "pl-khasan-s2"}, 400),
    ({"resource": "pl-khasan", "start": "pl-khasan-s1"}, 400),     # start without end
    ({"resource": "pl-khasan", "down": "x"}, 400),
    ({"resource": "nowhere", "down": "1"}, 404),
    ({"resource": "pl-khasan", "ref": "pl-khasan-s999"}, 404),
    ({"resource": "pl-khasan", "tree": "nowhere", "down": "1"}, 404),
])
def test_navigation_refuses_what_the_specification_refuses(dts, params, status):
    response = dts.handle("navigation", params)
    assert response.status == status
    assert response.json()["description"]


def test_a_passage_is_tei_with_the_sentence_in_a_dts_wrapper(dts, view):
    source = view.sources[2]
    pair = source.pairs[3]
    response = dts.document(resource=source.id, ref=pair.id)
    root = etree.fromstring(response.body)
    assert root.tag == f"{{{TEI_NS}}}TEI" and response.content_type == "application/tei+xml"
    wrapper = root.find(f"{{{DTS_NS}}}wrapper")
    assert [element_text(e) for e in wrapper] == [element_text(pair.original)]
    assert root.find("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title", NS) is not None
    assert 'rel="collection"' in response.headers["Link"]
    english = etree.fromstring(dts.document(resource=source.id, tree="translation", ref=pair.translation_id).body)
    assert [element_text(e) for e in english.find(f"{{{DTS_NS}}}wrapper")] == [element_text(pair.translation)]
    whole = etree.fromstring(dts.document(resource=source.id).body)
    assert element_text(whole) == element_text(source.document.root)
    assert dts.handle("document", {"resource": source.id, "mediaType": "text/html"}).status == 404
    assert dts.handle("document", {}).status == 400


def test_a_range_returns_every_sentence_from_start_to_end(dts, view):
    source = view.sources[1]
    first, last = source.pairs[0], source.pairs[2]
    root = etree.fromstring(dts.document(resource=source.id, start=first.id, end=last.id).body)
    wrapped = root.find(f"{{{DTS_NS}}}wrapper")
    assert [e.get("{http://www.w3.org/XML/1998/namespace}id") for e in wrapped] == [
        p.id for p in source.pairs[:3]]


def test_the_static_files_are_the_servers_answers_at_the_static_templates(view, tmp_path):
    written = write_static_api(view, tmp_path)
    api = tmp_path / "api" / "dts"
    entry = json.loads((api / "index.json").read_text("utf-8"))
    urls, service = StaticUrls(), DtsService(view, StaticUrls())
    assert entry == service.entry().json()
    assert written == sum(1 for p in api.rglob("*") if p.is_file())
    source = max(view.sources, key=lambda s: len(s.pairs))  # long enough for a second page
    pair = source.pairs[5]
    for endpoint, params in [("collection", {}), ("collection", {"id": "edition"}),
                             ("collection", {"id": source.id, "nav": "parents"}),
                             ("navigation", {"resource": source.id, "down": -1}),
                             ("navigation", {"resource": source.id, "down": -1, "page": 2}),
                             ("navigation", {"resource": source.id, "ref": pair.id, "down": 0}),
                             ("navigation", {"resource": source.id, "tree": "translation", "ref": pair.translation_id}),
                             ("document", {"resource": source.id, "ref": pair.id})]:
        path = api / urls.path(endpoint, **params)
        assert path.read_bytes() == getattr(service, endpoint)(**params).body, (endpoint, params)


def test_every_json_answer_is_what_the_standard_librarys_indented_dump_writes(view, tmp_path):
    """The service serialises the objects it makes once (units, resources) once per depth;
    the bytes must stay json.dumps(..., ensure_ascii=False, indent=1)'s, whatever is reused."""
    write_static_api(view, tmp_path)
    answers = sorted((tmp_path / "api" / "dts").rglob("*.json"))
    assert len(answers) > 100
    for path in answers:
        data = path.read_bytes()
        assert data == json.dumps(json.loads(data), ensure_ascii=False, indent=1).encode("utf-8"), path
    from edition.dts.service import _indented
    awkward = {"a": [], "b": {}, "c": [1.5, -0.0, 10**20, True, None, "é\"\n\u2028"], 3: {"x": [[]]}}
    assert _indented(awkward, 0, {}, set()) == json.dumps(awkward, ensure_ascii=False, indent=1)


def test_a_large_editions_static_api_has_each_whole_document_and_tree_but_no_unit_answers(view, tmp_path,
                                                                                         monkeypatch):
    """Above the site's MANY_SOURCES the per-unit answers (~700 files a source) are left to a
    server; what a client needs to walk the corpus and read every document stays."""
    from edition.html import pages
    monkeypatch.setattr(pages, "MANY_SOURCES", len(view.sources) - 1)
    written = write_static_api(view, tmp_path / "large")
    full = write_static_api(view, tmp_path / "small", units=True)
    api = tmp_path / "large" / "api" / "dts"
    files = {p.relative_to(api).as_posix() for p in api.rglob("*") if p.is_file()}
    assert written == len(files) < full / 10
    urls, service = StaticUrls(), DtsService(view, StaticUrls())
    for source in view.sources:
        trees = [None] + [t for t in ("translation",) if any(p.translation is not None for p in source.pairs)]
        assert (api / urls.path("document", resource=source.id)).read_bytes() == \
            service.document(resource=source.id).body.replace(b"{/ref}", b"")
        for tree in trees:
            for down in (1, -1):
                path = urls.path("navigation", resource=source.id, tree=tree, down=down)
                assert (api / path).read_bytes() == \
                    service.navigation(resource=source.id, tree=tree, down=down).body.replace(b"{/ref}", b"")
        assert not [f for f in files if f.startswith((f"navigation/{source.id}/", f"navigation/{source.id};"))
                    and f.count("/") > 1], source.id  # no navigation from a unit
        assert not (api / "document" / source.id).exists()  # no unit's passage
    small = tmp_path / "small" / "api" / "dts"
    for name in files - {"index.json"}:  # what a large edition writes is what a small one writes there,
        # but for the templates its resources offer, which take no `ref`
        assert (api / name).read_bytes() == (small / name).read_bytes().replace(b"{/ref}", b""), name
    import json
    offered, full_offer = (json.loads((where / "index.json").read_bytes()) for where in (api, small))
    assert [offered[name] for name in ("navigation", "document")] == [  # no unit asked for where none is
        "/api/dts/navigation/{resource}{;tree,down,page}.json", "/api/dts/document/{resource}{;tree}.xml"]
    assert "{/ref}" in full_offer["document"] and offered["collection"] == full_offer["collection"]


def test_a_units_siblings_and_descendants_are_those_its_parent_links_give(view):
    from edition.dts.citation import citation_trees
    for source in view.sources:
        for tree in citation_trees(source):
            units, by_id = tree.units(), tree.by_id()

            def below(unit, base):
                while unit.parent:
                    unit = by_id[unit.parent]
                    if unit is base:
                        return True
                return False
            for unit in units:
                assert tree.siblings(unit.parent) == [u for u in units if u.parent == unit.parent]
                assert tree.descendants(unit) == [u for u in units if below(u, unit)]


def test_edition_serve_answers_the_query_form_over_http(tmp_path, view):
    import threading
    import urllib.request
    from edition.serve import make_server
    edition = Edition.at(PROJECT)
    server = make_server(edition, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_port}/api/dts"
        with urllib.request.urlopen(f"{base}/", timeout=30) as response:
            entry = json.load(response)
            assert response.headers["Content-Type"].startswith("application/ld+json")
        assert entry["navigation"].startswith(base)
        source = view.sources[3]
        query = urlencode({"resource": source.id, "ref": source.pairs[0].id})
        with urllib.request.urlopen(f"{base}/document?{query}", timeout=30) as response:
            assert response.headers["Content-Type"].startswith("application/tei+xml")
            assert etree.fromstring(response.read()).find(f"{{{DTS_NS}}}wrapper") is not None
        try:
            urllib.request.urlopen(f"{base}/navigation?resource={source.id}", timeout=30)
            raise AssertionError("a navigation request without ref or down must be refused")
        except urllib.error.HTTPError as error:
            assert error.code == 400
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def fixtures_view(tmp_path_factory):
    """A new edition (`edition new`) made of other people's TEI: the shared fixtures."""
    from edition.html.collect import collect
    from edition.scaffold import new_edition
    from tests.conftest import SHARED
    root = tmp_path_factory.mktemp("fixtures-edition")
    new_edition(root, title="Fixtures", languages=["en"])
    for name in ("tp-serafin-orlik-letter", "tp-vangogh-let695", "epidoc-iospe-PE3000196-greek",
                 "teic-stylesheets-testapp2-yasna"):
        (root / "tei" / "sources" / f"{name}.xml").write_bytes(
            (SHARED / "fixtures" / "tei" / f"{name}.xml").read_bytes())
    return collect(Corpus.load(Edition.at(root)))


def test_a_new_edition_of_other_peoples_tei_is_served_with_every_required_member(fixtures_view):
    dts = DtsService(fixtures_view, page_size=5)
    members = dts.collection(id="edition").json()
    assert members["totalChildren"] == 4
    for resource in members["member"]:
        assert {"@id", "@type", "title", "totalParents", "collection", "navigation", "document",
                "citationTrees"} <= set(resource)
        units = every_member(dts, resource=resource["@id"], down=-1)
        for unit in units:
            assert {"identifier", "@type", "level", "parent"} <= set(unit)
            passage = etree.fromstring(dts.document(resource=resource["@id"], ref=unit["identifier"]).body)
            assert passage.tag == f"{{{TEI_NS}}}TEI" and len(passage.find(f"{{{DTS_NS}}}wrapper"))
    translated = [r for r in members["member"] if len(r["citationTrees"]) > 1]
    assert {r["@id"] for r in translated} >= {"tp-serafin-orlik-letter", "tp-vangogh-let695"}
    vangogh = every_member(dts, resource="tp-vangogh-let695", down=-1)
    assert len(vangogh) > 5, "a Van Gogh letter has more units than a page: pagination was followed"
