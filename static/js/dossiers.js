/* Dossier page: the dates of issue and validity concern only licences and test results. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-dated-kinds]");
  if (!form) { return; }
  var dated = form.dataset.datedKinds.split(" ");
  var kind = form.querySelector("select[name=kind]");
  var inputs = ["issued_on", "valid_until"].map(function (name) {
    return form.querySelector("input[name=" + name + "]");
  }).filter(Boolean);
  if (!kind || !inputs.length) { return; }

  function box(input) {
    return input.closest(".mb-3") || input.parentElement;
  }

  function update() {
    // Keep the fields in view when they hold a value or an error, whatever the kind.
    var show = dated.indexOf(kind.value) !== -1 || inputs.some(function (input) {
      return input.value || input.classList.contains("is-invalid");
    });
    inputs.forEach(function (input) {
      box(input).hidden = !show;
      input.disabled = !show;
    });
  }

  kind.addEventListener("change", update);
  update();
})();
