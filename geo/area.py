"""Areas measured right: planimetric in the local CGCS2000 Gauss-Kruger zone, or geodesic."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

from .crs import WGS84, area_crs, parse_crs, transform_layer
from .errors import CRSError, GeometryTypeError
from .units import convert_area, normalize_unit

_GEOM_TYPES = ["Point", "LineString", "LinearRing", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon",
               "GeometryCollection"]  # by shapely.get_type_id
_GEOD = Geod(ellps="GRS80")  # the CGCS2000 ellipsoid; differs from WGS84's by 0.1 mm in b


def polygonal_part(g):
    """The polygons of a geometry (e.g. one made valid): a MultiPolygon when there are several, empty if none."""
    if g is None or g.geom_type in ("Polygon", "MultiPolygon"):
        return g
    polys = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
    if not polys:
        return shapely.Polygon()
    return shapely.union_all(polys) if len(polys) > 1 else polys[0]


def require_polygons(gdf: gpd.GeoDataFrame, what: str = "an area analysis") -> None:
    """Refuse layers that are not polygons, with a sentence saying what was found."""
    geoms = gdf.geometry.values
    types = {_GEOM_TYPES[t] for t in np.unique(shapely.get_type_id(geoms[~shapely.is_missing(geoms)]))}
    bad = types - {"Polygon", "MultiPolygon"}
    if bad:
        raise GeometryTypeError(
            f"{what.capitalize()} needs polygons, but this layer has {', '.join(sorted(bad))} "
            "geometries. Use a polygon layer (parks, zones, parcels), or buffer points/lines first.",
            f"面积分析需要面图层，但该图层包含 {', '.join(sorted(bad))}。")


def project_for_area(gdf: gpd.GeoDataFrame, crs=None) -> gpd.GeoDataFrame:
    """Project a layer to the CRS its areas are measured in (default: its Gauss-Kruger zone)."""
    if gdf.crs is None:
        raise CRSError("The layer has no coordinate system; its area cannot be measured.",
                       "图层没有坐标系，无法计算面积。")
    target = parse_crs(crs) if crs is not None else area_crs(gdf)
    if isinstance(target, str) or target.is_geographic:
        raise CRSError("Areas must be measured in a projected coordinate system, not in "
                       f"degrees or an offset system ({crs}). Use e.g. EPSG:4547.",
                       "面积必须在投影坐标系中计算。")
    return transform_layer(gdf, target)


def geodesic_area_m2(geoms) -> np.ndarray:
    """Ellipsoidal area in m² of geometries in geographic coordinates (CGCS2000/GRS80)."""
    geoms = np.asarray(geoms)
    out = np.zeros(len(geoms))
    for i, g in enumerate(geoms):  # pyproj's Geod has no array API for polygons
        if g is not None and not g.is_empty:
            out[i] = abs(_GEOD.geometry_area_perimeter(g)[0])
    return out


def area(gdf: gpd.GeoDataFrame, unit: str = "km2", crs=None, ellipsoidal: bool = False,
         non_polygons: str = "refuse") -> pd.Series:
    """Area of every feature, in ``unit`` (km2, ha, mu, m2, wan_m2).

    Planimetric in the layer's Gauss-Kruger zone (EPSG:4547 in Shenzhen) unless ``crs``
    names another projected CRS; geodesic on the GRS80 ellipsoid when ``ellipsoidal``.
    Empty or missing geometries have area 0. Points and lines are refused with a
    GeometryTypeError, or count as 0 with ``non_polygons='zero'`` (e.g. map tooltips).
    """
    unit = normalize_unit(unit)
    if non_polygons == "refuse":
        require_polygons(gdf, "an area calculation")
    if ellipsoidal:
        if gdf.crs is None:
            raise CRSError("The layer has no coordinate system; its area cannot be measured.",
                           "图层没有坐标系，无法计算面积。")
        m2 = geodesic_area_m2(gdf.to_crs(WGS84).geometry.values)
    else:
        m2 = shapely.area(project_for_area(gdf, crs).geometry.values)
        m2 = np.nan_to_num(np.asarray(m2, dtype=float))
    return pd.Series(convert_area(m2, "m2", unit), index=gdf.index, name=f"area_{unit}")
