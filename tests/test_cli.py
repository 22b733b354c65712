"""The `unspin` command end to end: outputs, official formats, and one-sentence errors with stable codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import DEMO
from unspin.cli import main
from unspin.data import semeval2023 as sd

DATA = sd.default_data_dir() / "semeval2023-task3" / "en"


def test_analyze_writes_json_and_html_and_prints_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    js, page = tmp_path / "out" / "a.json", tmp_path / "out" / "a.html"
    assert main(["analyze", str(DEMO), "-o", str(js), "-o", str(page)]) == 0
    data = json.loads(js.read_text())
    assert data["text"] == DEMO.read_text(encoding="utf-8")
    assert data["source"]["kind"] == "file" and data["source"]["name"] == str(DEMO)
    assert len(data["paragraphs"]) == 12
    html = page.read_text()
    assert html.startswith("<!DOCTYPE html>") or html.lower().startswith("<!doctype html>")
    for span in data["spans"][:20]:
        assert data["text"][span["start"] : span["end"]] == span["text"]
    out = capsys.readouterr()
    assert "wrote" in out.err and "Traceback" not in out.err


def test_analyze_stdin_json(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io
    import sys

    text = "They are traitors and liars, every one of them.\nOur great nation will never surrender!"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    assert main(["analyze", "-", "--format", "json", "--title", "T"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["text"] == text and data["title"] == "T" and data["source"]["kind"] == "stdin"


@pytest.mark.parametrize(
    ("content", "args", "code", "words"),
    [
        (b"", [], 2, "empty"),
        (b"   \n\t \n", [], 2, "whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" * 20, [], 2, "binary"),
        (b"word " * 100, ["--max-bytes", "100"], 3, "limit"),
    ],
)
def test_bad_files_get_one_sentence_and_a_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, args: list[str], code: int, words: str
) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    assert main(["analyze", str(path), *args]) == code
    err = capsys.readouterr().err
    assert err.startswith("unspin: ") and words in err.lower()
    assert "Traceback" not in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("/nonexistent/article.txt", 2),
        ("ftp://example.org/a.txt", 3),
        ("file:///etc/passwd", 3),
        ("http://127.0.0.1:9/", 3),
        ("http://[::1]/", 3),
        ("http://localhost/", 3),
    ],
)
def test_refused_and_missing_sources(source: str, code: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", source]) == code
    err = capsys.readouterr().err
    assert err.startswith("unspin: ") and "Traceback" not in err


def test_usage_error_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze"]) == 2
    assert main(["frobnicate"]) == 2


@pytest.mark.skipif(not DATA.is_dir(), reason="needs ../shared/data")
def test_export_semeval2023_st3_official_format(tmp_path: Path) -> None:
    arts = tmp_path / "articles"
    arts.mkdir()
    ids = ["111111111", "111111112"]
    for aid in ids:
        shutil.copy(DATA / "train-articles-subtask-3" / f"article{aid}.txt", arts)
    (arts / "article999.txt").write_text("Title line\n\nFirst paragraph.\n\n", encoding="utf-8")
    out = tmp_path / "preds.txt"
    assert main(["export", "semeval2023-st3", str(arts), "-o", str(out)]) == 0
    lines = out.read_text().splitlines()
    expected = []
    for aid in [*ids, "999"]:
        text = (arts / f"article{aid}.txt").read_text(encoding="utf-8")
        expected += [(aid, str(n)) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    assert [tuple(line.split("\t")[:2]) for line in lines] == expected
    from unspin.taxonomy import TECHNIQUES

    for line in lines:
        parts = line.split("\t")
        assert len(parts) == 3
        assert all(t in TECHNIQUES for t in parts[2].split(",") if t)


@pytest.mark.skipif(not DATA.is_dir(), reason="needs ../shared/data")
def test_evaluate_prints_metrics(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A three-article copy of the release keeps this fast; the real run is `unspin evaluate semeval2023`.
    mini = tmp_path / "en"
    (mini / "train-articles-subtask-3").mkdir(parents=True)
    (mini / "train-labels-subtask-3-spans").mkdir()
    keep = ["111111111", "111111112", "111111113"]
    for aid in keep:
        shutil.copy(
            DATA / "train-articles-subtask-3" / f"article{aid}.txt", mini / "train-articles-subtask-3"
        )
        name = f"article{aid}-labels-subtask-3.txt"
        shutil.copy(DATA / "train-labels-subtask-3-spans" / name, mini / "train-labels-subtask-3-spans")
    labels = [
        ln
        for ln in (DATA / "train-labels-subtask-3.txt").read_text().splitlines()
        if ln.split("\t")[0] in keep
    ]
    (mini / "train-labels-subtask-3.txt").write_text("\n".join(labels) + "\n")
    assert main(["evaluate", "semeval2023", "--data", str(mini), "--split", "all", "--json"]) == 0
    m = json.loads(capsys.readouterr().out)
    assert m["n_articles"] == 3 and m["n_paragraphs"] == len(labels)
    # The figures agree with each other and with the gold file (a scorer that miscounts fails here).
    p, r = m["paragraph_micro_precision"], m["paragraph_micro_recall"]
    assert m["paragraph_micro_f1"] == pytest.approx(2 * p * r / (p + r))
    gold = sum(len([t for t in ln.split("\t")[2].split(",") if t]) for ln in labels)
    assert sum(v["support"] for v in m["per_technique"].values()) == gold
    supported = [v["f1"] for v in m["per_technique"].values() if v["support"]]
    assert m["paragraph_macro_f1"] in (
        pytest.approx(sum(supported) / len(supported)),
        pytest.approx(sum(v["f1"] for v in m["per_technique"].values()) / len(m["per_technique"])),
    )
    assert 0.0 < m["paragraph_micro_f1"] < 1.0 and 0.0 < m["span_f1"] < 1.0  # finds some, not all


def test_unreachable_url_is_a_network_error(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as s:  # a loopback port with nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert main(["analyze", f"http://127.0.0.1:{port}/story", "--allow-private", "--timeout", "2"]) == 4
    err = capsys.readouterr().err
    assert err.startswith("unspin: ") and "127.0.0.1" in err and "Traceback" not in err


@pytest.mark.skipif(not DATA.is_dir(), reason="needs ../shared/data")
def test_evaluate_takes_a_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "semeval2023", "--lang", "ru", "--json"]) == 0
    m = json.loads(capsys.readouterr().out)
    ru = sd.load_articles(lang="ru")
    assert m["language"] == "ru" and m["n_articles"] == len(sd.split(ru)[1])
    assert main(["evaluate", "semeval2023-genre", "--lang", "ru", "--json"]) == 0
    g = json.loads(capsys.readouterr().out)
    assert g["language"] == "ru" and g["articles"] == m["n_articles"]
