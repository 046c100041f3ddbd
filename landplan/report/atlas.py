"""The printable A4 atlas (.pdf): cover, summary, the city overview and one map page per district.

Pages are drawn with matplotlib (:class:`_Atlas`: a text cursor and tables that continue on the next
page); the maps themselves are in :mod:`.maps`.
"""

from __future__ import annotations

import io
import logging
import unicodedata

import pandas as pd
import shapely

from layers.gaps import basis_summary_text
from layers.load import polygon_features
from layers.meeting import AREA_CRS
from layers.scenario import PARK_LAYER

from .fonts import cjk_font
from .maps import _draw_map, _free_spot, _legend, _scale_north
from .text import (
    ReportData,
    _dname,
    _h,
    _layer,
    _met,
    _name,
    _num,
    _prec,
    _target_words,
    _year,
    report_data,
)

PAGE_W, PAGE_H, MARGIN = 8.27, 11.69, 0.55  # A4 portrait, inches


def _tw(s: str, size: float) -> float:
    """Approximate printed width (inches) of a text at ``size`` points."""
    return sum((1.0 if unicodedata.east_asian_width(c) in "WF" else 0.56) for c in s) * size / 72


def _wrap(s: str, width_in: float, size: float) -> list[str]:
    lines = []
    for para in str(s).split("\n"):
        line = ""
        for ch in para:
            if _tw(line + ch, size) > width_in and line and ch not in "，。；：、）)」,.;:%":
                cut = line.rfind(" ")
                if cut > 0 and unicodedata.east_asian_width(ch) not in "WF":
                    lines.append(line[:cut])
                    line = line[cut + 1 :] + ch
                else:
                    lines.append(line)
                    line = ch
            else:
                line += ch
        lines.append(line)
    return lines


class _Atlas:
    """A4 pages drawn with matplotlib: a text cursor, tables that continue on the next page,
    maps."""

    def __init__(self, pdf, data: ReportData, font: str):
        self.pdf, self.d, self.font = pdf, data, font
        self.fig, self.y, self.page_no, self.heading = None, 0.0, 0, ""

    def new_page(self, heading: str) -> None:
        from matplotlib.figure import Figure

        self.close_page()
        self.page_no += 1
        self.heading = heading
        self.fig = Figure(figsize=(PAGE_W, PAGE_H))
        self.y = PAGE_H - MARGIN
        self.text(heading, 13, bold=True)
        self.fig.add_artist(_hline(self.fig, self.y + 0.05))
        self.y -= 0.08
        foot = (
            f"{self.d.version} · {self.d.date} · {self.d.scope_name()} · 第 {self.page_no} 页"
            + ("" if self.d.lang == "zh" else f" p. {self.page_no}")
        )
        self.fig.text(MARGIN / PAGE_W, 0.3 / PAGE_H, foot, fontsize=6.5, color="0.3")

    def close_page(self) -> None:
        if self.fig is not None:
            self.pdf.savefig(self.fig)
            self.fig = None

    def room(self) -> float:
        return self.y - MARGIN - 0.2

    def text(
        self,
        s: str,
        size: float = 9,
        bold: bool = False,
        gap: float = 0.06,
        color="black",
        width: float | None = None,
    ) -> None:
        width = width or PAGE_W - 2 * MARGIN
        lh = size * 1.35 / 72
        lines = _wrap(s, width, size)
        if len(lines) <= 6 and self.room() < lh * len(
            lines
        ):  # a short paragraph is not split across pages
            self.new_page(self.heading + self.d.t("（续）", " (cont.)"))
        for line in lines:
            if self.room() < lh:
                self.new_page(self.heading + self.d.t("（续）", " (cont.)"))
            self.y -= lh
            self.fig.text(
                MARGIN / PAGE_W,
                self.y / PAGE_H,
                line,
                fontsize=size,
                color=color,
                fontweight="bold" if bold else "normal",
                va="baseline",
            )
        self.y -= gap

    def table(
        self,
        header: list[str],
        rows: list[list],
        widths: list[float],
        size: float = 7,
        align: str | None = None,
        title: str | None = None,
        bold_last: bool = False,
    ) -> None:
        """Rows with wrapped cells; the header repeats when the table continues on a new page."""
        total_w = PAGE_W - 2 * MARGIN
        ws = [w / sum(widths) * total_w for w in widths]
        align = align or "l" * len(header)
        lh = size * 1.3 / 72
        pad = 0.035

        def cells(row, sz):
            return [_wrap("" if v is None else str(v), w - 2 * pad, sz) for v, w in zip(row, ws)]

        def draw_row(row, bold=False, shade=False):
            wrapped = cells(row, size)
            h = max(len(c) for c in wrapped) * lh + 2 * pad
            if self.room() < h:
                self.new_page(self.heading + self.d.t("（续）", " (cont.)"))
                if title:
                    self.text(title + self.d.t("（续）", " (cont.)"), 9, bold=True)
                draw_row(header, bold=True, shade=True)
            top = self.y
            if shade:
                from matplotlib.patches import Rectangle

                self.fig.add_artist(
                    Rectangle(
                        (MARGIN / PAGE_W, (top - h) / PAGE_H),
                        total_w / PAGE_W,
                        h / PAGE_H,
                        transform=self.fig.transFigure,
                        facecolor="0.88",
                        edgecolor="none",
                        zorder=0,
                    )
                )
            x = MARGIN
            for lines, w, a in zip(wrapped, ws, align):
                for k, line in enumerate(lines):
                    yy = top - pad - (k + 0.8) * lh
                    xx = x + w - pad if a == "r" else x + pad
                    self.fig.text(
                        xx / PAGE_W,
                        yy / PAGE_H,
                        line,
                        fontsize=size,
                        ha="right" if a == "r" else "left",
                        va="baseline",
                        fontweight="bold" if bold else "normal",
                    )
                x += w
            self.y = top - h
            self.fig.add_artist(_hline(self.fig, self.y, lw=0.6 if bold or shade else 0.3))

        if title:
            self.text(title, 9, bold=True)
        if self.room() < 3 * lh + 0.2:
            self.new_page(self.heading + self.d.t("（续）", " (cont.)"))
        draw_row(header, bold=True, shade=True)
        for i, row in enumerate(rows):
            draw_row(row, bold=bold_last and i == len(rows) - 1)
        self.y -= 0.12


