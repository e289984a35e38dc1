/* The meeting clock: when the meeting started, when it should end (every step's planned time
   plus the minutes given) and how far over it will run, in this device's own time zone.
   The current step's time left comes from the step clock (data-clock), like its countdown. */
(function () {
  "use strict";

  var offset = Number(document.body.dataset.serverNow) - Date.now() / 1000;
  var lang = document.documentElement.lang || "nl";

  function hhmm(seconds) {
    return new Date(seconds * 1000).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
  }

  function stepLeft(now) {
    var clock = document.querySelector("[data-clock]");
    if (!clock) return 0;
    var elapsed = Number(clock.dataset.elapsed);
    if (clock.dataset.startedAt) elapsed += Math.max(0, now - Number(clock.dataset.startedAt));
    return Math.max(0, Number(clock.dataset.budget) - elapsed);
  }

  function update() {
    var box = document.querySelector("[data-meeting-clock]");
    if (!box) return;
    var now = Date.now() / 1000 + offset;
    var over = now + stepLeft(now) + Number(box.dataset.stillToCome) - Number(box.dataset.plannedEnd);
    var minutes = Math.round(over / 60);
    box.querySelector("[data-meeting-started]").textContent = hhmm(Number(box.dataset.startedAt));
    box.querySelector("[data-meeting-end]").textContent = hhmm(Number(box.dataset.plannedEnd));
    box.querySelector("[data-meeting-over]").textContent =
      minutes > 0 ? box.dataset.over.replace("{n}", minutes) : box.dataset.onTime;
    box.classList.toggle("is-over", minutes > 0);
  }
  setInterval(update, 1000);
  document.addEventListener("htmx:afterSettle", update);
  update();
})();
