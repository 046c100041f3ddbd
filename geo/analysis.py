"""Coverage, overlaps and uncovered parts: the three analyses the product exists for.

All take GeoDataFrames (any CRS on the data) and measure in the zones' Gauss-Kruger zone
(EPSG:4547 for Shenzhen) unless ``crs`` says otherwise. Nothing is counted twice: where
features of a layer overlap, coverage uses their union.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .areas import project_for_area, require_polygons
from .crs import area_crs
from .overlap_flags import interior_overlap_pairs, overlapping_features  # noqa: F401
from .overlay import (  # the array engine; these names are also used from here
    _valid_polygons,
    _zone_pairs,  # noqa: F401
    clip_and_find_overlaps,  # noqa: F401
    clip_to_zones,
    coverage_m2,
    near_box,
)


def _ids(gdf: gpd.GeoDataFrame, id_col: str | None) -> np.ndarray:
    if id_col is not None:
        return gdf[id_col].to_numpy()
    return gdf.index.to_numpy()


def near_zones(
    layer: gpd.GeoDataFrame, zones: gpd.GeoDataFrame, margin: float = 0.1
) -> gpd.GeoDataFrame:
    """The layer with features far from the zones emptied and those reaching far beyond them cut.

    The result is in the layer's own CRS.

    Only what lies in the zones' bounding box (plus ``margin`` of its size) can cover a zone; the
    rest, projected into the zones' Gauss-Kruger zone, can come out distorted or infinite (a world
    layer, a stray feature at 0,0). Features inside the box are left exactly as they are.

    Parameters
    ----------
    layer : geopandas.GeoDataFrame
        The layer, with a CRS.
    zones : geopandas.GeoDataFrame
        The zones, with a CRS.
    margin : float, default 0.1
        Share of the zones' box size added around it.

    Returns
    -------
    geopandas.GeoDataFrame
        The layer, same rows and CRS.
    """
    geoms = np.asarray(layer.geometry.values, dtype=object)
    out = near_box(geoms, layer.crs, zones.geometry.values, zones.crs, margin)
    if out is geoms:
        return layer
    return layer.set_geometry(gpd.GeoSeries(out, index=layer.index, crs=layer.crs))


def _prepare(layer, zones, crs, near: bool = False):
    """Both layers projected for area; ``near``: only the layer's parts near the zones."""
    require_polygons(layer, "a coverage analysis")
    require_polygons(zones, "a coverage analysis")
    target = crs if crs is not None else area_crs(zones)
    lay = project_for_area(near_zones(layer, zones) if near else layer, target)
    zon = project_for_area(zones, target)
    return lay, zon


def coverage(
    layer: gpd.GeoDataFrame,
    by: gpd.GeoDataFrame,
    zone_id: str | None = None,
    crs=None,
    min_count_m2: float = 1.0,
) -> pd.DataFrame:
    """Per zone: its area, the area the layer covers (union, so overlaps count once), the %.

    Columns: zone_id, zone_area, covered_area, uncovered_area, covered_pct, feature_count, unit
    (areas in m²: a view converts them, :func:`geo.units.convert_area`).
    Features crossing zone boundaries are split and each part counted in its zone; a part
    smaller than ``min_count_m2`` still adds its area but not to ``feature_count``.

    Parameters
    ----------
    layer : geopandas.GeoDataFrame
        Polygons that cover (e.g. parks), with a CRS.
    by : geopandas.GeoDataFrame
        Zone polygons (e.g. districts), with a CRS.
    zone_id : str, optional
        Column of ``by`` naming the zones (default: its index).
    crs : optional
        CRS to measure in (default: the zones' Gauss-Kruger zone).
    min_count_m2 : float, default 1.0
        Parts smaller than this (m²) add area but no count.

    Returns
    -------
    pandas.DataFrame
        One row per zone.

    Raises
    ------
    LandplanError
        No CRS (CRSError) or layers that are not polygons (GeometryTypeError).
    """
    fig = coverage_m2(
        layer.geometry.values, layer.crs, by.geometry.values, by.crs, crs, min_count_m2
    )
    out = pd.DataFrame({"zone_id": _ids(by, zone_id), **fig.columns(), "unit": "m2"})
    out.attrs["warnings"] = fig.warnings()
    return out


