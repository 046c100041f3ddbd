"""Coordinate systems: parsing what users give, offset systems, and the right CRS for area.

Offset systems (``gcj02``, ``bd09``) cannot live on a GeoDataFrame's ``crs`` because PROJ
does not know them; layers in an offset system are converted to WGS84 on the way in
and only displayed copies are ever shifted back out.
"""

from __future__ import annotations

import functools
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError as ProjCRSError

from .errors import CRSError, bilingual
from .offsets import OFFSET_SYSTEMS

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
    tr = transformer(gdf.crs, dst)

    def _xy(coords):
        x, y = tr.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    geoms = shapely.transform(gdf.geometry.values, _xy)
    return gdf.set_geometry(geoms).set_crs(dst, allow_override=True)


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
    minx, miny, maxx, maxy = gdf.total_bounds
    lon, lat = (minx + maxx) / 2, (miny + maxy) / 2
    if gdf.crs is not None and not gdf.crs.equals(WGS84) and np.isfinite([lon, lat]).all():
        # only the centre of the bounds is needed in lon/lat, not the whole layer
        lon, lat = transformer(gdf.crs, WGS84).transform(lon, lat)
    if not np.isfinite([lon, lat]).all():
        return CRS.from_epsg(4547)
    if 73 <= lon <= 135 and 3 <= lat <= 54:
        return gauss_kruger_crs(lon)
    return CRS.from_proj4(
        f"+proj=laea +lat_0={lat:.6f} +lon_0={lon:.6f} +datum=WGS84 +units=m +no_defs"
    )


# ---------------------------------------------------------------- does the data fit its CRS?


def _gk_codes(zone: int) -> tuple[int, int, float] | None:
    """(prefixed EPSG, unprefixed EPSG, central meridian) of a CGCS2000 Gauss-Kruger zone number.

    Zone numbers 13-23 are 6-degree zones (EPSG:4491-4501 / 4502-4512), 25-45 are 3-degree
    zones (EPSG:4513-4533 / 4534-4554); e.g. 3-degree zone 38 is CM 114E: EPSG:4526 / EPSG:4547.
    """
    if 13 <= zone <= 23:
        return 4491 + zone - 13, 4502 + zone - 13, 6.0 * zone - 3
    if 25 <= zone <= 45:
        return 4513 + zone - 25, 4534 + zone - 25, 3.0 * zone
    return None


