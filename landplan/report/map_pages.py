"""The atlas's map pages: the city overview (districts shaded by the share the parks in effect
cover) and one page per district (its map, legend, features, targets and cluster gaps). The maps
are drawn by :mod:`.maps`; every sentence about precision follows the outlines drawn.
"""

from __future__ import annotations

import textwrap

import shapely

from layers.loading import polygon_features
from layers.meeting import AREA_CRS
from layers.scenario import PARK_LAYER

from ..present import plan_text
from .layout import MARGIN, PAGE_H, PAGE_W, _Atlas
from .maps import (
    _draw_map,
    _free_spot,
    _legend,
    _scale_north,
    drawn_style,
    key_line,
    legend_below,
)
from .summary_pages import TARGET_WIDTHS, _target_header, _target_rows
from .text import _num

#: grey levels for district coverage classes (percent of the district covered by the parks)
COVERAGE_CLASSES = ((0.0, "white"), (0.001, "0.85"), (5.0, "0.7"), (10.0, "0.55"), (20.0, "0.4"))


def _overview_page(a: _Atlas) -> None:
    """The city: districts shaded by the share the parks in effect cover, the parks outlined as
    their precision says, each district's share."""
    d = a.d
    x = d.w["atlas"]
    a.new_page(x["overview_title"].format(layer=d.layer(PARK_LAYER)))
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
    parks = polygon_features(d.layers[PARK_LAYER]).to_crs(AREA_CRS)
    if "precision" not in parks.columns:
        parks["precision"] = "user"
    precisions = sorted(set(parks["precision"].astype(str)))
    _draw_shares(ax, main if len(main) else dist, box, parks, d, [])
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
        _draw_shares(iax, inset, ibox, parks, d, [])
        iax.set_axis_on()
        iax.set_xticks([])
        iax.set_yticks([])
        iax.set_xlabel("")
        iax.set_ylabel("")
        iax.set_title(x["inset"], fontsize=6)
    _scale_north(ax, d, north_x=0.04)
    _overview_legend(ax, d, precisions)
    a.y -= map_h + 0.75
    a.text(key_line(d, precisions, numbers=False) + " " + x["overview_note"], 7, color="0.2")


def _coverage_grey(pct) -> str:
    """The grey of a district covered ``pct`` % (:data:`COVERAGE_CLASSES`)."""
    return [c for lo, c in COVERAGE_CLASSES if pct >= lo][-1]


def _draw_shares(ax_, zones, box_, parks, d, placed: list) -> None:
    """``zones`` on ``ax_`` (a frame of ``box_`` inches) shaded by their covered share, the parks
    outlined as their precision says, and each zone's name and share in a label placed clear of
    the others (``placed``)."""
    ax_.set_axis_off()
    minx, miny, maxx, maxy = zones.total_bounds
    scale = max((maxx - minx) / box_[0], (maxy - miny) / box_[1]) * 1.05
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    ax_.set_xlim(cx - scale * box_[0] / 2, cx + scale * box_[0] / 2)
    ax_.set_ylim(cy - scale * box_[1] / 2, cy + scale * box_[1] / 2)
    ax_.set_aspect("equal", adjustable="box")
    zones.plot(
        ax=ax_,
        facecolor=[_coverage_grey(p) for p in zones["covered_pct"]],
        edgecolor="black",
        linewidth=0.9,
    )
    for pr, grp in parks.groupby(parks["precision"].astype(str)):
        st = drawn_style(PARK_LAYER, pr)
        grp.plot(
            ax=ax_,
            facecolor="none",
            hatch=st["hatch"],
            edgecolor=st["edgecolor"],
            linewidth=min(st["lw"], 1.0),
            linestyle=st["ls"],
        )
    for r in zones.itertuples():
        pt = shapely.point_on_surface(r.geometry)
        x, y = _free_spot(pt.x, pt.y, placed, 0.4 * scale)
        placed.append((x, y))
        name = textwrap.fill(d.dname(r.district_id), 18)  # long English names in two lines
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


