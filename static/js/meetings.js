// Meetings: after an agenda change the page reloads at #item-<id>; put keyboard focus back there,
// so that a person reordering with "Move up" / "Move down" keeps their place. No inline script (CSP).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.location.hash) { return; }
    var target = document.getElementById(window.location.hash.slice(1));
    if (target && target.hasAttribute("data-focus-target")) {
      target.focus();
    }
  });
})();
