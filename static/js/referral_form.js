// The referral form's "Suggested agencies": refreshed when the coded facts change, and "Choose" picks the
// agency in "Send to" without leaving the page. Without this script the same buttons submit the form, which
// shows it again with the suggestions (or the choice) and sends nothing. No inline script (CSP).
//
// Only coded facts go into the fragment's URL: never the note, never a person code, and a county only when it
// is one of the member agencies' counties offered in the page's list (a county typed freely could hold anything).
(function () {
  "use strict";

  var FACTS = ["urgency", "trafficking_type", "age_band", "gender", "citizenship", "county", "language",
    "interpreter_needed", "needs"];

  function knownCounty(form, value) {
    var input = form.querySelector("[name=county]");
    var list = input && input.list;
    if (!list || !value) { return ""; }
    var typed = value.trim().toLowerCase();
    for (var i = 0; i < list.options.length; i++) {
      if (list.options[i].value.toLowerCase() === typed) { return list.options[i].value; }
    }
    return "";
  }

  function factsQuery(form) {
    var params = new URLSearchParams();
    FACTS.forEach(function (name) {
      form.querySelectorAll("[name=" + name + "]").forEach(function (field) {
        if ((field.type === "checkbox" || field.type === "radio") && !field.checked) { return; }
        var value = name === "county" ? knownCounty(form, field.value) : field.value;
        if (name === "interpreter_needed") { value = "on"; }
        if (value) { params.append(name, value); }
      });
    });
    return params.toString();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var region = document.getElementById("suggestions");
    if (!region) { return; }
    var form = region.closest("form");
    var list = document.getElementById("suggestion-list");
    var receiver = form.querySelector("[name=receiving_agency]");
    var announce = document.getElementById("receiver-chosen");
    var url = region.getAttribute("data-suggestions-url");
    var shown = factsQuery(form);
    var pending;

    function refresh() {
      var query = factsQuery(form);
      if (query === shown) { return; }
      shown = query;
      region.setAttribute("aria-busy", "true");
      fetch(url + "?" + query, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) { return response.text(); })
        .then(function (html) { if (query === shown) { list.innerHTML = html; } })
        .catch(function () { shown = ""; })
        .then(function () { region.removeAttribute("aria-busy"); });
    }

    function later() {
      window.clearTimeout(pending);
      pending = window.setTimeout(refresh, 300);
    }

    form.addEventListener("change", function (event) {
      if (FACTS.indexOf(event.target.name) >= 0) { later(); }
    });
    form.addEventListener("input", function (event) {
      if (event.target.name === "county") { later(); }
    });

    form.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) { return; }
      if (button.name === "show_suggestions") {
        event.preventDefault();
        shown = "";
        refresh();
        return;
      }
      if (!button.hasAttribute("data-choose-receiver")) { return; }
      event.preventDefault();
      receiver.value = button.getAttribute("data-choose-receiver");
      receiver.dispatchEvent(new Event("change", { bubbles: true }));
      if (announce) {
        // The sentence comes translated from the page (data-chosen-template), with {agency} in it.
        var template = announce.getAttribute("data-chosen-template") || "You chose {agency}. Check the facts, then send.";
        announce.textContent = template.replace("{agency}", button.getAttribute("data-agency-name"));
      }
      receiver.focus();
    });
  });
})();
