"""Land accounting of a whole layer held as arrays: the figures of
:func:`geo.accounting.partial_sums`, without a GEOS object per feature.

Most parcels lie wholly inside one zone: their area (:func:`geo.polygon_arrays.ring_areas`, the
bits GEOS gives) goes to that zone as it is. Only the parcels that come near a zone's boundary
(:func:`geo.polygon_arrays.boxes_near` on the boundary's short segments), those that are not
plain rings and those that overlap another (:mod:`geo.overlap_arrays`) are made polygons and
clipped (:func:`geo.overlay.clip_to_zones`, as the usual road clips them); the pieces of parcels
that overlap are kept to be united per class (:func:`geo.accounting.finish`).
"""

from __future__ import annotations

import numpy as np
import shapely

from .crs import transform_geoms, transformer
from .overlap_arrays import Measured, edge_matches, overlap_flags, polygons_of
from .overlay import _valid_polygons, _zone_pairs
from .polygon_arrays import (
    Rings,
    boxes_near,
    ring_areas,
    ring_bounds,
    strictly_convex,
    to_polygons,
    transform_xy,
)
from .threads import give_back_memory, in_threads

#: a plain ring wider than this (metres) is checked again after projection, however sharply it
#: turns (see geo.io.arrays.SHARP)
CHECK_AGAIN_M = 1000.0


def measure(layer, crs) -> Measured:
    """A layer read as arrays (:class:`geo.io.arrays.LayerArrays`) projected to ``crs``; the
    layer's own coordinates are projected in place (it is in ``crs`` afterwards).

    Rings that may have stopped being certainly valid in the projection (turning gently, or
    wide) are checked again, by GEOS when numpy cannot tell; an invalid one joins the features
    made valid as :func:`geo.overlay._valid_polygons` makes them.

    Parameters
    ----------
    layer : geo.io.arrays.LayerArrays
    crs : pyproj.CRS
        The projected CRS to measure in.

    Returns
    -------
    Measured
    """
    same = layer.crs.equals(crs)
    xy = layer.rings.xy
    if not same:
        transform_xy(xy, transformer(layer.crs, crs), out=xy)
    rings = Rings(xy, layer.rings.start)
    box = ring_bounds(rings)
    good = np.ones(len(rings), dtype=bool)
    if not same:
        wide = np.maximum(box[:, 2] - box[:, 0], box[:, 3] - box[:, 1]) > CHECK_AGAIN_M
        again = np.flatnonzero(~layer.sharp | wide)
        if len(again):
            good[again] = strictly_convex(_subset(rings, again))
    # a ring numpy cannot vouch for any more is asked of GEOS; only an invalid one leaves the
    # rings, to be made valid as the usual road makes it
    doubt = np.flatnonzero(~good)
    polys = to_polygons(rings, doubt)
    bent = doubt[~shapely.is_valid(polys)]
    good[:] = True
    good[bent] = False
    other = np.r_[layer.other, layer.plain[bent]].astype(np.int64)
    other_geoms = np.r_[
        _valid_polygons(transform_geoms(layer.other_geoms, layer.crs, crs)),
        _valid_polygons(polys[~shapely.is_valid(polys)]),
    ]
    order = np.argsort(other, kind="stable")
    other, other_geoms = other[order], other_geoms[order]
    if len(bent):
        keep = np.flatnonzero(good)
        rings, box = _subset(rings, keep), box[keep]
    plain = layer.plain[good]
    bounds = np.full((layer.n, 4), np.nan)
    bounds[plain] = box
    if len(other):
        bounds[other] = shapely.bounds(other_geoms)
    return Measured(layer.n, plain, rings, ring_areas(rings), other, other_geoms, bounds)


def _subset(rings: Rings, which: np.ndarray) -> Rings:
    """Some of the rings, in that order."""
    sizes = rings.sizes[which]
    take = np.repeat(rings.start[:-1][which], sizes) + (
        np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    )
    return Rings(rings.xy[take], np.r_[0, np.cumsum(sizes)])