def _overview_legend(ax, d, precisions: list) -> None:
    """The overview's legend under the map: the share classes, then the parks by precision."""
    from matplotlib.patches import Patch

    labels = ["0%", "0–5%", "5–10%", "10–20%", "≥ 20%"]
    handles = [
        Patch(facecolor=c, edgecolor="black", lw=0.6, label=lab)
        for (_, c), lab in zip(COVERAGE_CLASSES, labels)
    ]
    for pr in precisions:
        st = drawn_style(PARK_LAYER, pr)
        handles.append(
            Patch(
                facecolor="none",
                hatch=st["hatch"],
                edgecolor=st["edgecolor"],
                linestyle=st["ls"],
                label=d.w["legend"]["drawn"].format(
                    layer=d.layer(PARK_LAYER), precision=d.precision(pr)
                ),
            )
        )
    legend_below(ax, handles, d.w["atlas"]["share_legend"])


def _district_page(a: _Atlas, did: str) -> None:
    d = a.d
    x = d.w["atlas"]
    drow = d.districts[d.districts["district_id"] == did]
    a.new_page(x["district_page"].format(name=d.dname(did)))
    map_h = 5.3
    ax = a.fig.add_axes(
        [MARGIN / PAGE_W, (a.y - map_h) / PAGE_H, (PAGE_W - 2 * MARGIN) / PAGE_W, map_h / PAGE_H]
    )
    numbered, double = _draw_map(ax, d, drow, (PAGE_W - 2 * MARGIN, map_h))
    a.y -= map_h + 0.05
    legend_rows = _legend(a, ax, numbered, double)
    a.y -= 0.2 * legend_rows + 0.1
    drawn = {str(p.precision) for _, p, kind in numbered if kind == "area"}
    points = any(kind == "point" for _, _, kind in numbered)
    a.text(key_line(d, drawn, points, double), 6.5, color="0.2", gap=0.1)
    r = d.coverage[d.coverage["zone_id"] == did].iloc[0]
    a.text(
        x["district_line"].format(
            zone=_num(r.zone_area, d.unit),
            land=_num(r.published_land_area, d.unit),
            unit=d.unit_text(),
            parks=plan_text.parks_words(d.plan, d.lang),
            covered=_num(r.covered_area, d.unit),
            pct=_num(r.covered_pct, decimals=1),
            uncovered=_num(r.uncovered_area, d.unit),
            n=int(r.feature_count),
        ),
        8.5,
        bold=True,
        gap=0.1,
    )
    if numbered:
        a.table(
            [x["number"], x["name"], x["layer"], d.head(x["area"], d.unit), x["precision"]],
            [
                [
                    str(i),
                    d.feature(p.layer_id, p.feature_id),
                    d.layer(p.layer_id),
                    _num(p.area, d.unit),
                    d.precision(p.precision),
                ]
                for i, p, _ in numbered
            ],
            [0.5, 3.5, 2.4, 1.6, 2.0],
            size=6.5,
            align="lllrl",
            title=x["features_title"],
        )
    tg = d.district_targets(did)
    if len(tg):
        a.table(
            _target_header(d),
            _target_rows(d, tg),
            TARGET_WIDTHS,
            size=6.5,
            align="llrrll",
            title=x["district_targets"],
        )
    cg = d.district_clusters(did)
    cg = cg[cg["gap"].astype(bool)]
    if len(cg):
        from landplan.present.words import _place

        from .text import _source

        a.table(
            [x["cluster"], x["place"], x["source"]],
            [
                [
                    d.pick(c.cluster_zh, c.cluster_en),
                    _place(c.place_zh, d.lang),
                    _source(d, c.source),
                ]
                for c in cg.itertuples()
            ],
            [4.5, 1.5, 3.0],
            size=6.5,
            title=x["cluster_gaps_title"],
        )
    else:
        a.text(x["no_cluster_gaps"], 8)
    missing = d.parks[(d.parks["district_id"] == did) & (d.parks["precision"] == "none")]
    if len(missing):
        names = d.w["list_sep"].join(
            dict.fromkeys(d.feature(m.layer_id, m.feature_id) for m in missing.itertuples())
        )
        a.text(x["no_outline"] + names, 7, color="0.25")
