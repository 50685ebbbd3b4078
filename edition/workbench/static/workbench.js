/* The workbench page: draws the server's views and sends one operation per save.
   No library: a selection becomes reading offsets, a form becomes the arguments
   of an operation of edition/edit/, and the server answers with what it wrote or
   with the located reason it refused. */
"use strict";
const TOKEN = document.querySelector('meta[name="edition-token"]').content;
const $ = (selector, root = document) => root.querySelector(selector);
const state = { edition: null, source: null, versions: {}, queue: [], current: 0 };

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  for (const child of children.flat()) node.append(child instanceof Node ? child : document.createTextNode(child));
  return node;
}

async function getJSON(url) {
  const response = await fetch(url, { headers: { "Accept": "application/json" } });
  return response.json();
}

async function post(url, body) {
  const response = await fetch(url, { method: "POST", body: JSON.stringify(body),
    headers: { "Content-Type": "application/json", "X-Edition-Token": TOKEN } });
  return response.json();
}

function say(messages) { $("#messages").textContent = (messages || []).join("\n"); }
function status(text) { $("#status").textContent = text || ""; }

/* One operation: on success reload what it touched; on refusal show the located messages. */
async function edit(op, args, versions) {
  say([]);
  const answer = await post("/api/edit", { op, args, versions: versions || state.versions });
  if (!answer.ok) { say(answer.messages || [answer.error]); return null; }
  status(`saved: ${answer.summary}`);
  state.versions = answer.versions;
  await reload();
  return answer;
}
window.workbench = { edit, state };

async function undo() {
  const answer = await post("/api/undo", {});
  if (!answer.ok) { say(answer.messages || [answer.error]); return; }
  say([]); status(`undone: ${answer.summary}`); state.versions = answer.versions; await reload();
}

async function load() {
  state.edition = await getJSON("/api/edition");
  state.versions = state.edition.versions;
  const select = $("#source");
  if (!select.options.length) {
    for (const id of state.edition.sources) select.append(el("option", { value: id }, id));
    const wanted = new URLSearchParams(location.search).get("source");
    if (wanted) select.value = wanted;
  }
  await reload();
}

async function reload() {
  const id = $("#source").value;
  const [source, queue, edition] = await Promise.all([getJSON(`/api/source/${id}`), getJSON("/api/review"),
                                                      getJSON("/api/edition")]);
  state.source = source; state.queue = queue; state.edition = edition; state.versions = edition.versions;
  drawSentences(); drawQueue(); drawNotes();
  document.body.dataset.loaded = String(Date.now());
}

/* --- the text -------------------------------------------------------------------- */
function drawNodes(nodes, parent) {
  for (const node of nodes) {
    if (typeof node === "string") { parent.append(node); continue; }
    const title = Object.entries(node.attrs).map(([k, v]) => `${k}=${v}`).join(" ");
    const span = el("span", { class: `ann ann-${node.tag}${node.machine ? " machine" : ""}`,
                              "data-address": node.address, "data-tag": node.tag, title: `${node.tag} ${title}` });
    drawNodes(node.children, span);
    parent.append(span);
  }
}

function drawSentences() {
  const body = $("#sentences tbody");
  body.replaceChildren();
  state.source.sentences.forEach((sentence, index) => {
    const original = el("span", { class: "sentence", "data-sentence": sentence.id, lang: state.source.lang });
    drawNodes(sentence.nodes, original);
    const translated = sentence.translation;
    const cell = el("td", { class: "translation-cell" });
    if (translated && translated.nodes.some(n => typeof n !== "string")) {
      const shown = el("span", { class: "sentence", "data-sentence": translated.id, lang: "en" });
      drawNodes(translated.nodes, shown);
      cell.append(shown, el("br"));
    }
    const area = el("textarea", { class: `translation${translated && translated.text ? "" : " empty"}`,
      "data-for": sentence.id, placeholder: "not yet translated", "aria-label": `translation of ${sentence.id}` });
    area.value = translated ? translated.text : "";
    area.dataset.saved = area.value;
    area.addEventListener("blur", () => saveTranslation(area));
    area.addEventListener("keydown", event => { if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); area.blur(); } });
    cell.append(area);
    body.append(el("tr", { id: `row-${sentence.id}` }, el("td", { class: "num" }, String(index + 1)),
                   el("td", {}, original), cell));
  });
}

async function saveTranslation(area) {
  const text = area.value.trim();
  if (text === area.dataset.saved.trim() || !text) return;
  area.dataset.saved = text;
  await edit("translate", { sentence: area.dataset.for, text });
}

