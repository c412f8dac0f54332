/* The scoring page: every click is saved by htmx; saves that fail (no connection, server error, expired
   login) are kept in localStorage and sent again when the connection is back, so no answer is lost. */
(function () {
  "use strict";
  var root = document.getElementById("scoring");
  if (!root || root.dataset.editable !== "1") { return; }

  var STORE = "ocop.scoring." + root.dataset.scorecard;
  var RETRY_MS = 10000;
  var RETRYABLE = [0, 408, 429, 500, 502, 503, 504];
  var retryTimer = null;
  var retrying = false;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(STORE) || "{}"); } catch (e) { return {}; }
  }
  function store(queue) {
    try {
      if (Object.keys(queue).length) { window.localStorage.setItem(STORE, JSON.stringify(queue)); }
      else { window.localStorage.removeItem(STORE); }
    } catch (e) { /* private mode: the queue lives in memory only */ }
    memory = queue;
  }
  var memory = load();

  function fieldsetOf(elt) { return elt && elt.closest ? elt.closest("fieldset[data-criterion]") : null; }
  function statusOf(criterion) { return document.getElementById("saved-" + criterion); }

  // What a request from this element saves: its key in the queue and the values to send again.
  function itemFor(elt) {
    var fieldset = fieldsetOf(elt);
    if (!fieldset) { return null; }
    var criterion = fieldset.dataset.criterion;
    if (elt.type === "radio") {
      return {key: "score:" + criterion, kind: "score", criterion: criterion, option: elt.value,
              url: elt.getAttribute("hx-post")};
    }
    if (elt.tagName === "TEXTAREA") {
      return {key: "note:" + criterion, kind: "note", criterion: criterion, note: elt.value,
              url: elt.getAttribute("hx-post")};
    }
    return null;
  }

  function setStatus(criterion, text, css) {
    var status = statusOf(criterion);
    if (!status) { return; }
    status.textContent = text;
    status.className = "save-status small text-nowrap " + (css || "");
  }

  function showPending() {
    var banner = document.getElementById("pending-saves");
    var count = Object.keys(memory).length;
    if (!banner) { return; }
    banner.classList.toggle("d-none", count === 0);
    banner.textContent = count ? root.dataset.msgPending + " (" + count + ")" : "";
  }

  function enqueue(item, message) {
    var queue = load();
    queue[item.key] = item;
    store(queue);
    setStatus(item.criterion, message || root.dataset.msgUnsaved, "text-danger fw-semibold");
    showPending();
    scheduleRetry();
  }

  function dequeue(item) {
    var queue = load();
    var queued = queue[item.key];
    // A newer answer given while this one was on its way stays queued.
    if (queued && queued.option === item.option && queued.note === item.note) {
      delete queue[item.key];
      store(queue);
    }
    showPending();
  }

  function isLoginPage(xhr) {
    return !!(xhr && xhr.responseURL && xhr.responseURL.indexOf("/accounts/login/") !== -1);
  }

  function scheduleRetry() {
    if (retryTimer === null) {
      retryTimer = window.setInterval(retryAll, RETRY_MS);
    }
  }

  // Send the queued saves again, answers before notes (a note needs its answer saved first).
  function retryAll() {
    var queue = load();
    var items = Object.keys(queue).map(function (k) { return queue[k]; });
    if (!items.length) {
      if (retryTimer !== null) { window.clearInterval(retryTimer); retryTimer = null; }
      return;
    }
    if (retrying || navigator.onLine === false) { return; }
    retrying = true;
    items.sort(function (a, b) { return a.kind === b.kind ? 0 : (a.kind === "score" ? -1 : 1); });
    var chain = Promise.resolve();
    items.forEach(function (item) {
      chain = chain.then(function () { return resend(item); });
    });
    chain.then(function () { retrying = false; }, function () { retrying = false; });
  }

  function resend(item) {
    var source, values = {criterion: item.criterion};
    if (item.kind === "score") {
      source = document.getElementById("option-" + item.option);
      values.option = item.option;
    } else {
      var fieldset = document.getElementById("criterion-" + item.criterion);
      source = fieldset ? fieldset.querySelector("textarea[name=note]") : null;
      values.note = item.note;
    }
    if (!source) { return Promise.resolve(); }
    setStatus(item.criterion, root.dataset.msgSaving, "text-muted");
    return htmx.ajax("POST", item.url, {source: source, values: values, target: "#saved-" + item.criterion,
                                        swap: "innerHTML"}).catch(function () { /* handled by the events */ });
  }

  // A page opened again after a lost connection shows the answers still waiting, then sends them.
  function restore() {
    var queue = load();
    Object.keys(queue).forEach(function (key) {
      var item = queue[key];
      if (item.kind === "score") {
        var radio = document.getElementById("option-" + item.option);
        if (radio) { radio.checked = true; enableNote(radio); }
      } else {
        var fieldset = document.getElementById("criterion-" + item.criterion);
        var note = fieldset ? fieldset.querySelector("textarea[name=note]") : null;
        if (note) { note.value = item.note; }
      }
      setStatus(item.criterion, root.dataset.msgUnsaved, "text-danger fw-semibold");
    });
    showPending();
    if (Object.keys(queue).length) { scheduleRetry(); retryAll(); }
  }

  function enableNote(radio) {
    var fieldset = fieldsetOf(radio);
    var note = fieldset ? fieldset.querySelector("textarea[name=note]") : null;
    if (note) { note.disabled = false; }
  }

  root.addEventListener("change", function (event) {
    if (event.target.type === "radio") { enableNote(event.target); }
  });

  root.addEventListener("htmx:beforeRequest", function (event) {
    var item = itemFor(event.detail.elt);
    if (!item) { return; }
    setStatus(item.criterion, root.dataset.msgSaving, "text-muted");
    // The answer being sent is the latest one: a queued older answer must not be sent after it.
    var queue = load();
    if (queue[item.key]) {
      queue[item.key] = item;
      store(queue);
    }
  });

  root.addEventListener("htmx:beforeSwap", function (event) {
    // An expired login answers with the login page (after a redirect): keep the answer, do not swap.
    if (isLoginPage(event.detail.xhr)) {
      event.detail.shouldSwap = false;
      var item = itemFor(event.detail.elt);
      if (item) { enqueue(item, root.dataset.msgLogin); }
    }
  });

  root.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful && !isLoginPage(event.detail.xhr)) {
      var item = itemFor(event.detail.elt);
      if (item) { dequeue(item); }
    }
  });

  root.addEventListener("htmx:sendError", function (event) {
    var item = itemFor(event.detail.elt);
    if (item) { enqueue(item); }
  });

  root.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var item = itemFor(event.detail.elt);
    if (!item) { return; }
    var type = (xhr.getResponseHeader("Content-Type") || "");
    if (RETRYABLE.indexOf(xhr.status) === -1 && type.indexOf("text/plain") === 0) {
      // Refused for good (a locked scorecard, a finalised session...): say why, do not retry.
      var queue = load();
      delete queue[item.key];
      store(queue);
      showPending();
      setStatus(item.criterion, xhr.responseText, "text-danger");
      return;
    }
    enqueue(item, xhr.status === 403 ? root.dataset.msgLogin : root.dataset.msgUnsaved);
  });

  window.addEventListener("online", retryAll);

  // Submitting with answers still waiting would be refused as incomplete: wait for them first.
  window.addEventListener("submit", function (event) {
    if (event.target.id === "submit-form" && Object.keys(load()).length) {
      event.preventDefault();
      event.stopImmediatePropagation();
      window.alert(root.dataset.msgSubmitPending);
    }
  }, true);

  restore();
})();
