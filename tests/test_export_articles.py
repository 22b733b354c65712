"""Official formats of the article heads (SemEval-2025 subtasks 1-2, SemEval-2023 subtasks 1-2) and their
evaluation on small copies of the releases."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from unspin.cli import main
from unspin.data.semeval2023 import default_data_dir
from unspin.taxonomy import frames as frame_tax
from unspin.taxonomy import narratives as narr_tax
from unspin.taxonomy import roles as role_tax

DATA25 = default_data_dir() / "semeval2025-task10" / "EN"
DATA23 = default_data_dir() / "semeval2023-task3" / "en"
needs25 = pytest.mark.skipif(not DATA25.is_dir(), reason="needs ../shared/data")
needs23 = pytest.mark.skipif(not DATA23.is_dir(), reason="needs ../shared/data")


def _mini25(tmp_path: Path, n: int = 3) -> tuple[Path, list[str]]:
    """A copy of the release with the first n documents that have role annotations."""
    ann = (DATA25 / "subtask-1-annotations.txt").read_text(encoding="utf-8").splitlines()
    docs = list(dict.fromkeys(line.split("\t")[0] for line in ann))[:n]
    root = tmp_path / "EN"
    (root / "raw-documents").mkdir(parents=True)
    for d in docs:
        shutil.copy(DATA25 / "raw-documents" / d, root / "raw-documents" / d)
    for name in ("subtask-1-annotations.txt", "subtask-2-annotations.txt"):
        lines = (DATA25 / name).read_text(encoding="utf-8").splitlines()
        (root / name).write_text(
            "\n".join(x for x in lines if x.split("\t")[0] in docs) + "\n", encoding="utf-8"
        )
    return root, docs


@needs25
def test_export_semeval2025_st2_official_format(tmp_path: Path) -> None:
    root, docs = _mini25(tmp_path)
    out = tmp_path / "st2.txt"
    assert main(["export", "semeval2025-st2", str(root / "raw-documents"), "-o", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [x.split("\t")[0] for x in lines] == sorted(docs)
    for line in lines:
        _, narrs, subs = line.split("\t")
        narr_list, sub_list = narrs.split(";"), subs.split(";")
        if narr_list == ["Other"]:
            assert sub_list == ["Other"]
            continue
        assert all(n in narr_tax.NARRATIVES for n in narr_list)
        assert all(s in narr_tax.SUBNARRATIVES and narr_tax.parent(s) in narr_list for s in sub_list)
        assert all(any(narr_tax.parent(s) == n for s in sub_list) for n in narr_list)


@needs25
def test_export_semeval2025_st1_appends_roles_to_each_mention(tmp_path: Path) -> None:
    root, _ = _mini25(tmp_path)
    gold = (root / "subtask-1-annotations.txt").read_text(encoding="utf-8").splitlines()
    mentions = tmp_path / "mentions.txt"
    mentions.write_text("\n".join("\t".join(g.split("\t")[:4]) for g in gold) + "\n", encoding="utf-8")
    out = tmp_path / "st1.txt"
    assert (
        main(
            [
                "export",
                "semeval2025-st1",
                str(root / "raw-documents"),
                "--mentions",
                str(mentions),
                "-o",
                str(out),
            ]
        )
        == 0
    )
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(gold)
    for line, g in zip(lines, gold, strict=True):
        parts = line.split("\t")
        assert parts[:4] == g.split("\t")[:4], "input lines come back in order, untouched"
        main_role, fines = parts[4], parts[5:]
        assert main_role in role_tax.MAIN_ROLES and fines
        assert all(role_tax.FINE_ROLES[f] == main_role for f in fines)


@needs25
def test_export_semeval2025_st1_reports_the_bad_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, docs = _mini25(tmp_path, 1)
    mentions = tmp_path / "mentions.txt"
    mentions.write_text(f"{docs[0]}\tRussia\t0\t5\n{docs[0]}\tbroken line\n", encoding="utf-8")
    code = main(
        [
            "export",
            "semeval2025-st1",
            str(root / "raw-documents"),
            "--mentions",
            str(mentions),
            "-o",
            str(tmp_path / "x.txt"),
        ]
    )
    assert code == 2
    assert "mentions.txt:2" in capsys.readouterr().err
    assert (
        main(["export", "semeval2025-st1", str(root / "raw-documents"), "-o", str(tmp_path / "x.txt")]) == 2
    )


@needs23
@pytest.mark.parametrize("fmt", ["semeval2023-st1", "semeval2023-st2"])
def test_export_semeval2023_genre_and_frames(tmp_path: Path, fmt: str) -> None:
    arts = tmp_path / "articles"
    arts.mkdir()
    ids = ["111111111", "111111112"]
    for aid in ids:
        shutil.copy(DATA23 / "train-articles-subtask-1" / f"article{aid}.txt", arts)
    out = tmp_path / "preds.txt"
    assert main(["export", fmt, str(arts), "-o", str(out)]) == 0
    rows = [line.split("\t") for line in out.read_text().splitlines()]
    assert [r[0] for r in rows] == ids and all(len(r) == 2 for r in rows)
    for r in rows:
        labels = r[1].split(",")
        allowed = frame_tax.GENRES if fmt == "semeval2023-st1" else frame_tax.FRAMES
        assert labels and all(x in allowed for x in labels)
        if fmt == "semeval2023-st1":
            assert len(labels) == 1


@needs25
def test_evaluate_semeval2025_on_a_small_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, docs = _mini25(tmp_path)
    assert main(["evaluate", "semeval2025", "--data", str(root), "--split", "all", "--json"]) == 0
    m = json.loads(capsys.readouterr().out)
    n_mentions = len((root / "subtask-1-annotations.txt").read_text().splitlines())
    assert m["narratives"]["documents"] == len(docs)
    assert m["roles"]["mentions"] == n_mentions
    for v in (
        m["narratives"]["fine_f1"],
        m["roles"]["main_role_accuracy"],
        m["entity_detection_recall"]["overlap"],
    ):
        assert 0.0 <= v <= 1.0


@needs23
@pytest.mark.parametrize("task", ["semeval2023-genre", "semeval2023-frames"])
def test_evaluate_semeval2023_articles_on_a_small_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], task: str
) -> None:
    mini = tmp_path / "en"
    (mini / "train-articles-subtask-1").mkdir(parents=True)
    keep = ["111111111", "111111112", "111111113"]
    for aid in keep:
        shutil.copy(
            DATA23 / "train-articles-subtask-1" / f"article{aid}.txt", mini / "train-articles-subtask-1"
        )
    for name in ("train-labels-subtask-1.txt", "train-labels-subtask-2.txt"):
        lines = (DATA23 / name).read_text().splitlines()
        (mini / name).write_text("\n".join(x for x in lines if x.split("\t")[0] in keep) + "\n")
    assert main(["evaluate", task, "--data", str(mini), "--split", "all", "--json"]) == 0
    m = json.loads(capsys.readouterr().out)
    assert m["articles"] == 3
    key = "macro_f1" if task == "semeval2023-genre" else "micro_f1"
    assert 0.0 <= m[key] <= 1.0
