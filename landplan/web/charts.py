"""The page's charts (Altair, which ships with Streamlit), drawn from :mod:`landplan.chart_data`:
the targets' figures against their values, one target's ledger over time, the districts' coverage.
The atlas draws the same data with matplotlib (:mod:`landplan.report.chart_pages`)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..chart_data import BASES, BASIS_COLORS, SHARE_CAP, LedgerSeries, basis_words
from ..present.text import text

#: the fonts the charts ask for (Chinese first: the browser's Noto Sans CJK)
FONT = "Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Zen Hei, sans-serif"
_ROW = 22  # pixels per target row
_FRAME = 200  # pixels of a chart's title, legend and axis (its height is the whole chart's)


def _colors(lang: str, used) -> alt.Scale:
    words = basis_words(lang)
    shown = [b for b in BASES if b in set(used)]
    return alt.Scale(domain=[words[b] for b in shown], range=[BASIS_COLORS[b] for b in shown])


def _legend(title: str) -> alt.Legend:
    """The bases' legend, above the chart (its words whole)."""
    return alt.Legend(title=title, orient="top", labelLimit=400, direction="horizontal")


def _fonts(chart):
    return chart.configure(font=FONT).configure_axis(labelFont=FONT, titleFont=FONT)


def targets_charts(figs: pd.DataFrame, lang: str = "zh") -> list:
    """One chart per target group (the city, a district): a bar per figure, its share of the
    target's value, coloured by its basis; the target marked (about: 95–100 %; a range: its
    bounds); a target without a figure says so.

    Parameters
    ----------
    figs : pandas.DataFrame
        :func:`landplan.chart_data.target_figures`.
    lang : {'zh', 'en'}, default 'zh'

    Returns
    -------
    list of altair.LayerChart
    """
    c = text(lang)["charts"]
    color = _colors(lang, figs["basis"][figs["basis"] != "unknown"])
    x_scale = alt.Scale(domain=[0, SHARE_CAP], clamp=True)
    x = alt.X("shown_pct:Q", title=c["share_axis"], scale=x_scale)
    charts = []
    for group in dict.fromkeys(figs.sort_values("order")["group_label"]):
        rows = figs[figs["group_label"] == group]
        labels = list(dict.fromkeys(rows.sort_values("order")["label"]))
        y = alt.Y("label:N", sort=labels, title=None, axis=alt.Axis(labelLimit=420))
        known = rows[rows["basis"] != "unknown"]
        kinds = list(dict.fromkeys(known["figure"]))  # a row of a target holds one band of each
        offset = alt.YOffset("figure:N", scale=alt.Scale(domain=kinds or ["none"]))
        bars = (
            alt.Chart(known)
            .mark_bar(height={"band": 0.85})
            .encode(
                x=x,
                y=y,
                yOffset=offset,
                color=alt.Color("basis_label:N", scale=color, legend=_legend(c["basis"])),
                tooltip=[
                    alt.Tooltip("label:N", title=c["target"]),
                    alt.Tooltip("target_text:N", title=c["target_mark"]),
                    alt.Tooltip("value_text:N", title=c["figure"]),
                    alt.Tooltip("basis_label:N", title=c["basis"]),
                    alt.Tooltip("share_pct:Q", title=c["share_axis"], format=".1f"),
                    alt.Tooltip("met:N", title=c["met"]),
                ],
            )
        )
        text_ = alt.Chart(known).mark_text(align="left", dx=3, fontSize=11, color="#333333")
        words = text_.encode(x=x, y=y, yOffset=offset, text="value_text:N")
        unknown = (
            alt.Chart(rows[rows["basis"] == "unknown"])
            .mark_text(align="left", dx=3, fontSize=11, color="#888888")
            .encode(x=x, y=y, text="value_text:N")
        )
        marks = rows.drop_duplicates("target_id")
        band = (  # hollow: not to be read as a figure
            alt.Chart(marks[marks["low_pct"] != marks["high_pct"]])
            .mark_bar(fillOpacity=0, stroke="black", strokeDash=[3, 2], height={"band": 0.9})
            .encode(x=alt.X("low_pct:Q", scale=x_scale), x2="high_pct:Q", y=y)
        )
        per_row = _ROW * max(len(kinds), 1)
        tick = (
            alt.Chart(marks)
            .mark_tick(color="black", thickness=2, size=per_row - 4)
            .encode(
                x=alt.datum(100, scale=x_scale),
                y=y,
                tooltip=[alt.Tooltip("target_text:N", title=c["target_mark"])],
            )
        )
        chart = alt.layer(band, bars, words, unknown, tick).properties(
            title=group, height=per_row * len(labels) + _FRAME, width="container"
        )
        charts.append(_fonts(chart))
    return charts


