"""Each flow of the workbench, end to end in headless Chromium on a scratch copy
of the edition: after each, `git diff` shows only the intended lines and
`edition check --strict` (no diagnostic at all) passes."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from edition import api
from edition.edit import apply, tagging
from tests.edit.support import changed_lines, commit, new_diagnostics, next_id
from tests.workbench.conftest import Served

S7 = "es-khalkhin-gol-s7"

SELECT = """
const [id, phrase] = arguments;
const sentence = document.querySelector(`[data-sentence="${id}"]`);
const walker = document.createTreeWalker(sentence, NodeFilter.SHOW_TEXT);
let text = "", nodes = [];
while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
const start = text.indexOf(phrase), end = start + phrase.length;
const at = offset => { for (let i = nodes.length - 1; i >= 0; i--) if (nodes[i][1] <= offset) return [nodes[i][0], offset - nodes[i][1]]; };
const range = document.createRange();
range.setStart(...at(start)); range.setEnd(...at(end));
getSelection().removeAllRanges(); getSelection().addRange(range);
sentence.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
return start;
"""


def strict(edition) -> list[str]:
    # `edition check --strict` adds nothing to what the copy had, except the count rule's warnings that the
    # introduction's figures (tei/edition.xml) no longer match a source whose notes an edit added or changed
    return [d for d in new_diagnostics(edition) if ": warning: count:" not in d]


def open_workbench(browser, served, source="es-khalkhin-gol"):
    browser.get(f"{served.url}?source={source}")
    wait(browser, lambda b: b.execute_script("return document.body.dataset.loaded"))
    return browser


def wait(browser, condition, timeout=20):
    return WebDriverWait(browser, timeout).until(condition)


def saved(browser, text="saved:"):
    wait(browser, lambda b: text in b.find_element(By.ID, "status").text
         or b.find_element(By.ID, "messages").text)
    assert browser.find_element(By.ID, "messages").text == ""
    return browser.find_element(By.ID, "status").text


def click(browser, selector):
    wait(browser, lambda b: b.find_element(By.CSS_SELECTOR, selector).is_displayed())
    browser.find_element(By.CSS_SELECTOR, selector).click()


def fill(browser, name, value, scope="#menu"):
    field = browser.find_element(By.CSS_SELECTOR, f"{scope} [name={name}]")
    field.clear()
    field.send_keys(value)


def test_tag_a_name_with_a_new_register_entry(browser, served):
    page = open_workbench(browser, served)
    page.execute_script(SELECT, S7, "retaguardia")
    click(page, '#menu [data-kind="person"]')
    click(page, "#menu .new-entry")
    fill(page, "canonical", "Test Officer")
    fill(page, "note", "An entry made in a test.")
    page.find_element(By.CSS_SELECTOR, "#menu .entry-form button[type=submit]").click()
    assert "tag" in saved(page, "saved: tag")
    lines = changed_lines(served.edition.root)
    assert lines == [
        '+        <person xml:id="test-officer">',
        '+          <persName type="canonical" xml:lang="en">Test Officer</persName>',
        '+          <persName xml:lang="es">retaguardia</persName>',
        '+          <note>An entry made in a test.</note>',
        '+        </person>', lines[5], lines[6]]
    assert S7 in lines[5] and '<persName ref="per:test-officer">retaguardia</persName>' in lines[6]
    assert strict(served.edition) == []


def test_the_register_picker_finds_any_name_form_and_shows_the_facts(browser, served):
    page = open_workbench(browser, served)
    page.execute_script(SELECT, S7, "esperar")
    click(page, '#menu [data-kind="person"]')
    fill(page, "search", "Жуков")  # the Russian form, in Cyrillic
    option = wait(page, lambda b: b.find_element(By.CSS_SELECTOR, '#menu li[data-ref="per:zhukov"]'))
    assert "1896" in option.text and len(page.find_elements(By.CSS_SELECTOR, "#menu li")) == 1
    option.click()
    saved(page, "saved: tag")
    assert '<persName ref="per:zhukov">esperar</persName>' in changed_lines(served.edition.root)[1]


def test_review_accept_and_reject_with_one_key_each(browser, served):
    edition = served.edition
    apply(edition, tagging.remove, address="es-khalkhin-gol-s4/2")  # Zhukov's persName
    apply(edition, tagging.remove, address="es-khalkhin-gol-s6/0")  # the Kwantung Army's orgName
    api.annotate(edition, ["es-khalkhin-gol"])
    commit(edition.root)
    page = open_workbench(browser, served)
    click(page, '[data-tab="review"]')
    items = page.find_elements(By.CSS_SELECTOR, "#queue li")
    assert [i.text.split("“")[1].split("”")[0] for i in items] == ["Gueorgui Zhúkov", "Ejército de Kwantung"]
    page.find_element(By.TAG_NAME, "body").send_keys("a")
    saved(page, "saved: confirm")
    page.find_element(By.TAG_NAME, "body").send_keys("r")
    saved(page, "saved: reject")
    wait(page, lambda b: not b.find_elements(By.CSS_SELECTOR, "#queue li"))
    lines = changed_lines(edition.root)
    assert len(lines) == 3 and 'type="rejected-annotation"' in lines[0] and "Ejército de Kwantung" in lines[0]
    assert '<persName ref="per:zhukov">Gueorgui Zhúkov</persName>' in lines[2]
    run = api.annotate(edition, ["es-khalkhin-gol"])  # the rejection stays rejected
    assert dict(run.results[0].counts) == {}
    assert strict(edition) == []


def test_add_a_factual_problem_with_evidence(browser, served):
    fp, seg = next_id(served.edition, "es-khalkhin-gol", "fp"), next_id(served.edition, "es-khalkhin-gol", "seg")
    page = open_workbench(browser, served)
    page.execute_script(SELECT, S7, "esperar la ayuda de la retaguardia")
    click(page, '#menu [data-kind="problem"]')
    page.find_element(By.CSS_SELECTOR, "#menu [name=category] option[value='false-claim']").click()
    fill(page, "problem", "The text says the doctrine was to wait for help from the rear.")
    fill(page, "correction", "A test correction.")
    page.find_element(By.CSS_SELECTOR, "#menu [name=bib] option[value='bib:coox-1985']").click()
    fill(page, "locator", "p. 578")
    page.find_element(By.CSS_SELECTOR, "#menu [name=cert] option[value='low']").click()
    page.find_element(By.CSS_SELECTOR, "#menu .problem-form button[type=submit]").click()
    saved(page, "saved: add factual problem")
    lines = changed_lines(served.edition.root)
    assert f'<seg xml:id="{seg}">esperar la ayuda de la retaguardia</seg>' in lines[1]
    assert lines[2:] == [
        f'+        <note type="factual-problem" subtype="false-claim" xml:id="{fp}" '
        f'target="#{seg}" resp="ed:editors" cert="low">',
        '+          <ab type="problem">The text says the doctrine was to wait for help from the rear.</ab>',
        '+          <ab type="correction">A test correction.</ab>',
        '+          <listBibl type="evidence">',
        '+            <bibl><ptr target="bib:coox-1985"/><citedRange>p. 578</citedRange></bibl>',
        '+          </listBibl>', '+        </note>']
    click(page, '[data-tab="notes"]')
    assert f"{fp} (false-claim, low)" in page.find_element(By.ID, "notes").text
    # a new note makes the introduction's count of notes stale: a warning the scholar resolves
    assert new_diagnostics(served.edition, ignore=("count",)) == []


def test_type_a_translation_for_an_untranslated_sentence(browser, served, tmp_path):
    text = tmp_path / "new.txt"
    text.write_text("Zhukov llegó en mayo. Luego atacó.\n", encoding="utf-8")
    api.import_source(served.edition, text, "es", "es-new")
    commit_all(served.edition.root)
    page = open_workbench(browser, served, "es-new")
    cells = page.find_elements(By.CSS_SELECTOR, "textarea.translation.empty")
    assert len(cells) == 2
    cells[1].send_keys("Then he attacked.\n")
    saved(page, "saved: translate")
    page.find_elements(By.CSS_SELECTOR, "textarea.translation")[0].send_keys("Zhukov arrived in May.\n")
    wait(page, lambda b: "es-new-s1" in b.find_element(By.ID, "status").text)
    assert changed_lines(served.edition.root) == [
        '+      <div type="translation" xml:lang="en">',
        '+        <p corresp="#es-new-p1"><s xml:id="es-new-s1-en" corresp="#es-new-s1">Zhukov arrived in May.</s> '
        '<s xml:id="es-new-s2-en" corresp="#es-new-s2">Then he attacked.</s></p>',
        '+      </div>']
    assert strict(served.edition) == []


def commit_all(root):
    from tests.edit.support import git
    git(root, "add", "-A")
    commit(root)


def test_refused_edits_show_their_located_message_in_the_page(browser, served):
    page = open_workbench(browser, served)
    page.execute_script(SELECT, S7, "tiempos")
    click(page, '#menu [data-kind="sic"]')
    fill(page, "correction", "tiempo")
    page.find_element(By.CSS_SELECTOR, "#menu form button[type=submit]").click()
    saved(page, "saved: tag")
    commit(served.edition.root)
    page.execute_script("window.workbench.edit('remove', {address: arguments[0]})", f"{S7}/2")  # the corr
    message = wait(page, lambda b: b.find_element(By.ID, "messages").text)
    assert "tei/sources/es-khalkhin-gol.xml:69:9: lossless: the edit would change the original text" in message
    page.execute_script("window.workbench.edit('retarget', {address: arguments[0], ref: 'per:stalinn'})",
                        "es-khalkhin-gol-s4/2")
    wait(page, lambda b: "per:stalinn" in b.find_element(By.ID, "messages").text)
    message = page.find_element(By.ID, "messages").text
    assert 'pointer: @ref "per:stalinn" points to no element' in message and "es-khalkhin-gol.xml:69:" in message
    assert changed_lines(served.edition.root) == []
    assert strict(served.edition) == []


def test_undo_restores_the_file(browser, served):
    page = open_workbench(browser, served)
    page.execute_script(SELECT, S7, "La doctrina")
    click(page, '#menu [data-kind="problem"]')
    fill(page, "problem", "P.")
    page.find_element(By.CSS_SELECTOR, "#menu [name=bib] option[value='bib:coox-1985']").click()
    page.find_element(By.CSS_SELECTOR, "#menu .problem-form button[type=submit]").click()
    saved(page, "saved: add factual problem")
    assert changed_lines(served.edition.root)
    page.find_element(By.ID, "undo").click()
    saved(page, "undone: add factual problem")
    assert changed_lines(served.edition.root) == []
    assert strict(served.edition) == []


def test_a_file_changed_by_another_editor_is_not_overwritten(browser, served):
    page = open_workbench(browser, served)
    seen = page.execute_script("return {...window.workbench.state.versions}")
    path = served.edition.source_path("es-khalkhin-gol")
    outside = path.read_bytes().replace(b"<title>La batalla", b"<title>La gran batalla", 1)
    path.write_bytes(outside)
    page.execute_script("window.workbench.edit('tag', {sentence: arguments[0], kind: 'seg', start: 0, end: 2},"
                        " arguments[1])", S7, seen)
    message = wait(page, lambda b: b.find_element(By.ID, "messages").text)
    assert "tei/sources/es-khalkhin-gol.xml changed on disk since it was read" in message
    assert path.read_bytes() == outside


def test_live_reload_after_an_outside_change(browser, served):
    page = open_workbench(browser, served)
    wait(page, lambda b: b.execute_script("return document.readyState") == "complete")
    page.execute_script("window.seen = document.body.dataset.loaded")
    apply(served.edition, tagging.tag, sentence=S7, kind="seg", phrase="La doctrina")  # as another editor would
    wait(page, lambda b: b.execute_script("return document.body.dataset.loaded !== window.seen"))
    wait(page, lambda b: b.find_elements(By.CSS_SELECTOR, f'[data-sentence="{S7}"] .ann-seg'))
    assert "changed on disk: tei/sources/es-khalkhin-gol.xml" in page.find_element(By.ID, "status").text


def test_a_build_error_shows_as_an_overlay_with_its_place(browser, edition_copy):
    served = Served(edition_copy, rebuild=lambda: api.build(edition_copy, html=True, pdf=False))
    try:
        page = open_workbench(browser, served)
        path = edition_copy.source_path("pl-khasan")
        path.write_bytes(path.read_bytes().replace(b"</teiHeader>", b"</teiHeadr>", 1))
        wait(page, lambda b: b.find_element(By.ID, "overlay").is_displayed(), timeout=60)
        text = page.find_element(By.ID, "overlay-text").text
        assert "tei/sources/pl-khasan.xml:" in text and "well-formed" in text
        assert text.split("tei/sources/pl-khasan.xml:")[1].split(":")[0].isdigit()
    finally:
        served.stop()


def post(served, body, headers):
    request = urllib.request.Request(served.url + "api/edit", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", **headers}, method="POST")
    try:
        with urllib.request.urlopen(request) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize("headers", [
    {},                                                   # no token
    {"X-Edition-Token": "guessed"},                       # a wrong token
    {"X-Edition-Token": None, "Origin": "http://evil.example"},  # the token, but from another site
    {"X-Edition-Token": None, "Sec-Fetch-Site": "cross-site"},
    {"X-Edition-Token": None, "Host": "evil.example:80"},  # DNS rebinding
])
def test_a_write_without_the_token_or_from_another_origin_changes_nothing(served, headers):
    headers = {k: (served.token if v is None else v) for k, v in headers.items()}
    body = {"op": "tag", "args": {"sentence": S7, "kind": "seg", "phrase": "La doctrina"}}
    assert post(served, body, headers) == 403
    assert changed_lines(served.edition.root) == []
    assert post(served, body, {"X-Edition-Token": served.token, "Origin": served.url.rstrip("/")}) == 200
    assert len(changed_lines(served.edition.root)) == 2


def test_a_date_takes_the_normalisers_proposal_edited_with_a_certainty(browser, served):
    apply(served.edition, tagging.remove, address="pl-khasan-s18/0")  # <date when="1938-07-15">15 lipca</date>
    commit(served.edition.root)
    page = open_workbench(browser, served, "pl-khasan")
    page.execute_script(SELECT, "pl-khasan-s18", "15 lipca")
    click(page, '#menu [data-kind="date"]')
    when = wait(page, lambda b: b.find_element(By.CSS_SELECTOR, "#menu [name=when]"))
    assert when.get_attribute("value") == "--07-15"  # the Polish normaliser: no year in these words
    assert page.find_element(By.CSS_SELECTOR, "#menu [name=cert]").get_attribute("value") == "low"
    fill(page, "when", "1938-07-15")
    page.find_element(By.CSS_SELECTOR, "#menu [name=cert] option[value='high']").click()
    page.find_element(By.CSS_SELECTOR, "#menu form button[type=submit]").click()
    saved(page, "saved: tag")
    [removed, added] = changed_lines(served.edition.root)
    at = removed.index('xml:id="pl-khasan-s18"')
    assert added == "+" + removed[1:at] + removed[at:].replace(
        "15 lipca", '<date when="1938-07-15" cert="high">15 lipca</date>', 1)
    assert strict(served.edition) == []
