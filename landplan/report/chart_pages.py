"""The atlas's chart pages, drawn with matplotlib from :mod:`landplan.chart_data` (the page draws
the same data with Altair): per target group each figure against its target, the districts'
coverage by the parks in effect, and the progress ledger's figures over time."""

from __future__ import annotations

import pandas as pd

from ..chart_data import (
    BASES,
    BASIS_COLORS,
    SHARE_CAP,
    basis_words,
    coverage_bars,
    ledger_series,
    target_figures,
)
from ..present.text import text
from .layout import MARGIN, PAGE_H, PAGE_W, _Atlas, _wrap

ROW_H = 0.2  # inches per target or district row
LABEL_W = 2.9  # inches of row labels left of the bars
HATCH = {"indicative": "////"}  # an indicative extent is hatched, as indicative outlines are


def _axes(a: _Atlas, height: float, left: float = LABEL_W, right: float = 1.1):
    """An axes of ``height`` inches under the cursor (a new page if it does not fit), the row
    labels in ``left`` inches before it and room for the figures' words after it."""
    if a.room() < height + 0.1:
        a.continue_page()
    width = PAGE_W - 2 * MARGIN - left - right
    ax = a.fig.add_axes(
        [
            (MARGIN + left) / PAGE_W,
            (a.y - height + 0.35) / PAGE_H,  # the axis' ticks and title below
            width / PAGE_W,
            (height - 0.4) / PAGE_H,
        ]
    )
    a.y -= height + 0.1
    ax.tick_params(labelsize=6.5, length=2)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax


def _legend(a: _Atlas, bases) -> None:
    """The bases used, as coloured patches in one line."""
    from matplotlib.patches import Patch

    words = basis_words(a.d.lang)
    handles = [
        Patch(
            facecolor=BASIS_COLORS[b],
            hatch=HATCH.get(b, ""),
            edgecolor="0.4",
            linewidth=0.4,
            label=words[b],
        )
        for b in BASES
        if b in set(bases) and b != "unknown"  # no bar: its words stand in the chart
    ]
    a.fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(MARGIN / PAGE_W, a.y / PAGE_H),
        ncol=len(handles),
        fontsize=6.5,
        frameon=False,
        handlelength=1.6,
        columnspacing=1.2,
    )
    a.y -= 0.28


def _label(s: str, size: float = 6.5) -> str:
    """A row label in at most two lines of the label column."""
    lines = _wrap(s, LABEL_W - 0.15, size)
    return "\n".join(lines[:2]) + ("…" if len(lines) > 2 else "")


def _targets_group(a: _Atlas, rows: pd.DataFrame) -> None:
    """One group's targets: a bar per figure (its share of the target), the target marked."""
    from matplotlib.patches import Rectangle

    c = text(a.d.lang)["charts"]
    order = list(dict.fromkeys(rows.sort_values("order")["target_id"]))
    height = ROW_H * len(order) + 0.45
    if a.room() < height + 0.35:  # the group's name stays with its chart
        a.continue_page()
    a.text(rows["group_label"].iloc[0], 8.5, bold=True, gap=0.02)
    ax = _axes(a, height)
    for i, tid in enumerate(order):
        figs = rows[rows["target_id"] == tid]
        n = len(figs)
        h = 0.78 / n
        for k, f in enumerate(figs.itertuples()):
            y = i + (k - (n - 1) / 2) * h
            ax.barh(
                y,
                f.shown_pct,
                height=h * 0.92,
                color=BASIS_COLORS[f.basis],
                hatch=HATCH.get(f.basis, ""),
                edgecolor="0.35" if f.decides else "0.6",
                linewidth=0.8 if f.decides else 0.3,
            )
            ax.text(
                f.shown_pct + 2, y, f.value_text, va="center", fontsize=5.5, clip_on=False,
                bbox={"facecolor": "white", "alpha": 0.75, "pad": 0.4, "linewidth": 0},
            )  # fmt: skip
        t = figs.iloc[0]
        if t["low_pct"] != t["high_pct"]:
            ax.add_patch(
                Rectangle((t["low_pct"], i - 0.45), t["high_pct"] - t["low_pct"], 0.9,
                          fill=False, edgecolor="black", linestyle=(0, (3, 2)), linewidth=0.6)
            )  # fmt: skip
        ax.plot([100, 100], [i - 0.45, i + 0.45], color="black", lw=1.2)
    labels = [rows[rows["target_id"] == tid]["label"].iloc[0] for tid in order]
    ax.set_yticks(range(len(order)), [_label(s) for s in labels])
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_xlim(0, SHARE_CAP)
    ax.set_xticks([0, 25, 50, 75, 100, 125, 150], ["0", "25", "50", "75", "100", "125", "150+"])
    ax.set_xlabel(c["share_axis"], fontsize=6.5, labelpad=1)
    ax.grid(axis="x", color="0.9", lw=0.4)
    ax.set_axisbelow(True)


