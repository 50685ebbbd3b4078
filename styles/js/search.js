/* Full-text search over originals and translations, offline and client-side,
   with MiniSearch. Spaced scripts are split into words (case and accents
   folded); Thai and Chinese, written without spaces, are indexed and queried
   as overlapping character bigrams, so any word of two or more characters
   is found without a dictionary in the browser. */
(function () {
  "use strict";
  var status = document.getElementById("search-status");
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  if (!window.EDITION_SEARCH || !window.MiniSearch) {
    status.textContent = "The search index could not be loaded (assets/search-data.js, assets/minisearch.js).";
    return;
  }
  var UNSPACED = /[\u0E00-\u0E7F\u3400-\u9FFF\uF900-\uFAFF]/;
  var RUNS = /[\u0E00-\u0E7F]+|[\u3400-\u9FFF\uF900-\uFAFF]+|[\p{L}\p{N}]+/gu;

  function fold(word) {
    return word.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ł/g, "l");
  }
  function tokenize(text) {
    var tokens = [];
    (text.match(RUNS) || []).forEach(function (run) {
      if (UNSPACED.test(run)) {
        var chars = Array.from(run);
        if (chars.length === 1) tokens.push(run);
        for (var i = 0; i + 1 < chars.length; i++) tokens.push(chars[i] + chars[i + 1]);
      } else {
        tokens.push(fold(run));
      }
    });
    return tokens;
  }

  var data = window.EDITION_SEARCH;
  var index = new window.MiniSearch({
    fields: ["text"], storeFields: ["source", "lang", "url", "text"],
    tokenize: tokenize, processTerm: function (term) { return term; },
    searchOptions: { combineWith: "AND", prefix: function (term) { return !UNSPACED.test(term) && term.length > 2; } }
  });
  index.addAll(data.documents);
  status.textContent = "Type to search " + data.documents.length + " sentences.";

  function highlight(text, query) {
    var span = document.createElement("span");
    var at = text.toLowerCase().indexOf(query.toLowerCase());
    if (at < 0) { span.textContent = text; return span; }
    span.appendChild(document.createTextNode(text.slice(0, at)));
    var mark = document.createElement("mark");
    mark.textContent = text.slice(at, at + query.length);
    span.appendChild(mark);
    span.appendChild(document.createTextNode(text.slice(at + query.length)));
    return span;
  }

  function run() {
    var query = input.value.trim();
    list.textContent = "";
    if (!query) { status.textContent = "Type to search " + data.documents.length + " sentences."; return; }
    var results = index.search(query);
    status.textContent = results.length + (results.length === 1 ? " sentence found" : " sentences found");
    results.slice(0, 100).forEach(function (result) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = result.url;
      link.lang = result.lang;
      link.appendChild(highlight(result.text, query));
      var where = document.createElement("div");
      where.className = "search-source";
      var source = data.sources[result.source] || { title: result.source };
      where.textContent = source.title + (result.lang === "en" ? " (translation)" : " (original)");
      item.appendChild(link);
      item.appendChild(where);
      list.appendChild(item);
    });
  }
  input.addEventListener("input", run);
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; run(); }
})();
