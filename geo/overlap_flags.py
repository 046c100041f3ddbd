"""Which features overlap another: the overlap test by edge matching.

Parcels that tile share their edges, each run once each way; only the few features with an edge
that is not so matched need a test pair by pair (:func:`overlapping_features`). On arrays of
shapely polygons, no pandas or geopandas.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import shapely

from .threads import in_threads


def interior_overlap_pairs(
    a: np.ndarray, b: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i, j) whose interiors intersect; within one array (i < j) when b is None.

    Parameters
    ----------
    a : numpy.ndarray
        Geometries.
    b : numpy.ndarray, optional
        Other geometries (default: pairs within ``a``).

    Returns
    -------
    i, j : numpy.ndarray
        Indices into ``a`` and ``b`` (or ``a``).
    """
    same = b is None
    b = a if same else b
    tree = shapely.STRtree(b)
    ia, ib = tree.query(a, predicate="intersects")
    if same:
        keep = ia < ib
        ia, ib = ia[keep], ib[keep]
    if len(ia):
        inner = shapely.relate_pattern(a[ia], b[ib], "T********")
        ia, ib = ia[inner], ib[inner]
    return ia, ib


def overlapping_features(
    lg: np.ndarray, candidates: np.ndarray | None = None, suspects=None, tree=None
) -> np.ndarray:
    """Boolean per feature: its interior overlaps another feature's.

    Only ``candidates`` are flagged, for overlapping another candidate. Parcels that tile (no
    overlaps) share their edges: every edge of one is an edge of its neighbour, run the other way.
    The features with an edge that is not so matched (:func:`_unmatched_edge_features`: the outer
    ring of the layer, overlaps, duplicates, near-misses) are tested pair by pair against the
    features they touch. When none of them overlaps anything, no two features overlap (see there
    why); when one does, the others are judged group by group (:func:`_deep_features`), so that
    no overlap is missed.

    Parameters
    ----------
    lg : numpy.ndarray
        Valid polygons.
    candidates : numpy.ndarray, optional
        Indices of the features to test (default: all).
    suspects : EdgeMatch or Future, optional
        :func:`unmatched_edge_features` of all of ``lg`` (the same polygons, in any CRS), when
        already found (or being found in another thread): its suspects are then tested against
        all of ``lg``, and the candidates flagged so tested again among themselves.
    tree : shapely.STRtree, optional
        An STRtree of ``lg``, when one is built already.

    Returns
    -------
    numpy.ndarray
        Bool per feature.
    """
    flags = np.zeros(len(lg), dtype=bool)
    cand = np.arange(len(lg)) if candidates is None else np.asarray(candidates)
    cand = cand[~(shapely.is_missing(lg[cand]) | shapely.is_empty(lg[cand]))] if len(cand) else cand
    if len(cand) < 2:
        return flags
    if hasattr(suspects, "result"):
        try:
            suspects = suspects.result()
        except Exception:  # noqa: BLE001 - the test is made here instead
            suspects = None
    if suspects is None:
        if len(cand) > SLAB:
            return _in_slabs(lg, cand)
        suspects = _unmatched_edge_features(lg, cand)
        return _flags(lg, suspects, tree)
    flags = _flags(lg, suspects, tree)  # overlapping any feature
    return flags if candidates is None else _among(lg, cand, flags, tree)


def _among(lg: np.ndarray, cand: np.ndarray, flags: np.ndarray, tree=None) -> np.ndarray:
    """Of the candidates flagged for overlapping any feature, those that overlap another
    candidate (what :func:`overlapping_features` tells of candidates, whichever way it is found)."""
    out = np.zeros(len(lg), dtype=bool)
    out[_overlapping_pairs(lg, cand[flags[cand]], cand, tree)[0]] = True
    return out


#: at most about this many polygons are matched at once (memory: about 200 bytes per edge)
SLAB = 250_000


