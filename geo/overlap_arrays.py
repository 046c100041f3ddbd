"""Which features of a layer held as arrays overlap another: the overlap test of
:func:`geo.overlap_flags.overlapping_features`, made without a GEOS object per feature.

Edges are matched on the coordinate arrays (:func:`geo.overlap_flags.match_rings`) in vertical
slabs (a feature in every slab its box touches); the few features with an unmatched edge (the
layer's outer ring, overlaps) are made polygons and tested against the features their boxes
meet. Only when one of them overlaps something are the features that could be covered without
an unmatched edge looked for, and only near the overlapping ones: a region covered twice is
bounded by unmatched edges of features that overlap (see geo.overlap_flags), so whatever it
covers lies within the box of those features.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import shapely

from .overlap_flags import _components, _interiors_meet, _rings, match_rings
from .polygon_arrays import Rings, boxes_near, to_polygons

#: about this many features have their edges matched at once (memory: about 100 bytes per edge)
SLAB = 100_000


class Measured(NamedTuple):
    """A polygon layer as arrays: plain rings as coordinates, the other features as polygons."""

    n: int
    plain: np.ndarray
    rings: Rings
    #: area of each plain ring (None when not measured)
    area: np.ndarray | None
    other: np.ndarray
    other_geoms: np.ndarray
    #: (minx, miny, maxx, maxy) of every feature (NaN: none)
    bounds: np.ndarray | None


def polygons_of(m: Measured, ids) -> np.ndarray:
    """Shapely polygons of some features (plain rings made polygons, the others as they are)."""
    ids = np.asarray(ids, dtype=np.int64)
    out = np.empty(len(ids), dtype=object)
    if not len(ids):
        return out
    at = np.searchsorted(m.plain, ids)
    is_plain = (at < len(m.plain)) & (m.plain[np.minimum(at, max(len(m.plain) - 1, 0))] == ids)
    if is_plain.any():
        out[is_plain] = to_polygons(m.rings, at[is_plain])
    if (~is_plain).any():
        out[~is_plain] = m.other_geoms[np.searchsorted(m.other, ids[~is_plain])]
    return out


def edge_matches(m: Measured) -> list:
    """The features' edges matched in vertical slabs of about :data:`SLAB` features (a feature
    in every slab its box touches), as :func:`geo.overlap_flags.overlapping_features` matches
    them.

    Parameters
    ----------
    m : Measured

    Returns
    -------
    list of geo.overlap_flags.EdgeMatch
        One per slab; indices are features'.
    """
    b = m.bounds
    present = np.flatnonzero(np.isfinite(b).all(axis=1))
    k = int(np.ceil(len(present) / SLAB)) or 1
    cuts = np.quantile((b[present, 0] + b[present, 2]) / 2, np.linspace(0, 1, k + 1)[1:-1])
    other = ~(shapely.is_missing(m.other_geoms) | shapely.is_empty(m.other_geoms))
    other_ids, other_geoms = m.other[other], m.other_geoms[other]
    found = []
    for low, high in zip(np.r_[-np.inf, cuts], np.r_[cuts, np.inf]):
        inside = np.zeros(m.n, dtype=bool)
        inside[present[(b[present, 0] <= high) & (b[present, 2] >= low)]] = True
        mine = np.flatnonzero(inside[m.plain])
        theirs = np.flatnonzero(inside[other_ids])
        if len(mine) + len(theirs) < 2:
            continue
        c = m.rings.sizes[mine]
        take = np.repeat(m.rings.start[:-1][mine], c) + (
            np.arange(c.sum()) - np.repeat(np.cumsum(c) - c, c)
        )
        xy, start = m.rings.xy[take], np.r_[0, np.cumsum(c)]
        shell, owner = np.ones(len(mine), dtype=bool), m.plain[mine]
        if len(theirs):
            oxy, ostart, oshell, of = _rings(other_geoms[theirs])
            xy = np.concatenate([xy, oxy])
            start = np.r_[start[:-1], ostart + start[-1]]
            shell = np.r_[shell, oshell]
            owner = np.r_[owner, other_ids[theirs][of]]
        feats, local = np.unique(owner, return_inverse=True)
        found.append(match_rings(xy, start, shell, local, feats))
        del xy, take
    return found


def overlap_flags(m: Measured, matches: list) -> np.ndarray:
    """Bool per feature: its interior overlaps another's (what
    :func:`geo.overlap_flags.overlapping_features` finds), from the slabs' edge matches.

    Parameters
    ----------
    m : Measured
    matches : list of geo.overlap_flags.EdgeMatch
        :func:`edge_matches`.

    Returns
    -------
    numpy.ndarray
    """
    flags = np.zeros(m.n, dtype=bool)
    sus = np.unique(np.concatenate([mt.suspects for mt in matches])) if matches else []
    f, s = _boxes_meeting(m, np.asarray(sus, dtype=np.int64))
    if not len(f):
        return flags
    involved = np.unique(np.r_[f, s])
    geoms = polygons_of(m, involved)
    meet = _interiors_meet(geoms[np.searchsorted(involved, f)], geoms[np.searchsorted(involved, s)])
    flags[f[meet]] = flags[s[meet]] = True
    if not meet.any():
        return flags  # no suspect overlaps anything: nothing does
    deep = np.zeros(m.n, dtype=bool)
    for match in matches:
        if flags[match.suspects].any():
            deep |= _deep(m, match, flags)
    return flags | deep


def _boxes_meeting(m: Measured, some: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(feature, one of ``some``) pairs of different features whose boxes meet."""
    none = np.array([], dtype=np.int64)
    if not len(some):
        return none, none
    cand = np.flatnonzero(boxes_near(m.bounds, m.bounds[some]))
    cb = m.bounds[cand]
    i, j = shapely.STRtree(shapely.box(*m.bounds[some].T)).query(shapely.box(*cb.T))
    f, s = cand[i], some[j]
    keep = f != s
    return f[keep], s[keep]


