"""Parcel-level land-supply accounting: prepared parcels summed per zone and measured on targets.

Shenzhen's codes and targets wired to geo.accounting; parcels come from :mod:`layers.parcels`.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import geopandas as gpd
import pandas as pd

from geo.accounting import TOTAL, account
from geo.analysis import _valid_polygons, overlapping_features
from geo.areas import project_for_area
from geo.crs import area_crs
from geo.errors import LandplanError

from .catalog_tables import targets
from .loading import feature_ids, load, resolve_layer
from .parcels import describe_codes, normalize_code
from .supply import _in_m2, evaluate_met
from .units import target_text

#: land-use codes of a scenario's parcels that count toward the targets parcels can measure (as on
#: the page)
PARCEL_COUNTS = ("M1", "M0")


@lru_cache(maxsize=8)
def zone_layer(spec: str) -> gpd.GeoDataFrame:
    """A zone layer (catalog id or file) with ``_zid`` ids, names and precision for the tables.

    Cached: treat as read-only.

    Parameters
    ----------
    spec : str
        Catalog layer id or file path.

    Returns
    -------
    geopandas.GeoDataFrame

    Raises
    ------
    LandplanError
        An unknown layer id, or a file that cannot be read.
    """
    zones = resolve_layer(spec)
    zones = zones.assign(_zid=feature_ids(zones).to_numpy())
    if "precision" not in zones:
        zones["precision"] = "user"
    if "name_zh" not in zones:
        zones["name_zh"] = None
    zones.attrs["layer_id"] = zones.attrs.get("layer_id", spec)
    return zones


def _zones_of(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A zone layer given as a GeoDataFrame (e.g. the parks in effect), as :func:`zone_layer`
    prepares one: its polygons, ``_zid`` ids, names and precision."""
    from .loading import polygon_features

    zones = polygon_features(gdf)
    zones = zones.assign(_zid=feature_ids(zones).to_numpy())
    if "precision" not in zones:
        zones["precision"] = "user"
    if "name_zh" not in zones:
        zones["name_zh"] = None
    zones.attrs["layer_id"] = gdf.attrs.get("layer_id") or "zones"
    return zones


def parcel_accounting(
    parcels: gpd.GeoDataFrame,
    by=("sz20_parks",),
    engine: str = "local",
    scheduler: str | None = None,
    source: str | None = None,
) -> pd.DataFrame:
    """Area of prepared parcels by land-use code and supply status in each zone of ``by``.

    One row per (zone layer, zone, code, status), plus a total row per zone (code and status
    '(all)', union of all its parcels). Columns name the code in Chinese and English, flag
    unknown codes, and carry the zones' precision (indicative outlines say so) and the source.
    ``engine='dask'`` runs the same accounting on a Dask cluster (``scheduler`` address, or a
    local one), partitioned spatially; the figures are the same.

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        Parcels from :func:`prepare_parcels`.
    by : sequence of str or geopandas.GeoDataFrame, default ('sz20_parks',)
        Zone layers (catalog ids, files, or layers such as the parks in effect).
    engine : {'local', 'dask'}, default 'local'
    scheduler : str, optional
        Dask scheduler address.
    source : str, optional
        The parcels' source, carried in the table.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    LandplanError
        An unknown engine or zone layer.
    """
    specs = [by] if isinstance(by, str) else list(by)
    if engine not in ("local", "dask"):
        raise LandplanError(
            f"未知计算引擎 {engine!r}。", f"Unknown engine {engine!r}; use local or dask."
        )
    zone_layers = [zone_layer(s) if isinstance(s, str) else _zones_of(s) for s in specs]
    if zone_layers:  # project, repair and test overlaps once, not once per zone layer
        parcels = project_for_area(parcels, area_crs(zone_layers[0]))
    client = None
    if engine == "dask":
        from geo.distributed import get_client

        client = get_client(scheduler)
    tables = (
        _account_on_dask(parcels, zone_layers, client, scheduler)
        if client is not None
        else _account_here(parcels, zone_layers, overlaps_aside=engine == "local")
    )
    infos = [
        (
            zones.attrs["layer_id"],
            dict(zip(zones["_zid"], zones["name_zh"])),
            dict(zip(zones["_zid"], zones["precision"])),
        )
        for zones in zone_layers
    ]
    out = accounting_table(
        tables,
        infos,
        bool(parcels.attrs.get("synthetic")),
        source or parcels.attrs.get("source_name", "parcels"),
    )
    out.attrs["report"] = list(parcels.attrs.get("report", []))
    return out


