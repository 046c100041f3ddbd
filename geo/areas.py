"""Areas measured right: planimetric in the local CGCS2000 Gauss-Kruger zone, or geodesic."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import shapely
from pyproj import CRS, Geod

from .crs import (
    WGS84,
    area_crs,
    area_crs_of,
    crs_label,
    gauss_kruger_crs,
    parse_crs,
    transform_layer,
    transformer,
)
from .errors import CRSError, GeometryTypeError

if TYPE_CHECKING:  # pandas and geopandas load only where a table or GeoDataFrame is made
    import geopandas as gpd
    import pandas as pd

#: geometry type names by shapely.get_type_id
GEOM_TYPE_NAMES = [
    "Point",
    "LineString",
    "LinearRing",
    "Polygon",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
    "GeometryCollection",
]  # by shapely.get_type_id
_GEOD = Geod(ellps="GRS80")  # the CGCS2000 ellipsoid; differs from WGS84's by 0.1 mm in b


def polygonal_part(g):
    """The polygons of a geometry (e.g. one made valid), empty if none.

    A MultiPolygon when there are several.

    Parameters
    ----------
    g : shapely.Geometry
        Any geometry.

    Returns
    -------
    shapely.Geometry
        Polygon, MultiPolygon or an empty Polygon.
    """
    if g is None or g.geom_type in ("Polygon", "MultiPolygon"):
        return g
    polys = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
    if not polys:
        return shapely.Polygon()
    return shapely.union_all(polys) if len(polys) > 1 else polys[0]


def require_polygons(gdf: gpd.GeoDataFrame, what: str = "an area analysis") -> None:
    """Refuse layers that are not polygons, with a sentence saying what was found.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer.
    what : str, default 'an area analysis'
        What needs polygons, for the sentence.

    Raises
    ------
    GeometryTypeError
        When the layer holds points, lines or collections.
    """
    require_polygon_geoms(gdf.geometry.values, what)


def require_polygon_geoms(geoms, what: str = "an area analysis") -> None:
    """:func:`require_polygons` on an array of geometries.

    Parameters
    ----------
    geoms : array-like of shapely.Geometry
        The layer's geometries.
    what : str, default 'an area analysis'
        What needs polygons, for the sentence.

    Raises
    ------
    GeometryTypeError
        When the geometries include points, lines or collections.
    """
    geoms = np.asarray(geoms, dtype=object)
    types = {
        GEOM_TYPE_NAMES[t]
        for t in np.unique(shapely.get_type_id(geoms[~shapely.is_missing(geoms)]))
    }
    bad = types - {"Polygon", "MultiPolygon"}
    if bad:
        raise GeometryTypeError(
            f"面积分析需要面图层，但该图层包含 {', '.join(sorted(bad))}。",
            f"{what.capitalize()} needs polygons, but this layer has {', '.join(sorted(bad))} "
            "geometries. Use a polygon layer (parks, zones, parcels), or buffer points/lines "
            "first.",
        )


def project_for_area(gdf: gpd.GeoDataFrame, crs=None) -> gpd.GeoDataFrame:
    """Project a layer to the CRS its areas are measured in (default: its Gauss-Kruger zone).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer, with a CRS.
    crs : optional
        A projected CRS (default: :func:`geo.crs.area_crs`).

    Returns
    -------
    geopandas.GeoDataFrame
        The layer in that CRS.

    Raises
    ------
    CRSError
        No CRS, or ``crs`` is geographic or an offset system.
    """
    if gdf.crs is None:
        raise no_crs_error()
    target = measuring_crs(crs) if crs is not None else area_crs(gdf)
    return transform_layer(gdf, target)


def no_crs_error() -> CRSError:
    """The error of a layer without a CRS whose area is asked for."""
    return CRSError(
        "图层没有坐标系，无法计算面积。",
        "The layer has no coordinate system; its area cannot be measured.",
    )


def measuring_crs(crs) -> CRS:
    """The projected CRS ``crs`` names, to measure areas in; degrees and offset systems refused.

    Parameters
    ----------
    crs : str, int or pyproj.CRS
        Any CRS :func:`geo.crs.parse_crs` reads.

    Returns
    -------
    pyproj.CRS

    Raises
    ------
    CRSError
        When ``crs`` is geographic or an offset system.
    """
    target = parse_crs(crs)
    if isinstance(target, str) or target.is_geographic:
        raise CRSError(
            "面积必须在投影坐标系中计算。",
            "Areas must be measured in a projected coordinate system, not in "
            f"degrees or an offset system ({crs}). Use e.g. EPSG:4547.",
        )
    return target


#: equal-area CRS for features that fit no single Gauss-Kruger zone: WGS 84 / NSIDC EASE-Grid 2.0
#: Global (cylindrical equal-area, valid world-wide)
EQUAL_AREA = CRS.from_epsg(6933)
_ZONE_HALF_WIDTH = (
    2.0  # degrees from the central meridian still measured in a 3-degree zone (area error < 0.1 %)
)


def _in_china(lon0, lat0, lon1, lat1):
    return (lon0 >= 73) & (lon1 <= 135) & (lat0 >= 3) & (lat1 <= 54)


def planimetric_m2(gdf: gpd.GeoDataFrame, crs=None) -> tuple[np.ndarray, np.ndarray]:
    """(area in m², method) of every feature: the method names the CRS actually used.

    ``crs`` given: every feature in it. Otherwise a layer inside one CGCS2000 3-degree Gauss-Kruger
    zone (EPSG:4547 in Shenzhen) is measured in that zone, a layer outside China (not world-wide) in
    a Lambert azimuthal equal-area projection centred on it; a layer wider than one zone (national,
    provincial or world data) feature by feature: in the feature's own zone when it fits one, else
    in the equal-area EPSG:6933.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer, with a CRS.
    crs : optional
        A projected CRS to measure every feature in.

    Returns
    -------
    area : numpy.ndarray
        Area in m² per feature.
    method : numpy.ndarray
        The CRS each was measured in, per feature.
    """
    n = len(gdf)
    if crs is not None or gdf.crs is None or n == 0:
        target = parse_crs(crs) if crs is not None else None
        m2 = shapely.area(project_for_area(gdf, target).geometry.values)
        label = (
            f"planimetric {crs_label(target if target is not None else area_crs(gdf))}" if n else ""
        )
        return np.nan_to_num(np.asarray(m2, dtype=float)), np.full(n, label, dtype=object)
    whole = _in_one_projection(gdf)
    if whole is not None:
        return whole
    return _feature_by_feature(gdf)


def _in_one_projection(gdf: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray] | None:
    """(m², method) of a layer measured whole: inside one Gauss-Kruger zone in China, in that
    zone; outside China (and not world-wide), in a Lambert azimuthal equal-area projection centred
    on it. None when the layer is wider than that."""
    n = len(gdf)
    minx, miny, maxx, maxy = gdf.total_bounds
    if not gdf.crs.equals(WGS84) and np.isfinite([minx, miny, maxx, maxy]).all():
        lon, lat = transformer(gdf.crs, WGS84).transform(
            [minx, maxx, minx, maxx], [miny, miny, maxy, maxy]
        )
        minx, maxx, miny, maxy = np.min(lon), np.max(lon), np.min(lat), np.max(lat)
    if np.isfinite([minx, miny, maxx, maxy]).all():
        cm = 3.0 * round((minx + maxx) / 6.0)
        if (
            _in_china(minx, miny, maxx, maxy)
            and minx >= cm - _ZONE_HALF_WIDTH
            and maxx <= cm + _ZONE_HALF_WIDTH
        ):
            target = gauss_kruger_crs((minx + maxx) / 2)
            m2 = shapely.area(transform_layer(gdf, target).geometry.values)
            return np.nan_to_num(np.asarray(m2, dtype=float)), np.full(
                n, f"planimetric {crs_label(target)}", dtype=object
            )
        if (
            not (
                _in_china(minx, miny, maxx, maxy)
                or (maxx > 73 and minx < 135 and maxy > 3 and miny < 54)
            )
            and maxx - minx <= 60
            and maxy - miny <= 60
        ):
            target = area_crs(gdf)  # Lambert azimuthal equal-area centred on the layer
            m2 = shapely.area(transform_layer(gdf, target).geometry.values)
            lon0, lat0 = (minx + maxx) / 2, (miny + maxy) / 2
            return (
                np.nan_to_num(np.asarray(m2, dtype=float)),
                np.full(n, f"equal-area LAEA centred on {lon0:.2f}E {lat0:.2f}N", dtype=object),
            )
    return None


def _feature_by_feature(gdf: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(m², method) of a layer wider than one zone, feature by feature."""
    n = len(gdf)
    # wider than one zone: each feature in its own zone when it fits one, else in an equal-area
    # projection
    b = shapely.bounds(transform_layer(gdf, WGS84).geometry.values)
    cms = 3.0 * np.round((b[:, 0] + b[:, 2]) / 6.0)
    fits = (
        _in_china(b[:, 0], b[:, 1], b[:, 2], b[:, 3])
        & (b[:, 0] >= cms - _ZONE_HALF_WIDTH)
        & (b[:, 2] <= cms + _ZONE_HALF_WIDTH)
    )
    m2 = np.zeros(n)
    methods = np.full(n, "", dtype=object)
    groups = [
        (
            gauss_kruger_crs(cm),
            fits & (cms == cm),
            " (the feature's own 3-degree zone; the layer spans several)",
        )
        for cm in np.unique(cms[fits])
    ]
    # an outline across the antimeridian (longitudes past ±180) would be wrapped round the world by
    # EPSG:6933: each is measured in an equal-area projection centred on it
    across = ~fits & ((b[:, 0] < -180) | (b[:, 2] > 180))
    groups.append(
        (EQUAL_AREA, ~fits & ~across, " equal-area (the feature fits no single 3-degree zone)")
    )
    for target, sel, why in groups:
        if sel.any():
            part = transform_layer(gdf.iloc[np.flatnonzero(sel)], target)
            m2[sel] = np.nan_to_num(np.asarray(shapely.area(part.geometry.values), dtype=float))
            methods[sel] = (
                f"planimetric {crs_label(target)}{why}"
                if target is not EQUAL_AREA
                else f"{crs_label(target)}{why}"
            )
    for i in np.flatnonzero(across):
        target = area_crs_of(b[i], WGS84)
        part = transform_layer(gdf.iloc[[i]], target)
        m2[i] = float(np.nan_to_num(shapely.area(part.geometry.values)[0]))
        lon0, lat0 = (b[i, 0] + b[i, 2]) / 2, (b[i, 1] + b[i, 3]) / 2
        methods[i] = f"equal-area LAEA centred on {lon0:.2f}E {lat0:.2f}N (across the antimeridian)"
    missing = shapely.is_missing(gdf.geometry.values) | shapely.is_empty(gdf.geometry.values)
    m2[missing] = 0.0
    return m2, methods


