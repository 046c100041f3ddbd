"""The tables the map page and reports show, computed from the catalog (same numbers as the CLI)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis import coverage, overlaps
from geo.units import convert_area, normalize_unit

from .catalog_tables import LAYER_IDS
from .loading import feature_ids, load, polygon_features
from .units import in_unit


def district_coverage(
    layer_id: str = "sz20_parks", unit: str = "km2", layer: gpd.GeoDataFrame | None = None
) -> pd.DataFrame:
    """Per district: outline area, published land area, area covered by the layer, %, count, names.

    ``zone_area`` is the area of the district's outline (a web map's, with some sea) and
    ``covered_pct`` is a share of it; ``published_land_area`` is the district's published land
    area (``land_area_source``) in the same unit, shown beside it and never used as a divisor.

    Parameters
    ----------
    layer_id : str, default 'sz20_parks'
        A catalog layer id.
    unit : str, default 'km2'
        Area unit.
    layer : geopandas.GeoDataFrame, optional
        A layer to use instead (e.g. the parks in effect).

    Returns
    -------
    pandas.DataFrame
        One row per district.
    """
    unit = normalize_unit(unit)
    parks = polygon_features(layer if layer is not None else load(layer_id))
    districts = load("districts")
    cov = coverage(parks, by=districts, zone_id="district_id", unit="m2")
    info = districts.set_index("district_id")[["name_zh", "name_en"]].join(
        published_land_areas(districts)
    )
    out = cov.merge(
        info[["name_zh", "name_en", "published_land_area", "land_area_source"]],
        left_on="zone_id",
        right_index=True,
    )[
        [
            "zone_id",
            "name_zh",
            "name_en",
            "zone_area",
            "published_land_area",
            "covered_area",
            "uncovered_area",
            "covered_pct",
            "feature_count",
            "unit",
            "land_area_source",
        ]
    ]
    # what keeping the polygons left out (not what reading the layer said), and e.g. that no
    # feature lies in any district
    source = layer if layer is not None else parks
    read = set(source.attrs.get("warnings", [])) if source is not parks else set()
    kept = [w for w in parks.attrs.get("warnings", []) if w not in read]
    placed = list(cov.attrs.get("warnings", [])) if len(parks) else []  # no polygons: said once
    out.attrs["warnings"] = kept + placed
    return in_unit(out, unit)


def published_land_areas(districts: pd.DataFrame) -> pd.DataFrame:
    """The districts' published land areas, shown beside their outlines' areas (which take in
    some sea): ``published_land_area`` in m² and ``land_area_source``, indexed by district id.

    Parameters
    ----------
    districts : pandas.DataFrame
        The catalog's districts as loaded (``load('districts')``), or some of them.

    Returns
    -------
    pandas.DataFrame
        One row per district.
    """
    info = districts.set_index("district_id")
    return pd.DataFrame(
        {
            "published_land_area": convert_area(
                info["official_land_km2"].astype(float), "km2", "m2"
            ),
            "land_area_source": info["official_land_source"],
        }
    )


def _qualified(gdf: gpd.GeoDataFrame, default_layer: str) -> gpd.GeoDataFrame:
    """Polygon features with ``_layer``, ``_fid`` and the qualified ``_id`` ('layer:feature')."""
    g = polygon_features(gdf)
    lid = (
        g["layer_id"].astype(str)
        if "layer_id" in g.columns
        else pd.Series(gdf.attrs.get("layer_id") or default_layer, index=g.index)
    )
    fid = feature_ids(g)
    return g.assign(_layer=lid.to_numpy(), _fid=fid.to_numpy(), _id=(lid + ":" + fid).to_numpy())


def _names(g: gpd.GeoDataFrame, lang: str) -> pd.Series:
    from .names import feature_name

    own = (
        g["name_zh" if lang == "zh" else "name_en"]
        if ("name_zh" if lang == "zh" else "name_en") in g.columns
        else None
    )
    out = [
        feature_name(i, lang)
        if lid in LAYER_IDS
        else (str(n) if own is not None and isinstance(n, str) and n else i)
        for i, lid, n in zip(g["_fid"], g["_layer"], own if own is not None else [None] * len(g))
    ]
    return pd.Series(out, index=g.index)


def layer_overlaps(
    layer: gpd.GeoDataFrame, other: gpd.GeoDataFrame | None = None, unit: str = "km2"
) -> gpd.GeoDataFrame:
    """Every pair of overlapping features, within ``layer`` or between ``layer`` and ``other``.

    Features that are the same park recorded in two layers (a catalog feature's ``same_as`` names
    the other) are not an overlap and are left out. Columns: a_id, b_id ('layer:feature'),
    a_layer, a_feature, a_name_zh, a_name_en, the same for b, area, unit, geometry (the overlap,
    in the area CRS). ``attrs['double_counted']`` is the total area of the pairs kept.

    The one definition of an overlap used by the page, the reports and ``landplan overlaps``.

    Parameters
    ----------
    layer : geopandas.GeoDataFrame
        Polygons with a CRS (and ``layer_id`` in attrs or a column).
    other : geopandas.GeoDataFrame, optional
        A second layer.
    unit : str, default 'km2'
        Area unit.

    Returns
    -------
    geopandas.GeoDataFrame
    """
    unit = normalize_unit(unit)
    a = _qualified(layer, "a")
    b = _qualified(other, "b") if other is not None else None
    ov = overlaps(a, b, id_col="_id", unit="m2")
    both = a if b is None else pd.concat([a, b], ignore_index=True)
    by_fid: dict[str, list[str]] = {}
    for fid, qid in zip(both["_fid"], both["_id"]):
        by_fid.setdefault(fid, []).append(qid)
    same = set()
    for qid, target in zip(
        both["_id"], both["same_as"] if "same_as" in both.columns else [None] * len(both)
    ):
        if isinstance(target, str):
            same.update(frozenset((qid, other_id)) for other_id in by_fid.get(target, []))
    out = ov[[frozenset((x, y)) not in same for x, y in zip(ov["a_id"], ov["b_id"])]].reset_index(
        drop=True
    )
    info = both.drop_duplicates("_id").set_index("_id")
    zh, en = _names(both, "zh").set_axis(both["_id"]), _names(both, "en").set_axis(both["_id"])
    zh, en = zh[~zh.index.duplicated()], en[~en.index.duplicated()]
    for side in ("a", "b"):
        ids = out[f"{side}_id"]
        out.insert(len(out.columns) - 3, f"{side}_layer", ids.map(info["_layer"]).to_numpy())
        out.insert(len(out.columns) - 3, f"{side}_feature", ids.map(info["_fid"]).to_numpy())
        out.insert(len(out.columns) - 3, f"{side}_name_zh", ids.map(zh).to_numpy())
        out.insert(len(out.columns) - 3, f"{side}_name_en", ids.map(en).to_numpy())
    out = out[
        [
            "a_id",
            "b_id",
            "a_layer",
            "a_feature",
            "a_name_zh",
            "a_name_en",
            "b_layer",
            "b_feature",
            "b_name_zh",
            "b_name_en",
            "area",
            "unit",
            "geometry",
        ]
    ]
    out.attrs["double_counted"] = float(out["area"].sum())
    return in_unit(out, unit)


def catalog_overlaps(
    layer_ids=("sz20_parks", "longgang_parks", "pingshan_zones"), unit: str = "km2"
) -> gpd.GeoDataFrame:
    """Overlaps between the polygon features of the given layers (within and across layers).

    As :func:`layer_overlaps` defines them (the same park in two layers, ``same_as``, is no
    overlap).

    Parameters
    ----------
    layer_ids : sequence of str
        Catalog layer ids.
    unit : str, default 'km2'
        Area unit.

    Returns
    -------
    geopandas.GeoDataFrame
    """
    allf = gpd.GeoDataFrame(
        pd.concat([load(lid) for lid in layer_ids], ignore_index=True), crs=4326
    )
    out = layer_overlaps(allf, unit=unit)
    double = out.attrs["double_counted"]
    out = out.to_crs(4326)
    out.attrs["double_counted"] = double
    return out


def overlaps_in_district(ov: gpd.GeoDataFrame, district: str) -> gpd.GeoDataFrame:
    """The overlaps that lie (by at least 1 m²) in ``district``.

    ``attrs['double_counted']`` is summed again.

    Parameters
    ----------
    ov : geopandas.GeoDataFrame
        A :func:`layer_overlaps` table.
    district : str
        A district id.

    Returns
    -------
    geopandas.GeoDataFrame
    """
    from geo.areas import project_for_area

    zone = load("districts")
    zone = project_for_area(zone[zone["district_id"] == district], 4547).geometry.union_all()
    inside = (
        shapely.area(shapely.intersection(project_for_area(ov, 4547).geometry.values, zone)) >= 1.0
        if len(ov)
        else np.zeros(0, dtype=bool)
    )
    out = ov[inside].reset_index(drop=True)
    out.attrs["double_counted"] = float(out["area"].sum())
    return out


def overlaps_of_layers(ov: gpd.GeoDataFrame, layer_ids) -> gpd.GeoDataFrame:
    """The overlaps whose two features both belong to ``layer_ids`` (e.g. the layers on the map).

    Parameters
    ----------
    ov : geopandas.GeoDataFrame
        A :func:`layer_overlaps` table.
    layer_ids : iterable of str

    Returns
    -------
    geopandas.GeoDataFrame
    """
    keep = ov["a_layer"].isin(list(layer_ids)) & ov["b_layer"].isin(list(layer_ids))
    out = ov[keep].reset_index(drop=True)
    out.attrs["double_counted"] = float(out["area"].sum())
    return out


def land_under(frames, districts: gpd.GeoDataFrame) -> float:
    """The land under any of the layers' polygons inside the districts, each place counted once
    (the union of the outlines, however many layers record it or overlap there), in m²
    (EPSG:4547).

    Parameters
    ----------
    frames : iterable of geopandas.GeoDataFrame
        Park and zone layers.
    districts : geopandas.GeoDataFrame

    Returns
    -------
    float
    """
    from geo.areas import project_for_area

    from .loading import is_polygonal

    zones = project_for_area(districts, 4547).geometry.values
    geoms = [
        project_for_area(g, 4547).geometry.values
        for g in (gdf[is_polygonal(gdf)] for gdf in frames)
        if len(g)
    ]
    if not geoms:
        return 0.0
    land = shapely.union_all(shapely.make_valid(np.concatenate(geoms)))
    return float(shapely.area(shapely.intersection(land, shapely.union_all(zones))))
