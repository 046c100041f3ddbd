"""Coverage, overlaps and uncovered parts: the three analyses the product exists for.

All take GeoDataFrames (any CRS on the data) and measure in the zones' Gauss-Kruger zone
(EPSG:4547 for Shenzhen) unless ``crs`` says otherwise. Nothing is counted twice: where
features of a layer overlap, coverage uses their union.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .area import polygonal_part, project_for_area, require_polygons
from .crs import area_crs, transform_layer
from .errors import bilingual
from .threads import cores, in_threads
from .units import convert_area, normalize_unit


def _ids(gdf: gpd.GeoDataFrame, id_col: str | None) -> np.ndarray:
    if id_col is not None:
        return gdf[id_col].to_numpy()
    return gdf.index.to_numpy()


def near_zones(
    layer: gpd.GeoDataFrame, zones: gpd.GeoDataFrame, margin: float = 0.1
) -> gpd.GeoDataFrame:
    """The layer with features far from the zones emptied and those reaching far beyond them cut.

    The result is in the layer's own CRS.

    Only what lies in the zones' bounding box (plus ``margin`` of its size) can cover a zone; the
    rest, projected into the zones' Gauss-Kruger zone, can come out distorted or infinite (a world
    layer, a stray feature at 0,0). Features inside the box are left exactly as they are.

    Parameters
    ----------
    layer : geopandas.GeoDataFrame
        The layer, with a CRS.
    zones : geopandas.GeoDataFrame
        The zones, with a CRS.
    margin : float, default 0.1
        Share of the zones' box size added around it.

    Returns
    -------
    geopandas.GeoDataFrame
        The layer, same rows and CRS.
    """
    if layer.crs is None or zones.crs is None or not len(layer) or not len(zones):
        return layer
    try:
        zb = transform_layer(zones[[zones.geometry.name]], layer.crs).total_bounds
    # cannot place the zones in the layer's CRS: leave the layer as it is
    except Exception:  # noqa: BLE001
        return layer
    if not np.isfinite(zb).all():
        return layer
    dx, dy = (zb[2] - zb[0]) * margin, (zb[3] - zb[1]) * margin
    box = (zb[0] - dx, zb[1] - dy, zb[2] + dx, zb[3] + dy)
    geoms = np.asarray(layer.geometry.values, dtype=object)
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
        return layer
    out = geoms.copy()
    out[away] = None
    out[cut] = shapely.clip_by_rect(geoms[cut], *box)
    return layer.set_geometry(gpd.GeoSeries(out, index=layer.index, crs=layer.crs))


def _prepare(layer, zones, crs, near: bool = False):
    """Both layers projected for area; ``near``: only the layer's parts near the zones."""
    require_polygons(layer, "a coverage analysis")
    require_polygons(zones, "a coverage analysis")
    target = crs if crs is not None else area_crs(zones)
    lay = project_for_area(near_zones(layer, zones) if near else layer, target)
    zon = project_for_area(zones, target)
    return lay, zon


def _valid_polygons(geoms: np.ndarray) -> np.ndarray:
    """Null/empty -> None; invalid -> made valid (polygonal part kept)."""
    geoms = np.asarray(geoms, dtype=object)
    out = geoms.copy()
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    out[missing] = None
    bad = ~missing & ~in_threads(shapely.is_valid, geoms)
    if bad.any():
        fixed = shapely.make_valid(geoms[bad])
        out[bad] = [polygonal_part(g) for g in fixed]
    return out


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


