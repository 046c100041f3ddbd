"""A plan's contiguous industrial blocks (连片产业空间, :attr:`layers.plan.Plan.blocks`): found once
for the city from the scenario's parcels with the defaults of ``landplan blocks``
(:mod:`layers.blocks`), placed in the parks in effect and the districts; a focused plan keeps the
blocks that reach its district, numbered as in the city."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.errors import LandplanError, bilingual

from .blocks import BY, COUNTS, GAP_M, MIN_AREA_M2, MIN_SHARE, blocks
from .scenario import PARK_LAYER

#: the columns of a plan's blocks table (:func:`layers.blocks.blocks`), with none found
COLUMNS = (
    "block_id",
    "area_m2",
    "parcel_count",
    "enclosed_m2",
    "enclosed_count",
    "industrial_share",
    "industrial_main",
    "square_km",
    "compactness",
    "outline_m2",
    "synthetic",
    "source",
)


def plan_blocks(
    parcels: gpd.GeoDataFrame, parks: gpd.GeoDataFrame, counts=COUNTS
) -> gpd.GeoDataFrame:
    """The blocks of a scenario's prepared parcels whose codes are ``counts`` (the plan's, M1 and
    M0 by default), placed in ``parks`` (the parks in effect) and the districts, as
    :func:`layers.blocks.blocks` finds them with its other defaults (gap 20 m, square-kilometre
    scale from 1 km², mainly industrial from a share of 0.6).

    Parcels with none of the codes give no block: an empty table whose ``attrs['notes']`` says
    why, so that a plan with such parcels still shows its other figures.
    """
    zones = parks.assign(layer_id=PARK_LAYER)
    zones.attrs["layer_id"] = PARK_LAYER
    by = [zones, *[b for b in BY if b != PARK_LAYER]]
    try:
        return blocks(parcels, counts=counts, by=by)
    except LandplanError as exc:
        if "landuse" not in parcels.columns:
            raise
        note = bilingual(exc.message_zh or str(exc), str(exc))
        return _none_found(note, parcels.crs, counts)


def _none_found(note: str, crs, counts) -> gpd.GeoDataFrame:
    out = gpd.GeoDataFrame(pd.DataFrame(columns=list(COLUMNS)), geometry=[], crs=crs)
    zones = pd.DataFrame(columns=["block_id", "zone_layer", "zone_id", "area_m2"])
    classes = pd.DataFrame(columns=["block_id", "landuse", "status", "area_m2"])
    settings = {
        "counts": [str(c) for c in counts],
        "gap_m": GAP_M,
        "min_area_m2": MIN_AREA_M2,
        "min_share": MIN_SHARE,
    }
    out.attrs.update(zones=zones, classes=classes, notes=[note], report=[], settings=settings)
    return out


def blocks_in(found: gpd.GeoDataFrame, district: str) -> gpd.GeoDataFrame:
    """The blocks of ``found`` (a city's :func:`plan_blocks`) that reach ``district``, with the
    zones and classes of those blocks (a block crossing a district boundary keeps both
    districts); their numbers as in the city."""
    zones = found.attrs["zones"]
    here = (zones["zone_layer"] == "districts") & (zones["zone_id"] == district)
    ids = set(zones.loc[here, "block_id"])
    out = found[found["block_id"].isin(ids).to_numpy()].reset_index(drop=True)
    attrs = dict(found.attrs)
    for key in ("zones", "classes"):
        t = attrs[key]
        attrs[key] = t[t["block_id"].isin(ids).to_numpy()].reset_index(drop=True)
    out.attrs = attrs
    return out
