"""What the page draws from its plan (:class:`layers.plan.Plan`): the layers on the map and the
overlaps drawn there, the what-if line, the upload's warnings, the targets parcels measure.

The plan decides what counts and computes every figure (m²); this module only picks what is shown
and converts it to the page's unit (:func:`layers.units.in_unit`).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.units import unit_label
from layers.loading import feature_ids, is_polygonal
from layers.scenario import PARK_LAYER
from layers.supply import MET_LABELS
from layers.units import in_unit

from ..present.plan_text import PARKS_TARGET
from ..present.text import text

#: the overlaps the map draws (the same place recorded in two layers is one place, not drawn)
DRAWN_KINDS = ("double_count", "nested")


def parcel_codes(counts: str) -> tuple[str, ...]:
    """The land-use codes that count, from the page's 'M1,M0' field."""
    return tuple(c.strip() for c in (counts or "").split(",") if c.strip())


def _role(plan, lid: str) -> str:
    roles = plan.layer_roles.set_index("layer_id")["role"]
    return str(roles.get(lid, ""))


def map_layers(plan, shown, districts: gpd.GeoDataFrame) -> dict[str, gpd.GeoDataFrame]:
    """The layers the map draws, taken from the plan's layers in effect (each feature keeps its own
    precision: an upload marked official reads official).

    The chosen catalog layers (``shown``; ``districts`` for the districts); the 20 parks as the
    plan has them; an upload counted instead of them is drawn as the upload and proposed parks as
    proposed parks, both always, as is an upload shown beside the parks.
    """
    out = {}
    for lid in shown:
        if lid == "districts":
            out[lid] = districts
        elif lid in plan.layers and lid != PARK_LAYER:
            out[lid] = plan.layers[lid]
    parks = plan.layers[PARK_LAYER]
    proposed = (
        parks["precision"].eq("proposed").to_numpy()
        if "precision" in parks.columns
        else pd.Series(False, index=parks.index).to_numpy()
    )
    if _role(plan, PARK_LAYER) == "parks_instead":
        out["upload"] = parks[~proposed]
    elif PARK_LAYER in shown:
        out[PARK_LAYER] = parks[~proposed] if proposed.any() else parks
    if "upload" in plan.layers:
        out["upload"] = plan.layers["upload"]
    if proposed.any():
        out["proposed"] = parks[proposed]
    return out


def _plan_layer(plan, key: str) -> str:
    """The plan's layer a map layer is drawn from."""
    if key == "proposed" or (key == "upload" and "upload" not in plan.layers):
        return PARK_LAYER
    return key


def drawn_overlaps(plan, on_map: dict[str, gpd.GeoDataFrame], unit: str) -> gpd.GeoDataFrame:
    """The city plan's double counts and nesting whose two features are both on the map, in
    ``unit``."""
    drawn = set()
    for key, gdf in on_map.items():
        lid = _plan_layer(plan, key)
        if lid in plan.layers:
            layer = plan.layers[lid]
            ids = feature_ids(layer[is_polygonal(layer)])  # as the overlaps name them
            drawn |= {f"{lid}:{f}" for f in ids.loc[ids.index.intersection(gdf.index)]}
    ov = plan.city.overlaps
    keep = ov["kind"].isin(DRAWN_KINDS) & ov["a_id"].isin(drawn) & ov["b_id"].isin(drawn)
    return in_unit(ov[keep.to_numpy()].reset_index(drop=True), unit)


def upload_warnings(plan) -> list[str]:
    """What the coverage of an upload warns about (e.g. no feature lies in any district)."""
    city = plan.city
    if city.upload_coverage is not None:
        return list(city.upload_coverage.attrs.get("warnings", []))
    if _role(city, PARK_LAYER) == "parks_instead":
        return list(city.coverage.attrs.get("warnings", []))
    return []


def number(value: float) -> str:
    """An area as the page writes it: 2 decimals, thousands separated (12,345.67)."""
    return f"{value:,.2f}"


def proposed_count(plan) -> int:
    """How many proposed (what-if) parks the plan has."""
    return int(plan.precisions(PARK_LAYER, outlined=False).get("proposed", 0))


def whatif_line(plan, lang: str, unit: str) -> str:
    """What the proposed parks give toward the 20 parks' area target, in words and ``unit``."""
    ts = plan.city.targets
    city = in_unit(ts[ts["target_id"] == PARKS_TARGET], unit).iloc[0]
    return text(lang)["page"]["whatif"].format(
        n=proposed_count(plan),
        supplied=number(city["supplied"]),
        value=number(city["value"]),
        unit=unit_label(unit, lang),
        met=MET_LABELS[city["met_status"]][0 if lang == "zh" else 1],
    )


def parcel_measured(plan) -> pd.DataFrame:
    """The plan's targets in focus that its parcels measure (none without parcels or codes)."""
    import layers

    ts = plan.targets
    if plan.parcels is None or not plan.parcel_counts:
        return ts.iloc[0:0]
    cat = layers.targets()
    flag = cat.get("counts_parcels", pd.Series(False, index=cat.index)).fillna(False)
    ids = set(cat.loc[flag.astype(bool) & (cat["metric"] == "land_area"), "target_id"])
    out = ts[ts["target_id"].isin(ids)].reset_index(drop=True)
    out.attrs = dict(ts.attrs)
    return out
