"""Polygons of one ring as coordinate arrays: area, bounds, projection and validity without a
GEOS object per polygon.

A layer of a million parcels as shapely polygons costs about 400 bytes and several microseconds
per polygon at each step (parsing, checking, projecting); most parcels are plain rings that numpy
handles in bulk. ``Rings`` holds such polygons: their closed rings one after the other. Results
are those GEOS gives on the same polygons: :func:`ring_areas` sums as GEOS's ``Area::ofRing``
does, term by term, so the areas are the same to the last bit.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np
import shapely

from .threads import cores


class Rings(NamedTuple):
    """Polygons of one ring each: ring i is ``xy[start[i]:start[i + 1]]``, closed (its last
    point is its first)."""

    xy: np.ndarray
    start: np.ndarray

    def __len__(self) -> int:
        return len(self.start) - 1

    @property
    def sizes(self) -> np.ndarray:
        """Points per ring (the closing point included)."""
        return np.diff(self.start)


def owner_of_points(start: np.ndarray) -> np.ndarray:
    """The ring of each point, from the rings' offsets."""
    return np.repeat(np.arange(len(start) - 1), np.diff(start))


def ring_areas(rings: Rings, block: int = 200_000) -> np.ndarray:
    """Area of each ring, as GEOS computes a polygon's (``Area::ofRingSigned``, made positive).

    GEOS sums x(i) - x(0) times y(i - 1) - y(i + 1) over the points 1 .. n - 2, in order, and
    halves the sum: so does this, term by term (``np.bincount`` adds in order), ``block`` rings
    at a time.

    Parameters
    ----------
    rings : Rings
    block : int, default 200,000

    Returns
    -------
    numpy.ndarray
    """
    n = len(rings)
    out = np.empty(n)
    for lo in range(0, n, block):
        hi = min(lo + block, n)
        start = rings.start[lo : hi + 1]
        xy = rings.xy[start[0] : start[-1]]
        start = start - start[0]
        sizes = np.diff(start)
        ring = np.repeat(np.arange(hi - lo), sizes)
        pos = np.arange(len(xy)) - start[:-1][ring]
        keep = np.flatnonzero((pos >= 1) & (pos <= sizes[ring] - 2))
        x = xy[keep, 0] - xy[start[:-1][ring[keep]], 0]
        term = x * (xy[keep - 1, 1] - xy[keep + 1, 1])
        out[lo:hi] = np.abs(np.bincount(ring[keep], weights=term, minlength=hi - lo) / 2.0)
    return out


def ring_bounds(rings: Rings) -> np.ndarray:
    """(minx, miny, maxx, maxy) of each ring."""
    s = rings.start[:-1]
    if not len(s):
        return np.zeros((0, 4))
    lo = np.minimum.reduceat(rings.xy, s, axis=0)
    hi = np.maximum.reduceat(rings.xy, s, axis=0)
    return np.column_stack([lo, hi])


def strictly_convex(rings: Rings, sharp_turn: float | None = None):
    """Rings that are certainly valid polygons: closed, every turn the same way by more than
    rounding can blur, and once around (at least three corners).

    A ring that fails is not said to be invalid: GEOS is asked about it. Once around: the edges'
    direction crosses from the upper half-plane to the lower and back exactly once (a star's
    turns all go one way too, but twice around).

    Parameters
    ----------
    rings : Rings
    sharp_turn : float, optional
        Also say which rings turn by more than this (the sine of the angle) at every corner.

    Returns
    -------
    numpy.ndarray, or (numpy.ndarray, numpy.ndarray) with ``sharp_turn``
        Bool per ring (and whether it turns sharply everywhere).
    """
    xy, start = rings.xy, rings.start
    n = len(start) - 1
    sizes = np.diff(start)
    if not len(xy):
        none = np.zeros(n, dtype=bool)
        return none if sharp_turn is None else (none, none)
    ok = (sizes >= 4) & (xy[start[:-1]] == xy[np.maximum(start[1:] - 1, 0)]).all(axis=1)
    count = np.maximum(sizes - 1, 0)
    # the edges, ring after ring: every point but a ring's last starts one
    step = np.zeros_like(xy)
    step[:-1] = xy[1:] - xy[:-1]
    starts_edge = np.ones(len(xy), dtype=bool)
    starts_edge[start[1:][sizes > 0] - 1] = False
    e = step[starts_edge]
    del step
    es = np.r_[0, np.cumsum(count)]
    f = np.empty_like(e)  # the edge after each: the next, or the ring's first after its last
    f[:-1] = e[1:]
    has = count > 0
    f[es[1:][has] - 1] = e[es[:-1][has]]
    ex, ey, fx, fy = e[:, 0], e[:, 1], f[:, 0], f[:, 1]
    cross = ex * fy - ey * fx
    size = (ex * ex + ey * ey) * (fx * fx + fy * fy)
    # the cross product of two edges errs by a few units in the last place of the coordinates
    # times the edges' lengths; a billionth of the edges' product is far beyond that
    sure = cross * cross > 1e-18 * size
    flip = ((ey > 0) | ((ey == 0) & (ex > 0))) != ((fy > 0) | ((fy == 0) & (fx > 0)))
    ok &= count >= 3
    at = np.minimum(es[:-1], max(len(e) - 1, 0))  # rings without edges are not ok already

    def every(values):
        return np.logical_and.reduceat(values, at) if len(e) else np.zeros(n, dtype=bool)

    good = ok & (every(sure & (cross > 0)) | every(sure & (cross < 0)))
    if len(e):
        good &= np.add.reduceat(flip.astype(np.int32), at) == 2
    if sharp_turn is None:
        return good
    return good, good & every(cross * cross > sharp_turn**2 * size)


