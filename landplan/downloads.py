"""Files the page offers: layers as GeoPackage/GeoJSON, tables as one XLSX workbook."""
from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd



def _flat(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = gdf.copy()
    for col in out.columns:
        if col != out.geometry.name and out[col].map(lambda v: isinstance(v, (list, tuple))).any():
            out[col] = out[col].map(lambda v: "；".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    return out


def layers_gpkg(layers_: dict[str, gpd.GeoDataFrame]) -> bytes:
    """One GeoPackage with a layer per entry (EPSG:4326, every field kept, UTF-8)."""
    with tempfile.TemporaryDirectory(prefix="landplan-dl-") as tmp:
        path = Path(tmp) / "layers.gpkg"
        for name, gdf in layers_.items():
            _flat(gdf).to_crs(4326).to_file(path, layer=name, driver="GPKG", engine="pyogrio")
        return path.read_bytes()


def layers_geojson(layers_: dict[str, gpd.GeoDataFrame]) -> bytes:
    """One GeoJSON FeatureCollection; each feature says which layer it belongs to."""
    feats = []
    for name, gdf in layers_.items():
        g = _flat(gdf).to_crs(4326).assign(layer=name)
        feats.extend(json.loads(g.to_json(na="null"))["features"])
    return json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False).encode("utf-8")


def tables_xlsx(tables: dict[str, pd.DataFrame]) -> bytes:
    """One workbook, a sheet per table, list cells joined, header row frozen."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        for name, df in tables.items():
            flat = df.map(lambda v: "；".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
            flat.to_excel(xl, sheet_name=name[:31], index=False, freeze_panes=(1, 0))
    return buf.getvalue()


