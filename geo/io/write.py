"""write_layer: GeoPackage, Shapefile, GeoJSON, CSV or PostGIS; what the format forced is said."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from ..errors import LandplanError, bilingual
from .sql import is_db_url, write_table


def write_layer(gdf: gpd.GeoDataFrame, path, layer: str | None = None) -> list[str]:
    """Write GeoPackage, Shapefile, GeoJSON or CSV (WKT), keeping every field and UTF-8 text.

    A ``postgresql://`` URL writes table ``layer`` in that PostGIS database (geo/io/sql.py).

    Returns notes (Chinese, then English: :func:`geo.errors.bilingual`) on what the format forced
    (e.g. Shapefile field names cut to 10 characters, list values joined).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer.
    path : str or pathlib.Path
        .gpkg, .shp, .geojson, .json or .csv file, or a ``postgresql://`` URL.
    layer : str, optional
        The table, for a database.

    Returns
    -------
    list of str
        Bilingual notes.

    Raises
    ------
    LandplanError
        An unsupported file type (or a database failure).
    """
    if is_db_url(path):
        return write_table(gdf, path, layer)
    path = Path(path)
    suffix = path.suffix.lower()
    notes: list[str] = []
    out = gdf.copy()
    for col in out.columns:
        if (
            col != out.geometry.name
            and out[col].map(lambda v: isinstance(v, (list, tuple, dict))).any()
        ):
            out[col] = out[col].map(
                lambda v: "；".join(map(str, v)) if isinstance(v, (list, tuple)) else v
            )
            notes.append(
                bilingual(
                    f"字段 {col} 中的列表值已用“；”连接。",
                    f"List values in {col!r} were joined with '；'.",
                )
            )
    if suffix == ".csv":
        df = pd.DataFrame(out.drop(columns=out.geometry.name))
        df["wkt"] = shapely.to_wkt(out.geometry.values, rounding_precision=-1)
        df.to_csv(path, index=False, encoding="utf-8-sig")
        # column types beside it (GDAL's .csvt), so that text such as '0755' or '1' stays text on
        # reading
        kinds = [
            "Integer64"
            if pd.api.types.is_integer_dtype(df[c])
            else "Real"
            if pd.api.types.is_float_dtype(df[c])
            else "String"
            for c in df.columns[:-1]
        ] + ["WKT"]
        path.with_suffix(".csvt").write_text(",".join(f'"{k}"' for k in kinds), encoding="utf-8")
        csvt = path.with_suffix(".csvt").name
        notes.append(
            bilingual(
                f"字段类型已写入 {csvt}（请与 CSV 放在一起）。",
                f"Column types written to {csvt} (keep it beside the CSV).",
            )
        )
        return notes
    if suffix == ".shp":
        long = [
            c for c in out.columns if c != out.geometry.name and len(str(c).encode("utf-8")) > 10
        ]
        if long:
            mapping = {}
            for c in long:
                base = str(c).encode("utf-8")[:8].decode("utf-8", "ignore")
                name, k = base, 1
                while name in out.columns or name in mapping.values():
                    name, k = f"{base[:7]}{k}", k + 1
                mapping[c] = name
            out = out.rename(columns=mapping)
            renamed = ", ".join(f"{a}->{b}" for a, b in mapping.items())
            notes.append(
                bilingual(
                    f"Shapefile 字段名最长 10 字节，已改名：{renamed}",
                    f"Shapefile field names are limited to 10 bytes: {renamed}",
                )
            )
        out.to_file(path, engine="pyogrio", encoding="utf-8")
        return notes
    driver = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON"}.get(suffix)
    if driver is None:
        raise LandplanError(
            f"无法写出 {path.name}：请使用 .gpkg、.shp、.geojson 或 .csv。",
            f"Cannot write {path.name}: use .gpkg, .shp, .geojson or .csv.",
        )
    out.to_file(path, driver=driver, engine="pyogrio")
    return notes
