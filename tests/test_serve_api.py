"""The REST API through FastAPI's TestClient: analyze, store, dedup, history, feedback, errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from serve_support import settings
from unspin.options import RunOptions
from unspin.render.facts import Reviews
from unspin.serve.app import create_app
from unspin.store import analyses as store
from unspin.store.db import connect


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    return tmp_path / "serve.db"


@pytest.fixture()
def client(analyzer: Any, db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(settings(db), analyzer)) as c:
        yield c


SHORT = "The corrupt elites are lying to you again. Only a fool would believe them.\n\nWake up before it is too late!"


def test_analyze_returns_the_cli_schema_with_an_id_and_stores_it(client: TestClient, db: Path) -> None:
    r = client.post("/api/analyze", json={"text": SHORT, "title": "Short"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["id"] and body["cached"] is False
    analysis = body["analysis"]
    assert analysis["text"] == SHORT and analysis["title"] == "Short"
    for span in analysis["spans"]:  # offsets point into the text, exactly as in the CLI's JSON
        assert SHORT[span["start"] : span["end"]] == span["text"]
    again = client.get(f"/api/analyses/{body['id']}").json()
    assert again["analysis"] == analysis and again["id"] == body["id"]
    conn = connect(db)  # a second connection sees it: it was committed before the response
    assert store.get(conn, body["id"]) is not None


def test_same_input_and_model_is_served_from_the_store(client: TestClient, analyzer: Any) -> None:
    first = client.post("/api/analyze", json={"text": SHORT}).json()
    calls: list[str] = []
    original = analyzer.analyze_many
    analyzer.analyze_many = lambda items: calls.extend("x" for _ in items) or original(items)
    try:
        second = client.post("/api/analyze", json={"text": SHORT}).json()
        other_title = client.post("/api/analyze", json={"text": SHORT, "title": "Another"}).json()
    finally:
        del analyzer.analyze_many
    assert second["cached"] is True and second["id"] == first["id"]
    assert other_title["id"] != first["id"] and other_title["cached"] is False
    assert calls == ["x"]  # only the new title ran the model


def test_store_false_always_analyzes_and_keeps_nothing(client: TestClient) -> None:
    r = client.post("/api/analyze", json={"text": SHORT, "store": False}).json()
    assert r["id"] is None and r["cached"] is False and r["analysis"]["text"] == SHORT
    assert client.get("/api/analyses").json()["total"] == 0


def test_html_input_is_extracted(client: TestClient) -> None:
    page = (
        "<html><head><title>Page title</title></head><body><article><p>"
        + SHORT
        + "</p></article></body></html>"
    )
    a = client.post("/api/analyze", json={"html": page}).json()["analysis"]
    assert "corrupt elites" in a["text"] and "<p>" not in a["text"]
    assert a["source"]["kind"] == "html" and a["title"] == "Page title"


def test_history_is_newest_first_paged_and_searchable(client: TestClient) -> None:
    ids = [client.post("/api/analyze", json={"text": f"{SHORT} Number {n}.", "title": f"T{n} walrus" * (n == 1)}).json()["id"]
           for n in range(3)]  # fmt: skip
    page = client.get("/api/analyses?limit=2").json()
    assert page["total"] == 3 and [i["id"] for i in page["items"]] == ids[::-1][:2]
    rest = client.get("/api/analyses?limit=2&offset=2").json()
    assert [i["id"] for i in rest["items"]] == [ids[0]]
    found = client.get("/api/analyses", params={"q": "walrus"}).json()
    assert found["total"] == 1 and found["items"][0]["id"] == ids[1]
    assert client.get("/api/analyses", params={"q": "corrupt walr"}).json()["total"] == 1  # all words; prefix
    assert client.get("/api/analyses", params={"q": "walrus elephant"}).json()["total"] == 0
    assert client.get("/api/analyses", params={"q": "corrupt elites"}).json()["total"] == 3
    assert client.get("/api/analyses", params={"q": '"NEAR( *'}).status_code == 200  # never an FTS error


def test_delete_removes_the_analysis_and_its_feedback(client: TestClient, db: Path) -> None:
    rid = client.post("/api/analyze", json={"text": SHORT}).json()["id"]
    fb = {"target": "span", "verdict": "missed", "technique": "Doubt", "start": 0, "end": 11}
    assert client.put(f"/api/analyses/{rid}/feedback", json=fb).status_code == 200
    assert client.delete(f"/api/analyses/{rid}").status_code == 204
    assert client.get(f"/api/analyses/{rid}").status_code == 404
    assert client.delete(f"/api/analyses/{rid}").status_code == 404
    assert connect(db).execute("SELECT count(*) FROM feedback").fetchone()[0] == 0


def test_feedback_is_stored_with_the_analysis_and_latest_verdict_wins(client: TestClient) -> None:
    body = client.post("/api/analyze", json={"text": SHORT}).json()
    rid = body["id"]
    span = {"target": "span", "technique": "Loaded_Language", "start": 4, "end": 17}
    assert (
        client.put(f"/api/analyses/{rid}/feedback", json={**span, "verdict": "confirmed"}).status_code == 200
    )
    assert client.put(f"/api/analyses/{rid}/feedback", json={**span, "verdict": "wrong"}).status_code == 200
    narrative = {"target": "narrative", "key": "URW: Blaming the war on others", "verdict": "wrong"}
    assert client.put(f"/api/analyses/{rid}/feedback", json=narrative).status_code == 200
    feedback = client.get(f"/api/analyses/{rid}").json()["feedback"]
    assert [(f["target"], f["verdict"]) for f in feedback] == [("span", "wrong"), ("narrative", "wrong")]
    key = feedback[1]["key"]
    assert (
        client.delete(f"/api/analyses/{rid}/feedback", params={"target": "narrative", "key": key}).status_code
        == 204
    )
    assert len(client.get(f"/api/analyses/{rid}").json()["feedback"]) == 1


@pytest.mark.parametrize(
    "item",
    [
        {"target": "span", "verdict": "missed", "technique": "Doubt", "start": 5, "end": 5},
        {"target": "narrative", "verdict": "missed", "key": "x"},
        {"target": "entity", "verdict": "wrong"},
        {"target": "span", "verdict": "missed", "technique": "Doubt", "start": 0, "end": 10_000},
        {"target": "span", "verdict": "wrong", "technique": "Doubt", "start": 0, "end": 3, "extra": 1},
    ],
)
def test_bad_feedback_is_refused_as_json(client: TestClient, item: dict[str, Any]) -> None:
    rid = client.post("/api/analyze", json={"text": SHORT}).json()["id"]
    r = client.put(f"/api/analyses/{rid}/feedback", json=item)
    assert r.status_code == 422 and r.json()["status"] == 422 and r.json()["error"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({}, 422),
        ({"text": "a", "url": "https://example.org/"}, 422),
        ({"text": "   \n "}, 400),
        ({"url": "file:///etc/passwd"}, 403),
        ({"url": "http://127.0.0.1:9/"}, 403),  # the core's SSRF guard: loopback refused
        ({"url": "http://169.254.169.254/latest/meta-data/"}, 403),
        ({"html": "<html><body></body></html>"}, 400),
    ],
)
def test_bad_input_gets_a_json_error_with_the_right_status(
    client: TestClient, body: dict[str, Any], status: int
) -> None:
    r = client.post("/api/analyze", json=body)
    assert r.status_code == status and r.json() == {"error": r.json()["error"], "status": status}
    assert r.json()["error"]


def test_text_over_the_limit_is_413(analyzer: Any, db: Path) -> None:
    with TestClient(create_app(settings(db, run=RunOptions(db=db, max_bytes=100)), analyzer)) as c:
        r = c.post("/api/analyze", json={"text": "word " * 50})
    assert r.status_code == 413 and "limit" in r.json()["error"]


def test_unknown_id_and_route_are_json_404(client: TestClient) -> None:
    assert client.get("/api/analyses/nope").json() == {"error": "No analysis with that id.", "status": 404}
    r = client.get("/api/nothing-here")
    assert r.status_code == 404 and r.json()["status"] == 404


def test_claims_search(client: TestClient, db: Path) -> None:
    assert client.get("/api/claims/search", params={"q": "NATO"}).status_code == 404  # no claims yet
    from unspin.claims.records import KnownClaim, upsert_claims

    conn = connect(db)
    upsert_claims(
        conn, [KnownClaim(title="NATO is preparing to attack Russia", key="k1", url="https://x.test/1")]
    )
    r = client.get("/api/claims/search", params={"q": "NATO attack"})
    assert r.status_code == 200 and r.json()[0]["title"] == "NATO is preparing to attack Russia"
    assert "score" not in r.json()[0] and "similarity" in r.json()[0]
    assert client.get("/api/claims/search", params={"q": "!!!"}).status_code == 400
    assert client.get("/api/meta").json()["claims"] is True


def test_health_meta_page_and_docs(client: TestClient) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    meta = client.get("/api/meta").json()
    assert len(meta["techniques"]) == 23 and meta["token_required"] is False
    assert "/api/analyze" in client.get("/openapi.json").json()["paths"]
    for path in ("/", "/docs", "/a/anything"):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    for name in ("app.js", "view.js", "app.css", "report.css", "palette.css", "docs.js"):
        assert client.get(f"/static/{name}").status_code == 200
    for gone in ("article.js", "panels.js"):  # the article view has one renderer: unspin.render
        assert client.get(f"/static/{gone}").status_code == 404
    for path in ("/", "/docs", "/a/anything", "/static/app.js"):  # link checkers and monitors send HEAD
        r = client.head(path)
        assert r.status_code == 200 and not r.content
    assert client.get("/static/../pyproject.toml").status_code == 404
    assert client.get("/static/index.html").status_code == 404


def test_the_view_is_the_static_reports_renderer_with_the_reviews(client: TestClient) -> None:
    from unspin.analysis import Analysis
    from unspin.render.html import view_html

    record = client.post("/api/analyze", json={"text": SHORT, "title": "Short"}).json()
    rid, analysis = record["id"], Analysis.model_validate(record["analysis"])
    r = client.get(f"/api/analyses/{rid}/view")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "no-store" in r.headers["cache-control"]
    assert r.text == view_html(analysis, Reviews())  # exactly the report's view, no second renderer
    assert '<div class="fb" data-target="claim"' in r.text or not analysis.claims  # verdict slots (app only)
    fb = {"target": "span", "verdict": "missed", "technique": "Doubt", "start": 4, "end": 11}
    assert client.put(f"/api/analyses/{rid}/feedback", json=fb).status_code == 200
    view = client.get(f"/api/analyses/{rid}/view").text
    assert view == view_html(analysis, Reviews(missed=[("Doubt", 4, 11)]))
    assert 'class="pc b19 missed"' in view or " missed" in view  # the analyst's span is highlighted
    assert client.get("/api/analyses/nope/view").json() == {
        "error": "No analysis with that id.",
        "status": 404,
    }


def test_history_rows_tell_analyses_apart(client: TestClient) -> None:
    untitled = client.post("/api/analyze", json={"text": SHORT}).json()["id"]
    headline = client.post("/api/analyze", json={"text": "Elites lie again\n\n" + SHORT}).json()["id"]
    items = {i["id"]: i for i in client.get("/api/analyses").json()["items"]}
    assert items[untitled]["title"] == "The corrupt elites are lying to you again.…"  # its first words
    assert items[headline]["title"] == "Elites lie again"  # a headline-like first line is the title
    row = items[untitled]
    assert (
        row["words"] == len(SHORT.split())
        and row["reviewed"] == 0
        and row["genre"] is None  # a 21-word text is no article: its genre is not assessed
    )
    fb = {"target": "narrative", "verdict": "wrong", "key": "URW: Praise of Russia"}
    assert client.put(f"/api/analyses/{untitled}/feedback", json=fb).status_code == 200
    assert client.get("/api/analyses").json()["items"][1]["reviewed"] == 1


def test_docs_list_only_the_errors_an_operation_can_answer(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    analyze = set(paths["/api/analyze"]["post"]["responses"])
    assert {"413", "502", "503", "403"} <= analyze
    one = set(paths["/api/analyses/{analysis_id}"]["get"]["responses"])
    assert "404" in one and not {"413", "502", "503", "403", "415"} & one
    assert paths["/api/analyze"]["post"]["responses"]["413"]["description"].startswith("Over the")


def test_stored_analyses_are_rematched_when_the_known_claims_change(analyzer: Any, db: Path) -> None:
    """An analysis stored against an empty database says so; after an import its page shows the match."""
    import copy

    from unspin.claims.known import KnownClaims
    from unspin.claims.records import KnownClaim, upsert_claims
    from unspin.claims.stage import ClaimsStage
    from unspin.encoder.similarity import SentenceEncoder
    from unspin.store.db import Database

    known = KnownClaims(Database(db), encoder=SentenceEncoder())
    matching = copy.copy(analyzer)
    matching.known_claims = known
    matching.claims = ClaimsStage(analyzer.model_dir, RunOptions(claims="all"), known)
    text = (
        "The war in Ukraine was triggered by NATO's eastward expansion, the minister said on Tuesday.\n\n"
        "He spoke in Moscow after meeting foreign journalists at the ministry for two hours."
    )
    with TestClient(create_app(settings(db), matching)) as c:
        first = c.post("/api/analyze", json={"text": text}).json()
        assert first["analysis"]["known_claims"]["claims"] == 0
        assert "no_known_claims" in [w["code"] for w in first["analysis"]["warnings"]]
        claim = KnownClaim(
            title="The war in Ukraine was triggered by NATO's eastward expansion",
            key="k",
            url="https://x.test/1",
        )
        upsert_claims(connect(db), [claim])
        again = c.get(f"/api/analyses/{first['id']}").json()["analysis"]
        assert again["known_claims"]["claims"] == 1
        assert "no_known_claims" not in [w["code"] for w in again["warnings"]]
        nato = next(cl for cl in again["claims"] if cl["text"].startswith("The war in Ukraine"))
        assert [m["url"] for m in nato["matches"]] == ["https://x.test/1"]
        assert nato["matches"][0]["relation"] == "same"
        # ... and stored so: the view shows it too
        assert "x.test/1" in c.get(f"/api/analyses/{first['id']}/view").text