def ledger_chart(series: LedgerSeries, lang: str = "zh"):
    """One target's ledger figures over time (entries in force filled, corrected ones hollow),
    against the target's value (a line, or a band for about and ranges) and the end of its year.

    Parameters
    ----------
    series : landplan.chart_data.LedgerSeries
    lang : {'zh', 'en'}, default 'zh'

    Returns
    -------
    altair.LayerChart
    """
    c = text(lang)["charts"]
    pts = series.points.assign(
        state=[c["in_force"] if f else c["corrected"] for f in series.points["in_force"]]
    )
    dates = pd.to_datetime(list(pts["as_of"]) + ([series.year_end] if series.year_end else []))
    start = min(dates).to_period("M").to_timestamp()  # from the first month's first day
    end = max(max(dates), start + pd.DateOffset(months=6))  # half a year at least
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    x = alt.X(
        "as_of:T",
        title=c["date_axis"],
        scale=alt.Scale(domain=[start.isoformat(), end.isoformat()]),
        axis=alt.Axis(format="%Y-%m", tickCount={"interval": "month", "step": -(-months // 8)}),
    )
    top = max([series.high, *pts["value"].dropna()]) * 1.1 or 1.0
    y = alt.Y("value:Q", title=c["value_axis"].format(unit=series.unit_text)).scale(domain=[0, top])
    shown = pts[pts["in_force"]]
    line = alt.Chart(shown).mark_line(color=BASIS_COLORS["reported"]).encode(x=x, y=y)
    tips = [
        alt.Tooltip("as_of:N", title=c["date_axis"]),
        alt.Tooltip("value_text:N", title=c["figure"]),
        alt.Tooltip("source:N", title=c["source"]),
        alt.Tooltip("entered_by:N", title=c["by"]),
        alt.Tooltip("state:N", title=" "),
    ]
    dots = [  # entries in force filled, corrected ones hollow
        alt.Chart(part)
        .mark_point(size=80, color=BASIS_COLORS["reported"], filled=filled, opacity=1)
        .encode(x=x, y=y, tooltip=tips)
        for part, filled in ((shown, True), (pts[~pts["in_force"]], False))
    ]
    target = pd.DataFrame(
        {"low": [series.low], "high": [series.high], "text": [series.target_text]}
    )
    layers_ = [line, *dots]
    if series.low != series.high:
        layers_.insert(
            0,
            alt.Chart(target)
            .mark_rect(color="black", opacity=0.12)
            .encode(y=alt.Y("low:Q").scale(domain=[0, top]), y2="high:Q"),
        )
    layers_.append(
        alt.Chart(target)
        .mark_rule(color="black", strokeDash=[6, 3])
        .encode(y=alt.Y("high:Q").scale(domain=[0, top]), tooltip=["text:N"])
    )
    if series.year_end:
        year = pd.DataFrame({"as_of": [series.year_end], "text": [series.year_end[:4]]})
        layers_.append(alt.Chart(year).mark_rule(color="#b2182b", strokeDash=[2, 2]).encode(x=x))
        layers_.append(
            alt.Chart(year)
            .mark_text(align="right", dx=-4, dy=-6, color="#b2182b", baseline="top")
            .encode(
                x=x, y=alt.value(0), text=alt.value(c["target_year"].format(year=year["text"][0]))
            )
        )
    return _fonts(alt.layer(*layers_).properties(title=series.label, height=260, width="container"))


def coverage_chart(bars: pd.DataFrame, lang: str = "zh"):
    """The districts' coverage by the parks in effect (% of each district's outline), coloured by
    what the parks' outlines rest on.

    Parameters
    ----------
    bars : pandas.DataFrame
        :func:`landplan.chart_data.coverage_bars`.
    lang : {'zh', 'en'}, default 'zh'

    Returns
    -------
    altair.LayerChart
    """
    c = text(lang)["charts"]
    y = alt.Y("label:N", sort=list(bars["label"]), title=None, axis=alt.Axis(labelLimit=320))
    base = alt.Chart(bars).encode(
        x=alt.X("covered_pct:Q", title=c["coverage_axis"]),
        y=y,
        tooltip=[
            alt.Tooltip("label:N", title=c["district"]),
            alt.Tooltip("value_text:N", title=c["coverage_axis"]),
            alt.Tooltip("basis_label:N", title=c["basis"]),
        ],
    )
    chart = alt.layer(
        base.mark_bar().encode(
            color=alt.Color(
                "basis_label:N", scale=_colors(lang, bars["basis"]), legend=_legend(c["basis"])
            )
        ),
        base.mark_text(align="left", dx=3, fontSize=11, color="#333333").encode(
            text="value_text:N"
        ),
    ).properties(title=c["coverage_title"], height=_ROW * len(bars) + _FRAME, width="container")
    return _fonts(chart)