/* A selection inside one sentence → reading offsets (the rendered text is the reading). */
function selectionInSentence() {
  const selection = getSelection();
  if (!selection.rangeCount || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const start = range.startContainer.parentElement && range.startContainer.parentElement.closest(".sentence");
  const end = range.endContainer.parentElement && range.endContainer.parentElement.closest(".sentence");
  if (!start || start !== end) return null;
  const before = document.createRange();
  before.setStart(start, 0);
  before.setEnd(range.startContainer, range.startOffset);
  const offset = before.toString().length;
  const words = range.toString();
  return { sentence: start.dataset.sentence, start: offset, end: offset + words.length, words, lang: start.lang };
}

function popup(anchor, ...content) {
  const menu = $("#menu");
  menu.replaceChildren(...content, el("button", { type: "button", class: "close", onclick: closeMenu }, "Close"));
  const box = anchor.getBoundingClientRect();
  menu.style.left = `${Math.max(4, box.left + scrollX)}px`;
  menu.style.top = `${box.bottom + scrollY + 4}px`;
  menu.hidden = false;
  const first = menu.querySelector("input, select, textarea, button");
  if (first) first.focus();
}
function closeMenu() { $("#menu").hidden = true; }

function tagMenu(chosen, anchor) {
  const words = { sentence: chosen.sentence, start: chosen.start, end: chosen.end };
  const kinds = [["person", "Person"], ["place", "Place"], ["org", "Organisation"], ["date", "Date"],
                 ["figure", "Figure"], ["sic", "Correction (sic → corr)"], ["orig", "Normalisation (orig → reg)"],
                 ["problem", "Factual problem"]];
  popup(anchor, el("p", {}, `“${chosen.words}”`),
    ...kinds.map(([kind, label]) => el("button", { type: "button", "data-kind": kind,
      onclick: () => kindForm(kind, chosen, words, anchor) }, label)));
}

function field(label, input) { return el("label", {}, label, " ", input); }
function input(name, value = "") { return el("input", { type: "text", name, value }); }
function certSelect(value = "medium") {
  const select = el("select", { name: "cert" }, ...["high", "medium", "low", "unknown"].map(c => el("option", { value: c }, c)));
  select.value = value; return select;
}

async function kindForm(kind, chosen, words, anchor) {
  if (["person", "place", "org"].includes(kind)) return picker(kind, chosen, anchor, ref => edit("tag", { ...words, kind, ref }));
  if (kind === "problem") return problemForm(anchor, { sentence: words.sentence, start: words.start, end: words.end });
  const form = el("form", { class: `form-${kind}` });
  if (kind === "date") {
    const proposal = await post("/api/dates", { text: chosen.words, lang: chosen.lang });
    const attributes = proposal.attributes || {};
    for (const name of ["when", "from", "to", "notBefore", "notAfter"]) form.append(field(`@${name}`, input(name, attributes[name] || "")));
    form.append(field("certainty", certSelect(proposal.cert)));
    if (proposal.note) form.append(el("p", { class: "hint" }, proposal.note));
  } else if (kind === "figure") {
    form.append(field("type", input("type")), field("value", input("value")),
                field("quantity (with a unit)", input("quantity")), field("unit", input("unit")));
  } else {
    form.append(field(kind === "sic" ? "corrected reading" : "regularised reading", input("correction", chosen.words)));
  }
  form.append(el("button", { type: "submit" }, "Save"));
  form.addEventListener("submit", async event => {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(form));
    const { correction, ...attributes } = values;
    if (kind === "figure" && attributes.quantity) { delete attributes.value; }
    const answer = await edit("tag", { ...words, kind, attributes, correction: kind === "sic" || kind === "orig" ? correction : undefined });
    if (answer) closeMenu();
  });
  popup(anchor, el("p", {}, `${kind}: “${chosen.words}”`), form);
}

/* The register picker: labels and every name form, in any script, as you type. */
function fold(text) { return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase(); }

function picker(kind, chosen, anchor, onPick) {
  const box = input("search", chosen ? chosen.words : "");
  box.setAttribute("aria-label", "search the register");
  const list = el("ul", { class: "choices", role: "listbox" });
  const draw = () => {
    const wanted = fold(box.value.trim());
    const matches = state.edition.entries.filter(e => (!kind || e.kind === kind) &&
      (!wanted || fold(e.label).includes(wanted) || e.forms.some(f => fold(f.text).includes(wanted)))).slice(0, 30);
    list.replaceChildren(...matches.map(entry => el("li", { role: "option", "data-ref": entry.ref,
      onclick: async () => { if (await onPick(entry.ref)) closeMenu(); } },
      el("strong", {}, entry.label), ` ${entry.ref}`,
      el("span", { class: "facts" }, entry.forms.map(f => f.text).join(" · ")),
      el("span", { class: "facts" }, entry.facts))));
  };
  box.addEventListener("input", draw);
  draw();
  const create = el("button", { type: "button", class: "new-entry", onclick: () => entryForm(kind, chosen, anchor, onPick) }, "New entry…");
  popup(anchor, el("p", {}, `${kind || "entry"} for “${chosen ? chosen.words : ""}”`), box, list, create);
}

