/* Intervisiebord client: live regions over Socket.IO, the local countdown, drafts that
   survive a dropped connection. Commands go over htmx; this file only keeps screens true. */
(function () {
  "use strict";

  var body = document.body;

  /* Messages: the flash area is filled by error responses; a click closes it. */
  document.addEventListener("click", function (event) {
    if (event.target.matches("[data-dismiss]")) {
      event.target.closest(".flash-message").remove();
    }
    if (event.target.matches("input.copy")) {
      event.target.select();
    }
  });
  document.addEventListener("htmx:beforeRequest", function () {
    var flash = document.getElementById("flash");
    if (flash) flash.textContent = "";
  });

  var meetingId = body.dataset.meeting;
  if (!meetingId) return;

  var version = Number(body.dataset.version);
  var me = body.dataset.me || "";
  var offset = Number(body.dataset.serverNow) - Date.now() / 1000;
  var pending = {};
  var overtaken = {}; /* deferred regions that a later appended card made out of date */
  var connection = document.querySelector("[data-connection]");

  /* ---- who am I: reveal my own cards' controls and the timekeeper's buttons ---- */
  function reveal() {
    document.querySelectorAll("[data-author]").forEach(function (el) {
      el.classList.toggle("mine", me !== "" && el.dataset.author === me);
    });
    var stage = document.getElementById("stage");
    var keeper = stage ? stage.dataset.timekeeper : "";
    body.classList.toggle("is-timekeeper", me !== "" && keeper === me);
  }

  /* ---- live regions ---- */
  function isEditing(el) {
    var active = document.activeElement;
    var typing = active && el.contains(active) && active.matches("input, textarea, select");
    return typing || el.querySelector("details.editor[open]") !== null;
  }

  function swapRegion(id, html, force) {
    var el = document.getElementById(id);
    if (!el) return;
    var incomingStage = id === "stage" && html.indexOf('data-stage="' + el.dataset.stage + '"') === -1;
    if (!force && !incomingStage && isEditing(el)) {
      pending[id] = html;
      return;
    }
    delete pending[id];
    htmx.swap(el, html, { swapStyle: "outerHTML" });
    afterSwap();
  }

  /* A new card comes alone: appended to the list that shows it (a hidden group shows). */
  function appendCard(listId, html) {
    var list = document.getElementById(listId);
    if (!list) return;
    Object.keys(pending).forEach(function (id) {
      var el = document.getElementById(id);
      if (el && el.contains(list)) {
        /* Its deferred HTML predates this card: fetch the region anew once editing ends. */
        delete pending[id];
        overtaken[id] = true;
      }
    });
    htmx.swap(list, html, { swapStyle: "beforeend" });
    var group = list.closest("[hidden]");
    if (group) group.hidden = false;
    afterSwap();
  }

  function flushPending() {
    Object.keys(pending).forEach(function (id) {
      var el = document.getElementById(id);
      if (el && !isEditing(el)) swapRegion(id, pending[id], true);
    });
    var stale = Object.keys(overtaken).filter(function (id) {
      var el = document.getElementById(id);
      return !el || !isEditing(el);
    });
    if (stale.length) {
      stale.forEach(function (id) { delete overtaken[id]; });
      resync();
    }
  }
  document.addEventListener("focusout", function () { setTimeout(flushPending, 50); });
  document.addEventListener("toggle", function () { setTimeout(flushPending, 50); }, true);

  function resync() {
    return fetch("/m/" + meetingId + "/live", { credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 403 || response.status === 404) {
          window.location.reload();
          return null;
        }
        var fresh = Number(response.headers.get("X-Board-Version"));
        return response.text().then(function (html) {
          if (fresh >= version) {
            swapRegion("stage", html, false);
            version = fresh;
          }
        });
      })
      .catch(function () { /* offline: the next reconnect resyncs */ });
  }

  /* ---- the countdown, from server timestamps corrected for clock offset ---- */
  function formatClock(remaining) {
    var whole, sign = "";
    if (remaining >= 0) {
      whole = Math.ceil(remaining);
    } else {
      whole = Math.floor(-remaining);
      sign = "+";
    }
    var seconds = whole % 60;
    return sign + Math.floor(whole / 60) + ":" + (seconds < 10 ? "0" : "") + seconds;
  }

  var lastPhase = null;
  function tick() {
    var clock = document.querySelector("[data-clock]");
    if (!clock) return;
    var budget = Number(clock.dataset.budget);
    var elapsed = Number(clock.dataset.elapsed);
    var started = clock.dataset.startedAt;
    if (started) elapsed += Math.max(0, Date.now() / 1000 + offset - Number(started));
    var remaining = budget - elapsed;
    var phase = remaining < 0 ? "overrun" : remaining <= 60 ? "warning" : "ok";
    clock.querySelector("[data-clock-value]").textContent = formatClock(remaining);
    clock.classList.remove("phase-ok", "phase-warning", "phase-overrun");
    clock.classList.add("phase-" + phase);
    var label = clock.querySelector("[data-clock-label]");
    var key = "label" + phase.charAt(0).toUpperCase() + phase.slice(1);
    if (started && label) label.textContent = label.dataset[key] || label.textContent;
    if (started && lastPhase === "warning" && phase === "overrun") beep();
    lastPhase = started ? phase : null;
  }
  setInterval(tick, 250);

  /* ---- a short tone on the room screen when time is up (after the user allowed sound) ---- */
  var audio = null;
  var soundButton = document.querySelector("[data-sound]");
  if (soundButton) {
    soundButton.addEventListener("click", function () {
      var on = soundButton.getAttribute("aria-pressed") !== "true";
      soundButton.setAttribute("aria-pressed", String(on));
      soundButton.textContent = on ? soundButton.dataset.on : soundButton.dataset.off;
      if (on && !audio) audio = new (window.AudioContext || window.webkitAudioContext)();
      if (on) beep();
    });
  }
  function beep() {
    if (!audio || !soundButton || soundButton.getAttribute("aria-pressed") !== "true") return;
    var oscillator = audio.createOscillator();
    var gain = audio.createGain();
    oscillator.frequency.value = 880;
    gain.gain.setValueAtTime(0.2, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.6);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + 0.6);
  }

  /* ---- drafts: kept in localStorage, and need cards resent after a dropped connection ---- */
  function draftKey(form) { return "draft:" + meetingId + ":" + form.dataset.draft; }

  function newClientKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function saveDraft(form) {
    var data = { fields: {}, pending: form.dataset.pending === "true" };
    form.querySelectorAll("textarea, input:not([type=hidden]), select, input[data-client-key]").forEach(function (field) {
      if (field.type === "radio" && !field.checked) return; /* a chip group keeps its choice */
      if (field.name) data.fields[field.name] = field.value;
    });
    localStorage.setItem(draftKey(form), JSON.stringify(data));
  }

  function setDraftState(form, text) {
    var state = form.querySelector("[data-draft-state]");
    if (state) state.textContent = text;
  }

  function prepareDraft(form) {
    var keyField = form.querySelector("[data-client-key]");
    var stored = null;
    try { stored = JSON.parse(localStorage.getItem(draftKey(form)) || "null"); } catch (e) { stored = null; }
    if (stored) {
      Object.keys(stored.fields).forEach(function (name) {
        var field = form.querySelector("[name='" + name + "']");
        if (field && field.type === "radio") {
          form.querySelectorAll("[name='" + name + "']").forEach(function (radio) {
            radio.checked = radio.value === stored.fields[name];
          });
        } else if (field && (field.type !== "hidden" || field.hasAttribute("data-client-key"))) {
          field.value = stored.fields[name];
        }
      });
      if (stored.pending) {
        form.dataset.pending = "true";
        setDraftState(form, body.dataset.msgPending);
      }
    }
    if (keyField && !keyField.value) keyField.value = newClientKey();
  }

  function prepareDrafts(root) {
    (root || document).querySelectorAll("form[data-draft]").forEach(prepareDraft);
  }

  function resendPending() {
    document.querySelectorAll("form[data-draft][data-resend][data-pending='true']").forEach(function (form) {
      htmx.trigger(form, "submit");
    });
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest("form[data-draft]");
    if (form) saveDraft(form);
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt.closest && event.detail.elt.closest("form[data-draft]");
    if (form) saveDraft(form);
  });
  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt.closest && event.detail.elt.closest("form[data-draft]");
    if (!form) return;
    if (form.hasAttribute("data-resend")) {
      form.dataset.pending = "true";
      setDraftState(form, body.dataset.msgCardKept);
    } else {
      setDraftState(form, body.dataset.msgTextKept);
    }
    saveDraft(form);
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    /* A stored draft is done with once the server accepted it, before the fresh form lands. */
    var form = event.detail.elt;
    if (form.matches && form.matches("form[data-draft]") && event.detail.xhr.status < 300) {
      localStorage.removeItem(draftKey(form));
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    /* A card's editor closes once its change is saved (its form, not the nudge while typing):
       the deferred push then shows it. */
    var saved = event.detail.elt.matches && event.detail.elt.matches("form");
    var editor = saved && event.detail.elt.closest("details.editor");
    if (editor && event.detail.successful) editor.open = false;
    var fresh = Number(event.detail.xhr && event.detail.xhr.getResponseHeader("X-Board-Version"));
    if (fresh > version) {
      /* The push should arrive at once; if the socket is dead, fetch the truth ourselves. */
      setTimeout(function () { if (version < fresh) resync(); }, 1500);
    }
  });
  window.addEventListener("online", resendPending);

  function afterSwap() {
    reveal();
    prepareDrafts();
    tick();
  }
  document.addEventListener("htmx:afterSettle", afterSwap);

  /* ---- the socket: join on connect, resync when behind, apply pushes in order ---- */
  function setConnection(state, text) {
    if (!connection) return;
    connection.dataset.state = state;
    connection.textContent = text;
  }

  var socket = io({
    auth: function (cb) { cb({ meeting: meetingId, version: version }); },
    transports: ["websocket", "polling"],
    reconnectionDelayMax: 5000
  });
  socket.on("welcome", function (message) {
    offset = message.server_time - Date.now() / 1000;
    setConnection("online", connection ? connection.dataset.online || "live" : "");
    if (message.stale || message.version > version) resync();
    resendPending();
  });
  socket.on("regions", function (message) {
    if (message.version <= version) return;
    var gap = message.version > version + 1;
    Object.keys(message.regions).forEach(function (id) { swapRegion(id, message.regions[id]); });
    (message.append || []).forEach(function (item) { appendCard(item[0], item[1]); });
    version = message.version;
    if (gap) resync();
  });
  socket.on("deleted", function () { window.location.assign("/verwijderd"); });
  socket.on("disconnect", function () { setConnection("offline", connection ? connection.dataset.offline || "offline" : ""); });
  socket.on("connect_error", function () { setConnection("offline", connection ? connection.dataset.offline || "offline" : ""); });

  afterSwap();
})();
