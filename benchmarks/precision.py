"""Which weight format and compute precision to ship: held-out F1 and speed of exported variants.

Usage: python benchmarks/precision.py MODEL_DIR [MODEL_DIR ...]
Each MODEL_DIR is an export of the same checkpoint (``python -m unspin.train.export --weights ...``). Every
variant is scored with the decoder stored in it (thresholds tuned on the fp16 export's PyTorch twin), on
the held-out articles, in bf16 and f32 compute; the encoder pass over the demo article is timed in the
same process.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from unspin.analyzer import Analyzer
from unspin.data import semeval2023 as sd
from unspin.encoder.windows import tokenize
from unspin.evaluate.semeval2023 import runtime_predict, score
from unspin.options import RunOptions

DEMO = Path(__file__).resolve().parents[1] / "examples" / "khabarovsk-opinion.txt"


def main(dirs: list[str]) -> int:
    _, held = sd.split(sd.load_articles())
    text = DEMO.read_text(encoding="utf-8")
    print(
        f"{'variant':28s} {'compute':8s} {'MB':>6s} {'micro-F1':>9s} {'macro-F1':>9s} {'span F1':>8s} {'demo ms':>8s}"
    )
    for d in dirs:
        size = sum(p.stat().st_size for p in Path(d).iterdir() if p.suffix in (".bin", ".xml", ".npz")) / 1e6
        for precision in ("bf16", "f32"):
            a = Analyzer(model_dir=d, options=RunOptions(precision=precision))
            m = score(held, runtime_predict(a), list(a.techniques.labels), a.techniques)
            win = a.encoder.windows(tokenize(a.encoder.tokenizer, text))
            inputs = {"input_ids": win.input_ids, "attention_mask": win.attention_mask}
            for _ in range(3):
                a.encoder.graph.run(inputs)
            times = []
            for _ in range(20):
                t = time.perf_counter()
                a.encoder.graph.run(inputs)
                times.append((time.perf_counter() - t) * 1000)
            print(
                f"{Path(d).name:28s} {precision:8s} {size:6.1f} {m['paragraph_micro_f1']:9.4f} "
                f"{m['paragraph_macro_f1']:9.4f} {m['span_f1']:8.4f} {statistics.median(times):8.1f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
