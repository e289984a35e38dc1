/* The room screen: everything fits the projector, nothing is cut off unseen.
   Each live list fills the width in columns (screen.css): cards are packed into the
   shortest column (a masonry grid), text flows from column to column. After every swap this
   file gives each list the largest type at which it fits (data-fit-level 0, largest, to 4,
   the readable minimum); where even the minimum does not fit, it is split into pages that
   turn by themselves, with "1/2" showing where the screen is. Also: a fullscreen button,
   and a wake lock so the projector does not fall asleep. */
(function () {
  "use strict";

  var FLOWS = [
    "#prep .prep-answers",
    "#question-list",
    "#goal",
    ".needs-flow",
    "#support",
    "#agreements",
    "#yield .reasons",
    ".stage-closed .closed"
  ];
  var CARDS = ".needs-flow, #question-list"; /* lists of cards of at most 280 characters */
  var SMALLEST = 4; /* the last data-fit-level in screen.css */
  var PAGE_SECONDS = 15;
  var tools = document.querySelector("[data-screen]");
  var pageOf = {}; /* the page each flow shows, by its selector: kept across swaps */
  var fitted = new WeakMap(); /* each flow's size when it was last fitted */

  function fits(flow) {
    return flow.scrollWidth <= flow.clientWidth + 1 && flow.scrollHeight <= flow.clientHeight + 1;
  }

  /* A page is the flow's width plus one column gap: fractional, or the pages drift apart. */
  function pageWidth(flow) {
    var gap = parseFloat(getComputedStyle(flow).columnGap) || 0;
    return flow.getBoundingClientRect().width + gap;
  }

  function showPage(flow, pager, key) {
    var pages = Number(flow.dataset.pages);
    var page = pageOf[key] % pages;
    pageOf[key] = page;
    flow.dataset.page = String(page + 1);
    if (flow.classList.contains("masonry")) {
      cardsOf(flow).forEach(function (card) {
        card.classList.toggle("off-page", card.cardPage !== page);
      });
    } else {
      flow.scrollLeft = page * pageWidth(flow);
    }
    pager.textContent = page + 1 + "/" + pages + " · " + tools.dataset.nextPage + " ›";
  }

  function cardsOf(flow) {
    return Array.prototype.filter.call(flow.querySelectorAll(".card-item"), function (card) {
      return !card.closest("[hidden]");
    });
  }

  /* Where a card of `span` columns would stand on a page: the columns it would take and how
     far down, or null when it does not fit under what is there. */
  function place(tops, span, cardHeight, height) {
    var best = null;
    for (var first = 0; first + span <= tops.length; first++) {
      var top = Math.max.apply(null, tops.slice(first, first + span));
      if (best === null || top < best.top) best = { first: first, top: top };
    }
    return best && (best.top === 0 || best.top + cardHeight <= height) ? best : null;
  }

  /* Cards in order, each into the shortest column of the first page where it fits (a new
     page when it fits on none); a card taller than the list takes two columns. Returns the
     number of pages; each card keeps its page in cardPage. */
  function pack(flow) {
    var style = getComputedStyle(flow);
    var gap = parseFloat(style.columnGap) || 0;
    var width = flow.getBoundingClientRect().width;
    var height = flow.clientHeight;
    var count = Math.max(1, Math.floor((width + gap) / (parseFloat(style.getPropertyValue("--column")) + gap)));
    var column = (width - (count - 1) * gap) / count;
    flow.style.setProperty("--card-width", column + "px");
    flow.style.setProperty("--wide-width", 2 * column + gap + "px");
    var cards = cardsOf(flow);
    cards.forEach(function (card) { card.classList.remove("off-page", "wide"); });
    var heights = cards.map(function (card) { return card.getBoundingClientRect().height; });
    var pages = [];
    cards.forEach(function (card, index) {
      var span = 1;
      if (heights[index] > height && count > 1) {
        card.classList.add("wide");
        heights[index] = card.getBoundingClientRect().height;
        span = 2;
      }
      var page = 0, spot = null;
      for (; spot === null; page++) {
        if (page === pages.length) pages.push(new Array(count).fill(0));
        spot = place(pages[page], span, heights[index], height);
      }
      page -= 1;
      card.style.left = spot.first * (column + gap) + "px";
      card.style.top = spot.top + "px";
      card.cardPage = page;
      for (var taken = spot.first; taken < spot.first + span; taken++) {
        pages[page][taken] = spot.top + heights[index] + gap;
      }
    });
    return Math.max(1, pages.length);
  }

  /* Largest type that fits; else the smallest, in pages of whole columns. */
  function fit(flow, key) {
    var old = flow.previousElementSibling;
    if (old && old.matches(".pager")) old.remove();
    flow.querySelectorAll(".page-end").forEach(function (end) { end.remove(); });
    flow.classList.add("flow");
    var masonry = flow.matches(CARDS);
    flow.classList.toggle("masonry", masonry);
    delete flow.dataset.pages;
    flow.scrollLeft = 0;
    for (var level = 0; level <= SMALLEST; level++) {
      flow.dataset.fitLevel = String(level);
      if (masonry ? pack(flow) === 1 : fits(flow)) {
        flow.dataset.pages = "1";
        return;
      }
    }
    var pager = document.createElement("button");
    pager.type = "button";
    pager.className = "pager";
    pager.addEventListener("click", function () { turn(flow, pager, key); });
    pager.textContent = "1/1 · " + tools.dataset.nextPage + " ›"; /* its height, before measuring */
    flow.before(pager);
    if (masonry) {
      flow.dataset.pages = String(pack(flow));
      pageOf[key] = pageOf[key] || 0;
      showPage(flow, pager, key);
      return;
    }
    var width = pageWidth(flow);
    var pages = Math.max(1, Math.ceil(flow.scrollWidth / width - 0.01));
    /* The scroll range must reach the last page's start even when that page is half empty. */
    var end = document.createElement("span");
    end.className = "page-end";
    end.style.left = pages * width - 1 + "px";
    flow.appendChild(end);
    flow.dataset.pages = String(pages);
    pageOf[key] = pageOf[key] || 0;
    showPage(flow, pager, key);
  }

  function turn(flow, pager, key) {
    pageOf[key] = (pageOf[key] || 0) + 1;
    showPage(flow, pager, key);
  }

  function sizeOf(flow) {
    var rect = flow.getBoundingClientRect();
    return [rect.width, rect.height];
  }

  /* A flow whose box changes (the header wraps, the meeting clock writes its times) fits anew. */
  var observer = new ResizeObserver(function (entries) {
    var changed = entries.some(function (entry) {
      var before = fitted.get(entry.target);
      var now = sizeOf(entry.target);
      return !before || Math.abs(before[0] - now[0]) > 1 || Math.abs(before[1] - now[1]) > 1;
    });
    if (changed) relayout();
  });

  function layout() {
    document.querySelectorAll(".pager").forEach(function (pager) {
      var flow = pager.nextElementSibling;
      if (!flow || !flow.classList.contains("flow")) pager.remove();
    });
    FLOWS.forEach(function (selector) {
      var flow = document.querySelector(selector);
      if (!flow) return;
      fit(flow, selector);
      fitted.set(flow, sizeOf(flow));
      observer.observe(flow);
    });
  }

  var pending = null;
  function relayout() {
    if (pending) cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () {
      pending = null;
      layout();
    });
  }
  document.addEventListener("htmx:afterSettle", relayout);
  window.addEventListener("resize", relayout);

  setInterval(function () {
    document.querySelectorAll(".flow[data-pages]").forEach(function (flow) {
      var pager = flow.previousElementSibling;
      if (Number(flow.dataset.pages) > 1 && pager && pager.matches(".pager")) {
        var key = FLOWS.filter(function (selector) { return flow.matches(selector); })[0];
        turn(flow, pager, key);
      }
    });
  }, PAGE_SECONDS * 1000);

  /* ---- fullscreen, where the browser offers it ---- */
  var fullscreen = document.querySelector("[data-fullscreen]");
  if (fullscreen && document.fullscreenEnabled) {
    fullscreen.hidden = false;
    fullscreen.addEventListener("click", function () {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else {
        document.documentElement.requestFullscreen();
      }
    });
    document.addEventListener("fullscreenchange", function () {
      fullscreen.textContent = document.fullscreenElement ? fullscreen.dataset.leave : fullscreen.dataset.enter;
    });
  }

  /* ---- the Screen Wake Lock: the projector stays awake; the lock ends when the page is
     hidden, so it is asked for again when the page shows ---- */
  function keepAwake() {
    if (!("wakeLock" in navigator) || document.visibilityState !== "visible") return;
    navigator.wakeLock.request("screen").catch(function () { /* refused: e.g. low battery */ });
  }
  document.addEventListener("visibilitychange", keepAwake);
  keepAwake();

  layout();
})();