def _in_slabs(lg: np.ndarray, cand: np.ndarray) -> np.ndarray:
    """:func:`overlapping_features` in vertical slabs of about :data:`SLAB` polygons.

    A polygon goes into every slab its box touches, so two that overlap share a slab, where they
    are found; each slab is judged on its own, one after the other.
    """
    b = shapely.bounds(lg[cand])
    n = int(np.ceil(len(cand) / SLAB))
    cuts = np.quantile((b[:, 0] + b[:, 2]) / 2, np.linspace(0, 1, n + 1)[1:-1])
    flags = np.zeros(len(lg), dtype=bool)
    for low, high in zip(np.r_[-np.inf, cuts], np.r_[cuts, np.inf]):
        ids = cand[(b[:, 0] <= high) & (b[:, 2] >= low)]
        if len(ids) > 1:
            flags |= _flags(lg, _unmatched_edge_features(lg, ids))
    return flags


def _flags(lg: np.ndarray, match: EdgeMatch, tree=None) -> np.ndarray:
    """The overlap flags of the polygons ``match`` was made from (:func:`overlapping_features`;
    ``tree``: an STRtree of all of ``lg``, if built)."""
    flags = np.zeros(len(lg), dtype=bool)
    a, b = _overlapping_pairs(lg, match.suspects, match.among, tree)
    if not len(a):
        return flags  # no suspect overlaps anything: nothing overlaps
    flags[a] = flags[b] = True
    return flags | _deep_features(lg, match, flags, tree)


def _overlapping_pairs(
    lg: np.ndarray, some: np.ndarray, among: np.ndarray, tree=None
) -> tuple[np.ndarray, np.ndarray]:
    """(i, j), indices into ``lg``: each of ``some`` and each other of ``among`` whose interiors
    meet (``tree``: an STRtree of all of ``lg``, if built)."""
    if not len(some):
        none = np.array([], dtype=np.intp)
        return none, none
    a, b = _touching(lg, among, lg[some], tree)
    a = some[a]
    keep = a != b
    a, b = a[keep], b[keep]
    inner = in_threads(_interiors_meet, lg[a], lg[b])
    return a[inner], b[inner]


def _touching(lg: np.ndarray, among: np.ndarray, geoms: np.ndarray, tree=None):
    """(index into ``geoms``, index into ``lg``) of each of ``geoms`` and each polygon of
    ``lg[among]`` that it intersects; ``tree``: an STRtree of all of ``lg``, if built."""
    if tree is None:
        i, j = shapely.STRtree(lg[among]).query(geoms, predicate="intersects")
        return i, among[j]
    i, j = tree.query(geoms, predicate="intersects")
    inside = np.zeros(len(lg), dtype=bool)
    inside[among] = True
    keep = inside[j]
    return i[keep], j[keep]


def _deep_features(lg: np.ndarray, match: EdgeMatch, known: np.ndarray, tree=None) -> np.ndarray:
    """Of the polygons with every edge matched and no overlap with a suspect, those covered by
    another polygon.

    Across a matched edge between two such polygons the number of polygons over a point (w) does
    not change, and within each it is constant (an edge crossing its interior is either matched,
    changing nothing, or a suspect's, which would overlap it). So w is one figure for each group of
    them joined by matched edges: one interior point per group, and how many polygons it lies in,
    tell the whole group.
    """
    free = np.zeros(len(lg), dtype=bool)
    free[match.among] = True
    free[match.suspects] = False
    free &= ~known
    nodes = np.flatnonzero(free)
    deep = np.zeros(len(lg), dtype=bool)
    if not len(nodes):
        return deep
    joined = free[match.left] & free[match.right]
    label = _components(len(lg), match.left[joined], match.right[joined])[nodes]
    groups, first = np.unique(label, return_index=True)
    points = shapely.point_on_surface(lg[nodes[first]])  # in each group's first polygon's interior
    hit, _ = _touching(lg, match.among, points, tree)
    covered = np.bincount(hit, minlength=len(groups)) >= 2  # its own polygon, and another
    deep[nodes[covered[np.searchsorted(groups, label)]]] = True
    return deep