def account_arrays(
    m: Measured, gid: np.ndarray, ng: int, zone_layers: list, min_count_m2: float = 1.0
) -> list[dict]:
    """:func:`geo.accounting.partial_sums` of a measured layer for each zone layer.

    Parameters
    ----------
    m : Measured
        The features, projected (:func:`measure`).
    gid : numpy.ndarray
        Class id per feature.
    ng : int
        Number of classes.
    zone_layers : list of numpy.ndarray
        Each layer's valid zone polygons, in the features' CRS.
    min_count_m2 : float, default 1.0
        Pieces smaller than this (m²) add area but no count.

    Returns
    -------
    list of dict
        One result per zone layer, for :func:`geo.accounting.finish`.
    """
    matches = edge_matches(m)
    give_back_memory()
    overlapping = overlap_flags(m, matches)
    del matches
    give_back_memory()
    start = m.rings.start[:-1]
    x0, y0 = m.rings.xy[start, 0], m.rings.xy[start, 1]
    return [_layer_sums(m, gid, ng, zg, overlapping, x0, y0, min_count_m2) for zg in zone_layers]


def _segment_boxes(zones: np.ndarray, step: float) -> np.ndarray:
    """Boxes of the zones' boundaries cut into segments no longer than ``step``."""
    zones = zones[~(shapely.is_missing(zones) | shapely.is_empty(zones))]
    lines = shapely.segmentize(shapely.get_parts(shapely.boundary(zones)), step)
    xy, of = shapely.get_coordinates(lines, return_index=True)
    same = of[1:] == of[:-1]
    a, b = xy[:-1][same], xy[1:][same]
    return np.column_stack([np.minimum(a, b), np.maximum(a, b)])


def _layer_sums(m, gid, ng, zg, overlapping, x0, y0, min_count_m2) -> dict:
    """The partial sums of one zone layer (see :func:`account_arrays`)."""
    nz = len(zg)
    # the features' median width (NaN rows: none); no copy of the boxes is kept while clipping
    width = np.fmax(m.bounds[:, 2] - m.bounds[:, 0], m.bounds[:, 3] - m.bounds[:, 1])
    width = width[np.isfinite(width)]
    step = max(float(np.median(width)), 1e-9) if len(width) else 1
    del width
    near = overlapping | boxes_near(m.bounds, _segment_boxes(zg, step))
    near[m.other] = True  # not plain rings: clipped as the usual road clips them
    area = np.zeros(nz * ng)
    count = np.zeros(nz * ng, dtype=np.int64)
    zone_area, zone_count = np.zeros(nz), np.zeros(nz, dtype=np.int64)
    far = np.flatnonzero(~near[m.plain])  # rings wholly on one side of every boundary
    fx, fy, fb = x0[far], y0[far], m.bounds[m.plain[far]]
    for z in range(nz):
        if zg[z] is None or shapely.is_empty(zg[z]):
            continue
        zb = shapely.bounds(zg[z])
        cand = np.flatnonzero(
            (fb[:, 0] >= zb[0]) & (fb[:, 1] >= zb[1]) & (fb[:, 2] <= zb[2]) & (fb[:, 3] <= zb[3])
        )
        shapely.prepare(zg[z])
        inside = far[cand[shapely.contains_xy(zg[z], fx[cand], fy[cand])]]
        a = m.area[inside]
        key = z * ng + gid[m.plain[inside]]
        area += np.bincount(key, weights=a, minlength=nz * ng)
        count += np.bincount(key[a >= min_count_m2], minlength=nz * ng)
        zone_area[z] += np.bincount(np.zeros(len(a), dtype=np.int64), weights=a, minlength=1)[0]
        zone_count[z] += int((a >= min_count_m2).sum())
    del far, fx, fy, fb  # the peak is the clipping's: what the loop needed is let go first
    ids = np.flatnonzero(near)
    il, iz, pieces = clip_to_tiles(polygons_of(m, ids), zg)
    piece_area = np.asarray(shapely.area(pieces), dtype=float)
    key = iz * ng + gid[ids[il]]
    ov = overlapping[ids[il]]
    area += np.bincount(key[~ov], weights=piece_area[~ov], minlength=nz * ng)
    zone_area += np.bincount(iz[~ov], weights=piece_area[~ov], minlength=nz)
    # a feature counts in a zone where its part there (its pieces in the zone's tiles) is big
    # enough
    part, first, which = np.unique(il * nz + iz, return_index=True, return_inverse=True)
    counted = np.bincount(which, weights=piece_area) >= min_count_m2
    count += np.bincount(key[first][counted], minlength=nz * ng)
    zone_count += np.bincount(iz[first][counted], minlength=nz)
    return {
        "area": area,
        "count": count,
        "zone_area": zone_area,
        "zone_count": zone_count,
        "ov_pieces": pieces[ov],
        "ov_key": key[ov],
        "ov_zone": iz[ov],
        "n_overlapping": int(overlapping.sum()),
    }