def uncovered(
    layer: gpd.GeoDataFrame, by: gpd.GeoDataFrame, zone_id: str | None = None, crs=None
) -> gpd.GeoDataFrame:
    """The part of each zone the layer does not cover, as geometry (in the zones' CRS).

    Parameters
    ----------
    layer : geopandas.GeoDataFrame
        Polygons that cover, with a CRS.
    by : geopandas.GeoDataFrame
        Zone polygons, with a CRS.
    zone_id : str, optional
        Column of ``by`` naming the zones (default: its index).
    crs : optional
        CRS to compute in (default: the zones' Gauss-Kruger zone).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per zone: ``zone_id`` and the uncovered geometry.

    Raises
    ------
    LandplanError
        No CRS (CRSError) or layers that are not polygons (GeometryTypeError).
    """
    lay, zon = _prepare(layer, by, crs, near=True)
    il, iz, pieces = clip_to_zones(lay, zon)
    zg = _valid_polygons(zon.geometry.values)
    holes = []
    for z in range(len(zon)):
        cover = shapely.union_all(pieces[iz == z])
        holes.append(shapely.difference(zg[z], cover) if zg[z] is not None else None)
    out = gpd.GeoDataFrame({"zone_id": _ids(by, zone_id)}, geometry=holes, crs=zon.crs)
    out["uncovered_m2"] = out.area
    return out.to_crs(by.crs)


def overlaps(
    layer: gpd.GeoDataFrame,
    other: gpd.GeoDataFrame | None = None,
    id_col: str | None = None,
    other_id_col: str | None = None,
    crs=None,
) -> gpd.GeoDataFrame:
    """Every pair of features whose interiors overlap (within one layer, or between two).

    Columns: a_id, b_id, area (m²), unit, geometry (the overlap). ``attrs['double_counted']``
    is the total area that would be counted twice if the features were simply summed.

    Parameters
    ----------
    layer : geopandas.GeoDataFrame
        Polygons with a CRS.
    other : geopandas.GeoDataFrame, optional
        A second layer (default: pairs within ``layer``).
    id_col, other_id_col : str, optional
        Columns naming the features (default: the index).
    crs : optional
        CRS to measure in (default: the layer's Gauss-Kruger zone).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per overlapping pair.

    Raises
    ------
    LandplanError
        No CRS (CRSError) or layers that are not polygons (GeometryTypeError).
    """
    require_polygons(layer, "an overlap analysis")
    target = crs if crs is not None else area_crs(layer)
    a = project_for_area(layer, target)
    ag = _valid_polygons(a.geometry.values)
    if other is None:
        ia, ib = interior_overlap_pairs(ag)
        bg, b_ids = ag, _ids(layer, id_col)
    else:
        require_polygons(other, "an overlap analysis")
        bg = _valid_polygons(project_for_area(other, target).geometry.values)
        ia, ib = interior_overlap_pairs(ag, bg)
        b_ids = _ids(other, other_id_col if other_id_col is not None else id_col)
    geoms = shapely.intersection(ag[ia], bg[ib]) if len(ia) else np.array([], dtype=object)
    m2 = shapely.area(geoms) if len(ia) else np.array([])
    out = gpd.GeoDataFrame(
        {
            "a_id": _ids(layer, id_col)[ia],
            "b_id": b_ids[ib],
            "area": np.asarray(m2, dtype=float),
            "unit": "m2",
        },
        geometry=list(geoms),
        crs=a.crs,
    )
    out = out[out["area"] > 0].reset_index(drop=True)
    out.attrs["double_counted"] = float(out["area"].sum())
    return out