function entryForm(kind, chosen, anchor, onPick) {
  const form = el("form", { class: "entry-form" },
    field("canonical English name", input("canonical")),
    field("kind", el("select", { name: "kind" }, ...["person", "place", "org"].map(k => el("option", { value: k }, k)))),
    field("type (lake, army, …)", input("entry_type")),
    field(`name form (${chosen.lang})`, input("form", chosen.words)),
    field("other name forms (lang:text; …)", input("forms")),
    field("born (ISO date)", input("birth")), field("died (ISO date)", input("death")),
    field("note", el("textarea", { name: "note" })), el("button", { type: "submit" }, "Create and tag"));
  form.elements.kind.value = kind || "person";
  form.addEventListener("submit", async event => {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(form));
    const forms = [{ text: values.form, lang: chosen.lang }].concat(values.forms.split(";").filter(f => f.trim())
      .map(f => f.includes(":") ? { lang: f.split(":")[0].trim(), text: f.split(":").slice(1).join(":").trim() } : { text: f.trim() }));
    const created = await edit("add_entry", { kind: values.kind, canonical: values.canonical, forms,
      entry_type: values.entry_type || null, birth: values.birth || null, death: values.death || null, note: values.note || null });
    if (created && await onPick(created.result)) closeMenu();
  });
  popup(anchor, el("p", {}, "New register entry"), form);
}

/* An existing tag: change, resize to the current selection, remove, confirm, reject. */
function tagPanel(span) {
  const address = span.dataset.address, tag = span.dataset.tag;
  const node = findNode(address);
  const buttons = [];
  if (node && node.machine) {
    buttons.push(el("button", { type: "button", onclick: async () => (await edit("confirm", { address })) && closeMenu() }, "Accept"),
                 el("button", { type: "button", onclick: async () => (await edit("reject", { address })) && closeMenu() }, "Reject"));
  }
  if (["persName", "placeName", "orgName"].includes(tag)) {
    const kind = { persName: "person", placeName: "place", orgName: "org" }[tag];
    buttons.push(el("button", { type: "button", onclick: () => picker(kind, { words: span.textContent, lang: "" }, span,
      ref => edit("retarget", { address, ref })) }, "Change entry…"));
  }
  buttons.push(el("button", { type: "button", onclick: async () => {
      const chosen = state.lastSelection;
      if (!chosen) { say(["select the new words first, then press Resize"]); return; }
      if (await edit("resize", { address, start: chosen.start, end: chosen.end })) closeMenu();
    } }, "Resize to selection"),
    el("button", { type: "button", onclick: async () => (await edit("remove", { address })) && closeMenu() }, "Remove tag"));
  const facts = node ? Object.entries(node.attrs).map(([k, v]) => `${k}="${v}"`).join(" ") : "";
  popup(span, el("p", {}, `<${tag}> ${facts}`), ...buttons);
}

function findNode(address) {
  const walk = nodes => { for (const n of nodes) { if (typeof n === "string") continue; if (n.address === address) return n;
    const found = walk(n.children); if (found) return found; } return null; };
  for (const s of state.source.sentences) {
    const found = walk(s.nodes) || (s.translation && walk(s.translation.nodes));
    if (found) return found;
  }
  return null;
}

/* --- fact-check ------------------------------------------------------------------- */
function problemForm(anchor, where, note) {
  const category = el("select", { name: "category" }, ...state.edition.categories.map(c => el("option", { value: c.id }, `${c.id} — ${c.label}`)));
  const evidence = el("div", { class: "evidence" });
  const addRow = (item = {}) => {
    const bib = el("select", { name: "bib" }, el("option", { value: "" }, "(a page read, below)"),
      ...state.edition.bibliography.map(b => el("option", { value: b.ref }, b.label)));
    bib.value = item.bib || "";
    evidence.append(el("fieldset", { class: "evidence-row" }, field("work", bib), field("locator (p. 12)", input("locator", item.locator || "")),
      field("or URL", input("url", item.url || "")), field("title of the page", input("title", item.title || ""))));
  };
  (note ? note.evidence : [{}]).forEach(addRow);
  const form = el("form", { class: "problem-form" }, field("category", category),
    field("the problem", el("textarea", { name: "problem" }, note ? note.problem : "")),
    field("the correction", el("textarea", { name: "correction" }, note ? note.correction : "")),
    evidence, el("button", { type: "button", onclick: () => addRow() }, "More evidence"),
    field("certainty", certSelect(note ? note.cert : "medium")), el("button", { type: "submit" }, "Save note"));
  if (note) category.value = note.category;
  form.addEventListener("submit", async event => {
    event.preventDefault();
    const rows = [...evidence.querySelectorAll(".evidence-row")].map(row => {
      const value = name => row.querySelector(`[name=${name}]`).value.trim();
      return value("bib") ? { bib: value("bib"), locator: value("locator") } : value("url") ? { url: value("url"), title: value("title") } : null;
    }).filter(Boolean);
    const values = { category: category.value, problem: form.elements.problem.value.trim(),
      correction: form.elements.correction.value.trim() || null, evidence: rows, cert: form.elements.cert.value };
    const answer = note ? await edit("edit_note", { note_id: note.id, ...values }) : await edit("add_note", { ...where, ...values });
    if (answer) closeMenu();
  });
  popup(anchor, el("p", {}, note ? `Factual problem ${note.id}` : "New factual problem"), form);
}

