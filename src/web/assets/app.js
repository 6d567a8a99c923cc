// Progressive enhancement only: every page works without this file.
"use strict";

// Copy buttons: <button data-copy="id-of-input">. Shown only when the clipboard is available.
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  if (!navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    navigator.clipboard.writeText(source.value || source.textContent).then(function () {
      var done = button.getAttribute("data-copied");
      if (done) {
        var status = document.getElementById(button.getAttribute("data-copy") + "-status");
        if (status) status.textContent = done;
      }
    });
  });
});

// Forms whose action cannot be undone ask once more: <form data-confirm="Question?">.
document.querySelectorAll("form[data-confirm]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
  });
});

// Checklists: "all met" sets every criterion of a unit at once (the assessor can still change
// each one before saving).
document.querySelectorAll("button[data-mark-all]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    var scope = document.getElementById(button.getAttribute("data-mark-all"));
    if (!scope) return;
    scope.querySelectorAll("input[type=radio][value=" + button.getAttribute("data-value") + "]")
      .forEach(function (radio) { radio.checked = true; });
  });
});
