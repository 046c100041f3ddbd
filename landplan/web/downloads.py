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
            out[col] = out[col].map(
                lambda v: "；".join(map(str, v)) if isinstance(v, (list, tuple)) else v
            )
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
    return json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False).encode(
        "utf-8"
    )


def tables_xlsx(tables: dict[str, pd.DataFrame]) -> bytes:
    """One workbook, a sheet per table, list cells joined, header row frozen."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        for name, df in tables.items():
            flat = df.map(lambda v: "；".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
            flat.to_excel(xl, sheet_name=name[:31], index=False, freeze_panes=(1, 0))
    return buf.getvalue()


def shown_tables(
    tables: dict[str, pd.DataFrame | None],
    lang: str = "zh",
    unit: str = "km2",
    whatif: dict[str, pd.DataFrame] | None = None,
    proposed: gpd.GeoDataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """The page's tables as a workbook shows them (names, words, units, rounded:
    ``landplan.display``),
    one sheet each, named in ``lang``. What-if figures (with drawn parks) get their own sheets,
    named 情景-… / What-if …, beside the catalog's, with the proposed parks and their areas."""
    from geo.area import area
    from geo.units import unit_label

    from ..display import display_table
    from ..text import text

    sheets = text(lang)["sheets"]
    out = {
        sheets[k]: display_table(k, df, lang, unit) for k, df in tables.items() if df is not None
    }
    for k, df in (whatif or {}).items():
        out[sheets["whatif"] + sheets[k]] = display_table(k, df, lang, unit)
    if proposed is not None and len(proposed):
        out[sheets["whatif"] + sheets["proposed"]] = pd.DataFrame(
            {
                sheets["name"]: proposed["name_zh" if lang == "zh" else "name_en"].to_numpy(),
                sheets["area"].format(u=unit_label(unit, lang)): area(proposed, unit)
                .round(2)
                .to_numpy(),
            }
        )
    return out


def prepared(store, name: str, key, make=None):
    """A file made once for ``key`` and kept in ``store`` (the page's session state), so that its
    download
    button carries the bytes themselves: a rerun cannot lose them as it can a deferred file. None
    until ``make`` is given (a click); a new ``key`` (other scope, unit, uploads or drawings) drops
    the old file."""
    entry = store.get(f"_file_{name}")
    if entry is not None and entry[0] == key:
        return entry[1]
    if make is None:
        return None
    data = make()
    store[f"_file_{name}"] = (key, data)
    return data


def page_files(
    scope: str,
    unit: str,
    lang: str,
    map_layers: dict,
    scenario=None,
    parcel_counts=("M1", "M0"),
) -> dict:
    """The files the downloads tab makes on a click: name -> (what, file name, MIME type, make).

    The reports render the plan of the page's ``scenario`` (a :class:`layers.store.Scenario`:
    the upload and its role, drawn parks, parcels; None: the catalog) focused on ``scope``, with
    the land-use codes ``parcel_counts``, as the page counts them."""
    from layers.plan import compute_plan

    from ..report import report_data, report_pdf, report_xlsx
    from ..text import text

    words = text(lang)["page"]

    def data():
        plan = compute_plan(scenario, scope, tuple(parcel_counts))
        return report_data(plan, lang, unit)

    return {
        "gpkg": ("GeoPackage", "landplan_layers.gpkg", None, lambda: layers_gpkg(map_layers)),
        "geojson": ("GeoJSON", "landplan_layers.geojson", None, lambda: layers_geojson(map_layers)),
        "report_xlsx": (
            words["report_xlsx"],
            f"landplan_report_{scope}_{unit}.xlsx",
            None,
            lambda: report_xlsx(data()),
        ),
        "report_pdf": (
            words["report_pdf"],
            f"landplan_atlas_{scope}_{unit}.pdf",
            "application/pdf",
            lambda: report_pdf(data()),
        ),
    }
