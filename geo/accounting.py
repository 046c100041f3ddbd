"""Land accounting: the area of a parcel layer by class (e.g. land-use code x supply status) per zone.

Generic: the class columns are whatever the caller names. Parcels crossing zone boundaries are
split (geo.analysis.clip_to_zones) and each part counted in its zone. Nothing is counted twice:
within a class, parcels whose interiors overlap are unioned; the zone total is the union of all
parcels, so it is correct even where parcels of different classes overlap (the class areas then
sum to more than the total, and ``attrs['double_counted']`` says by how much).
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .analysis import _ids, _overlap_pairs_fast, _prepare, _valid_polygons, clip_to_zones
from .units import convert_area, normalize_unit

#: label of the class columns in a zone's total row
TOTAL = "(all)"


def _union_sums(keys: np.ndarray, pieces: np.ndarray, piece_area: np.ndarray, overlapping: np.ndarray,
                n_keys: int) -> np.ndarray:
    """Area per key: plain sums for pieces that overlap nothing, union areas for the others."""
    out = np.bincount(keys[~overlapping], weights=piece_area[~overlapping], minlength=n_keys)
    if overlapping.any():
        ok = keys[overlapping]
        op = pieces[overlapping]
        for k in np.unique(ok):
            out[k] += shapely.area(shapely.union_all(op[ok == k]))
    return out


def account(parcels: gpd.GeoDataFrame, by: gpd.GeoDataFrame, classes: list[str] | tuple[str, ...] = (),
            zone_id: str | None = None, unit: str = "km2", crs=None, min_count_m2: float = 1.0,
            totals: bool = True) -> pd.DataFrame:
    """Area of ``parcels`` per zone of ``by`` and per class (the values of the ``classes`` columns).

    Columns: zone_id, *classes, area, parcel_count, unit. With ``totals`` each zone also gets a
    row whose class columns say ``TOTAL``: the union of all its parcels. Missing class values
    are reported as ''. Only (zone, class) pairs with area appear. A part smaller than
    ``min_count_m2`` adds its area but not to ``parcel_count``.
    """
    unit = normalize_unit(unit)
    classes = list(classes)
    missing = [c for c in classes if c not in parcels.columns]
    if missing:
        from .errors import LandplanError
        raise LandplanError(f"The parcel layer has no column {', '.join(map(repr, missing))}; its columns are "
                            f"{', '.join(map(str, parcels.columns.drop(parcels.geometry.name)))}.",
                            f"地块图层没有 {', '.join(missing)} 列。")
    lay, zon = _prepare(parcels, by, crs)
    lg = _valid_polygons(lay.geometry.values)
    zg = _valid_polygons(zon.geometry.values)
    il, iz, pieces = clip_to_zones(lay, zon, lg, zg)
    return account_pieces(il, iz, pieces, lg, lay, classes, _ids(by, zone_id), unit, min_count_m2, totals)


def account_pieces(il, iz, pieces, lg, parcels, classes, zone_ids, unit="km2", min_count_m2=1.0,
                   totals=True) -> pd.DataFrame:
    """The accounting table from clipped pieces (il: parcel index, iz: zone index, piece geometry).

    Shared by ``account`` and by partitioned engines that clip parcels themselves.
    """
    unit = normalize_unit(unit)
    nz = len(zone_ids)
    piece_area = np.asarray(shapely.area(pieces), dtype=float)
    cand = np.unique(il)
    overlapping = np.zeros(len(lg), dtype=bool)
    if len(cand):
        oa, ob = _overlap_pairs_fast(lg[cand])
        overlapping[cand[oa]] = True
        overlapping[cand[ob]] = True
    ov = overlapping[il]
    counted = piece_area >= min_count_m2
    if classes:
        labels = parcels[classes].astype(object).where(parcels[classes].notna(), "").astype(str)
        gid, uniq = pd.MultiIndex.from_frame(labels).factorize()
        gid = np.asarray(gid)
    else:
        gid, uniq = np.zeros(len(parcels), dtype=int), None
    ng = int(gid.max()) + 1 if len(gid) else 0
    frames = []
    if classes and len(il):
        key = iz * ng + gid[il]
        area = _union_sums(key, pieces, piece_area, ov, nz * ng)
        count = np.bincount(key[counted], minlength=nz * ng)
        used = np.flatnonzero(area > 0)
        z, g = np.divmod(used, ng)
        df = pd.DataFrame({"zone_id": np.asarray(zone_ids, dtype=object)[z]})
        for j, c in enumerate(classes):
            df[c] = np.asarray(uniq.get_level_values(j), dtype=object)[g]
        df["area"] = area[used]
        df["parcel_count"] = count[used]
        frames.append(df)
    if totals or not classes:
        area = _union_sums(iz, pieces, piece_area, ov, nz) if len(il) else np.zeros(nz)
        count = np.bincount(iz[counted], minlength=nz)
        used = np.flatnonzero(area > 0)
        df = pd.DataFrame({"zone_id": np.asarray(zone_ids, dtype=object)[used]})
        for c in classes:
            df[c] = TOTAL
        df["area"] = area[used]
        df["parcel_count"] = count[used]
        frames.append(df)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["zone_id", *classes, "area", "parcel_count"])
    out = out.sort_values(["zone_id", *classes], kind="stable", key=lambda s: s.astype(str)).reset_index(drop=True)
    if classes and totals and len(out):
        is_total = out[classes[0]] == TOTAL
        by_zone = out[~is_total].groupby("zone_id")["area"].sum()
        tot = out[is_total].set_index("zone_id")["area"]
        diff = by_zone - tot.reindex(by_zone.index).fillna(0)
        double = float(diff[diff > 1e-9 * by_zone.abs()].sum())  # float noise is not an overlap
    else:
        double = 0.0
    out["area"] = convert_area(out["area"].astype(float), "m2", unit)
    out["parcel_count"] = out["parcel_count"].astype(int)
    out["unit"] = unit
    out.attrs["double_counted"] = convert_area(double, "m2", unit)
    out.attrs["overlapping_parcels"] = int(overlapping.sum())
    return out
