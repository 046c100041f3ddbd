"""Parcel-level land-supply accounting: Shenzhen's codes and targets wired to geo.accounting.

A parcel layer (地块) is the user's file, with a land-use code column (用地代码, e.g. M1, M0, W1)
and a supply-status column (供应状态). Codes are read against layers/catalog/landuse_codes.yaml;
unknown codes are kept and reported, never dropped.
"""

from __future__ import annotations

import unicodedata
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.accounting import TOTAL, account
from geo.analysis import _valid_polygons, overlapping_features
from geo.area import project_for_area
from geo.crs import area_crs
from geo.errors import LandplanError, bilingual
from geo.units import convert_area, normalize_unit

from .catalog import read_catalog_file, targets
from .gaps import _to_unit, evaluate_met, target_text
from .load import feature_ids, load, resolve_layer

#: column names tried, in order, when the user does not name the land-use / status column
LANDUSE_COLUMNS = (
    "landuse",
    "land_use",
    "landuse_code",
    "用地代码",
    "用地性质",
    "用地类型",
    "ydxz",
    "ydlx",
    "ydxzdm",
    "code",
)
STATUS_COLUMNS = ("status", "supply_status", "供应状态", "供地状态", "状态", "gyzt")
BLANK = "(空/blank)"
#: the status of every parcel of a layer that has no supply-status column (many carry only a
#: land-use code)
NOT_STATED = "未注明"


@lru_cache(maxsize=1)
def landuse_codes() -> pd.DataFrame:
    """The land-use code table (code, name_zh, name_en, major, industrial).

    ``attrs['source']`` names its source.

    Returns
    -------
    pandas.DataFrame
    """
    spec = read_catalog_file("landuse_codes.yaml")
    df = pd.DataFrame(spec["codes"])
    df["industrial"] = (
        df.get("industrial", pd.Series(False, index=df.index)).fillna(False).astype(bool)
    )
    src = spec["source"]
    checked = (
        df["checked_in"] if "checked_in" in df else pd.Series(None, index=df.index, dtype=object)
    )
    df["source"] = [
        f"{src['name_zh']}; checked: {c}"
        if isinstance(c, str)
        else f"{src['name_zh']}（名称未对照原文核实 / name not checked against the standard's "
        "text）"
        for c in checked
    ]
    df.attrs["source"] = f"{src['name_zh']} / {src['name_en']}"
    return df


