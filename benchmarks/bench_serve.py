"""Load test of `unspin serve`: the server in its own process, this process drives it over loopback.

Phases (bounded: about 75 s in all with the defaults):
  1. capacity  closed loop, 2 clients, --capacity-s: analyses/s the server sustains (the "rate")
  2. steady    open loop at --steady x rate (default 0.75) for --phase-s: rps, p50/p90/p99 latency
  3. overload  open loop at 2 x rate for --phase-s: 200/503 split, slowest answer, server memory
  4. recovery  open loop at 0.5 x rate for --recover-s: every request should be 200 again
  5. cached    closed loop, 8 clients, same text: answers served from the store (no model run)

Every analysis request carries a different nonce line, so the store's dedup never answers it: the numbers
are real model runs. Open loop = requests start on a fixed schedule whatever the server does, so an
overloaded server cannot slow the load down (no coordinated omission). The load generator is this
script (asyncio + httpx, a runtime dependency already); on 2 cores it shares them with the server.

    python benchmarks/bench_serve.py [--workers 1] [--phase-s 20] [--json out/bench-serve.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEMO = (ROOT / "examples" / "khabarovsk-opinion.txt").read_text(encoding="utf-8")
CLIENT_TIMEOUT_S = 10.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of the server and its worker processes (uvicorn --workers forks children)."""
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def _children(pid: int) -> list[int]:
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    out = [int(k) for k in kids]
    for k in list(out):
        out.extend(_children(k))
    return out


class Load:
    def __init__(self, base: str) -> None:
        self.base = base
        self.nonce = 0
        limits = httpx.Limits(max_connections=400, max_keepalive_connections=400)
        self.client = httpx.AsyncClient(base_url=base, timeout=CLIENT_TIMEOUT_S, limits=limits)

    async def one(self, cached: bool = False) -> tuple[int, float]:
        self.nonce += 1
        text = DEMO if cached else f"{DEMO}\n\nBench request {self.nonce} at {time.time()}."
        started = time.perf_counter()
        try:
            r = await self.client.post("/api/analyze", json={"text": text})
            status = r.status_code
        except httpx.HTTPError:
            status = 0  # no answer within CLIENT_TIMEOUT_S, or the connection failed
        return status, time.perf_counter() - started

    async def closed(self, clients: int, seconds: float, cached: bool = False) -> list[tuple[int, float]]:
        results: list[tuple[int, float]] = []
        end = time.perf_counter() + seconds

        async def worker() -> None:
            while time.perf_counter() < end:
                results.append(await self.one(cached))

        await asyncio.gather(*(worker() for _ in range(clients)))
        return results

    async def open(self, rate: float, seconds: float, on_tick: Any = None) -> list[tuple[int, float]]:
        tasks: list[asyncio.Task[tuple[int, float]]] = []
        start = time.perf_counter()
        n = int(rate * seconds)
        for i in range(n):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(self.one()))
            if on_tick is not None and i % max(1, int(rate)) == 0:
                on_tick()
        return list(await asyncio.gather(*tasks))


def summary(results: list[tuple[int, float]], seconds: float) -> dict[str, Any]:
    ok = sorted(t for s, t in results if s == 200)
    statuses: dict[str, int] = {}
    for s, _ in results:
        statuses[str(s)] = statuses.get(str(s), 0) + 1

    def q(p: float) -> float | None:
        return round(1000 * ok[min(len(ok) - 1, int(p * len(ok)))], 1) if ok else None

    every = [t for _, t in results]
    return {
        "requests": len(results),
        "statuses": statuses,
        "ok_per_s": round(len(ok) / seconds, 2),
        "p50_ms": q(0.50),
        "p90_ms": q(0.90),
        "p99_ms": q(0.99),
        "mean_ms": round(1000 * statistics.fmean(ok), 1) if ok else None,
        "slowest_answer_ms": round(1000 * max(every), 1) if every else None,
        "answered_within_2s": round(sum(t <= 2.0 for s, t in results if s) / max(1, len(results)), 4),
    }


async def bench(args: argparse.Namespace, base: str, pid: int) -> dict[str, Any]:
    load = Load(base)
    report: dict[str, Any] = {"workers": args.workers, "cpus": os.cpu_count()}
    await load.closed(1, 3.0)  # warm-up: compile cache, first allocations
    cap = await load.closed(2, args.capacity_s)
    capacity = summary(cap, args.capacity_s)
    rate = args.rate or max(0.5, capacity["ok_per_s"])
    report["capacity"] = {**capacity, "rate_used": rate}
    steady_rate = rate * args.steady
    report["steady"] = {
        "rate": round(steady_rate, 2),
        **summary(await load.open(steady_rate, args.phase_s), args.phase_s),
    }

    memory: list[float] = [rss_mb(pid)]
    over = await load.open(2 * rate, args.phase_s, on_tick=lambda: memory.append(rss_mb(pid)))
    memory.append(rss_mb(pid))
    report["overload"] = {
        "rate": round(2 * rate, 2),
        **summary(over, args.phase_s),
        "rss_mb_start": round(memory[0], 1),
        "rss_mb_max": round(max(memory), 1),
        "rss_mb_end": round(memory[-1], 1),
    }
    recover = await load.open(rate * 0.5, args.recover_s)
    report["recovery"] = {"rate": round(rate * 0.5, 2), **summary(recover, args.recover_s)}
    await load.one(cached=True)  # store the plain demo once; from here on it is answered from the store
    cached = await load.closed(8, 5.0, cached=True)
    report["cached"] = summary(cached, 5.0)
    health = await load.client.get("/healthz")
    report["alive_after"] = health.status_code == 200
    report["rss_mb_after"] = round(rss_mb(pid), 1)
    await load.client.aclose()
    return report


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--rate", type=float, help="the sustainable rate (default: measured in phase 1)")
    p.add_argument("--capacity-s", type=float, default=10.0)
    p.add_argument("--phase-s", type=float, default=20.0)
    p.add_argument("--recover-s", type=float, default=8.0)
    p.add_argument("--steady", type=float, default=0.75, help="steady load as a fraction of the rate")
    p.add_argument("--json", type=Path, default=ROOT / "out" / "bench-serve.json")
    args = p.parse_args()

    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            sys.executable, "-m", "unspin", "serve", "--port", str(port), "--db", f"{tmp}/bench.db",
            "--workers", str(args.workers), "--rate-limit", "0",  # one client IP drives all the load
        ]  # fmt: skip
        server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    print(server.stderr.read() if server.stderr else "", file=sys.stderr)
                    raise SystemExit("the server did not start")
                time.sleep(0.2)
            report = asyncio.run(bench(args, base, server.pid))
            report["crashed"] = server.poll() is not None
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    for phase in ("steady", "overload", "recovery"):
        r = report[phase]
        print(f"{phase:9} {r['rate']:6.1f} req/s offered  {r['ok_per_s']:6.2f} ok/s  p50 {r['p50_ms']} ms  "
              f"p99 {r['p99_ms']} ms  statuses {r['statuses']}  slowest {r['slowest_answer_ms']} ms")  # fmt: skip
    print(f"capacity {report['capacity']['ok_per_s']} analyses/s; cached answers {report['cached']['ok_per_s']}/s; "
          f"overload memory {report['overload']['rss_mb_start']} -> {report['overload']['rss_mb_max']} MB; "
          f"crashed: {report['crashed']}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
