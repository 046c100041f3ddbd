"""Targets against supply, cluster gaps and records without outlines: geo/ wired to the catalog."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis import coverage, uncovered
from geo.area import project_for_area
from geo.units import convert_area, normalize_unit

from .catalog import FEATURE_LAYERS, clusters, targets
from .load import load

#: Opinion place names -> district ids. 前海 (深港现代服务业合作区) lies in 南山 and 宝安.
PLACE_DISTRICTS = {
    "罗湖": ["luohu"], "福田": ["futian"], "南山": ["nanshan"], "盐田": ["yantian"], "宝安": ["baoan"],
    "龙岗": ["longgang"], "龙华": ["longhua"], "坪山": ["pingshan"], "光明": ["guangming"],
    "大鹏": ["dapeng"], "深汕": ["shenshan"], "前海": ["nanshan", "baoan"],
}
#: tolerance for "about" (~) targets: met when supply reaches 95% of the value
ABOUT_TOLERANCE = 0.05
_TARGET_UNIT_M2 = {"km2": 1e6, "万m2": 1e4, "wan_m2": 1e4, "ha": 1e4, "mu": 1e4 / 15, "m2": 1.0}


def place_to_districts(place: str) -> list[str]:
    """District ids of a place name as the documents write it ('南山', '南山区', '大鹏新区', ...)."""
    name = str(place).strip()
    for suffix in ("特别合作区", "新区", "区"):
        if name.endswith(suffix) and name[: -len(suffix)] in PLACE_DISTRICTS:
            name = name[: -len(suffix)]
    return PLACE_DISTRICTS.get(name, [])


def carrier_features(extra: dict[str, gpd.GeoDataFrame] | None = None) -> pd.DataFrame:
    """One row per (feature, lead cluster, district) over all park and zone layers (+ extra)."""
    rows = []
    frames = {lid: load(lid) for lid in FEATURE_LAYERS}
    frames.update(extra or {})
    for lid, gdf in frames.items():
        if "lead_clusters" not in gdf.columns:
            continue
        for r in gdf.itertuples():
            for cid in (r.lead_clusters if isinstance(r.lead_clusters, list) else []):
                for did in (r.district_ids if isinstance(r.district_ids, list) else []):
                    rows.append({"layer_id": lid, "feature_id": r.feature_id, "name_zh": r.name_zh,
                                 "cluster_id": cid, "district_id": did})
    return pd.DataFrame(rows, columns=["layer_id", "feature_id", "name_zh", "cluster_id", "district_id"])


def cluster_gaps(district: str | None = None, extra: dict[str, gpd.GeoDataFrame] | None = None) -> pd.DataFrame:
    """Cluster x district pairs the Opinion names where no park or zone in that district carries the cluster."""
    car = carrier_features(extra)
    carried = set(zip(car["cluster_id"], car["district_id"]))
    rows = []
    for c in clusters().itertuples():
        for place in c.opinion_districts:
            dids = place_to_districts(place)
            if district and district not in dids:
                continue
            carriers = [d for d in dids if (c.cluster_id, d) in carried]
            rows.append({"cluster_id": c.cluster_id, "cluster_zh": c.name_zh, "cluster_en": c.name_en,
                         "place_zh": place, "district_ids": dids,
                         "carried_by": sorted(car[(car.cluster_id == c.cluster_id) & car.district_id.isin(dids)]
                                              ["feature_id"].unique().tolist()),
                         "gap": not carriers, "source": c.source})
    return pd.DataFrame(rows, columns=["cluster_id", "cluster_zh", "cluster_en", "place_zh", "district_ids",
                                       "carried_by", "gap", "source"])


def gap_clusters_by_district(gaps: pd.DataFrame, lang: str = "zh", cluster: str | None = None) -> dict[str, list[str]]:
    """District id -> names of the clusters the Opinion assigns there that no park or zone carries.

    ``gaps`` is a :func:`cluster_gaps` table; ``cluster`` keeps only that cluster's gaps.
    """
    g = gaps[gaps["gap"]]
    if cluster:
        g = g[g["cluster_id"] == cluster]
    out: dict[str, list[str]] = {}
    for names, name in zip(g["district_ids"], g["cluster_zh" if lang == "zh" else "cluster_en"]):
        for d in names:
            out.setdefault(d, [])
            if name not in out[d]:
                out[d].append(name)
    return out


def missing_outlines() -> pd.DataFrame:
    """Catalog records that have no geometry (outline or location not public)."""
    rows = []
    for lid in FEATURE_LAYERS:
        g = load(lid)
        for r in g[g.geometry.isna()].itertuples():
            rows.append({"layer_id": lid, "feature_id": r.feature_id, "kind": r.kind, "name_zh": r.name_zh,
                         "district_ids": r.district_ids, "note": r.note, "source": r.source})
    return pd.DataFrame(rows, columns=["layer_id", "feature_id", "kind", "name_zh", "district_ids", "note", "source"])


def _met(comparator: str, supplied: float, value: float) -> bool:
    if comparator == ">":
        return supplied > value
    if comparator == ">=":
        return supplied >= value
    if comparator == "<=":
        return supplied <= value
    if comparator == "<":
        return supplied < value
    if comparator == "~":
        return supplied >= value * (1 - ABOUT_TOLERANCE)
    return abs(supplied - value) <= 1e-9 * max(1.0, abs(value))


#: columns of :func:`target_supply`
TARGET_SUPPLY_COLUMNS = ["target_id", "name_zh", "name_en", "scope", "scope_id", "metric", "comparator", "target_unit",
                         "year", "source", "value", "supplied", "shortfall", "surplus", "met", "measurable", "unit",
                         "basis"]


def target_supply(unit: str = "km2", district: str | None = None,
                  supply_layers: dict[str, gpd.GeoDataFrame] | None = None) -> pd.DataFrame:
    """Each target against what counts toward it: supplied, shortfall, surplus, met.

    Land-area targets are measured as the union area (EPSG:4547) of the features that count
    toward them, inside the target's district when its scope is a district; floor-area
    targets cannot be measured from outlines and get ``measurable`` False. Figures resting
    on indicative outlines say so in ``basis``. ``supply_layers`` replaces or adds layers
    (e.g. an uploaded or drawn park layer) by id.
    """
    unit = normalize_unit(unit)
    layers_ = {lid: load(lid) for lid in FEATURE_LAYERS}
    layers_.update(supply_layers or {})
    districts = load("districts")
    rows = []
    for t in targets().itertuples():
        if district and not (t.scope == "district" and t.scope_id == district) and \
                not (t.scope in ("park", "site") and district in _districts_of_target(t, layers_)):
            continue
        row = {"target_id": t.target_id, "name_zh": t.name_zh, "name_en": t.name_en, "scope": t.scope,
               "scope_id": t.scope_id, "metric": t.metric, "comparator": t.comparator,
               "target_unit": t.unit, "year": t.year, "source": t.source}
        feats = _counting_features(t, layers_)
        land = t.metric == "land_area"
        if feats is None or (t.metric not in ("land_area", "count")) or bool(getattr(t, "per_feature", False)):
            row.update(value=_to_unit(t.value, t.unit, unit) if land else t.value, supplied=np.nan,
                       shortfall=np.nan, surplus=np.nan, met=None, measurable=False,
                       unit=unit if land else t.unit,
                       basis="not measurable from the shipped outlines (needs parcel or floor-space data)"
                       if feats is None or not land else "per-unit target; see each unit")
            rows.append(row)
            continue
        if t.metric == "count":
            supplied_v, value_v, out_unit = float(len(feats)), float(t.value), "count"
        else:
            if t.scope == "district":
                zone = districts[districts.district_id == t.scope_id]
                m2 = coverage(feats, by=zone, unit="m2")["covered_area"].sum() if len(feats) else 0.0
            else:
                proj = project_for_area(feats, 4547)
                m2 = shapely.area(shapely.union_all(proj.geometry.values)) if len(feats) else 0.0
            supplied_v = convert_area(m2, "m2", unit)
            value_v = _to_unit(t.value, t.unit, unit)
            out_unit = unit
        met = _met(t.comparator, supplied_v, value_v)
        precision = set(feats["precision"]) if "precision" in feats else {"user"}
        row.update(value=value_v, supplied=supplied_v, shortfall=max(value_v - supplied_v, 0.0),
                   surplus=max(supplied_v - value_v, 0.0), met=met, measurable=True, unit=out_unit,
                   basis=("indicative outlines: " if "indicative" in precision else "") +
                   f"{len(feats)} feature(s) of {t.counts_toward}")
        rows.append(row)
    # a district without targets still gets the columns (callers select them by name)
    return pd.DataFrame(rows, columns=None if rows else TARGET_SUPPLY_COLUMNS)


def _to_unit(value, target_unit, unit):
    m2 = float(value) * _TARGET_UNIT_M2.get(str(target_unit), np.nan)
    return convert_area(m2, "m2", unit)


def _counting_features(t, layers_) -> gpd.GeoDataFrame | None:
    lid = getattr(t, "counts_toward", None)
    if not isinstance(lid, str) or lid not in layers_:
        return None
    g = layers_[lid]
    g = g[g.geometry.notna()]
    kind = getattr(t, "counts_toward_kind", None)
    if isinstance(kind, str) and "kind" in g.columns:
        g = g[g["kind"] == kind]
    ids = getattr(t, "counts_feature_ids", None)
    if isinstance(ids, list) and ids and "feature_id" in g.columns:
        g = g[g["feature_id"].isin(ids)]
    return g


def _districts_of_target(t, layers_) -> set[str]:
    g = _counting_features(t, layers_)
    if g is None or "district_ids" not in g.columns:
        return set()
    return {d for ds in g["district_ids"] for d in (ds if isinstance(ds, list) else [])}


def uncovered_districts(layer_id: str = "sz20_parks") -> gpd.GeoDataFrame:
    """The part of each district not covered by a layer (for the map)."""
    return uncovered(load(layer_id).dropna(subset=["geometry"]), by=load("districts"), zone_id="district_id")


def gaps_table(unit: str = "km2", district: str | None = None,
               supply_layers: dict[str, gpd.GeoDataFrame] | None = None) -> pd.DataFrame:
    """All gaps in one table (gap_type: target | cluster | no_outline), Chinese and English.

    ``supply_layers`` replaces or adds layers by id, as in :func:`target_supply`.
    """
    rows = []
    for r in target_supply(unit=unit, district=district, supply_layers=supply_layers).itertuples():
        if r.measurable and not bool(r.met):  # met may be a numpy bool: not `is False`
            rows.append({"gap_type": "target", "id": r.target_id, "district_id": r.scope_id,
                         "detail_zh": f"{r.name_zh}：目标 {r.comparator}{r.value:.2f}，现有 {r.supplied:.2f}，缺口 {r.shortfall:.2f} {r.unit}",
                         "detail_en": f"{r.name_en}: target {r.comparator}{r.value:.2f}, supplied {r.supplied:.2f}, "
                                      f"shortfall {r.shortfall:.2f} {r.unit}",
                         "shortfall": r.shortfall, "unit": r.unit, "source": r.source})
    for r in cluster_gaps(district=district, extra=supply_layers).itertuples():
        if r.gap:
            rows.append({"gap_type": "cluster", "id": r.cluster_id, "district_id": ";".join(r.district_ids),
                         "detail_zh": f"{r.cluster_zh}：意见指定{r.place_zh}，但该区没有园区或片区承载",
                         "detail_en": f"{r.cluster_en}: the Opinion names {r.place_zh}, but no park or zone there carries it",
                         "shortfall": np.nan, "unit": None, "source": r.source})
    for r in missing_outlines().itertuples():
        dids = r.district_ids if isinstance(r.district_ids, list) else []
        if district and district not in dids:
            continue
        rows.append({"gap_type": "no_outline", "id": r.feature_id, "district_id": ";".join(dids),
                     "detail_zh": f"{r.name_zh or '（名称未公开）'}：无公开边界",
                     "detail_en": f"{r.feature_id}: no public outline", "shortfall": np.nan, "unit": None,
                     "source": r.source})
    return pd.DataFrame(rows, columns=["gap_type", "id", "district_id", "detail_zh", "detail_en", "shortfall",
                                       "unit", "source"])