def guess_crs(x, y) -> tuple[str | None, str, str]:
    """What the coordinates (arrays of x, y) look like: (EPSG code or None, English, Chinese).

    Longitude/latitude, Gauss-Kruger metres with a zone prefix (38536000: zone 38), or
    Gauss-Kruger/UTM metres without one (the central meridian cannot be told from the numbers).

    Parameters
    ----------
    x, y : numpy.ndarray
        Coordinates.

    Returns
    -------
    code : str or None
        EPSG code when the numbers tell it.
    look_en, look_zh : str
        What they look like, in English and Chinese.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if not len(x):
        return None, "no usable coordinates", "没有可用的坐标"
    x0, x1, y0, y1 = x.min(), x.max(), y.min(), y.max()
    e = 180 * LONLAT_EPS
    if -180 - e <= x0 and x1 <= 180 + e and -90 - e <= y0 and y1 <= 90 + e:
        return (
            "EPSG:4326",
            "longitude/latitude in degrees (EPSG:4326 WGS84 or EPSG:4490 CGCS2000; gcj02 or bd09 "
            "if copied from AMap/Tencent or Baidu)",
            "经纬度（度），如 EPSG:4326、EPSG:4490；高德/百度坐标为 gcj02/bd09",
        )
    zone = int(x0 // 1e6)
    if zone == int(x1 // 1e6) and _gk_codes(zone) and 0 <= y0 and y1 <= 7e6:
        pre, _, cm = _gk_codes(zone)
        kind = "6-degree" if zone <= 23 else "3-degree"
        return (
            f"EPSG:{pre}",
            f"Gauss-Kruger metres whose eastings carry the zone number {zone} ({kind} zone {zone}, "
            f"central meridian {cm:g}E): EPSG:{pre} for CGCS2000",
            f"高斯-克吕格投影坐标，横坐标带带号 {zone}（中央经线 {cm:g}°E），CGCS2000 为 "
            f"EPSG:{pre}",
        )
    if 0 < x0 and x1 < 1e6 and 0 <= y0 and y1 <= 1e7:
        return (
            "EPSG:4547",
            "projected metres without a zone prefix (Gauss-Kruger or UTM); the central meridian "
            "cannot be told from the numbers: for CGCS2000 3-degree zones use EPSG:4534-4554, e.g. "
            "EPSG:4547 "
            "for central meridian 114E",
            "不带带号的投影坐标（米），中央经线无法从坐标判断：CGCS2000 三度带为 "
            "EPSG:4534-4554，如中央经线 114°E 为 EPSG:4547",
        )
    return None, "coordinates of no system landplan recognises", "无法识别的坐标"


def _finite_xy(geoms):
    xy = shapely.get_coordinates(geoms)
    return xy[np.isfinite(xy).all(axis=1) & (np.abs(xy) < 1e9).all(axis=1)]


def check_coordinates(
    gdf: gpd.GeoDataFrame, name: str = "the layer"
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Check that the coordinates fit the layer's CRS; repair the unambiguous cases.

    Returns (layer, repairs), each repair Chinese then English (:func:`geo.errors.bilingual`).
    Repaired: latitude/longitude swapped in a geographic layer; Gauss-Kruger eastings with a zone
    prefix under the unprefixed CRS of the same zone (or the reverse). Refused with a CRSError that
    says what the numbers look like: everything else that does not fit (metres labelled degrees,
    degrees labelled metres, another zone).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer, with a CRS.
    name : str, default 'the layer'
        The layer's name, for messages.

    Returns
    -------
    gdf : geopandas.GeoDataFrame
        The layer, repaired if needed.
    repairs : list of str
        Bilingual lines, one per repair.

    Raises
    ------
    CRSError
        When the coordinates cannot be in the stated CRS.
    """
    if gdf.crs is None:
        return gdf, []
    b = shapely.bounds(np.asarray(gdf.geometry.values))  # the corners are enough, and much cheaper
    b = b[np.isfinite(b).all(axis=1) & (np.abs(b) < 1e9).all(axis=1)]
    if not len(b):
        return gdf, []
    x, y = np.r_[b[:, 0], b[:, 2]], np.r_[b[:, 1], b[:, 3]]
    crs = gdf.crs
    fits = _fits(crs, x, y)
    if fits:
        return gdf, []
    code, en, zh = guess_crs(x, y)
    label = crs_label(crs)
    i = _offending(crs, x, y)  # the example coordinate is one that does not fit
    if crs.is_geographic and np.abs(x).max() <= 90 and np.abs(y).max() <= 180 and _fits(crs, y, x):
        out = gdf.set_geometry(shapely.transform(gdf.geometry.values, lambda c: c[:, ::-1]))
        return out, [
            bilingual(
                f"文件中的经纬度顺序颠倒（数值如 {x[0]:.4f}, {y[0]:.4f}），已按经度、"
                "纬度顺序更正。",
                "Latitude and longitude were swapped in the file (values like "
                f"{x[0]:.4f}, {y[0]:.4f}); they were put back in longitude, latitude order.",
            )
        ]
    if code and not crs.is_geographic and code != "EPSG:4326":
        alt = _same_zone_alternative(crs, int(code.split(":")[1]), x)
        if alt is not None:
            out = gdf.set_crs(alt, allow_override=True)
            carry = x.min() > 1e7
            return out, [
                bilingual(
                    f"文件声明为 {label}，但横坐标{'带有' if carry else '没有'}带号（{x.min():.0f}"
                    f"）；已按 {crs_label(alt)} 读取，"
                    f"即同一投影{'带' if carry else '不带'}带号的坐标系。",
                    f"The file says {label} but its eastings {'carry' if carry else 'lack'} the "
                    "zone "
                    f"prefix ({x.min():.0f}); read as {crs_label(alt)}, the same projection "
                    f"{'with' if carry else 'without'} the zone prefix.",
                )
            ]
    if crs.is_geographic:
        msg = (
            f"{name} says it is in {label} (degrees), but its coordinates (e.g. "
            f"{float(x[i]):.10g}, {float(y[i]):.10g}) "
            f"cannot be longitude/latitude; they look like {en}. State the right system with --crs "
            f"{code or 'EPSG:…'} (or fix the .prj)."
        )
        zh_ = (
            f"{name} 声明为经纬度坐标系 {label}，但坐标（如 {float(x[i]):.10g}, "
            f"{float(y[i]):.10g}）不是经纬度，看起来是{zh}。请用 --crs 指定正确的坐标系。"
        )
    else:
        msg = (
            f"{name} says it is in {label}, but its coordinates (e.g. {x[i]:.4f}, {y[i]:.4f}) do "
            "not fall in "
            f"that system's area; they look like {en}. State the right system with --crs "
            f"{code or 'EPSG:…'} "
            "(or fix the .prj)."
        )
        zh_ = (
            f"{name} 声明的坐标系为 {label}，但坐标（如 {x[i]:.4f}, {y[i]:.4f}）"
            f"不在其适用范围内，看起来是{zh}。请用 --crs 指定正确的坐标系。"
        )
    raise CRSError(zh_, msg)


