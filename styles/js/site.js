/* The HTML edition's behaviour, as progressive enhancement: every feature
   here has a no-JavaScript fallback (links to anchors, native popovers). */
(function () {
  "use strict";

  /* Hovering or focusing a sentence highlights its counterpart. */
  function counterpart(sentence) {
    var id = sentence.getAttribute("data-counterpart");
    return id ? document.getElementById(id) : null;
  }
  function setHighlight(sentence, on) {
    [sentence, counterpart(sentence)].forEach(function (el) {
      if (el) el.classList.toggle("highlight", on);
    });
  }
  /* ...on hover, and when the keyboard focuses anything in its cell (the ¶
     permalink, a name): sentences themselves are not focusable, so that the
     names inside them can be (no nested interactive elements). */
  document.querySelectorAll(".cell").forEach(function (cell) {
    var sentence = cell.querySelector(".sentence[data-counterpart]");
    if (!sentence) return;
    ["mouseenter", "focusin"].forEach(function (type) {
      cell.addEventListener(type, function () { setHighlight(sentence, true); });
    });
    ["mouseleave", "focusout"].forEach(function (type) {
      cell.addEventListener(type, function () { setHighlight(sentence, false); });
    });
  });

  /* A person, place or organisation opens its register entry in a popover. */
  function popoverFor(ref) {
    return document.getElementById("pop-" + ref.replace(":", "-"));
  }
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
      if (popover) requestAnimationFrame(function () { place(popover, button); });
    });
  });

  /* Popovers open next to what opened them (fixed positioning, kept on screen). */
  function place(popover, anchor) {
    var box = anchor.getBoundingClientRect();
    popover.style.position = "fixed";
    popover.style.margin = "0";
    var width = popover.offsetWidth, height = popover.offsetHeight;
    var left = Math.min(Math.max(8, box.left), window.innerWidth - width - 8);
    var top = box.bottom + 6;
    if (top + height > window.innerHeight - 8) top = Math.max(8, box.top - height - 6);
    popover.style.left = left + "px";
    popover.style.top = top + "px";
  }

  /* The apparatus page: filter by source and category (also from ?source=). */
  var source = document.getElementById("filter-source");
  var category = document.getElementById("filter-category");
  if (source && category) {
    var params = new URLSearchParams(window.location.search);
    if (params.get("source")) source.value = params.get("source");
    if (params.get("category")) category.value = params.get("category");
    var apply = function () {
      var shown = 0;
      document.querySelectorAll(".all-problems > li").forEach(function (item) {
        var visible = (!source.value || item.dataset.source === source.value) &&
                      (!category.value || item.dataset.category === category.value);
        item.hidden = !visible;
        if (visible) shown += 1;
      });
      document.getElementById("filter-count").textContent = shown + (shown === 1 ? " problem" : " problems");
    };
    source.addEventListener("change", apply);
    category.addEventListener("change", apply);
    apply();
  }
})();