def _account_here(parcels, zone_layers: list, overlaps_aside: bool) -> list[pd.DataFrame]:
    """Each zone layer's accounting (:func:`geo.accounting.account`) of projected parcels, in this
    process; with ``overlaps_aside`` and several layers, the parcels are repaired once and their
    overlap test runs in a second thread while the first zone layer is clipped."""
    flags, pool, valid = None, None, None
    if overlaps_aside and len(zone_layers) > 1:
        valid = _valid_polygons(parcels.geometry.values)
        pool = ThreadPoolExecutor(max_workers=1)
        flags = pool.submit(overlapping_features, valid)
    try:
        return [
            account(
                parcels,
                zones,
                classes=["landuse", "status"],
                zone_id="_zid",
                overlapping=flags,
                valid_geoms=valid,
            )
            for zones in zone_layers
        ]
    finally:
        if pool is not None:
            pool.shutdown()


def _account_on_dask(parcels, zone_layers: list, client, scheduler) -> list[pd.DataFrame]:
    """Each zone layer's accounting on a Dask cluster (:func:`geo.distributed.account_dask`); the
    client, and the local cluster it started (no ``scheduler``), are closed after."""
    from geo.distributed import account_dask

    try:
        return account_dask(
            parcels,
            zone_layers,
            classes=["landuse", "status"],
            zone_id="_zid",
            client=client,
        )
    finally:
        cluster = getattr(client, "cluster", None) if not scheduler else None
        client.close()
        if cluster is not None:
            cluster.close()


def accounting_table(tables: list, infos: list, synthetic: bool, name) -> pd.DataFrame:
    """The accounting table from each zone layer's table (:func:`geo.accounting.finish`): the
    zones' layer, names and precision, the codes' names, whether the parcels are synthetic, and
    the source.

    Parameters
    ----------
    tables : list of pandas.DataFrame
        One per zone layer.
    infos : list of tuple
        Per zone layer: its id, and dicts from zone id to its name (Chinese) and precision.
    synthetic : bool
        The parcels are synthetic.
    name : str
        The parcels' source.

    Returns
    -------
    pandas.DataFrame
    """
    frames = []
    for (layer_id, names, precision), df in zip(infos, tables):
        df.insert(0, "zone_layer", layer_id)
        df.insert(2, "zone_name_zh", df["zone_id"].map(names))
        df.insert(3, "zone_precision", df["zone_id"].map(precision))
        frames.append(df)
    out = pd.concat(frames, ignore_index=True)
    desc = describe_codes(out["landuse"][out["landuse"] != TOTAL]).set_index("landuse")
    pos = out.columns.get_loc("landuse") + 1
    for j, col in enumerate(["landuse_name_zh", "landuse_name_en", "known_code"]):
        vals = out["landuse"].map(desc[col])
        vals[out["landuse"] == TOTAL] = {
            "landuse_name_zh": "合计",
            "landuse_name_en": "total",
            "known_code": None,
        }[col]
        out.insert(pos + j, col, vals)
    out["synthetic"] = synthetic
    out["source"] = (
        ("SYNTHETIC parcels, not real data / 合成地块: " if synthetic else "parcels: ")
        + str(name)
        + "; codes: 深标 ch.2 (landuse_codes.yaml); planimetric EPSG:4547, union per class"
    )
    return out


def parcel_targets(
    parcels: gpd.GeoDataFrame, counts, statuses=None, target_ids=None
) -> pd.DataFrame:
    """The targets a parcel layer can measure (counts_parcels in targets.yaml, or ``target_ids``).

    ``counts`` lists the land-use codes that count (e.g. ['M1', 'M0']); a mixed code counts when
    its first (main) use does. ``statuses`` optionally restricts to supply statuses. The supply
    is the union area of the counting parcels inside the target's district.

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        Parcels from :func:`prepare_parcels`.
    counts : list of str
        Land-use codes that count.
    statuses : list of str, optional
        Supply statuses that count.
    target_ids : list of str, optional
        Targets to measure (default: those marked counts_parcels).

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    LandplanError
        No codes, an unknown target, or a target that is not a district's.
    """
    counts = [normalize_code(c) for c in counts if normalize_code(c)]
    if not counts:
        raise LandplanError(
            "请用 --counts 指定计入目标的用地代码，例如 --counts M1,M0。",
            "Say which land-use codes count toward the targets, e.g. --counts M1,M0.",
        )
    main = parcels["landuse"].str.split("+").str[0]
    sel = main.isin(counts)
    if statuses:
        sel &= parcels["status"].isin(list(statuses))
    chosen = parcels[sel]
    tg = _parcel_measured(target_ids)
    per_district = (
        account(chosen, load("districts"), zone_id="district_id").set_index("zone_id")["area"]
        if len(chosen)
        else pd.Series(dtype=float)
    )
    note = (
        ("SYNTHETIC parcels (not real data): " if parcels.attrs.get("synthetic") else "")
        + f"parcels coded {'/'.join(counts)}"
        + (f" with status {'/'.join(statuses)}" if statuses else "")
        + f" ({int(sel.sum())} parcels); "
    )
    rows = [
        _parcel_target_row(t, float(per_district.get(t.scope_id, 0.0)), note)
        for t in tg.itertuples()
    ]
    return pd.DataFrame(rows, columns=list(PARCEL_TARGET_COLUMNS))


