"""The speed issue's targets, measured in the run of `make bench` (``bench.py`` calls ``measure``).

Each figure is a ratio against the baseline measured in the same process (transformers + PyTorch fp32
encoder pass over the demo), or a throughput/memory figure from the same run; nothing here asserts.

- whole warm analysis of the demo with known-claims matching against the bundled cases, and without it
  (the Python API's default);
- ``unspin serve``: steady-load analyses/s and p99 (``bench_serve.py``, short phases);
- ``unspin batch``: articles/s on a 200-article corpus (``bench_batch.py``);
- peak RSS of one ``unspin analyze`` process on the demo and on the worst input the limits allow (one
  paragraph of 1 MB);
- technique F1 of each compute precision on the quality gate's paragraphs and 40 SemEval articles (for the
  shipped model these are training articles: compare the variants, not the absolute figure).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "khabarovsk-opinion.txt"
TARGETS = {
    "claims_ratio": 5.0,  # whole analysis with matching, x the baseline's encoder pass
    "no_match_ratio": 8.0,
    "serve_per_s": 20.0,  # with p99 <= 500 ms
    "batch_per_s": 15.0,
    "rss_mb": 500.0,
}


def median_ms(fn: Callable[[], object], runs: int, warmup: int = 2) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


_PEAK = """
import sys
from unspin.cli import main
code = main(sys.argv[1:])
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
sys.stderr.write("VMHWM " + peak.split()[1] + "\\n")
sys.exit(code)
"""


def peak_rss_mb(args: list[str]) -> tuple[float, int]:
    """Peak RSS (MB) and exit code of one `unspin ...` process: the kernel's high-water mark of the
    child's own memory (VmHWM, read by the child at its end). wait4's ru_maxrss would count the pages of
    this big benchmark process that the child shares until exec."""
    proc = subprocess.run(
        [sys.executable, "-c", _PEAK, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    peak = [line for line in proc.stderr.splitlines() if line.startswith("VMHWM ")]
    return (int(peak[-1].split()[1]) / 1024 if peak else float("nan")), proc.returncode


def analyses_with_claims(runs: int, tmp: Path) -> dict[str, float]:
    """Warm analysis of the demo: matching against the bundled cases (a fresh database, imported and
    embedded first) and the default without matching; the claims stage's share from the timings."""
    from unspin.analyzer import Analyzer
    from unspin.claims.bundle import load_bundled
    from unspin.claims.known import KnownClaims
    from unspin.claims.records import upsert_claims
    from unspin.options import RunOptions
    from unspin.store.db import Database

    text = DEMO.read_text(encoding="utf-8")
    db = Database(tmp / "claims.db")
    upsert_claims(db.conn(), load_bundled())
    options = RunOptions(db=tmp / "claims.db", match_claims=True)
    known = KnownClaims(db, options=options)
    known.size()  # embeds the bundled cases once, outside the timing
    matching = Analyzer(options=options, known_claims=known)
    plain = Analyzer()
    out = {
        "analysis_with_claims_ms": median_ms(lambda: matching.analyze(text), runs),
        "analysis_ms": median_ms(lambda: plain.analyze(text), runs),
    }
    timings = [matching.analyze(text).timings_ms or {} for _ in range(5)]
    for key in ("encode_ms", "heads_ms", "claims_ms"):
        out[f"with_claims.{key}"] = statistics.median(t.get(key, 0.0) for t in timings)
    out["known_claims"] = float(known.size())
    return out


def big_paragraph_rss(tmp: Path) -> tuple[float, int]:
    """`unspin analyze` on one 1 MB paragraph (the limit): the worst input a server must survive."""
    words = [
        "The",
        "council",
        "said",
        "the",
        "new",
        "bridge",
        "would",
        "open",
        "in",
        "spring",
        "and",
        "cost",
        "less",
        "than",
        "planned",
    ]
    text = " ".join(words[i % len(words)] for i in range(200_000))[:999_000]
    path = tmp / "big.txt"
    path.write_text(text, encoding="utf-8")
    return peak_rss_mb(["analyze", str(path), "--format", "json"])


def precision_f1() -> dict[str, dict[str, float]]:
    """Technique F1 per compute precision (the gate's paragraphs; 40 SemEval English articles)."""
    sys.path.insert(0, str(ROOT / "tests"))
    import openvino as ov

    from quality import gate  # type: ignore[import-not-found]
    from unspin.analyzer import Analyzer
    from unspin.data import semeval2023 as sd
    from unspin.evaluate.semeval2023 import runtime_predict, score
    from unspin.options import RunOptions

    precisions = ["f32"] + (
        ["bf16"] if "BF16" in ov.Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES") else []
    )
    articles = sd.load_articles(lang="en")[:40]
    out = {}
    for precision in precisions:
        a = Analyzer(options=RunOptions(precision=precision), known_claims=None)
        g, _ = gate.technique_scores(a)
        m = score(articles, runtime_predict(a), list(a.techniques.labels), a.techniques)
        out[precision] = {
            "gate_micro_f1": g.micro_f1,
            "semeval40_micro_f1": round(m["paragraph_micro_f1"], 4),
        }
    return out


