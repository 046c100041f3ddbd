"""Detecting GCJ-02/BD-09 offset data: does a lon/lat layer sit off trusted outlines by a shift?"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import shapely

from .crs import WGS84, gauss_kruger_crs, transformer
from .errors import bilingual

if TYPE_CHECKING:
    import geopandas as gpd


def _finite_xy(geoms):
    xy = shapely.get_coordinates(geoms)
    return xy[np.isfinite(xy).all(axis=1) & (np.abs(xy) < 1e9).all(axis=1)]


def _sample_vertices(geoms, sample: int) -> np.ndarray:
    """About ``sample`` finite vertices spread evenly over a layer.

    Not all the layer's coordinates are read.

    Up to ``sample`` geometries evenly spaced through the layer (all of them when there are fewer),
    then ``sample`` vertices evenly spaced through theirs. For a layer of at most ``sample``
    geometries this is exactly every ``len/sample``-th of all its vertices.
    """
    geoms = np.asarray(geoms)
    if len(geoms) > sample:
        geoms = geoms[np.linspace(0, len(geoms) - 1, sample).astype(int)]
    xy = _finite_xy(geoms)
    if len(xy) > sample:
        xy = xy[np.linspace(0, len(xy) - 1, sample).astype(int)]
    return xy


def _near(xy: np.ndarray, bounds, margin_m: float) -> bool:
    """Could any lon/lat point lie within ``margin_m`` metres of the box ``bounds`` (lon/lat)?"""
    minx, miny, maxx, maxy = bounds
    lat = min(89.0, float(np.abs(xy[:, 1]).max()), max(abs(miny), abs(maxy)))
    dy = 2 * margin_m / 110_000.0  # twice the metres per degree, to be safe
    dx = dy / max(np.cos(np.radians(lat)), 0.01)
    return bool(
        (
            (xy[:, 0] >= minx - dx)
            & (xy[:, 0] <= maxx + dx)
            & (xy[:, 1] >= miny - dy)
            & (xy[:, 1] <= maxy + dy)
        ).any()
    )


def offset_suspect(
    gdf: gpd.GeoDataFrame, reference: gpd.GeoDataFrame, tol_m: float = 30.0, sample: int = 2000
) -> tuple[str, float, float] | None:
    """Does a lon/lat layer sit off reference outlines the way GCJ-02 or BD-09 shifts data?

    Compares how many of the layer's vertices (about ``sample``, spread over the layer) lie within
    ``tol_m`` of the reference outlines as read, and after undoing each offset system. Returns
    (system, share as read, share after undoing) when undoing it clearly fits better, else None.
    Only layers that share edges with the reference (e.g. outlines copied from a web map) can be
    judged; a layer whose vertices, shifted or not, come nowhere near the reference's extent is
    not compared at all. Costs milliseconds: the outlines are prepared and tested with ``dwithin``.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer, with a CRS.
    reference : geopandas.GeoDataFrame
        Trusted outlines (e.g. administrative boundaries).
    tol_m : float, default 30.0
        Distance in metres within which a vertex is on an outline.
    sample : int, default 2000
        About how many vertices to test.

    Returns
    -------
    tuple of (str, float, float) or None
    """
    if gdf.crs is None or not gdf.crs.is_geographic or reference is None or reference.crs is None:
        return None
    return offset_suspect_lonlat(gdf.geometry.values, lonlat_outlines(reference), tol_m, sample)


def lonlat_outlines(reference: gpd.GeoDataFrame) -> np.ndarray:
    """Trusted outlines as the offset check compares with them: WGS84 lon/lat, missing ones left
    out.

    Parameters
    ----------
    reference : geopandas.GeoDataFrame
        Outlines with a CRS (e.g. administrative boundaries).

    Returns
    -------
    numpy.ndarray
        shapely geometries.
    """
    return reference.to_crs(WGS84).geometry.dropna().values


def offset_line(geoms, crs, reference_lonlat) -> str | None:
    """The warning (:func:`offset_warning`) when a lon/lat layer sits off trusted outlines as
    GCJ-02/BD-09 data does; None when it fits, is projected, is empty or has no CRS.

    The offset check of every read (:func:`geo.io.read_layer` and :func:`geo.io.gpkg.read_near`).

    Parameters
    ----------
    geoms : array-like of shapely.Geometry
        The layer's geometries.
    crs : pyproj.CRS or None
        Their CRS.
    reference_lonlat : array-like of shapely.Geometry
        Trusted outlines in WGS84 longitude/latitude (:func:`lonlat_outlines`).

    Returns
    -------
    str or None
    """
    if crs is None or not crs.is_geographic or not len(geoms):
        return None
    suspect = offset_suspect_lonlat(geoms, reference_lonlat)
    return offset_warning(*suspect) if suspect else None


def offset_suspect_lonlat(
    geoms, reference_lonlat, tol_m: float = 30.0, sample: int = 2000
) -> tuple[str, float, float] | None:
    """:func:`offset_suspect` on arrays: lon/lat geometries against lon/lat (WGS84) outlines.

    Parameters
    ----------
    geoms : array-like of shapely.Geometry
        The layer's geometries, in longitude/latitude.
    reference_lonlat : array-like of shapely.Geometry
        Trusted outlines in WGS84 longitude/latitude.
    tol_m : float, default 30.0
        Distance in metres within which a vertex is on an outline.
    sample : int, default 2000
        About how many vertices to test.

    Returns
    -------
    tuple of (str, float, float) or None
    """
    from .offsets import OFFSET_SYSTEMS

    xy = _sample_vertices(geoms, sample)
    if len(xy) < 3:
        return None
    candidates = {None: (xy[:, 0], xy[:, 1])}
    candidates.update(
        (system, inverse(xy[:, 0], xy[:, 1])) for system, (inverse, _) in OFFSET_SYSTEMS.items()
    )
    ref_geoms = np.asarray(reference_lonlat, dtype=object)
    ref_geoms = ref_geoms[~(shapely.is_missing(ref_geoms) | shapely.is_empty(ref_geoms))]
    if not len(ref_geoms):
        return None
    ref_bounds = shapely.total_bounds(ref_geoms)
    if not any(_near(np.column_stack(c), ref_bounds, tol_m) for c in candidates.values()):
        return None  # the layer's extent does not touch the reference outlines: nothing to judge
    lines = shapely.get_parts(shapely.boundary(ref_geoms))
    lines = lines[np.isin(shapely.get_type_id(lines), (1, 2))]  # LineString, LinearRing
    if not len(lines):
        return None
    gk = gauss_kruger_crs(float(np.median(xy[:, 0])))
    to_m = transformer(WGS84, gk)
    outline_m = shapely.transform(
        shapely.multilinestrings(lines), lambda c: np.column_stack(to_m.transform(c[:, 0], c[:, 1]))
    )
    shapely.prepare(
        outline_m
    )  # an indexed facet distance: each point is tested against a few segments

    def share(lon, lat):
        pts = shapely.points(np.column_stack(to_m.transform(lon, lat)))
        return float(shapely.dwithin(outline_m, pts, tol_m).mean())

    as_read = share(*candidates.pop(None))
    best = None
    for system, (lon, lat) in candidates.items():
        s = share(lon, lat)
        if s >= 0.3 and s >= 2 * as_read + 0.1 and (best is None or s > best[2]):
            best = (system, as_read, s)
    return best


def offset_warning(system: str, before: float, after: float) -> str:
    """The warning (Chinese, then English) when :func:`offset_suspect` found an offset system.

    Parameters
    ----------
    system : str
        'gcj02' or 'bd09'.
    before, after : float
        Share of the layer's vertices on the reference outlines as read, and once undone.

    Returns
    -------
    str
    """
    return bilingual(
        f"图层相对参考边界偏移约数百米，与 {system.upper()} 坐标的偏移方式一致（按原样读取时 "
        f"{before:.0%} 的顶点落在边界上，"
        f"消除 {system} 偏移后为 {after:.0%}）。如数据来自网络地图，请用 --crs {system} 读取。",
        f"The layer sits a few hundred metres off the reference outlines the way {system.upper()} "
        "data does "
        f"({before:.0%} of its vertices on them as read, {after:.0%} once {system} is undone). If "
        "it was copied "
        f"from a web map, read it with --crs {system}.",
    )
