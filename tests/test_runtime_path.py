"""The analyze path never imports torch, transformers, scikit-learn or spaCy: users install the runtime without them."""

from __future__ import annotations

import subprocess
import sys

from conftest import DEMO


def test_analyze_never_imports_torch(tmp_path) -> None:  # type: ignore[no-untyped-def]
    code = (
        "import sys\n"
        "from unspin.cli import main\n"
        f"rc = main(['analyze', {str(DEMO)!r}, '-q', '-o', {str(tmp_path / 'a.json')!r}])\n"
        "assert rc == 0, rc\n"
        "bad = [m for m in ('torch', 'transformers', 'sentence_transformers', 'onnx', 'sklearn', 'spacy') if m in sys.modules]\n"
        "assert not bad, bad\n"
        "print('clean')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "clean" in out.stdout
    assert (tmp_path / "a.json").stat().st_size > 1000


def test_padding_does_not_change_the_encoder_output(analyzer) -> None:  # type: ignore[no-untyped-def]
    """A short window padded inside a batch gives the logits it gives alone (the exported graph masks)."""
    import numpy as np

    from unspin.encoder.openvino import Graph
    from unspin.encoder.windows import tokenize
    from unspin.options import RunOptions

    graph = Graph(analyzer.model_dir / "model.xml", RunOptions(precision="f32"))  # exact arithmetic

    def encoder(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return graph.run({"input_ids": ids, "attention_mask": mask})[0]

    tokenizer = analyzer.encoder.tokenizer
    long = tokenize(tokenizer, "The regime's shameless lies fooled nobody. " * 30)
    short = tokenize(tokenizer, "Brave heroes defend the motherland.")
    wl = analyzer.encoder.windows(long)
    ws = analyzer.encoder.windows(short)
    alone = encoder(ws.input_ids, ws.attention_mask)[0]
    n = ws.input_ids.shape[1]
    ids = np.zeros((2, wl.input_ids.shape[1]), dtype=np.int64)
    mask = np.zeros_like(ids)
    ids[0], mask[0] = wl.input_ids[0], wl.attention_mask[0]
    ids[1, :n], mask[1, :n] = ws.input_ids[0], ws.attention_mask[0]
    batched = encoder(ids, mask)[1, :n]
    assert np.abs(alone - batched).max() < 1e-3