def to_polygons(rings: Rings, which: np.ndarray | None = None) -> np.ndarray:
    """Shapely polygons of some rings (default all), in that order.

    Parameters
    ----------
    rings : Rings
    which : numpy.ndarray, optional
        Ring indices.

    Returns
    -------
    numpy.ndarray
    """
    which = np.arange(len(rings)) if which is None else np.asarray(which, dtype=np.int64)
    if not len(which):
        return np.empty(0, dtype=object)
    sizes = rings.sizes[which]
    take = np.repeat(rings.start[:-1][which], sizes) + (
        np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    )
    index = np.repeat(np.arange(len(which)), sizes)
    return shapely.polygons(shapely.linearrings(rings.xy[take], indices=index))


def transform_xy(xy: np.ndarray, transformer, out: np.ndarray | None = None) -> np.ndarray:
    """Coordinates through a pyproj transformer, in chunks on every core (pyproj lets go of the
    GIL); the same numbers as one call.

    Parameters
    ----------
    xy : numpy.ndarray
        (m, 2) coordinates.
    transformer : pyproj.Transformer
    out : numpy.ndarray, optional
        Where to write them (``xy`` itself: in place).

    Returns
    -------
    numpy.ndarray
        (m, 2) transformed coordinates.
    """
    out = np.empty_like(xy) if out is None else out
    n = min(cores(), max(1, len(xy) // 200_000))

    def part(lo_hi):
        for lo in range(lo_hi[0], lo_hi[1], 500_000):
            hi = min(lo + 500_000, lo_hi[1])
            x, y = transformer.transform(xy[lo:hi, 0], xy[lo:hi, 1])
            out[lo:hi, 0], out[lo:hi, 1] = x, y

    cuts = np.linspace(0, len(xy), n + 1).astype(int)
    spans = list(zip(cuts[:-1], cuts[1:]))
    if n < 2:
        part(spans[0])
    else:
        with ThreadPoolExecutor(max_workers=n) as pool:
            list(pool.map(part, spans))
    return out


def boxes_near(bounds: np.ndarray, targets: np.ndarray, cells: int | None = None) -> np.ndarray:
    """Which boxes come near some target boxes: both meet one cell of a grid laid over the boxes
    (about ``cells`` cells). A box that meets a target box always comes near it; one that comes
    near may only be within a cell of it.

    Parameters
    ----------
    bounds : numpy.ndarray
        (n, 4) boxes (NaN rows: none).
    targets : numpy.ndarray
        (t, 4) boxes; keep them small (a cell or two: segmentize long lines first).
    cells : int, optional
        About how many cells the grid has (default: four per box, at most 4,000,000).

    Returns
    -------
    numpy.ndarray
        Bool per box.
    """
    out = np.zeros(len(bounds), dtype=bool)
    targets = targets[np.isfinite(targets).all(axis=1)]
    if not len(targets):
        return out
    # only boxes within the targets' extent can meet one
    tx0, ty0 = targets[:, 0].min(), targets[:, 1].min()
    tx1, ty1 = targets[:, 2].max(), targets[:, 3].max()
    with np.errstate(invalid="ignore"):
        present = (
            (bounds[:, 2] >= tx0)
            & (bounds[:, 0] <= tx1)
            & (bounds[:, 3] >= ty0)
            & (bounds[:, 1] <= ty1)
        )
    if not present.any():
        return out
    b = bounds[present]
    cells = cells or int(np.clip(4 * len(b), 10_000, 4_000_000))
    x0, y0 = b[:, 0].min(), b[:, 1].min()
    x1, y1 = b[:, 2].max(), b[:, 3].max()
    cell = max(np.sqrt(max((x1 - x0) * (y1 - y0), 1e-300) / cells), (x1 - x0) / 1e6, 1e-300)
    nx, ny = int((x1 - x0) // cell) + 1, int((y1 - y0) // cell) + 1

    def span(lo, hi, origin, n):
        return (
            np.clip(np.floor((lo - origin) / cell), 0, n - 1).astype(np.int64),
            np.clip(np.floor((hi - origin) / cell), 0, n - 1).astype(np.int64),
        )

    # targets beyond the grid meet no box
    t = targets[(targets[:, 2] >= x0) & (targets[:, 0] <= x1)]
    t = t[(t[:, 3] >= y0) & (t[:, 1] <= y1)]
    marked = np.zeros((ny + 1, nx + 1), dtype=np.int32)
    if len(t):
        tx0, tx1 = span(t[:, 0], t[:, 2], x0, nx)
        ty0, ty1 = span(t[:, 1], t[:, 3], y0, ny)
        w, h = tx1 - tx0 + 1, ty1 - ty0 + 1
        k = w * h
        which = np.repeat(np.arange(len(t)), k)
        local = np.arange(k.sum()) - np.repeat(np.cumsum(k) - k, k)
        marked[ty0[which] + local // w[which] + 1, tx0[which] + local % w[which] + 1] = 1
    table = marked.cumsum(axis=0, dtype=np.int32)  # cells marked up to each (a zero border)
    table.cumsum(axis=1, out=table)
    fx0, fx1 = span(b[:, 0], b[:, 2], x0, nx)
    fy0, fy1 = span(b[:, 1], b[:, 3], y0, ny)
    hits = table[fy1 + 1, fx1 + 1] - table[fy0, fx1 + 1] - table[fy1 + 1, fx0] + table[fy0, fx0]
    out[present] = hits > 0
    return out
