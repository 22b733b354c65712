/* The web app's shell: the form, the API calls, routing (/a/<id> is the shareable link), the history and
   the analysts' verdicts. The analysis itself is the static report's view, rendered by the server
   (GET /api/analyses/<id>/view) and run by the same script (view.js); this file only adds the verdict
   buttons, the "add a missed span" box and the toolbar. Server text goes in with textContent; the view's
   HTML is escaped by the renderer, parsed inertly (DOMParser runs no script) and the CSP allows none. */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var el = window.UnspinView.el;
  var techs = Object.create(null), token = sessionStorage.getItem("unspin-token") || "";
  var cur = null, view = null, historyOffset = 0, PAGE = 20, selected = null;

  // A message floats at the bottom left; news fades after a few seconds, errors stay until the next one.
  var statusTimer = null;
  function status(text, isError) {
    var s = $("status");
    s.textContent = text || "";
    s.classList.toggle("err", !!isError);
    clearTimeout(statusTimer);
    if (text && !isError && !/\u2026$/.test(text)) { statusTimer = setTimeout(function () { s.textContent = ""; }, 6000); }
  }

  function request(method, path, body) {
    var headers = { "Accept": "application/json, text/html" };
    if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    if (token) { headers.Authorization = "Bearer " + token; }
    return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin" }).then(function (r) {
      if (r.status === 401) { $("token-row").hidden = false; $("compose").hidden = false; }
      return r;
    }, function () { return null; });
  }

  function api(method, path, body) {
    return request(method, path, body).then(function (r) {
      if (r === null) { return { status: 0, data: { error: "The server cannot be reached." } }; }
      if (r.status === 204) { return { status: 204, data: null }; }
      return r.json().then(function (d) { return { status: r.status, data: d, retry: r.headers.get("Retry-After") }; },
        function () { return { status: r.status, data: { error: "The server sent no JSON (" + r.status + ")." } }; });
    });
  }

  // The rendered view of the current analysis, as a detached element (null, with a message, on failure).
  function fetchView(id) {
    return request("GET", "/api/analyses/" + encodeURIComponent(id) + "/view").then(function (r) {
      if (r === null || r.status !== 200) { status("The analysis could not be shown.", true); return null; }
      return r.text().then(function (html) {
        return new DOMParser().parseFromString(html, "text/html").querySelector(".view");
      });
    });
  }

  function feedbackPath() { return "/api/analyses/" + encodeURIComponent(cur.id) + "/feedback"; }
  function verdictOf(target, key) {
    var f = cur.feedback.filter(function (x) { return x.target === target && x.key === key; })[0];
    return f ? f.verdict : null;
  }

  function setVerdict(item, key, verdict) {
    var req = verdict === null
      ? api("DELETE", feedbackPath() + "?target=" + item.target + "&key=" + encodeURIComponent(key))
      : api("PUT", feedbackPath(), Object.assign({ verdict: verdict, key: key }, item));
    return req.then(function (r) {
      if (r.status !== 200 && r.status !== 204) { status(r.data.error, true); return false; }
      cur.feedback = cur.feedback.filter(function (f) { return !(f.target === item.target && f.key === key); });
      if (verdict !== null) { cur.feedback.push(r.data); }
      status(verdict === null ? "Verdict withdrawn." : "Saved: " + (verdict === "wrong" ? "marked wrong" : "confirmed") + ".");
      return true;
    });
  }

  // The article is re-rendered by the server after a change to its spans, so the renderer alone decides
  // how a reviewed span looks; the view keeps its filters and reopens the details box.
  function refreshArticle() {
    return fetchView(cur.id).then(function (fresh) { if (fresh && view) { view.refresh(fresh); } });
  }

  // Confirm / Mark wrong, after the question they answer (what a verdict on a claim or a match is about).
  function verdictButtons(question, target, key, item, onDone) {
    var box = el("div", "fb");
    if (question) { box.appendChild(el("span", "fb-q", question)); }
    [["confirmed", "Confirm"], ["wrong", "Mark wrong"]].forEach(function (pair) {
      var b = el("button", "", pair[1]);
      b.type = "button";
      b.setAttribute("aria-pressed", verdictOf(target, key) === pair[0] ? "true" : "false");
      b.addEventListener("click", function (e) {
        e.stopPropagation();
        var next = verdictOf(target, key) === pair[0] ? null : pair[0];
        setVerdict(item, key, next).then(function (ok) { if (ok) { onDone(next, box); } });
      });
      box.appendChild(b);
    });
    return box;
  }

  function pressed(box, verdict) {
    Array.prototype.forEach.call(box.querySelectorAll("button"), function (b, i) {
      b.setAttribute("aria-pressed", String([verdict === "confirmed", verdict === "wrong"][i]));
    });
  }

  // The renderer leaves an empty .fb (data-target, data-key, data-q) under each finding a verdict fits.
  function fillFindings(root) {
    Array.prototype.forEach.call(root.querySelectorAll(".side .fb[data-target]"), function (slot) {
      var target = slot.getAttribute("data-target"), key = slot.getAttribute("data-key");
      var box = verdictButtons(slot.getAttribute("data-q"), target, key, { target: target }, function (v, b) {
        pressed(b, v);
        var finding = b.closest(".finding");
        if (finding) {
          finding.classList.toggle("rv-wrong", v === "wrong");
          finding.classList.toggle("rv-confirmed", v === "confirmed");
        }
      });
      slot.replaceWith(box);
    });
  }

  var hooks = {
    tipItem: function (item, s) {
      if (s.m) {
        var rm = el("button", "", "Remove");
        rm.type = "button";
        rm.addEventListener("click", function (e) {
          e.stopPropagation();
          var key = "missed:" + s.t + ":" + s.a + ":" + s.b;
          api("DELETE", feedbackPath() + "?target=span&key=" + encodeURIComponent(key)).then(function (r) {
            if (r.status !== 204) { status(r.data.error, true); return; }
            cur.feedback = cur.feedback.filter(function (f) { return !(f.target === "span" && f.key === key); });
            status("Removed.");
            refreshArticle();
          });
        });
        var box = el("div", "fb"); box.appendChild(rm); item.appendChild(box);
        return;
      }
      var key = s.t + ":" + s.a + ":" + s.b, span = { target: "span", technique: s.t, start: s.a, end: s.b };
      item.appendChild(verdictButtons("Is this highlight right?", "span", key, span, refreshArticle));
    }
  };

  function show(record, fresh) {
    var shownAt = performance.now();
    document.body.removeAttribute("data-render-ms");
    cur = record;
    cur.feedback = cur.feedback || [];
    var host = $("result"), node = document.importNode(fresh, true);
    host.textContent = "";
    host.appendChild(node);
    host.hidden = false;
    $("compose").hidden = true;
    $("new-btn").hidden = false;
    skipTo("#article", "Skip to the article");
    view = window.UnspinView.mount(node, hooks);
    fillFindings(node);
    var h1 = node.querySelector("h1");
    document.title = (h1 ? h1.textContent : "Analysis") + " \u00b7 unspin";
    $("share").value = record.id ? location.origin + "/a/" + record.id : "";
    $("share-tools").hidden = !record.id;
    document.body.setAttribute("data-article-ms", (performance.now() - shownAt).toFixed(1));
    requestAnimationFrame(function () { document.body.setAttribute("data-render-ms", (performance.now() - shownAt).toFixed(1)); });
  }

  // done: the status to leave once it is shown ("Analyzed.")
  function open(id, push, focusTitle, done) {
    status("Loading\u2026");
    return Promise.all([api("GET", "/api/analyses/" + encodeURIComponent(id)), fetchView(id)]).then(function (got) {
      var r = got[0];
      if (r.status !== 200) { status(r.data.error, true); return; }
      if (!got[1]) { return; }
      status(done || "");
      if (push) { history.pushState({ id: id }, "", "/a/" + encodeURIComponent(id)); }
      show(r.data, got[1]);
      if (focusTitle) { var h1 = $("result").querySelector("h1"); h1.setAttribute("tabindex", "-1"); h1.focus(); }
    });
  }

  // The page's first Tab stop goes where the reader wants: the text box, or the article once one is shown.
  function skipTo(target, text) { var k = $("skip"); k.href = target; k.textContent = text; }
  $("skip").addEventListener("click", function (e) {
    var target = document.querySelector($("skip").getAttribute("href"));
    if (target) { e.preventDefault(); target.focus(); }
  });

  function route() {
    var m = /^\/a\/([A-Za-z0-9_-]+)$/.exec(location.pathname);
    if (m && cur && cur.id === m[1]) { return; }  // only the #fragment changed
    if (m) { open(m[1], false); return; }
    $("result").hidden = true; $("result").textContent = ""; cur = null; view = null;
    $("compose").hidden = false; $("new-btn").hidden = true; $("share-tools").hidden = true;
    skipTo("#input", "Skip to the text box");
    document.title = "unspin";
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
      open(r.data.id, true, true, r.data.cached ? "Analyzed before: shown from the history." : "Analyzed.");
    });
  });

  // ---- adding a missed span: select words in the article, choose a technique

  function offsetOf(node, off) {
    var host = node.nodeType === 3 ? node.parentNode : node;
    if (!host || !host.getAttribute || host.getAttribute("data-o") === null) { return null; }
    return Number(host.getAttribute("data-o")) + (node.nodeType === 3 ? off : 0);
  }

  function closeAdder() { $("adder").hidden = true; selected = null; }

  function offerAdd() {
    var sel = window.getSelection(), article = cur && $("result").querySelector("#article");
    if (!article || !sel || sel.isCollapsed || !sel.rangeCount) { return; }
    var r = sel.getRangeAt(0);
    if (!article.contains(r.startContainer) || !article.contains(r.endContainer)) { return; }
    var a = offsetOf(r.startContainer, r.startOffset), b = offsetOf(r.endContainer, r.endOffset);
    if (a === null || b === null || b <= a) { return; }
    var text = cur.analysis.text.slice(a, b);
    a += text.length - text.replace(/^\s+/, "").length;
    b -= text.length - text.replace(/\s+$/, "").length;
    if (b <= a) { return; }
    selected = { start: a, end: b };
    if (view) { view.hide(); }
    $("adder-q").textContent = cur.analysis.text.slice(a, b);
    var box = $("adder"), rect = r.getBoundingClientRect();
    box.hidden = false;
    box.style.left = (Math.max(8, rect.left) + window.scrollX) + "px";
    box.style.top = (rect.bottom + window.scrollY + 8) + "px";
    $("adder-tech").focus();
  }

  $("result").addEventListener("mouseup", function () { setTimeout(offerAdd, 0); });
  $("result").addEventListener("keyup", function (e) { if (e.shiftKey) { offerAdd(); } });
  $("adder-cancel").addEventListener("click", closeAdder);
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { closeAdder(); } });
  $("adder-ok").addEventListener("click", function () {
    var s = selected, technique = $("adder-tech").value;
    closeAdder();
    if (!s) { return; }
    api("PUT", feedbackPath(), { target: "span", verdict: "missed", technique: technique, start: s.start, end: s.end }).then(function (r) {
      if (r.status !== 200) { status(r.data.error, true); return; }
      cur.feedback.push(r.data);
      status("Added " + (techs[technique] || {}).name + " as a missed span.");
      refreshArticle();
    });
  });

  // ---- history

  function when(iso) {
    var d = new Date(iso.indexOf("Z") < 0 && iso.indexOf("+") < 0 ? iso + "Z" : iso);
    if (isNaN(d.getTime())) { return iso; }
    return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(d);
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function loadHistory(append) {
    var q = $("history-q").value.trim();
    var path = "/api/analyses?limit=" + PAGE + "&offset=" + historyOffset + (q ? "&q=" + encodeURIComponent(q) : "");
    api("GET", path).then(function (r) {
      var list = $("history-list");
      if (!append) { list.textContent = ""; }
      if (r.status !== 200) { list.appendChild(el("li", "none", r.data.error)); return; }
      if (!r.data.items.length && !append) { list.appendChild(el("li", "none", q ? "Nothing matches." : "No analyses yet.")); }
      r.data.items.forEach(function (item) {
        var li = el("li"), a = el("a", "", item.title);
        a.href = "/a/" + encodeURIComponent(item.id);
        a.addEventListener("click", function (ev) { ev.preventDefault(); open(item.id, true); });
        li.appendChild(a);
        var facts = [when(item.created_at), item.genre, plural(item.words, "word"), plural(item.spans, "span"),
          plural(item.narratives, "narrative")];
        if (item.claims_matched) { facts.push(plural(item.claims_matched, "known false claim")); }
        var line = el("span", "when", facts.filter(Boolean).join(" \u00b7 ") + " ");
        line.appendChild(el("span", item.reviewed ? "reviewed" : "unreviewed",
          item.reviewed ? "reviewed (" + plural(item.reviewed, "verdict") + ")" : "not reviewed"));
        li.appendChild(line);
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
  $("new-btn").addEventListener("click", function (e) { e.preventDefault(); history.pushState({}, "", "/"); route(); $("input").focus(); });
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
  document.documentElement.classList.remove("nojs");
  loadMeta().then(function () {
    document.body.setAttribute("data-ready", "1");
    route();
  });
})();
