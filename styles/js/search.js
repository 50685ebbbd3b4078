/* Full-text search over originals and translations, offline and client-side,
   over the index edition/html/search.py builds (written here, no library).

   The page loads only a manifest (assets/search/index.js: the sources and the
   register's name forms). A query loads the term shard of each of its words
   (t-KEY.js), the sentences tagged with the entries it names (e-K.js) and the
   sentences of the sources it matches (d-SOURCE.js), as <script> elements
   (fetch() of a local file is refused from file:// in Chromium), so that it
   works from file:// as well as over HTTP.

   Tokens as at build time: words for spaced scripts (lower case, accents
   folded, ł → l), overlapping character bigrams for Thai and Chinese. Every
   word must match (the words of three or more letters as prefixes). A query
   that matches a name form of a register entry also finds every sentence
   tagged with that entry, in every script. */
(function () {
  "use strict";
  var status = document.getElementById("search-status");
  var input = document.getElementById("search-input");
  var results = document.getElementById("search-results");
  var sourceFilter = document.getElementById("search-source");
  var langFilter = document.getElementById("search-lang");
  var data = window.EDITION_SEARCH;
  if (!status || !input || !results) return;
  if (!data) {
    status.textContent = "The search index could not be loaded (assets/search/index.js).";
    return;
  }
  var BASE = "assets/search/";
  var PER_SOURCE = 20;
  var SOURCES_AT_ONCE = 20;  /* sources whose sentences one step of the results loads */
  var UNSPACED = [[0x0E00, 0x0E7F], [0x3040, 0x30FF], [0x3400, 0x4DBF], [0x4E00, 0x9FFF], [0xF900, 0xFAFF]];
  var WORD = /[\p{L}\p{N}\p{M}]/u;
  var REGISTER = { person: "persons.html", place: "places.html", org: "organisations.html" };

  /* --- tokens, exactly as edition/html/search.py makes them --------------- */
  function unspaced(ch) {
    var code = ch.codePointAt(0);
    for (var i = 0; i < UNSPACED.length; i++) if (code >= UNSPACED[i][0] && code <= UNSPACED[i][1]) return true;
    return false;
  }
  function fold(word) {
    return word.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ł/g, "l");
  }
  function runs(text) {
    var found = [], current = "", kind = null;
    Array.from(text).forEach(function (ch) {
      var now = unspaced(ch) ? "u" : WORD.test(ch) ? "w" : null;
      if (now !== kind && current) { found.push({ text: current, unspaced: kind === "u" }); current = ""; }
      kind = now;
      if (now) current += ch;
    });
    if (current) found.push({ text: current, unspaced: kind === "u" });
    return found;
  }
  function bigrams(run) {
    var chars = Array.from(run), out = [];
    if (chars.length === 1) out.push(run);
    for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
    return out;
  }
  function tokens(text) {
    var out = [];
    runs(text).forEach(function (run) {
      if (run.unspaced) out.push.apply(out, bigrams(run.text)); else out.push(fold(run.text));
    });
    return out;
  }
  function shardOf(term) {
    var first = term[0];
    if ((first >= "a" && first <= "z") || (first >= "0" && first <= "9")) return first;
    return "u" + (term.codePointAt(0) % 16);
  }
  window.EDITION_SEARCH_TOKENS = tokens;  /* for the tests: the same tokens as the index */

  /* A query: its words (folded, prefix when 3+ letters) and its Thai/Chinese runs. */
  function parse(query) {
    return runs(query).map(function (run) {
      if (run.unspaced) return { run: run.text, unspaced: true, grams: bigrams(run.text) };
      var word = fold(run.text);
      return { word: word, prefix: Array.from(word).length > 2 };
    });
  }

  /* --- loading shards on demand, as scripts -------------------------------- */
  var loaded = {}, pending = {};
  window.EDITION_SEARCH_TERMS = function (key, postings) { loaded["t-" + key] = postings; };
  window.EDITION_SEARCH_DOCS = function (source, docs) { loaded["d-" + source] = docs; };
  window.EDITION_SEARCH_ENTRIES = function (key, sentences) { loaded["e-" + key] = sentences; };
  function load(name) {
    if (!pending[name]) {
      pending[name] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = BASE + name + ".js";
        script.onload = function () { resolve(loaded[name]); };
        script.onerror = function () { reject(new Error(BASE + name + ".js could not be loaded")); };
        document.head.appendChild(script);
      });
    }
    return pending[name];
  }
  function shard(key) {
    return data.shards.indexOf(key) < 0 ? Promise.resolve({}) : load("t-" + key);
  }
  function allUnspacedShards() {
    return Promise.all(data.shards.filter(function (k) { return k[0] === "u"; }).map(shard));
  }

  /* Sentence numbers holding a term (a word: its exact form, or as prefix). */
  function postingsOf(term) {
    if (term.unspaced) {
      if (term.grams.length === 1 && Array.from(term.run).length === 1) {
        return allUnspacedShards().then(function (shards) {
          var found = new Set();
          shards.forEach(function (postings) {
            Object.keys(postings).forEach(function (t) {
              if (t.indexOf(term.run) >= 0) postings[t].forEach(function (n) { found.add(n); });
            });
          });
          return found;
        });
      }
      return Promise.all(term.grams.map(function (g) { return shard(shardOf(g)); })).then(function (shards) {
        var sets = term.grams.map(function (g, i) { return new Set(shards[i][g] || []); });
        return intersect(sets);
      });
    }
    return shard(shardOf(term.word)).then(function (postings) {
      var found = new Set();
      Object.keys(postings).forEach(function (t) {
        if (t === term.word || (term.prefix && t.lastIndexOf(term.word, 0) === 0)) {
          postings[t].forEach(function (n) { found.add(n); });
        }
      });
      return found;
    });
  }
  function intersect(sets) {
    if (!sets.length) return new Set();
    sets.sort(function (a, b) { return a.size - b.size; });
    var out = new Set();
    sets[0].forEach(function (n) { if (sets.every(function (s) { return s.has(n); })) out.add(n); });
    return out;
  }

  /* --- the registers: entries whose name forms the query matches ----------- */
  var formTokens = null;
  function entryMatches(terms) {
    var meaningful = terms.every(function (t) { return t.unspaced ? Array.from(t.run).length > 1 : Array.from(t.word).length > 2; });
    if (!terms.length || !meaningful) return [];
    if (!formTokens) {
      formTokens = data.entries.map(function (entry) {
        return entry[3].map(function (form) { return { text: form, words: tokens(form) }; });
      });
    }
    var matched = [];
    data.entries.forEach(function (entry, index) {
      var hit = formTokens[index].some(function (form) {
        return terms.every(function (t) {
          if (t.unspaced) return form.text.indexOf(t.run) >= 0;
          return form.words.some(function (w) { return w === t.word || (t.prefix && w.lastIndexOf(t.word, 0) === 0); });
        });
      });
      if (hit) matched.push(index);
    });
    return matched;
  }

  function sourceOf(number) {
    for (var i = 0; i < data.sources.length; i++) {
      if (number >= data.sources[i].first && number < data.sources[i].end) return data.sources[i];
    }
    return null;
  }

  /* --- highlighting: folded matches, mapped back to the original text ------ */
  function foldedWithMap(text) {
    var folded = "", map = [], position = 0;
    Array.from(text).forEach(function (ch) {
      var f = fold(ch);
      for (var k = 0; k < f.length; k++) map.push(position);
      folded += f;
      position += ch.length;
    });
    map.push(position);
    return { folded: folded, map: map };
  }
  function ranges(text, terms, mentions) {
    var found = [];
    var fm = foldedWithMap(text), folded = fm.folded;
    terms.forEach(function (t) {
      var needle = t.unspaced ? t.run : t.word, from = 0, at;
      while (needle && (at = folded.indexOf(needle, from)) >= 0) {
        from = at + needle.length;
        if (!t.unspaced) {
          if (at > 0 && WORD.test(folded[at - 1])) continue;
          var end = at + needle.length;
          if (!t.prefix && end < folded.length && WORD.test(folded[end])) continue;
          while (end < folded.length && WORD.test(folded[end])) end++;
          found.push([fm.map[at], fm.map[end]]);
        } else {
          found.push([fm.map[at], fm.map[at + needle.length]]);
        }
      }
    });
    mentions.forEach(function (words) {
      var from = 0, at;
      while (words && (at = text.indexOf(words, from)) >= 0) { found.push([at, at + words.length]); from = at + words.length; }
    });
    found.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    found.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]); else merged.push(r.slice());
    });
    return merged;
  }
  function highlighted(text, terms, mentions) {
    var span = document.createElement("span"), at = 0;
    ranges(text, terms, mentions).forEach(function (r) {
      span.appendChild(document.createTextNode(text.slice(at, r[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(r[0], r[1]);
      span.appendChild(mark);
      at = r[1];
    });
    span.appendChild(document.createTextNode(text.slice(at)));
    return span;
  }

  /* --- a query → sentences, grouped by source ------------------------------ */
  var generation = 0;
  function entrySentences(entries) {  /* index → [tagged, narrating], from the entries' shards */
    var keys = entries.map(function (i) { return i % data.entryShards; })
      .filter(function (k, i, all) { return all.indexOf(k) === i; });
    return Promise.all(keys.map(function (k) { return load("e-" + k); })).then(function () {
      var found = {};
      entries.forEach(function (i) { found[i] = (loaded["e-" + (i % data.entryShards)] || {})[i] || [[], []]; });
      return found;
    });
  }
  function search(query) {
    var terms = parse(query);
    var entries = entryMatches(terms);
    var viaEntry = new Map();  /* sentence number → entries that bring it */
    var textual = terms.length ? Promise.all(terms.map(postingsOf)).then(intersect) : Promise.resolve(new Set());
    return Promise.all([textual, entrySentences(entries)]).then(function (both) {
      var byText = both[0], sentencesOf = both[1];
      entries.forEach(function (index) {
        sentencesOf[index][0].concat(sentencesOf[index][1]).forEach(function (n) {
          if (!viaEntry.has(n)) viaEntry.set(n, []);
          if (viaEntry.get(n).indexOf(index) < 0) viaEntry.get(n).push(index);
        });
      });
      var numbers = new Set(byText);
      viaEntry.forEach(function (_, n) { numbers.add(n); });
      var wanted = data.sources.filter(function (s) {
        if (sourceFilter && sourceFilter.value && sourceFilter.value !== s.id) return false;
        for (var n = s.first; n < s.end; n++) if (numbers.has(n)) return true;
        return false;
      });
      return more({ terms: terms, entries: entries, groups: [], added: [], rest: wanted,
                    numbers: numbers, byText: byText, viaEntry: viaEntry });
    });
  }
  /* The sentences of the next SOURCES_AT_ONCE sources that hold matches: a word common to
     a thousand sources does not load a thousand files before the first results. */
  function more(found) {
    var batch = found.rest.slice(0, SOURCES_AT_ONCE);
    found.rest = found.rest.slice(SOURCES_AT_ONCE);
    return Promise.all(batch.map(function (s) { return load("d-" + s.id); })).then(function (docsets) {
      found.added = [];
      batch.forEach(function (source, i) {
        var group = hitsOf(source, docsets[i], found);
        if (group) found.added.push(group);
      });
      found.groups = found.groups.concat(found.added);
      return found;
    });
  }
  function hitsOf(source, docs, found) {
    var hits = [], seen = new Set(), numbers = found.numbers, byText = found.byText, viaEntry = found.viaEntry;
    docs.forEach(function (doc) {
      var n = doc[0];
      if (!numbers.has(n)) return;
      if (byText.has(n) && !viaEntry.has(n) && !containsRuns(doc[4], found.terms)) return;
      if (langFilter && langFilter.value && doc[1] !== langFilter.value) return;
      var original = doc[5] >= 0 && doc[5] < n ? docs[n - 1 - source.first] : doc;
      if (seen.has(original[0])) return;
      seen.add(original[0]);
      var translation = original[5] >= 0 ? docs[original[5] - source.first] : null;
      hits.push({ original: original, translation: translation,
                  entries: (viaEntry.get(original[0]) || []).concat(translation ? viaEntry.get(translation[0]) || [] : [])
                    .filter(function (v, k, all) { return all.indexOf(v) === k; }) });
    });
    return hits.length ? { source: source, hits: hits } : null;
  }
  function containsRuns(text, terms) {
    return terms.every(function (t) { return !t.unspaced || text.indexOf(t.run) >= 0; });
  }

  /* --- showing the results ------------------------------------------------- */
  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }
  function mentionTexts(doc, entries) {
    return doc[7].filter(function (m) { return entries.indexOf(m[0]) >= 0; }).map(function (m) { return m[1]; });
  }
  function sentence(doc, source, terms, entries, className) {
    var p = element("p", className);
    var link = element("a");
    link.href = doc[3];
    link.lang = doc[1];
    link.appendChild(highlighted(doc[4], terms, mentionTexts(doc, entries)));
    p.appendChild(link);
    return p;
  }
  function hitItem(hit, source, found) {
    var item = element("li", "search-hit");
    var ref = element("a", "search-ref", source.siglum + " " + hit.original[6]);
    ref.href = hit.original[3];
    ref.setAttribute("aria-label", source.language + " source, sentence " + hit.original[6]);
    item.appendChild(ref);
    item.appendChild(sentence(hit.original, source, found.terms, found.entries, "search-original"));
    if (hit.translation) item.appendChild(sentence(hit.translation, source, found.terms, found.entries, "search-translation"));
    if (hit.entries.length) {
      var why = element("p", "search-why", "Tagged with or narrating: " +
        hit.entries.map(function (i) { return data.entries[i][1]; }).join(", "));
      item.appendChild(why);
    }
    return item;
  }
  function statusOf(found, query) {
    var total = found.groups.reduce(function (sum, g) { return sum + g.hits.length; }, 0);
    var text = total ? total + (total === 1 ? " sentence" : " sentences") + " in " + found.groups.length +
      (found.groups.length === 1 ? " source" : " sources") + " for “" + query + "”." : "Nothing found for “" + query + "”" +
      (found.rest.length ? " yet." : ".");
    if (found.rest.length) text += " " + found.rest.length + " more sources hold matches (“Show more sources” below).";
    return text;
  }
  function groupSection(group, found) {
    var section = element("section", "search-group");
    section.setAttribute("data-source", group.source.id);
    var heading = element("h2", null, group.source.language + ": " + group.source.title + " ");
    heading.appendChild(element("span", "search-count", "(" + group.hits.length + ")"));
    section.appendChild(heading);
    var list = element("ol", "search-hits");
    group.hits.forEach(function (hit, k) {
      var item = hitItem(hit, group.source, found);
      if (k >= PER_SOURCE) item.hidden = true;
      list.appendChild(item);
    });
    section.appendChild(list);
    if (group.hits.length > PER_SOURCE) {
      var all = element("button", "search-more", "Show all " + group.hits.length);
      all.type = "button";
      all.addEventListener("click", function () {
        list.querySelectorAll("li[hidden]").forEach(function (li) { li.hidden = false; });
        all.remove();
      });
      section.appendChild(all);
    }
    return section;
  }
  function show(found, query) {
    results.textContent = "";
    status.textContent = statusOf(found, query);
    if (found.entries.length) {
      var also = element("p", "search-entries", "Also every mention of: ");
      found.entries.slice(0, 12).forEach(function (index, k) {
        var entry = data.entries[index];
        var link = element("a", null, entry[1]);
        link.href = REGISTER[entry[2]] + "#" + (entry[4] || entry[0].split(":")[1]);  /* the register page's id */
        if (k) also.appendChild(document.createTextNode(" · "));
        also.appendChild(link);
      });
      if (found.entries.length > 12) also.appendChild(document.createTextNode(" … (" + found.entries.length + ")"));
      results.appendChild(also);
    }
    found.groups.forEach(function (group) { results.appendChild(groupSection(group, found)); });
    offerMore(found, query, generation);
  }
  function offerMore(found, query, mine) {
    if (!found.rest.length) return;
    var button = element("button", "search-more-sources", "Show more sources (" + found.rest.length + " left)");
    button.type = "button";
    button.addEventListener("click", function () {
      button.disabled = true;
      more(found).then(function () {
        if (mine !== generation) return;
        button.remove();
        found.added.forEach(function (group) { results.appendChild(groupSection(group, found)); });
        status.textContent = statusOf(found, query);
        offerMore(found, query, mine);
      }, function (error) { status.textContent = "The search failed: " + error.message; });
    });
    results.appendChild(button);
  }

  var idle = "Type to search " + data.count + " sentences in " + data.sources.length + " sources and their translations.";
  var timer = null;
  function run() {
    var query = input.value.trim();
    var mine = ++generation;
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    if (sourceFilter && sourceFilter.value) params.set("source", sourceFilter.value);
    if (langFilter && langFilter.value) params.set("lang", langFilter.value);
    try {  /* the query in the address, to share it (file:// may refuse) */
      history.replaceState(null, "", window.location.pathname + (params.toString() ? "?" + params : ""));
    } catch (e) { /* the search works without it */ }
    if (!query) { results.textContent = ""; status.textContent = idle; return; }
    status.textContent = "Searching…";
    search(query).then(function (found) {
      if (mine === generation) show(found, query);
    }, function (error) {
      if (mine === generation) status.textContent = "The search failed: " + error.message;
    });
  }
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
  [sourceFilter, langFilter].forEach(function (select) { if (select) select.addEventListener("change", run); });
  if (sourceFilter && sourceFilter.options.length === 1) {  /* a split edition lists its sources here, not in the page */
    data.sources.forEach(function (s) {
      var option = element("option", null, s.language + ": " + s.title);
      option.value = s.id;
      sourceFilter.appendChild(option);
    });
  }
  var initial = new URLSearchParams(window.location.search);
  if (sourceFilter && initial.get("source")) sourceFilter.value = initial.get("source");
  if (langFilter && initial.get("lang")) langFilter.value = initial.get("lang");
  status.textContent = idle;
  if (initial.get("q")) { input.value = initial.get("q"); run(); }
})();
