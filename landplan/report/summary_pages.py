"""The atlas's cover and summary pages: scope, date, data version, precision notes, contents, then
coverage by district and the targets against supply."""

from __future__ import annotations

import pandas as pd

from layers.targets import basis_summary_text

from .layout import _Atlas
from .text import ReportData, _dname, _met, _num, _target_words, _year


def _cover(a: _Atlas) -> None:
    d = a.d
    a.new_page(
        d.t("深圳产业用地供地会图集", "Shenzhen industrial land: atlas for the land-supply meeting")
    )
    a.y -= 1.2
    a.text(d.t("范围", "Scope") + f"：{d.scope_name()}", 16, bold=True, gap=0.15)
    a.text(d.t("日期", "Date") + f"：{d.date}", 11)
    a.text(d.t("数据版本", "Data version") + f"：{d.version}", 11)
    a.text(d.t("面积单位", "Area unit") + f"：{d.unit_text()}", 11, gap=0.3)
    a.text(d.t("精度说明", "Data precision"), 11, bold=True)
    for n in d.notes:
        a.text(n, 9, gap=0.08)
    a.y -= 0.2
    a.text(d.t("目录", "Contents"), 11, bold=True)
    a.text(d.t("1. 汇总：分区覆盖与目标供给", "1. Summary: coverage and targets against supply"), 9)
    names = "、".join(_dname(d, x) for x in d.districts["district_id"])
    a.text(d.t(f"2. 分区图页（每区一页）：{names}", f"2. One page per district: {names}"), 9)
    a.y -= 0.2
    a.text(
        d.t(
            "来源：各数字的文件与行号见工作簿“来源”表；园区边界为示意，官方边界未公开。",
            "Sources: each figure's document and line is on the workbook's Sources sheet; park "
            "outlines are "
            "indicative, official outlines are not published.",
        ),
        8,
        color="0.25",
    )


def _coverage_rows(d: ReportData, cov: pd.DataFrame, with_total: bool) -> list[list]:
    rows = [
        [
            d.t(r.name_zh, r.name_en),
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
        zone, covered = float(cov["zone_area"].sum()), float(cov["covered_area"].sum())
        rows.append(
            [
                d.t("合计", "Total"),
                _num(zone, d.unit),
                _num(float(cov["published_land_area"].sum()), d.unit),
                _num(covered, d.unit),
                _num(float(cov["uncovered_area"].sum()), d.unit),
                _num(covered / zone * 100 if zone else 0, decimals=1),
                str(int(cov["feature_count"].sum())),
            ]
        )
    return rows


def _coverage_header(d: ReportData) -> list[str]:
    return [
        d.t("行政区", "District"),
        d.t("边界面积", "Outline area"),
        d.t("公布陆地面积", "Published land"),
        d.t("园区覆盖", "Covered"),
        d.t("未覆盖", "Not covered"),
        d.t("覆盖率（占边界）%", "Coverage % of outline"),
        d.t("园区数", "Parks"),
    ]


def _target_rows(d: ReportData, tg: pd.DataFrame) -> list[list]:
    rows = []
    for t in tg.itertuples():
        star = "*" if isinstance(t.conflict_zh, str) else ""
        supplied = _num(t.supplied, t.unit)
        if pd.notna(t.indicative_extent):
            supplied += d.t(
                f"（示意 {_num(t.indicative_extent, t.unit)}）",
                f" (indicative {_num(t.indicative_extent, t.unit)})",
            )
        rows.append(
            [
                d.t(t.name_zh, t.name_en) + star,
                _target_words(d, t) + " " + _year(d, t),
                supplied,
                _num(t.shortfall, t.unit),
                _met(d, t.met_status),
                t.source if d.lang == "zh" else t.source_en,
            ]
        )
    return rows


def _target_header(d: ReportData) -> list[str]:
    return [
        d.t("目标", "Target"),
        d.t("目标值（年份）", "Target (year)"),
        d.t("现有供给", "Supplied"),
        d.t("缺口", "Shortfall"),
        d.t("达标", "Met"),
        d.t("来源", "Source"),
    ]


TARGET_WIDTHS = [3.2, 1.9, 1.5, 0.9, 1.2, 2.8]


def _summary_pages(a: _Atlas) -> None:
    d = a.d
    a.new_page(d.t("汇总", "Summary") + f"：{d.scope_name()}")
    cov = d.coverage
    zone, covered = float(cov["zone_area"].sum()), float(cov["covered_area"].sum())
    a.text(
        d.t2(
            f"20大先进制造业园区（示意边界）覆盖 {_num(covered, d.unit)} {d.unit_text()}，"
            "占区域面积 "
            f"{_num(zone, d.unit)} {d.unit_text()} 的 "
            f"{_num(covered / zone * 100 if zone else 0, decimals=1)}%。",
            f"The 20 parks (indicative outlines) cover {_num(covered, d.unit)} {d.unit_text()} of "
            f"{_num(zone, d.unit)} {d.unit_text()} "
            f"({_num(covered / zone * 100 if zone else 0, decimals=1)}%).",
        ),
        9,
    )
    tg = d.targets
    a.text(
        d.t2(
            basis_summary_text(tg, "zh") + f"集群缺口 {int(d.clusters['gap'].sum())} 个；"
            f"重叠（重复计算）{_num(d.overlaps.attrs['double_counted'], d.unit)} {d.unit_text()}。",
            basis_summary_text(tg, "en") + f" Cluster gaps: {int(d.clusters['gap'].sum())}; "
            f"overlaps (counted twice) {_num(d.overlaps.attrs['double_counted'], d.unit)} "
            f"{d.unit_text()}.",
        ),
        9,
        gap=0.15,
    )
    a.table(
        _coverage_header(d),
        _coverage_rows(d, cov, d.district is None),
        [2.0, 1.15, 1.15, 1.15, 1.15, 1.1, 0.7],
        align="lrrrrrr",
        title=d.t("分区覆盖", "Coverage by district") + f"（{d.unit_text()}）",
        bold_last=d.district is None,
    )
    if len(tg):
        a.table(
            _target_header(d),
            _target_rows(d, tg),
            TARGET_WIDTHS,
            size=6.5,
            align="llrrll",
            title=d.t("目标与供给", "Targets against supply"),
        )
    else:
        a.text(
            d.t2(
                "目标与供给：文件中没有本范围的用地目标。",
                "Targets against supply: the documents set no land target for this scope.",
            ),
            9,
            bold=True,
        )
    a.text(
        d.t2(
            "供给只计实测（地块或正式边界）与拟建情景；括号内“示意”为示意边界的面积，不是供给，"
            "依此无法判断是否达标。"
            "“无法测量”表示需要地块或建筑面积数据。* 文件对同一目标措辞不一（见工作簿“来源”表）。",
            "Supply counts only measured figures (parcels, official outlines) and proposed parks; "
            "“indicative” in "
            "brackets is the area of indicative outlines, not supply, and decides nothing. * the "
            "documents word "
            "this target differently (see the workbook's Sources sheet).",
        ),
        7,
        color="0.25",
    )
