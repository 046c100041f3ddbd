"""China's offset coordinate systems GCJ-02 and BD-09, which PROJ does not support.

Forward transforms are the published formulas; the inverses iterate the forward
transform to a fixed point until the residual is below ``tol`` degrees (1e-10 deg is
about 1 cm), so a round trip is exact to well under a centimetre.
All functions are vectorised over numpy arrays of longitude/latitude in degrees.
"""

from __future__ import annotations

import numpy as np

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by the GCJ-02 formula
_EE = 0.00669342162296594323
_X_PI = np.pi * 3000.0 / 180.0

#: GCJ-02 is only applied inside this box (the usual "out of China" test).
CHINA_BBOX = (72.004, 0.8293, 137.8347, 55.8271)


def _inside_china(lon, lat):
    return (
        (lon >= CHINA_BBOX[0])
        & (lon <= CHINA_BBOX[2])
        & (lat >= CHINA_BBOX[1])
        & (lat <= CHINA_BBOX[3])
    )


def _delta(lon, lat):
    x = lon - 105.0
    y = lat - 35.0
    sqrt_abs_x = np.sqrt(np.abs(x))
    dlat = (
        -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * sqrt_abs_x
        + (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
        + (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
        + (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    )
    dlon = (
        300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * sqrt_abs_x
        + (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
        + (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
        + (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    )
    radlat = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(radlat) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * np.cos(radlat) * np.pi)
    return dlon, dlat


def wgs84_to_gcj02(lon, lat):
    """WGS84 -> GCJ-02 (AMap, Tencent). Points outside China are returned unchanged.

    Parameters
    ----------
    lon, lat : float or numpy.ndarray
        Degrees.

    Returns
    -------
    lon, lat : float or numpy.ndarray
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    dlon, dlat = _delta(lon, lat)
    inside = _inside_china(lon, lat)
    return np.where(inside, lon + dlon, lon), np.where(inside, lat + dlat, lat)


def gcj02_to_bd09(lon, lat):
    """GCJ-02 -> BD-09 (Baidu).

    Parameters
    ----------
    lon, lat : float or numpy.ndarray
        Degrees.

    Returns
    -------
    lon, lat : float or numpy.ndarray
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    z = np.sqrt(lon * lon + lat * lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def wgs84_to_bd09(lon, lat):
    """WGS84 -> BD-09 (Baidu).

    Parameters
    ----------
    lon, lat : float or numpy.ndarray
        Degrees.

    Returns
    -------
    lon, lat : float or numpy.ndarray
    """
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def _invert(forward, lon, lat, tol, max_iter):
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    # The offsets are smooth and small, so the fixed-point iteration
    # x <- x - (f(x) - target) converges geometrically (about 1e-5 per step).
    x, y = lon.copy(), lat.copy()
    for _ in range(max_iter):
        fx, fy = forward(x, y)
        ex, ey = fx - lon, fy - lat
        x, y = x - ex, y - ey
        if np.all(np.abs(ex[np.isfinite(ex)]) < tol) and np.all(np.abs(ey[np.isfinite(ey)]) < tol):
            break
    return x, y


def gcj02_to_wgs84(lon, lat, tol: float = 1e-10, max_iter: int = 30):
    """GCJ-02 -> WGS84 by iterating the forward transform (exact to ``tol`` degrees).

    Parameters
    ----------
    lon, lat : float or numpy.ndarray
        Degrees.
    tol : float, default 1e-10
        Degrees the inverse may be off.
    max_iter : int, default 30
        Iterations at most.

    Returns
    -------
    lon, lat : float or numpy.ndarray
    """
    return _invert(wgs84_to_gcj02, lon, lat, tol, max_iter)


def bd09_to_gcj02(lon, lat, tol: float = 1e-10, max_iter: int = 30):
    """BD-09 -> GCJ-02 by iterating the forward transform.

    Parameters
    ----------
    lon, lat : float or numpy.ndarray
        Degrees.
    tol, max_iter
        As :func:`gcj02_to_wgs84`.

    Returns
    -------
    lon, lat : float or numpy.ndarray
    """
    return _invert(gcj02_to_bd09, lon, lat, tol, max_iter)


def bd09_to_wgs84(lon, lat, tol: float = 1e-10, max_iter: int = 30):
    """BD-09 -> WGS84 by iterating the composed forward transform.

    Parameters
    ----------
    lon, lat : float or numpy.ndarray
        Degrees.
    tol, max_iter
        As :func:`gcj02_to_wgs84`.

    Returns
    -------
    lon, lat : float or numpy.ndarray
    """
    return _invert(wgs84_to_bd09, lon, lat, tol, max_iter)


#: name -> (to_wgs84, from_wgs84)
OFFSET_SYSTEMS = {
    "gcj02": (gcj02_to_wgs84, wgs84_to_gcj02),
    "bd09": (bd09_to_wgs84, wgs84_to_bd09),
}
