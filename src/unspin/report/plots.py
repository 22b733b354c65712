"""Static plots for the corpus report: matplotlib to SVG, embedded as ``data:`` URIs (no CDN, no script).

SVG stays sharp at any zoom and is small for these charts. ``svg.hashsalt`` and a fixed date in the
metadata make the same data give the same bytes, so two reports of one corpus diff cleanly.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # no display, ever: reports are built on servers and in CI

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

matplotlib.rcParams.update({"svg.hashsalt": "unspin", "svg.fonttype": "none", "font.size": 9})

# Okabe-Ito, then Tol: distinguishable under the common colour-vision deficiencies (as in render/html.py).
COLOURS = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#F0E442",
    "#000000",
    "#332288",
    "#882255",
)


def to_data_uri(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def heatmap(
    values: Sequence[Sequence[float | None]], rows: Sequence[str], cols: Sequence[str], title: str
) -> str:
    """Rows × columns of shares (0-1), each cell labelled with its percentage; None is an empty cell."""
    fig, ax = plt.subplots(figsize=(1.6 + 0.9 * len(cols), 0.9 + 0.32 * len(rows)))
    grid = [[float("nan") if v is None else v for v in row] for row in values]
    top = max(0.01, max((v for r in values for v in r if v), default=1))
    ax.imshow(grid, cmap="Oranges", vmin=0.0, vmax=top, aspect="auto")
    ax.set_xticks(range(len(cols)), labels=list(cols), rotation=30, ha="right")
    ax.set_yticks(range(len(rows)), labels=list(rows))
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            if v:
                ink = "white" if v > 0.6 * top else "black"  # readable on the darkest cells
                ax.text(j, i, f"{100 * v:.0f}%", ha="center", va="center", fontsize=8, color=ink)
    ax.set_title(title, loc="left")
    return to_data_uri(fig)


def lines(
    series: dict[str, dict[str, float]],
    x: Sequence[str],
    title: str,
    ylabel: str,
    share: bool,
    fill: bool | None = None,
) -> str:
    """One line per series over the periods ``x``. ``share``: values are 0-1, drawn as percentages.
    ``fill`` (default: ``share``): a missing value is 0, else a gap."""
    fill = share if fill is None else fill
    fig, ax = plt.subplots(figsize=(8, 3.2))
    for n, (name, points) in enumerate(series.items()):
        # a share missing for a period means none of its articles: 0, not a gap (a rate stays a gap)
        ys = [points.get(p, 0.0 if fill else None) for p in x]
        ys_plot = [float("nan") if y is None else (100 * y if share else y) for y in ys]
        ax.plot(range(len(x)), ys_plot, marker="o", markersize=3, label=name, color=COLOURS[n % len(COLOURS)])
    step = max(1, len(x) // 12)  # at most ~12 labels: the rest would overlap
    ax.set_xticks(range(0, len(x), step), labels=list(x)[::step], rotation=30, ha="right")
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    ax.set_title(title, loc="left")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    return to_data_uri(fig)


def bars(values: dict[str, float], title: str, xlabel: str) -> str:
    """Horizontal bars, in the given order, top to bottom."""
    names = list(values)
    fig, ax = plt.subplots(figsize=(6, 0.6 + 0.3 * len(names)))
    ax.barh(range(len(names)), [values[n] for n in names], color=COLOURS[0])
    ax.set_yticks(range(len(names)), labels=names)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_title(title, loc="left")
    return to_data_uri(fig)


def side_by_side(
    outlets: Sequence[str],
    left: tuple[str, Sequence[str], Sequence[Sequence[float | None]]],
    right: tuple[str, Sequence[str], Sequence[Sequence[float | None]]],
) -> str:
    """Two heatmaps sharing their rows (the outlets): ``(title, column labels, rows × columns shares)``
    each; e.g. the technique mix beside the narratives, the first thing to compare outlets by."""
    widths = [max(1, len(left[1])), max(1, len(right[1]))]
    fig, axes = plt.subplots(
        1,
        2,
        figsize=(2.2 + 0.55 * sum(widths), 1.6 + 0.38 * len(outlets)),
        gridspec_kw={"width_ratios": widths},
    )
    for n, (ax, (title, cols, grid)) in enumerate(zip(axes, (left, right), strict=True)):
        values = [[float("nan") if v is None else v for v in row] for row in grid]
        top = max(0.01, max((v for row in grid for v in row if v), default=1))
        ax.imshow(values, cmap="Oranges" if n == 0 else "Blues", vmin=0.0, vmax=top, aspect="auto")
        ax.set_xticks(range(len(cols)), labels=list(cols), rotation=40, ha="right")
        ax.set_yticks(range(len(outlets)), labels=list(outlets) if n == 0 else [""] * len(outlets))
        for i, row in enumerate(grid):
            for j, v in enumerate(row):
                if v:
                    ax.text(j, i, f"{100 * v:.0f}", ha="center", va="center", fontsize=7,
                            color="white" if v > 0.6 * top else "black")  # fmt: skip
        ax.set_title(title, loc="left")
    return to_data_uri(fig)


def counts(periods: Sequence[str], values: Sequence[int], title: str) -> str:
    """Articles per period: how much each point of the trends stands on."""
    fig, ax = plt.subplots(figsize=(8, 1.8))
    ax.bar(range(len(periods)), values, color=COLOURS[0])
    for i, v in enumerate(values):
        ax.text(i, v, str(v), ha="center", va="bottom", fontsize=7)
    step = max(1, len(periods) // 12)
    ax.set_xticks(range(0, len(periods), step), labels=list(periods)[::step], rotation=30, ha="right")
    ax.set_ylabel("articles")
    ax.set_title(title, loc="left")
    ax.margins(y=0.25)
    return to_data_uri(fig)