def overlapping_features(lg: np.ndarray, candidates: np.ndarray | None = None) -> np.ndarray:
    """Boolean per feature: its interior overlaps another feature's.

    Only ``candidates`` are tested.

    GEOS's coverage check names the few features whose edges do not match their neighbours'
    (overlaps, duplicates, and harmless near-misses); only those are tested pair by pair, so a
    clean layer (parcels tile without overlaps) costs one pass instead of a test of every touching
    pair.

    Parameters
    ----------
    lg : numpy.ndarray
        Valid polygons.
    candidates : numpy.ndarray, optional
        Bool per feature: only these are tested (default: all).

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
    try:
        suspects = _coverage_suspects(lg, cand)
    except (
        AttributeError,
        shapely.errors.UnsupportedGEOSVersionError,
        shapely.errors.GEOSException,
    ):
        oa, ob = interior_overlap_pairs(lg[cand])  # GEOS < 3.12: every touching pair
        flags[cand[oa]] = flags[cand[ob]] = True
        return flags
    if len(suspects):
        a, b = shapely.STRtree(lg[cand]).query(lg[suspects], predicate="intersects")
        a, b = suspects[a], cand[b]
        keep = a != b
        a, b = a[keep], b[keep]
        inner = shapely.relate_pattern(lg[a], lg[b], "T********")
        flags[a[inner]] = True
        flags[b[inner]] = True
    return flags


def _coverage_suspects(lg: np.ndarray, cand: np.ndarray, min_slab: int = 5000) -> np.ndarray:
    """The candidates GEOS's coverage check flags, checked in vertical slabs on parallel threads.

    A feature goes into every slab its box touches, so any two overlapping features share a
    slab; edges left unmatched at a slab's side are outer edges, which the check does not flag.
    """
    n_slabs = int(min(cores(), max(1, len(cand) // min_slab)))
    if n_slabs == 1:
        slabs = [cand]
    else:
        b = shapely.bounds(lg[cand])
        cuts = np.quantile((b[:, 0] + b[:, 2]) / 2, np.linspace(0, 1, n_slabs + 1)[1:-1])
        lo, hi = np.r_[-np.inf, cuts], np.r_[cuts, np.inf]
        slabs = [cand[(b[:, 0] <= high) & (b[:, 2] >= low)] for low, high in zip(lo, hi)]

    def flagged(ids):
        edges = shapely.coverage_invalid_edges(lg[ids])
        return ids[~(shapely.is_missing(edges) | shapely.is_empty(edges))]

    with ThreadPoolExecutor(max_workers=len(slabs)) as pool:
        return np.unique(np.concatenate(list(pool.map(flagged, slabs))))


def _zone_pairs(lg: np.ndarray, zg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(zone index, layer index) of every feature that intersects a zone."""
    return shapely.STRtree(lg).query(zg, predicate="intersects")


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
    # whole features need no clipping; a prepared zone answers this ~4x faster than within()
    shapely.prepare(zg[~shapely.is_missing(zg)])
    within = shapely.contains_properly(zg[iz], lg[il])
    pieces = np.where(within, lg[il], None)
    todo = ~within
    if todo.any():
        pieces[todo] = shapely.intersection(lg[il[todo]], zg[iz[todo]])
    keep = shapely.area(pieces) > 0
    return il[keep], iz[keep], pieces[keep]


