"""The meeting map's layer of contiguous industrial blocks (:attr:`layers.plan.Plan.blocks`): the
blocks' table as the page shows it (its headers; areas to the square metre in the report's unit),
categorized by size class, square-kilometre blocks outlined in bold."""

from __future__ import annotations

import geopandas as gpd

from ..present.block_table import (
    KM2_OUTLINE,
    SIZE_CLASSES,
    SIZE_KEYS,
    blocks_table,
    size_class,
    size_words,
)
from ..present.text import text
from .qgis_styles import Style, fill

#: the size classes' codes in the layer's ``size_class`` field (the order of SIZE_CLASSES)
SIZE_CODES = SIZE_KEYS


def block_frames(plan, lang: str, unit: str) -> list:
    """[(table, name shown, features, style)] of the plan's blocks (none without parcels)."""
    found = plan.blocks
    if found is None or not len(found):
        return []
    shown = blocks_table(found, lang, unit, exact=True)
    for c in shown.columns:
        if shown[c].dtype.kind == "f":
            shown[c] = shown[c].round(8)
    shown["size_class"] = [SIZE_CODES[k] for k in size_class(found["area_m2"])]
    frame = gpd.GeoDataFrame(shown, geometry=found.geometry.to_numpy(), crs=found.crs)
    symbols = [fill(c, c, alpha=0.6, width=0.2) for _, c in SIZE_CLASSES[:-1]]
    symbols.append(fill(SIZE_CLASSES[-1][1], KM2_OUTLINE, alpha=0.6, width=1.2))
    style = Style(
        "categories",
        symbols,
        attr="size_class",
        classes=list(zip(SIZE_CODES, size_words(lang))),
        label_field=text(lang)["blocks"]["number"],
    )
    return [("blocks", text(lang)["gpkg"]["blocks"], frame, style)]
