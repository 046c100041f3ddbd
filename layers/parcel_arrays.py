"""A whole parcel layer read as arrays (:mod:`geo.io.arrays`) and accounted without a shapely
polygon per parcel (:mod:`geo.accounting_arrays`): the short road of ``landplan parcels --by``
at city scale.

The same checks, repairs, notes and table as :func:`layers.parcels.read_parcels` followed by
:func:`layers.parcel_totals.parcel_accounting`; each function returns None where that road must
be taken instead (a file this reader does not take, zone layers measured in different systems).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import shapely

from geo.accounting import finish
from geo.accounting_arrays import account_arrays, measure
from geo.crs import WGS84, area_crs_of, transform_geoms
from geo.io.arrays import LayerArrays, read_arrays
from geo.overlap_arrays import Measured, polygons_of
from geo.overlay import _valid_polygons
from geo.threads import give_back_memory

from .parcel_totals import accounting_table
from .parcels import LANDUSE_COLUMNS, _pick_column, _status_column, parcel_classes


class ParcelArrays(NamedTuple):
    """Parcels read by :func:`read_parcel_arrays`."""

    layer: LayerArrays
    #: normalised land-use code and supply status per parcel
    codes: np.ndarray
    statuses: np.ndarray
    #: what was repaired or is worth saying, as the usual road says it
    report: list
    synthetic: bool
    source_name: str


def read_parcel_arrays(
    path, landuse_col=None, status_col=None, layer=None, districts_lonlat=None
) -> ParcelArrays | None:
    """A parcel GeoPackage as arrays, its codes and statuses prepared as
    :func:`layers.parcels.prepare_parcels` prepares them.

    Parameters
    ----------
    path : str or pathlib.Path
        The parcel file.
    landuse_col, status_col : str, optional
        As :func:`layers.parcels.prepare_parcels`.
    layer : str, optional
        The GeoPackage layer.
    districts_lonlat : array-like of shapely.Geometry, optional
        The district outlines in WGS84, for the offset check of a lon/lat layer (default: the
        shipped layer's).

    Returns
    -------
    ParcelArrays or None
        None when the file is not read this way.

    Raises
    ------
    LandplanError
        A named column that is missing, or no land-use column found.
    """
    import pyogrio

    try:
        fields = list(pyogrio.read_info(path, layer=layer)["fields"])
    except Exception:  # noqa: BLE001 - the usual road says what is wrong
        return None
    lc = _pick_column(
        fields, landuse_col, LANDUSE_COLUMNS, "用地代码", "land-use code", "--landuse-col"
    )
    sc = _status_column(fields, status_col)
    texts = list(dict.fromkeys(c for c in (lc, sc) if c))
    flags = ["synthetic"] if "synthetic" in fields and "synthetic" not in texts else []
    arrays = read_arrays(path, texts, layer, flags)
    if arrays is None:
        return None
    report = list(arrays.report)
    warning = _offset_warning(arrays, districts_lonlat)
    if warning:
        report.append(warning)
    codes, statuses, notes = parcel_classes(
        arrays.columns[lc], None if sc is None else arrays.columns[sc]
    )
    synthetic = bool(flags) and bool(arrays.columns["synthetic"].any())
    arrays = arrays._replace(columns={})  # the texts as read: codes and statuses hold them now
    return ParcelArrays(arrays, codes, statuses, report + notes, synthetic, Path(path).name)


def _offset_warning(arrays: LayerArrays, districts_lonlat) -> str | None:
    """The GCJ-02/BD-09 warning the usual road gives a lon/lat layer (on the same sample)."""
    from geo.offset_check import offset_suspect_lonlat, offset_warning

    if not arrays.crs.is_geographic or not arrays.n:
        return None
    if districts_lonlat is None:
        from .loading import load

        districts_lonlat = load("districts").to_crs(WGS84).geometry.dropna().values
    sample = np.linspace(0, arrays.n - 1, 2000).astype(int) if arrays.n > 2000 else None
    ids = np.arange(arrays.n) if sample is None else sample
    geoms = polygons_of(_as_measured(arrays), ids)
    suspect = offset_suspect_lonlat(geoms, districts_lonlat)
    return offset_warning(*suspect) if suspect else None


def _as_measured(arrays: LayerArrays) -> Measured:
    """The layer as :func:`geo.overlap_arrays.polygons_of` takes it (no projection)."""
    return Measured(
        arrays.n, arrays.plain, arrays.rings, None, arrays.other, arrays.other_geoms, None
    )


def parcel_accounting_arrays(parcels: ParcelArrays, by: list):
    """:func:`layers.parcel_totals.parcel_accounting` of parcels read as arrays, by shipped zone
    layers.

    Parameters
    ----------
    parcels : ParcelArrays
    by : list of str
        Catalog layer ids; their zones as :func:`layers.kept.kept_zones` keeps them.

    Returns
    -------
    pandas.DataFrame or None
        None when a layer's zones are not kept (``LANDPLAN_CACHE=off``) or the zone layers are
        measured in different systems.
    """
    from .kept import kept_zones

    kept = [kept_zones(b) for b in by]
    if any(k is None for k in kept):
        return None
    zone_geoms = []
    target = None
    for k in kept:
        z = k.zones
        measure_in = area_crs_of(shapely.total_bounds(z.geoms), z.crs)
        if target is None:
            target = measure_in
        elif not measure_in.equals(target):
            return None
        zone_geoms.append(_valid_polygons(transform_geoms(z.geoms, z.crs, target)))
    measured = measure(parcels.layer, target)
    give_back_memory()
    gid, labels = _classes(parcels.codes, parcels.statuses)
    ng = len(labels) or 1
    partials = account_arrays(measured, gid, ng, zone_geoms)
    tables = [
        finish(
            [part],
            np.asarray(k.zones.ids, dtype=object),
            ["landuse", "status"],
            labels,
            ng,
            True,
            part["n_overlapping"],
        )
        for k, part in zip(kept, partials)
    ]
    # as layers.parcel_totals.zone_layer has them: a layer without precision is a user's
    infos = [
        (
            layer_id,
            dict(zip(k.zones.ids, k.zones.names_zh)),
            dict(zip(k.zones.ids, k.zones.precision or ["user"] * len(k.zones.ids))),
        )
        for layer_id, k in zip(by, kept)
    ]
    return accounting_table(tables, infos, parcels.synthetic, parcels.source_name)


def _classes(codes: np.ndarray, statuses: np.ndarray) -> tuple[np.ndarray, pd.MultiIndex]:
    """Class id per parcel (code x status, in order of first appearance) and the classes, as
    :func:`geo.accounting.class_ids` gives them for these columns."""
    ci, cu = pd.factorize(codes)
    si, su = pd.factorize(statuses)
    gid, first = pd.factorize(ci.astype(np.int64) * max(len(su), 1) + si)
    c, s = np.divmod(np.asarray(first, dtype=np.int64), max(len(su), 1))
    labels = pd.MultiIndex.from_arrays(
        [np.asarray(cu, dtype=object)[c].astype(str), np.asarray(su, dtype=object)[s].astype(str)],
        names=["landuse", "status"],
    )
    return np.asarray(gid, dtype=np.int64), labels
