"""A GeoPackage's polygons near some zones, read straight from its SQLite tables.

A GeoPackage is an SQLite database: its features' geometries are WKB behind a short header, and
its R-tree index answers which features meet a box. Read that way (Python's own ``sqlite3`` and
shapely), the features an analysis needs come back without GDAL, pandas or geopandas, whose
loading alone costs longer than reading 100,000 parcels. The answer is the one
:func:`geo.io.read_layer` gives with a ``mask`` (the same R-tree query, the same features in the
same order, the same CRS); anything this reader does not handle exactly as GDAL does (several
layers, curves, measures, a CRS that is not an EPSG code, no R-tree, nothing in the zones) makes it
return None, and the caller reads the file the usual way.
"""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import shapely
from pyproj import CRS

from ..crs import transform_geoms
from ..threads import cores

#: bytes of the envelope after the 8-byte header, by the flags' envelope indicator
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
#: at most this many zone boxes in one R-tree query (as geo.io.extent)
MAX_BOXES = 64
#: rows fetched from SQLite at a time, parsed on other threads while the next are fetched
CHUNK = 20_000


def _q(name: str) -> str:
    """An SQL identifier, quoted."""
    return '"' + str(name).replace('"', '""') + '"'


def read_gpkg_near(
    path, zone_geoms, zone_crs: CRS, layer: str | None = None
) -> tuple[np.ndarray, CRS] | None:
    """The geometries of a GeoPackage's features whose boxes meet a zone's box, and their CRS.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.gpkg`` file.
    zone_geoms : array-like of shapely.Geometry
        The zones.
    zone_crs : pyproj.CRS
        Their CRS.
    layer : str, optional
        The layer to read (default: the file's only layer).

    Returns
    -------
    (numpy.ndarray, pyproj.CRS) or None
        The geometries as stored (in fid order) and the layer's CRS; None when the file is not read
        this way (the caller then reads it through :func:`geo.io.read_layer`).
    """
    path = Path(path)
    if path.suffix.lower() != ".gpkg" or not path.is_file() or path.stat().st_size == 0:
        return None
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except (sqlite3.Error, ValueError):
        return None
    try:
        return _read(con, zone_geoms, zone_crs, layer)
    except (sqlite3.Error, ValueError, TypeError, KeyError, shapely.errors.GEOSException):
        return None  # anything unusual: the usual reader says what it is
    finally:
        con.close()


def _read(con, zone_geoms, zone_crs, layer) -> tuple[np.ndarray, CRS] | None:
    contents = con.execute("SELECT table_name, data_type FROM gpkg_contents").fetchall()
    if layer is None:
        if len(contents) != 1:
            return None  # several layers (or none): the usual reader asks which, or says why
        layer = contents[0][0]
    if (layer, "features") not in contents:
        return None
    row = con.execute(
        "SELECT g.column_name, g.geometry_type_name, g.m, s.organization, "
        "s.organization_coordsys_id FROM gpkg_geometry_columns g "
        "JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id WHERE g.table_name = ?",
        (layer,),
    ).fetchone()
    if row is None:
        return None
    geom, gtype, m, org, code = row
    if str(gtype).upper() not in ("POLYGON", "MULTIPOLYGON", "GEOMETRY") or m not in (0, None):
        return None
    if str(org).upper() != "EPSG" or not isinstance(code, int) or code <= 0:
        return None  # a CRS GDAL reads from its WKT definition: let GDAL read it
    crs = CRS.from_epsg(code)
    fid = _fid_column(con, layer)
    rtree = f"rtree_{layer}_{geom}"
    if (
        fid is None
        or not con.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (rtree,)
        ).fetchone()
    ):
        return None
    zones = transform_geoms(zone_geoms, zone_crs, crs)
    zones = zones[~shapely.is_missing(zones)]
    if not 0 < len(zones) <= MAX_BOXES or shapely.is_empty(zones).any():
        return None
    boxes = shapely.bounds(zones).astype(float).tolist()
    box = "(r.minx <= ? AND r.maxx >= ? AND r.miny <= ? AND r.maxy >= ?)"
    where = " OR ".join([box] * len(boxes))
    rows = con.execute(
        f"SELECT t.{_q(geom)} FROM {_q(layer)} t WHERE t.{_q(fid)} IN "
        f"(SELECT r.id FROM {_q(rtree)} r WHERE {where}) ORDER BY t.{_q(fid)}",
        [v for minx, miny, maxx, maxy in boxes for v in (maxx, minx, maxy, miny)],
    )
    # SQLite hands over the next rows while the last ones are parsed (both release the GIL)
    with ThreadPoolExecutor(max_workers=cores()) as pool:
        parts = []
        while chunk := rows.fetchmany(CHUNK):
            parts.append(pool.submit(_parse_blobs, [b for (b,) in chunk]))
        parsed = [p.result() for p in parts]
    if not parsed:
        return None  # nothing in the zones: the usual reader reads it all and checks it
    if any(p is None for p in parsed):
        return None  # WKB shapely refuses (curves, open rings), or not GeoPackage blobs
    geoms = np.concatenate(parsed)
    if hasattr(shapely, "has_m") and shapely.has_m(geoms).any():
        return None
    return geoms, crs


def _parse_blobs(blobs: list) -> np.ndarray | None:
    """Geometries of GeoPackage blobs; None when one is not read exactly as GDAL reads it."""
    wkb = _wkb(blobs)
    if wkb is None:
        return None
    geoms = shapely.from_wkb(wkb, on_invalid="ignore")
    if (shapely.is_missing(geoms) & ~np.equal(wkb, None)).any():
        return None  # WKB shapely refuses (curves, open rings): GDAL's reader mends or says
    return geoms


def _fid_column(con, layer: str) -> str | None:
    """The layer's integer primary key (GDAL's FID)."""
    for _, name, ctype, _, _, pk in con.execute(f"PRAGMA table_info({_q(layer)})"):
        if pk == 1 and str(ctype).upper() == "INTEGER":
            return name
    return None


def _wkb(blobs: list) -> np.ndarray | None:
    """The WKB of GeoPackage geometry blobs (None stays None); None when a blob is not standard."""
    heads = {b[:4] for b in blobs if b is not None}
    sizes = set()
    for head in heads:
        flags = head[3] if len(head) == 4 else 0xFF
        if head[:2] != b"GP" or flags & 0b100000:  # not a GeoPackage blob, or an extended type
            return None
        env = (flags >> 1) & 0b111
        if env not in _ENVELOPE_BYTES:
            return None
        sizes.add(8 + _ENVELOPE_BYTES[env])
    out = np.empty(len(blobs), dtype=object)
    if len(sizes) == 1:
        n = sizes.pop()
        out[:] = [None if b is None else b[n:] for b in blobs]
    else:
        out[:] = [
            None if b is None else b[8 + _ENVELOPE_BYTES[(b[3] >> 1) & 0b111] :] for b in blobs
        ]
    return out
