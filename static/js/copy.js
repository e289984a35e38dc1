/* Copy buttons: a button with data-copy="<id>" puts the value of the read-only box with that
   id on the clipboard (the groepsplan columns on the summary page, the links of a meeting).
   Where the Clipboard API is missing (plain http on a school network is not a secure
   context) the text is selected in its box instead, ready for Ctrl+C. The messages come
   from the nearest element with data-copied / data-copy-failed; the listener sits on the
   document, so boxes in regions that a push swapped in work too. */
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

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var id = button.dataset.copy;
    var box = document.getElementById(id);
    var messages = button.closest("[data-copied]");
    if (!box || !messages) return;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(box.value).then(
        function () { say(id, messages, true); },
        function () { selectAndCopy(box, id, messages); }
      );
    } else {
      selectAndCopy(box, id, messages);
    }
  });
})();
