"""Checking coordinates against their CRS: what the numbers look like; repairing the plain cases.

A layer whose coordinates do not fit its stated CRS is repaired when only one reading makes sense
(latitude/longitude swapped, a Gauss-Kruger zone prefix present or missing) and refused otherwise,
with a message that says what the numbers look like.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import shapely
from pyproj import CRS

from .crs import LONLAT_EPS, WGS84, crs_label, transformer
from .errors import CRSError, bilingual

if TYPE_CHECKING:
    import geopandas as gpd


#: how far past ±180° / ±90° coordinates may lie and still be rounding in the data (about 100 m)
HAIR_DEG = 1e-3


class CoordinateNote(str):
    """A line of :func:`fit_coordinates` that changed nothing: said as a note, not a repair."""


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
    stated = gdf.crs
    geoms, crs, repairs = fit_coordinates(gdf.geometry.values, stated, name)
    if crs is not stated:
        return gdf.set_crs(crs, allow_override=True), repairs
    if repairs:
        return gdf.set_geometry(geoms), repairs
    return gdf, repairs


def fit_coordinates(geoms, crs: CRS, name: str = "the layer") -> tuple[np.ndarray, CRS, list[str]]:
    """:func:`check_coordinates` on an array of geometries and its CRS.

    Parameters
    ----------
    geoms : array-like of shapely.Geometry
        The layer's geometries.
    crs : pyproj.CRS
        The CRS they are said to be in.
    name : str, default 'the layer'
        The layer's name, for messages.

    Returns
    -------
    geoms : numpy.ndarray
        The geometries, repaired if needed (lat/lon swapped back).
    crs : pyproj.CRS
        The CRS they are in (``crs`` itself, or the same zone with/without prefix).
    repairs : list of str
        Bilingual lines, one per repair.

    Raises
    ------
    CRSError
        When the coordinates cannot be in the stated CRS.
    """
    b = shapely.bounds(np.asarray(geoms))  # the corners are enough, and much cheaper
    b = b[np.isfinite(b).all(axis=1) & (np.abs(b) < 1e9).all(axis=1)]
    if not len(b):
        return geoms, crs, []
    x, y = np.r_[b[:, 0], b[:, 2]], np.r_[b[:, 1], b[:, 3]]
    fits = _fits(crs, x, y)
    if fits:
        return geoms, crs, []
    if crs.is_geographic:
        line = _past_the_edge(b, name)
        if isinstance(line, CoordinateNote):
            return geoms, crs, [line]
        if line is not None:  # a hair past the edge: on it (else it would wrap round the world)
            return shapely.transform(np.asarray(geoms), _onto_the_edge), crs, [line]
    code, en, zh = guess_crs(x, y)
    label = crs_label(crs)
    i = _offending(crs, x, y)  # the example coordinate is one that does not fit
    if crs.is_geographic and np.abs(x).max() <= 90 and np.abs(y).max() <= 180 and _fits(crs, y, x):
        return (
            shapely.transform(np.asarray(geoms), lambda c: c[:, ::-1]),
            crs,
            [
                bilingual(
                    f"文件中的经纬度顺序颠倒（数值如 {x[0]:.4f}, {y[0]:.4f}），已按经度、"
                    "纬度顺序更正。",
                    "Latitude and longitude were swapped in the file (values like "
                    f"{x[0]:.4f}, {y[0]:.4f}); they were put back in longitude, latitude order.",
                )
            ],
        )
    if code and not crs.is_geographic and code != "EPSG:4326":
        alt = _same_zone_alternative(crs, int(code.split(":")[1]), x)
        if alt is not None:
            carry = x.min() > 1e7
            return (
                geoms,
                alt,
                [
                    bilingual(
                        f"文件声明为 {label}，但横坐标{'带有' if carry else '没有'}带号"
                        f"（{x.min():.0f}）；已按 {crs_label(alt)} 读取，"
                        f"即同一投影{'带' if carry else '不带'}带号的坐标系。",
                        f"The file says {label} but its eastings {'carry' if carry else 'lack'} "
                        "the zone "
                        f"prefix ({x.min():.0f}); read as {crs_label(alt)}, the same projection "
                        f"{'with' if carry else 'without'} the zone prefix.",
                    )
                ],
            )
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


def _onto_the_edge(xy: np.ndarray) -> np.ndarray:
    return np.clip(xy, [-180.0, -90.0], [180.0, 90.0])


def _past_the_edge(b: np.ndarray, name: str) -> str | None:
    """What to say of longitude/latitude a hair past ±180°/±90° (rounding in the data: set onto
    the edge, a repair) or of outlines across the antimeridian (longitudes past 180°, each outline
    narrower than half the world: read as they are, as QGIS reads them, a
    :class:`CoordinateNote`); None when the coordinates are something else."""
    x0, y0, x1, y1 = b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()
    if min(y0, -y1) < -90 - HAIR_DEG:
        return None
    if max(-x0, x1) <= 180 + HAIR_DEG:
        lon, lat = max(-x0, x1), max(-y0, y1)
        said = " / ".join(
            f"{w} {v:.10g}°" for w, v, edge in (("|lon|", lon, 180), ("|lat|", lat, 90)) if v > edge
        )
        return bilingual(
            f"{name} 的坐标略超出经纬度范围（{said}，不到 0.001°，为数据中的舍入），已移到边界上"
            "（180°、90°）。",
            f"{name} has coordinates a hair past the edge of longitude/latitude ({said}, less "
            "than 0.001°: rounding in the data); they were set onto the edge (180°, 90°).",
        )
    over = (b[:, 2] > 180 + HAIR_DEG) | (b[:, 0] < -180 - HAIR_DEG)
    if max(-x0, x1) > 360 or (b[over, 2] - b[over, 0]).max() > 180:
        return None
    far = max(-x0, x1)
    n = int(over.sum())
    return CoordinateNote(
        bilingual(
            f"{name} 有 {n} 个要素跨越 180° 经线（经度至 {far:.6g}°，跨越该经线的轮廓常这样"
            "存储），按原样读取（与 QGIS 相同），面积按各要素所在位置计算。",
            f"{n} feature{'s' if n > 1 else ''} of {name} cross the antimeridian: longitudes run "
            f"past 180° (to {far:.6g}°), as outlines across it are stored; they were read as they "
            "are, as QGIS reads them, and measured where they lie.",
        )
    )


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
