"""A GeoPackage's polygons near some zones, read straight from its SQLite tables.

A GeoPackage is an SQLite database: its features' geometries are WKB behind a short header, and
its R-tree index answers which features meet a box. Read that way (Python's own ``sqlite3`` and
shapely), the features an analysis needs come back without GDAL, pandas or geopandas, whose
loading alone costs longer than reading 100,000 parcels. The answer is the one
:func:`geo.io.read_layer` gives with a ``mask`` (the same R-tree query, the same features in the
same order, the same CRS); anything this reader does not handle exactly as GDAL does (several
layers, curves, measures, a CRS that is not an EPSG code, no R-tree, nothing in the zones) makes it
return None, and the caller reads the file the usual way. :func:`read_near` ends the read with the
checks :func:`geo.io.read_layer` makes (repairs, coordinates against the CRS, the GCJ-02/BD-09
offset), the same functions, said in the same words.
"""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import numpy as np
import shapely
from pyproj import CRS

from ..areas import require_polygon_geoms
from ..crs import transform_geoms
from ..crs_check import fit_coordinates
from ..errors import GeometryTypeError
from ..offset_check import offset_line
from ..threads import cores
from .repair import GeometryChecks, check_geometries, join_checks, repair_geometries
from .report import Report

#: bytes of the envelope after the 8-byte header, by the flags' envelope indicator
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
#: at most this many zones are read by their boxes (as geo.io.extent)
MAX_ZONES = 64
#: a zone's box is cut into up to this many horizontal strips
STRIPS = 8
#: at most this many boxes in one query (SQLite allows 500 terms in a compound SELECT)
MAX_BOXES = 256
#: rows fetched from SQLite at a time, parsed on other threads while the next are fetched
CHUNK = 20_000


def _q(name: str) -> str:
    """An SQL identifier, quoted."""
    return '"' + str(name).replace('"', '""') + '"'


class NearFeatures(NamedTuple):
    """What :func:`read_gpkg_near` reads."""

    #: the geometries as stored, in fid order
    geoms: np.ndarray
    #: the layer's CRS
    crs: CRS
    #: :func:`geo.io.repair.check_geometries` of ``geoms``, made while reading
    checks: GeometryChecks


class NearLayer(NamedTuple):
    """What :func:`read_near` reads: polygons checked and repaired as :func:`geo.io.read_layer`
    leaves them."""

    #: the geometries, repaired (unusable coordinates emptied, Z/M dropped, invalid made valid)
    geoms: np.ndarray
    #: their CRS (the layer's, or the same zone with/without prefix when the eastings say so)
    crs: CRS
    #: what was repaired (``report.repairs``), warned about (``report.warnings``) or noted
    report: Report
    #: the geometries as read (the same array as ``geoms`` when nothing was repaired)
    as_read: np.ndarray


def read_near(
    path, zone_geoms, zone_crs: CRS, layer: str | None = None, reference_lonlat=None
) -> NearLayer | None:
    """A GeoPackage's polygons near some zones, checked as :func:`geo.io.read_layer` checks a read.

    The features :func:`read_gpkg_near` reads, then the checks of every read, each the one
    implementation both reads use: repairs (:func:`geo.io.repair.repair_geometries`), coordinates
    against the CRS (:func:`geo.crs_check.fit_coordinates`) and, for longitude/latitude, the
    GCJ-02/BD-09 offset against ``reference_lonlat`` (:func:`geo.offset_check.offset_line`); what
    they found is in the report, in the words and order of :func:`geo.io.read_layer`.

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
    reference_lonlat : array-like of shapely.Geometry, optional
        Trusted outlines in WGS84 longitude/latitude for the offset check
        (:func:`geo.offset_check.lonlat_outlines`); none: no offset check.

    Returns
    -------
    NearLayer or None
        None when the file is not read this way, or holds anything but polygons (the caller reads
        it with :func:`geo.io.read_layer`, which says what it read before an analysis refuses it).

    Raises
    ------
    CRSError
        Coordinates that cannot be in the layer's CRS, as :func:`geo.io.read_layer` raises it.
    """
    got = read_gpkg_near(path, zone_geoms, zone_crs, layer=layer)
    if got is None:
        return None
    try:
        require_polygon_geoms(got.geoms)
    except GeometryTypeError:
        return None
    report = Report()
    geoms, _ = repair_geometries(got.geoms, report, got.checks)
    geoms, crs, fixes = fit_coordinates(geoms, got.crs, Path(path).name)
    report.coordinate_fixes(fixes)
    if reference_lonlat is not None:
        line = offset_line(geoms, crs, reference_lonlat)
        if line is not None:
            report.warn(line)
    return NearLayer(geoms, crs, report, got.geoms)


def read_gpkg_near(
    path, zone_geoms, zone_crs: CRS, layer: str | None = None
) -> NearFeatures | None:
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
    NearFeatures or None
        The geometries as stored (in fid order), the layer's CRS and the repair checks of the
        geometries; None when the file is not read this way (the caller then reads it through
        :func:`geo.io.read_layer`).
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