def _offending(crs, x, y) -> int:
    """Index of the coordinate farthest out of the CRS, for the example in a message."""
    if crs.is_geographic:
        return int(np.argmax(np.maximum(np.abs(x) - 180, np.abs(y) - 90)))
    return int(np.argmax(np.abs(x - np.median(x)) + np.abs(y - np.median(y))))


def _fits(crs, x, y, margin_deg: float = 5.0) -> bool:
    """Do the coordinates land (roughly) where the CRS is used?"""
    if crs.is_geographic:
        return bool(
            np.abs(x).max() <= 180 * (1 + LONLAT_EPS) and np.abs(y).max() <= 90 * (1 + LONLAT_EPS)
        )
    try:
        lon, lat = transformer(crs, WGS84).transform(
            np.array([x.min(), x.max(), x.min(), x.max()]),
            np.array([y.min(), y.min(), y.max(), y.max()]),
        )
    except Exception:  # noqa: BLE001 - cannot check: accept
        return True
    if not (np.isfinite(lon).all() and np.isfinite(lat).all()):
        return False
    aou = crs.area_of_use
    if aou is None:
        return bool(np.abs(lon).max() <= 180 and np.abs(lat).max() <= 90)
    return bool(
        lon.min() >= aou.west - margin_deg
        and lon.max() <= aou.east + margin_deg
        and lat.min() >= aou.south - margin_deg
        and lat.max() <= aou.north + margin_deg
    )


def _same_zone_alternative(crs, guessed_epsg: int, x) -> CRS | None:
    """The CGCS2000 Gauss-Kruger CRS of the same zone with/without prefix, if needed."""
    epsg = crs.to_epsg()
    if epsg is None:
        return None
    for zone in list(range(13, 24)) + list(range(25, 46)):
        pre, bare, _ = _gk_codes(zone)
        if epsg == bare and x.min() > 1e7 and guessed_epsg == pre:
            return CRS.from_epsg(pre)
        if epsg == pre and x.max() < 1e6:
            return CRS.from_epsg(bare)
    return None


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
    from .offsets import OFFSET_SYSTEMS

    xy = _sample_vertices(gdf.geometry.values, sample)
    if len(xy) < 3:
        return None
    candidates = {None: (xy[:, 0], xy[:, 1])}
    candidates.update(
        (system, inverse(xy[:, 0], xy[:, 1])) for system, (inverse, _) in OFFSET_SYSTEMS.items()
    )
    ref = reference.to_crs(WGS84)
    ref_geoms = ref.geometry.dropna().values
    ref_geoms = ref_geoms[~shapely.is_empty(ref_geoms)]
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
