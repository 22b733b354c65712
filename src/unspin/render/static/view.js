/* The behaviour of the analysis view: inline in the static report, /static/view.js in the web app.
   The view itself is HTML rendered by unspin.render (Python); this script builds none of the article or
   the findings. It shows a highlight's details box, filters techniques (re-applying the layering of
   pieces.piece_classes to a piece's data-k), marks an entity's mentions, jumps to paragraphs and panels,
   and folds the panels on a phone. Text only ever goes in with textContent. */
(function () {
  "use strict";
  document.documentElement.classList.remove("nojs");
  var PHONE = "(max-width: 60rem)";
  var LAYER = /^(b\d+|l\d+-\d+|off|active)$/;
  var active = null; // the mounted view: Escape and clicks outside go to it

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function each(list, f) { Array.prototype.forEach.call(list, f); }
  function pct(x) { return Math.round((x || 0) * 100) + "%"; }
  function markOf(node) { return node && node.closest ? node.closest("mark.pc") : null; }

  // root: the .view element; hooks (web app): tipItem(item, span, index) adds to a span's details.
  function mount(root, hooks) {
    hooks = hooks || {};
    var tip = root.querySelector(".tip");
    var hidden = Object.create(null), hiddenK = Object.create(null);
    var data, spans, techs, maxUnder;
    var current = null, pinned = false, pointer = false, quiet = false;

    function load() {
      data = JSON.parse(root.querySelector("#unspin-data").textContent);
      spans = data.spans; techs = data.techniques; maxUnder = data.maxUnderlines;
    }
    load();

    function ids(m) { return m.getAttribute("data-s").split(" ").map(Number); }
    function shown(m) { return ids(m).filter(function (i) { return !hidden[spans[i].t]; }); }

    function restyle(m) {
      var keep = (m.getAttribute("data-k") || "").split(" ").filter(function (k) { return k !== "" && !hiddenK[k]; });
      var cls = m.className.split(" ").filter(function (c) { return c && !LAYER.test(c); });
      keep.slice(0, maxUnder + 1).forEach(function (k, level) { cls.push(level ? "l" + level + "-" + k : "b" + k); });
      if (!keep.length) { cls.push("off"); }
      if (m === current) { cls.push("active"); }
      m.className = cls.join(" ");
      m.tabIndex = keep.length ? 0 : -1;
    }

    function filter() {
      hiddenK = Object.create(null);
      Object.keys(hidden).forEach(function (t) { if (techs[t]) { hiddenK[String(techs[t].i)] = true; } });
      hide();
      each(root.querySelectorAll("#article mark.pc"), restyle);
      each(root.querySelectorAll(".badge"), function (b) { b.classList.toggle("off", !!hidden[b.getAttribute("data-t")]); });
      each(root.querySelectorAll("input[data-t]"), function (b) { b.checked = !hidden[b.getAttribute("data-t")]; });
    }

    function fill(m) {
      tip.textContent = "";
      shown(m).forEach(function (i) {
        var s = spans[i], t = techs[s.t] || { name: s.t, i: "x", definition: "" };
        var item = el("div", "tip-item" + (s.w ? " wrong" : "")), head = el("div", "tip-head");
        head.appendChild(el("span", "sw k" + t.i));
        head.appendChild(el("strong", "", t.name));
        var how = el("span", "conf");
        if (s.m) {
          how.textContent = "added by an analyst";
        } else {
          how.appendChild(el("span", "st st-" + s.s, s.s));
          var n = el("span", "tipnum", " \u00b7 " + pct(s.c));
          n.title = "The model's probability. Each technique has its own threshold: compare the words, not the numbers.";
          how.appendChild(n);
        }
        head.appendChild(how);
        item.appendChild(head);
        if (s.w) { item.appendChild(el("p", "flag", "Marked wrong by an analyst.")); }
        if (t.definition) { item.appendChild(el("p", "def", t.definition)); }
        item.appendChild(el("q", "", s.x));
        item.appendChild(el("p", "where", "\u00b6 " + (s.p + 1)));
        if (hooks.tipItem) { hooks.tipItem(item, s, i); }
        tip.appendChild(item);
      });
    }

    function place(m) {
      var r = m.getBoundingClientRect(), vw = document.documentElement.clientWidth;
      tip.hidden = false;
      var left = Math.max(8, Math.min(r.left, vw - tip.offsetWidth - 8));
      tip.style.left = (left + window.scrollX) + "px";
      tip.style.top = (r.bottom + window.scrollY + 8) + "px";
    }

    function hide() {
      tip.hidden = true;
      if (current) { current.classList.remove("active"); current.removeAttribute("aria-describedby"); }
      current = null; pinned = false;
    }

    // intoBox: focus moves into the box (its buttons are the next Tab stops); Escape comes back.
    function show(m, pin, intoBox) {
      if (!m || m.classList.contains("off")) { return; }
      if (current !== m) { hide(); }
      current = m; pinned = pin;
      m.classList.add("active");
      m.setAttribute("aria-describedby", "tip");
      fill(m); place(m);
      var first = intoBox ? tip.querySelector("button") : null;
      if (first) { first.focus(); }
    }

    function selectEntity(btn) {
      var id = btn.getAttribute("aria-pressed") === "true" ? null : btn.getAttribute("data-entity");
      each(root.querySelectorAll("mark.ent.on"), function (m) { m.classList.remove("on"); });
      each(root.querySelectorAll("button[data-entity]"), function (b) {
        b.setAttribute("aria-pressed", b.getAttribute("data-entity") === id ? "true" : "false");
      });
      var found = id === null ? [] : root.querySelectorAll('mark.ent[data-entity~="' + id + '"]');
      each(found, function (m) { m.classList.add("on"); });
      var status = root.querySelector(".ent-status"), name = btn.textContent;
      if (status) {
        status.textContent = id === null ? "" : found.length ? found.length + " mentions of " + name +
          " are marked in the article." : "No mention of " + name + " in the article.";
      }
      if (found.length) {
        var r = found[0].getBoundingClientRect();
        if (r.top < 0 || r.bottom > window.innerHeight) { found[0].scrollIntoView({ block: "center" }); }
      }
    }

    // A link to a paragraph (#p7) or a panel (#claims): open it if folded, scroll to it, mark it, focus it.
    function jump(link) {
      var target = root.querySelector(link.getAttribute("href"));
      if (!target) { return false; }
      if (target.tagName === "DETAILS") { target.open = true; }
      each(root.querySelectorAll(".hit"), function (h) { h.classList.remove("hit"); });
      target.classList.add("hit");
      target.scrollIntoView({ block: target.classList.contains("para") ? "center" : "start" });
      if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
      target.focus({ preventScroll: true });
      return true;
    }

    root.addEventListener("mouseover", function (e) {
      var m = markOf(e.target); if (m && !pinned) { show(m, false); }
    });
    root.addEventListener("mouseout", function (e) {
      var m = markOf(e.target), to = e.relatedTarget;
      if (m && !pinned && !m.contains(to) && !tip.contains(to)) { hide(); }
    });
    root.addEventListener("mousedown", function () { pointer = true; });
    root.addEventListener("focusin", function (e) {
      var m = markOf(e.target);
      if (m && !pointer && !quiet && current !== m) { show(m, false); }
    });
    // Keyboard focus leaving the highlights and the box closes it. Decided a moment later, on where focus
    // landed: a re-rendered article (refresh) moves focus between nodes that no longer exist.
    root.addEventListener("focusout", function () {
      setTimeout(function () {
        var now = document.activeElement;
        if (current && !pointer && !(now && (tip.contains(now) || markOf(now)))) { hide(); }
      }, 0);
    });
    root.addEventListener("click", function (e) {
      pointer = false;
      var m = markOf(e.target);
      if (m && !String(window.getSelection() || "")) {
        if (pinned && current === m) { hide(); } else { show(m, true); }
        e.stopPropagation();
        return;
      }
      var link = e.target.closest ? e.target.closest('a[href^="#"]') : null;
      if (link && root.contains(link) && jump(link)) { e.preventDefault(); return; }
      var only = e.target.closest ? e.target.closest("button[data-only]") : null;
      if (only) {
        var t = only.getAttribute("data-only"), all = Object.keys(techs);
        var alone = !hidden[t] && all.every(function (o) { return o === t || hidden[o]; });
        hidden = Object.create(null);
        if (!alone) { all.forEach(function (o) { if (o !== t) { hidden[o] = true; } }); }
        filter();
        return;
      }
      var ent = e.target.closest ? e.target.closest("button[data-entity]") : null;
      if (ent) { selectEntity(ent); }
    });
    root.addEventListener("change", function (e) {
      var box = e.target;
      if (!box.matches || !box.matches("input[data-t]")) { return; }
      var t = box.getAttribute("data-t");
      if (box.checked) { delete hidden[t]; } else { hidden[t] = true; }
      filter();
    });
    root.addEventListener("keydown", function (e) {
      var m = markOf(e.target);
      if (!m || (e.key !== "Enter" && e.key !== " ")) { return; }
      e.preventDefault();
      show(m, true, true);
    });

    if (window.matchMedia && window.matchMedia(PHONE).matches) {
      each(root.querySelectorAll(".side details.fold[open]"), function (d) { d.open = false; });
    }

    var view = {
      root: root,
      hide: hide,
      escape: function () {
        var c = current;
        hide();
        if (c && root.contains(c)) { quiet = true; c.focus(); quiet = false; }
      },
      outside: function (e) { if (!tip.contains(e.target)) { hide(); } },
      // The web app, after an analyst's verdict: a freshly rendered view replaces the article and its
      // data; filters stay, and an open details box reopens on the same words with focus where it was.
      refresh: function (fresh) {
        var was = current ? { o: current.getAttribute("data-o"), pinned: pinned } : null;
        var buttons = Array.prototype.slice.call(tip.querySelectorAll("button"));
        var focused = buttons.indexOf(document.activeElement);
        hide();
        root.querySelector("#article").replaceWith(fresh.querySelector("#article"));
        root.querySelector("#unspin-data").textContent = fresh.querySelector("#unspin-data").textContent;
        load();
        filter();
        var m = was ? root.querySelector('#article mark.pc[data-o="' + was.o + '"]') : null;
        if (m) {
          show(m, was.pinned);
          var again = tip.querySelectorAll("button")[focused];
          if (focused >= 0 && again) { again.focus(); }
        }
      }
    };
    active = view;
    return view;
  }

  document.addEventListener("keydown", function (e) { if (e.key === "Escape" && active) { active.escape(); } });
  document.addEventListener("click", function (e) { if (active) { active.outside(e); } });

  window.UnspinView = { mount: mount, el: el, pct: pct };
  var auto = document.querySelector(".view[data-auto]");
  if (auto) { mount(auto); }
})();
