// The compact header on a phone, and wide tables that scroll inside their own region (issue 20).
// Without JavaScript the Menu button stays hidden and the whole menu shows; tables then scroll with the page.
(function () {
  "use strict";

  function setUpMenu() {
    var button = document.getElementById("menu-button");
    var menu = document.getElementById("site-menu");
    if (!button || !menu) { return; }
    var header = button.closest(".site-header");
    header.classList.add("has-menu");
    button.hidden = false;

    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("open", open);
    }
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    // Escape closes the open menu and puts the focus back on the button. It stops there, so that on a
    // public page (where Escape is the quick exit) closing the menu does not also leave the site.
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        event.stopPropagation();
        setOpen(false);
        button.focus();
      }
    });
  }

  // A table wider than the page goes into a region of its own that scrolls sideways: reachable by
  // keyboard (tabindex), named for a screen reader, with a visible cue above it.
  function labelFor(table) {
    var caption = table.querySelector("caption");
    if (caption) { return caption.textContent.trim(); }
    var label = table.getAttribute("aria-label");
    if (label) { return label; }
    var heading = table.previousElementSibling;
    while (heading && !/^H[1-6]$/.test(heading.tagName)) { heading = heading.previousElementSibling; }
    return heading ? heading.textContent.trim() : words("tableName", "Table");
  }

  // The words come from the page (base.html's <body data-...>, translated there), English if absent.
  function words(name, fallback) {
    return document.body.dataset[name] || fallback;
  }

  function fitTables() {
    document.querySelectorAll("main table").forEach(function (table) {
      var parent = table.parentElement;
      if (parent.classList.contains("table-scroll") || table.closest(".table-scroll")) { return; }
      var style = window.getComputedStyle(parent);
      var room = parent.getBoundingClientRect().right - parseFloat(style.paddingRight);
      if (table.getBoundingClientRect().right <= room + 1) { return; }
      var region = document.createElement("div");
      region.className = "table-scroll";
      region.setAttribute("role", "region");
      region.setAttribute("tabindex", "0");
      region.setAttribute("aria-label", words("tableRegion", "{table} (scrolls sideways)").replace("{table}", labelFor(table)));
      parent.insertBefore(region, table);
      region.appendChild(table);
      var cue = document.createElement("p");
      cue.className = "scroll-cue small";
      cue.setAttribute("aria-hidden", "true");
      cue.textContent = words("tableCue", "Swipe or scroll sideways to see the whole table →");
      region.insertAdjacentElement("beforebegin", cue);  // above: seen before the long table
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    fitTables();
  });
  // Again once images and fonts are in: a table may only then grow wider than the page.
  window.addEventListener("load", fitTables);
})();
