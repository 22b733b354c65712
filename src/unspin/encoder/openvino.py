"""The graphs on OpenVINO: compile once with the run options, run batches of windows.

OpenVINO was chosen by measurement (``make bench``, README): on CPUs with AMX/AVX512-BF16 it runs the
graph in bf16 and beats ONNX Runtime's int8 path several times; on other CPUs it falls back to f32 by
itself, so one artifact serves both (``--precision f32`` or ``UNSPIN_PRECISION=f32`` forces the portable
path).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from unspin.options import RunOptions


def compile_properties(core: Any, options: RunOptions) -> dict[str, object]:
    """OpenVINO CPU properties shared by every unspin graph (the technique encoder and the similarity
    encoder alike): latency hint, bf16 where the CPU has it (``options.precision``: auto | bf16 | f32),
    ``options.threads``, and the compile cache."""
    precision, threads = options.precision, options.threads
    props: dict[str, object] = {"PERFORMANCE_HINT": "LATENCY"}
    caps = core.get_property("CPU", "OPTIMIZATION_CAPABILITIES")
    if precision == "f32" or (precision == "auto" and "BF16" not in caps):
        props["INFERENCE_PRECISION_HINT"] = "f32"
        # f32 means the same numbers on every CPU: on CPUs with VNNI/AMX, OpenVINO would otherwise quantize
        # the activations of int8-weight layers on the fly (scores move by up to ~0.006).
        props["DYNAMIC_QUANTIZATION_GROUP_SIZE"] = 0
    elif precision in ("bf16", "auto"):
        props["INFERENCE_PRECISION_HINT"] = "bf16"
    else:
        raise ValueError(f"unknown precision {precision!r}: use auto, bf16 or f32")
    if threads:
        props["INFERENCE_NUM_THREADS"] = threads
    cache = compile_cache_dir()
    if cache is not None:
        props["CACHE_DIR"] = str(cache)
    return props


def compile_cache_dir() -> Path | None:
    """Where OpenVINO keeps compiled blobs, so later runs skip compilation (a faster cold start).

    ``$UNSPIN_CACHE_DIR``, else ``$XDG_CACHE_HOME/unspin/openvino`` (``~/.cache/...``); an empty
    ``UNSPIN_CACHE_DIR`` or an unwritable location disables it.
    """
    env = os.environ.get("UNSPIN_CACHE_DIR")
    if env == "":
        return None
    base = (
        Path(env)
        if env
        else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "unspin" / "openvino"
    )
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return base if os.access(base, os.W_OK) else None


class Graph:
    """One compiled OpenVINO graph on the CPU, with the run options' precision and threads."""

    def __init__(self, xml: Path, options: RunOptions) -> None:
        import openvino as ov  # imported here so that `unspin --help` stays fast

        core = ov.Core()
        self.properties = compile_properties(core, options)
        self.compiled = core.compile_model(core.read_model(str(xml)), "CPU", self.properties)
        self.request = self.compiled.create_infer_request()
        self.precision = str(self.properties["INFERENCE_PRECISION_HINT"])
        self.threads = int(self.compiled.get_property("INFERENCE_NUM_THREADS"))
        self.engine = f"openvino {ov.__version__.split('-')[0]} CPU"

    def run(self, inputs: dict[str, np.ndarray]) -> list[np.ndarray]:
        """Every output of the graph for one batch, as float32 arrays."""
        result = self.request.infer(inputs)
        return [np.asarray(result[out], dtype=np.float32) for out in self.compiled.outputs]
