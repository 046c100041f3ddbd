"""Parcel layers: reading and preparing them, with Shenzhen's land-use codes.

A parcel layer (地块) is the user's file, with a land-use code column (用地代码, e.g. M1, M0, W1)
and a supply-status column (供应状态). Codes are read against layers/catalog/landuse_codes.yaml;
unknown codes are kept and reported, never dropped.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.errors import LandplanError, bilingual

from .catalog_files import read_catalog_file
from .loading import resolve_layer

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
    "yddm",  # 用地代码 in pinyin initials, as bureau exports name it (and the README's example)
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
    codes, status, notes = parcel_classes(
        gdf[lc].to_numpy(dtype=object), None if sc is None else gdf[sc].to_numpy(dtype=object)
    )
    codes = pd.Series(codes, index=gdf.index, name=lc)
    status = pd.Series(status, index=gdf.index, name=sc or "status")
    keep = [c for c in ("parcel_id", "synthetic", "note") if c in gdf.columns and c not in (lc, sc)]
    out = gpd.GeoDataFrame(
        {**{c: gdf[c] for c in keep}, "landuse": codes, "status": status},
        geometry=gdf.geometry.values,
        crs=gdf.crs,
        index=gdf.index,
    )
    out.attrs = dict(gdf.attrs)
    report = list(gdf.attrs.get("report", [])) + notes
    out.attrs["report"] = report
    out.attrs["landuse_col"], out.attrs["status_col"] = lc, sc
    out.attrs["synthetic"] = bool(gdf.attrs.get("synthetic")) or (
        "synthetic" in gdf and bool(gdf["synthetic"].any())
    )
    return out


def parcel_classes(codes, statuses=None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Land-use codes normalised and supply statuses cleaned, with what a reader should know.

    Per distinct value, not per row: a province has millions of parcels but a handful of codes
    and statuses.

    Parameters
    ----------
    codes : numpy.ndarray
        The land-use code column's values (None or NaN where missing).
    statuses : numpy.ndarray, optional
        The supply-status column's values; None when the layer has no such column (every status
        is then NOT_STATED, and a note says so).

    Returns
    -------
    codes, statuses : numpy.ndarray
        Object arrays: codes as :func:`normalize_code` gives them (BLANK where missing), statuses
        stripped (BLANK where missing or empty).
    notes : list of str
        Bilingual lines: no status column, codes not in the code table.
    """
    k, uniq = pd.factorize(pd.Series(codes, dtype=object), use_na_sentinel=False)
    normed = [normalize_code(u) or BLANK for u in uniq]
    out_codes = np.array(normed, dtype=object)[k]
    notes = []
    if statuses is None:
        out_status = np.full(len(out_codes), NOT_STATED, dtype=object)
        notes.append(
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
    else:
        s = pd.Series(statuses, dtype=object)
        k, uniq = pd.factorize(s.where(s.notna(), None), use_na_sentinel=False)
        out_status = np.array(
            [
                BLANK
                if u is None or (isinstance(u, float) and np.isnan(u)) or str(u).strip() == ""
                else str(u).strip()
                for u in uniq
            ],
            dtype=object,
        )[k]
    desc = describe_codes(normed)
    unknown = desc.loc[~desc["known_code"].astype(bool), "landuse"].tolist()
    if unknown:
        series = pd.Series(out_codes, dtype=object)
        counts = series[series.isin(unknown)].value_counts()
        listed = ", ".join(f"{k} ({v})" for k, v in counts.head(12).items())
        notes.append(
            bilingual(
                f"{int(counts.sum())} 个地块的用地代码不在深圳用地分类代码表中：{listed}。"
                "这些地块均保留，并作为“未知代码”单独列出。",
                f"{int(counts.sum())} parcel(s) have land-use codes not in the Shenzhen code "
                "table: "
                f"{listed}. They are kept and reported as 'unknown code'.",
            )
        )
    return out_codes, out_status, notes


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
