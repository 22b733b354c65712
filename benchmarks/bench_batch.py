"""`make bench-batch`: throughput and peak memory of `unspin batch`, local engine and Ray, by corpus size.

The corpus is the SemEval-2023 English training articles (~850 words on average), repeated with fresh
ids up to each size, spread over outlets and dates. Each configuration runs the real CLI in a subprocess;
peak memory is the largest sum of RSS over the whole process tree (parent + workers, or the Ray
processes), sampled every 0.2 s. Not a test: nothing here asserts. Quick run:
``python benchmarks/bench_batch.py --sizes 200 --configs local-2x1``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("UNSPIN_DATA", ROOT.parent / "shared" / "data"))
ARTICLES = DATA / "semeval2023-task3" / "en" / "train-articles-subtask-3"
OUTLETS = ("alpha", "beta", "gamma", "delta", "epsilon")
# name -> extra CLI arguments
CONFIGS = {
    "local-2x1": ["--engine", "local", "--workers", "2", "--threads", "1"],
    "local-1x2": ["--engine", "local", "--workers", "1", "--threads", "2"],
    "ray-2x1": ["--engine", "ray", "--workers", "2", "--threads", "1"],
    "ray-1x2": ["--engine", "ray", "--workers", "1", "--threads", "2"],
}


def make_corpus(path: Path, n: int) -> float:
    """Write ``n`` records; return the mean words per article."""
    files = sorted(ARTICLES.glob("article*.txt"))
    if not files:
        raise SystemExit(f"no articles in {ARTICLES}: set UNSPIN_DATA")
    texts = [f.read_text(encoding="utf-8") for f in files]
    words = 0
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            text = texts[i % len(texts)]
            title, _, body = text.partition("\n")
            words += len(body.split())
            rec = {
                "id": f"{i:06d}",
                "title": title.strip(),
                "text": body,
                "source": OUTLETS[i % len(OUTLETS)],
                "date": f"20{18 + i % 6}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            }
            out.write(json.dumps(rec) + "\n")
    return words / n


class PeakRss:
    """Largest total RSS of a process and all its descendants, sampled in a thread."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        self.root, self.every, self.peak = psutil.Process(pid), every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            with contextlib.suppress(psutil.Error):  # processes come and go while we look
                for p in [self.root, *self.root.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        total += p.memory_info().rss
            self.peak = max(self.peak, total)
            time.sleep(self.every)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def run(corpus: Path, out: Path, extra: list[str], kill_after: float | None = None) -> dict[str, object]:
    shutil.rmtree(out, ignore_errors=True)
    cmd = [
        sys.executable,
        "-m",
        "unspin",
        "batch",
        str(corpus),
        "-o",
        str(out),
        "--progress",
        "lines",
        "--no-known-claims",
        *extra,
    ]
    killed_at = None
    if kill_after:
        # SIGKILL the whole process tree mid-run, as a crash would; the same command then resumes
        first = subprocess.Popen(cmd, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(kill_after)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
        killed_at = (out / "analyses.jsonl").read_bytes().count(b"\n")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    sampler = PeakRss(proc.pid)
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    peak = sampler.stop()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err}")
    # the last progress line's rate: analysis only (from the start of the run to the last article)
    rates = re.findall(r"([\d.]+) articles/s", err)
    lines = (out / "analyses.jsonl").read_bytes().count(b"\n")
    fresh = lines - (killed_at or 0)  # the rate of a resumed run counts only what it analyzed
    result: dict[str, object] = {
        "articles": lines,
        "wall_s": round(wall, 1),
        "articles_per_s_end_to_end": round(fresh / wall, 2),
        "articles_per_s_analysis": float(rates[-1]) if rates else 0.0,
        "peak_rss_mb": round(peak / 2**20),
    }
    if killed_at is not None:
        with (out / "analyses.jsonl").open("rb") as f:
            ids = [json.loads(line)["id"] for line in f]
        result.update(killed_at=killed_at, unique_ids=len(set(ids)), duplicate_ids=len(ids) - len(set(ids)))
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "unspin", "report", str(out), "-q"], check=True)
        result["report_s"] = round(time.perf_counter() - t0, 1)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "--sizes", default="1000,10000", help="corpus sizes, comma-separated (default 1000,10000)"
    )
    ap.add_argument("--configs", default="local-2x1", help=f"comma-separated, of {', '.join(CONFIGS)}")
    ap.add_argument("--compare-at", type=int, help="size at which to run every config of --compare")
    ap.add_argument(
        "--compare", default="local-2x1,local-1x2,ray-2x1", help="configs compared at --compare-at"
    )
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument(
        "--kill-after",
        type=float,
        help="SIGKILL the run of the largest size (first of --configs) after this many seconds, resume it, "
        "check every id is there once, and build the corpus report",
    )
    ap.add_argument(
        "--workdir", type=Path, help="keep corpora and outputs here (default: a temporary folder)"
    )
    args = ap.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="unspin-bench-") as scratch:
        tmp = args.workdir or Path(scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        plan = [(int(s), c) for s in args.sizes.split(",") for c in args.configs.split(",")]
        if args.compare_at:
            plan = [(args.compare_at, c) for c in args.compare.split(",")] + plan
        plan = list(dict.fromkeys(plan))  # a configuration measured once per size
        corpora: dict[int, tuple[Path, float]] = {}
        print(
            f"{'size':>7} {'config':<10} {'art/s':>6} {'e2e art/s':>9} {'wall s':>7} {'peak MB':>8}  words/article"
        )
        for size, config in plan:
            if size not in corpora:
                path = tmp / f"corpus-{size}.jsonl"
                corpora[size] = (path, make_corpus(path, size))
            path, words = corpora[size]
            largest = (max(s for s, _ in plan), args.configs.split(",")[0])
            kill = args.kill_after if (size, config) == largest else None
            r = run(path, tmp / f"out-{size}-{config}", CONFIGS[config], kill)
            r.update(size=size, config=config, words_per_article=round(words))
            results.append(r)
            print(
                f"{size:>7} {config:<10} {r['articles_per_s_analysis']:>6.2f} {r['articles_per_s_end_to_end']:>9.2f} "
                f"{r['wall_s']:>7.1f} {r['peak_rss_mb']:>8}  {words:.0f}",
                flush=True,
            )
            if "killed_at" in r:
                print(
                    f"        killed at {r['killed_at']} articles, resumed: {r['unique_ids']} unique ids, "
                    f"{r['duplicate_ids']} duplicates; corpus report in {r['report_s']} s",
                    flush=True,
                )
    if args.json:
        args.json.write_text(json.dumps({"cpus": os.cpu_count(), "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