def _read(con, zone_geoms, zone_crs, layer) -> NearFeatures | None:
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
    if not 0 < len(zones) <= MAX_ZONES or shapely.is_empty(zones).any():
        return None
    rows = con.execute(
        f"SELECT t.{_q(geom)} FROM {_q(layer)} t WHERE t.{_q(fid)} IN "
        f"({rtree_ids_sql(rtree, zone_boxes(zones))}) ORDER BY t.{_q(fid)}"
    )
    # SQLite hands over the next rows while the last ones are parsed and checked (both release
    # the GIL)
    with ThreadPoolExecutor(max_workers=cores()) as pool:
        parts = []
        while chunk := rows.fetchmany(CHUNK):
            parts.append(pool.submit(_parse_blobs, [b for (b,) in chunk]))
        parsed = [p.result() for p in parts]
    if not parsed:
        return None  # nothing in the zones: the usual reader reads it all and checks it
    if any(p is None for p in parsed):
        return None  # WKB shapely refuses (curves, open rings), or not GeoPackage blobs
    geoms = np.concatenate([g for g, _ in parsed])
    if hasattr(shapely, "has_m") and shapely.has_m(geoms).any():
        return None
    return NearFeatures(geoms, crs, join_checks([c for _, c in parsed]))


def zone_boxes(zone_geoms) -> np.ndarray:
    """Boxes that together cover some zones: the features whose boxes meet them are those to read.

    Each zone's bounding box is cut into horizontal strips (up to :data:`STRIPS`, and
    :data:`MAX_BOXES` in all), and each strip shrunk to the box of the zone's part in it, then
    widened by a billionth of the zone's size (rounding in the cut cannot lose a feature). A round
    park's box holds 27 % more than the park, its eight strips 11 % more. A zone GEOS cannot cut
    (an invalid polygon from a user's file) is covered by its whole box.

    Parameters
    ----------
    zone_geoms : array-like of shapely.Geometry
        The zones (none missing or empty), in the layer's CRS.

    Returns
    -------
    numpy.ndarray
        (minx, miny, maxx, maxy) per box.
    """
    zones = np.asarray(zone_geoms, dtype=object)
    strips = max(1, min(STRIPS, MAX_BOXES // max(len(zones), 1)))
    b = shapely.bounds(zones)
    y = b[:, 1:2] + (b[:, 3:4] - b[:, 1:2]) * np.linspace(0, 1, strips + 1)
    y[:, -1] = b[:, 3]
    cut = shapely.box(b[:, 0:1], y[:, :-1], b[:, 2:3], y[:, 1:])
    try:
        parts = shapely.bounds(shapely.intersection(zones[:, None], cut)).reshape(-1, 4)
    except shapely.errors.GEOSException:  # a zone GEOS cannot cut (invalid): the whole boxes
        return b
    pad = 1e-9 * np.repeat(np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]), strips)
    keep = np.isfinite(parts).all(axis=1)  # a strip the zone does not reach is left out
    parts[:, :2] -= pad[:, None]
    parts[:, 2:] += pad[:, None]
    return parts[keep]


def as_rtree_keeps(bounds) -> np.ndarray:
    """Boxes (minx, miny, maxx, maxy) as a GeoPackage's R-tree keeps them: in 32-bit floats,
    rounded outward the way SQLite does (so a box may reach up to a float's step, 0.25 m at
    Shenzhen's northings in EPSG:4547, beyond the feature).

    Parameters
    ----------
    bounds : array-like
        (n, 4) boxes.

    Returns
    -------
    numpy.ndarray
        (n, 4) boxes, float64 holding the 32-bit values.
    """
    d = np.asarray(bounds, dtype=float)
    f = d.astype(np.float32).astype(float)
    towards, away = 1.0 - 1.0 / 8388608.0, 1.0 + 1.0 / 8388608.0  # SQLite's RNDTOWARDS/RNDAWAY
    lo, hi = d[:, :2], d[:, 2:]
    with np.errstate(invalid="ignore", over="ignore"):
        down = (lo * np.where(lo < 0, away, towards)).astype(np.float32).astype(float)
        up = (hi * np.where(hi < 0, towards, away)).astype(np.float32).astype(float)
    return np.column_stack(
        [np.where(f[:, :2] > lo, down, f[:, :2]), np.where(f[:, 2:] < hi, up, f[:, 2:])]
    )


def rtree_ids_sql(rtree: str, boxes) -> str:
    """SQL for the ids in a GeoPackage R-tree whose boxes meet any of ``boxes``, each once.

    One query per box, joined: each uses the R-tree (one query with the boxes joined by OR scans
    it all).

    Parameters
    ----------
    rtree : str
        The R-tree table (``rtree_<layer>_<geometry column>``).
    boxes : array-like
        (minx, miny, maxx, maxy) per box.

    Returns
    -------
    str
    """
    return " UNION ".join(
        f"SELECT id FROM {_q(rtree)} WHERE minx <= {maxx!r} AND maxx >= {minx!r} "
        f"AND miny <= {maxy!r} AND maxy >= {miny!r}"
        for minx, miny, maxx, maxy in np.asarray(boxes, dtype=float).tolist()
    )


def _parse_blobs(blobs: list) -> tuple[np.ndarray, GeometryChecks] | None:
    """Geometries of GeoPackage blobs and their repair checks; None when one is not read exactly
    as GDAL reads it."""
    wkb = _wkb(blobs)
    if wkb is None:
        return None
    geoms = shapely.from_wkb(wkb, on_invalid="ignore")
    if (shapely.is_missing(geoms) & ~np.equal(wkb, None)).any():
        return None  # WKB shapely refuses (curves, open rings): GDAL's reader mends or says
    return geoms, check_geometries(geoms)


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
