/* The findings panels: narratives (evidence links scroll to the paragraph), entities and their roles
   (a button marks the mentions), claims with the known debunks they match. Text only via textContent;
   links only to http(s) URLs. ctx: {article, verdictButtons(target, key)}. */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var el = window.UnspinEl, pct = window.UnspinPct, paragraphAt = window.UnspinParagraphAt;

  window.UnspinPanels = function (ctx) {
    var article = ctx.article, verdictButtons = ctx.verdictButtons;

    function paraLink(index) {
      var a = el("a", "", "\u00b6" + (index + 1));
      a.href = "#p" + (index + 1);
      a.addEventListener("click", function (e) {
        e.preventDefault();
        var target = $("p" + (index + 1));
        if (target) { target.scrollIntoView({ block: "start" }); target.setAttribute("tabindex", "-1"); target.focus(); }
      });
      return a;
    }

    function safeLink(url, text) {
      if (!/^https?:\/\//i.test(url || "")) { return el("span", "", text); }
      var a = el("a", "", text);
      a.href = url; a.rel = "noopener noreferrer"; a.target = "_blank";
      return a;
    }

    function drawNarratives(a) {
      var box = $("narratives"), items = a.narratives || [];
      box.textContent = "";
      if (!items.length) { box.appendChild(el("p", "none", "No known narrative (Other).")); return; }
      var ol = el("ol", "narr");
      function item(n, top) {
        var li = el("li"), head = el("div", "nh");
        head.appendChild(el(top ? "strong" : "span", "nn", n.name));
        if (top && n.domain) { head.appendChild(el("span", "dom", n.domain === "URW" ? "Ukraine-Russia war" : n.domain === "CC" ? "Climate change" : n.domain)); }
        head.appendChild(el("span", "conf", pct(n.confidence)));
        li.appendChild(head);
        if (n.definition) { li.appendChild(el("p", "def", n.definition)); }
        if ((n.evidence || []).length) {
          var ev = el("p", "ev", "Evidence: ");
          n.evidence.forEach(function (e, i) { if (i) { ev.appendChild(document.createTextNode(", ")); } ev.appendChild(paraLink(e.paragraph)); });
          li.appendChild(ev);
        }
        li.appendChild(verdictButtons("narrative", n.label));
        if (top && (n.subnarratives || []).length) {
          var subs = el("ul", "subs");
          n.subnarratives.forEach(function (s) { subs.appendChild(item(s, false)); });
          li.appendChild(subs);
        }
        return li;
      }
      items.forEach(function (n) { ol.appendChild(item(n, true)); });
      box.appendChild(ol);
    }

    function drawEntities(a) {
      var box = $("entities"), items = a.entities || [];
      box.textContent = "";
      if (!items.length) { box.appendChild(el("p", "none", "No named entities found.")); return; }
      // Framed entities (and the most mentioned others) first; the rest fold away, as in the report.
      var shownCount = Math.max(6, items.filter(function (e) { return e.main_role; }).length);
      var ul = el("ul", "narr"), more = el("ul", "narr");
      items.forEach(function (e, index) {
        var li = el("li"), head = el("div", "nh"), btn = el("button", "ent-btn", e.name);
        btn.type = "button";
        btn.setAttribute("aria-pressed", "false");
        btn.addEventListener("click", function () { toggleEntity(btn, e); });
        head.appendChild(btn);
        head.appendChild(el("span", "dom", e.kind));
        head.appendChild(el("span", "hint", (e.mentions || []).length + " mentions"));
        li.appendChild(head);
        var role = el("p", "ev");
        if (e.main_role) {
          role.appendChild(el("span", "role role-" + String(e.main_role).toLowerCase(), e.main_role));
          role.appendChild(el("span", "conf", " " + pct(e.confidence)));
        } else { role.appendChild(el("span", "none", "No clear role")); }
        (e.fine_roles || []).forEach(function (r) { role.appendChild(el("span", "fr", " \u00b7 " + r.role + " " + pct(r.confidence))); });
        li.appendChild(role);
        if (e.evidence) {
          var q = el("p", "ev"), where = paragraphAt(a.paragraphs, e.evidence.start);
          q.appendChild(el("q", "", e.evidence.text));
          if (where >= 0) { q.appendChild(document.createTextNode(" ")); q.appendChild(paraLink(where)); }
          li.appendChild(q);
        }
        if (e.main_role) { li.appendChild(verdictButtons("entity", e.name)); }
        (index < shownCount ? ul : more).appendChild(li);
      });
      box.appendChild(ul);
      if (more.childNodes.length) {
        var d = el("details", "more");
        d.appendChild(el("summary", "", more.childNodes.length + " more"));
        d.appendChild(more);
        box.appendChild(d);
      }
    }

    function toggleEntity(btn, e) {
      var on = btn.getAttribute("aria-pressed") !== "true";
      Array.prototype.forEach.call(document.querySelectorAll("#entities .ent-btn"), function (b) { b.setAttribute("aria-pressed", "false"); });
      btn.setAttribute("aria-pressed", String(on));
      var ranges = article.markMentions(on ? e.mentions || [] : []);
      $("ent-status").textContent = on ? ranges.length + " mentions of " + e.name + " are marked in the article." : "";
      if (ranges.length) {
        var r = ranges[0].getBoundingClientRect();
        if (r.top < 0 || r.bottom > window.innerHeight) { window.scrollBy({ top: r.top - window.innerHeight / 3 }); }
      }
    }

    function drawClaims(a) {
      var box = $("claims"), items = a.claims || [];
      box.textContent = "";
      if (!items.length) { box.appendChild(el("p", "none", "No checkable claims found.")); return; }
      items.forEach(function (c) {
        var div = el("div", "claim"), where = paragraphAt(a.paragraphs, c.start);
        var head = el("div", "nh");
        head.appendChild(el("q", "", c.text));
        if (where >= 0) { head.appendChild(paraLink(where)); }
        if (typeof c.score === "number") { head.appendChild(el("span", "conf", pct(c.score))); }
        div.appendChild(head);
        var matches = c.matches || [];
        if (!matches.length) { div.appendChild(el("p", "hint", "No known debunk matches this claim.")); }
        matches.forEach(function (m) {
          var p = el("div", "match");
          p.appendChild(safeLink(m.url, m.title || "(untitled)"));
          if (typeof m.score === "number") { p.appendChild(el("span", "conf", " " + m.score.toFixed(2))); }
          var facts = [m.verdict, m.reviewer || m.source, m.date].filter(Boolean).join(" \u00b7 ");
          if (facts) { p.appendChild(el("span", "hint", " \u2014 " + facts)); }
          if (m.disproof) {
            // The disproof trimmed, the full text (and the claim's summary) one click away.
            var short = m.disproof.length > 160 ? m.disproof.slice(0, 157).replace(/\s+\S*$/, "") + "\u2026" : m.disproof;
            var d = el("details", "disproof"), s = el("summary", "", short);
            d.appendChild(s);
            d.appendChild(el("p", "def", m.disproof));
            if (m.summary) { d.appendChild(el("p", "def", "Claim as told: " + m.summary)); }
            p.appendChild(d);
          } else if (m.summary) {
            p.appendChild(el("p", "def", m.summary));
          }
          div.appendChild(p);
        });
        div.appendChild(verdictButtons("claim", c.start + ":" + c.end));
        box.appendChild(div);
      });
    }

    return { narratives: drawNarratives, entities: drawEntities, claims: drawClaims };
  };
})();
