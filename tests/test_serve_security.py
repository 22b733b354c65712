"""Secure by default: token, Host guard, rate limit, body limit, JSON-only POSTs, headers, load shedding."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from serve_support import settings
from unspin.cli import main
from unspin.ingest import source_from_text
from unspin.options import RunOptions
from unspin.serve.app import create_app
from unspin.serve.config import Settings
from unspin.serve.engine import AnalysisPool, Overloaded
from unspin.serve.security import CSP, TokenBuckets
from unspin.store.db import Database

TEXT = "They lie. They always lie, and only traitors would listen."


def test_every_response_carries_the_security_headers(analyzer: Any, tmp_path: Path) -> None:
    with TestClient(create_app(settings(tmp_path / "db"), analyzer)) as c:
        for r in (
            c.get("/"),
            c.get("/static/app.js"),
            c.get("/api/analyses"),
            c.get("/api/analyses/x"),
            c.get("/healthz"),
        ):
            assert r.headers["content-security-policy"] == CSP
            assert "'unsafe-inline'" not in CSP and "frame-ancestors 'none'" in CSP
            assert r.headers["x-content-type-options"] == "nosniff"
            assert r.headers["referrer-policy"] == "no-referrer"
            assert r.headers["x-frame-options"] == "DENY"
        assert c.get("/api/analyses").headers["cache-control"] == "no-store"


def test_the_token_is_checked_on_every_api_call(analyzer: Any, tmp_path: Path) -> None:
    with TestClient(create_app(settings(tmp_path / "db", token="s3cret"), analyzer)) as c:
        calls = [
            ("GET", "/api/analyses"), ("GET", "/api/analyses/x"), ("DELETE", "/api/analyses/x"),
            ("GET", "/api/meta"), ("GET", "/api/claims/search?q=x"), ("PUT", "/api/analyses/x/feedback"),
        ]  # fmt: skip
        for method, path in calls:
            assert c.request(method, path).status_code == 401, path
            assert c.request(method, path, headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.post("/api/analyze", json={"text": TEXT}).status_code == 401
        ok = c.post("/api/analyze", json={"text": TEXT}, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200
        assert c.get("/api/analyses", headers={"X-Unspin-Token": "s3cret"}).json()["total"] == 1
        assert (
            c.get("/healthz").status_code == 200 and c.get("/").status_code == 200
        )  # the page itself is public


def test_serve_refuses_to_bind_beyond_localhost_without_a_token(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("UNSPIN_TOKEN", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--port", "8765"]) == 3
    assert "token" in capsys.readouterr().err
    import argparse

    from unspin.serve.cli import add_serve_parser, settings_from

    parser = argparse.ArgumentParser()
    add_serve_parser(parser.add_subparsers())
    monkeypatch.setenv("UNSPIN_TOKEN", "from-env")
    args = parser.parse_args(["serve", "--host", "0.0.0.0"])
    assert settings_from(args).token == "from-env"
    assert Settings(host="0.0.0.0").hosts() == ["*"] and "evil.example" not in Settings().hosts()
    assert "127.0.0.2" in Settings(host="127.0.0.2").hosts()


def test_foreign_host_headers_are_refused_on_loopback(analyzer: Any, tmp_path: Path) -> None:
    # DNS rebinding: a page on evil.example re-points its name at 127.0.0.1; its requests carry its Host.
    app = create_app(Settings(run=RunOptions(db=tmp_path / "db")), analyzer)
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/analyses").status_code == 200
        assert c.get("/api/analyses", headers={"Host": "localhost:8000"}).status_code == 200
        r = c.get("/api/analyses", headers={"Host": "evil.example:8000"})
        assert r.status_code == 400 and r.json()["status"] == 400


def test_rate_limit_per_client(analyzer: Any, tmp_path: Path) -> None:
    with TestClient(create_app(settings(tmp_path / "db", rate_per_s=0.5, rate_burst=3), analyzer)) as c:
        codes = [c.get("/api/analyses").status_code for _ in range(5)]
        assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
        r = c.get("/api/analyses")
        assert int(r.headers["retry-after"]) >= 1 and r.json()["status"] == 429
        assert c.get("/").status_code == 200  # the page's files are not API calls


def test_token_buckets_refill_and_stay_bounded() -> None:
    buckets = TokenBuckets(rate=2.0, burst=2)
    assert buckets.take("a", now=0.0) == 0 and buckets.take("a", now=0.0) == 0
    assert buckets.take("a", now=0.0) == pytest.approx(0.5)
    assert buckets.take("a", now=0.6) == 0  # refilled
    assert buckets.take("b", now=0.0) == 0  # clients are independent
    for i in range(20_000):
        buckets.take(str(i), now=1.0)
    assert len(buckets._buckets) <= 10_000


def test_body_limit_with_and_without_content_length(analyzer: Any, tmp_path: Path) -> None:
    with TestClient(create_app(settings(tmp_path / "db", max_body_bytes=1000), analyzer)) as c:
        r = c.post("/api/analyze", json={"text": "x" * 2000})
        assert r.status_code == 413 and r.json()["status"] == 413

        def chunks():  # type: ignore[no-untyped-def]
            yield b'{"text": "'
            for _ in range(10):
                yield b"y" * 200
            yield b'"}'

        r = c.post("/api/analyze", content=chunks(), headers={"content-type": "application/json"})
        assert r.status_code == 413
        assert c.post("/api/analyze", json={"text": TEXT}).status_code == 200


def test_posts_must_be_json(analyzer: Any, tmp_path: Path) -> None:
    with TestClient(create_app(settings(tmp_path / "db"), analyzer)) as c:
        r = c.post("/api/analyze", data={"text": TEXT})  # what a cross-site form would send
        assert r.status_code == 415
        r = c.post("/api/analyze", content=b'{"text": "x"}', headers={"content-type": "text/plain"})
        assert r.status_code == 415


class SlowAnalyzer:
    """Stands in for the model: each analysis takes ``seconds`` and is counted."""

    def __init__(self, real: Any, seconds: float) -> None:
        self.real, self.seconds, self.calls = real, seconds, 0
        self.model_info = real.model_info
        self.active = 0
        self.max_active = 0
        self.lock = threading.Lock()

    def analyze(self, text: str, title: str | None = None, source: Any = None) -> Any:
        return self.analyze_many([(text, title, source)])[0]

    def analyze_many(self, items: list[tuple[str, str | None, Any]]) -> list[Any]:
        with self.lock:
            self.calls += 1
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        time.sleep(self.seconds)
        try:
            return self.real.analyze_many(items)  # type: ignore[no-any-return]
        finally:
            with self.lock:
                self.active -= 1


def test_overload_is_shed_with_503_and_the_pool_recovers(analyzer: Any, tmp_path: Path) -> None:
    slow = SlowAnalyzer(analyzer, 0.3)
    conns = Database(tmp_path / "db")
    pool = AnalysisPool(slow, conns, max_queue=3, max_wait_s=10.0)  # type: ignore[arg-type]

    async def burst(n: int) -> list[str]:
        async def one(i: int) -> str:
            try:
                await pool.run(source_from_text(f"{TEXT} {i}"), keep=True)
                return "ok"
            except Overloaded as err:
                assert err.retry_after >= 1
                return "503"

        return list(await asyncio.gather(*(one(i) for i in range(n))))

    outcomes = asyncio.run(burst(8))
    assert outcomes.count("ok") == 3 and outcomes.count("503") == 5  # queue of 3: the rest refused at once
    assert slow.max_active == 1  # the analyzer is never called from two threads at once
    # The requests that waited while the first ran were analyzed together, in one call.
    assert sum(pool.batches) == 3 and max(pool.batches) >= 2 and slow.calls == len(pool.batches)
    assert pool.pending == 0
    assert asyncio.run(burst(2)) == ["ok", "ok"]  # recovered
    pool.close()
    conns.close()


def test_overload_answers_503_with_retry_after_over_http(analyzer: Any, tmp_path: Path) -> None:
    slow = SlowAnalyzer(analyzer, 0.4)
    app = create_app(settings(tmp_path / "db", max_queue=1, rate_per_s=0), slow)  # type: ignore[arg-type]
    with TestClient(app) as c:
        results: list[Any] = []

        def post(i: int) -> None:
            results.append(c.post("/api/analyze", json={"text": f"{TEXT} {i}"}))

        threads = [threading.Thread(target=post, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        codes = sorted(r.status_code for r in results)
        assert 200 in codes and 503 in codes and set(codes) <= {200, 503}
        shed = next(r for r in results if r.status_code == 503)
        assert int(shed.headers["retry-after"]) >= 1 and shed.json()["status"] == 503


def test_settings_travel_to_worker_processes_through_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from unspin.serve.config import SETTINGS_ENV, is_loopback

    original = Settings(
        host="10.0.0.5", token="t", rate_per_s=0, allowed_hosts=("a.example",),
        run=RunOptions(threads=1, precision="f32", db=Path("/tmp/x.db"), max_bytes=5, match_claims=False),
    )  # fmt: skip
    monkeypatch.setenv(SETTINGS_ENV, original.to_env())
    assert Settings.from_env() == original
    monkeypatch.delenv(SETTINGS_ENV)
    monkeypatch.setenv("UNSPIN_TOKEN", "env-token")
    assert Settings.from_env().token == "env-token"
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.2", "example.org"))
