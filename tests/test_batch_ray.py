"""The Ray engine, for real, on a local Ray with 2 CPUs: the same output as the local engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from test_batch_support import articles, stable_lines, write_jsonl
from unspin.batch import BatchOptions, run_batch
from unspin.options import RunOptions

ray = pytest.importorskip("ray")
# Ray Data's own context touches its deprecated options; not ours to fix
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def test_ray_and_local_outputs_match(local_ray: None, tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "feed.jsonl", articles(6, paragraphs=2), ('{"text": "  "}',))
    common = {
        "inputs": [str(feed)],
        "run": RunOptions(threads=1, match_claims=False),
        "chunk": 2,
        "progress": "none",
    }
    on_ray = run_batch(BatchOptions(outdir=tmp_path / "ray", engine="ray", workers=2, **common))  # type: ignore[arg-type]
    local = run_batch(BatchOptions(outdir=tmp_path / "local", workers=2, **common))  # type: ignore[arg-type]
    assert (on_ray.analyzed, on_ray.rejected, on_ray.tables) == (local.analyzed, local.rejected, local.tables)
    assert on_ray.analyzed == 6
    # same records, same order, same analyses (minus wall-clock fields)
    assert stable_lines(tmp_path / "ray") == stable_lines(tmp_path / "local")
    for name in ("rejects.jsonl", "spans.parquet"):
        assert (tmp_path / "ray" / name).exists()
    assert (tmp_path / "ray" / "rejects.jsonl").read_text() == (
        tmp_path / "local" / "rejects.jsonl"
    ).read_text()
