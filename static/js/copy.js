/* Copy blocks on the summary page: each button puts one groepsplan column on the clipboard.
   Where the Clipboard API is missing (plain http on a school network is not a secure
   context) the text is selected in its read-only box instead, ready for Ctrl+C. */
(function () {
  "use strict";

  var blocks = document.querySelector(".copy-blocks");
  if (!blocks) return;

  function say(id, message) {
    var state = document.querySelector('[data-copy-state="' + id + '"]');
    if (state) state.textContent = message;
  }

  function selectAndCopy(box, id) {
    box.focus();
    box.select();
    box.setSelectionRange(0, box.value.length);
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    say(id, copied ? blocks.dataset.copied : blocks.dataset.copyFailed);
  }

  blocks.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var id = button.dataset.copy;
    var box = document.getElementById(id);
    if (!box) return;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(box.value).then(
        function () { say(id, blocks.dataset.copied); },
        function () { selectAndCopy(box, id); }
      );
    } else {
      selectAndCopy(box, id);
    }
  });
})();
