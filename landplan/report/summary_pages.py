"""The atlas's cover and summary pages: scope, date, data version, the plan's precision notes,
contents, then coverage by district and the targets against supply."""

from __future__ import annotations

import pandas as pd

from geo.units import convert_area
from layers.supply import basis_summary_text

from ..present import plan_text
from .layout import _Atlas
from .text import ReportData, _met, _num, _source, _target_words, _year


def _cover(a: _Atlas) -> None:
    d = a.d
    w, m, x = d.w, d.w["meta"], d.w["atlas"]
    a.new_page(x["title"])
    a.y -= 1.2
    sep = "：" if d.lang == "zh" else ": "
    a.text(f"{m['scope']}{sep}{d.scope_name()}", 16, bold=True, gap=0.15)
    a.text(f"{m['date']}{sep}{d.date}", 11)
    a.text(f"{m['version']}{sep}{d.version}", 11)
    a.text(f"{m['unit']}{sep}{d.unit_text()}", 11, gap=0.3)
    a.text(w["precision"], 11, bold=True)
    for n in d.notes:
        a.text(n, 9, gap=0.08)
    a.y -= 0.2
    a.text(x["contents"], 11, bold=True)
    a.text(x["contents_summary"], 9)
    a.text(x["contents_charts"], 9)
    names = w["list_sep"].join(d.dname(i) for i in d.districts["district_id"])
    a.text(x["contents_districts"].format(names=names), 9)
    a.y -= 0.2
    a.text(x["sources_line"], 8, color="0.25")


def _coverage_rows(d: ReportData, cov: pd.DataFrame, with_total: bool) -> list[list]:
    rows = [
        [
            d.dname(r.zone_id),
            _num(r.zone_area, d.unit),
            _num(r.published_land_area, d.unit),
            _num(r.covered_area, d.unit),
            _num(r.uncovered_area, d.unit),
            _num(r.covered_pct, decimals=1),
            str(int(r.feature_count)),
        ]
        for r in cov.itertuples()
    ]
    if with_total:
        t = plan_text.coverage_totals(d.plan)

        def area(key):
            return _num(convert_area(t[key], "m2", d.unit), d.unit)

        rows.append(
            [
                d.w["total"],
                area("zone_area"),
                area("published_land_area"),
                area("covered_area"),
                area("uncovered_area"),
                _num(t["covered_pct"], decimals=1),
                str(int(t["feature_count"])),
            ]
        )
    return rows


def _coverage_header(d: ReportData) -> list[str]:
    x = d.w["atlas"]
    return [x[k] for k in ("district", "zone_area", "published", "covered", "uncovered", "pct")] + [
        x["parks"]
    ]


def _target_rows(d: ReportData, tg: pd.DataFrame) -> list[list]:
    rows = []
    for t in tg.itertuples():
        star = "*" if isinstance(t.conflict_zh, str) else ""
        supplied = _num(t.supplied, t.unit)
        if pd.notna(t.indicative_extent):
            supplied += d.w["atlas"]["indicative_in"].format(
                value=_num(t.indicative_extent, t.unit)
            )
        reported = getattr(t, "reported_value", None)
        if reported is not None and pd.notna(reported):  # the progress ledger's latest figure
            supplied += d.w["atlas"]["reported_in"].format(
                value=_num(reported, t.unit), date=t.reported_as_of
            )
        rows.append(
            [
                plan_text.target_name(t, d.lang) + star,
                _target_words(d, t) + " " + _year(d, t),
                supplied,
                _num(t.shortfall, t.unit),
                _met(d, t.met_status),
                _source(d, t.source if d.lang == "zh" else t.source_en),
            ]
        )
    return rows


def _target_header(d: ReportData) -> list[str]:
    x = d.w["atlas"]
    return [x[k] for k in ("target", "value_year", "supplied", "shortfall", "met", "source")]


TARGET_WIDTHS = [3.2, 1.9, 1.5, 0.9, 1.2, 2.8]


def _summary_pages(a: _Atlas) -> None:
    d = a.d
    x = d.w["atlas"]
    sep = "：" if d.lang == "zh" else ": "
    a.new_page(f"{x['summary']}{sep}{d.scope_name()}")
    a.text(plan_text.coverage_line(d.plan, d.lang, d.unit), 9)
    a.text(plan_text.parks_total_line(d.plan, d.lang, d.unit), 9)
    a.text(plan_text.double_line(d.plan, d.lang, d.unit), 9)
    tg = d.targets
    n_gaps = int(d.clusters["gap"].astype(bool).sum()) if len(d.clusters) else 0
    gap_words = x["cluster_gaps_n"].format(n=n_gaps)
    join = "" if d.lang == "zh" else " "
    a.text(basis_summary_text(tg, d.lang) + join + gap_words, 9, gap=0.15)
    unit = f"（{d.unit_text()}）" if d.lang == "zh" else f" ({d.unit_text()})"
    a.table(
        _coverage_header(d),
        _coverage_rows(d, d.coverage, d.district is None),
        [2.0, 1.15, 1.15, 1.15, 1.15, 1.1, 0.7],
        align="lrrrrrr",
        title=x["coverage_title"] + unit,
        bold_last=d.district is None,
    )
    if len(tg):
        a.table(
            _target_header(d),
            _target_rows(d, tg),
            TARGET_WIDTHS,
            size=6.5,
            align="llrrll",
            title=x["targets_title"],
        )
    else:
        a.text(x["no_targets"], 9, bold=True)
    a.text(x["supply_note"], 7, color="0.25")
