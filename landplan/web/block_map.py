"""The page's map layer of the plan's contiguous industrial blocks
(:attr:`layers.plan.Plan.blocks`): shaded by size class, square-kilometre blocks outlined in bold,
a tooltip with the row of the blocks' table, and the classes in a legend strip under the map."""

from __future__ import annotations

import folium
import geopandas as gpd
import shapely

from geo.crs import to_offset

from ..present.block_table import KM2_OUTLINE, SIZE_CLASSES, blocks_table, size_class, size_words
from ..present.text import text
from .map_frame import legend_strip
from .mapping import tooltip_safe


def add_block_layer(
    m: folium.Map,
    found: gpd.GeoDataFrame,
    lang: str = "zh",
    unit: str = "km2",
    offset: str | None = None,
) -> int:
    """Draw the blocks ``found`` (a plan's, areas in m²) on ``m`` with their legend; returns how
    many were drawn."""
    w = text(lang)["blocks"]
    if found is None or not len(found):
        return 0
    wgs = found.to_crs(4326)
    wgs = to_offset(wgs, offset) if offset else wgs
    frame = gpd.GeoDataFrame(
        blocks_table(found, lang, unit),
        geometry=shapely.set_precision(shapely.simplify(wgs.geometry.values, 1e-5), 1e-6),
        crs=4326,
    )
    frame["_fill"] = [SIZE_CLASSES[k][1] for k in size_class(found["area_m2"])]
    frame["_km2"] = found["square_km"].astype(bool).to_numpy()
    folium.GeoJson(
        tooltip_safe(frame).to_json(),
        name=w["layer"],
        style_function=_style,
        tooltip=folium.GeoJsonTooltip(
            fields=[c for c in frame.columns if c != "geometry" and not str(c).startswith("_")]
        ),
    ).add_to(m)
    m.get_root().html.add_child(folium.Element(block_legend(lang)), name="block_legend")
    return len(frame)


def _style(feature) -> dict:
    p = feature["properties"]
    km2 = bool(p.get("_km2"))
    return {
        "color": KM2_OUTLINE if km2 else p["_fill"],
        "weight": 3 if km2 else 1,
        "fillColor": p["_fill"],
        "fillOpacity": 0.6,
    }


def block_legend(lang: str = "zh") -> str:
    """The blocks' legend strip: each size class, and the outline of square-kilometre blocks."""
    w = text(lang)["blocks"]
    items = [(f"background:{c}", words) for (_, c), words in zip(SIZE_CLASSES, size_words(lang))]
    items.append((f"border:3px solid {KM2_OUTLINE}", w["km2_outline"]))
    return legend_strip(w["legend"], items)
