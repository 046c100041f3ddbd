"""Blocks: polygons joined where they touch or lie closer than a gap (contiguous land, 连片).

All distances and areas are planimetric, in the projected CRS the polygons are measured in
(metres). The words, as the functions here use them:

- **joined**: two polygons are joined when the shortest distance between them is less than the
  gap, or zero (they touch or overlap): at gap 20, 19.99 m apart is joined and 20 m is not; at
  gap 0 only polygons that touch are.
- **block**: the polygons linked by a chain of joined pairs (a connected component).
- **area**: the area of the union of the block's polygons (overlaps once); the gap between them
  is not counted.
- **outline**: the block's polygons closed at half the gap: their union grown by gap/2 and shrunk
  by 0.98 × gap/2 (round joins, 8 segments per quarter circle). Openings narrower than the gap
  between its polygons are bridged, wider ones and holes stay. The fiftieth of half the gap not
  taken back (0.2 m at gap 20) is more than GEOS's buffer can give away (the segments cut arcs by
  0.5 % of the distance, its input is simplified by 1 %), so the outline covers every polygon of
  its block. A block of one convex polygon is that polygon; at gap 0 the outline is the union.
- **filled outline**: the outline with its holes filled.
- **encloses**: a block encloses a polygon that does not count (a park, a road) when that
  polygon's interior point (shapely's ``point_on_surface``) lies within the block's filled
  outline. Not its whole outline: the closing rounds off the ends of a road that runs through a
  block between two of its polygons, so a road crossing a block would never lie wholly inside.
- **compactness**: Polsby-Popper, 4πA/P², of the outline (A its area, P its perimeter, holes'
  rings included): 1 for a disc, 0.785 for a square, near 0 for a long thin strip.

Arrays of shapely polygons in, numpy arrays out; :func:`find_blocks` takes a GeoDataFrame.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np
import shapely

from .errors import LandplanError
from .overlap_flags import _components, overlapping_features
from .threads import cores, in_threads

#: segments per quarter circle of the outline's closing (the covering argument needs >= 6)
QUAD_SEGS = 8
#: share of half the gap the outline is shrunk back by (see the module's docstring)
SHRINK = 0.98


def check_gap(gap) -> float:
    """The gap as a float of metres; a negative, infinite or non-numeric gap is refused.

    Parameters
    ----------
    gap : object
        The gap as given (a number or its text).

    Returns
    -------
    float

    Raises
    ------
    LandplanError
        A gap that is not a finite number >= 0.
    """
    try:
        value = float(str(gap).strip().removesuffix("m")) if isinstance(gap, str) else float(gap)
    except (TypeError, ValueError):
        value = float("nan")
    if not np.isfinite(value) or value < 0:
        raise LandplanError(
            f"间距须为不小于 0 的米数（如 20），而不是 {gap!r}。",
            f"The gap must be a number of metres of 0 or more (e.g. 20), not {gap!r}.",
        )
    return value


def joined_pairs(geoms: np.ndarray, gap: float) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i < j) of the polygons that are joined: closer than ``gap``, or touching.

    Candidates are the pairs whose boxes, one grown by the gap, meet (an STRtree query); each is
    then tested with ``dwithin`` at the largest float below the gap (so the distance must be less
    than the gap), on every core. At gap 0 the test is ``intersects``.

    Parameters
    ----------
    geoms : numpy.ndarray
        Valid polygons in a projected CRS (missing and empty ones join nothing).
    gap : float
        The gap in the CRS's units (metres).

    Returns
    -------
    i, j : numpy.ndarray
        Indices into ``geoms``.
    """
    geoms = np.asarray(geoms, dtype=object)
    present = np.flatnonzero(~(shapely.is_missing(geoms) | shapely.is_empty(geoms)))
    g = geoms[present]
    tree = shapely.STRtree(g)
    if gap == 0:
        i, j = tree.query(g, predicate="intersects")
        keep = i < j
        return present[i[keep]], present[j[keep]]
    b = shapely.bounds(g)
    i, j = tree.query(shapely.box(b[:, 0] - gap, b[:, 1] - gap, b[:, 2] + gap, b[:, 3] + gap))
    keep = i < j
    i, j = i[keep], j[keep]
    limit = float(np.nextafter(gap, 0.0))
    near = in_threads(lambda a, c: _within(a, c, limit), g[i], g[j])
    return present[i[near]], present[j[near]]


def _within(a: np.ndarray, b: np.ndarray, limit: float) -> np.ndarray:
    """Element-wise: the distance of a and b is at most ``limit``."""
    if hasattr(shapely, "dwithin"):  # shapely >= 2.1
        return shapely.dwithin(a, b, limit)
    return shapely.distance(a, b) <= limit


