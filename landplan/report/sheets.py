"""The meeting workbook's sheets, one writer per table of the figures.

To add a sheet: write ``_x_sheet(ws, d)`` here, add it to ``WRITERS`` and its title to
``text.SHEETS``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from layers.drawing import indicative_size_note
from layers.targets import basis_summary_text

from .cells import _meta_rows, _width, _write_table
from .text import (
    GAP_LABELS,
    ReportData,
    _area_fmt,
    _basis,
    _dname,
    _drawn,
    _h,
    _met,
    _name,
    _prec,
    _target_words,
    _unit_words,
    _year,
)


def _summary_sheet(ws, d: ReportData) -> None:
    from openpyxl.styles import Alignment, Font

    top = _meta_rows(
        ws,
        d,
        d.t("供地会报告：目标与供给汇总", "Land-supply meeting report: targets against supply"),
    )
    ws.cell(row=top, column=1, value=d.t("精度说明", "Data precision")).font = Font(bold=True)
    ws.cell(row=top, column=2, value="\n".join(d.notes))
    ws.merge_cells(start_row=top, start_column=2, end_row=top, end_column=12)
    ws.cell(row=top, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[top].height = 15 * (2 + sum(_width(n) // 150 + 1 for n in d.notes))
    cov = d.coverage
    zone, covered = float(cov["zone_area"].sum()), float(cov["covered_area"].sum())
    r = top + 1
    fmt = _area_fmt(d.unit)
    for j, (label, v, f) in enumerate(
        [
            (_h(d, "区域面积", "Area", d.unit), zone, fmt),
            (
                _h(d, "20大园区覆盖面积（示意）", "Covered by the 20 parks (indicative)", d.unit),
                covered,
                fmt,
            ),
            (d.t("覆盖率 %", "Coverage %"), covered / zone * 100 if zone else 0.0, "0.0"),
        ]
    ):
        ws.cell(row=r, column=1 + 2 * j, value=label).font = Font(bold=True)
        c = ws.cell(row=r, column=2 + 2 * j, value=v)
        c.number_format = f
    top = r + 2
    ws.cell(
        row=top,
        column=1,
        value=d.t2(basis_summary_text(d.targets, "zh"), basis_summary_text(d.targets, "en")),
    )
    top += 1
    cols = [
        (d.t("目标", "Target"), None),
        (d.t("目标值", "Target value"), None),
        (d.t("单位", "Unit"), None),
        (d.t("现有供给（实测或拟建）", "Supplied (measured or proposed)"), None),
        (d.t("缺口", "Shortfall"), None),
        (d.t("是否达标", "Met"), None),
        (d.t("供给依据", "Supply measured on"), None),
        (d.t("示意范围（非供给）", "Indicative extent (not supply)"), None),
        (d.t("年份", "Year"), None),
        (d.t("来源", "Source"), None),
        (d.t("文件措辞差异", "Differing wordings"), None),
        (d.t("依据说明", "Basis note"), None),
        (d.t("地点", "Place"), None),
        (d.t("目标编号", "Target id"), None),
        (d.t("与其他目标的关系", "Relation to another target"), None),
    ]
    rows, formats = [], []
    for t in d.targets.itertuples():
        part = isinstance(getattr(t, "part_of", None), str)  # listed under its commitment
        rows.append(
            [
                d.t("其中：", "of which: ") * part + d.t(t.name_zh, t.name_en),
                _target_words(d, t),
                _unit_words(d, t.unit),
                t.supplied,
                t.shortfall,
                _met(d, t.met_status),
                _basis(d, t.basis),
                t.indicative_extent,
                _year(d, t),
                d.t(t.source, "") if d.lang == "zh" else t.source_en,
                d.t(t.conflict_zh, t.conflict_en) if isinstance(t.conflict_zh, str) else "",
                d.t(t.basis_note_zh, t.basis_note),
                d.t(t.place_zh, t.place_en),
                t.target_id,
                d.t(t.relation_zh, t.relation_en) if isinstance(t.relation_zh, str) else "",
            ]
        )
        formats.append(_area_fmt(t.unit))
    nxt = _write_table(ws, top, cols, rows, wrap_cols=(0, 9, 10, 11, 14))
    for i, f in enumerate(formats):  # each target in its own unit (area, count, 万m²)
        for j in (4, 5, 8):
            ws.cell(row=top + 1 + i, column=j).number_format = f
    ws.freeze_panes = ws.cell(row=top + 1, column=2)
    ws.cell(
        row=nxt,
        column=1,
        value=d.t(
            "示意范围是示意边界的面积，不是供给。"
            + indicative_size_note("zh")
            + "只有依据地块或正式边界（实测）或拟建情景的数字计入供给。",
            "The indicative extent is the area of indicative outlines: not supply. "
            + indicative_size_note("en")
            + " Only figures measured on parcels or official outlines, or on proposed (what-if) "
            "parks, count as supply.",
        ),
    )


def _districts_sheet(ws, d: ReportData) -> None:
    top = (
        _meta_rows(
            ws,
            d,
            d.t(
                "分区覆盖：20大先进制造业园区（示意边界）",
                "Coverage of each district by the 20 parks (indicative outlines)",
            ),
        )
        + 1
    )
    u, fmt = d.unit, _area_fmt(d.unit)
    tiers = [c for c in d.tiers.columns if c != "zone_id"]
    cols = [
        (d.t("区编号", "District id"), None),
        (d.t("行政区", "District"), None),
        (_h(d, "公布陆地面积", "Published land area", u), fmt),
        (_h(d, "区域面积（边界）", "Area (outline)", u), fmt),
        (_h(d, "园区覆盖面积", "Covered by parks", u), fmt),
        (_h(d, "未覆盖面积", "Not covered", u), fmt),
        (d.t("覆盖率（占边界面积）%", "Coverage % of the outline area"), "0.0"),
        (d.t("园区数", "Parks"), "0"),
        (d.t("边界精度", "Outline precision"), None),
    ]
    cols += [
        (_h(d, f"层级 {t if t != 'unstated' else '未公布'} 覆盖", f"tier {t}", u), fmt)
        for t in tiers
    ]
    dist = d.districts.set_index("district_id")
    tier_tab = d.tiers.set_index("zone_id")
    rows = []
    for r in d.coverage.itertuples():
        off = r.published_land_area
        rows.append(
            [
                r.zone_id,
                d.t(r.name_zh, r.name_en),
                float(off) if pd.notna(off) else None,
                r.zone_area,
                r.covered_area,
                r.uncovered_area,
                r.covered_pct,
                int(r.feature_count),
                _prec(d, dist.loc[r.zone_id, "precision"]),
            ]
            + [tier_tab.loc[r.zone_id, t] for t in tiers]
        )
    cov = d.coverage
    zone, covered = float(cov["zone_area"].sum()), float(cov["covered_area"].sum())
    off_sum = sum(x[2] for x in rows if x[2] is not None)
    total = [
        d.t("合计", "Total"),
        d.t("范围合计", "scope total"),
        off_sum,
        zone,
        covered,
        float(cov["uncovered_area"].sum()),
        covered / zone * 100 if zone else 0.0,
        int(cov["feature_count"].sum()),
        "",
    ] + [float(d.tiers[t].sum()) for t in tiers]
    nxt = _write_table(ws, top, cols, rows, total)
    ws.freeze_panes = ws.cell(row=top + 1, column=3)
    ws.cell(
        row=nxt,
        column=1,
        value=d.t(
            "园区数按区计：跨区园区在每个区各计一次。区域面积取自高德边界（含部分海域与填海），"
            "略大于公布陆地面积。",
            "Parks are counted per district: a park in two districts counts in each. Outline areas "
            "(AMap, incl. some "
            "sea and reclaimed land) run above the published land areas.",
        ),
    )


def _parks_sheet(ws, d: ReportData) -> None:
    top = (
        _meta_rows(
            ws,
            d,
            d.t(
                "园区与片区：分区面积、文件所述面积与绘制面积",
                "Parks and zones: area by district, stated vs drawn",
            ),
        )
        + 1
    )
    u, fmt = d.unit, _area_fmt(d.unit)
    cols = [
        (d.t("图层", "Layer"), None),
        (d.t("编号", "Id"), None),
        (d.t("名称", "Name"), None),
        (d.t("类型", "Kind"), None),
        (d.t("所在区", "District"), None),
        (_h(d, "区内面积", "Area in district", u), fmt),
        (_h(d, "绘制面积（整体）", "Drawn area (whole)", u), fmt),
        (_h(d, "文件所述面积", "Stated area", u), fmt),
        (_h(d, "所述减绘制", "Stated minus drawn", u), fmt),
        (d.t("层级", "Tier"), None),
        (d.t("精度", "Precision"), None),
        (d.t("主导集群", "Lead clusters"), None),
        (d.t("来源", "Source"), None),
        (d.t("绘制方法", "How drawn"), None),
        (d.t("推断（文件未明说）", "Inference (not stated by a document)"), None),
    ]
    rows = []
    for r in d.parks.itertuples():
        rows.append(
            [
                r.layer_id,
                r.feature_id,
                _name(d, r.name_zh, r.name_en),
                r.kind,
                _dname(d, r.district_id),
                r.area,
                r.drawn_area,
                r.stated_area,
                r.stated_minus_drawn,
                r.tier if isinstance(r.tier, str) else d.t("未公布", "not public"),
                _prec(d, r.precision),
                "、".join(r.clusters),
                r.source,
                _drawn(d, r),
                r.inference if isinstance(r.inference, str) else "",
            ]
        )
    total = [
        d.t("合计", "Total"),
        "",
        "",
        "",
        "",
        float(np.nansum(d.parks["area"])),
        None,
        None,
        None,
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    nxt = _write_table(ws, top, cols, rows, total, wrap_cols=(12, 13, 14))
    ws.freeze_panes = ws.cell(row=top + 1, column=3)
    ws.cell(
        row=nxt,
        column=1,
        value=d.t(
            "合计为各要素区内面积之和：重叠部分（见“重叠”表）重复计算；"
            "不重复的园区覆盖面积见“分区覆盖”表。无公开边界的记录不计面积。",
            "The total adds each feature's part: overlaps (see Overlaps) count in each feature; "
            "the union coverage is on "
            "the Districts sheet. Records without a public outline have no area.",
        ),
    )


def _clusters_sheet(ws, d: ReportData) -> None:
    top = (
        _meta_rows(
            ws,
            d,
            d.t(
                "产业集群：《意见》指定区与承载园区/片区",
                "Clusters: districts the Opinion names vs parks/zones that carry them",
            ),
        )
        + 1
    )
    cols = [
        (d.t("集群编号", "Cluster id"), None),
        (d.t("集群", "Cluster"), None),
        (d.t("《意见》指定地", "Place named by the Opinion"), None),
        (d.t("对应区", "Districts"), None),
        (d.t("承载园区/片区", "Carried by parks/zones"), None),
        (d.t("缺口", "Gap"), None),
        (d.t("来源", "Source"), None),
    ]
    rows = [
        [
            r.cluster_id,
            d.t(r.cluster_zh, r.cluster_en),
            r.place_zh,
            "、".join(_dname(d, x) for x in r.district_ids),
            "、".join(r.carried_by) or "—",
            d.t("是", "yes") if r.gap else d.t("否", "no"),
            r.source,
        ]
        for r in d.clusters.itertuples()
    ]
    n_gap = int(d.clusters["gap"].sum()) if len(d.clusters) else 0
    total = [
        d.t("合计", "Total"),
        d.t(f"{len(rows)} 对", f"{len(rows)} pairs"),
        "",
        "",
        "",
        d.t(f"{n_gap} 个缺口", f"{n_gap} gaps"),
        "",
    ]
    _write_table(ws, top, cols, rows, total, wrap_cols=(4,))
    ws.freeze_panes = ws.cell(row=top + 1, column=3)


def _overlaps_sheet(ws, d: ReportData) -> None:
    top = (
        _meta_rows(
            ws,
            d,
            d.t(
                "重叠：园区与片区之间（示意边界）",
                "Overlaps between parks and zones (indicative outlines)",
            ),
        )
        + 1
    )
    u, fmt = d.unit, _area_fmt(d.unit)
    cols = [
        (d.t("要素 A", "Feature A"), None),
        (d.t("名称 A", "Name A"), None),
        (d.t("要素 B", "Feature B"), None),
        (d.t("名称 B", "Name B"), None),
        (_h(d, "重叠面积", "Overlap area", u), fmt),
    ]
    names = {
        f"{r.layer_id}:{r.feature_id}": _name(d, r.name_zh, r.name_en) for r in d.parks.itertuples()
    }
    rows = [
        [r.a_id, names.get(r.a_id, ""), r.b_id, names.get(r.b_id, ""), r.area]
        for r in d.overlaps.itertuples()
    ]
    total = [
        d.t("合计", "Total"),
        d.t("重复计算面积", "area counted twice"),
        "",
        "",
        float(d.overlaps.attrs["double_counted"]),
    ]
    nxt = _write_table(ws, top, cols, rows, total)
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    ws.cell(
        row=nxt,
        column=1,
        value=d.t(
            "同一园区在两个图层中的记录（same_as）不计为重叠。"
            "重叠只在目录图层之间计算（不含上传或拟建图层）。",
            "The same park recorded in two layers (same_as) is not an overlap. Overlaps are "
            "between catalog layers "
            "(not uploaded or proposed layers).",
        ),
    )


def _gaps_sheet(ws, d: ReportData) -> None:
    top = (
        _meta_rows(
            ws,
            d,
            d.t(
                "缺口：未达标目标、集群缺口、无公开边界",
                "Gaps: targets not met, cluster gaps, records without outline",
            ),
        )
        + 1
    )
    cols = [
        (d.t("类型", "Type"), None),
        (d.t("编号", "Id"), None),
        (d.t("区", "District"), None),
        (d.t("说明", "Detail"), None),
        (d.t("缺口", "Shortfall"), _area_fmt(d.unit)),
        (d.t("单位", "Unit"), None),
        (d.t("来源", "Source"), None),
    ]
    rows = []
    for r in d.gaps.itertuples():
        zh, en = GAP_LABELS.get(r.gap_type, (r.gap_type, r.gap_type))
        detail = r.detail_zh if d.lang == "zh" else f"{r.detail_zh} / {r.detail_en}"
        rows.append([d.t(zh, en), r.id, r.district_id, detail, r.shortfall, r.unit, r.source])
    counts = d.gaps["gap_type"].value_counts()
    total = [
        d.t("合计", "Total"),
        "；".join(f"{d.t(*GAP_LABELS[k])} {int(v)}" for k, v in counts.items()),
        "",
        "",
        None,
        "",
        "",
    ]
    _write_table(ws, top, cols, rows, total, wrap_cols=(3,))
    ws.freeze_panes = ws.cell(row=top + 1, column=1)


def _sources_sheet(ws, d: ReportData) -> None:
    top = (
        _meta_rows(
            ws,
            d,
            d.t(
                "来源：每个数字的文件与行号或公开报道",
                "Sources: each figure's document and line, or public report",
            ),
        )
        + 1
    )
    cols = [
        (d.t("类别", "Category"), None),
        (d.t("编号", "Id"), None),
        (d.t("名称", "Name"), None),
        (d.t("数字", "Figure"), None),
        (
            d.t("来源（文件与行号，或公开报道）", "Source (document and line, or public report)"),
            None,
        ),
        (d.t("说明", "Note"), None),
    ]
    rows = d.sources.values.tolist()
    _write_table(ws, top, cols, rows, wrap_cols=(4, 5))
    ws.freeze_panes = ws.cell(row=top + 1, column=1)


#: the writer of each sheet, by the key of text.SHEETS (the sheets' order and titles)
WRITERS = {
    "summary": _summary_sheet,
    "districts": _districts_sheet,
    "parks": _parks_sheet,
    "clusters": _clusters_sheet,
    "overlaps": _overlaps_sheet,
    "gaps": _gaps_sheet,
    "sources": _sources_sheet,
}