def _components(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """A label per node 0..n-1, the same for nodes joined by the edges (i, j): the smallest node
    of its group (union by hooking roots on the smaller, then pointer jumping)."""
    label = np.arange(n)
    while True:
        li, lj = label[i], label[j]
        apart = li != lj
        if not apart.any():
            return label
        np.minimum.at(label, np.maximum(li, lj)[apart], np.minimum(li, lj)[apart])
        while True:
            jumped = label[label]
            if (jumped == label).all():
                break
            label = jumped


def unmatched_edge_features(geoms: np.ndarray) -> EdgeMatch | None:
    """The polygons with an edge no other has, run the other way, and the neighbours across each
    matched edge (see :func:`_unmatched_edge_features`); for :func:`overlapping_features`'
    ``suspects``.

    Parameters
    ----------
    geoms : numpy.ndarray
        Valid polygons (missing and empty ones are left out).

    Returns
    -------
    EdgeMatch or None
        Indices into ``geoms``; None for more than :data:`SLAB` polygons.
    """
    geoms = np.asarray(geoms, dtype=object)
    present = np.flatnonzero(~(shapely.is_missing(geoms) | shapely.is_empty(geoms)))
    if len(present) > SLAB:
        return None  # too many at once: overlapping_features matches them slab by slab
    if len(present) < 2:
        none = np.array([], dtype=np.intp)
        return EdgeMatch(present, none, none, present)
    return _unmatched_edge_features(geoms, present)


def _interiors_meet(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return shapely.relate_pattern(a, b, "T********")


class EdgeMatch(NamedTuple):
    """What matching the edges of some polygons found (:func:`unmatched_edge_features`)."""

    #: the polygons with an edge no other has, run the other way
    suspects: np.ndarray
    #: the two polygons on either side of each matched edge
    left: np.ndarray
    right: np.ndarray
    #: the polygons whose edges were matched
    among: np.ndarray


def _unmatched_edge_features(lg: np.ndarray, cand: np.ndarray) -> EdgeMatch:
    """The candidates with an edge that no other candidate has, run the other way.

    Edges are oriented with the feature's interior on their left (shells counter-clockwise,
    holes clockwise). An edge is matched when exactly one copy of it runs each way, compared
    exactly (bit for bit). Why this is enough: let w(p) be the number of features containing p.
    Crossing a matched edge leaves w unchanged (one feature is left, one entered); w only changes
    across unmatched edges. If two features overlap, w >= 2 somewhere, and w = 0 far away; on a
    line from there outwards, the first crossing where w drops below 2 is an unmatched edge with
    some feature's interior (w >= 2) just before it: that feature has an unmatched edge and
    overlaps another. So if no feature returned here overlaps anything, no two features overlap.
    """
    return match_rings(*_rings(lg[cand]), cand)


def match_rings(
    xy: np.ndarray,
    rings: np.ndarray,
    shell: np.ndarray,
    geom_of_ring: np.ndarray,
    cand,
    reversed_ring: np.ndarray | None = None,
) -> EdgeMatch:
    """:func:`_unmatched_edge_features` on polygons given as rings: coordinates ``xy``, ring
    offsets ``rings`` (into ``xy``, with the end), whether each ring is a shell, and the polygon
    each ring belongs to (an index into ``cand``, whose values the answer's indices are);
    ``reversed_ring``, when known: which rings run against their interior (a clockwise shell, a
    counter-clockwise hole)."""
    n_rings = len(rings) - 1
    sizes = np.diff(rings)
    first = np.ones(len(xy), dtype=bool)  # segments start at every vertex but a ring's last
    first[rings[1:][sizes > 0] - 1] = False
    start = np.flatnonzero(first)
    seg_ring = np.repeat(np.arange(n_rings), np.maximum(sizes - 1, 0))
    ax, ay = xy[start, 0] + 0.0, xy[start, 1] + 0.0  # + 0.0: -0.0 becomes 0.0
    bx, by = xy[start + 1, 0] + 0.0, xy[start + 1, 1] + 0.0
    if reversed_ring is None:
        # orientation of each ring (signed area, coordinates relative to its first vertex)
        ox, oy = xy[rings[:-1], 0][seg_ring], xy[rings[:-1], 1][seg_ring]
        signed = np.bincount(
            seg_ring, weights=(ax - ox) * (by - oy) - (bx - ox) * (ay - oy), minlength=n_rings
        )
        reversed_ring = shell != (signed > 0)
    # one key per segment, its end points in a fixed order; ``back``: it runs the other way
    swap = (ax > bx) | ((ax == bx) & (ay > by))
    back = swap != reversed_ring[seg_ring]
    key = [
        np.where(swap, bx, ax).view(np.uint64),
        np.where(swap, by, ay).view(np.uint64),
        np.where(swap, ax, bx).view(np.uint64),
        np.where(swap, ay, by).view(np.uint64),
    ]
    del ax, ay, bx, by, swap
    h = key[0] * np.uint64(0x9E3779B97F4A7C15)
    for k in key[1:]:
        h ^= h >> np.uint64(29)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h += k
    h ^= h >> np.uint64(31)
    order = np.argsort(h)  # in a group, order does not matter
    h = h[order]
    # a matched edge is a run of exactly two rows, one each way, with the same key (a hash
    # shared by different segments, a collision, leaves them unmatched)
    new = np.r_[True, h[1:] != h[:-1]]
    runs = np.flatnonzero(new)
    length = np.diff(np.r_[runs, len(h)])
    pair = runs[length == 2]
    i, j = order[pair], order[pair + 1]
    ok = back[i] != back[j]
    for k in key:
        ok &= k[i] == k[j]
    pair = pair[ok]
    matched = np.zeros(len(h), dtype=bool)
    matched[pair] = matched[pair + 1] = True
    owner = cand[geom_of_ring[seg_ring[order]]]
    small = np.int32 if len(cand) and int(np.max(cand)) < 2**31 else np.int64
    return EdgeMatch(
        np.unique(owner[~matched]),
        owner[pair].astype(small),
        owner[pair + 1].astype(small),
        cand,
    )


def _rings(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every ring of some polygons: coordinates (x, y), ring offsets into them, whether each ring
    is a shell, and the polygon (index into ``geoms``) each ring belongs to.

    Polygons of one ring (most parcels) are read in one pass of their coordinates; the others
    (holes, several parts) ring by ring.
    """
    xy, owner = shapely.get_coordinates(geoms, return_index=True)
    first = np.searchsorted(owner, np.arange(len(geoms)))
    last = np.r_[first[1:], len(xy)] - 1
    # a valid ring passes its first vertex only where it starts and ends: a polygon whose first
    # vertex comes twice, the second time as its last, has one ring
    again = np.bincount(owner, weights=(xy == xy[first][owner]).all(axis=1), minlength=len(geoms))
    one_ring = (again == 2) & (xy[last] == xy[first]).all(axis=1)
    parts = []
    keep = one_ring[owner]
    if keep.any():
        xy, owner = xy[keep], owner[keep]
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        parts.append((xy, starts, np.ones(len(starts), dtype=bool), owner[starts]))
    other = np.flatnonzero(~one_ring)
    if len(other):
        polys, of_geom = shapely.get_parts(geoms[other], return_index=True)
        rings, of_poly = shapely.get_rings(polys, return_index=True)
        rxy, of_ring = shapely.get_coordinates(rings, return_index=True)
        rstarts = np.flatnonzero(np.r_[True, of_ring[1:] != of_ring[:-1]])
        is_shell = np.r_[True, of_poly[1:] != of_poly[:-1]]
        parts.append((rxy, rstarts, is_shell, other[of_geom[of_poly]]))
    offset, starts_all = 0, []
    for pxy, pstarts, _, _ in parts:
        starts_all.append(pstarts + offset)
        offset += len(pxy)
    return (
        np.concatenate([p[0] for p in parts]),
        np.r_[np.concatenate(starts_all), offset],
        np.concatenate([p[2] for p in parts]),
        np.concatenate([p[3] for p in parts]),
    )
