/* The HTML edition's behaviour, as progressive enhancement: every feature
   here has a no-JavaScript fallback (links to anchors, native popovers). */
(function () {
  "use strict";
  var store = {
    get: function (key) { try { return window.localStorage.getItem("edition-" + key); } catch (e) { return null; } },
    set: function (key, value) { try { window.localStorage.setItem("edition-" + key, value); } catch (e) { /* private mode */ } }
  };

  /* --- text size, remembered ---------------------------------------------- */
  var sizes = [15, 17, 19, 21, 23];
  function applySize(step) {
    document.documentElement.style.fontSize = step === null ? "" : sizes[step] + "px";
  }
  var sizeStep = store.get("size") === null ? null : Number(store.get("size"));
  if (sizeStep !== null && !(sizeStep >= 0 && sizeStep < sizes.length)) sizeStep = null;
  applySize(sizeStep);
  var sizeGroup = document.querySelector(".text-size");
  if (sizeGroup) {
    sizeGroup.hidden = false;
    sizeGroup.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-size]");
      if (!button) return;
      var change = Number(button.getAttribute("data-size"));
      var current = sizeStep === null ? 1 : sizeStep;
      sizeStep = change === 0 ? null : Math.max(0, Math.min(sizes.length - 1, current + change));
      applySize(sizeStep);
      store.set("size", sizeStep === null ? "" : String(sizeStep));
      if (sizeStep === null) try { window.localStorage.removeItem("edition-size"); } catch (e) { /* */ }
      stickyOffset();
    });
  }

  /* --- jump targets below the sticky layers box, and highlighted ---------- */
  var layersBox = document.querySelector(".layers");
  function stickyOffset() {
    var sticky = layersBox && getComputedStyle(layersBox).position === "sticky" ? layersBox.offsetHeight : 0;
    document.documentElement.style.setProperty("--sticky-height", sticky + "px");
  }
  stickyOffset();
  window.addEventListener("resize", stickyOffset);
  function arrive() {
    document.querySelectorAll(".arrived").forEach(function (el) { el.classList.remove("arrived"); });
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) return;
    if (target.tagName === "DETAILS") target.open = true;  /* "see the source description" */
    var row = target.closest(".pair") || target;
    row.classList.add("arrived");
    var counterpartEl = target.getAttribute("data-counterpart") && document.getElementById(target.getAttribute("data-counterpart"));
    if (counterpartEl) counterpartEl.classList.add("arrived");
    target.scrollIntoView({ block: "start" });
  }
  window.addEventListener("hashchange", arrive);
  if (window.location.hash) {
    if (document.readyState === "complete") arrive(); else window.addEventListener("load", arrive);
  }

  /* --- annotation layers, remembered --------------------------------------- */
  var layerBoxes = document.querySelectorAll(".layers input[type=checkbox]");
  var savedLayers = {};
  try { savedLayers = JSON.parse(store.get("layers") || "{}"); } catch (e) { savedLayers = {}; }
  layerBoxes.forEach(function (box) {
    if (Object.prototype.hasOwnProperty.call(savedLayers, box.id)) box.checked = !!savedLayers[box.id];
    box.addEventListener("change", function () {
      savedLayers[box.id] = box.checked;
      store.set("layers", JSON.stringify(savedLayers));
    });
  });
  /* The introduction is read without tints unless the reader asks for them. */
  var tints = document.getElementById("front-tints");
  if (tints) {
    tints.checked = store.get("front-tints") === "1";
    tints.addEventListener("change", function () { store.set("front-tints", tints.checked ? "1" : "0"); });
  }

  /* --- hovering or focusing a sentence highlights its counterpart --------- */
  function counterpart(sentence) {
    var id = sentence.getAttribute("data-counterpart");
    return id ? document.getElementById(id) : null;
  }
  function setHighlight(sentence, on) {
    [sentence, counterpart(sentence)].forEach(function (el) { if (el) el.classList.toggle("highlight", on); });
  }
  document.querySelectorAll(".pair").forEach(function (row) {
    var sentence = row.querySelector(".sentence[data-counterpart]");
    if (!sentence) return;
    ["mouseenter", "focusin"].forEach(function (type) { row.addEventListener(type, function () { setHighlight(sentence, true); }); });
    ["mouseleave", "focusout"].forEach(function (type) { row.addEventListener(type, function () { setHighlight(sentence, false); }); });
  });

  /* --- popovers: open next to what opened them, take focus, give it back --- */
  function popoverFor(ref) { return document.getElementById("pop-" + ref.replace(":", "-")); }
  var opener = null;
  function place(popover, anchor) {
    var box = anchor.getBoundingClientRect();
    popover.style.position = "fixed";
    popover.style.margin = "0";
    var width = popover.offsetWidth, height = popover.offsetHeight;
    var left = Math.min(Math.max(8, box.left), window.innerWidth - width - 8);
    var top = box.bottom + 6;
    if (top + height > window.innerHeight - 8) top = Math.max(8, box.top - height - 6);
    if (top + height > window.innerHeight - 8) top = Math.max(8, window.innerHeight - height - 8);
    popover.style.left = Math.max(8, left) + "px";
    popover.style.top = top + "px";
  }
  function focusInto(popover) {
    var first = popover.querySelector("a[href], button:not([hidden]), input, textarea, [tabindex='0']");
    (first || popover).focus({ preventScroll: true });
  }
  document.querySelectorAll("[popover]").forEach(function (popover) {
    popover.addEventListener("toggle", function (event) {
      if (event.newState === "open") {
        if (!opener) opener = document.activeElement;
        popover._opener = opener;
        opener = null;
        requestAnimationFrame(function () { focusInto(popover); });
      } else if (popover._opener && (popover.contains(document.activeElement) || document.activeElement === document.body)) {
        popover._opener.focus({ preventScroll: true });
        popover._opener = null;
      }
    });
  });
  document.querySelectorAll("[data-ref]").forEach(function (mention) {
    var ref = (mention.getAttribute("data-ref") || "").split(" ")[0];
    var popover = popoverFor(ref);
    if (!popover || !popover.showPopover) return;
    /* One button may not hold another: a name that contains another name or a
       control (a correction, a date) opens by mouse; the keyboard reaches the
       names and controls inside it. */
    if (!mention.querySelector("[data-ref], button, a, [tabindex]") && !mention.closest("button, a")) {
      mention.setAttribute("tabindex", "0");
      mention.setAttribute("role", "button");
      mention.setAttribute("aria-haspopup", "dialog");
    }
    function open(event) {
      event.preventDefault();
      event.stopPropagation();
      opener = mention.hasAttribute("tabindex") ? mention : (document.activeElement !== document.body ? document.activeElement : mention);
      popover.showPopover();
      place(popover, mention);
    }
    mention.addEventListener("click", open);
    mention.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") open(event);
    });
  });
  document.querySelectorAll("[popovertarget]").forEach(function (button) {
    button.addEventListener("click", function () {
      var popover = document.getElementById(button.getAttribute("popovertarget"));
      if (popover && !popover.contains(button)) {
        opener = button;
        requestAnimationFrame(function () { place(popover, button); });
      }
    });
  });

  /* --- keyboard: one tab stop per sentence row, arrows inside it ----------
     (roving tabindex). A list of notes (the apparatus) is one tab stop in all:
     up and down move between its notes, left and right inside one. */
  function stops(item) {
    return Array.prototype.filter.call(
      item.querySelectorAll("a[href], button:not([hidden]), [tabindex]"),
      function (el) { return !el.closest("[popover]"); });
  }
  function roving(items, onePerItem) {
    function reset() {
      items.forEach(function (item, index) {
        stops(item).forEach(function (el, k) {
          el.setAttribute("tabindex", k === 0 && (onePerItem || index === 0) ? "0" : "-1");
        });
      });
    }
    reset();
    items.forEach(function (item, index) {
      item.addEventListener("focusin", function (event) {
        var list = stops(item);
        if (list.indexOf(event.target) < 0) return;
        (onePerItem ? [item] : items).forEach(function (other) {
          stops(other).forEach(function (el) { el.setAttribute("tabindex", el === event.target ? "0" : "-1"); });
        });
      });
      item.addEventListener("keydown", function (event) {
        var list = stops(item), at = list.indexOf(document.activeElement), next = null;
        if (at < 0) return;
        if (event.key === "ArrowRight") next = list[Math.min(at + 1, list.length - 1)];
        else if (event.key === "ArrowLeft") next = list[Math.max(at - 1, 0)];
        else if (event.key === "Home") next = list[0];
        else if (event.key === "End") next = list[list.length - 1];
        else if (event.key === "ArrowDown" && items[index + 1]) next = stops(items[index + 1])[0];
        else if (event.key === "ArrowUp" && items[index - 1]) next = stops(items[index - 1])[0];
        if (next) { event.preventDefault(); next.focus(); }
      });
    });
    return reset;
  }
  var rows = Array.prototype.slice.call(document.querySelectorAll(".parallel .pair"));
  var resetRows = roving(rows, true);
  document.querySelectorAll("ol.problems").forEach(function (list) {
    var notes = Array.prototype.slice.call(list.children);
    roving(notes, false);
    list.setAttribute("aria-description", "One tab stop for the list: arrow keys up and down move between the notes, left and right inside one.");
  });
  var parallel = document.querySelector(".parallel");
  if (parallel && rows.length) {
    parallel.setAttribute("aria-description", "One tab stop per sentence: arrow keys left and right move inside a sentence, up and down to the next sentence.");
  }

  /* --- cite this passage --------------------------------------------------- */
  var citeBox = document.getElementById("cite-box");
  if (citeBox && parallel) {
    var meta = parallel.dataset;
    document.querySelectorAll(".cite-button").forEach(function (button) { button.hidden = false; });
    resetRows();  /* the cite buttons became visible: they join the rows' stops */
    var citeFor = function (id) {
      var row = document.querySelector('.pair[data-sentence="' + id + '"]');
      var number = row ? row.getAttribute("data-number") : "";
      var url = window.location.href.split("#")[0].split("?")[0] + "#" + id;
      var today = new Date().toISOString().slice(0, 10);
      var editors = meta.editors ? meta.editors.split("; ") : [];
      var year = (meta.version || "").slice(0, 4);
      var text = (editors.length ? editors.join(", ") + " (eds.), " : "") + "“" + meta.sourceTitle + "”, " +
        meta.language + " original with English translation, sentence " + number + ". In " + meta.edition + ". " +
        (meta.publisher ? meta.publisher + ", " : "") + "version of " + meta.version + ". " + url + " (accessed " + today + ").";
      var key = id.replace(/[^A-Za-z0-9-]/g, "");
      var bib = "@incollection{" + key + ",\n  title = {" + meta.sourceTitle + ", sentence " + number + "},\n" +
        "  booktitle = {" + meta.edition + "},\n" +
        (editors.length ? "  editor = {" + editors.map(function (e) { return "{" + e + "}"; }).join(" and ") + "},\n" : "") +
        (meta.publisher ? "  publisher = {" + meta.publisher + "},\n" : "") +
        "  year = {" + year + "},\n  language = {" + meta.lang + "},\n" +
        "  note = {" + meta.language + " original with English translation, sentence " + number + "; version of " + meta.version + "},\n" +
        "  url = {" + url + "},\n  urldate = {" + today + "}\n}";
      var parts = (meta.version || "").split("-").map(Number);
      var csl = [{
        id: id, type: "chapter", title: meta.sourceTitle + ", sentence " + number, "container-title": meta.edition,
        editor: editors.map(function (e) { return { literal: e }; }), publisher: meta.publisher || undefined,
        issued: { "date-parts": [parts] }, accessed: { "date-parts": [today.split("-").map(Number)] },
        language: meta.lang, URL: url, note: meta.language + " original with English translation, sentence " + number
      }];
      return { url: url, text: text, bibtex: bib, csl: JSON.stringify(csl, null, 2) };
    };
    document.querySelectorAll(".cite-button").forEach(function (button) {
      button.addEventListener("click", function () {
        var cite = citeFor(button.getAttribute("data-cite"));
        document.getElementById("cite-link").value = cite.url;
        document.getElementById("cite-text").value = cite.text;
        document.getElementById("cite-bibtex").value = cite.bibtex;
        document.getElementById("cite-csl").value = cite.csl;
        opener = button;
        citeBox.showPopover();
        place(citeBox, button);
      });
    });
    citeBox.addEventListener("click", function (event) {
      var copy = event.target.closest("button[data-copy]");
      if (!copy) return;
      var field = document.getElementById(copy.getAttribute("data-copy"));
      field.select();
      var done = function () { copy.textContent = "Copied"; setTimeout(function () { copy.textContent = "Copy"; }, 1500); };
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
      else { document.execCommand("copy"); done(); }
    });
  }

  /* --- by event: only the events two or more sources narrate --------------- */
  var shared = document.getElementById("filter-shared");
  if (shared) {
    var applyShared = function () {
      var shown = 0;
      document.querySelectorAll(".event-card").forEach(function (card) {
        card.hidden = shared.checked && Number(card.getAttribute("data-sources")) < 2;
        if (!card.hidden) shown += 1;
      });
      document.getElementById("shared-count").textContent = shown + (shown === 1 ? " event" : " events");
    };
    shared.addEventListener("change", applyShared);
    applyShared();
  }

  /* --- the apparatus page: filter by source and category (also from ?source=) */
  var source = document.getElementById("filter-source");
  var category = document.getElementById("filter-category");
  if (category && document.getElementById("filter-count")) {  /* a split edition's page of one source has no source filter */
    var params = new URLSearchParams(window.location.search);
    if (source && params.get("source")) source.value = params.get("source");
    if (params.get("category")) category.value = params.get("category");
    var apply = function () {
      var shown = 0;
      document.querySelectorAll(".all-problems > li").forEach(function (item) {
        var visible = (!source || !source.value || item.dataset.source === source.value) &&
                      (!category.value || item.dataset.category === category.value);
        item.hidden = !visible;
        if (visible) shown += 1;
      });
      document.getElementById("filter-count").textContent = shown + (shown === 1 ? " problem" : " problems");
    };
    if (source) source.addEventListener("change", apply);
    category.addEventListener("change", apply);
    apply();
  }
})();
