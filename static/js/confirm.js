/* In-page confirmations: a button with data-opens-dialog opens the <dialog> it controls
   (aria-controls); the dialog's own "no" button closes it without script (method=dialog),
   and the confirmed command closes it once answered (a refusal then shows its message). */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-opens-dialog]");
    if (!opener) return;
    var dialog = document.getElementById(opener.getAttribute("aria-controls"));
    if (dialog && !dialog.open) dialog.showModal();
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var dialog = event.detail.elt.closest && event.detail.elt.closest("dialog[open]");
    if (dialog) dialog.close();
  });
})();