def _coverage(a: _Atlas) -> None:
    """The districts in focus: the share of each the parks in effect cover."""
    d = a.d
    c = text(d.lang)["charts"]
    bars = coverage_bars(d.coverage, d.plan.precisions(), d.lang)
    if a.room() < ROW_H * len(bars) + 1.3:  # the title and legend stay with the chart
        a.continue_page()
    a.text(c["coverage_title"], 10, bold=True, gap=0.04)
    _legend(a, bars["basis"])
    ax = _axes(a, ROW_H * len(bars) + 0.45, left=1.6, right=1.6)
    for i, r in enumerate(bars.itertuples()):
        ax.barh(i, r.covered_pct, height=0.7, color=BASIS_COLORS[r.basis],
                hatch=HATCH.get(r.basis, ""), edgecolor="0.5", linewidth=0.3)  # fmt: skip
        ax.text(r.covered_pct, i, " " + r.value_text, va="center", fontsize=5.5, clip_on=False)
    ax.set_yticks(range(len(bars)), list(bars["label"]))
    ax.set_ylim(len(bars) - 0.5, -0.5)
    ax.set_xlim(0, max(10.0, float(bars["covered_pct"].max() or 0) * 1.15))
    ax.set_xlabel(c["coverage_axis"], fontsize=6.5, labelpad=1)
    a.text(c["coverage_note"], 6.5, color="0.25")


def _ledger(a: _Atlas) -> None:
    """Each target in focus with entries in the ledger: its figures over time against its value
    and year, two charts a row."""
    import matplotlib.dates as mdates

    d = a.d
    c = text(d.lang)["charts"]
    if a.room() < 2.8:  # the title stays with the first chart
        a.continue_page()
    a.text(c["ledger_title"], 10, bold=True, gap=0.04)
    entries = d.plan.progress
    targets = d.targets.set_index("target_id", drop=False)
    tids = [] if entries is None else [t for t in targets.index if t in set(entries["target_id"])]
    if not tids:
        a.text(c["no_entries"], 8)
        return
    pad, gap, h = 0.5, 0.45, 1.7  # room for the value axis' words; between the two; height
    w = (PAGE_W - 2 * MARGIN - 2 * pad - gap) / 2
    for k, tid in enumerate(tids):
        s = ledger_series(entries, targets.loc[tid].to_dict(), d.lang)
        if k % 2 == 0:
            if a.room() < h + 1.0:
                a.continue_page()
            top = a.y
            a.y -= h + 1.0  # the title above, the axis and the target's words below
        x0 = MARGIN + pad + (k % 2) * (w + pad + gap)
        ax = a.fig.add_axes([x0 / PAGE_W, (top - h - 0.3) / PAGE_H, w / PAGE_W, h / PAGE_H])
        ax.tick_params(labelsize=6, length=2)
        ax.set_title("\n".join(_wrap(s.label, w, 7)[:2]), fontsize=7, loc="left")
        dates = pd.to_datetime(s.points["as_of"])
        live = s.points["in_force"].to_numpy(dtype=bool)
        color = BASIS_COLORS["reported"]
        ax.plot(dates[live], s.points["value"][live], color=color, lw=1, marker="o", ms=3.5)
        if (~live).any():
            ax.plot(dates[~live], s.points["value"][~live], ls="none", marker="o", ms=3.5,
                    mfc="white", mec=color)  # fmt: skip
        if s.low != s.high:
            ax.axhspan(s.low, s.high, color="black", alpha=0.12, lw=0)
        ax.axhline(s.high, color="black", lw=0.8, ls="--")
        span = list(dates)
        if s.year_end:
            end = pd.Timestamp(s.year_end)
            ax.axvline(end, color="#b2182b", lw=0.8, ls=":")
            ax.text(end, 0.99, c["target_year"].format(year=s.year_end[:4]) + " ",
                    transform=ax.get_xaxis_transform(), fontsize=5.5, color="#b2182b",
                    va="top", ha="right")  # fmt: skip
            span.append(end)
        lo, hi = min(span), max(span)
        margin = max(pd.Timedelta(days=120), (hi - lo) * 0.08)  # months apart on the axis
        ax.set_xlim(lo - margin, hi + margin)
        ax.set_ylim(0, max([s.high, *s.points["value"].dropna()]) * 1.15 or 1)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=5))
        ax.set_ylabel(c["value_axis"].format(unit=s.unit_text), fontsize=6)
        ax.text(0, -0.24, s.target_text, transform=ax.transAxes, fontsize=6, color="0.3")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    a.text(text(d.lang)["ledger"]["page"]["chart"], 6.5, color="0.25")


def _chart_pages(a: _Atlas) -> None:
    """The charts: the targets' figures against their values by group, the districts' coverage,
    the ledger over time."""
    d = a.d
    c = text(d.lang)["charts"]
    sep = "：" if d.lang == "zh" else ": "
    a.new_page(f"{c['page_title']}{sep}{d.scope_name()}")
    figs = target_figures(d.targets, d.lang)
    if len(figs):
        a.text(c["targets_title"], 10, bold=True, gap=0.04)
        _legend(a, figs["basis"])
        for group in dict.fromkeys(figs.sort_values("order")["group_label"]):
            _targets_group(a, figs[figs["group_label"] == group])
        a.text(c["targets_note"], 6.5, color="0.25", gap=0.2)
    _coverage(a)
    a.y -= 0.15
    _ledger(a)