def _hline(fig, y_in: float, lw: float = 0.8):
    from matplotlib.lines import Line2D

    return Line2D(
        [MARGIN / PAGE_W, 1 - MARGIN / PAGE_W],
        [y_in / PAGE_H] * 2,
        transform=fig.transFigure,
        color="black",
        lw=lw,
    )


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


#: grey levels for district coverage classes (percent of the district covered by the 20 parks)
COVERAGE_CLASSES = ((0.0, "white"), (0.001, "0.85"), (5.0, "0.7"), (10.0, "0.55"), (20.0, "0.4"))


def _overview_page(a: _Atlas) -> None:
    """The city: districts shaded by the share the 20 parks cover, parks outlined, each district's
    figures."""
    from matplotlib.patches import Patch

    d = a.d
    a.new_page(d.t("全市概览：20大园区覆盖", "City overview: coverage by the 20 parks"))
    map_h = 5.4
    box = (PAGE_W - 2 * MARGIN, map_h)
    ax = a.fig.add_axes([MARGIN / PAGE_W, (a.y - map_h) / PAGE_H, box[0] / PAGE_W, map_h / PAGE_H])
    dist = d.districts.to_crs(AREA_CRS).merge(
        d.coverage[["zone_id", "covered_pct", "covered_area"]],
        left_on="district_id",
        right_on="zone_id",
    )
    # 深汕 lies ~60 km east of the rest: it gets an inset of its own, so the city is not drawn tiny
    far = dist["district_id"] == "shenshan"
    main, inset = dist[~far], dist[far]
    parks = polygon_features(d.features[PARK_LAYER]).to_crs(AREA_CRS)
    placed: list = []

    def grey(pct):
        return [c for lo, c in COVERAGE_CLASSES if pct >= lo][-1]

    def draw(ax_, zones, box_):
        ax_.set_axis_off()
        minx, miny, maxx, maxy = zones.total_bounds
        scale = max((maxx - minx) / box_[0], (maxy - miny) / box_[1]) * 1.05
        cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
        ax_.set_xlim(cx - scale * box_[0] / 2, cx + scale * box_[0] / 2)
        ax_.set_ylim(cy - scale * box_[1] / 2, cy + scale * box_[1] / 2)
        ax_.set_aspect("equal", adjustable="box")
        zones.plot(
            ax=ax_,
            facecolor=[grey(p) for p in zones["covered_pct"]],
            edgecolor="black",
            linewidth=0.9,
        )
        if len(parks):
            parks.plot(
                ax=ax_,
                facecolor="none",
                hatch="////",
                edgecolor="black",
                linewidth=0.7,
                linestyle="--",
            )
        for r in zones.itertuples():
            pt = shapely.point_on_surface(r.geometry)
            x, y = _free_spot(pt.x, pt.y, placed, 0.4 * scale)
            placed.append((x, y))
            name = _dname(d, r.district_id).replace(" ", "\n", 1)  # Chinese, then English below it
            ax_.text(
                x,
                y,
                f"{name}\n{_num(r.covered_pct, decimals=1)}%",
                fontsize=6.5,
                ha="center",
                va="center",
                zorder=8,
                bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="0.4", lw=0.4),
            )

    draw(ax, main if len(main) else dist, box)
    if len(inset) and len(main):
        ibox = (1.5, 1.5)
        iax = a.fig.add_axes(
            [
                (PAGE_W - MARGIN - ibox[0]) / PAGE_W,
                (a.y - ibox[1] - 0.1) / PAGE_H,
                ibox[0] / PAGE_W,
                ibox[1] / PAGE_H,
            ]
        )
        placed.clear()
        draw(iax, inset, ibox)
        iax.set_axis_on()
        iax.set_xticks([])
        iax.set_yticks([])
        iax.set_xlabel("")
        iax.set_ylabel("")
        iax.set_title(d.t("另图（比例不同）", "inset, other scale"), fontsize=6)
        placed.clear()
    _scale_north(ax, d, north_x=0.04)
    labels = ["0%", "0–5%", "5–10%", "10–20%", "≥ 20%"]
    handles = [
        Patch(facecolor=c, edgecolor="black", lw=0.6, label=lab)
        for (_, c), lab in zip(COVERAGE_CLASSES, labels)
    ]
    handles.append(
        Patch(
            facecolor="none",
            hatch="////",
            edgecolor="black",
            linestyle="--",
            label=d.t("20大先进制造业园区（示意）", "20 parks (indicative)"),
        )
    )
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.005),
        ncol=3,
        fontsize=6.5,
        frameon=False,
        title=d.t("园区覆盖率（占区域面积）", "Share of the district covered by parks"),
        title_fontsize=7,
    )
    a.y -= map_h + 0.75
    a.text(
        d.t2(
            "精度说明：园区边界为示意（虚线加斜线），覆盖率仅供参考；无公开边界的园区不在图中。"
            "各区数字见分区图页。",
            "Precision: park outlines are indicative (dashed, hatched), so are the shares; parks "
            "without a public "
            "outline are not shown. Each district's figures are on its page.",
        ),
        7,
        color="0.2",
    )


