"""Tables (CSV, XLSX) with a WKT or lon/lat columns: text encoding, column types, curved WKT."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .gdal import _fail_unsupported
from .repair import _parse_closing_rings
from .report import ReadError, _fail

_CURVE_WKT = re.compile(
    r"\b(?:CIRCULARSTRING|COMPOUNDCURVE|CURVEPOLYGON|MULTICURVE|MULTISURFACE)\s*(?:Z|M|ZM)?\s*\(",
    re.IGNORECASE,
)

_SURFACE_WKT = re.compile(r"\b(?:TIN|POLYHEDRALSURFACE|TRIANGLE)\s*(?:Z|M|ZM)?\s*\(", re.IGNORECASE)

_WKT_COLUMNS = ("wkt", "geometry", "geom", "the_geom", "shape")

_LON_COLUMNS = ("lon", "lng", "long", "longitude", "x", "经度")

_LAT_COLUMNS = ("lat", "latitude", "y", "纬度")


def _pick(columns, names):
    low = {str(c).strip().lower(): c for c in columns}
    return next((low[n] for n in names if n in low), None)


def _read_table(path: Path, report) -> gpd.GeoDataFrame:
    try:
        df = (
            pd.read_excel(path)
            if path.suffix.lower() in (".xlsx", ".xls")
            else _read_csv(path, report)
        )
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001
        _fail(f"无法读取表格 {path.name}。", f"{path.name} could not be read as a table ({exc}).")
    wkt_col = _pick(df.columns, _WKT_COLUMNS)
    lon_col, lat_col = _pick(df.columns, _LON_COLUMNS), _pick(df.columns, _LAT_COLUMNS)
    if wkt_col is not None:
        text = df[wkt_col].astype("string")
        given = text.fillna("").str.strip().to_numpy(dtype=object)
        surface = text.fillna("").str.contains(_SURFACE_WKT).to_numpy(dtype=bool)
        if surface.any():
            kind = re.search(r"TIN|POLYHEDRALSURFACE|TRIANGLE", given[surface][0], re.IGNORECASE)
            _fail_unsupported(kind.group(0).upper(), path.name)
        curved = text.fillna("").str.contains(_CURVE_WKT).to_numpy(dtype=bool)
        geoms, closed = _parse_closing_rings(shapely.from_wkt, np.where(curved, "", given))
        if curved.any():
            geoms[curved] = _linearise_wkt(given[curved])
            report.repair(
                f"{int(curved.sum())} 行 WKT 为曲线几何（CIRCULARSTRING、CURVEPOLYGON 等），已按 "
                "GDAL 的方式转为折线"
                "（每段约 4°），面积差异小于 0.1%。",
                f"{int(curved.sum())} WKT row(s) hold curves (CIRCULARSTRING, CURVEPOLYGON ...); "
                "they were "
                "converted to straight segments as GDAL does (about 4 degrees of arc per segment; "
                "areas "
                "change by less than 0.1 %).",
            )
        if closed:
            report.repair(
                f"{closed} 个 WKT 多边形的环未闭合，已闭合。",
                f"{closed} WKT polygon(s) had rings that were not closed; they were closed.",
            )
        bad_rows = shapely.is_missing(geoms) & (given != "")
        # said once here, with the rows that have no WKT at all: not counted again as "no geometry"
        if bad_rows.any():
            n_bad, n_none = int(bad_rows.sum()), int((given == "").sum())
            first = np.flatnonzero(bad_rows)[:5] + 2  # file lines: the header is line 1
            eg, eg_zh = ("e.g. ", "如") if n_bad > 5 else ("", "")
            none_en = (
                f" and {n_none} row{'s have' if n_none > 1 else ' has'} none" if n_none else ""
            )
            none_zh = f"，{n_none} 行没有 WKT" if n_none else ""
            total = n_bad + n_none
            report.warn(
                f"{n_bad} 行的 WKT 无法解析（{eg_zh}文件第 {'、'.join(map(str, first))} 行）"
                f"{none_zh}；"
                f"{f'这 {total} 行均' if total > 1 else '该行'}保留为空几何，按零面积计。",
                f"{n_bad} row{'s have' if n_bad > 1 else ' has'} WKT that could not be parsed "
                f"({eg}file "
                f"line{'s' if n_bad > 1 else ''} {', '.join(map(str, first))}){none_en}; "
                f"{f'all {total} are' if total > 1 else 'it is'} kept with an empty geometry "
                "and count as zero area.",
            )
            report.empty_reported += n_bad + n_none
        return gpd.GeoDataFrame(df.drop(columns=[wkt_col]), geometry=list(geoms))
    if lon_col is not None and lat_col is not None:
        lon = pd.to_numeric(df[lon_col], errors="coerce")
        lat = pd.to_numeric(df[lat_col], errors="coerce")
        return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(lon, lat))
    _fail(
        f"{path.name} 没有 WKT 列或经纬度列。",
        f"{path.name} has no WKT column ({', '.join(_WKT_COLUMNS)}) and no lon/lat columns "
        f"({'/'.join(_LON_COLUMNS)} and {'/'.join(_LAT_COLUMNS)}).",
    )


def _linearise_wkt(values) -> np.ndarray:
    """Linear geometries of curved WKT, as GDAL approximates them (None where it cannot)."""
    with tempfile.TemporaryDirectory(prefix="landplan-") as tmp:
        csv = Path(tmp) / "curves.csv"
        csv.write_text(
            "n,wkt\n" + "".join(f'{i},"{v}"\n' for i, v in enumerate(values)), encoding="utf-8"
        )
        try:
            gdf = gpd.read_file(
                csv,
                engine="pyogrio",
                use_arrow=False,
                GEOM_POSSIBLE_NAMES="wkt",
                KEEP_GEOM_COLUMNS="NO",
            )
        except Exception:  # noqa: BLE001 - then none can be read
            return np.full(len(values), None, dtype=object)
    out = np.full(len(values), None, dtype=object)
    out[gdf["n"].astype(int).to_numpy()] = gdf.geometry.values
    return out


def _read_csv(path: Path, report) -> pd.DataFrame:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            raw.decode(enc)
            if enc != "utf-8-sig":
                report.note(
                    f"CSV 文本编码识别为 {enc.upper()}。", f"CSV text detected as {enc.upper()}."
                )
            break
        except UnicodeDecodeError:
            continue
    else:
        _fail(
            f"{path.name}：无法识别文本编码，请另存为 UTF-8。",
            f"{path.name}: the text encoding could not be recognised; save it as UTF-8.",
        )
    df = pd.read_csv(path, encoding=enc, dtype=str, keep_default_na=False, na_values=[""])
    types = _csvt_types(path, len(df.columns))
    for i, col in enumerate(df.columns):
        kind = types[i] if types else None
        if kind in ("integer", "integer64"):
            df[col] = pd.to_numeric(df[col]).astype("Int64" if df[col].isna().any() else "int64")
        elif kind == "real":
            df[col] = pd.to_numeric(df[col])
        elif kind is None:
            df[col] = _numbers_if_all_numeric(df[col])
    return df


def _csvt_types(path: Path, n: int) -> list[str] | None:
    """Column types from a GDAL-style .csvt beside the CSV, if any.

    A .csvt reads e.g. ``"String","Integer","Real","WKT"``.
    """
    csvt = next(
        (p for p in (path.with_suffix(".csvt"), path.with_suffix(".CSVT")) if p.exists()), None
    )
    if csvt is None:
        return None
    types = [
        t.strip().strip('"').split("(")[0].lower()
        for t in csvt.read_text(errors="replace").split(",")
    ]
    return types if len(types) == n else None


def _numbers_if_all_numeric(col: pd.Series) -> pd.Series:
    """A text column as numbers when every value is a plain number.

    Codes with leading zeros, like '0755', stay text.
    """
    vals = col.dropna().str.strip()
    if vals.empty or vals.str.match(r"^[+-]?0\d").any():
        return col
    num = pd.to_numeric(vals, errors="coerce")
    if num.isna().any():
        return col
    out = pd.to_numeric(col.str.strip())
    return (
        out.astype("int64")
        if not out.isna().any()
        and (out == out.round()).all()
        and not vals.str.contains(r"[.eE]").any()
        else out
    )