#: columns of :func:`parcel_targets`
PARCEL_TARGET_COLUMNS = (
    "target_id",
    "name_zh",
    "name_en",
    "scope_id",
    "place_zh",
    "place_en",
    "comparator",
    "target_text_zh",
    "target_text_en",
    "value",
    "supplied",
    "shortfall",
    "surplus",
    "met",
    "met_status",
    "unit",
    "year",
    "year_inferred",
    "basis",
    "basis_note",
    "source",
    "conflict_en",
)


def _parcel_measured(target_ids=None) -> pd.DataFrame:
    """The land-area targets parcels measure: ``target_ids``, or those marked counts_parcels;
    refused when one is unknown or not a district's."""
    tg = targets()
    if target_ids:
        pick = tg["target_id"].isin(list(target_ids))
        missing = set(target_ids) - set(tg["target_id"])
        if missing:
            raise LandplanError(
                f"没有目标 {', '.join(sorted(missing))}。",
                f"No target {', '.join(sorted(missing))}; see landplan targets.",
            )
    else:
        pick = tg.get("counts_parcels", pd.Series(False, index=tg.index)).fillna(False).astype(bool)
    tg = tg[pick & (tg["metric"] == "land_area")]
    bad = tg[tg["scope"] != "district"]
    if len(bad):
        raise LandplanError(
            "地块只能计量区级用地目标。",
            f"Parcels can only measure district targets; {', '.join(bad['target_id'])} is not one.",
        )
    return tg


def _parcel_target_row(t, supplied: float, note: str) -> dict:
    """Target ``t`` against the parcels' ``supplied`` m² in its district (``note``: which parcels
    count), as a row of :func:`parcel_targets`."""
    value = _in_m2(t.value, t.unit)
    met, status = evaluate_met(t, supplied, value)
    return {
        "target_id": t.target_id,
        "name_zh": t.name_zh,
        "name_en": t.name_en,
        "scope_id": t.scope_id,
        "place_zh": t.place_zh,
        "place_en": t.place_en,
        "comparator": t.comparator,
        "target_text_zh": target_text(t.comparator, value, "m2", lang="zh"),
        "target_text_en": target_text(t.comparator, value, "m2", lang="en"),
        "value": value,
        "supplied": supplied,
        "shortfall": max(value - supplied, 0.0),
        "surplus": max(supplied - value, 0.0),
        "met": met,
        "met_status": status,
        "unit": "m2",
        "year": t.year,
        "year_inferred": bool(t.year_inferred),
        "basis": "measured",
        "basis_note": note + (getattr(t, "counts_parcels_note", "") or ""),
        "source": t.source,
        "conflict_en": t.conflict_en,
    }


def with_parcel_supply(
    ts: pd.DataFrame, parcels, counts=PARCEL_COUNTS, statuses=None
) -> pd.DataFrame:
    """``ts`` with the targets a parcel layer measures taken from ``parcels``.

    For those targets (``counts_parcels``), supply, shortfall, met and basis 'measured' come from
    :func:`layers.parcel_totals.parcel_targets`.

    Parameters
    ----------
    ts : pandas.DataFrame
        A :func:`target_supply` table.
    parcels : geopandas.GeoDataFrame or None
        Parcels from :func:`layers.parcels.prepare_parcels` (None: ``ts`` as it is).
    counts : sequence of str, default PARCEL_COUNTS
        Land-use codes that count.
    statuses : sequence of str, optional
        Only parcels of these supply statuses count.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    LandplanError
        As :func:`layers.parcel_totals.parcel_targets`.
    """
    if parcels is None or not len(ts):
        return ts
    pt = parcel_targets(
        parcels, list(counts), statuses=list(statuses) if statuses else None
    ).set_index("target_id")
    out = ts.copy()
    hit = out["target_id"].isin(pt.index).to_numpy()
    if not hit.any():
        return out
    ids = out.loc[hit, "target_id"]
    for col in ("supplied", "shortfall", "surplus", "met", "met_status", "basis", "basis_note"):
        if col in out.columns:
            if out[col].dtype != object and pt[col].dtype == object:
                out[col] = out[col].astype(object)
            out.loc[hit, col] = pt.loc[ids, col].to_numpy()
    if "measurable" in out.columns:
        out.loc[hit, "measurable"] = True
    if "basis_note_zh" in out.columns:
        out.loc[hit, "basis_note_zh"] = [
            f"地块实测（{'/'.join(counts)} 用地）" for _ in range(int(hit.sum()))
        ]
    if "indicative_extent" in out.columns:
        out.loc[hit, "indicative_extent"] = float("nan")
    return out