def _district_page(a: _Atlas, did: str) -> None:
    d = a.d
    drow = d.districts[d.districts["district_id"] == did]
    a.new_page(d.t("分区图", "District") + f"：{_dname(d, did)}")
    map_h = 5.3
    ax = a.fig.add_axes(
        [MARGIN / PAGE_W, (a.y - map_h) / PAGE_H, (PAGE_W - 2 * MARGIN) / PAGE_W, map_h / PAGE_H]
    )
    numbered = _draw_map(ax, d, drow, (PAGE_W - 2 * MARGIN, map_h))
    a.y -= map_h + 0.05
    legend_rows = _legend(a, ax, numbered)
    a.y -= 0.2 * legend_rows + 0.1
    a.text(
        d.t2(
            "精度说明：虚线加斜线为示意边界（官方边界未公开），面积仅供参考；▲ 为示意点位；"
            "圆圈数字见下表。",
            "Precision: dashed, hatched outlines are indicative (official outlines not published), "
            "their areas are "
            "approximate; ▲ marks an indicative location. Circled numbers: see the table below.",
        ),
        6.5,
        color="0.2",
        gap=0.1,
    )
    cov = d.coverage[d.coverage["zone_id"] == did]
    r = cov.iloc[0]
    a.text(
        d.t2(
            f"区域面积 {_num(r.zone_area, d.unit)}（公布陆地面积 "
            f"{_num(r.published_land_area, d.unit)}）"
            f"{d.unit_text()}；20大园区覆盖 {_num(r.covered_area, d.unit)} "
            f"{d.unit_text()}（{_num(r.covered_pct, decimals=1)}%，"
            f"示意），未覆盖 {_num(r.uncovered_area, d.unit)}；园区 {int(r.feature_count)} 个。",
            f"Area {_num(r.zone_area, d.unit)} (published land "
            f"{_num(r.published_land_area, d.unit)}) "
            f"{d.unit_text()}; covered by the 20 parks {_num(r.covered_area, d.unit)} "
            f"{d.unit_text()} "
            f"({_num(r.covered_pct, decimals=1)}%, indicative), not covered "
            f"{_num(r.uncovered_area, d.unit)}; "
            f"{int(r.feature_count)} parks.",
        ),
        8.5,
        bold=True,
        gap=0.1,
    )
    if numbered:
        a.table(
            [
                d.t("图号", "No."),
                d.t("名称", "Name"),
                d.t("图层", "Layer"),
                _h(d, "区内面积", "Area in district", d.unit),
                d.t("精度", "Precision"),
            ],
            [
                [
                    str(i),
                    _name(d, p.name_zh, p.name_en),
                    _layer(d, p.layer_id),
                    _num(p.area, d.unit),
                    _prec(d, p.precision),
                ]
                for i, p, _ in numbered
            ],
            [0.6, 3.6, 2.6, 1.9, 1.3],
            size=6.5,
            align="lllrl",
            title=d.t("图中要素", "Features on the map"),
        )
    tg = d.district_targets(did)
    if len(tg):
        a.table(
            _target_header(d),
            _target_rows(d, tg),
            TARGET_WIDTHS,
            size=6.5,
            align="llrrll",
            title=d.t("本区目标", "Targets of this district"),
        )
    cg = d.district_clusters(did)
    cg = cg[cg["gap"]]
    if len(cg):
        a.table(
            [d.t("集群", "Cluster"), d.t("《意见》指定地", "Named place"), d.t("来源", "Source")],
            [[d.t(c.cluster_zh, c.cluster_en), c.place_zh, c.source] for c in cg.itertuples()],
            [4.5, 1.5, 3.0],
            size=6.5,
            title=d.t(
                "集群缺口（《意见》指定本区，但无园区或片区承载）",
                "Cluster gaps (named for this district, no park or zone carries it)",
            ),
        )
    else:
        a.text(d.t("集群缺口：无。", "Cluster gaps: none."), 8)
    missing = d.parks[(d.parks["district_id"] == did) & (d.parks["precision"] == "none")]
    if len(missing):
        a.text(
            d.t2(
                "无公开边界（不在图中、不计面积）：",
                "No public outline (not on the map, no area): ",
            )
            + "、".join(
                _name(d, m.name_zh, m.name_en) + f" ({m.feature_id})" for m in missing.itertuples()
            ),
            7,
            color="0.25",
        )


