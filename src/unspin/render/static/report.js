(function () {
  "use strict";
  document.documentElement.classList.remove("nojs");
  var data = JSON.parse(document.getElementById("unspin-data").textContent);
  var spans = data.spans, techs = data.techniques, maxUnder = data.maxUnderlines;
  var tip = document.getElementById("tip");
  var hidden = Object.create(null);
  var current = null, pinned = false;

  function ids(p) { return p.getAttribute("data-s").split(" ").map(Number); }
  function shown(p) { return ids(p).filter(function (i) { return !hidden[spans[i].t]; }); }

  function restyle(p) {
    var cls = ["pc"], seen = Object.create(null), n = 0;
    var v = shown(p);
    v.forEach(function (i) {
      var t = techs[spans[i].t].i;
      if (seen[t]) { return; }
      if (n === 0) { cls.push("b" + t); } else if (n <= maxUnder) { cls.push("l" + n + "-" + t); }
      seen[t] = true; n += 1;
    });
    if (!v.length) { cls.push("off"); }
    if (p === current) { cls.push("active"); }
    p.className = cls.join(" ");
    p.tabIndex = v.length ? 0 : -1;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function fill(p) {
    tip.textContent = "";
    shown(p).forEach(function (i) {
      var s = spans[i], t = techs[s.t];
      var item = el("div", "tip-item"), head = el("div", "tip-head");
      head.appendChild(el("span", "sw k" + t.i));
      head.appendChild(el("strong", "", t.name));
      head.appendChild(el("span", "conf", Math.round(s.c * 100) + "%"));
      item.appendChild(head);
      if (t.definition) { item.appendChild(el("p", "def", t.definition)); }
      item.appendChild(el("q", "", s.x));
      item.appendChild(el("p", "where", "\\u00b6 " + (s.p + 1)));
      tip.appendChild(item);
    });
  }

  function place(p) {
    var r = p.getBoundingClientRect(), vw = document.documentElement.clientWidth;
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

  function show(p, pin) {
    if (!p || p.classList.contains("off")) { return; }
    if (current && current !== p) { hide(); }
    current = p; pinned = pin;
    p.classList.add("active");
    p.setAttribute("aria-describedby", "tip");
    fill(p); place(p);
  }

  function toggle(p) { if (pinned && current === p) { hide(); } else { show(p, true); } }
  function pieceOf(node) { return node && node.closest ? node.closest("mark.pc") : null; }

  var article = document.getElementById("article");
  article.addEventListener("mouseover", function (e) {
    var p = pieceOf(e.target); if (p && !pinned) { show(p, false); }
  });
  article.addEventListener("mouseout", function (e) {
    var p = pieceOf(e.target);
    if (p && !pinned && !p.contains(e.relatedTarget)) { hide(); }
  });
  article.addEventListener("focusin", function (e) {
    var p = pieceOf(e.target); if (p && current !== p) { show(p, false); }
  });
  article.addEventListener("focusout", function (e) {
    var p = pieceOf(e.target); if (p && p === current && !pinned) { hide(); }
  });
  article.addEventListener("click", function (e) {
    var p = pieceOf(e.target); if (p) { toggle(p); e.stopPropagation(); }
  });
  article.addEventListener("keydown", function (e) {
    var p = pieceOf(e.target);
    if (p && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); toggle(p); }
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { hide(); } });
  document.addEventListener("click", function (e) { if (pinned && !tip.contains(e.target)) { hide(); } });

  // Entities: a pressed button highlights every mark.ent whose data-entity lists it; one entity at a time.
  var entButtons = document.querySelectorAll("button[data-entity]");
  var entStatus = document.getElementById("ent-status");
  var entOn = null;

  function selectEntity(id, name) {
    Array.prototype.forEach.call(document.querySelectorAll("mark.ent.on"), function (m) {
      m.classList.remove("on");
    });
    Array.prototype.forEach.call(entButtons, function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-entity") === id ? "true" : "false");
    });
    entOn = id;
    var found = id === null ? [] : document.querySelectorAll('mark.ent[data-entity~="' + id + '"]');
    Array.prototype.forEach.call(found, function (m) { m.classList.add("on"); });
    if (entStatus) {
      entStatus.textContent = id === null ? "" :
        found.length ? "Mentions of " + name + " are marked in the article." : "No mention of " + name + " in the article.";
    }
    if (found.length) {
      var r = found[0].getBoundingClientRect();
      if (r.top < 0 || r.bottom > window.innerHeight) { found[0].scrollIntoView({ block: "center" }); }
    }
  }

  Array.prototype.forEach.call(entButtons, function (b) {
    b.addEventListener("click", function () {
      var id = b.getAttribute("data-entity");
      selectEntity(entOn === id ? null : id, b.textContent);
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("input[data-t]"), function (box) {
    box.addEventListener("change", function () {
      var t = box.getAttribute("data-t");
      if (box.checked) { delete hidden[t]; } else { hidden[t] = true; }
      hide();
      Array.prototype.forEach.call(document.querySelectorAll("mark.pc"), restyle);
      Array.prototype.forEach.call(document.querySelectorAll(".badge"), function (b) {
        b.classList.toggle("off", !!hidden[b.getAttribute("data-t")]);
      });
    });
  });
})();
