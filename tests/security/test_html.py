"""Nothing runs from TEI or an ODD: script-bearing names, links, attributes and
CSS are reduced by edition.safety, and a real browser shows that no payload ran."""
from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html

from edition import safety
from tests.html.conftest import browser  # noqa: F401 - the shared headless Chromium
from tests.security.conftest import assert_refused, run_edition, valid_source

PAYLOAD = "window.pwned=(window.pwned||0)+1"


def hostile_odd(folder, canary_url: str):
    path = folder / "hostile.odd"
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:pb="http://teipublisher.com/1.0">
  <teiHeader><fileDesc><titleStmt><title>hostile</title></titleStmt></fileDesc></teiHeader>
  <text><body><schemaSpec ident="x">
    <elementSpec ident="title" mode="change">
      <model behaviour="webcomponent">
        <param name="name" value="'pb-x'"/>
        <param name="onfocus" value="'{PAYLOAD}'"/>
        <param name="autofocus" value="'autofocus'"/>
        <param name="tabindex" value="'0'"/>
      </model>
    </elementSpec>
    <elementSpec ident="licence" mode="change">
      <model behaviour="inline">
        <param name="url" value="@target"/>
        <pb:template><a href="[[url]]" onclick="{PAYLOAD}">licence</a><img src="{canary_url}/img.png" onerror="{PAYLOAD}"/><script>{PAYLOAD}</script></pb:template>
      </model>
    </elementSpec>
    <elementSpec ident="ref" mode="change">
      <model behaviour="link"><param name="uri" value="@target"/></model>
    </elementSpec>
    <elementSpec ident="p" mode="change">
      <model behaviour="paragraph">
        <outputRendition>color: red}} body {{ background: url({canary_url}/css.png) }} .x {{ color: blue</outputRendition>
      </model>
    </elementSpec>
  </schemaSpec></body></text>
</TEI>
""", "utf-8")
    return path


def hostile_tei(folder, canary_url: str):
    path = folder / "hostile.xml"
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><fileDesc><titleStmt><title>A hostile letter</title></titleStmt>
    <publicationStmt><availability><licence target="javascript:{PAYLOAD}">CC</licence></availability></publicationStmt>
    <sourceDesc><p>x</p></sourceDesc></fileDesc>
    <encodingDesc><tagsDecl><rendition xml:id="r1">color: green; }} body {{ background-image: url({canary_url}/r1.png); }} .y {{</rendition></tagsDecl></encodingDesc>
  </teiHeader>
  <text><body>
    <p rendition="#r1">Text <ref target="javascript:{PAYLOAD}">one</ref> <ref target=" jav&#x09;ascript:{PAYLOAD}">two</ref>
      <ref target="data:text/html,&lt;script&gt;{PAYLOAD}&lt;/script&gt;">three</ref>
      <ref target="https://example.org/ok">ok</ref> &lt;script&gt;{PAYLOAD}&lt;/script&gt;
      <graphic url="{canary_url}/graphic.png"/><graphic url="/etc/hostname"/></p>
  </body></text>
</TEI>
""", "utf-8")
    return path


def assert_harmless(page: str) -> None:
    document = lxml_html.document_fromstring(page)
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if (element.tag, name, value) == ("form", "onsubmit", "return false"):
                continue  # the search page's own template (styles/templates/search.html), a constant
            assert not name.lower().startswith("on"), (element.tag, name)
            assert name.lower() != "autofocus"
            if name in ("href", "src"):
                assert safety.safe_link(value) == value, value
            if name == "src":
                assert safety.safe_resource(value) == value, value
    assert not document.xpath("//script[not(@src)][contains(., 'pwned')]")
    for style in document.xpath("//style/text()") + document.xpath("//@style"):
        assert "url(" not in style and "body" not in style.replace("tei-body", "")


def test_render_with_a_hostile_odd_runs_nothing_and_fetches_nothing(edition, canary, browser, tmp_path):  # noqa: F811
    odd, tei = hostile_odd(tmp_path, canary.url), hostile_tei(tmp_path, canary.url)
    for odd_args in (["--odd", str(odd)], []):
        run = run_edition(edition, "render", str(tei), *odd_args, "-o", str(tmp_path / "out.html"), trace=False)
        assert run.returncode == 0, run.stderr
        page = (tmp_path / "out.html").read_text("utf-8")
        assert "A hostile letter" in page
        assert "https://example.org/ok" in page  # ordinary links survive
        assert_harmless(page)
        browser.get((tmp_path / "out.html").as_uri())
        for element in browser.find_elements("css selector", "a, button, pb-x, [tabindex]"):
            try:
                element.click()
            except Exception:  # noqa: BLE001 - not clickable is fine: nothing ran
                pass
        assert browser.execute_script("return window.pwned === undefined")
        assert browser.execute_script("return getComputedStyle(document.body).backgroundImage") == "none"


def test_a_script_url_file_name_never_reaches_the_site(edition, canary):
    (edition.sources_dir / "javascript:window.pwned=1,window.xml").write_text(
        valid_source(edition).replace('xml:id="es-k"', 'xml:id="jsname"'), "utf-8")
    run = run_edition(edition, "check", "--no-tei-all", trace=False)
    assert_refused(run, "source-id")
    assert_refused(run_edition(edition, "build", "--html", trace=False), "source-id")
    assert not (edition.build_dir / "html").exists()


def test_site_urls_are_relative_and_inside_the_site():
    assert safety.site_url("es-k") == "es-k.html"
    assert safety.site_url("es-k", "s 1") == "es-k.html#s%201"
    for bad in ("javascript:alert(1)", "../x", "/etc/x", "a/b", "", "..", "x y", "%2e%2e"):
        with pytest.raises(ValueError):
            safety.site_url(bad)


def test_the_built_site_carries_only_safe_urls_and_no_payload_runs(edition, canary, browser):  # noqa: F811
    text = valid_source(edition)
    start = text.index("<s ")
    end = text.index(">", start) + 1
    text = text[:end] + f"&lt;img src=x onerror={PAYLOAD}&gt;&lt;script&gt;{PAYLOAD}&lt;/script&gt;" + text[end:]
    edition.source_path("es-k").write_text(text, "utf-8")
    run = run_edition(edition, "build", "--html", trace=False)
    assert run.returncode == 0, run.stderr
    site = edition.build_dir / "html"
    for page in sorted(site.glob("*.html")):
        content = page.read_text("utf-8")
        assert_harmless(content)
        for href in re.findall(r'<nav.*?</nav>', content, re.S):
            assert "javascript" not in href
        browser.get(page.as_uri())
        assert browser.execute_script("return window.pwned === undefined"), page.name
    browser.get((site / "search.html").as_uri())  # the hostile text as a search result
    search = browser.find_element("id", "search-input")
    search.send_keys("onerror")
    browser.execute_script("arguments[0].dispatchEvent(new Event('input'))", search)
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(browser, 20).until(lambda b: b.find_elements("css selector", "#search-results .search-hit"))
    hits = browser.find_elements("css selector", "#search-results .search-hit")  # the index's shards load on demand
    results = browser.find_elements("css selector", "#search-results .search-hit a")
    assert results and all(r.get_attribute("href").endswith(".html#" + r.get_attribute("href").split("#")[-1])
                           for r in results)
    assert any("onerror" in hit.text for hit in hits)  # shown as words, not run
    results[-1].click()
    assert browser.execute_script("return window.pwned === undefined")


def test_the_pdf_fetcher_serves_only_the_editions_files(tmp_path, canary, secret):
    from weasyprint import HTML
    inside = tmp_path / "edition"
    inside.mkdir()
    (inside / "ok.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>', "utf-8")
    warnings = []
    fetcher = safety.pdf_fetcher([inside], warnings.append)
    page = (f'<img src="{canary.url}/x.png"><img src="file://{secret}"><img src="ok.svg">'
            f'<div style="background: url({canary.url}/bg.png)">x</div>')
    HTML(string=page, base_url=str(inside) + "/", url_fetcher=fetcher).write_pdf(tmp_path / "x.pdf")
    assert len(warnings) == 3 and all("only files inside the edition" in w for w in warnings)
    assert any(canary.url in w for w in warnings) and any(str(secret) in w for w in warnings)
    assert not any("ok.svg" in w for w in warnings)


def test_the_book_build_embeds_nothing_from_outside(edition, canary, secret):
    """Graphics in the front matter pointing at another host and at a file elsewhere."""
    front = edition.tei_dir / "edition.xml"
    text = front.read_text("utf-8")
    figure = (f'<figure><graphic url="{canary.url}/book.png"/></figure>'
              f'<figure><graphic url="file://{secret}"/></figure><figure><graphic url="{secret}"/></figure>')
    at = text.index("</head>", text.index('<div type="introduction"')) + len("</head>")
    front.write_text(text[:at] + figure + text[at:], "utf-8")
    run = run_edition(edition, "check", "--no-tei-all", trace=False)
    assert sum(": warning: resource: " in m for m in run.messages) == 3, run.stderr
    run = run_edition(edition, "build", "--pdf", timeout=600)
    assert run.returncode == 0, run.stderr
    assert sum(": warning: resource: " in m for m in run.messages) == 3, run.stderr  # located, at the graphic
    assert str(secret) not in run.opened
    assert str(canary.port) not in run.connected


def test_css_is_reduced_to_safe_declarations():
    assert safety.css_declarations("color: red} body{background:url(http://x)}") == ""
    assert safety.css_declarations("color:red; background:url(x); width: calc(1px + 2px)") == \
        "color: red; width: calc(1px + 2px);"
    sheet = safety.clean_stylesheet(".a{color:red}</style><script>x</script>@import url(http://x); "
                                    "@media print{.b{font-size:2em;background:url(x)}}")
    assert "url(" not in sheet and "<" not in sheet and "@import" not in sheet
    assert ".a { color: red; }" in sheet
    media = safety.clean_stylesheet("@media print{.b{font-size:2em;background:url(x)}} @font-face{src:url(x)}")
    assert "font-size: 2em" in media and "url(" not in media and "@font-face" not in media


def test_sanitize_keeps_the_harmless_and_drops_the_rest():
    from lxml import etree
    root = etree.fromstring(
        '<div><a href="javascript:x" target="_blank" onclick="x">a</a><a href="https://x.org" target="w">b</a>'
        '<script>x</script>tail<img src="http://x/y.png" onerror="x"/><img src="img/ok.png" alt="ok"/>'
        '<span style="color:red;background:url(x)" data-ref="per:a" aria-label="l" autofocus="">s</span>'
        '<button type="button" popovertarget="p1">n</button><iframe src="x"/></div>')
    safety.sanitize(root)
    out = etree.tostring(root, encoding="unicode")
    assert out == ('<div><a target="_blank">a</a><a href="https://x.org">b</a>tail<img/>'
                   '<img src="img/ok.png" alt="ok"/><span style="color: red;" data-ref="per:a" aria-label="l">s</span>'
                   '<button type="button" popovertarget="p1">n</button></div>')


ATTRIBUTE_NAMES = ["href", "HREF", "src", "style", "target", "onclick", "OnLoad", "data-x", "popovertarget",
                   "aria-label", "xmlns", "srcset", "Src", "class", "type", "autofocus", "x_y", "cite", "formaction"]
ATTRIBUTE_VALUES = ["", "#a", "javascript:x", " java\tscript:x", "https://x.org/a", "/etc/passwd", "img/a.png",
                    "//x.org", "_blank", "w", "color:red", "x:y", "mailto:a@b"]


def test_sanitize_keeps_each_attribute_as_clean_attribute_says():
    """sanitize passes over names clean_attribute keeps whatever their value, and remembers the
    cleaning of link values: the same attributes as clean_attribute gives, value by value."""
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from lxml import etree

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.lists(st.tuples(st.sampled_from(ATTRIBUTE_NAMES), st.sampled_from(ATTRIBUTE_VALUES)),
                             max_size=5), min_size=1, max_size=4))
    def check(elements):
        root = etree.Element("div")
        expected = []
        for attributes in elements:
            child = etree.SubElement(root, "span")
            kept = {}
            for name, value in attributes:
                child.set(name, value)
                kept[name] = value
            expected.append({n: c for n, v in kept.items() if (c := safety.clean_attribute(n, v)) is not None})
        safety.sanitize(root)
        assert [dict(child.attrib) for child in root] == expected
    check()
