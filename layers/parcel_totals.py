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
from geo.units import convert_area, normalize_unit

from .catalog_tables import targets
from .loading import feature_ids, load, resolve_layer
from .parcels import describe_codes, normalize_code
from .supply import _to_unit, evaluate_met
from .units import target_text


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
    unit: str = "km2",
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
    unit : str, default 'km2'
        Area unit.
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
        An unknown engine, zone layer or unit.
    """
    unit = normalize_unit(unit)
    specs = [by] if isinstance(by, str) else list(by)
    if engine not in ("local", "dask"):
        raise LandplanError(
            f"未知计算引擎 {engine!r}。", f"Unknown engine {engine!r}; use local or dask."
        )
    zone_layers = [zone_layer(s) if isinstance(s, str) else _zones_of(s) for s in specs]
    flags, pool, valid = None, None, None
    if zone_layers:  # project, repair and test overlaps once, not once per zone layer
        parcels = project_for_area(parcels, area_crs(zone_layers[0]))
        if engine == "local" and len(zone_layers) > 1:
            valid = _valid_polygons(parcels.geometry.values)
            # the overlap test runs in a second thread while the first zone layer is clipped
            pool = ThreadPoolExecutor(max_workers=1)
            flags = pool.submit(overlapping_features, valid)
    client = None
    if engine == "dask":
        from geo.distributed import account_dask, get_client

        client = get_client(scheduler)
    if client is not None:
        try:
            tables = account_dask(
                parcels,
                zone_layers,
                classes=["landuse", "status"],
                zone_id="_zid",
                unit=unit,
                client=client,
            )
        finally:
            cluster = getattr(client, "cluster", None) if not scheduler else None
            client.close()
            if cluster is not None:
                cluster.close()
    else:
        try:
            tables = [
                account(
                    parcels,
                    zones,
                    classes=["landuse", "status"],
                    zone_id="_zid",
                    unit=unit,
                    overlapping=flags,
                    valid_geoms=valid,
                )
                for zones in zone_layers
            ]
        finally:
            if pool is not None:
                pool.shutdown()
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
    parcels: gpd.GeoDataFrame, counts, statuses=None, unit: str = "km2", target_ids=None
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
    unit : str, default 'km2'
        Area unit.
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
    unit = normalize_unit(unit)
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
    districts = load("districts")
    per_district = (
        account(chosen, districts, zone_id="district_id", unit="m2").set_index("zone_id")["area"]
        if len(chosen)
        else pd.Series(dtype=float)
    )
    synthetic = bool(parcels.attrs.get("synthetic"))
    rows = []
    for t in tg.itertuples():
        m2 = float(per_district.get(t.scope_id, 0.0))
        supplied = convert_area(m2, "m2", unit)
        value = _to_unit(t.value, t.unit, unit)
        met, status = evaluate_met(t, supplied, value)
        rows.append(
            {
                "target_id": t.target_id,
                "name_zh": t.name_zh,
                "name_en": t.name_en,
                "scope_id": t.scope_id,
                "place_zh": t.place_zh,
                "place_en": t.place_en,
                "comparator": t.comparator,
                "target_text_zh": target_text(t.comparator, value, unit, lang="zh"),
                "target_text_en": target_text(t.comparator, value, unit, lang="en"),
                "value": value,
                "supplied": supplied,
                "shortfall": max(value - supplied, 0.0),
                "surplus": max(supplied - value, 0.0),
                "met": met,
                "met_status": status,
                "unit": unit,
                "year": t.year,
                "year_inferred": bool(t.year_inferred),
                "basis": "measured",
                "basis_note": ("SYNTHETIC parcels (not real data): " if synthetic else "")
                + f"parcels coded {'/'.join(counts)}"
                + (f" with status {'/'.join(statuses)}" if statuses else "")
                + f" ({int(sel.sum())} parcels); {getattr(t, 'counts_parcels_note', '') or ''}",
                "source": t.source,
                "conflict_en": t.conflict_en,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
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
        ],
    )