def _deep(m: Measured, match, known: np.ndarray) -> np.ndarray:
    """:func:`geo.overlap_flags._deep_features` of one slab, looked for only within the boxes of
    groups of overlapping features (whose boxes meet, one group after another)."""
    flagged = np.flatnonzero(known & np.isin(np.arange(m.n), match.among))
    # groups of flagged features whose boxes meet: each twice-covered region lies in one's box
    f, s = _boxes_meeting(m, flagged)
    ok = np.isin(f, flagged)
    where = np.searchsorted(flagged, np.r_[f[ok], s[ok]])
    half = ok.sum()
    group = _components(len(flagged), where[:half], where[half:])
    gb = np.column_stack(
        [
            _reduce(np.minimum, m.bounds[flagged, 0], group),
            _reduce(np.minimum, m.bounds[flagged, 1], group),
            _reduce(np.maximum, m.bounds[flagged, 2], group),
            _reduce(np.maximum, m.bounds[flagged, 3], group),
        ]
    )
    free = np.zeros(m.n, dtype=bool)
    free[match.among] = True
    free[match.suspects] = False
    free &= ~known
    free &= boxes_near(m.bounds, gb)
    nodes = np.flatnonzero(free)
    deep = np.zeros(m.n, dtype=bool)
    if not len(nodes):
        return deep
    joined = free[match.left] & free[match.right]
    label = _components(m.n, match.left[joined], match.right[joined])[nodes]
    groups, first = np.unique(label, return_index=True)
    points = shapely.point_on_surface(polygons_of(m, nodes[first]))
    pb = np.column_stack([shapely.get_x(points), shapely.get_y(points)])
    pb = np.column_stack([pb, pb])
    among = np.zeros(m.n, dtype=bool)
    among[match.among] = True
    cand = np.flatnonzero(boxes_near(m.bounds, pb) & among)
    i, j = shapely.STRtree(points).query(shapely.box(*m.bounds[cand].T))
    hit = shapely.intersects(polygons_of(m, cand[i]), points[j]) if len(i) else np.zeros(0, bool)
    covered = np.bincount(j[hit], minlength=len(groups)) >= 2  # its own polygon, and another
    deep[nodes[covered[np.searchsorted(groups, label)]]] = True
    return deep


def _reduce(fn, values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """``fn`` (np.minimum or np.maximum) of ``values`` per group label (labels 0..k, any order)."""
    order = np.argsort(group, kind="stable")
    g = group[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    return fn.reduceat(values[order], starts)