def block_labels(geoms: np.ndarray, gap: float) -> np.ndarray:
    """The block of each polygon: 0, 1, ... in the order of each block's first polygon; -1 for a
    missing or empty one.

    Parameters
    ----------
    geoms : numpy.ndarray
        Valid polygons in a projected CRS.
    gap : float
        The gap (metres).

    Returns
    -------
    numpy.ndarray
        int64 per polygon.
    """
    geoms = np.asarray(geoms, dtype=object)
    i, j = joined_pairs(geoms, gap)
    root = _components(len(geoms), i, j)
    label = np.full(len(geoms), -1, dtype=np.int64)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if present.any():
        _, label[present] = np.unique(root[present], return_inverse=True)
    return label


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
    """The outlines of blocks from their unions: grown by gap/2, shrunk by 0.98 × gap/2 (see the
    module's docstring); a convex polygon, and everything at gap 0, stays as it is.

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
    unions = np.asarray(unions, dtype=object)
    if gap == 0 or not len(unions):
        return unions.copy()
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


def enclosed_pairs(shapes: np.ndarray, others: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(shape, other) index pairs: each of ``others`` whose interior point lies in a shape.

    The interior point is shapely's ``point_on_surface`` (inside the polygon, even a bent one).

    Parameters
    ----------
    shapes : numpy.ndarray
        E.g. the filled outlines of blocks.
    others : numpy.ndarray
        Polygons (missing and empty ones are in none).

    Returns
    -------
    shape_index, other_index : numpy.ndarray
        Sorted by shape, then other.
    """
    others = np.asarray(others, dtype=object)
    parts, of = shapely.get_parts(shapes, return_index=True)
    present = np.flatnonzero(~(shapely.is_missing(others) | shapely.is_empty(others)))
    if not len(parts) or not len(present):
        none = np.array([], dtype=np.intp)
        return none, none
    points = in_threads(shapely.point_on_surface, others[present])
    # each part prepared once, its candidate points tested against it
    p, o = shapely.STRtree(points).query(parts, predicate="contains")
    pairs = np.unique(np.column_stack([of[p], present[o]]), axis=0)
    return pairs[:, 0], pairs[:, 1]


def area_per_group(
    geoms: np.ndarray, group: np.ndarray, n: int, overlapping: np.ndarray | None = None
) -> np.ndarray:
    """The area of the union of each group's polygons: summed where none overlaps another,
    united where some do.

    Parameters
    ----------
    geoms : numpy.ndarray
        Valid polygons.
    group : numpy.ndarray
        Group per polygon (-1: none).
    n : int
        Number of groups.
    overlapping : numpy.ndarray, optional
        Bool per polygon: it overlaps another (default: none does).

    Returns
    -------
    numpy.ndarray
        Area per group.
    """
    member = group >= 0
    ov = np.zeros(len(geoms), dtype=bool) if overlapping is None else overlapping
    plain = member & ~ov
    area = np.bincount(group[plain], weights=shapely.area(geoms[plain]), minlength=n)
    tangled = member & ov
    if tangled.any():
        together = groups(np.where(tangled, group, -1), n)
        for k in np.unique(group[tangled]):
            area[k] += shapely.area(shapely.union_all(geoms[together[k]]))
    return area


class Blocks(NamedTuple):
    """What :func:`block_arrays` finds, blocks largest first; areas in m² of the measuring CRS."""

    #: block per polygon (-1: not counting, missing or empty)
    label: np.ndarray
    #: per block: the outline (closed at half the gap), its area, polygons and compactness
    outline: np.ndarray
    area: np.ndarray
    count: np.ndarray
    compactness: np.ndarray
    #: (block, polygon) pairs: the polygons that do not count lying in a block's filled outline
    enclosed_block: np.ndarray
    enclosed: np.ndarray
    #: per block: the area of the union of the polygons it encloses, and of those with its own
    enclosed_area: np.ndarray
    with_enclosed_area: np.ndarray

    @property
    def share(self) -> np.ndarray:
        """Per block: its own area over that with the polygons it encloses (1 when none)."""
        return np.divide(
            self.area,
            self.with_enclosed_area,
            out=np.ones(len(self.area)),
            where=self.with_enclosed_area > 0,
        )


def block_arrays(
    geoms: np.ndarray, counts: np.ndarray, gap: float, overlapping: np.ndarray | None = None
) -> Blocks:
    """The blocks of the polygons that count, joined at ``gap``, and what each encloses.

    Parameters
    ----------
    geoms : numpy.ndarray
        Valid polygons in a projected CRS (metres).
    counts : numpy.ndarray
        Bool per polygon: it counts (e.g. industrial land).
    gap : float
        The gap (metres), >= 0.
    overlapping : numpy.ndarray, optional
        Bool per polygon: its interior overlaps another's (found here when not given).

    Returns
    -------
    Blocks
        Blocks numbered by area, largest first.
    """
    geoms = np.asarray(geoms, dtype=object)
    counts = np.asarray(counts, dtype=bool)
    gap = check_gap(gap)
    if overlapping is None:
        overlapping = overlapping_features(geoms)
    idx = np.flatnonzero(counts)
    sub = block_labels(geoms[idx], gap)
    n = int(sub.max()) + 1 if len(sub) else 0
    area = area_per_group(geoms[idx], sub, n, overlapping[idx])
    # largest first; equal areas in the order of their first polygon
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((np.arange(n), -area))] = np.arange(n)
    label = np.full(len(geoms), -1, dtype=np.int64)
    label[idx] = np.where(sub >= 0, rank[np.maximum(sub, 0)], -1)
    area = area[np.argsort(rank)]
    members = groups(label, n)
    count = np.array([len(m) for m in members], dtype=np.int64)
    outline = closing(block_unions(geoms, members), gap)
    others = np.flatnonzero(~counts)
    b, o = enclosed_pairs(filled(outline), geoms[others])
    o = others[o]
    enclosed_area = area_per_group(geoms[o], b, n, overlapping[o])
    with_enclosed = area + enclosed_area
    # where a polygon of the block or one it encloses overlaps another, the two are united
    tangled = np.zeros(n, dtype=bool)
    tangled[b[overlapping[o]]] = True
    tangled[label[overlapping & (label >= 0)]] = True
    tangled &= np.bincount(b, minlength=n) > 0
    if tangled.any():
        inside = groups(np.where(np.isin(b, np.flatnonzero(tangled)), b, -1), n)
        for k in np.flatnonzero(tangled):
            mine = np.r_[members[k], o[inside[k]]]
            with_enclosed[k] = shapely.area(shapely.union_all(geoms[mine]))
    return Blocks(
        label, outline, area, count, compactness(outline), b, o, enclosed_area, with_enclosed
    )
