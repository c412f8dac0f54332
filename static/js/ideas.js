/* The idea registration form: picking a subject from the search-as-you-type results. */
(function () {
  "use strict";
  var search = document.querySelector("[data-subject-search]");
  if (!search) { return; }
  var form = search.form;
  var hidden = form.querySelector("input[name=subject]");
  var results = document.getElementById("subject-results");
  var picked = form.querySelector("[data-subject-picked]");
  var pickedName = form.querySelector("[data-subject-picked-name]");

  // The search box is a combobox (role set by the form): it says whether its list of results is open.
  function showExpanded() {
    search.setAttribute("aria-expanded", results.querySelector("[data-subject-id]") ? "true" : "false");
  }
  search.setAttribute("aria-autocomplete", "list");
  showExpanded();
  results.addEventListener("htmx:afterSwap", showExpanded);

  function showPicked(name) {
    if (!picked) { return; }
    pickedName.textContent = name;
    picked.classList.toggle("d-none", !name);
  }

  // Typing again means looking for another subject: the previous choice no longer holds.
  search.addEventListener("input", function () {
    if (hidden.value && search.value !== search.dataset.pickedName) {
      hidden.value = "";
      showPicked("");
      document.body.dispatchEvent(new CustomEvent("subjectPicked"));
    }
  });

  results.addEventListener("click", function (event) {
    var option = event.target.closest("[data-subject-id]");
    if (!option) { return; }
    hidden.value = option.dataset.subjectId;
    search.value = option.dataset.subjectName;
    search.dataset.pickedName = option.dataset.subjectName;
    results.innerHTML = "";
    showExpanded();
    showPicked(option.dataset.subjectName);
    // The product select reloads the subject's products (hx-trigger="subjectPicked from:body").
    document.body.dispatchEvent(new CustomEvent("subjectPicked"));
  });

  // Enter in the search box picks the only result instead of sending the whole form.
  search.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") { return; }
    event.preventDefault();
    var options = results.querySelectorAll("[data-subject-id]");
    if (options.length === 1) { options[0].click(); }
  });

  if (hidden.value) { search.dataset.pickedName = search.value; }
})();
