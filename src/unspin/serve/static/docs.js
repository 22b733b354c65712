/* A small OpenAPI reader: every operation with its parameters, request body and responses, and every
   schema, from /openapi.json. Served locally (Swagger UI would come from a CDN and need inline script). */
(function () {
  "use strict";
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = String(text); }
    return e;
  }
  // Descriptions mark code with `backticks`: shown as <code>, built node by node (no HTML parsing).
  function prose(tag, cls, text) {
    var e = el(tag, cls);
    String(text || "").split("`").forEach(function (part, i) {
      if (part) { e.appendChild(i % 2 ? el("code", "", part) : document.createTextNode(part)); }
    });
    return e;
  }
  function ref(s) { return s && s.$ref ? s.$ref.split("/").pop() : null; }
  function typeOf(s) {
    if (!s) { return ""; }
    if (ref(s)) { return ref(s); }
    if (s.anyOf) { return s.anyOf.map(typeOf).join(" | "); }
    if (s.type === "array") { return typeOf(s.items) + "[]"; }
    if (s.enum) { return s.enum.map(JSON.stringify).join(" | "); }
    return s.type || (s.const !== undefined ? JSON.stringify(s.const) : "any");
  }
  fetch("/openapi.json").then(function (r) { return r.json(); }).then(function (spec) {
    var root = document.getElementById("docs");
    root.textContent = "";
    root.appendChild(el("h1", "", spec.info.title + " API " + spec.info.version));
    root.appendChild(prose("p", "", spec.info.description));
    Object.keys(spec.paths).forEach(function (path) {
      Object.keys(spec.paths[path]).forEach(function (method) {
        var op = spec.paths[path][method], sec = el("section", "panel");
        sec.appendChild(el("h2", "", method.toUpperCase() + " " + path));
        if (op.summary) { sec.appendChild(prose("p", "", op.summary)); }
        if (op.description) { sec.appendChild(prose("p", "def", op.description)); }
        (op.parameters || []).forEach(function (p) {
          sec.appendChild(el("p", "def", p["in"] + " " + p.name + (p.required ? " (required)" : "") + ": " + typeOf(p.schema)));
        });
        var body = op.requestBody && op.requestBody.content["application/json"];
        if (body) { sec.appendChild(el("p", "def", "JSON body: " + typeOf(body.schema))); }
        Object.keys(op.responses || {}).forEach(function (code) {
          var c = op.responses[code].content, s = c && c["application/json"] ? typeOf(c["application/json"].schema) : "";
          var html = c && c["text/html"] ? " (text/html)" : "";
          sec.appendChild(prose("p", "def", code + " " + (op.responses[code].description || "") + (s ? ": " + s : html)));
        });
        root.appendChild(sec);
      });
    });
    root.appendChild(el("h2", "", "Schemas"));
    var schemas = (spec.components || {}).schemas || {};
    Object.keys(schemas).forEach(function (name) {
      var s = schemas[name], sec = el("section", "panel");
      sec.id = name;
      sec.appendChild(el("h3", "", name));
      if (s.description) { sec.appendChild(prose("p", "def", s.description)); }
      var ul = el("ul");
      Object.keys(s.properties || {}).forEach(function (k) {
        var p = s.properties[k];
        ul.appendChild(prose("li", "", k + ": " + typeOf(p) + (p.description ? " \u2014 " + p.description : "")));
      });
      sec.appendChild(ul);
      root.appendChild(sec);
    });
  });
})();
