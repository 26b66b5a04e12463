/* Grant reports: export progress, and the period fields of the report form. No inline script (CSP). */
(function () {
  "use strict";

  // --- Export progress: poll the status URL until the file is ready, failed or expired. ---
  var job = document.querySelector("[data-export-status-url]");
  if (job && (job.dataset.state === "queued" || job.dataset.state === "running")) {
    var bar = document.getElementById("export-progress");
    var message = document.getElementById("export-message");
    var link = document.getElementById("export-download");
    var refresh = document.getElementById("export-refresh");
    var delay = 800;

    var poll = function () {
      fetch(job.dataset.exportStatusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (body) {
          bar.value = body.progress;
          bar.textContent = body.progress + "%";
          job.dataset.state = body.status;
          if (body.status === "ready") {
            link.href = body.download_url;
            link.hidden = false;
            message.textContent = job.dataset.textReady;
            if (refresh) { refresh.hidden = true; }
            link.focus();
          } else if (body.status === "failed" || body.status === "expired") {
            message.textContent = body.message + " " + job.dataset.textRetry;
            if (refresh) { refresh.hidden = true; }
          } else {
            message.textContent = job.dataset.textProgress.replace("{progress}", body.progress);
            delay = Math.min(delay * 1.3, 5000);
            window.setTimeout(poll, delay);
          }
        })
        .catch(function () {
          message.textContent = job.dataset.textUnreachable;
        });
    };
    window.setTimeout(poll, delay);
  }

  // --- Report form: show the period fields that apply to the chosen kind of period. ---
  var form = document.querySelector(".report-form");
  if (form) {
    var kinds = form.querySelectorAll("input[name=kind]");
    var fields = form.querySelectorAll("[data-period-kinds]");
    var update = function () {
      var chosen = form.querySelector("input[name=kind]:checked");
      fields.forEach(function (field) {
        var applies = !chosen || field.dataset.periodKinds.split(" ").indexOf(chosen.value) !== -1;
        field.hidden = !applies;
      });
    };
    kinds.forEach(function (radio) { radio.addEventListener("change", update); });
    update();

    var all = form.querySelector("[data-check-all]");
    if (all) {
      all.hidden = false;
      all.addEventListener("click", function () {
        form.querySelectorAll("input[name=" + all.dataset.checkAll + "]").forEach(function (box) { box.checked = true; });
      });
    }
  }
})();