def zone_tiles(zones: np.ndarray, most: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """The zones cut into tiles of at most about ``most`` vertices (quarters of quarters of their
    boxes), so that a feature crossing a zone's edge is clipped against a few small tiles, not the
    whole outline.

    Parameters
    ----------
    zones : numpy.ndarray
        Valid polygons.
    most : int, default 64

    Returns
    -------
    tiles, zone : numpy.ndarray
        The tiles and the zone of each.
    """
    present = np.flatnonzero(~(shapely.is_missing(zones) | shapely.is_empty(zones)))
    done_t, done_z = [], []
    todo, of = zones[present], present
    for _ in range(12):
        big = shapely.get_num_coordinates(todo) > most
        done_t.append(todo[~big])
        done_z.append(of[~big])
        todo, of = todo[big], of[big]
        if not len(todo):
            break
        b = shapely.bounds(todo)
        mx, my = (b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2
        quads = [
            shapely.box(b[:, 0], b[:, 1], mx, my),
            shapely.box(mx, b[:, 1], b[:, 2], my),
            shapely.box(b[:, 0], my, mx, b[:, 3]),
            shapely.box(mx, my, b[:, 2], b[:, 3]),
        ]
        cut = np.concatenate([shapely.intersection(todo, q) for q in quads])
        of = np.tile(of, 4)
        keep = ~shapely.is_empty(cut) & (shapely.area(cut) > 0)
        todo, of = cut[keep], of[keep]
    done_t.append(todo)
    done_z.append(of)
    return np.concatenate(done_t), np.concatenate(done_z).astype(np.int64)


def clip_to_tiles(
    geoms: np.ndarray, zones: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features split at zone edges, as :func:`geo.overlay.clip_to_zones`, but a feature that
    crosses a zone's edge is cut by the zone's tiles it meets (:func:`zone_tiles`), one piece per
    tile: (feature, zone, piece).

    Parameters
    ----------
    geoms : numpy.ndarray
        Valid polygons.
    zones : numpy.ndarray
        Valid polygons, in the same CRS.

    Returns
    -------
    feature_index, zone_index, pieces : numpy.ndarray
        One entry per piece of positive area.
    """
    iz, il = _zone_pairs(geoms, zones)
    mine = shapely.from_wkb(shapely.to_wkb(zones))  # prepared here: the caller's may be shared
    shapely.prepare(mine[~shapely.is_missing(mine)])
    whole = shapely.contains_properly(mine[iz], geoms[il])
    cz, cl = iz[~whole], il[~whole]
    tiles, tile_zone = zone_tiles(zones)
    pair, tile = shapely.STRtree(tiles).query(geoms[cl], predicate="intersects")
    same = tile_zone[tile] == cz[pair]
    pair, tile = pair[same], tile[same]
    cut = in_threads(shapely.intersection, geoms[cl[pair]], tiles[tile])
    ok = shapely.area(cut) > 0
    return (
        np.r_[il[whole], cl[pair][ok]].astype(np.int64),
        np.r_[iz[whole], cz[pair][ok]].astype(np.int64),
        np.r_[geoms[il[whole]], cut[ok]],
    )
