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
  by 0.96 × gap/2 (round joins, 6 segments per quarter circle). Openings narrower than the gap
  between its polygons are bridged (those narrower than 0.99 of it whatever their direction: the
  segments cut the arcs by up to 0.9 %), wider ones and holes stay. The 4 % of half the gap not
  taken back (0.4 m at gap 20) is more than GEOS's buffer can give away (the segments' 0.9 % on
  the way out and again on the way back, and its input simplified by 1 % of the distance), so
  the outline covers every polygon of its block (checked on a million synthetic parcels, where
  8 segments and 0.98 left a sliver of one block outside). A block of one convex polygon is that
  polygon; at gap 0 the outline is the union.
- **filled outline**: the outline with its holes filled.
- **encloses**: a block encloses a polygon that does not count (a park, a road) when that
  polygon's interior point (shapely's ``point_on_surface``) lies within the block's filled
  outline. Not its whole outline: the closing rounds off the ends of a road that runs through a
  block between two of its polygons, so a road crossing a block would never lie wholly inside.
- **compactness**: Polsby-Popper, 4πA/P², of the outline (A its area, P its perimeter, holes'
  rings included): 1 for a disc, 0.785 for a square, near 0 for a long thin strip.

Arrays in, numpy arrays out: :func:`block_arrays` takes shapely polygons, :func:`blocks_of` a
layer whose polygons are made on demand (:class:`Polygons`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import shapely

from .block_outlines import block_outlines, compactness, enclosed_pairs, filled, groups
from .errors import LandplanError
from .overlap_flags import _components, overlapping_features
from .polygon_arrays import boxes_near
from .threads import in_threads


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


class Polygons(NamedTuple):
    """A layer's polygons as the blocks need them: their areas and boxes, and the polygons of
    any of them made on demand (a layer held as arrays makes few)."""

    n: int
    area: np.ndarray
    #: (minx, miny, maxx, maxy) per polygon (NaN: none)
    bounds: np.ndarray
    #: ids -> shapely polygons
    polygons: object


def as_polygons(geoms: np.ndarray) -> Polygons:
    """:class:`Polygons` of an array of shapely polygons."""
    geoms = np.asarray(geoms, dtype=object)
    area = np.nan_to_num(shapely.area(geoms).astype(float))
    return Polygons(len(geoms), area, shapely.bounds(geoms), lambda ids: geoms[ids])


def area_per_group(
    layer: Polygons, ids: np.ndarray, group: np.ndarray, n: int, overlapping: np.ndarray
) -> np.ndarray:
    """The area of the union of each group's polygons: summed where none overlaps another,
    united where some do.

    Parameters
    ----------
    layer : Polygons
    ids : numpy.ndarray
        The polygons (indices into ``layer``).
    group : numpy.ndarray
        Group of each of ``ids`` (-1: none).
    n : int
        Number of groups.
    overlapping : numpy.ndarray
        Bool per polygon of ``layer``: it overlaps another.

    Returns
    -------
    numpy.ndarray
        Area per group.
    """
    ids = np.asarray(ids, dtype=np.int64)
    member = group >= 0
    ov = overlapping[ids]
    plain = member & ~ov
    area = np.bincount(group[plain], weights=layer.area[ids[plain]], minlength=n)
    tangled = member & ov
    if tangled.any():
        together = groups(np.where(tangled, group, -1), n)
        for k in np.unique(group[tangled]):
            area[k] += shapely.area(shapely.union_all(layer.polygons(ids[together[k]])))
    return area


class Blocks(NamedTuple):
    """What :func:`blocks_of` finds, blocks largest first; areas in m² of the measuring CRS."""

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
    """:func:`blocks_of` an array of shapely polygons (the overlap test made here when
    ``overlapping`` is not given)."""
    geoms = np.asarray(geoms, dtype=object)
    if overlapping is None:
        overlapping = overlapping_features(geoms)
    return blocks_of(as_polygons(geoms), counts, gap, overlapping)


def blocks_of(layer: Polygons, counts: np.ndarray, gap: float, overlapping: np.ndarray) -> Blocks:
    """The blocks of the polygons that count, joined at ``gap``, and what each encloses.

    Parameters
    ----------
    layer : Polygons
        Valid polygons in a projected CRS (metres).
    counts : numpy.ndarray
        Bool per polygon: it counts (e.g. industrial land).
    gap : float
        The gap (metres), >= 0.
    overlapping : numpy.ndarray
        Bool per polygon: its interior overlaps another's.

    Returns
    -------
    Blocks
        Blocks numbered by area, largest first.
    """
    counts = np.asarray(counts, dtype=bool)
    gap = check_gap(gap)
    idx = np.flatnonzero(counts)
    mine = layer.polygons(idx)
    sub = block_labels(mine, gap)
    n = int(sub.max()) + 1 if len(sub) else 0
    area = area_per_group(layer, idx, sub, n, overlapping)
    # largest first; equal areas in the order of their first polygon
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((np.arange(n), -area))] = np.arange(n)
    label = np.full(layer.n, -1, dtype=np.int64)
    label[idx] = np.where(sub >= 0, rank[np.maximum(sub, 0)], -1)
    area = area[np.argsort(rank)]
    members = groups(label[idx], n)  # positions in ``idx``
    count = np.array([len(m) for m in members], dtype=np.int64)
    outline = block_outlines(mine, members, gap)
    whole = filled(outline)
    others = np.flatnonzero(~counts & np.isfinite(layer.bounds).all(axis=1))
    # only the polygons near a block's filled outline can lie in it
    parts = shapely.get_parts(whole)
    others = others[boxes_near(layer.bounds[others], shapely.bounds(parts))]
    points = in_threads(shapely.point_on_surface, layer.polygons(others))
    b, o = enclosed_pairs(whole, None, points)
    o = others[o]
    enclosed_area = area_per_group(layer, o, b, n, overlapping)
    # the land a block's polygons and those it encloses share is counted once: only polygons
    # that overlap another can share any, so only theirs are united and intersected
    with_enclosed = area + enclosed_area
    own = np.where(overlapping & (label >= 0), label, -1)
    theirs = np.where(overlapping[o], b, -1)
    both = np.intersect1d(own[own >= 0], theirs[theirs >= 0])
    if len(both):
        own_ids, their_ids = groups(own, n), groups(theirs, n)
        for k in both:
            shared = shapely.intersection(
                shapely.union_all(layer.polygons(own_ids[k])),
                shapely.union_all(layer.polygons(o[their_ids[k]])),
            )
            with_enclosed[k] -= shapely.area(shared)
    return Blocks(
        label, outline, area, count, compactness(outline), b, o, enclosed_area, with_enclosed
    )
