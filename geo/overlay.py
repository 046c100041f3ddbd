"""Coverage on arrays of geometries: clipping at zone edges, covered areas (the overlap test is in
:mod:`geo.overlap_flags`).

The engine under :mod:`geo.analysis` (which takes GeoDataFrames): shapely arrays and a pyproj CRS
in, numpy arrays out, so that a caller that has no GeoDataFrame (the command line reading a
GeoPackage) gets the same figures without loading pandas or geopandas.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import shapely
from pyproj import CRS

from .areas import measuring_crs, no_crs_error, polygonal_part, require_polygon_geoms
from .crs import area_crs_of, transform_geoms
from .errors import bilingual
from .overlap_flags import overlapping_features, unmatched_edge_features
from .threads import cores, in_threads

if TYPE_CHECKING:
    import geopandas as gpd


def _valid_polygons(geoms: np.ndarray, known_valid: bool = False) -> np.ndarray:
    """Null/empty -> None; invalid -> made valid (polygonal part kept).

    ``known_valid``: the polygons are valid (e.g. repaired on reading), only null/empty are set.
    """
    return _made_valid(geoms, known_valid)[0]


def _made_valid(geoms: np.ndarray, known_valid: bool = False) -> tuple[np.ndarray, bool]:
    """:func:`_valid_polygons`, and whether any polygon had to be made valid."""
    geoms = np.asarray(geoms, dtype=object)
    out = geoms.copy()
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    out[missing] = None
    if known_valid:
        return out, False
    bad = ~missing & ~in_threads(shapely.is_valid, geoms)
    if bad.any():
        fixed = shapely.make_valid(geoms[bad])
        out[bad] = [polygonal_part(g) for g in fixed]
    return out, bool(bad.any())


def _zone_pairs(lg: np.ndarray, zg: np.ndarray, tree=None) -> tuple[np.ndarray, np.ndarray]:
    """(zone index, layer index) of every feature that intersects a zone (``tree``: an STRtree of
    ``lg``, if built)."""
    return (shapely.STRtree(lg) if tree is None else tree).query(zg, predicate="intersects")


def clip_to_zones(
    layer: gpd.GeoDataFrame, zones: gpd.GeoDataFrame, lg=None, zg=None, pairs=None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split features at zone boundaries: (layer index, zone index, piece geometry) per part.

    Parameters
    ----------
    layer, zones : geopandas.GeoDataFrame
        Polygons in one projected CRS.
    lg, zg : numpy.ndarray, optional
        Their valid polygons, when already made.
    pairs : tuple of numpy.ndarray, optional
        (zone index, layer index) of the intersecting pairs, when known.

    Returns
    -------
    layer_index, zone_index, pieces : numpy.ndarray
        One entry per piece of positive area.
    """
    lg = _valid_polygons(layer.geometry.values) if lg is None else lg
    zg = _valid_polygons(zones.geometry.values) if zg is None else zg
    iz, il = _zone_pairs(lg, zg) if pairs is None else pairs
    n = min(cores(), len(il) // 5_000)
    # each thread prepares its own copy of the zones (see _pieces): the caller's zones may be
    # another thread's too (the app's sessions share loaded layers)
    copies = [shapely.from_wkb(shapely.to_wkb(zg)) for _ in range(max(n, 1))]
    if n < 2:
        pieces = _pieces(lg[il], iz, copies[0])
    else:  # on every core
        parts = np.array_split(np.arange(len(il)), n)
        with ThreadPoolExecutor(max_workers=n) as pool:
            pieces = np.concatenate(
                list(pool.map(lambda p, z: _pieces(lg[il[p]], iz[p], z), parts, copies))
            )
    keep = shapely.area(pieces) > 0
    return il[keep], iz[keep], pieces[keep]


def _pieces(features: np.ndarray, zone: np.ndarray, zones: np.ndarray) -> np.ndarray:
    """Each feature clipped to its zone (``zones[zone]``): the feature itself when wholly inside.

    The zones are prepared here, which a prepared geometry's lazily built index makes one
    thread's alone: threads each take their own copies.
    """
    # whole features need no clipping; a prepared zone answers this ~4x faster than within()
    shapely.prepare(zones[~shapely.is_missing(zones)])
    theirs = zones[zone]
    within = shapely.contains_properly(theirs, features)
    pieces = np.where(within, features, None)
    todo = ~within
    if todo.any():
        pieces[todo] = shapely.intersection(features[todo], theirs[todo])
    return pieces


def clip_and_find_overlaps(
    lg: np.ndarray, zg: np.ndarray, overlapping=None, suspects=None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """clip_to_zones on valid polygon arrays, plus the overlap flag of every feature.

    Only the pieces of features whose interiors overlap another's need a union. Only features
    that reach a zone can matter, so the (costly) overlap test runs on those alone, in a second
    thread while the features are clipped (shapely releases the GIL). ``overlapping`` (flags,
    or a Future of them) skips the test when it is already known.

    Parameters
    ----------
    lg, zg : numpy.ndarray
        Valid polygons of the features and the zones, in one projected CRS.
    overlapping : numpy.ndarray or Future, optional
        Known overlap flags.
    suspects : numpy.ndarray or Future, optional
        As :func:`overlapping_features`.

    Returns
    -------
    layer_index, zone_index, pieces, overlapping : numpy.ndarray
        The pieces (:func:`clip_to_zones`) and the overlap flag per feature.
    """
    tree = shapely.STRtree(lg)  # for the zones, then for the overlap test
    pairs = _zone_pairs(lg, zg, tree)
    if overlapping is None:
        with ThreadPoolExecutor(max_workers=1) as pool:
            flags = pool.submit(overlapping_features, lg, np.unique(pairs[1]), suspects, tree)
            il, iz, pieces = clip_to_zones(None, None, lg, zg, pairs)
            return il, iz, pieces, flags.result()
    il, iz, pieces = clip_to_zones(None, None, lg, zg, pairs)
    if hasattr(
        overlapping, "result"
    ):  # a Future: the test ran in another thread during the clipping
        overlapping = overlapping.result()
    return il, iz, pieces, overlapping


def near_box(geoms, crs, zone_geoms, zone_crs, margin: float = 0.1) -> np.ndarray:
    """Features far from the zones emptied, those reaching far beyond them cut (in ``crs``).

    The arrays' side of :func:`geo.analysis.near_zones`: only what lies in the zones' bounding
    box (plus ``margin`` of its size) can cover a zone; the rest, projected into the zones'
    Gauss-Kruger zone, can come out distorted or infinite. Features inside the box are kept as
    they are; the same array comes back when none is emptied or cut.

    Parameters
    ----------
    geoms : array-like of shapely.Geometry
        The layer's geometries, in ``crs``.
    crs, zone_crs : pyproj.CRS or None
        The CRS of the layer and of the zones.
    zone_geoms : array-like of shapely.Geometry
        The zones.
    margin : float, default 0.1
        Share of the zones' box size added around it.

    Returns
    -------
    numpy.ndarray
    """
    geoms = np.asarray(geoms, dtype=object)
    if crs is None or zone_crs is None or not len(geoms) or not len(zone_geoms):
        return geoms
    try:
        zb = shapely.total_bounds(transform_geoms(zone_geoms, zone_crs, crs))
    # cannot place the zones in the layer's CRS: leave the layer as it is
    except Exception:  # noqa: BLE001
        return geoms
    if not np.isfinite(zb).all():
        return geoms
    dx, dy = (zb[2] - zb[0]) * margin, (zb[3] - zb[1]) * margin
    box = (zb[0] - dx, zb[1] - dy, zb[2] + dx, zb[3] + dy)
    b = shapely.bounds(geoms)
    with np.errstate(invalid="ignore"):
        inside = (
            (b[:, 0] >= box[0]) & (b[:, 1] >= box[1]) & (b[:, 2] <= box[2]) & (b[:, 3] <= box[3])
        )
        away = (
            (b[:, 2] < box[0])
            | (b[:, 0] > box[2])
            | (b[:, 3] < box[1])
            | (b[:, 1] > box[3])
            | ~np.isfinite(b).all(axis=1)
        )
    cut = ~inside & ~away & ~shapely.is_missing(geoms)
    if not (cut.any() or away.any()):
        return geoms
    out = geoms.copy()
    out[away] = None
    out[cut] = shapely.clip_by_rect(geoms[cut], *box)
    return out


class ZoneCoverage(NamedTuple):
    """Per zone, in m² of the measuring CRS: what :func:`coverage_m2` finds."""

    zone_area: np.ndarray
    covered: np.ndarray
    feature_count: np.ndarray
    #: features of the layer, and how many of them have a geometry
    features: int
    present: int
    #: (feature, zone) pieces of positive area
    pieces: int
    crs: CRS
    #: (longitude, latitude) of the middle of the layer's extent, when no feature reaches a zone
    centre: tuple[float, float] | None = None

    def columns(self) -> dict[str, np.ndarray]:
        """The figures of a coverage table: zone_area, covered_area, uncovered_area (m²),
        covered_pct (of the zone's area) and feature_count, one value per zone.

        Returns
        -------
        dict of str to numpy.ndarray
        """
        zone, covered = self.zone_area, self.covered
        return {
            "zone_area": zone,
            "covered_area": covered,
            "uncovered_area": zone - covered,
            "covered_pct": np.divide(covered, zone, out=np.zeros(len(zone)), where=zone > 0) * 100,
            "feature_count": self.feature_count,
        }

    def warnings(self) -> list[str]:
        """The sentence said when no feature lies in any zone (else none): far away, or empty."""
        if self.pieces:
            return []
        n = self.features
        if n and not self.present:
            where_zh, where_en = (
                "均没有几何",
                f"{n} feature{'s' if n != 1 else ''}, none with geometry",
            )
        elif self.centre is not None:
            lon, lat = self.centre
            ew, ns = "E" if lon >= 0 else "W", "N" if lat >= 0 else "S"
            at = f"{abs(lon):.1f}°{ew}, {abs(lat):.1f}°{ns}"
            where_zh = f"位于远处（范围中心约在 {at}）"
            where_en = (
                f"{n} feature{'s' if n != 1 else ''} with geometry, lying far away: the middle "
                f"of its extent is at about {at}"
            )
        else:
            where_zh, where_en = "均不在其中", f"{n} feature{'s' if n != 1 else ''}"
        return [
            bilingual(
                f"图层的 {n} 个要素{where_zh}，不在任何分区内，所有分区的覆盖率为 0%。"
                "请确认图层及其坐标系是否正确。",
                f"No feature of the layer ({where_en}) lies in any of the zones: every zone is "
                "0 % covered. Check that this is the right layer and that its coordinate system is "
                "right.",
            )
        ]


def coverage_m2(
    geoms,
    crs,
    zone_geoms,
    zone_crs,
    measure_crs=None,
    min_count_m2: float = 1.0,
    valid: bool = False,
) -> ZoneCoverage:
    """Per zone: its area, the area the features cover (overlaps once), the features counted.

    The engine of :func:`geo.analysis.coverage`, on arrays: features far from the zones are left
    out (:func:`near_box`), both are projected to ``measure_crs`` (default: the zones'
    Gauss-Kruger zone) and made valid, features are split at zone edges and the pieces summed per
    zone; where features overlap, their pieces are united first. The overlap test's first half
    (:func:`geo.overlap_flags.unmatched_edge_features`) runs in a second thread meanwhile.

    Parameters
    ----------
    geoms : array-like of shapely.Geometry
        The layer's polygons, in ``crs``.
    crs : pyproj.CRS
        Their CRS.
    zone_geoms : array-like of shapely.Geometry
        The zones' polygons, in ``zone_crs``.
    zone_crs : pyproj.CRS
        Their CRS.
    measure_crs : optional
        A projected CRS to measure in.
    min_count_m2 : float, default 1.0
        Parts smaller than this (m²) add area but no count.
    valid : bool, default False
        The polygons are valid as given (repaired on reading): when they reach the measuring CRS
        unchanged (same CRS, none cut to the zones' box), they are not checked again.

    Returns
    -------
    ZoneCoverage

    Raises
    ------
    LandplanError
        No CRS (CRSError) or geometries that are not polygons (GeometryTypeError).
    """
    geoms = np.asarray(geoms, dtype=object)
    zone_geoms = np.asarray(zone_geoms, dtype=object)
    require_polygon_geoms(geoms, "a coverage analysis")
    require_polygon_geoms(zone_geoms, "a coverage analysis")
    if measure_crs is None:
        if zone_crs is None:
            raise no_crs_error()
        measure_crs = area_crs_of(shapely.total_bounds(zone_geoms), zone_crs)
    if crs is None or zone_crs is None:
        raise no_crs_error()
    target = measuring_crs(measure_crs)
    near = near_box(geoms, crs, zone_geoms, zone_crs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # matching the features' edges needs only the polygons, in any CRS: it runs while they
        # are projected and checked, and counts when none had to be mended
        suspects = pool.submit(unmatched_edge_features, near)
        measured = transform_geoms(near, crs, target)
        lg, mended = _made_valid(measured, known_valid=valid and measured is geoms)
        zg = _valid_polygons(transform_geoms(zone_geoms, zone_crs, target))
        il, iz, pieces, overlapping = clip_and_find_overlaps(
            lg, zg, suspects=None if mended else suspects
        )
    piece_area = shapely.area(pieces)
    nz = len(zg)
    # float even when no piece is left (bincount of nothing is int and would truncate the unions
    # below)
    ov = overlapping[il]
    covered = np.bincount(iz[~ov], weights=piece_area[~ov], minlength=nz).astype(float)
    if ov.any():
        for z in np.unique(iz[ov]):
            covered[z] += shapely.area(shapely.union_all(pieces[ov & (iz == z)]))
    zone_area = np.nan_to_num(shapely.area(zg).astype(float))
    # the tree yields each (feature, zone) pair once; slivers from boundary rounding are not counted
    counts = np.bincount(iz[piece_area >= min_count_m2], minlength=nz)
    covered = np.minimum(covered, zone_area)  # a zone covered whole: no 100.0000001 % from rounding
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    return ZoneCoverage(
        zone_area,
        covered,
        counts,
        len(geoms),
        int(present.sum()),
        len(il),
        target,
        None if len(il) or not present.any() else _lonlat_middle(geoms[present], crs),
    )


def _lonlat_middle(geoms, crs) -> tuple[float, float] | None:
    """(longitude, latitude) of the middle of the geometries' extent, for a sentence."""
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    try:
        mid = shapely.points((minx + maxx) / 2, (miny + maxy) / 2)
        lon, lat = shapely.get_coordinates(
            transform_geoms(np.array([mid]), crs, CRS.from_epsg(4326))
        )[0]
    except Exception:  # noqa: BLE001 - only for the sentence
        return None
    return (float(lon), float(lat)) if np.isfinite([lon, lat]).all() else None
