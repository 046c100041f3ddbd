"""The atlas's page of contiguous industrial blocks (:attr:`layers.plan.Plan.blocks`): a map of the
blocks shaded by size class (square-kilometre blocks outlined in bold), numbered as in their
table, over the districts in focus and the parks in effect, and the blocks' table (the page's
headers) with the settings and source under it."""

from __future__ import annotations

import shapely

from layers.loading import polygon_features
from layers.meeting import AREA_CRS
from layers.scenario import PARK_LAYER

from ..present.block_table import KM2_OUTLINE, SIZE_CLASSES, blocks_table, size_class, size_words
from ..present.text import text
from .layout import MARGIN, PAGE_H, PAGE_W, _Atlas
from .maps import _scale_north, legend_below

#: the table's columns on the page (the rest are in the workbook): their keys in ``blocks``
COLUMNS = ("number", "area", "size", "square_km", "parcels", "share", "main", "parks", "districts")
WIDTHS = (0.45, 1.05, 1.3, 1.45, 0.7, 0.9, 0.9, 2.5, 1.65)


def _blocks_page(a: _Atlas) -> None:
    """The blocks' map and table (nothing when the plan has no parcels)."""
    d = a.d
    found = d.plan.blocks
    if found is None:
        return
    w = text(d.lang)["blocks"]
    a.new_page(w["page_title"])
    if len(found):
        map_h = 5.0
        ax = a.fig.add_axes(
            [
                MARGIN / PAGE_W,
                (a.y - map_h) / PAGE_H,
                (PAGE_W - 2 * MARGIN) / PAGE_W,
                map_h / PAGE_H,
            ]
        )
        _draw_blocks(ax, d, found, (PAGE_W - 2 * MARGIN, map_h))
        a.y -= map_h + 0.55
    shown = blocks_table(found, d.lang, d.unit)
    heads = [_head(w, k, d) for k in COLUMNS]
    rows = [[_cell(v) for v in row] for row in shown[heads].values.tolist()]
    if rows:
        a.table(heads, rows, list(WIDTHS), size=6.5, align="lrllrrlll")
    a.text(shown.attrs["note"], 7, color="0.2")


def _head(w: dict, key: str, d) -> str:
    """A column's header as the page's table writes it."""
    from geo.units import unit_label

    return w[key].format(u=unit_label(d.unit, d.lang))


def _cell(v) -> str:
    if isinstance(v, float):
        return f"{v:,.2f}"
    return str(v)


def _draw_blocks(ax, d, found, box: tuple[float, float]) -> None:
    """The districts in focus in grey, the parks in effect outlined, the blocks by size class."""
    from matplotlib.patches import Patch

    ax.set_axis_off()
    blocks = found.to_crs(AREA_CRS)
    districts = d.districts.to_crs(AREA_CRS)
    frame = blocks if d.district is None else districts
    minx, miny, maxx, maxy = frame.total_bounds
    scale = max((maxx - minx) / box[0], (maxy - miny) / box[1], 1.0) * 1.1
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    ax.set_xlim(cx - scale * box[0] / 2, cx + scale * box[0] / 2)
    ax.set_ylim(cy - scale * box[1] / 2, cy + scale * box[1] / 2)
    ax.set_aspect("equal", adjustable="box")
    districts.plot(ax=ax, facecolor="0.95", edgecolor="0.5", linewidth=0.6)
    parks = polygon_features(d.layers[PARK_LAYER]).to_crs(AREA_CRS)
    parks.plot(ax=ax, facecolor="none", edgecolor="#b30000", linewidth=0.5, linestyle="--")
    classes = size_class(found["area_m2"])
    km2 = found["square_km"].astype(bool).to_numpy()
    blocks.plot(
        ax=ax,
        facecolor=[SIZE_CLASSES[k][1] for k in classes],
        edgecolor=[KM2_OUTLINE if k else SIZE_CLASSES[c][1] for k, c in zip(km2, classes)],
        linewidth=[1.6 if k else 0.3 for k in km2],
        zorder=3,
    )
    for b, pt in zip(found["block_id"], shapely.point_on_surface(blocks.geometry.values)):
        ax.text(pt.x, pt.y, str(int(b)), fontsize=6, ha="center", va="center", zorder=5)
    _scale_north(ax, d)
    w = text(d.lang)["blocks"]
    handles = [
        Patch(facecolor=c, edgecolor="0.5", lw=0.4, label=words)
        for (_, c), words in zip(SIZE_CLASSES, size_words(d.lang))
    ]
    handles.append(Patch(facecolor="none", edgecolor=KM2_OUTLINE, lw=1.6, label=w["km2_outline"]))
    legend_below(ax, handles, w["legend"])
