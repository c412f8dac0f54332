/* Behaviour shared by every page, without inline script (the Content Security Policy forbids it). */
(function () {
  "use strict";
  // Ask before a destructive action: <form data-confirm="..."> or <button data-confirm="...">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var text = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (text && !window.confirm(text)) {
      event.preventDefault();
    }
  }, true);
  // Prevent double submission of the same form.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.dataset.allowResubmit !== undefined) { return; }
    if (form.dataset.submitting) { event.preventDefault(); return; }
    form.dataset.submitting = "1";
    window.setTimeout(function () { delete form.dataset.submitting; }, 5000);
  });
  // Forms that auto-submit when a filter changes: <form data-autosubmit>.
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.dataset.autosubmit !== undefined && event.target.tagName === "SELECT") {
      form.requestSubmit();
    }
  });
})();
