"""Land accounting: the area of a parcel layer by class per zone.

A class is e.g. land-use code x supply status.

Generic: the class columns are whatever the caller names. Parcels crossing zone boundaries are
split (geo.analysis.clip_to_zones) and each part counted in its zone. Nothing is counted twice:
within a class, parcels whose interiors overlap are unioned; the zone total is the union of all
parcels, so it is correct even where parcels of different classes overlap (the class areas then
sum to more than the total, and ``attrs['double_counted']`` says by how much).

The work is split in two so that a partitioned engine (geo.distributed) can run the first half
on each spatial partition and the second half once: ``partial_sums`` (clip, sum the pieces that
overlap nothing, keep the overlapping pieces) and ``finish`` (union those, build the table).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .analysis import _ids, _prepare, _valid_polygons, clip_and_find_overlaps
from .errors import LandplanError

#: label of the class columns in a zone's total row
TOTAL = "(all)"


def class_ids(parcels: pd.DataFrame, classes: list[str]) -> tuple[np.ndarray, pd.MultiIndex | None]:
    """Integer class id per parcel and the class labels (missing values -> '').

    Parameters
    ----------
    parcels : pandas.DataFrame
        The parcels, with the ``classes`` columns.
    classes : list of str
        Column names whose value combinations are the classes.

    Returns
    -------
    ids : numpy.ndarray
        Class id (int64) per parcel.
    labels : pandas.MultiIndex or None
        The class values of each id (None without ``classes``).

    Raises
    ------
    LandplanError
        When a column of ``classes`` is missing.
    """
    missing = [c for c in classes if c not in parcels.columns]
    if missing:
        cols = [
            str(c) for c in parcels.columns if c != getattr(parcels, "_geometry_column_name", None)
        ]
        raise LandplanError(
            f"地块图层没有 {', '.join(missing)} 列。",
            f"The parcel layer has no column {', '.join(map(repr, missing))}; its columns are "
            f"{', '.join(cols)}.",
        )
    if not classes:
        return np.zeros(len(parcels), dtype=np.int64), None
    # factorise each column, then the combined codes: much faster than a MultiIndex of strings
    codes, levels = [], []
    for c in classes:
        col = parcels[c].astype(object).where(parcels[c].notna(), "")
        k, u = pd.factorize(col.astype(str))
        codes.append(k)
        levels.append(np.asarray(u, dtype=object).astype(str))
    flat = (
        np.ravel_multi_index(codes, [max(len(u), 1) for u in levels])
        if len(parcels)
        else np.zeros(0, int)
    )
    gid, first = pd.factorize(flat)
    parts = np.unravel_index(first, [max(len(u), 1) for u in levels])
    uniq = pd.MultiIndex.from_arrays([u[p] for u, p in zip(levels, parts)], names=classes)
    return np.asarray(gid, dtype=np.int64), uniq


def partial_sums(
    lg: np.ndarray,
    gid: np.ndarray,
    ng: int,
    zg: np.ndarray,
    overlapping: np.ndarray | None = None,
    min_count_m2: float = 1.0,
) -> dict:
    """Clip parcels to zones and sum what can be summed.

    Returns arrays keyed zone * ng + class (``area``, ``count``) and per zone (``zone_area``,
    ``zone_count``) for pieces of parcels that overlap nothing, plus the pieces of overlapping
    parcels (``ov_pieces``, ``ov_key``, ``ov_zone``) whose areas need a union. ``overlapping``
    (bool per parcel, or a Future of it) is found here, among the parcels reaching a zone, when not
    given.

    Parameters
    ----------
    lg : numpy.ndarray
        Valid polygons of the parcels, projected for area.
    gid : numpy.ndarray
        Class id per parcel (:func:`class_ids`).
    ng : int
        Number of classes.
    zg : numpy.ndarray
        Valid polygons of the zones, in the same CRS.
    overlapping : numpy.ndarray or Future, optional
        Bool per parcel: its interior overlaps another's.
    min_count_m2 : float, default 1.0
        Pieces smaller than this (m²) add area but no count.

    Returns
    -------
    dict
        The arrays named above, for :func:`finish`.
    """
    nz = len(zg)
    il, iz, pieces, overlapping = clip_and_find_overlaps(lg, zg, overlapping)
    piece_area = np.asarray(shapely.area(pieces), dtype=float)
    key = iz * ng + gid[il]
    ov = overlapping[il]
    counted = piece_area >= min_count_m2
    return {
        "area": np.bincount(key[~ov], weights=piece_area[~ov], minlength=nz * ng),
        "count": np.bincount(key[counted], minlength=nz * ng),
        "zone_area": np.bincount(iz[~ov], weights=piece_area[~ov], minlength=nz),
        "zone_count": np.bincount(iz[counted], minlength=nz),
        "ov_pieces": pieces[ov],
        "ov_key": key[ov],
        "ov_zone": iz[ov],
        "n_overlapping": int(overlapping.sum()),
    }


def _union_by(keys: np.ndarray, pieces: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros(n)
    for k in np.unique(keys):
        out[k] = shapely.area(shapely.union_all(pieces[keys == k]))
    return out


def finish(
    partials: list[dict],
    zone_ids,
    classes: list[str],
    labels: pd.MultiIndex | None,
    ng: int,
    totals: bool = True,
    n_overlapping: int = 0,
) -> pd.DataFrame:
    """The accounting table from one or more ``partial_sums`` results (summed, overlaps unioned).

    Parameters
    ----------
    partials : list of dict
        Results of :func:`partial_sums` (one per partition).
    zone_ids : array-like
        Id of each zone, in zone order.
    classes : list of str
        The class column names.
    labels : pandas.MultiIndex or None
        Class values per class id (:func:`class_ids`).
    ng : int
        Number of classes.
    totals : bool, default True
        Add each zone's total row (the union of all its parcels).
    n_overlapping : int, default 0
        Parcels that overlap another (said in ``attrs``).

    Returns
    -------
    pandas.DataFrame
        The table :func:`account` returns.
    """
    nz = len(zone_ids)
    area = np.sum([p["area"] for p in partials], axis=0) if partials else np.zeros(nz * ng)
    count = (
        np.sum([p["count"] for p in partials], axis=0) if partials else np.zeros(nz * ng, dtype=int)
    )
    zarea = np.sum([p["zone_area"] for p in partials], axis=0) if partials else np.zeros(nz)
    zcount = (
        np.sum([p["zone_count"] for p in partials], axis=0) if partials else np.zeros(nz, dtype=int)
    )
    ov_pieces = (
        np.concatenate([p["ov_pieces"] for p in partials])
        if partials
        else np.array([], dtype=object)
    )
    if len(ov_pieces):
        area = area + _union_by(np.concatenate([p["ov_key"] for p in partials]), ov_pieces, nz * ng)
        zarea = zarea + _union_by(np.concatenate([p["ov_zone"] for p in partials]), ov_pieces, nz)
    zone_ids = np.asarray(zone_ids, dtype=object)
    frames = []
    if classes:
        used = np.flatnonzero(area > 0)
        z, g = np.divmod(used, ng)
        df = pd.DataFrame({"zone_id": zone_ids[z]})
        for j, c in enumerate(classes):
            df[c] = np.asarray(labels.get_level_values(j), dtype=object)[g]
        df["area"], df["parcel_count"] = area[used], count[used]
        frames.append(df)
    if totals or not classes:
        used = np.flatnonzero(zarea > 0)
        df = pd.DataFrame({"zone_id": zone_ids[used], **{c: TOTAL for c in classes}})
        df["area"], df["parcel_count"] = zarea[used], zcount[used]
        frames.append(df)
    out = pd.concat(frames, ignore_index=True)
    out = out.sort_values(
        ["zone_id", *classes], kind="stable", key=lambda s: s.astype(str)
    ).reset_index(drop=True)
    double = 0.0
    if classes and totals and len(out):
        is_total = out[classes[0]] == TOTAL
        by_zone = out[~is_total].groupby("zone_id")["area"].sum()
        diff = by_zone - out[is_total].set_index("zone_id")["area"].reindex(by_zone.index).fillna(0)
        double = float(diff[diff > 1e-9 * by_zone.abs()].sum())  # float noise is not an overlap
    out["area"] = out["area"].astype(float)
    out["parcel_count"] = out["parcel_count"].astype(int)
    out["unit"] = "m2"
    out.attrs["double_counted"] = double
    out.attrs["overlapping_parcels"] = int(n_overlapping)
    return out


def account(
    parcels: gpd.GeoDataFrame,
    by: gpd.GeoDataFrame,
    classes: list[str] | tuple[str, ...] = (),
    zone_id: str | None = None,
    crs=None,
    min_count_m2: float = 1.0,
    totals: bool = True,
    overlapping: np.ndarray | None = None,
    valid_geoms: np.ndarray | None = None,
) -> pd.DataFrame:
    """Area of ``parcels`` per zone of ``by`` and per class (the values of the ``classes`` columns).

    Columns: zone_id, *classes, area (m²), parcel_count, unit. With ``totals`` each zone also gets a
    row whose class columns say ``TOTAL``: the union of all its parcels. Missing class values
    are reported as ''. Only (zone, class) pairs with area appear. A part smaller than
    ``min_count_m2`` adds its area but not to ``parcel_count``. ``overlapping`` (bool per parcel,
    from ``overlapping_features``) saves the overlap test when several zone layers are accounted,
    and ``valid_geoms`` (the parcels already projected and made valid, geo.analysis._valid_polygons)
    the repair check.

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        Parcel polygons with a CRS.
    by : geopandas.GeoDataFrame
        Zone polygons with a CRS.
    classes : list of str, optional
        Class columns of ``parcels``.
    zone_id : str, optional
        Column of ``by`` naming the zones (default: its index).
    crs : optional
        CRS to measure in (default: the zones' Gauss-Kruger zone).
    min_count_m2 : float, default 1.0
        Parts smaller than this (m²) add area but no count.
    totals : bool, default True
        Add each zone's total row.
    overlapping, valid_geoms : numpy.ndarray, optional
        Known overlap flags and valid projected parcels, to save work.

    Returns
    -------
    pandas.DataFrame
        One row per zone and class with area.

    Raises
    ------
    LandplanError
        A missing class column, no CRS, or non-polygon layers.
    """
    classes = list(classes)
    gid, labels = class_ids(parcels, classes)
    ng = int(gid.max()) + 1 if len(gid) else 1
    lay, zon = _prepare(parcels, by, crs)
    lg = _valid_polygons(lay.geometry.values) if valid_geoms is None else valid_geoms
    zg = _valid_polygons(zon.geometry.values)
    part = partial_sums(lg, gid, ng, zg, overlapping, min_count_m2)
    return finish([part], _ids(by, zone_id), classes, labels, ng, totals, part["n_overlapping"])
