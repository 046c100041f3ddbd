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




#: sheet names of the page's table workbook: table id -> (中文, English)
SHEETS = {"coverage": ("分区覆盖", "Coverage"), "targets": ("目标与供给", "Targets vs supply"),
          "overlaps": ("重叠", "Overlaps"), "cluster_gaps": ("集群缺口", "Cluster gaps"),
          "upload_coverage": ("上传图层覆盖", "Upload coverage")}
WHATIF = ("情景-", "What-if ")


def shown_tables(tables: dict[str, pd.DataFrame | None], lang: str = "zh", unit: str = "km2",
                 whatif: dict[str, pd.DataFrame] | None = None,
                 proposed: gpd.GeoDataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The page's tables as a workbook shows them (names, words, units, rounded: ``landplan.display``),
    one sheet each, named in ``lang``. What-if figures (with drawn parks) get their own sheets, named
    情景-… / What-if …, beside the catalog's, with the proposed parks and their areas."""
    from geo.area import area
    from geo.units import unit_label

    from ..display import display_table
    i = 0 if lang == "zh" else 1
    out = {SHEETS[k][i]: display_table(k, df, lang, unit) for k, df in tables.items() if df is not None}
    for k, df in (whatif or {}).items():
        out[WHATIF[i] + SHEETS[k][i]] = display_table(k, df, lang, unit)
    if proposed is not None and len(proposed):
        name = "名称" if i == 0 else "Name"
        out[WHATIF[i] + ("拟建园区" if i == 0 else "proposed parks")] = pd.DataFrame({
            name: proposed["name_zh" if i == 0 else "name_en"].to_numpy(),
            f"面积（{unit_label(unit, lang)}）" if i == 0 else f"Area ({unit_label(unit, lang)})":
                area(proposed, unit).round(2).to_numpy()})
    return out


def prepared(store, name: str, key, make=None):
    """A file made once for ``key`` and kept in ``store`` (the page's session state), so that its download
    button carries the bytes themselves: a rerun cannot lose them as it can a deferred file. None until
    ``make`` is given (a click); a new ``key`` (other scope, unit, uploads or drawings) drops the old file."""
    entry = store.get(f"_file_{name}")
    if entry is not None and entry[0] == key:
        return entry[1]
    if make is None:
        return None
    data = make()
    store[f"_file_{name}"] = (key, data)
    return data
