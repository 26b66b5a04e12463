// The kept note (cases/text_check.py): before a form with free-text fields marked data-text-check is sent, the
// de-identification guard is asked about them. If it finds something, the form is not sent: an error summary
// and a message under each field say what and where, the range is selected in the field, and the text stays
// where it is, to be fixed. Without findings, or if the check cannot be reached, the form is sent as usual (the
// server still checks it). Nothing here keeps or logs the text.
(function () {
  "use strict";

  var TIMEOUT_MS = 5000;

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]") ||
      document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function fieldsOf(form) {
    return Array.prototype.filter.call(form.querySelectorAll("[data-text-check]"), function (field) {
      return field.name && !field.disabled && field.value.trim() !== "";
    });
  }

  function ask(form, fields) {
    var body = { fields: {} };
    fields.forEach(function (field) { body.fields[field.name] = field.value; });
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? window.setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    return fetch(form.getAttribute("data-text-check-url") || "/referrals/check-text/", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken(form) },
      body: JSON.stringify(body),
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      window.clearTimeout(timer);
      return response.ok ? response.json() : null;
    });
  }

  function clearPrevious(form) {
    form.querySelectorAll("[data-text-check-summary], [data-text-check-error]").forEach(function (node) {
      node.remove();
    });
    form.querySelectorAll("[data-text-check][data-text-check-described]").forEach(function (field) {
      var ids = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (id) {
        return id && id !== field.id + "_textcheck";
      });
      if (ids.length) { field.setAttribute("aria-describedby", ids.join(" ")); } else { field.removeAttribute("aria-describedby"); }
      field.removeAttribute("data-text-check-described");
      if (!field.closest(".has-error")) { field.removeAttribute("aria-invalid"); }
    });
  }

  function select(field, finding) {
    field.focus();
    field.setSelectionRange(finding.start, finding.end);
  }

  function fieldMessage(field, findings) {
    var message = document.createElement("p");
    message.className = "error";
    message.id = field.id + "_textcheck";
    message.setAttribute("data-text-check-error", "");
    message.textContent = findings.map(function (finding) { return finding.message; }).join(" ");
    // After the field's help, if any, so that the message sits right under what it is about.
    var after = field.parentNode.querySelector("#" + CSS.escape(field.id) + "_helptext") || field;
    after.insertAdjacentElement("afterend", message);
    field.setAttribute("aria-describedby", ((field.getAttribute("aria-describedby") || "") + " " + message.id).trim());
    field.setAttribute("data-text-check-described", "");
    field.setAttribute("aria-invalid", "true");
  }

  function summary(form, found) {
    var box = document.createElement("div");
    box.className = "errors error-summary";
    box.setAttribute("role", "alert");
    box.setAttribute("tabindex", "-1");
    box.setAttribute("data-error-summary", "");
    box.setAttribute("data-text-check-summary", "");
    var title = document.createElement("h2");
    title.className = "error-summary-title";
    title.textContent = form.getAttribute("data-text-check-title") || "There is a problem";
    var list = document.createElement("ul");
    found.forEach(function (item) {
      item.findings.forEach(function (finding) {
        var link = document.createElement("a");
        link.href = "#" + item.field.id;
        link.textContent = finding.message;
        link.addEventListener("click", function (event) { event.preventDefault(); select(item.field, finding); });
        var entry = document.createElement("li");
        entry.appendChild(link);
        list.appendChild(entry);
      });
    });
    box.appendChild(title);
    box.appendChild(list);
    var first = form.querySelector("[data-error-summary]") || form.firstElementChild;
    form.insertBefore(box, first);
    return box;
  }

  function show(form, fields, answer) {
    var found = fields.map(function (field) {
      return { field: field, findings: (answer.fields && answer.fields[field.name]) || [] };
    }).filter(function (item) { return item.findings.length; });
    if (!found.length) { return false; }
    found.forEach(function (item) { fieldMessage(item.field, item.findings); });
    var box = summary(form, found);
    // The range is selected in the field (it stays selected while the summary has the focus).
    var firstField = found[0].field, firstFinding = found[0].findings[0];
    firstField.setSelectionRange(firstFinding.start, firstFinding.end);
    box.focus();
    return true;
  }

  function guard(form) {
    var passing = false;
    form.addEventListener("submit", function (event) {
      if (passing || event.defaultPrevented) { passing = false; return; }
      var fields = fieldsOf(form);
      clearPrevious(form);
      if (!fields.length) { return; }
      event.preventDefault();
      var submitter = event.submitter || null;
      function send() {
        passing = true;
        if (form.requestSubmit) { form.requestSubmit(submitter); } else { form.submit(); }
      }
      ask(form, fields).then(function (answer) {
        if (!answer || !show(form, fields, answer)) { send(); }
      }).catch(send);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var forms = [];
    document.querySelectorAll("[data-text-check]").forEach(function (field) {
      if (field.form && forms.indexOf(field.form) === -1) { forms.push(field.form); }
    });
    forms.forEach(guard);
  });
})();
