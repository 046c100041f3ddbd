"""Cluster gaps, records without outlines and the gaps table: geo/ wired to the catalog."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis import uncovered

from .catalog_tables import FEATURE_LAYERS, clusters
from .loading import load

#: Opinion place names -> district ids. 前海 (深港现代服务业合作区) lies in 南山 and 宝安, but is
#: not all of them.
PLACE_DISTRICTS = {
    "罗湖": ["luohu"],
    "福田": ["futian"],
    "南山": ["nanshan"],
    "盐田": ["yantian"],
    "宝安": ["baoan"],
    "龙岗": ["longgang"],
    "龙华": ["longhua"],
    "坪山": ["pingshan"],
    "光明": ["guangming"],
    "大鹏": ["dapeng"],
    "深汕": ["shenshan"],
    "前海": ["nanshan", "baoan"],
}
#: places that are a part of their districts: a feature carries a cluster there only if it lies in
#: or names the place (see :func:`carrier_features`), not because it is somewhere in the same
#: district (燕罗 is not 前海)
PARTIAL_PLACES = ("前海",)
#: other ways the documents write a place
_PLACE_ALIASES = {"前海合作区": "前海", "前海深港现代服务业合作区": "前海"}
#: outlines that may delimit a place (a drawn disc or a point says nothing about what lies inside
#: the place)
_PLACE_OUTLINE_PRECISION = ("official", "measured")


def place_to_districts(place: str) -> list[str]:
    """District ids of a place name as the documents write it.

    E.g. '南山', '南山区', '大鹏新区', '前海合作区'.

    Parameters
    ----------
    place : str
        A place name.

    Returns
    -------
    list of str
        District ids (empty when it names none).
    """
    name = str(place).strip()
    name = _PLACE_ALIASES.get(name, name)
    for suffix in ("特别合作区", "新区", "区"):
        if name.endswith(suffix) and name[: -len(suffix)] in PLACE_DISTRICTS:
            name = name[: -len(suffix)]
    return PLACE_DISTRICTS.get(name, [])


def _listed(v) -> list:
    return list(v) if isinstance(v, (list, tuple, np.ndarray)) else []


def _text(v) -> str:
    return v if isinstance(v, str) else ""


def feature_places(frames: dict[str, gpd.GeoDataFrame]) -> dict[tuple[str, str], dict[str, str]]:
    """(layer id, feature id) -> {place: why} for the partial places a feature lies in or names.

    The places are those of :data:`PARTIAL_PLACES`.

    A feature is in a place when its name or location names the place (前海（宝安）深港创新集群区),
    when the catalog records a document saying so (``within_places_zh``, e.g. 001 L185
    "依托前海扩区后的…西乡铁仔山片区"), when its parent is, or when its geometry lies in an official
    or measured outline of a feature that is in the place by those rules. Points and indicative
    discs never delimit a place: no outline is invented for 前海.

    Parameters
    ----------
    frames : dict of str to geopandas.GeoDataFrame
        Park and zone layers by id.

    Returns
    -------
    dict
    """
    out: dict[tuple[str, str], dict[str, str]] = {}
    parents: dict[tuple[str, str], str] = {}
    for lid, gdf in frames.items():
        if "feature_id" not in gdf.columns:
            continue
        for r in gdf.itertuples():
            key, why = (lid, r.feature_id), {}
            name = _text(getattr(r, "name_zh", None))
            locs = [str(x) for x in _listed(getattr(r, "location_zh", None))]
            within = [str(x) for x in _listed(getattr(r, "within_places_zh", None))]
            for place in PARTIAL_PLACES:
                if place in name:
                    why[place] = f"name {name}"
                elif any(place in x for x in locs):
                    why[place] = "location " + "、".join(x for x in locs if place in x)
                elif place in within:
                    why[place] = "document " + (
                        _text(getattr(r, "within_source", None)) or "(stated in the catalog)"
                    )
            out[key] = why
            parent = getattr(r, "parent_id", None)
            if isinstance(parent, str) and parent:
                parents[key] = parent
    by_id = {key[1]: key for key in out}
    for _ in range(4):  # sub-areas of sub-areas
        for key, parent in parents.items():
            pkey = by_id.get(parent)
            for place in out.get(pkey) or {}:
                out[key].setdefault(place, f"part of {parent}")
    geoms = {
        lid: (
            gdf.geometry.to_crs(4326)
            if gdf.crs is not None and gdf.crs.to_epsg() != 4326
            else gdf.geometry
        )
        for lid, gdf in frames.items()
        if "feature_id" in gdf.columns
    }
    for place in PARTIAL_PLACES:
        outlines = []
        for lid, gdf in frames.items():
            if "precision" not in gdf.columns or lid not in geoms:
                continue
            for fid, prec, geom in zip(gdf["feature_id"], gdf["precision"], geoms[lid]):
                if (
                    place in out.get((lid, fid), {})
                    and prec in _PLACE_OUTLINE_PRECISION
                    and geom is not None
                    and shapely.area(geom) > 0
                ):
                    outlines.append(geom)
        if not outlines:
            continue
        extent = shapely.union_all(outlines)
        for lid, gdf in frames.items():
            if lid not in geoms:
                continue
            for fid, geom in zip(gdf["feature_id"], geoms[lid]):
                if geom is None or (lid, fid) not in out or place in out[(lid, fid)]:
                    continue
                if shapely.intersects(geom, extent) and not shapely.touches(geom, extent):
                    out[(lid, fid)][place] = "geometry in an official outline of " + place
    return out


def carrier_features(extra: dict[str, gpd.GeoDataFrame] | None = None) -> pd.DataFrame:
    """One row per (feature, lead cluster, district) over all park and zone layers (+ extra).

    ``places_zh`` lists the places of :data:`PARTIAL_PLACES` (前海) the feature lies in or names,
    and ``place_basis`` says why (see :func:`feature_places`).

    Parameters
    ----------
    extra : dict of str to geopandas.GeoDataFrame, optional
        More layers by id (e.g. an upload).

    Returns
    -------
    pandas.DataFrame
    """
    rows = []
    frames = {lid: load(lid) for lid in FEATURE_LAYERS}
    frames.update(extra or {})
    places = feature_places(frames)
    for lid, gdf in frames.items():
        if "lead_clusters" not in gdf.columns:
            continue
        for r in gdf.itertuples():
            where = places.get((lid, r.feature_id), {})
            for cid in _listed(r.lead_clusters):
                for did in _listed(getattr(r, "district_ids", None)) or [None]:
                    rows.append(
                        {
                            "layer_id": lid,
                            "feature_id": r.feature_id,
                            "name_zh": getattr(r, "name_zh", None),
                            "cluster_id": cid,
                            "district_id": did,
                            "places_zh": sorted(where),
                            "place_basis": "; ".join(f"{p}: {w}" for p, w in sorted(where.items())),
                        }
                    )
    return pd.DataFrame(
        rows,
        columns=[
            "layer_id",
            "feature_id",
            "name_zh",
            "cluster_id",
            "district_id",
            "places_zh",
            "place_basis",
        ],
    )


def cluster_gaps(
    district: str | None = None, extra: dict[str, gpd.GeoDataFrame] | None = None
) -> pd.DataFrame:
    """Cluster x place pairs the Opinion names where no park or zone carries the cluster.

    For a district, a carrier is a park or zone in that district leading the cluster. For a place
    that is only part of its districts (前海), it is a feature that lies in or names the place
    (``carrier_basis`` says why); a park elsewhere in 宝安 or 南山 does not carry a 前海 cluster.

    Parameters
    ----------
    district : str, optional
        Only this district (id or name).
    extra : dict of str to geopandas.GeoDataFrame, optional
        More carrier layers by id.

    Returns
    -------
    pandas.DataFrame
        One row per cluster and place without a carrier.
    """
    car = carrier_features(extra)
    rows = []
    for c in clusters().itertuples():
        for place in c.opinion_districts:
            dids = place_to_districts(place)
            if district and district not in dids:
                continue
            mine = car[car.cluster_id == c.cluster_id]
            name = _PLACE_ALIASES.get(str(place).strip(), str(place).strip())
            if name in PARTIAL_PLACES:
                mine = mine[mine["places_zh"].map(lambda v, p=name: p in v)]
                basis = "; ".join(
                    f"{r.feature_id} ({r.place_basis})"
                    for r in mine.drop_duplicates("feature_id")
                    .sort_values("feature_id")
                    .itertuples()
                )
            else:
                mine = mine[mine.district_id.isin(dids)]
                basis = "park or zone in the district" if len(mine) else ""
            carried_by = sorted(mine["feature_id"].unique().tolist())
            rows.append(
                {
                    "cluster_id": c.cluster_id,
                    "cluster_zh": c.name_zh,
                    "cluster_en": c.name_en,
                    "place_zh": place,
                    "district_ids": dids,
                    "carried_by": carried_by,
                    "carrier_basis": basis,
                    "gap": not carried_by,
                    "source": c.source,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "cluster_id",
            "cluster_zh",
            "cluster_en",
            "place_zh",
            "district_ids",
            "carried_by",
            "carrier_basis",
            "gap",
            "source",
        ],
    )


def gap_clusters_by_district(
    gaps: pd.DataFrame, lang: str = "zh", cluster: str | None = None
) -> dict[str, list[str]]:
    """District id -> names of the clusters the Opinion assigns there that no park or zone carries.

    ``gaps`` is a :func:`cluster_gaps` table; ``cluster`` keeps only that cluster's gaps.

    Parameters
    ----------
    gaps : pandas.DataFrame
        A :func:`cluster_gaps` table.
    lang : {'zh', 'en'}, default 'zh'
    cluster : str, optional
        A cluster id.

    Returns
    -------
    dict of str to list of str
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
    """Catalog records that have no geometry (outline or location not public).

    Returns
    -------
    pandas.DataFrame
    """
    rows = []
    for lid in FEATURE_LAYERS:
        g = load(lid)
        for r in g[g.geometry.isna()].itertuples():
            rows.append(
                {
                    "layer_id": lid,
                    "feature_id": r.feature_id,
                    "kind": r.kind,
                    "name_zh": r.name_zh,
                    "district_ids": r.district_ids,
                    "note": r.note,
                    "source": r.source,
                }
            )
    out = pd.DataFrame(
        rows,
        columns=["layer_id", "feature_id", "kind", "name_zh", "district_ids", "note", "source"],
    )
    # a name no publication gives stays None (pandas would make it NaN, and NaN reads as a name:
    # "nan：无公开边界")
    out["name_zh"] = out["name_zh"].astype(object).where(out["name_zh"].notna(), None)
    return out


def uncovered_districts(layer_id: str = "sz20_parks") -> gpd.GeoDataFrame:
    """The part of each district not covered by a layer (for the map).

    Parameters
    ----------
    layer_id : str, default 'sz20_parks'
        A catalog layer id.

    Returns
    -------
    geopandas.GeoDataFrame
    """
    return uncovered(
        load(layer_id).dropna(subset=["geometry"]), by=load("districts"), zone_id="district_id"
    )
