// Portal behaviour without inline scripts (the Content Security Policy forbids them).
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // The same check as text_check.js (cases/text_check.py), asked while the person types: its sentences only.
  function checkText(area, box) {
    if (!area.value.trim()) { box.textContent = ""; return; }
    fetch("/referrals/check-text/", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ fields: { text: area.value } })
    }).then(function (response) { return response.ok ? response.json() : { fields: {} }; })
      .then(function (data) {
        box.textContent = "";
        ((data.fields && data.fields.text) || []).forEach(function (finding) {
          var p = document.createElement("p");
          p.textContent = finding.message;
          box.appendChild(p);
        });
      }).catch(function () { box.textContent = ""; });
  }

  // Quick exit on public pages: Escape or the button replaces the page with a neutral site,
  // and replaces this history entry so that Back does not return here.
  function quickExit() {
    var target = document.body.getAttribute("data-quick-exit") || "https://www.weather.gov/";
    window.location.replace(target);
  }
  document.addEventListener("DOMContentLoaded", function () {
    // A form sent back with errors: its error summary (partials/error_summary.html) takes the focus, so that
    // the person hears "There is a problem" and can follow its links to each field.
    var errorSummary = document.querySelector("[data-error-summary]");
    if (errorSummary) { errorSummary.focus(); }

    if (document.body.hasAttribute("data-quick-exit")) {
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { quickExit(); }
      });
      var button = document.getElementById("quick-exit");
      if (button) { button.addEventListener("click", quickExit); }
    }

    // De-identification warning before submit: the server's guard is asked while the person types.
    document.querySelectorAll("textarea[data-deid-check]").forEach(function (area) {
      var box = document.createElement("div");
      box.className = "deid-warning";
      box.id = area.id + "_deid";
      box.setAttribute("aria-live", "polite");
      area.insertAdjacentElement("afterend", box);
      area.setAttribute("aria-describedby", ((area.getAttribute("aria-describedby") || "") + " " + box.id).trim());
      var pending;
      area.addEventListener("input", function () {
        window.clearTimeout(pending);
        pending = window.setTimeout(function () { checkText(area, box); }, 500);
      });
    });

    // Warn two minutes before the 30-minute idle limit; any request to the server resets it.
    var idle = parseInt(document.body.getAttribute("data-idle-seconds") || "0", 10);
    var dialog = document.getElementById("idle-warning");
    if (idle > 0 && dialog) {
      var warnAfter = Math.max(idle - 120, 30) * 1000;
      var timer = window.setTimeout(show, warnAfter);
      function show() { dialog.hidden = false; document.getElementById("idle-stay").focus(); }
      document.getElementById("idle-stay").addEventListener("click", function () {
        fetch("/api/v1/me/", { credentials: "same-origin" }).then(function (response) {
          if (response.ok) { dialog.hidden = true; window.clearTimeout(timer); timer = window.setTimeout(show, warnAfter); }
          else { window.location.reload(); }
        });
      });
    }
  });
})();
