"""Block outlines: the union of a block's polygons closed at half the gap, filled, their
compactness, and the polygons they enclose (what the words mean: :mod:`geo.blocks`).

GEOS's buffer takes longer per vertex the bigger the polygon (at a million synthetic parcels, 3× as
long for blocks of 5,000 vertices and more as for small ones; a block of a whole district spent
twenty minutes in it): a big block is closed tile by tile (:func:`close_in_tiles`), the same
outline to a square metre in a block of square kilometres.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import shapely

from .threads import cores, in_threads

#: segments per quarter circle of the outline's closing (see geo.blocks)
QUAD_SEGS = 6
#: share of half the gap the outline is shrunk back by (see geo.blocks)
SHRINK = 0.96
#: a block of polygons with more vertices than this is closed tile by tile
TILED_FROM = 20_000
#: about this many vertices of the block's polygons per tile
TILE_VERTICES = 2_000
#: how far a tile's piece reaches beyond the tile (metres): neighbouring pieces overlap, no crack
OVERLAP_M = 1e-3


def _union(parts: np.ndarray):
    """The union of some polygons: as a coverage when they share edges exactly (fast), else the
    general union."""
    if len(parts) == 1:
        return parts[0]
    try:
        out = shapely.coverage_union_all(parts)
        if shapely.is_valid(out):
            return out
    except shapely.errors.GEOSException:  # not a coverage (a vertex on a neighbour's edge)
        pass
    return shapely.union_all(parts)


def _balanced(weights: np.ndarray, n: int) -> list[np.ndarray]:
    """Indices split into ``n`` lists of about equal total weight (largest first, dealt out)."""
    order = np.argsort(-np.asarray(weights), kind="stable")
    return [order[k::n] for k in range(n)]


def _on_cores(func, items: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``func`` (array in, array out, element-wise) on every core, the work split by weight."""
    n = min(cores(), max(1, len(items) // 64))
    if n < 2:
        return func(items)
    out = np.empty(len(items), dtype=object)
    parts = _balanced(weights, n)
    with ThreadPoolExecutor(max_workers=n) as pool:
        for idx, res in zip(parts, pool.map(lambda p: func(items[p]), parts)):
            out[idx] = res
    return out


def groups(label: np.ndarray, n: int) -> np.ndarray:
    """The members of each group 0..n-1 of ``label`` (-1: none), as an array of index arrays.

    Parameters
    ----------
    label : numpy.ndarray
        Group per item.
    n : int
        Number of groups.

    Returns
    -------
    numpy.ndarray
        Object array of n int arrays, each in ascending order.
    """
    members = np.flatnonzero(label >= 0)
    order = members[np.argsort(label[members], kind="stable")]
    starts = np.r_[0, np.cumsum(np.bincount(label[members], minlength=n))]
    out = np.empty(n, dtype=object)
    out[:] = [order[starts[k] : starts[k + 1]] for k in range(n)]
    return out


def block_unions(geoms: np.ndarray, members: np.ndarray) -> np.ndarray:
    """The union of each block's polygons, on every core.

    Parameters
    ----------
    geoms : numpy.ndarray
        Valid polygons.
    members : numpy.ndarray
        The polygons of each block (:func:`groups`).

    Returns
    -------
    numpy.ndarray
        One geometry per block.
    """
    coords = shapely.get_num_coordinates(geoms)
    weight = np.array([coords[m].sum() for m in members], dtype=float)
    return _on_cores(
        lambda ms: np.array([_union(geoms[m]) for m in ms], dtype=object), members, weight
    )


def block_outlines(geoms: np.ndarray, members: np.ndarray, gap: float) -> np.ndarray:
    """The outline of each block: the union of its polygons closed at half the gap
    (:func:`closing`); a big block's tile by tile (:func:`close_in_tiles`).

    Parameters
    ----------
    geoms : numpy.ndarray
        Valid polygons.
    members : numpy.ndarray
        The polygons of each block (:func:`groups`).
    gap : float
        The gap (metres).

    Returns
    -------
    numpy.ndarray
        One geometry per block.
    """
    coords = shapely.get_num_coordinates(geoms)
    weight = np.array([coords[m].sum() for m in members], dtype=float)
    big = (weight > TILED_FROM) & (gap > 0)
    out = np.empty(len(members), dtype=object)
    small = np.flatnonzero(~big)
    out[small] = closing(block_unions(geoms, members[small]), gap)
    for k in np.flatnonzero(big):
        out[k] = close_in_tiles(geoms[members[k]], gap)
    return out


def _close(unions: np.ndarray, gap: float) -> np.ndarray:
    """Grown by gap/2 and shrunk by 0.96 × gap/2, each of them."""
    half = gap / 2
    grown = shapely.buffer(unions, half, quad_segs=QUAD_SEGS)
    return shapely.buffer(grown, -SHRINK * half, quad_segs=QUAD_SEGS)


def closing(unions: np.ndarray, gap: float) -> np.ndarray:
    """The outlines of blocks from their unions: grown by gap/2, shrunk by 0.96 × gap/2 (see
    :mod:`geo.blocks`); a convex polygon, and everything at gap 0, stays as it is.

    Parameters
    ----------
    unions : numpy.ndarray
        The union of each block's polygons.
    gap : float
        The gap (metres).

    Returns
    -------
    numpy.ndarray
    """
    unions = np.asarray(unions, dtype=object).copy()
    # a multipolygon of one part (as many files store every parcel) is that polygon
    one = (shapely.get_type_id(unions) == 6) & (shapely.get_num_geometries(unions) == 1)
    unions[one] = shapely.get_geometry(unions[one], 0)
    if gap == 0 or not len(unions):
        return unions
    convex = shapely.get_type_id(unions) == 3
    convex[convex] = shapely.area(shapely.convex_hull(unions[convex])) <= shapely.area(
        unions[convex]
    ) * (1 + 1e-12)
    out = unions.copy()
    todo = np.flatnonzero(~convex)
    out[todo] = _on_cores(
        lambda u: _close(u, gap), unions[todo], shapely.get_num_coordinates(unions[todo])
    )
    return out


def close_in_tiles(parts: np.ndarray, gap: float, most: int = TILE_VERTICES):
    """One block's outline (its polygons united and closed at half the gap), made tile by tile.

    The closing at a point depends only on the polygons within 0.98 × gap of it: each tile of a
    grid over the block (about ``most`` vertices of polygons each) is closed from the polygons
    that reach its box grown by 1.05 × gap (no convex polygon left as it is: the outline keeps
    its margin everywhere), cut back to the box and a millimetre beyond it (so that neighbouring
    pieces overlap), and the pieces are united. Where GEOS simplifies a piece's input
    differently from the whole's, the outline may differ from the one closed whole by a few
    square centimetres per tile.

    Parameters
    ----------
    parts : numpy.ndarray
        The block's polygons.
    gap : float
        The gap (metres), > 0.
    most : int, default TILE_VERTICES

    Returns
    -------
    shapely.Geometry
    """
    b = shapely.bounds(parts)
    x0, y0 = b[:, 0].min() - gap, b[:, 1].min() - gap
    x1, y1 = b[:, 2].max() + gap, b[:, 3].max() + gap
    tiles = max(1, int(np.ceil(shapely.get_num_coordinates(parts).sum() / most)))
    side = max(float(np.sqrt((x1 - x0) * (y1 - y0) / tiles)), 4 * gap)
    gx, gy = np.meshgrid(
        x0 + side * np.arange(int(np.ceil((x1 - x0) / side))),
        y0 + side * np.arange(int(np.ceil((y1 - y0) / side))),
    )
    gx, gy = gx.ravel(), gy.ravel()
    m = 1.05 * gap
    reach = shapely.box(gx - m, gy - m, gx + side + m, gy + side + m)
    tile, part = shapely.STRtree(parts).query(reach)
    order = np.lexsort((part, tile))
    tile, part = tile[order], part[order]
    used, start = np.unique(tile, return_index=True)
    unions = np.array([_union(parts[p]) for p in np.split(part, start[1:])], dtype=object)
    closed = _on_cores(lambda u: _close(u, gap), unions, shapely.get_num_coordinates(unions))
    e = OVERLAP_M
    x, y = gx[used], gy[used]
    rects = np.column_stack([x - e, y - e, x + side + e, y + side + e])
    pieces = shapely.intersection(closed, shapely.box(*rects.T))
    keep = ~shapely.is_empty(pieces)
    return _unite(pieces[keep], rects[keep])


def _unite(pieces: np.ndarray, rects: np.ndarray):
    """The union of the pieces of a tiled outline (each cut to its rectangle, the rectangles
    overlapping by :data:`OVERLAP_M`).

    GEOS places each hole of a union in its polygon by walking that polygon's boundary: a block
    of a whole district, with tens of thousands of holes, took minutes. The holes well inside a
    piece's rectangle (no other piece reaches them) are therefore taken out first, the pieces
    united, and those holes given back to the polygon around each (found in an index).
    """
    parts, of = shapely.get_parts(pieces, return_index=True)
    area = shapely.get_type_id(parts) == 3  # a cut may leave a line or a point beside a polygon
    parts, of = parts[area], of[area]
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    hole = np.r_[False, ring_of[1:] == ring_of[:-1]]  # a polygon's first ring is its shell
    box, rect = shapely.bounds(rings), rects[of[ring_of]]
    inner = hole & (box[:, :2] > rect[:, :2] + 2 * OVERLAP_M).all(axis=1)
    inner &= (box[:, 2:] < rect[:, 2:] - 2 * OVERLAP_M).all(axis=1)
    # a hole with a part inside (an island) stays: filled, the union would swallow the island
    candidates = np.flatnonzero(inner)
    isle = shapely.STRtree(shapely.polygons(rings[candidates])).query(
        shapely.point_on_surface(parts), predicate="within"
    )[1]
    inner[candidates[isle]] = False
    rebuilt = [
        shapely.polygons(rings[r][0], holes=rings[r][1:][~inner[r][1:]])
        for r in np.split(np.arange(len(rings)), np.flatnonzero(~hole)[1:])
    ]
    united = shapely.union_all(rebuilt)
    if not inner.any():
        return united
    outer = shapely.get_parts(united)
    shells = shapely.polygons(shapely.get_exterior_ring(outer))
    # a point inside each hole, in the smallest shell around it (a part may lie in another's hole)
    points = shapely.point_on_surface(shapely.polygons(rings[inner]))
    p, k = shapely.STRtree(shells).query(points, predicate="within")
    order = np.lexsort((shapely.area(shells)[k], p))
    p, k = p[order], k[order]
    first = np.r_[True, p[1:] != p[:-1]]
    owner = np.full(len(points), -1)
    owner[p[first]] = k[first]
    given = rings[inner]
    out = [
        shapely.polygons(
            shapely.get_exterior_ring(part),
            holes=np.r_[shapely.get_rings(part)[1:], given[owner == j]],
        )
        for j, part in enumerate(outer)
    ]
    return out[0] if len(out) == 1 else shapely.multipolygons(out)


def filled(outlines: np.ndarray) -> np.ndarray:
    """The outlines with their holes filled (one polygon or multipolygon each).

    Parameters
    ----------
    outlines : numpy.ndarray
        Polygons or multipolygons.

    Returns
    -------
    numpy.ndarray
    """
    parts, of = shapely.get_parts(outlines, return_index=True)
    shells = shapely.polygons(shapely.get_exterior_ring(parts))
    out = np.empty(len(outlines), dtype=object)
    if len(parts):
        has, inv = np.unique(of, return_inverse=True)
        whole = shapely.multipolygons(shells, indices=inv)
        one = np.bincount(inv) == 1
        whole[one] = shells[np.searchsorted(inv, np.flatnonzero(one))]
        out[has] = whole
    return out


def compactness(outlines: np.ndarray) -> np.ndarray:
    """Polsby-Popper 4πA/P² of each outline (0 for an empty one).

    Parameters
    ----------
    outlines : numpy.ndarray

    Returns
    -------
    numpy.ndarray
    """
    a = np.nan_to_num(shapely.area(outlines).astype(float))
    p = np.nan_to_num(shapely.length(outlines).astype(float))
    return np.divide(4 * np.pi * a, p * p, out=np.zeros(len(a)), where=p > 0)


def enclosed_pairs(
    shapes: np.ndarray, others: np.ndarray | None = None, points: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(shape, other) index pairs: each of ``others`` whose interior point lies in a shape.

    The interior point is shapely's ``point_on_surface`` (inside the polygon, even a bent one).

    Parameters
    ----------
    shapes : numpy.ndarray
        E.g. the filled outlines of blocks.
    others : numpy.ndarray, optional
        Polygons (missing and empty ones are in none).
    points : numpy.ndarray, optional
        Their interior points, when made already instead (None where there is none).

    Returns
    -------
    shape_index, other_index : numpy.ndarray
        Sorted by shape, then other.
    """
    parts, of = shapely.get_parts(shapes, return_index=True)
    if points is None:
        others = np.asarray(others, dtype=object)
        present = np.flatnonzero(~(shapely.is_missing(others) | shapely.is_empty(others)))
        points = np.empty(len(others), dtype=object)
        points[present] = in_threads(shapely.point_on_surface, others[present])
    present = np.flatnonzero(~shapely.is_missing(points))
    if not len(parts) or not len(present):
        none = np.array([], dtype=np.intp)
        return none, none
    # each part prepared once, its candidate points tested against it
    p, o = shapely.STRtree(points[present]).query(parts, predicate="contains")
    pairs = np.unique(np.column_stack([of[p], present[o]]), axis=0)
    return pairs[:, 0], pairs[:, 1]
