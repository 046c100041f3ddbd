"""Block outlines: the union of a block's polygons closed at half the gap, filled, their
compactness, and the polygons they enclose (what the words mean: :mod:`geo.blocks`)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import shapely

from .threads import cores, in_threads

#: segments per quarter circle of the outline's closing (see geo.blocks)
QUAD_SEGS = 6
#: share of half the gap the outline is shrunk back by (see geo.blocks)
SHRINK = 0.96


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
    half = gap / 2

    def close(u):
        grown = shapely.buffer(u, half, quad_segs=QUAD_SEGS)
        return shapely.buffer(grown, -SHRINK * half, quad_segs=QUAD_SEGS)

    out[todo] = _on_cores(close, unions[todo], shapely.get_num_coordinates(unions[todo]))
    return out


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