function drawNotes() {
  const list = $("#notes");
  list.replaceChildren(...state.source.notes.map(note => el("li", { "data-note": note.id },
    el("strong", {}, `${note.id} (${note.category}, ${note.cert})`), " ", note.problem, " ",
    el("button", { type: "button", onclick: event => problemForm(event.target, null, note) }, "Edit"))));
}

/* --- review ------------------------------------------------------------------------- */
function drawQueue() {
  $("#review-count").textContent = `(${state.queue.length})`;
  state.current = Math.min(state.current, Math.max(0, state.queue.length - 1));
  $("#queue").replaceChildren(...state.queue.map((item, index) => el("li",
    { class: index === state.current ? "current" : "", "data-address": item.address },
    `${item.path}:${item.line} `, el("strong", {}, `“${item.words}”`), ` <${item.element} `,
    Object.entries(item.attributes).map(([k, v]) => `${k}="${v}"`).join(" "), `> in ${item.sentence || "?"}`)));
}

async function reviewKey(event) {
  if ($("#tab-review").hidden || event.target.matches("input, textarea, select")) return;
  const item = state.queue[state.current];
  if (event.key === "j") { state.current = Math.min(state.current + 1, state.queue.length - 1); drawQueue(); }
  else if (event.key === "k") { state.current = Math.max(state.current - 1, 0); drawQueue(); }
  else if (item && event.key === "a") await edit("confirm", { address: item.address });
  else if (item && event.key === "r") await edit("reject", { address: item.address });
  else if (item && event.key === "c") {
    const kind = { persName: "person", placeName: "place", orgName: "org" }[item.element];
    const anchor = $("#queue li.current");
    if (kind) picker(kind, { words: item.words, lang: "" }, anchor, ref => edit("retarget", { address: item.address, ref }));
    else {
      const form = el("form", {}, ...Object.entries(item.attributes).map(([k, v]) => field(`@${k}`, input(k, v))), el("button", { type: "submit" }, "Save"));
      form.addEventListener("submit", async e => { e.preventDefault();
        if (await edit("retarget", { address: item.address, attributes: Object.fromEntries(new FormData(form)) })) closeMenu(); });
      popup(anchor, form);
    }
  }
}

/* --- live reload and build errors ---------------------------------------------------- */
function listen() {
  const events = new EventSource("/events");
  events.addEventListener("changed", async event => {
    const { files, versions } = JSON.parse(event.data);
    if (files.every(file => versions[file] === state.versions[file])) return;  // our own save
    status(`changed on disk: ${files.join(", ")} — reloaded`);
    await reload();
  });
  events.addEventListener("build-error", event => {
    $("#overlay-text").textContent = JSON.parse(event.data).messages.join("\n");
    $("#overlay").hidden = false;
  });
  events.addEventListener("built", () => { $("#overlay").hidden = true; });
}

document.addEventListener("mouseup", event => {
  if (event.target.closest("#menu")) return;
  const chosen = selectionInSentence();
  if (chosen) { state.lastSelection = chosen; tagMenu(chosen, event.target); return; }
  const span = event.target.closest(".ann");
  if (span) tagPanel(span);
});
document.addEventListener("keydown", event => {
  if (event.key === "Escape") closeMenu();
  if (event.key === "z" && (event.ctrlKey || event.metaKey) && !event.target.matches("input, textarea")) { event.preventDefault(); undo(); }
  reviewKey(event);
});
for (const button of document.querySelectorAll(".tab")) {
  button.addEventListener("click", () => {
    for (const other of document.querySelectorAll(".tab")) other.classList.toggle("active", other === button);
    for (const panel of document.querySelectorAll(".panel")) panel.hidden = panel.id !== `tab-${button.dataset.tab}`;
  });
}
$("#source").addEventListener("change", reload);
$("#undo").addEventListener("click", undo);
load().then(listen);