def geodesic_area_m2(geoms) -> np.ndarray:
    """Ellipsoidal area in m² of geometries in geographic coordinates (CGCS2000/GRS80).

    Parameters
    ----------
    geoms : array-like of shapely.Geometry
        Geometries in longitude/latitude.

    Returns
    -------
    numpy.ndarray
        Area in m² per geometry.
    """
    geoms = np.asarray(geoms)
    out = np.zeros(len(geoms))
    for i, g in enumerate(geoms):  # pyproj's Geod has no array API for polygons
        if g is not None and not g.is_empty:
            out[i] = abs(_GEOD.geometry_area_perimeter(g)[0])
    return out


def area(
    gdf: gpd.GeoDataFrame,
    crs=None,
    ellipsoidal: bool = False,
    non_polygons: str = "refuse",
) -> pd.Series:
    """Area of every feature, in m² (a view converts: :func:`geo.units.convert_area`).

    Planimetric in the layer's Gauss-Kruger zone (EPSG:4547 in Shenzhen) unless ``crs``
    names another projected CRS; a layer wider than one zone feature by feature (see
    :func:`planimetric_m2`); geodesic on the GRS80 ellipsoid when ``ellipsoidal``.
    ``attrs['method']`` names, per feature, the CRS (or ellipsoid) used.
    Empty or missing geometries have area 0. Points and lines are refused with a
    GeometryTypeError, or count as 0 with ``non_polygons='zero'`` (e.g. map tooltips).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer, with a CRS.
    crs : optional
        A projected CRS to measure in.
    ellipsoidal : bool, default False
        Measure on the ellipsoid instead.
    non_polygons : {'refuse', 'zero'}, default 'refuse'
        What points and lines do.

    Returns
    -------
    pandas.Series
        Area per feature (m²), same index.

    Raises
    ------
    LandplanError
        No CRS or a geographic ``crs`` (CRSError), points or lines (GeometryTypeError).
    """
    if non_polygons == "refuse":
        require_polygons(gdf, "an area calculation")
    if ellipsoidal:
        if gdf.crs is None:
            raise CRSError(
                "图层没有坐标系，无法计算面积。",
                "The layer has no coordinate system; its area cannot be measured.",
            )
        m2 = geodesic_area_m2(gdf.to_crs(WGS84).geometry.values)
        methods = np.full(len(gdf), "ellipsoidal (GRS80)", dtype=object)
    else:
        m2, methods = planimetric_m2(gdf, crs)
    import pandas as pd

    out = pd.Series(m2, index=gdf.index, name="area_m2")
    out.attrs["method"] = list(
        methods
    )  # per feature: the CRS (or ellipsoid) the area was measured in
    return out
