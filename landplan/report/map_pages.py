"""The atlas's map pages: the city overview (districts shaded by the share the 20 parks cover) and
one page per district (its map, legend, features, targets and cluster gaps). The maps are drawn by
:mod:`.maps`.
"""

from __future__ import annotations

import shapely

from layers.load import polygon_features
from layers.meeting import AREA_CRS
from layers.scenario import PARK_LAYER

from .layout import MARGIN, PAGE_H, PAGE_W, _Atlas
from .maps import _draw_map, _free_spot, _legend, _scale_north
from .summary_pages import TARGET_WIDTHS, _target_header, _target_rows
from .text import _dname, _h, _layer, _name, _num, _prec

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