def normalize_code(value) -> str:
    """'ｍ１ ' -> 'M1': full-width folded, spaces removed, upper case; missing -> ''.

    Parameters
    ----------
    value : object
        A land-use code as written.

    Returns
    -------
    str
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return unicodedata.normalize("NFKC", str(value)).replace(" ", "").upper()


@lru_cache(maxsize=1)
def _code_names() -> dict:
    """code -> (name_zh, name_en, major); a name not checked against a source says so."""
    t = landuse_codes()
    checked = t["checked_in"].notna() if "checked_in" in t else pd.Series(False, index=t.index)
    return {
        c: (zh if ok else f"{zh}（名称未核实）", en if ok else f"{en} (name unchecked)", m)
        for c, zh, en, m, ok in zip(t["code"], t["name_zh"], t["name_en"], t["major"], checked)
    }


def describe_codes(codes) -> pd.DataFrame:
    """Per distinct code: known, name_zh, name_en, major.

    A code is known when it is in the table, or a mix 'A+B' of known codes.

    Parameters
    ----------
    codes : iterable of str
        Normalised codes.

    Returns
    -------
    pandas.DataFrame
    """
    table = _code_names()
    rows = []
    for code in pd.unique(pd.Series(list(codes), dtype=object)):
        parts = [p for p in str(code).split("+") if p]
        known = bool(parts) and all(p in table for p in parts)
        if known:  # dict look-ups: a DataFrame .loc per code cost ~2 ms each, on every run
            names = [table[p] for p in parts]
            rows.append(
                {
                    "landuse": code,
                    "known_code": True,
                    "landuse_name_zh": "+".join(n[0] for n in names),
                    "landuse_name_en": " + ".join(n[1] for n in names),
                    "major": names[0][2],
                }
            )
        else:
            rows.append(
                {
                    "landuse": code,
                    "known_code": False,
                    "landuse_name_zh": "（空）" if code == BLANK else "未知代码",
                    "landuse_name_en": "(blank)" if code == BLANK else "unknown code",
                    "major": None,
                }
            )
    return pd.DataFrame(
        rows, columns=["landuse", "known_code", "landuse_name_zh", "landuse_name_en", "major"]
    )


def _pick_column(gdf, given, tried, what_zh, what_en, flag):
    """The column holding the codes/statuses (``gdf``: the layer, or just its field names)."""
    framed = isinstance(gdf, pd.DataFrame)
    names = list(gdf.columns) if framed else list(gdf)
    geom = gdf.geometry.name if isinstance(gdf, gpd.GeoDataFrame) else None
    cols = [c for c in names if c != geom]
    if given:
        if given not in names:
            raise LandplanError(
                f"地块图层没有 {given!r} 列（{what_zh}）。",
                f"The parcel layer has no column {given!r} for the {what_en}; its columns are "
                f"{', '.join(map(str, cols))}.",
            )
        return given
    low = {str(c).lower(): c for c in cols}
    for name in tried:
        if name in low:
            return low[name]
    raise LandplanError(
        f"未找到{what_zh}列，请用 {flag} 指定（现有列：{', '.join(map(str, cols))}）。",
        f"Which column holds the {what_en}? None of {', '.join(tried)} was found; name it with "
        f"{flag} (columns: {', '.join(map(str, cols))}).",
    )


def prepare_parcels(
    gdf: gpd.GeoDataFrame, landuse_col: str | None = None, status_col: str | None = None
) -> gpd.GeoDataFrame:
    """The parcels with columns ``landuse`` (normalised code) and ``status``.

    The report lists unknown codes.

    Column names are the user's (``landuse_col``, ``status_col``) or found among the usual ones. A
    layer with no supply-status column (and none named) is accepted: every status is NOT_STATED
    (未注明), and the report says so once.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The parcel layer as read.
    landuse_col, status_col : str, optional
        The columns holding the land-use code and the supply status.

    Returns
    -------
    geopandas.GeoDataFrame

    Raises
    ------
    LandplanError
        A named column that is missing, or no land-use column found.
    """
    lc = _pick_column(
        gdf, landuse_col, LANDUSE_COLUMNS, "用地代码", "land-use code", "--landuse-col"
    )
    sc = _status_column(gdf, status_col)
    # per distinct value, not per row: a province has millions of parcels but a handful of codes and
    # statuses
    k, uniq = pd.factorize(gdf[lc], use_na_sentinel=False)
    normed = [normalize_code(u) or BLANK for u in uniq]
    codes = pd.Series(np.array(normed, dtype=object)[k], index=gdf.index, name=lc)
    if sc is None:
        status = pd.Series(NOT_STATED, index=gdf.index, dtype=object, name="status")
    else:
        k, uniq = pd.factorize(
            gdf[sc].astype(object).where(gdf[sc].notna(), None), use_na_sentinel=False
        )
        status = pd.Series(
            np.array(
                [
                    BLANK
                    if u is None or (isinstance(u, float) and np.isnan(u)) or str(u).strip() == ""
                    else str(u).strip()
                    for u in uniq
                ],
                dtype=object,
            )[k],
            index=gdf.index,
            name=sc,
        )
    keep = [c for c in ("parcel_id", "synthetic", "note") if c in gdf.columns and c not in (lc, sc)]
    out = gpd.GeoDataFrame(
        {**{c: gdf[c] for c in keep}, "landuse": codes, "status": status},
        geometry=gdf.geometry.values,
        crs=gdf.crs,
        index=gdf.index,
    )
    out.attrs = dict(gdf.attrs)
    report = list(gdf.attrs.get("report", []))
    if sc is None:
        report.append(
            bilingual(
                f"地块图层没有供应状态列（未找到 {'、'.join(STATUS_COLUMNS)}）："
                f"所有地块的供应状态记为“{NOT_STATED}”。"
                "如该列另有名称，请用 --status-col 指定。",
                "The parcel layer has no supply-status column (none of "
                f"{', '.join(STATUS_COLUMNS)}): "
                f"every parcel's status is shown as {NOT_STATED} (not stated). If the column has "
                "another name, give it with --status-col.",
            )
        )
    desc = describe_codes(normed)
    unknown = desc.loc[~desc["known_code"].astype(bool), "landuse"].tolist()
    if unknown:
        counts = codes[codes.isin(unknown)].value_counts()
        listed = ", ".join(f"{k} ({v})" for k, v in counts.head(12).items())
        report.append(
            bilingual(
                f"{int(counts.sum())} 个地块的用地代码不在深圳用地分类代码表中：{listed}。"
                "这些地块均保留，并作为“未知代码”单独列出。",
                f"{int(counts.sum())} parcel(s) have land-use codes not in the Shenzhen code "
                "table: "
                f"{listed}. They are kept and reported as 'unknown code'.",
            )
        )
    out.attrs["report"] = report
    out.attrs["landuse_col"], out.attrs["status_col"] = lc, sc
    out.attrs["synthetic"] = bool(gdf.attrs.get("synthetic")) or (
        "synthetic" in gdf and bool(gdf["synthetic"].any())
    )
    return out


def _status_column(gdf, status_col):
    """The supply-status column: the one named, else one of the usual names, else None."""
    try:
        return _pick_column(
            gdf, status_col, STATUS_COLUMNS, "供应状态", "supply status", "--status-col"
        )
    except LandplanError:
        if status_col:
            raise
        return None


def _needed_columns(path, layer, landuse_col, status_col) -> list[str] | None:
    """The fields accounting needs (code, status, synthetic), if the file lists them cheaply."""
    from pathlib import Path

    import pyogrio

    p = Path(path)
    if p.suffix.lower() not in (".gpkg", ".shp", ".geojson", ".json", ".fgb"):
        return None
    try:
        if layer is None and p.suffix.lower() == ".gpkg" and len(pyogrio.list_layers(p)) != 1:
            return None  # read_layer explains the choice of layer
        fields = list(pyogrio.read_info(p, layer=layer)["fields"])
    except Exception:  # noqa: BLE001 - read_layer gives the message
        return None
    try:
        lc = _pick_column(
            fields, landuse_col, LANDUSE_COLUMNS, "用地代码", "land-use code", "--landuse-col"
        )
        sc = _status_column(fields, status_col)
    except LandplanError:
        return None  # read everything; prepare_parcels says what is missing
    # parcel ids are not read: the accounting does not use them (23k strings cost ~20 ms)
    return list(
        dict.fromkeys([c for c in (lc, sc) if c] + [c for c in ("synthetic",) if c in fields])
    )


def read_parcels(
    path, landuse_col=None, status_col=None, layer=None, encoding=None, crs=None, mask=None
) -> gpd.GeoDataFrame:
    """Read a parcel file (any format geo.io reads) and prepare it (see prepare_parcels).

    Only the fields the accounting needs are read when the file lists its fields.

    Parameters
    ----------
    path : str or pathlib.Path
        The parcel file.
    landuse_col, status_col
        As :func:`prepare_parcels`.
    layer, encoding, crs, mask
        As :func:`geo.io.read_layer`.

    Returns
    -------
    geopandas.GeoDataFrame

    Raises
    ------
    LandplanError
        A file that cannot be read, or columns not found.
    """
    columns = _needed_columns(path, layer, landuse_col, status_col)
    gdf = resolve_layer(
        str(path), layer=layer, encoding=encoding, crs=crs, mask=mask, columns=columns
    )
    return prepare_parcels(gdf, landuse_col, status_col)


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
    by : sequence of str, default ('sz20_parks',)
        Zone layers (catalog ids or files).
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
    zone_layers = [zone_layer(spec) for spec in specs]
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
    frames = []
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
    for zones, df in zip(zone_layers, tables):
        info = zones.set_index("_zid")
        df.insert(0, "zone_layer", zones.attrs["layer_id"])
        df.insert(2, "zone_name_zh", df["zone_id"].map(info["name_zh"]))
        df.insert(3, "zone_precision", df["zone_id"].map(info["precision"]))
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
    synthetic = bool(parcels.attrs.get("synthetic"))
    out["synthetic"] = synthetic
    name = source or parcels.attrs.get("source_name", "parcels")
    out["source"] = (
        ("SYNTHETIC parcels, not real data / 合成地块: " if synthetic else "parcels: ")
        + str(name)
        + "; codes: 深标 ch.2 (landuse_codes.yaml); planimetric EPSG:4547, union per class"
    )
    out.attrs["report"] = list(parcels.attrs.get("report", []))
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
