"""The page's charts (Altair, which ships with Streamlit), drawn from :mod:`landplan.chart_data`:
the targets' figures against their values, one target's ledger over time, the districts' coverage.
The atlas draws the same data with matplotlib (:mod:`landplan.report.chart_pages`)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..chart_data import BASES, BASIS_COLORS, SHARE_CAP, LedgerSeries, basis_words
from ..text import text

#: the fonts the charts ask for (Chinese first: the browser's Noto Sans CJK)
FONT = "Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Zen Hei, sans-serif"
_ROW = 22  # pixels per target row


def _colors(lang: str, used) -> alt.Scale:
    words = basis_words(lang)
    shown = [b for b in BASES if b in set(used)]
    return alt.Scale(domain=[words[b] for b in shown], range=[BASIS_COLORS[b] for b in shown])


def _fonts(chart):
    return chart.configure(font=FONT).configure_axis(labelFont=FONT, titleFont=FONT)


def targets_chart(figs: pd.DataFrame, lang: str = "zh"):
    """Per target group (the city, a district) a bar per figure: its share of the target's value,
    coloured by its basis, the target marked (about: 95–100 %; a range: its bounds).

    Parameters
    ----------
    figs : pandas.DataFrame
        :func:`landplan.chart_data.target_figures`.
    lang : {'zh', 'en'}, default 'zh'

    Returns
    -------
    altair.VConcatChart
    """
    c = text(lang)["charts"]
    color = _colors(lang, figs["basis"][figs["basis"] != "unknown"])
    parts = []
    for group in dict.fromkeys(figs.sort_values("order")["group_label"]):
        rows = figs[figs["group_label"] == group]
        labels = list(dict.fromkeys(rows.sort_values("order")["label"]))
        y = alt.Y("label:N", sort=labels, title=None, axis=alt.Axis(labelLimit=420))
        x_scale = alt.Scale(domain=[0, SHARE_CAP], clamp=True)
        bars = (
            alt.Chart(rows)
            .transform_filter(alt.datum.basis != "unknown")  # no figure: its words only
            .mark_bar(height={"band": 0.8})
            .encode(
                x=alt.X("shown_pct:Q", title=c["share_axis"], scale=x_scale),
                y=y,
                yOffset=alt.YOffset("figure:N"),
                color=alt.Color("basis_label:N", scale=color, title=c["basis"]),
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
        words = (
            alt.Chart(rows)
            .mark_text(align="left", dx=3, fontSize=11, color="#333333")
            .encode(
                x=alt.X("shown_pct:Q", scale=x_scale),
                y=y,
                yOffset=alt.YOffset("figure:N"),
                text="value_text:N",
            )
        )
        marks = rows.drop_duplicates("target_id")
        band = (
            alt.Chart(marks[marks["low_pct"] != marks["high_pct"]])
            .mark_bar(color="black", opacity=0.25, height={"band": 0.9})
            .encode(x=alt.X("low_pct:Q", scale=x_scale), x2="high_pct:Q", y=y)
        )
        tick = (
            alt.Chart(marks)
            .mark_tick(color="black", thickness=2, size=_ROW - 4)
            .encode(
                x=alt.datum(100, scale=x_scale),
                y=y,
                tooltip=[alt.Tooltip("target_text:N", title=c["target_mark"])],
            )
        )
        parts.append(
            alt.layer(band, bars, words, tick).properties(
                title=group,
                height=max(_ROW * len(labels), 60),
                width="container",
            )
        )
    return _fonts(alt.vconcat(*parts).resolve_scale(color="shared"))


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
    dates = list(pts["as_of"]) + ([series.year_end] if series.year_end else [])
    x = alt.X(
        "as_of:T",
        title=c["date_axis"],
        scale=alt.Scale(domain=[min(dates), max(dates)], nice="month"),
        axis=alt.Axis(format="%Y-%m"),
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
    y = alt.Y("label:N", sort=list(bars["label"]), title=None)
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
            color=alt.Color("basis_label:N", scale=_colors(lang, bars["basis"]), title=c["basis"])
        ),
        base.mark_text(align="left", dx=3, fontSize=11, color="#333333").encode(
            text="value_text:N"
        ),
    ).properties(title=c["coverage_title"], height=max(_ROW * len(bars), 60), width="container")
    return _fonts(chart)
