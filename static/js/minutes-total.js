/* The team's minutes per step: the sum under the seven fields follows what is typed. Only a
   preview; the server checks the bounds and saves. The form names the element to update
   (data-minutes-total), which holds its Dutch wording with a {total} placeholder. */
(function () {
  "use strict";

  document.addEventListener("input", function (event) {
    var form = event.target.closest("[data-minutes-total]");
    if (!form) return;
    var total = 0;
    form.querySelectorAll("input[type=number]").forEach(function (field) {
      var minutes = parseInt(field.value, 10);
      if (!isNaN(minutes)) total += minutes;
    });
    var out = document.getElementById(form.dataset.minutesTotal);
    if (out) out.textContent = out.dataset.wording.replace("{total}", String(total));
  });
})();