def report_pdf(
    scope: str = "city",
    unit: str = "km2",
    lang: str = "zh",
    supply_layers=None,
    upload=None,
    upload_role: str = "beside",
    proposed=None,
    data: ReportData | None = None,
) -> bytes:
    """The printable A4 atlas (.pdf bytes): cover, summary, one map page per district in scope.

    Needs a Chinese font (e.g. Debian's fonts-noto-cjk); without one a LandplanError says how to
    install it.
    """
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    font = cjk_font()
    if data is None:
        data = report_data(
            scope,
            unit,
            lang,
            supply_layers,
            upload=upload,
            upload_role=upload_role,
            proposed=proposed,
        )
    buf = io.BytesIO()
    # a font with one weight (WenQuanYi Zen Hei) makes matplotlib warn at every bold or normal text
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    rc = {
        "font.family": [font, "DejaVu Sans"],
        "pdf.fonttype": 42,
        "hatch.linewidth": 0.45,
        "axes.unicode_minus": False,
    }
    with (
        matplotlib.rc_context(rc),
        PdfPages(buf, metadata={"Title": "landplan atlas", "Subject": data.version}) as pdf,
    ):
        atlas = _Atlas(pdf, data, font)
        _cover(atlas)
        _summary_pages(atlas)
        if data.district is None:
            _overview_page(atlas)
        for did in data.districts["district_id"]:
            _district_page(atlas, did)
        atlas.close_page()
    return buf.getvalue()
