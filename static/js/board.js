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
  var overtaken = {}; /* deferred regions that a later card (appended or changed) made out of date */
  var connection = document.querySelector("[data-connection]");

  /* ---- who am I: reveal my own cards' controls and the timekeeper's buttons ----
     A fragment rendered once for several audiences marks what is personal: data-author
     (my own cards) and data-reveal (a control for whoever may do its data-action now, as the
     stage lists from the permission table: data-can, and data-can-timekeeper for the
     timekeeper). */
  function words(value) { return value ? value.split(" ") : []; }
  function reveal() {
    document.querySelectorAll("[data-author]").forEach(function (el) {
      el.classList.toggle("mine", me !== "" && el.dataset.author === me);
    });
    var stage = document.getElementById("stage");
    var keeper = stage ? stage.dataset.timekeeper : "";
    var isKeeper = me !== "" && keeper === me;
    body.classList.toggle("is-timekeeper", isKeeper);
    var allowed = words(stage && stage.dataset.can);
    if (isKeeper) allowed = allowed.concat(words(stage.dataset.canTimekeeper));
    document.querySelectorAll("[data-reveal]").forEach(function (el) {
      el.hidden = allowed.indexOf(el.dataset.action) === -1;
    });
  }

  /* ---- a push never wipes what a person typed or chose and has not saved ----
     A control someone changed is unsaved until a request that carried its value succeeds.
     A pushed region is swapped in around that input: the unsaved values, the focus and any
     open editor move into the new HTML, and a save that had not gone out yet is sent from
     the new field. A region waits only while a request from inside it is under way (its
     answer lands in the old elements), while a key or button is held down or a confirmation
     is open, or while an open editor has no place in the new HTML. */
  var CONTROLS = "input:not([type=hidden]):not([type=submit]):not([type=button]), textarea, select";
  var unsaved = {}; /* key -> {value, sent, where} */
  var underway = []; /* [element, xhr, [[control, value sent]]] per request */

  function isControl(el) { return el instanceof Element && el.matches(CONTROLS); }

  function formKey(form) { return form ? form.getAttribute("action") || form.id || "" : ""; }

  /* Where a control is found again in new HTML: its id, or its form's action and its name
     (a radio group as a whole; one radio of it when `exact`, to put the focus back). */
  function whereOf(control, exact) {
    if (control.id && control.type !== "radio") return { id: control.id };
    var where = { form: formKey(control.form), name: control.name };
    if (exact && control.type === "radio") where.value = control.value;
    return where;
  }
  function keyOf(control) {
    var where = whereOf(control);
    return where.id ? "#" + where.id : where.form + " " + where.name;
  }
  function find(where) {
    if (where.id) return document.getElementById(where.id);
    var form = Array.prototype.find.call(document.forms, function (f) { return formKey(f) === where.form; });
    var found = form && form.elements.namedItem(where.name);
    if (!(found instanceof RadioNodeList)) return found;
    return Array.prototype.find.call(found, function (r) {
      return where.value === undefined || r.value === where.value;
    });
  }
  function radios(control) {
    var scope = control.form ? control.form.elements : document.querySelectorAll("input[type=radio]");
    return Array.prototype.filter.call(scope, function (r) { return r.type === "radio" && r.name === control.name; });
  }

  function valueOf(control) {
    if (control.type === "radio") {
      var checked = radios(control).find(function (r) { return r.checked; });
      return checked ? checked.value : "";
    }
    if (control.type === "checkbox") return control.checked ? control.value : "";
    return control.value;
  }
  /* What the server last had: the value the HTML came with, or the last one saved. */
  function savedValueOf(control) {
    if (control.type === "radio") {
      var first = radios(control).find(function (r) { return r.defaultChecked; });
      return first ? first.value : "";
    }
    if (control.type === "checkbox") return control.defaultChecked ? control.value : "";
    if (control.tagName === "SELECT") {
      var option = Array.prototype.find.call(control.options, function (o) { return o.defaultSelected; });
      option = option || control.options[0];
      return option ? option.value : "";
    }
    return control.defaultValue;
  }
  function setValue(control, value) {
    if (control.type === "radio") {
      radios(control).forEach(function (r) { r.checked = r.value === value; });
    } else if (control.type === "checkbox") {
      control.checked = value !== "";
    } else {
      control.value = value;
    }
  }
  function markSaved(control) {
    if (control.type === "radio") {
      radios(control).forEach(function (r) { r.defaultChecked = r.checked; });
    } else if (control.type === "checkbox") {
      control.defaultChecked = control.checked;
    } else if (control.tagName === "SELECT") {
      Array.prototype.forEach.call(control.options, function (o) { o.defaultSelected = o.selected; });
    } else {
      control.defaultValue = control.value;
    }
  }

  function track(event) {
    var control = event.target;
    if (!isControl(control)) return;
    var value = valueOf(control);
    if (value === savedValueOf(control)) delete unsaved[keyOf(control)];
    else unsaved[keyOf(control)] = { value: value, sent: false, where: whereOf(control) };
  }
  document.addEventListener("input", track);
  document.addEventListener("change", track);

  /* What was typed or chosen before the scripts ran (a slow connection shows the page
     first): htmx took that value for the field's starting one, so its "changed" trigger
     stays quiet. Once htmx has set the page up, such a field is unsaved like any other,
     and one that saves itself (its own hx-post) sends its save now. */
  var early = Array.prototype.filter.call(document.querySelectorAll(CONTROLS), function (control) {
    return valueOf(control) !== savedValueOf(control);
  });
  early.forEach(function (control) { track({ target: control }); });
  /* Until htmx has set the page up. This script is deferred, so it runs with the document
     already "interactive" and htmx's set-up still to come (on DOMContentLoaded): a field
     typed into in between is one htmx will take as unchanged too. */
  var ready = false;
  document.addEventListener("input", function (event) {
    if (!ready && isControl(event.target)) early.push(event.target);
  });
  function catchUp() {
    ready = true;
    var sent = {};
    early.forEach(function (control) {
      var key = keyOf(control);
      var entry = control.isConnected && unsaved[key];
      var url = control.getAttribute("hx-post");
      if (!entry || entry.sent || !url || sent[key] || (control.type === "radio" && !control.checked)) return;
      sent[key] = true;
      htmx.ajax("POST", url, { source: control });
    });
    early = [];
  }
  if (document.readyState === "complete") {
    setTimeout(catchUp, 0); /* loaded late: htmx has set the page up already */
  } else {
    /* htmx sets the page up on this same event; its listener came first. */
    document.addEventListener("DOMContentLoaded", catchUp);
  }

  /* A field whose save goes on change, left without one (its value came back after a swap). */
  document.addEventListener("focusout", function (event) {
    var control = event.target;
    var entry = isControl(control) && unsaved[keyOf(control)];
    if (entry && !entry.sent && control.isConnected) {
      control.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    var controls = elt.tagName === "FORM" ? Array.prototype.filter.call(elt.elements, isControl) : isControl(elt) ? [elt] : [];
    var sent = controls.map(function (control) {
      var entry = unsaved[keyOf(control)];
      if (entry) entry.sent = true;
      return [control, valueOf(control)];
    });
    underway.push([elt, event.detail.xhr, sent]);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    var request = underway.find(function (item) { return item[1] === xhr; });
    underway = underway.filter(function (item) { return item[1] !== xhr; });
    if (request && event.detail.successful) {
      request[2].forEach(function (pair) {
        var control = pair[0];
        if (valueOf(control) !== pair[1]) return; /* typed on meanwhile: still unsaved */
        delete unsaved[keyOf(control)];
        markSaved(control);
      });
    }
    setTimeout(flushPending, 0);
  });

  /* A key or button held down: a swap now would swallow its click or keypress. */
  var pressed = false;
  ["keydown", "pointerdown"].forEach(function (type) {
    document.addEventListener(type, function () { pressed = true; }, true);
  });
  ["keyup", "pointerup", "pointercancel"].forEach(function (type) {
    document.addEventListener(type, function () { pressed = false; setTimeout(flushPending, 0); }, true);
  });
  window.addEventListener("blur", function () { pressed = false; });

  function mustWait(el, html) {
    if (pressed || el.querySelector("dialog[open]")) return true; /* a question is being answered */
    if (underway.some(function (item) { return el.contains(item[0]); })) return true;
    var editors = openEditors(el);
    if (!editors.length) return false;
    var incoming = document.createElement("template");
    incoming.innerHTML = html;
    return editors.some(function (editor) {
      var key = editor.dataset.keep;
      return !key || !incoming.content.querySelector('[data-keep="' + key + '"]');
    });
  }

  /* An editor the person opened; with data-keep it moves into the new HTML (to its twin). */
  function openEditors(el) {
    return Array.prototype.filter.call(el.querySelectorAll("details.editor, details[data-keep]"), function (d) { return d.open; });
  }

  /* What of the person's own lives in a region: taken out before a swap, put back after. */
  function keep(el) {
    var active = document.activeElement;
    var kept = {
      keys: Object.keys(unsaved).filter(function (key) {
        var control = find(unsaved[key].where);
        return control && el.contains(control);
      }),
      focus: null,
      states: [],
      editors: openEditors(el).filter(function (editor) { return editor.dataset.keep; })
    };
    if (active && active !== body && el.contains(active)) {
      kept.focus = {
        node: active,
        where: isControl(active) ? whereOf(active, true) : { id: active.id },
        start: selection(active, "selectionStart"),
        end: selection(active, "selectionEnd"),
        scroll: active.scrollTop
      };
    }
    el.querySelectorAll(".save-state[id]").forEach(function (state) {
      if (state.textContent.trim()) kept.states.push([state.id, state.innerHTML]);
    });
    kept.editors.forEach(function (editor) { editor.remove(); });
    return kept;
  }
  function selection(el, property) {
    try { return el[property]; } catch (e) { return null; }
  }

  function putBack(kept) {
    kept.editors.forEach(function (editor) {
      var slot = document.querySelector('[data-keep="' + editor.dataset.keep + '"]');
      if (slot) slot.replaceWith(editor);
    });
    kept.keys.forEach(function (key) {
      var entry = unsaved[key];
      var control = entry && find(entry.where);
      if (!control) return;
      setValue(control, entry.value);
      var trigger = control.closest("[hx-trigger]");
      if (!entry.sent && trigger && /\binput\b/.test(trigger.getAttribute("hx-trigger"))) {
        /* Its save was still waiting for the typing to stop: it goes from the new field. */
        control.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
    kept.states.forEach(function (pair) {
      var state = document.getElementById(pair[0]);
      if (state && !state.textContent.trim()) state.innerHTML = pair[1];
    });
    var focus = kept.focus;
    /* The focus goes back to the same element (in an editor that moved) or its twin. */
    var target = focus ? (focus.node.isConnected ? focus.node : find(focus.where)) : null;
    if (target && target !== document.activeElement) {
      target.focus({ preventScroll: true });
      if (focus.start !== null && typeof target.setSelectionRange === "function") {
        try { target.setSelectionRange(focus.start, focus.end); } catch (e) { /* not a text field */ }
      }
      target.scrollTop = focus.scroll;
    }
  }

  /* Newer HTML for el (a card appended to it, or el itself): a region waiting around it
     holds older HTML, so it is fetched anew once it may be swapped; what waits inside el
     is older than the HTML for el and is dropped. */
  function overtake(el, id) {
    Object.keys(pending).forEach(function (other) {
      var region = document.getElementById(other);
      if (other === id || !region) return;
      if (region.contains(el)) {
        delete pending[other];
        overtaken[other] = true;
      } else if (id && el.contains(region)) {
        delete pending[other];
      }
    });
  }

  function swapRegion(id, html, force) {
    var el = document.getElementById(id);
    if (!el) return;
    overtake(el, id);
    var incomingStage = id === "stage" && html.indexOf('data-stage="' + el.dataset.stage + '"') === -1;
    if (!force && !incomingStage && mustWait(el, html)) {
      pending[id] = html;
      return;
    }
    delete pending[id];
    var kept = keep(el);
    htmx.swap(el, html, { swapStyle: "outerHTML" });
    putBack(kept);
    afterSwap();
  }

  /* A new card comes alone: appended to the list that shows it (a hidden group shows). */
  function appendCard(listId, html) {
    var list = document.getElementById(listId);
    if (!list) return;
    overtake(list, null);
    htmx.swap(list, html, { swapStyle: "beforeend" });
    var group = list.closest("[hidden]");
    if (group) group.hidden = false;
    afterSwap();
  }

  function flushPending() {
    Object.keys(pending).forEach(function (id) {
      var el = document.getElementById(id);
      if (el && !mustWait(el, pending[id])) swapRegion(id, pending[id], true);
    });
    var stale = Object.keys(overtaken).filter(function (id) {
      var el = document.getElementById(id);
      return !el || !underway.some(function (item) { return el.contains(item[0]); });
    });
    if (stale.length) {
      stale.forEach(function (id) { delete overtaken[id]; });
      resync();
    }
  }
  ["toggle", "close"].forEach(function (type) {
    document.addEventListener(type, function () { setTimeout(flushPending, 50); }, true);
  });

  function resync() {
    return fetch(body.dataset.liveUrl, { credentials: "same-origin" })
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

  /* A lost push (a message queue down) sends no error: ask the version when nothing has been
     heard for a beat. A push heard in order is as good an answer (a later one shows a gap),
     so in a busy meeting the devices ask nothing: 3,000 of them would otherwise ask 120
     times a second. */
  var beat = null;
  function heartbeat() {
    fetch(body.dataset.versionUrl, { credentials: "same-origin" })
      .then(function (response) {
        var fresh = Number(response.headers.get("X-Board-Version"));
        if (response.status >= 400 || fresh > version) resync();
      })
      .catch(function () { /* offline: the next beat or reconnect resyncs */ });
    nextBeat();
  }
  function nextBeat() {
    clearTimeout(beat);
    beat = setTimeout(heartbeat, Number(body.dataset.heartbeat) * 1000);
  }
  nextBeat();

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
    var phase = remaining < 0 ? "overrun" : remaining <= Number(clock.dataset.warning) ? "warning" : "ok";
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
  /* A form that adds something is answered 204 (the push shows what it added): it empties
     itself as a fresh form would be, with a new client key, and lets go of the focus. */
  function emptyForm(form) {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!isControl(field) || field.type === "hidden") return;
      if (field.tagName === "SELECT") field.selectedIndex = 0;
      else if (field.type === "radio" || field.type === "checkbox") field.checked = false;
      else field.value = "";
      markSaved(field); /* empty is what the server has now: nothing of it is unsaved */
      delete unsaved[keyOf(field)];
    });
    delete form.dataset.pending;
    form.querySelectorAll("[aria-live]").forEach(function (el) { el.textContent = ""; });
    var keyField = form.querySelector("[data-client-key]");
    if (keyField) keyField.value = newClientKey();
    if (form.contains(document.activeElement)) document.activeElement.blur();
  }
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (form.matches && form.matches("form[data-draft]") && event.detail.xhr.status === 204) {
      emptyForm(form);
    }
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
    nextBeat();
  });
  socket.on("deleted", function () { window.location.assign(body.dataset.deletedUrl); });
  socket.on("disconnect", function () { setConnection("offline", connection ? connection.dataset.offline || "offline" : ""); });
  socket.on("connect_error", function () { setConnection("offline", connection ? connection.dataset.offline || "offline" : ""); });

  afterSwap();
})();
