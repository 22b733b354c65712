"""`make bench`: speed of the runtime against a transformers + PyTorch fp32 baseline, in one process.

Prints medians and ratios (machines here are noisy; compare ratios, not absolute numbers). Needs the
``[train]`` extra for the baseline and for the ONNX Runtime candidates. Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from targets import median_ms  # this folder: one timing helper for every figure

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "khabarovsk-opinion.txt"


def torch_baseline(model_dir: Path) -> tuple[Callable[[np.ndarray, np.ndarray], np.ndarray], str]:
    """The shipped architecture in transformers + PyTorch fp32, with the same shapes (so the same cost):
    the multilingual e5-small BERT (12 layers, the pruned vocabulary) when the model is multilingual, the
    base MiniLM-L6 otherwise; random weights unless the trained checkpoint is in build/."""
    import json

    import torch
    from transformers import AutoModel, BertConfig, BertModel

    from unspin.taxonomy import TECHNIQUES
    from unspin.train.common import base_model_dir
    from unspin.train.techniques import TechniqueTagger

    torch.set_num_threads(os.cpu_count() or 1)
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    if len(config.get("languages", [])) > 1:
        vocab = len(json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"])
        shape = BertConfig(
            vocab_size=vocab, hidden_size=384, num_hidden_layers=12, num_attention_heads=12,
            intermediate_size=1536, max_position_embeddings=512, type_vocab_size=2,
        )  # fmt: skip
        encoder: torch.nn.Module = BertModel(shape, add_pooling_layer=False)
        ckpt = ROOT / "build" / "cv" / "final-e5-small" / "model.pt"
        name = "e5-small (12 layers)"
    else:
        encoder = AutoModel.from_pretrained(str(base_model_dir()))
        ckpt = ROOT / "build" / "techniques" / "model.pt"
        name = "MiniLM-L6"
    model = TechniqueTagger(encoder, len(TECHNIQUES)).eval()
    note = f"{name}, same shapes as the shipped model (random weights)"
    if ckpt.exists():
        model.load_state_dict(torch.load(ckpt, map_location="cpu"), strict=False)
        note = f"{name}, trained checkpoint"

    def run(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            return model(torch.from_numpy(ids), torch.from_numpy(mask))[0].numpy()

    run.model = model  # type: ignore[attr-defined]
    return run, note


def onnxruntime_candidates(
    torch_model: object, tmp: Path
) -> dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]]:
    """ONNX Runtime fp32 and dynamic-int8 on the same graph: the engines we measured against."""
    try:
        import onnxruntime as ort
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError:
        return {}
    path = tmp / "model.onnx"
    example = (torch.ones(1, 16, dtype=torch.int64), torch.ones(1, 16, dtype=torch.int64))
    torch.onnx.export(
        torch_model,
        example,
        str(path),
        input_names=["input_ids", "attention_mask"],
        output_names=["logits", "hidden"],
        dynamic_axes={
            "input_ids": {0: "b", 1: "l"},
            "attention_mask": {0: "b", 1: "l"},
            "logits": {0: "b", 1: "l"},
            "hidden": {0: "b", 1: "l"},
        },
        opset_version=17,
        dynamo=False,
    )
    qpath = tmp / "model.int8.onnx"
    quantize_dynamic(str(path), str(qpath), weight_type=QuantType.QInt8)
    out = {}
    for name, p in (("onnxruntime fp32", path), ("onnxruntime int8 (dynamic)", qpath)):
        sess = ort.InferenceSession(str(p), providers=["CPUExecutionProvider"])
        out[name] = lambda i, m, s=sess: s.run(None, {"input_ids": i, "attention_mask": m})[0]
    return out


def cold_cli(runs: int) -> tuple[float, float]:
    """Median wall time of a whole `unspin analyze` process, and its own peak RSS in MB (wait4's rusage)."""
    exe = Path(sys.executable).with_name("unspin")
    times, rss = [], 0.0
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.Popen(
            [str(exe), "analyze", str(DEMO), "--format", "json"], stdout=subprocess.DEVNULL
        )
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - t)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"unspin analyze failed with exit code {proc.returncode}")
        rss = max(rss, usage.ru_maxrss / 1024)
    return statistics.median(times), rss


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--articles", type=int, default=100)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--no-serve", action="store_true", help="skip the server load test (~45 s)")
    ap.add_argument("--no-batch", action="store_true", help="skip the 200-article batch run")
    args = ap.parse_args()

    # First, while this process is small: a forked child's peak RSS counts the parent's pages until exec.
    cold, rss = cold_cli(5)

    from unspin.analyzer import Analyzer
    from unspin.data import semeval2023 as sd
    from unspin.encoder.windows import tokenize
    from unspin.options import RunOptions

    text = DEMO.read_text(encoding="utf-8")
    analyzer = Analyzer()
    tokens = tokenize(analyzer.encoder.tokenizer, text)
    win = analyzer.encoder.windows(tokens)
    print(
        f"demo article: {len(text)} chars, {len(tokens)} tokens, {len(win.starts)} windows x {win.input_ids.shape[1]}"
    )
    print(
        f"runtime: {analyzer.model_info.engine}, precision {analyzer.model_info.precision}, weights {analyzer.config.weights}"
    )

    figures: dict[str, float | str] = {}
    warm = median_ms(lambda: analyzer.analyze(text), args.runs)
    figures["warm_analyze_ms"] = warm

    def graph_pass(a: Analyzer) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
        return lambda ids, mask: a.encoder.graph.run({"input_ids": ids, "attention_mask": mask})[0]

    engines: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
        "openvino " + analyzer.encoder.graph.precision: graph_pass(analyzer)
    }
    engines["openvino f32 (portable path)"] = graph_pass(Analyzer(options=RunOptions(precision="f32")))
    baseline, note = torch_baseline(analyzer.model_dir)
    with tempfile.TemporaryDirectory() as tmp:
        engines.update(onnxruntime_candidates(baseline.model, Path(tmp)))  # type: ignore[attr-defined]
        engine_ms = {
            name: median_ms(lambda e=e: e(win.input_ids, win.attention_mask), args.runs)
            for name, e in engines.items()
        }
    base_ms = median_ms(lambda: baseline(win.input_ids, win.attention_mask), args.runs)

    print(
        f"\nencoder pass over the demo windows (median of {args.runs}); baseline: transformers + PyTorch fp32, {note}"
    )
    print(f"  {'transformers + pytorch fp32 (baseline)':40s} {base_ms:8.1f} ms   1.00x")
    for name, ms in engine_ms.items():
        print(f"  {name:40s} {ms:8.1f} ms  {base_ms / ms:5.2f}x")
    print(
        f"\nwarm analysis of the demo article (whole pipeline, median of {args.runs}): {warm:.1f} ms "
        f"= {base_ms / warm:.2f}x the baseline's encoder pass alone"
    )

    # The article heads (narratives, entities, roles, genre, frames) read the same pass: their cost is the
    # difference between the whole pipeline and the pipeline with them switched off, in this process.
    heads = analyzer.heads
    analyzer.heads = {"techniques": heads["techniques"]}
    techniques_only = median_ms(lambda: analyzer.analyze(text), args.runs)
    analyzer.heads = heads
    with_heads = median_ms(lambda: analyzer.analyze(text), args.runs)
    figures.update(techniques_only_ms=techniques_only, with_heads_ms=with_heads)
    print(
        f"article heads: techniques alone {techniques_only:.1f} ms, with narratives/entities/roles/genre/frames "
        f"{with_heads:.1f} ms = {with_heads / techniques_only:.2f}x (+{100 * (with_heads / techniques_only - 1):.0f}%)"
    )

    articles = sd.load_articles()[: args.articles]
    t = time.perf_counter()
    words = 0
    for art in articles:
        analyzer.analyze(art.text)
        words += len(art.text.split())
    dt = time.perf_counter() - t
    figures["articles_per_s"] = len(articles) / dt
    print(
        f"throughput: {len(articles)} SemEval articles ({words / len(articles):.0f} words avg) in {dt:.1f} s = "
        f"{len(articles) / dt:.2f} articles/s"
    )

    figures.update(
        cold_cli_s=cold,
        peak_rss_mb=rss,
        baseline_ms=base_ms,
        **{f"engine_ms[{k}]": v for k, v in engine_ms.items()},
    )
    print(f"cold CLI (`unspin analyze demo --format json`, median of 5): {cold:.2f} s; peak RSS {rss:.0f} MB")
    size = sum(p.stat().st_size for p in analyzer.model_dir.iterdir()) / 1e6
    print(f"model files: {size:.1f} MB")
    figures["model_mb"] = size
    import targets

    fig = targets.measure(
        base_ms, engine_ms["openvino " + analyzer.encoder.graph.precision], args.runs, not args.no_serve,
        not args.no_batch,
    )  # fmt: skip
    targets.report(fig)
    figures["targets"] = fig  # type: ignore[assignment]
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
