/* Copy buttons: a button with data-copy="<id>" puts the value of the read-only box with that
   id on the clipboard (the groepsplan columns on the summary page, the links of a meeting).
   Where the Clipboard API is missing (plain http on a school network is not a secure
   context) the text is selected in its box instead, ready for Ctrl+C. The messages come
   from the nearest element with data-copied / data-copy-failed; the listener sits on the
   document, so boxes in regions that a push swapped in work too. The buttons arrive disabled
   and this script enables them, so a button is never clickable before it can do anything
   (the scripts are deferred; a page can show before they run). */
(function () {
  "use strict";

  function say(id, messages, copied) {
    var state = document.querySelector('[data-copy-state="' + id + '"]');
    if (state) state.textContent = copied ? messages.dataset.copied : messages.dataset.copyFailed;
  }

  function selectAndCopy(box, id, messages) {
    box.focus();
    box.select();
    box.setSelectionRange(0, box.value.length);
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    say(id, messages, copied);
  }

  function enable(root) {
    var buttons = root.querySelectorAll ? root.querySelectorAll("[data-copy][disabled]") : [];
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = false;
    if (root.matches && root.matches("[data-copy][disabled]")) root.disabled = false;
  }

  enable(document);
  document.addEventListener("htmx:load", function (event) { enable(event.target); });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var id = button.dataset.copy;
    var box = document.getElementById(id);
    var messages = button.closest("[data-copied]");
    if (!box || !messages) return;
    if (navigator.clipboard && window.isSecureContext) {
      // A browser may hold the promise while it asks for permission; after a second the
      // text is selected instead, so the button never stays silent.
      var settled = false;
      var fallback = window.setTimeout(function () {
        if (!settled) { settled = true; selectAndCopy(box, id, messages); }
      }, 1000);
      navigator.clipboard.writeText(box.value).then(
        function () { if (!settled) { settled = true; window.clearTimeout(fallback); say(id, messages, true); } },
        function () { if (!settled) { settled = true; window.clearTimeout(fallback); selectAndCopy(box, id, messages); } }
      );
    } else {
      selectAndCopy(box, id, messages);
    }
  });
})();