def sub_bench(script: str, args: list[str], tmp: Path) -> dict[str, Any]:
    """Run another benchmark script of this folder and read its JSON."""
    out = tmp / f"{Path(script).stem}.json"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args, "--json", str(out)], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    return json.loads(out.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def measure(
    base_ms: float, encoder_ms: float, runs: int, serve: bool = True, batch: bool = True
) -> dict[str, Any]:
    fig: dict[str, Any] = {"baseline_ms": base_ms, "encoder_ms": encoder_ms}
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        fig.update(analyses_with_claims(runs, tmp))
        fig["demo_rss_mb"], _ = peak_rss_mb(["analyze", str(DEMO), "--format", "json"])
        fig["big_paragraph_rss_mb"], fig["big_paragraph_exit"] = big_paragraph_rss(tmp)
        fig["precision"] = precision_f1()
        if serve:
            s = sub_bench("bench_serve.py", ["--capacity-s", "8", "--phase-s", "10", "--recover-s", "4"], tmp)
            fig["serve"] = {
                "capacity_per_s": s["capacity"]["ok_per_s"],
                "steady_per_s": s["steady"]["ok_per_s"],
                "steady_p99_ms": s["steady"]["p99_ms"],
                "rss_mb_max": s["overload"]["rss_mb_max"],
            }
        if batch:
            b = sub_bench("bench_batch.py", ["--sizes", "200"], tmp)["results"][0]
            fig["batch"] = {"articles_per_s": b["articles_per_s_analysis"], "peak_rss_mb": b["peak_rss_mb"]}
    return fig


def report(fig: dict[str, Any]) -> None:
    """The targets table: each figure, its target, and whether it is met."""
    base = fig["baseline_ms"]
    rows: list[tuple[str, str, str, bool | None]] = [
        ("encoder pass alone", f"{fig['encoder_ms']:.1f} ms = {base / fig['encoder_ms']:.2f}x", "-", None),
        (
            f"whole analysis, matching {fig['known_claims']:.0f} claims",
            f"{fig['analysis_with_claims_ms']:.1f} ms = {base / fig['analysis_with_claims_ms']:.2f}x",
            f">= {TARGETS['claims_ratio']:.0f}x",
            base / fig["analysis_with_claims_ms"] >= TARGETS["claims_ratio"],
        ),
        (
            "  of which encoder / heads / claims",
            f"{fig['with_claims.encode_ms']:.0f} / {fig['with_claims.heads_ms']:.0f} / "
            f"{fig['with_claims.claims_ms']:.0f} ms",
            "-",
            None,
        ),
        (
            "whole analysis, no matching (API default)",
            f"{fig['analysis_ms']:.1f} ms = {base / fig['analysis_ms']:.2f}x",
            f">= {TARGETS['no_match_ratio']:.0f}x",
            base / fig["analysis_ms"] >= TARGETS["no_match_ratio"],
        ),
    ]
    if "serve" in fig:
        s = fig["serve"]
        rows.append(
            (
                "unspin serve, steady load",
                f"{s['steady_per_s']:.1f}/s, p99 {s['steady_p99_ms']} ms (capacity {s['capacity_per_s']:.1f}/s)",
                ">= 20/s, p99 <= 500 ms",
                s["steady_per_s"] >= TARGETS["serve_per_s"] and (s["steady_p99_ms"] or 1e9) <= 500,
            )
        )
    if "batch" in fig:
        b = fig["batch"]
        rows.append(("unspin batch, 200 articles", f"{b['articles_per_s']:.1f} articles/s", ">= 15/s",
                     b["articles_per_s"] >= TARGETS["batch_per_s"]))  # fmt: skip
    worst = max(fig["demo_rss_mb"], fig["big_paragraph_rss_mb"], fig.get("serve", {}).get("rss_mb_max", 0))
    rows.append(
        (
            "peak RSS: demo / 1 MB paragraph / server",
            f"{fig['demo_rss_mb']:.0f} / {fig['big_paragraph_rss_mb']:.0f} (exit {fig['big_paragraph_exit']}) / "
            f"{fig.get('serve', {}).get('rss_mb_max', 0):.0f} MB",
            "<= 500 MB",
            worst <= TARGETS["rss_mb"],
        )
    )
    for precision, f in fig["precision"].items():
        rows.append((f"technique micro-F1, {precision}", f"gate {f['gate_micro_f1']:.4f}, "
                     f"SemEval-40 {f['semeval40_micro_f1']:.4f}", "within 0.005", None))  # fmt: skip
    print(f"\n{'targets (baseline: transformers + PyTorch fp32 encoder pass, ' + f'{base:.1f} ms)':74s}")
    for name, value, target, ok in rows:
        mark = "" if ok is None else ("met" if ok else "MISSED")
        print(f"  {name:42s} {value:44s} {target:24s} {mark}")
