/* The annotated article: pieces, highlights, legend filter, details box, analysts' verdicts on spans and
   missed spans. Text is only ever set with textContent / text nodes: the article is data, never HTML.
   The piece rule mirrors unspin/render/html.py (cut_pieces, piece_classes). */
(function () {
  "use strict";
  var MAX_UNDER = 3;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function pct(x) { return Math.round((x || 0) * 100) + "%"; }

  function paragraphAt(paras, offset) {
    for (var i = 0; i < paras.length; i++) {
      if (paras[i].start <= offset && offset < paras[i].end) { return i; }
    }
    return -1;
  }

  // ctx: {analysis, techs: technique -> {name, definition, number}, verdicts(key) -> verdict|null,
  //       onVerdict(span, verdict), onRemoveMissed(span), onAdd(start, end, technique), numberOf(t)}
  function Article(ctx) {
    this.ctx = ctx;
    this.root = document.getElementById("article");
    this.tip = document.getElementById("tip");
    this.hidden = Object.create(null);
    this.current = null;
    this.spans = [];
    this.bind();
  }

  Article.prototype.numberOf = function (t) {
    var info = this.ctx.techs[t];
    return info ? String(info.number) : "x";
  };

  Article.prototype.setSpans = function (analysis, missed) {
    // Model spans first (their index is their id), then the analysts' missed spans.
    var spans = (analysis.spans || []).map(function (s) {
      return { t: s.technique, start: s.start, end: s.end, c: s.confidence, p: s.paragraph, x: s.text };
    });
    missed.forEach(function (m) {
      spans.push({ t: m.technique, start: m.start, end: m.end, c: null, missed: true,
        p: paragraphAt(analysis.paragraphs, m.start), x: analysis.text.slice(m.start, m.end) });
    });
    this.spans = spans;
  };

  Article.prototype.priority = function (i) {
    var s = this.spans[i];
    return [s.end - s.start, -(s.c === null ? 1 : s.c), Number(this.numberOf(s.t)) || 99, i];
  };

  Article.prototype.render = function (analysis, missed) {
    var t0 = performance.now(), self = this, text = analysis.text;
    this.setSpans(analysis, missed);
    var byPara = analysis.paragraphs.map(function () { return []; });
    this.spans.forEach(function (s, i) {
      analysis.paragraphs.forEach(function (p, k) {
        if (Math.max(s.start, p.start) < Math.min(s.end, p.end)) { byPara[k].push(i); }
      });
    });
    var frag = document.createDocumentFragment();
    analysis.paragraphs.forEach(function (p, k) {
      var div = el("div", "para"), margin = el("div", "margin"), body = el("p", "ptext");
      div.id = "p" + (k + 1);
      margin.appendChild(el("span", "pn", "\u00b6 " + (k + 1)));
      var counts = Object.create(null);
      byPara[k].forEach(function (i) { var t = self.spans[i].t; counts[t] = (counts[t] || 0) + 1; });
      var badges = el("ul", "badges");
      badges.setAttribute("aria-label", "Techniques in paragraph " + (k + 1));
      Object.keys(counts).forEach(function (t) {
        var b = el("li", "badge k" + self.numberOf(t), self.name(t) + (counts[t] > 1 ? " \u00d7" + counts[t] : ""));
        b.setAttribute("data-t", t);
        badges.appendChild(b);
      });
      if (badges.childNodes.length) { margin.appendChild(badges); }
      self.pieces(p.start, p.end, byPara[k]).forEach(function (piece) {
        var node;
        if (piece.ids.length) {
          node = el("mark", "pc");
          node.setAttribute("data-s", piece.ids.join(" "));
        } else {
          node = el("span");
        }
        node.setAttribute("data-o", String(piece.a));
        node.textContent = text.slice(piece.a, piece.b);
        if (piece.ids.length) { self.restyle(node); }
        body.appendChild(node);
      });
      body.setAttribute("data-i", String(k));
      div.appendChild(margin); div.appendChild(body); frag.appendChild(div);
    });
    this.hide();
    this.root.textContent = "";
    if (!analysis.paragraphs.length) { this.root.appendChild(el("p", "none", "(The text is empty.)")); }
    this.root.appendChild(frag);
    return performance.now() - t0;
  };

  Article.prototype.name = function (t) {
    var info = this.ctx.techs[t];
    return info ? info.name : t.replace(/_/g, " ");
  };

  Article.prototype.pieces = function (start, end, ids) {
    var self = this, bounds = [start, end];
    ids.forEach(function (i) {
      var s = self.spans[i];
      bounds.push(Math.max(s.start, start), Math.min(s.end, end));
    });
    bounds = bounds.filter(function (b, j, all) { return all.indexOf(b) === j; }).sort(function (x, y) { return x - y; });
    var sorted = ids.slice().sort(function (x, y) {
      var px = self.priority(x), py = self.priority(y);
      for (var j = 0; j < px.length; j++) { if (px[j] !== py[j]) { return px[j] - py[j]; } }
      return 0;
    });
    var out = [];
    for (var j = 0; j + 1 < bounds.length; j++) {
      var a = bounds[j], b = bounds[j + 1];
      out.push({ a: a, b: b, ids: sorted.filter(function (i) { return self.spans[i].start <= a && b <= self.spans[i].end; }) });
    }
    return out;
  };

  Article.prototype.ids = function (m) { return m.getAttribute("data-s").split(" ").map(Number); };
  Article.prototype.shown = function (m) {
    var self = this;
    return this.ids(m).filter(function (i) { return !self.hidden[self.spans[i].t]; });
  };

  Article.prototype.restyle = function (m) {
    var self = this, cls = ["pc"], seen = Object.create(null), n = 0, v = this.shown(m);
    v.forEach(function (i) {
      var t = self.numberOf(self.spans[i].t);
      if (seen[t]) { return; }
      if (n === 0) { cls.push("b" + t); } else if (n <= MAX_UNDER) { cls.push("l" + n + "-" + t); }
      seen[t] = true; n += 1;
    });
    if (!v.length) { cls.push("off"); }
    if (v.some(function (i) { return self.spans[i].missed; })) { cls.push("missed"); }
    if (m === this.current) { cls.push("active"); }
    m.className = cls.join(" ");
    m.tabIndex = v.length ? 0 : -1;
  };

  Article.prototype.filter = function (hidden) {
    var self = this;
    this.hidden = hidden;
    this.hide();
    Array.prototype.forEach.call(this.root.querySelectorAll("mark.pc"), function (m) { self.restyle(m); });
    Array.prototype.forEach.call(this.root.querySelectorAll(".badge"), function (b) {
      b.classList.toggle("off", !!hidden[b.getAttribute("data-t")]);
    });
  };

  Article.prototype.fill = function (m) {
    var self = this, ctx = this.ctx;
    this.tip.textContent = "";
    this.shown(m).forEach(function (i) {
      var s = self.spans[i], info = ctx.techs[s.t] || {};
      var item = el("div", "tip-item"), head = el("div", "tip-head");
      head.appendChild(el("span", "sw k" + self.numberOf(s.t)));
      head.appendChild(el("strong", "", self.name(s.t)));
      head.appendChild(el("span", "conf", s.missed ? "added by an analyst" : pct(s.c)));
      item.appendChild(head);
      if (info.definition) { item.appendChild(el("p", "def", info.definition)); }
      item.appendChild(el("q", "", s.x));
      item.appendChild(el("p", "where", "\u00b6 " + (s.p + 1)));
      var fb = el("div", "fb");
      if (s.missed) {
        var rm = el("button", "", "Remove");
        rm.type = "button";
        rm.addEventListener("click", function () { ctx.onRemoveMissed(s); });
        fb.appendChild(rm);
      } else {
        var verdict = ctx.verdict("span", s.t + ":" + s.start + ":" + s.end);
        [["confirmed", "Confirm"], ["wrong", "Mark wrong"]].forEach(function (v) {
          var b = el("button", "", v[1]);
          b.type = "button";
          b.setAttribute("aria-pressed", verdict === v[0] ? "true" : "false");
          b.addEventListener("click", function (e) {
            e.stopPropagation();
            var had = document.activeElement === b, at = Array.prototype.indexOf.call(self.tip.querySelectorAll("button"), b);
            ctx.onVerdict(s, verdict === v[0] ? null : v[0]).then(function () {
              self.fill(m);  // redrawn with the new pressed state; keyboard focus stays on the same button
              var again = self.tip.querySelectorAll("button")[at];
              if (had && again) { again.focus(); }
            });
          });
          fb.appendChild(b);
        });
      }
      item.appendChild(fb);
      self.tip.appendChild(item);
    });
  };

  Article.prototype.place = function (node, box) {
    var r = node.getBoundingClientRect(), vw = document.documentElement.clientWidth;
    box.hidden = false;
    var left = Math.max(8, Math.min(r.left, vw - box.offsetWidth - 8));
    box.style.left = (left + window.scrollX) + "px";
    box.style.top = (r.bottom + window.scrollY + 8) + "px";
  };

  Article.prototype.hide = function () {
    this.tip.hidden = true;
    if (this.current) { this.current.classList.remove("active"); this.current.removeAttribute("aria-describedby"); }
    this.current = null;
  };

  // viaKeyboard: focus moves into the box, so its buttons are the next Tab stops; Escape comes back.
  Article.prototype.show = function (m, viaKeyboard) {
    if (!m || m.classList.contains("off")) { return; }
    if (this.current === m) { this.hide(); return; }
    this.hide();
    this.current = m;
    m.classList.add("active");
    m.setAttribute("aria-describedby", "tip");
    this.fill(m); this.place(m, this.tip);
    var first = viaKeyboard ? this.tip.querySelector("button") : null;
    if (first) { first.focus(); }
  };

  Article.prototype.bind = function () {
    var self = this;
    function markOf(n) { return n && n.closest ? n.closest("mark.pc") : null; }
    // Keyboard focus on a highlight shows its details; Enter moves into them (to the verdict buttons).
    // A click toggles them. A mouse press also focuses the mark, so focus from the pointer is ignored,
    // as is the focus Escape gives back to the mark it closed.
    var pointer = false, quiet = false;
    this.root.addEventListener("mousedown", function () { pointer = true; });
    this.root.addEventListener("focusin", function (e) {
      var m = markOf(e.target);
      if (m && !pointer && !quiet && self.current !== m) { self.show(m, false); }
    });
    this.root.addEventListener("focusout", function (e) {
      var to = e.relatedTarget;
      if (self.current && !pointer && !(to && (self.tip.contains(to) || markOf(to)))) { self.hide(); }
    });
    this.root.addEventListener("click", function (e) {
      pointer = false;
      var m = markOf(e.target);
      if (m && !String(window.getSelection() || "")) { self.show(m, false); e.stopPropagation(); }
    });
    this.root.addEventListener("keydown", function (e) {
      var m = markOf(e.target);
      if (!m || (e.key !== "Enter" && e.key !== " ")) { return; }
      e.preventDefault();
      if (self.current !== m) { self.show(m, true); return; }
      var first = self.tip.querySelector("button");
      if (first) { first.focus(); }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") { return; }
      var c = self.current;
      self.hide(); self.closeAdder();
      if (c) { quiet = true; c.focus(); quiet = false; }
    });
    document.addEventListener("click", function (e) {
      if (!self.tip.contains(e.target) && !self.adder().contains(e.target)) { self.hide(); }
    });
    this.root.addEventListener("mouseup", function () { setTimeout(function () { self.offerAdd(); }, 0); });
    this.root.addEventListener("keyup", function (e) { if (e.shiftKey) { self.offerAdd(); } });
    document.getElementById("adder-cancel").addEventListener("click", function () { self.closeAdder(); });
    document.getElementById("adder-ok").addEventListener("click", function () {
      var sel = self.selected;
      if (!sel) { return; }
      self.ctx.onAdd(sel.start, sel.end, document.getElementById("adder-tech").value);
      self.closeAdder();
    });
  };

  Article.prototype.adder = function () { return document.getElementById("adder"); };
  Article.prototype.closeAdder = function () { this.adder().hidden = true; this.selected = null; };

  // The selection's code-point offsets: every text node's parent carries data-o, its start in the text.
  function offsetOf(node, off) {
    var host = node.nodeType === 3 ? node.parentNode : node;
    if (!host || !host.getAttribute || host.getAttribute("data-o") === null) { return null; }
    return Number(host.getAttribute("data-o")) + (node.nodeType === 3 ? off : 0);
  }

  Article.prototype.offerAdd = function () {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) { return; }
    var r = sel.getRangeAt(0);
    if (!this.root.contains(r.startContainer) || !this.root.contains(r.endContainer)) { return; }
    var a = offsetOf(r.startContainer, r.startOffset), b = offsetOf(r.endContainer, r.endOffset);
    if (a === null || b === null || b <= a) { return; }
    var text = this.ctx.analysis().text.slice(a, b);
    var lead = text.length - text.replace(/^\s+/, "").length, trail = text.length - text.replace(/\s+$/, "").length;
    a += lead; b -= trail;
    if (b <= a) { return; }
    this.selected = { start: a, end: b };
    this.hide();
    document.getElementById("adder-q").textContent = this.ctx.analysis().text.slice(a, b);
    var box = this.adder();
    var rect = r.getBoundingClientRect();
    box.hidden = false;
    box.style.left = (Math.max(8, rect.left) + window.scrollX) + "px";
    box.style.top = (rect.bottom + window.scrollY + 8) + "px";
    document.getElementById("adder-tech").focus();
  };

  // A DOM Range over [start, end) of the text, from the data-o offsets of the pieces.
  Article.prototype.range = function (start, end) {
    var nodes = this.root.querySelectorAll("[data-o]"), r = document.createRange(), a = null, b = null;
    for (var i = 0; i < nodes.length; i++) {
      var o = Number(nodes[i].getAttribute("data-o")), t = nodes[i].firstChild, n = t ? t.length : 0;
      if (a === null && o <= start && start < o + n) { r.setStart(t, start - o); a = nodes[i]; }
      if (o < end && end <= o + n) { r.setEnd(t, end - o); b = nodes[i]; break; }
    }
    return a && b ? r : null;
  };

  // Entity mentions are marked with the CSS Custom Highlight API: no change to the article's DOM, so
  // they may cross technique pieces freely. Returns the ranges (empty to clear).
  Article.prototype.markMentions = function (mentions) {
    var self = this;
    var ranges = mentions.map(function (m) { return self.range(m.start, m.end); }).filter(Boolean);
    if (window.CSS && CSS.highlights && window.Highlight) {
      var h = new Highlight();
      ranges.forEach(function (r) { h.add(r); });
      CSS.highlights.set("ent", h);
    }
    return ranges;
  };

  window.UnspinArticle = Article;
  window.UnspinEl = el;
  window.UnspinPct = pct;
  window.UnspinParagraphAt = paragraphAt;
})();
