/* The web app's shell: the form, the API calls, routing (/a/<id> is the shareable link), the history,
   the findings panels and the analysts' verdicts. Everything from the server is put in the page with
   textContent; links are built only from http(s) URLs. article.js draws the article itself. */
(function () {
  "use strict";
  document.documentElement.classList.remove("nojs");
  var $ = function (id) { return document.getElementById(id); };
  var el = window.UnspinEl, pct = window.UnspinPct;
  var techs = Object.create(null), token = sessionStorage.getItem("unspin-token") || "";
  var cur = null, historyOffset = 0, PAGE = 20;

  function status(text, isError) { var s = $("status"); s.textContent = text || ""; s.classList.toggle("err", !!isError); }

  function api(method, path, body) {
    var headers = { "Accept": "application/json" };
    if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    if (token) { headers.Authorization = "Bearer " + token; }
    return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin" }).then(function (r) {
      if (r.status === 401) { $("token-row").hidden = false; }
      if (r.status === 204) { return { status: 204, data: null }; }
      return r.json().then(function (d) { return { status: r.status, data: d, retry: r.headers.get("Retry-After") }; },
        function () { return { status: r.status, data: { error: "The server sent no JSON (" + r.status + ")." } }; });
    }, function () { return { status: 0, data: { error: "The server cannot be reached." } }; });
  }

  var article = new window.UnspinArticle({
    techs: techs,
    analysis: function () { return cur.analysis; },
    verdict: function (target, key) { return verdictOf(target, key); },
    onVerdict: function (s, verdict) {
      return setVerdict({ target: "span", technique: s.t, start: s.start, end: s.end }, s.t + ":" + s.start + ":" + s.end, verdict);
    },
    onRemoveMissed: function (s) {
      var key = "missed:" + s.t + ":" + s.start + ":" + s.end;
      api("DELETE", "/api/analyses/" + encodeURIComponent(cur.id) + "/feedback?target=span&key=" + encodeURIComponent(key)).then(function (r) {
        if (r.status !== 204) { status(r.data.error, true); return; }
        cur.feedback = cur.feedback.filter(function (f) { return !(f.target === "span" && f.key === key); });
        drawArticle();
      });
    },
    onAdd: function (start, end, technique) {
      api("PUT", "/api/analyses/" + encodeURIComponent(cur.id) + "/feedback",
        { target: "span", verdict: "missed", technique: technique, start: start, end: end }).then(function (r) {
        if (r.status !== 200) { status(r.data.error, true); return; }
        cur.feedback.push(r.data);
        status("Added " + (techs[technique] || {}).name + " as a missed span.");
        drawArticle();
      });
    }
  });

  function verdictOf(target, key) {
    var f = (cur.feedback || []).filter(function (x) { return x.target === target && x.key === key; })[0];
    return f ? f.verdict : null;
  }

  function setVerdict(item, key, verdict) {
    var path = "/api/analyses/" + encodeURIComponent(cur.id) + "/feedback";
    var req = verdict === null
      ? api("DELETE", path + "?target=" + item.target + "&key=" + encodeURIComponent(key))
      : api("PUT", path, Object.assign({ verdict: verdict, key: key }, item));
    return req.then(function (r) {
      if (r.status !== 200 && r.status !== 204) { status(r.data.error, true); return; }
      cur.feedback = cur.feedback.filter(function (f) { return !(f.target === item.target && f.key === key); });
      if (verdict !== null) { cur.feedback.push(r.data); }
      status(verdict === null ? "Verdict withdrawn." : "Saved: " + (verdict === "wrong" ? "marked wrong" : "confirmed") + ".");
    });
  }

  function verdictButtons(target, key) {
    var box = el("div", "fb"), v = verdictOf(target, key);
    [["confirmed", "Confirm"], ["wrong", "Mark wrong"]].forEach(function (pair) {
      var b = el("button", "", pair[1]);
      b.type = "button";
      b.setAttribute("aria-pressed", v === pair[0] ? "true" : "false");
      b.addEventListener("click", function () {
        var now = verdictOf(target, key);
        setVerdict({ target: target }, key, now === pair[0] ? null : pair[0]).then(function () {
          box.replaceWith(verdictButtons(target, key));
        });
      });
      box.appendChild(b);
    });
    return box;
  }

  // Timings for the browser test (printed there, never asserted): building the article's DOM, and from
  // the start of show() to the first frame painted after it.
  function drawArticle(shownAt) {
    var missed = cur.feedback.filter(function (f) { return f.target === "span" && f.verdict === "missed"; });
    var ms = article.render(cur.analysis, missed);
    document.body.setAttribute("data-article-ms", ms.toFixed(1));
    if (shownAt !== undefined) {
      requestAnimationFrame(function () {
        document.body.setAttribute("data-render-ms", (performance.now() - shownAt).toFixed(1));
      });
    }
  }

  function drawLegend(a) {
    var list = $("legend"), hidden = Object.create(null), found = a.techniques || [];
    list.textContent = "";
    if (!found.length) { list.appendChild(el("li", "none", "No persuasion techniques found in this text.")); }
    found.forEach(function (t) {
      var li = el("li"), label = el("label"), box = el("input");
      box.type = "checkbox"; box.checked = true; box.setAttribute("data-t", t.technique);
      label.title = t.definition || "";
      label.appendChild(box);
      label.appendChild(el("span", "sw k" + article.numberOf(t.technique)));
      label.appendChild(el("span", "ln", t.name));
      label.appendChild(el("span", "ct", t.count));
      box.addEventListener("change", function () {
        if (box.checked) { delete hidden[t.technique]; } else { hidden[t.technique] = true; }
        article.filter(hidden);
      });
      var only = el("button", "only", "only");
      only.type = "button";
      only.setAttribute("aria-label", "Show only " + t.name);
      only.addEventListener("click", function () {
        var alone = found.every(function (o) { return o.technique === t.technique || hidden[o.technique]; }) && !hidden[t.technique];
        Object.keys(hidden).forEach(function (k) { delete hidden[k]; });
        found.forEach(function (o) { if (!alone && o.technique !== t.technique) { hidden[o.technique] = true; } });
        Array.prototype.forEach.call(list.querySelectorAll("input[data-t]"), function (b) { b.checked = !hidden[b.getAttribute("data-t")]; });
        article.filter(hidden);
      });
      li.appendChild(label); li.appendChild(only); list.appendChild(li);
    });
  }

  function drawMeta(record) {
    var a = record.analysis, src = a.source || {}, dl = $("r-meta");
    $("r-title").textContent = a.title || src.name || src.url || "Untitled text";
    document.title = $("r-title").textContent + " \u00b7 unspin";
    dl.textContent = "";
    var facts = [["Source", src.kind + (src.url || src.name ? " \u00b7 " + (src.url || src.name) : "")],
      ["Text", a.text.split(/\s+/).filter(Boolean).length + " words \u00b7 " + a.paragraphs.length + " paragraphs \u00b7 " + a.spans.length + " spans"],
      ["Model", a.model.name + " " + a.model.version]];
    if (a.genre) { facts.push(["Genre", a.genre.label + " " + pct(a.genre.confidence)]); }
    if ((a.frames || []).length) { facts.push(["Frames", a.frames.map(function (f) { return f.name + " " + pct(f.confidence); }).join(", ")]); }
    if (record.created_at) { facts.push(["Analyzed", record.created_at.replace("T", " ")]); }
    facts.forEach(function (f) {
      var d = el("div"); d.appendChild(el("dt", "", f[0])); d.appendChild(el("dd", "", f[1])); dl.appendChild(d);
    });
    var link = record.id ? location.origin + "/a/" + record.id : "";
    $("share").value = link;
    $("copy").hidden = $("delete").hidden = !record.id;
  }

  var panels = window.UnspinPanels({ article: article, verdictButtons: verdictButtons });

  function show(record) {
    var shownAt = performance.now();
    document.body.removeAttribute("data-render-ms");
    cur = record;
    cur.feedback = cur.feedback || [];
    $("result").hidden = false;
    drawMeta(record);
    drawLegend(record.analysis);
    drawArticle(shownAt);
    article.markMentions([]);
    $("ent-status").textContent = "";
    panels.narratives(record.analysis);
    panels.entities(record.analysis);
    panels.claims(record.analysis);
  }

  function open(id, push) {
    status("Loading\u2026");
    return api("GET", "/api/analyses/" + encodeURIComponent(id)).then(function (r) {
      if (r.status !== 200) { status(r.data.error, true); return; }
      status("");
      if (push) { history.pushState({ id: id }, "", "/a/" + encodeURIComponent(id)); }
      show(r.data);
    });
  }

  function route() {
    var m = /^\/a\/([A-Za-z0-9_-]+)$/.exec(location.pathname);
    if (m) { open(m[1], false); } else { $("result").hidden = true; cur = null; }
  }

  $("analyze-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var value = $("input").value, title = $("title-in").value.trim();
    if (!value.trim()) { status("Paste some text or a link first.", true); return; }
    token = $("token-in").value || token;
    if (token) { sessionStorage.setItem("unspin-token", token); }
    var body = /^\s*https?:\/\/\S+\s*$/i.test(value) ? { url: value.trim() } : { text: value };
    if (title) { body.title = title; }
    $("analyze-btn").disabled = true;
    status("Analyzing\u2026");
    api("POST", "/api/analyze", body).then(function (r) {
      $("analyze-btn").disabled = false;
      if (r.status !== 200) {
        status(r.data.error + (r.status === 503 && r.retry ? " (retry in " + r.retry + " s)" : ""), true);
        return;
      }
      status(r.data.cached ? "Analyzed before: shown from the history." : "Analyzed.");
      if (r.data.id) { history.pushState({ id: r.data.id }, "", "/a/" + r.data.id); }
      show(r.data);
      $("r-title").setAttribute("tabindex", "-1");
      $("r-title").focus();
    });
  });

  function loadHistory(append) {
    var q = $("history-q").value.trim();
    var path = "/api/analyses?limit=" + PAGE + "&offset=" + historyOffset + (q ? "&q=" + encodeURIComponent(q) : "");
    api("GET", path).then(function (r) {
      var list = $("history-list");
      if (!append) { list.textContent = ""; }
      if (r.status !== 200) { list.appendChild(el("li", "none", r.data.error)); return; }
      if (!r.data.items.length && !append) { list.appendChild(el("li", "none", q ? "Nothing matches." : "No analyses yet.")); }
      r.data.items.forEach(function (item) {
        var li = el("li"), a = el("a", "", item.title || item.source || "Untitled text");
        a.href = "/a/" + encodeURIComponent(item.id);
        a.addEventListener("click", function (ev) { ev.preventDefault(); open(item.id, true); });
        li.appendChild(a);
        li.appendChild(el("span", "when", item.created_at.replace("T", " ") + " \u00b7 " + item.spans + " spans"));
        list.appendChild(li);
      });
      historyOffset += r.data.items.length;
      $("history-more").hidden = historyOffset >= r.data.total;
    });
  }

  $("history-btn").addEventListener("click", function () {
    var panel = $("history"), opening = panel.hidden;
    panel.hidden = !opening;
    $("history-btn").setAttribute("aria-expanded", String(opening));
    if (opening) { historyOffset = 0; loadHistory(false); $("history-q").focus(); }
  });
  $("history-form").addEventListener("submit", function (e) { e.preventDefault(); historyOffset = 0; loadHistory(false); });
  $("history-more").addEventListener("click", function () { loadHistory(true); });
  $("copy").addEventListener("click", function () {
    $("share").select();
    if (navigator.clipboard) { navigator.clipboard.writeText($("share").value).then(function () { status("Link copied."); }, function () {}); }
  });
  $("delete").addEventListener("click", function () {
    if (!cur || !cur.id || !window.confirm("Delete this analysis and its feedback?")) { return; }
    api("DELETE", "/api/analyses/" + encodeURIComponent(cur.id)).then(function (r) {
      if (r.status !== 204) { status(r.data.error, true); return; }
      history.pushState({}, "", "/"); route(); status("Deleted.");
    });
  });
  window.addEventListener("popstate", route);

  // The taxonomy (names, definitions, colour numbers). With a token required and none given yet it
  // answers 401; it is asked again once a token is entered.
  function loadMeta() {
    return api("GET", "/api/meta").then(function (r) {
      if (r.status !== 200 || Object.keys(techs).length) { return; }
      var select = $("adder-tech");
      r.data.techniques.forEach(function (t) {
        techs[t.technique] = { name: t.name, definition: t.definition, number: t.number };
        var o = el("option", "", t.name); o.value = t.technique; select.appendChild(o);
      });
      if (r.data.token_required && !token) { $("token-row").hidden = false; }
    });
  }
  $("token-in").addEventListener("change", function () {
    token = $("token-in").value;
    sessionStorage.setItem("unspin-token", token);
    loadMeta().then(route);
  });
  loadMeta().then(function () {
    document.body.setAttribute("data-ready", "1");
    route();
  });
})();