def clip_and_find_overlaps(
    lg: np.ndarray, zg: np.ndarray, overlapping=None
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

    Returns
    -------
    layer_index, zone_index, pieces, overlapping : numpy.ndarray
        The pieces (:func:`clip_to_zones`) and the overlap flag per feature.
    """
    pairs = _zone_pairs(lg, zg)
    if overlapping is None:
        with ThreadPoolExecutor(max_workers=1) as pool:
            flags = pool.submit(overlapping_features, lg, np.unique(pairs[1]))
            il, iz, pieces = clip_to_zones(None, None, lg, zg, pairs)
            return il, iz, pieces, flags.result()
    il, iz, pieces = clip_to_zones(None, None, lg, zg, pairs)
    if hasattr(
        overlapping, "result"
    ):  # a Future: the test ran in another thread during the clipping
        overlapping = overlapping.result()
    return il, iz, pieces, overlapping


def coverage(
    layer: gpd.GeoDataFrame,
    by: gpd.GeoDataFrame,
    zone_id: str | None = None,
    unit: str = "km2",
    crs=None,
    min_count_m2: float = 1.0,
) -> pd.DataFrame:
    """Per zone: its area, the area the layer covers (union, so overlaps count once), the %.

    Columns: zone_id, zone_area, covered_area, uncovered_area, covered_pct, feature_count, unit.
    Features crossing zone boundaries are split and each part counted in its zone; a part
    smaller than ``min_count_m2`` still adds its area but not to ``feature_count``.

    Parameters
    ----------
    layer : geopandas.GeoDataFrame
        Polygons that cover (e.g. parks), with a CRS.
    by : geopandas.GeoDataFrame
        Zone polygons (e.g. districts), with a CRS.
    zone_id : str, optional
        Column of ``by`` naming the zones (default: its index).
    unit : str, default 'km2'
        Area unit.
    crs : optional
        CRS to measure in (default: the zones' Gauss-Kruger zone).
    min_count_m2 : float, default 1.0
        Parts smaller than this (m²) add area but no count.

    Returns
    -------
    pandas.DataFrame
        One row per zone.

    Raises
    ------
    LandplanError
        No CRS (CRSError) or layers that are not polygons (GeometryTypeError).
    """
    unit = normalize_unit(unit)
    lay, zon = _prepare(layer, by, crs, near=True)
    lg = _valid_polygons(lay.geometry.values)
    zg = _valid_polygons(zon.geometry.values)
    il, iz, pieces, overlapping = clip_and_find_overlaps(lg, zg)
    piece_area = shapely.area(pieces)
    nz = len(zon)
    # float even when no piece is left (bincount of nothing is int and would truncate the unions
    # below)
    covered = np.bincount(
        iz[~overlapping[il]], weights=piece_area[~overlapping[il]], minlength=nz
    ).astype(float)
    ov = overlapping[il]
    if ov.any():
        for z in np.unique(iz[ov]):
            covered[z] += shapely.area(shapely.union_all(pieces[ov & (iz == z)]))
    zone_area = np.nan_to_num(shapely.area(zg).astype(float))
    # the tree yields each (feature, zone) pair once; slivers from boundary rounding are not counted
    counts = np.bincount(iz[piece_area >= min_count_m2], minlength=nz)
    covered = np.minimum(covered, zone_area)  # a zone covered whole: no 100.0000001 % from rounding
    pct = np.divide(covered, zone_area, out=np.zeros(nz), where=zone_area > 0) * 100
    out = pd.DataFrame(
        {
            "zone_id": _ids(by, zone_id),
            "zone_area": convert_area(zone_area, "m2", unit),
            "covered_area": convert_area(covered, "m2", unit),
            "uncovered_area": convert_area(zone_area - covered, "m2", unit),
            "covered_pct": pct,
            "feature_count": counts,
            "unit": unit,
        }
    )
    out.attrs["warnings"] = []
    if not len(il):
        present = int((~(shapely.is_missing(lg) | shapely.is_empty(lg))).sum())
        out.attrs["warnings"].append(
            bilingual(
                f"图层的 {len(layer)} 个要素均不在任何分区内，所有分区的覆盖率为 0%。"
                "请确认图层及其坐标系是否正确。",
                f"No feature of the layer ({len(layer)} feature{'s' if len(layer) != 1 else ''}"
                f"{', none with geometry' if len(layer) and not present else ''}) lies in any of "
                "the zones: every zone is "
                "0 % covered. Check that this is the right layer and that its coordinate system is "
                "right.",
            )
        )
    return out


def uncovered(
    layer: gpd.GeoDataFrame, by: gpd.GeoDataFrame, zone_id: str | None = None, crs=None
) -> gpd.GeoDataFrame:
    """The part of each zone the layer does not cover, as geometry (in the zones' CRS).

    Parameters
    ----------
    layer : geopandas.GeoDataFrame
        Polygons that cover, with a CRS.
    by : geopandas.GeoDataFrame
        Zone polygons, with a CRS.
    zone_id : str, optional
        Column of ``by`` naming the zones (default: its index).
    crs : optional
        CRS to compute in (default: the zones' Gauss-Kruger zone).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per zone: ``zone_id`` and the uncovered geometry.

    Raises
    ------
    LandplanError
        No CRS (CRSError) or layers that are not polygons (GeometryTypeError).
    """
    lay, zon = _prepare(layer, by, crs, near=True)
    il, iz, pieces = clip_to_zones(lay, zon)
    zg = _valid_polygons(zon.geometry.values)
    holes = []
    for z in range(len(zon)):
        cover = shapely.union_all(pieces[iz == z])
        holes.append(shapely.difference(zg[z], cover) if zg[z] is not None else None)
    out = gpd.GeoDataFrame({"zone_id": _ids(by, zone_id)}, geometry=holes, crs=zon.crs)
    out["uncovered_m2"] = out.area
    return out.to_crs(by.crs)


def overlaps(
    layer: gpd.GeoDataFrame,
    other: gpd.GeoDataFrame | None = None,
    id_col: str | None = None,
    other_id_col: str | None = None,
    unit: str = "km2",
    crs=None,
) -> gpd.GeoDataFrame:
    """Every pair of features whose interiors overlap (within one layer, or between two).

    Columns: a_id, b_id, area, unit, geometry (the overlap). ``attrs['double_counted']``
    is the total area that would be counted twice if the features were simply summed.

    Parameters
    ----------
    layer : geopandas.GeoDataFrame
        Polygons with a CRS.
    other : geopandas.GeoDataFrame, optional
        A second layer (default: pairs within ``layer``).
    id_col, other_id_col : str, optional
        Columns naming the features (default: the index).
    unit : str, default 'km2'
        Area unit.
    crs : optional
        CRS to measure in (default: the layer's Gauss-Kruger zone).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per overlapping pair.

    Raises
    ------
    LandplanError
        No CRS (CRSError) or layers that are not polygons (GeometryTypeError).
    """
    unit = normalize_unit(unit)
    require_polygons(layer, "an overlap analysis")
    target = crs if crs is not None else area_crs(layer)
    a = project_for_area(layer, target)
    ag = _valid_polygons(a.geometry.values)
    if other is None:
        ia, ib = interior_overlap_pairs(ag)
        bg, b_ids = ag, _ids(layer, id_col)
    else:
        require_polygons(other, "an overlap analysis")
        bg = _valid_polygons(project_for_area(other, target).geometry.values)
        ia, ib = interior_overlap_pairs(ag, bg)
        b_ids = _ids(other, other_id_col if other_id_col is not None else id_col)
    geoms = shapely.intersection(ag[ia], bg[ib]) if len(ia) else np.array([], dtype=object)
    m2 = shapely.area(geoms) if len(ia) else np.array([])
    out = gpd.GeoDataFrame(
        {
            "a_id": _ids(layer, id_col)[ia],
            "b_id": b_ids[ib],
            "area": convert_area(np.asarray(m2, dtype=float), "m2", unit),
            "unit": unit,
        },
        geometry=list(geoms),
        crs=a.crs,
    )
    out = out[out["area"] > 0].reset_index(drop=True)
    out.attrs["double_counted"] = float(out["area"].sum())
    return out
