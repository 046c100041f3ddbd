"""Coordinate systems: parsing what users give, offset systems, and the right CRS for area.

Offset systems (``gcj02``, ``bd09``) cannot live on a GeoDataFrame's ``crs`` because PROJ
does not know them; layers in an offset system are converted to WGS84 on the way in
and only displayed copies are ever shifted back out.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError as ProjCRSError

from .errors import CRSError
from .offsets import OFFSET_SYSTEMS

if TYPE_CHECKING:  # geopandas (and pandas) load only where a GeoDataFrame is made
    import geopandas as gpd

WGS84 = CRS.from_epsg(4326)
CGCS2000 = CRS.from_epsg(4490)

_OFFSET_ALIASES = {
    "gcj02": "gcj02",
    "gcj-02": "gcj02",
    "gcj": "gcj02",
    "amap": "gcj02",
    "gaode": "gcj02",
    "tencent": "gcj02",
    "mars": "gcj02",
    "高德": "gcj02",
    "火星": "gcj02",
    "bd09": "bd09",
    "bd-09": "bd09",
    "baidu": "bd09",
    "bd09ll": "bd09",
    "百度": "bd09",
}
_CGCS2000_ALIASES = {"cgcs2000", "cgcs 2000", "国家2000", "2000国家大地坐标系"}

CRS_HELP = (
    "State the coordinate system with --crs (for example --crs EPSG:4326 for WGS84 "
    "longitude/latitude, --crs EPSG:4547 for CGCS2000 Gauss-Kruger 114E, --crs gcj02 for "
    "AMap/Tencent coordinates, --crs bd09 for Baidu), or add a .prj file next to the .shp."
)


def offset_system(spec) -> str | None:
    """Return 'gcj02' or 'bd09' when ``spec`` names an offset system, else None.

    Parameters
    ----------
    spec : object
        What the user gave (string, CRS, ...).

    Returns
    -------
    str or None
    """
    if isinstance(spec, str):
        return _OFFSET_ALIASES.get(spec.strip().lower())
    return None


def parse_crs(spec) -> CRS | str:
    """Turn what a user typed into a pyproj CRS, or 'gcj02'/'bd09'.

    Accepts EPSG codes ('EPSG:4547', '4547', 4547), WKT, PROJ strings, a path to a .prj
    file, 'CGCS2000' and the names of the offset systems.

    Parameters
    ----------
    spec : str, int or pyproj.CRS
        What the user typed.

    Returns
    -------
    pyproj.CRS or str
        The CRS, or 'gcj02'/'bd09'.

    Raises
    ------
    CRSError
        When it names no coordinate system.
    """
    if spec is None:
        raise CRSError("未指定坐标系。", "No coordinate system was given. " + CRS_HELP)
    if isinstance(spec, CRS):
        return spec
    off = offset_system(spec)
    if off:
        return off
    if isinstance(spec, int) or (isinstance(spec, str) and spec.strip().isdigit()):
        spec = f"EPSG:{int(spec)}"
    if isinstance(spec, str):
        s = spec.strip()
        if s.lower() in _CGCS2000_ALIASES:
            return CGCS2000
        if s.lower().endswith(".prj") and Path(s).is_file():
            s = Path(s).read_text(encoding="utf-8", errors="replace")
        spec = s
    try:
        return CRS.from_user_input(spec)
    except ProjCRSError:
        shown = str(spec)[:60]
        raise CRSError(
            f"无法识别坐标系 {shown!r}。",
            f"The coordinate system {shown!r} is not understood. " + CRS_HELP,
        ) from None


def crs_label(crs) -> str:
    """Short human label: 'EPSG:4547', 'gcj02', or the CRS name.

    Parameters
    ----------
    crs : pyproj.CRS, str or None

    Returns
    -------
    str
    """
    if isinstance(crs, str):
        return crs
    epsg = crs.to_epsg() if crs is not None else None
    return f"EPSG:{epsg}" if epsg else (crs.name if crs is not None else "none")


def transform_lonlat(geoms, func):
    """Apply a vectorised (lon, lat) -> (lon, lat) function to shapely geometries.

    Parameters
    ----------
    geoms : array-like of shapely.Geometry
        Geometries in longitude/latitude.
    func : callable
        ``func(lon, lat) -> (lon, lat)`` on arrays (e.g. :func:`geo.offsets.gcj02_to_wgs84`).

    Returns
    -------
    numpy.ndarray
        The transformed geometries.
    """

    def _apply(coords):
        x, y = func(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(np.asarray(geoms), _apply)


def to_wgs84(gdf: gpd.GeoDataFrame, crs=None) -> gpd.GeoDataFrame:
    """Return a copy in EPSG:4326. ``crs`` overrides/sets the source CRS (may be gcj02/bd09).

    The original system is kept in ``attrs['source_crs']``.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer.
    crs : optional
        Its CRS, when the file's is missing or wrong (e.g. 'gcj02').

    Returns
    -------
    geopandas.GeoDataFrame
        A copy in EPSG:4326.

    Raises
    ------
    CRSError
        When the layer has no CRS and none is given.
    """
    src = parse_crs(crs) if crs is not None else gdf.crs
    if src is None:
        raise CRSError("图层没有坐标系。", "The layer has no coordinate system. " + CRS_HELP)
    out = gdf.copy()
    if isinstance(src, str):
        inverse = OFFSET_SYSTEMS[src][0]
        out = out.set_geometry(transform_lonlat(out.geometry.values, inverse))
        out = out.set_crs(WGS84, allow_override=True)
    elif gdf.crs is None or crs is not None:
        out = out.set_crs(src, allow_override=True).to_crs(WGS84)
    else:
        out = out.to_crs(WGS84)
    out.attrs["source_crs"] = crs_label(src)
    return out


def to_offset(gdf: gpd.GeoDataFrame, system: str) -> gpd.GeoDataFrame:
    """Shift a copy to an offset system for DISPLAY over AMap/Baidu tiles only.

    The result still says EPSG:4326 because PROJ has no code for it; never compute on it.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer, with a CRS.
    system : {'gcj02', 'bd09'}
        The offset system of the tiles.

    Returns
    -------
    geopandas.GeoDataFrame
        A shifted copy for display.
    """
    forward = OFFSET_SYSTEMS[offset_system(system)][1]
    wgs = gdf.to_crs(WGS84)
    out = wgs.set_geometry(transform_lonlat(wgs.geometry.values, forward))
    out.attrs["display_only"] = system
    return out


def reproject(gdf: gpd.GeoDataFrame, target) -> gpd.GeoDataFrame:
    """Reproject to any CRS a user can name, offset systems included.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer, with a CRS.
    target : str, int or pyproj.CRS
        Any CRS :func:`parse_crs` reads, 'gcj02'/'bd09' included.

    Returns
    -------
    geopandas.GeoDataFrame

    Raises
    ------
    CRSError
        When ``target`` names no coordinate system.
    """
    tgt = parse_crs(target)
    if isinstance(tgt, str):
        out = to_offset(gdf, tgt)
        out.attrs["crs_note"] = f"coordinates are {tgt}; the file's CRS field says WGS84"
        return out
    return gdf.to_crs(tgt)


_LONLAT_EPSG = (4326, 4490)
#: floating-point noise allowed beyond ±180/±90 (Natural Earth has x = 180.00000000000006)
LONLAT_EPS = 1e-9  # WGS84, CGCS2000: PROJ applies no datum shift between them either


def _tmerc_step(crs: CRS) -> str | None:
    """The PROJ step of a CGCS2000 Transverse Mercator (Gauss-Kruger) CRS, else None."""
    if not crs.is_projected or crs.geodetic_crs is None or crs.geodetic_crs.to_epsg() != 4490:
        return None
    op = crs.coordinate_operation
    if (
        op is None
        or op.method_name != "Transverse Mercator"
        or crs.axis_info[0].unit_name != "metre"
    ):
        return None
    p = {q.name: q.value for q in op.params}
    try:
        return (
            f"+proj=tmerc +lat_0={p['Latitude of natural origin']!r} "
            f"+lon_0={p['Longitude of natural origin']!r} "
            f"+k={p['Scale factor at natural origin']!r} +x_0={p['False easting']!r} "
            f"+y_0={p['False northing']!r} +ellps=GRS80"
        )
    except KeyError:
        return None


@functools.lru_cache(maxsize=64)
def transformer(src: CRS, dst: CRS) -> Transformer:
    """A lon/lat-ordered (always_xy) Transformer from ``src`` to ``dst``.

    WGS84/CGCS2000 longitude-latitude to and from a CGCS2000 Gauss-Kruger zone is a plain
    projection; it is built directly (about 1 ms) instead of by PROJ's database search
    (0.1-0.2 s in every new process). Everything else goes through PROJ as usual.

    Parameters
    ----------
    src, dst : pyproj.CRS
        Source and target systems.

    Returns
    -------
    pyproj.Transformer
    """
    src_ll = src.is_geographic and src.to_epsg() in _LONLAT_EPSG
    dst_ll = dst.is_geographic and dst.to_epsg() in _LONLAT_EPSG
    if src_ll and not dst_ll and (step := _tmerc_step(dst)):
        return Transformer.from_pipeline(
            f"+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step {step}"
        )
    if dst_ll and not src_ll and (step := _tmerc_step(src)):
        return Transformer.from_pipeline(
            f"+proj=pipeline +step +inv {step} +step +proj=unitconvert +xy_in=rad +xy_out=deg"
        )
    return Transformer.from_crs(src, dst, always_xy=True)


def transform_layer(gdf: gpd.GeoDataFrame, target) -> gpd.GeoDataFrame:
    """``gdf.to_crs(target)``, through :func:`transformer` (same coordinates, less start-up).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer, with a CRS.
    target : str, int or pyproj.CRS
        The target CRS.

    Returns
    -------
    geopandas.GeoDataFrame
    """
    dst = target if isinstance(target, CRS) else CRS.from_user_input(target)
    if gdf.crs is None or gdf.crs.equals(dst):
        return gdf.to_crs(dst) if gdf.crs is not None else gdf
    geoms = transform_geoms(gdf.geometry.values, gdf.crs, dst)
    return gdf.set_geometry(geoms).set_crs(dst, allow_override=True)


def transform_geoms(geoms, src: CRS, dst: CRS) -> np.ndarray:
    """Geometries (an array) from ``src`` to ``dst`` through :func:`transformer`.

    The arrays' side of :func:`transform_layer`: the same coordinates, without a GeoDataFrame.

    Parameters
    ----------
    geoms : array-like of shapely.Geometry
        Geometries in ``src``.
    src, dst : pyproj.CRS
        Source and target systems.

    Returns
    -------
    numpy.ndarray
        The geometries in ``dst`` (the same array when the systems are equal).
    """
    geoms = np.asarray(geoms, dtype=object)
    if src.equals(dst):
        return geoms
    tr = transformer(src, dst)

    def _xy(coords):
        x, y = tr.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, _xy)


def gauss_kruger_crs(lon: float) -> CRS:
    """CGCS2000 3-degree Gauss-Kruger zone (no zone prefix) for a longitude in China.

    EPSG:4534 (CM 75E) ... EPSG:4554 (CM 135E); EPSG:4547 is CM 114E for Shenzhen.

    Parameters
    ----------
    lon : float
        Longitude in degrees east.

    Returns
    -------
    pyproj.CRS
    """
    cm = int(round(lon / 3.0)) * 3
    cm = min(max(cm, 75), 135)
    return CRS.from_epsg(4534 + (cm - 75) // 3)


def area_crs(gdf: gpd.GeoDataFrame) -> CRS:
    """The projected CRS in which to measure this layer's areas.

    Inside China (73-135E, 3-54N): the CGCS2000 Gauss-Kruger 3-degree zone of the layer's
    centre (EPSG:4547 for Shenzhen). Elsewhere: a Lambert azimuthal equal-area projection
    centred on the layer.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer, with a CRS.

    Returns
    -------
    pyproj.CRS
    """
    return area_crs_of(gdf.total_bounds, gdf.crs)


def area_crs_of(bounds, crs: CRS | None) -> CRS:
    """:func:`area_crs` of a layer whose total bounds (minx, miny, maxx, maxy) in ``crs`` are known.

    Parameters
    ----------
    bounds : sequence of float
        The layer's total bounds.
    crs : pyproj.CRS or None
        Their CRS.

    Returns
    -------
    pyproj.CRS
    """
    minx, miny, maxx, maxy = bounds
    lon, lat = (minx + maxx) / 2, (miny + maxy) / 2
    if crs is not None and not crs.equals(WGS84) and np.isfinite([lon, lat]).all():
        # only the centre of the bounds is needed in lon/lat, not the whole layer
        lon, lat = transformer(crs, WGS84).transform(lon, lat)
    if not np.isfinite([lon, lat]).all():
        return CRS.from_epsg(4547)
    if 73 <= lon <= 135 and 3 <= lat <= 54:
        return gauss_kruger_crs(lon)
    return CRS.from_proj4(
        f"+proj=laea +lat_0={lat:.6f} +lon_0={lon:.6f} +datum=WGS84 +units=m +no_defs"
    )


# ---------------------------------------------------------------- does the data fit its CRS?
