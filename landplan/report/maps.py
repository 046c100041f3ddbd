"""The atlas's maps in EPSG:4547: a district drawn by layer, phase and precision, numbered features,
legend, scale bar and north arrow.

Each outline is drawn as its precision says, as on the map page: indicative outlines dashed and
hatched, official ones solid, proposed parks orange and dotted, other uploads orange and solid
(readable in black and white but for the orange)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis import uncovered
from layers.loading import feature_ids, polygon_features
from layers.meeting import AREA_CRS, tier_order
from layers.scenario import PARK_LAYER

from .text import ReportData


def _scale_north(ax, d: ReportData, north_x: float = 0.96) -> None:
    """Scale bar (a round length about a fifth of the width) and north arrow on a map in metres."""
    from matplotlib.patches import Rectangle

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    target = (x1 - x0) / 5
    length = max(
        v for v in (500, 1000, 2000, 2500, 5000, 10000, 20000, 25000) if v <= max(target, 500)
    )
    bx, by = x0 + (x1 - x0) * 0.03, y0 + (y1 - y0) * 0.04
    h = (y1 - y0) * 0.012
    for k in range(4):
        ax.add_patch(
            Rectangle(
                (bx + k * length / 4, by),
                length / 4,
                h,
                facecolor="black" if k % 2 == 0 else "white",
                edgecolor="black",
                lw=0.6,
                zorder=9,
            )
        )
    for k, lab in ((0, "0"), (4, f"{length / 1000:g} km")):
        ax.text(
            bx + k * length / 4, by + 2.2 * h, lab, fontsize=7, ha="center", va="bottom", zorder=9
        )
    ax.annotate(
        d.w["atlas"]["north"],
        xy=(north_x, 0.97),
        xytext=(north_x, 0.87),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=9,
        fontweight="bold",
        arrowprops=dict(arrowstyle="-|>", color="black", lw=1.4),
        zorder=9,
    )
    ax.text(
        0.99,
        0.01,
        "EPSG:4547",
        transform=ax.transAxes,
        fontsize=6,
        ha="right",
        va="bottom",
        color="0.3",
    )


#: map styles by layer: fill, hatch, edge colour, line style (readable in black and white)
STYLES = {
    "sz20_parks": dict(hatch="////", edgecolor="black", lw=1.1),
    "longgang_parks": dict(hatch="\\\\\\\\", edgecolor="0.3", lw=0.8),
    "pingshan_zones": dict(hatch="....", edgecolor="0.3", lw=0.8),
    "innovation_zones": dict(hatch="", edgecolor="0.45", lw=0.9),
    "upload": dict(hatch="++", edgecolor="black", lw=1.4),
}
TIER_FILLS = ("white", "0.78", "0.62", "0.5")
#: the colour of proposed and uploaded (not official) outlines, as the map page draws uploads
ORANGE = "#e6550d"


def drawn_style(lid: str, precision) -> dict:
    """How an outline of layer ``lid`` with ``precision`` is drawn: hatch, edge colour, line width
    and style."""
    st = STYLES.get(lid, STYLES["upload"])
    p = str(precision)
    if p == "official":
        return dict(hatch="", edgecolor="black", lw=st["lw"] + 0.3, ls="-")
    if p == "proposed":
        return dict(hatch="", edgecolor=ORANGE, lw=1.6, ls=":")
    if p == "user":
        return dict(hatch="", edgecolor=ORANGE, lw=1.4, ls="-")
    return dict(hatch=st["hatch"], edgecolor=st["edgecolor"], lw=st["lw"], ls="--")


def _draw_map(ax, d: ReportData, drow: gpd.GeoDataFrame, box: tuple[float, float]) -> tuple:
    """Draw one district: outline, uncovered part, parks by layer/phase/precision, double counts,
    numbers, scale, north. Returns the numbered features (number, parks row, 'area'/'line'/'point')
    and whether a double count is drawn."""
    ax.set_axis_off()
    dist = drow.to_crs(AREA_CRS)
    zone = dist.geometry.iloc[0]
    scale = _fit(ax, zone, box)
    parks = d.layers[PARK_LAYER]
    ppoly = polygon_features(parks)
    unc = uncovered(ppoly, by=drow, zone_id="district_id").to_crs(AREA_CRS) if len(ppoly) else dist
    unc.plot(ax=ax, facecolor="0.9", edgecolor="none", zorder=1)
    tiers = tier_order(parks.get("tier", pd.Series(dtype=object)).dropna())
    did = drow.iloc[0]["district_id"]
    rows_by_key = {
        (r.layer_id, r.feature_id): r for r in d.parks[d.parks["district_id"] == did].itertuples()
    }
    numbered: list = []
    placed: list[tuple[float, float]] = []
    for lid, g in d.layers.items():
        part = _in_zone(g, zone)
        if part is None:
            continue
        _draw_part(ax, lid, part, tiers)
        _number_part(ax, lid, part, rows_by_key, numbered, placed, 0.2 * scale)  # ~0.17" circles
    double = _draw_double_counts(ax, d, zone)
    dist.boundary.plot(ax=ax, color="black", linewidth=1.8, zorder=7)
    _scale_north(ax, d)
    return numbered, double


def _fit(ax, zone, box: tuple[float, float]) -> float:
    """Frame the district with a margin, widened to the box's shape so that 1 m is 1 m both ways;
    returns the metres per inch."""
    minx, miny, maxx, maxy = zone.bounds
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    scale = max((maxx - minx) / box[0], (maxy - miny) / box[1]) * 1.06  # metres per inch
    ax.set_xlim(cx - scale * box[0] / 2, cx + scale * box[0] / 2)
    ax.set_ylim(cy - scale * box[1] / 2, cy + scale * box[1] / 2)
    ax.set_aspect("equal", adjustable="box")
    return scale


def _in_zone(g: gpd.GeoDataFrame, zone) -> gpd.GeoDataFrame | None:
    """A layer's features clipped to the district (EPSG:4547), slivers under 1 m² dropped; None
    when nothing lies in it."""
    g = g.assign(report_fid=feature_ids(g).to_numpy())
    g = g[g.geometry.notna()]
    if g.empty:
        return None
    gp = g.to_crs(AREA_CRS)
    clipped = shapely.intersection(gp.geometry.values, zone)
    keep = ~shapely.is_empty(clipped) & (
        (shapely.area(clipped) >= 1.0) | ~gp.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
    )
    if not keep.any():
        return None
    part = gp[keep].copy()
    part["geometry"] = clipped[keep]
    return part


def _draw_part(ax, lid: str, part: gpd.GeoDataFrame, tiers: list) -> None:
    """A layer's features in the district: polygons by precision and phase (the same park in
    another layer as an outline only), points as triangles, lines dash-dotted."""
    prec = part["precision"] if "precision" in part else pd.Series("user", index=part.index)
    poly = part.geom_type.isin(["Polygon", "MultiPolygon"])
    sel = part[poly]
    if len(sel):
        keys = pd.DataFrame(
            {
                "p": prec.loc[sel.index].map(str).to_numpy(),
                "t": sel.get("tier", pd.Series(None, index=sel.index))
                .map(lambda v: v if isinstance(v, str) else "")
                .to_numpy(),
                # the same park recorded in another layer: outline only, no second hatch
                "s": sel.get("same_as", pd.Series(None, index=sel.index))
                .map(lambda v: isinstance(v, str) and lid != PARK_LAYER)
                .to_numpy(),
            },
            index=sel.index,
        )
        for (pr, tier, same), idx in keys.groupby(["p", "t", "s"]).groups.items():
            fill = TIER_FILLS[1 + tiers.index(tier)] if tier in tiers else "none"
            style = drawn_style(lid, pr)
            sel.loc[idx].plot(
                ax=ax,
                facecolor=fill if lid == PARK_LAYER else "none",
                hatch="" if same else style["hatch"],
                edgecolor=style["edgecolor"],
                linewidth=style["lw"],
                linestyle=style["ls"],
                zorder=3 if lid == PARK_LAYER else 4,
            )
    rest = part[~poly]
    pts = rest[rest.geom_type.isin(["Point", "MultiPoint"])]
    lines = rest[~rest.geom_type.isin(["Point", "MultiPoint"])]
    if len(pts):
        pts.plot(ax=ax, marker="^", color="black", markersize=14, zorder=6)
    if len(lines):
        lines.plot(ax=ax, color="black", linewidth=1.6, linestyle="-.", zorder=5)


def _number_part(ax, lid, part, rows_by_key: dict, numbered: list, placed: list, sep: float):
    """Number the features of the parks table that lie in the district, in circles kept apart
    (``numbered``, ``placed`` grow)."""
    for r in part.itertuples():
        row = rows_by_key.get((lid, r.report_fid))
        if row is None:
            continue
        no = len(numbered) + 1
        gt = r.geometry.geom_type
        numbered.append((no, row, "point" if "Point" in gt else "line" if "Line" in gt else "area"))
        pt = shapely.point_on_surface(r.geometry)
        ox = 0.7 * sep if "Point" in gt else 0.0  # beside a point's marker, not on it
        lx, ly = _free_spot(pt.x + ox, pt.y + ox, placed, sep)
        placed.append((lx, ly))
        moved = (lx, ly) != (pt.x, pt.y)
        ax.annotate(
            str(no),
            (pt.x, pt.y),
            xytext=(lx, ly),
            textcoords="data",
            fontsize=6.5,
            ha="center",
            va="center",
            zorder=8,
            bbox=dict(boxstyle="circle,pad=0.15", facecolor="white", edgecolor="black", lw=0.5),
            arrowprops=dict(arrowstyle="-", lw=0.5, color="black", shrinkA=0, shrinkB=0)
            if moved
            else None,
        )


def _draw_double_counts(ax, d: ReportData, zone) -> bool:
    """The double counts in the district, cross-hatched (nesting is there by design); whether any
    is drawn."""
    ov = d.overlaps[d.overlaps["kind"] == "double_count"]
    if not len(ov):
        return False
    og = shapely.intersection(ov.to_crs(AREA_CRS).geometry.values, zone)
    og = og[~shapely.is_empty(og)]
    if len(og):
        gpd.GeoSeries(og, crs=AREA_CRS).plot(
            ax=ax,
            facecolor="0.35",
            hatch="xxxx",
            edgecolor="black",
            linewidth=0.4,
            alpha=0.75,
            zorder=5,
        )
    return bool(len(og))


def _free_spot(x: float, y: float, placed: list, sep: float) -> tuple[float, float]:
    """The point itself, or the nearest spot on rings around it that keeps ``sep`` from placed
    labels."""

    def free(px, py):
        return all((px - qx) ** 2 + (py - qy) ** 2 >= sep**2 for qx, qy in placed)

    if free(x, y):
        return x, y
    for ring in range(1, 6):
        for k in range(12):
            ang = np.pi / 2 + k * np.pi / 6
            px, py = x + ring * sep * np.cos(ang), y + ring * sep * np.sin(ang)
            if free(px, py):
                return px, py
    return x, y


def _legend(a, ax, numbered: list, double: bool) -> int:
    """The district map's legend: what each drawn layer and precision looks like (rows)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    d = a.d
    g = d.w["legend"]
    handles = [
        Patch(facecolor="none", edgecolor="black", lw=1.8, label=g["district"]),
        Patch(
            facecolor="0.9",
            edgecolor="none",
            label=g["uncovered"].format(layer=d.layer(PARK_LAYER)),
        ),
    ]
    if double:
        handles.append(
            Patch(facecolor="0.35", hatch="xxxx", edgecolor="black", alpha=0.75, label=g["double"])
        )
    for lid in list(d.layers):
        for kind in ("area", "line", "point"):
            prec = sorted(
                {str(row.precision) for _, row, k in numbered if row.layer_id == lid and k == kind}
            )
            for pr in prec:
                label = g["drawn"].format(layer=d.layer(lid), precision=d.precision(pr))
                if kind == "area":
                    st = drawn_style(lid, pr)
                    handles.append(
                        Patch(
                            facecolor="none",
                            hatch=st["hatch"],
                            edgecolor=st["edgecolor"],
                            lw=st["lw"],
                            linestyle=st["ls"],
                            label=label,
                        )
                    )
                elif kind == "line":
                    handles.append(
                        Line2D(
                            [],
                            [],
                            color="black",
                            lw=1.6,
                            linestyle="-.",
                            label=g["line"].format(label=label),
                        )
                    )
                else:
                    handles.append(
                        Line2D(
                            [],
                            [],
                            marker="^",
                            color="black",
                            linestyle="none",
                            label=g["point"].format(label=label),
                        )
                    )
    tiers = tier_order(d.layers[PARK_LAYER].get("tier", pd.Series(dtype=object)).dropna())
    for i, tier in enumerate(tiers):  # the fills of _draw_map
        handles.append(
            Patch(
                facecolor=TIER_FILLS[1 + i],
                edgecolor="black",
                lw=0.6,
                label=g["phase"].format(layer=d.layer(PARK_LAYER), phase=d.phase(tier)),
            )
        )
    legend_below(ax, handles, ncol=2, handlelength=2.6, handleheight=1.3)
    return (len(handles) + 1) // 2


def legend_below(ax, handles: list, title: str | None = None, ncol: int = 3, **style) -> None:
    """An atlas map's legend under the map, centred, in the atlas's small type (a title when
    given)."""
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.005),
        ncol=ncol,
        fontsize=6.5,
        frameon=False,
        title=title,
        title_fontsize=7,
        **style,
    )


def key_line(
    d: ReportData, precisions, points: bool = False, double: bool = False, numbers: bool = True
) -> str:
    """How the map draws what it shows ('图例说明：虚线加斜线为示意边界…'), from the precisions
    of the outlines on it."""
    k = d.w["key"]
    parts = [k[p] for p in ("indicative", "official", "proposed", "user") if p in set(precisions)]
    if points:
        parts.append(k["point"])
    if double:
        parts.append(k["double"])
    if numbers:
        parts.append(k["numbers"])
    return k["lead"] + k["sep"].join(parts) + k["end"]
