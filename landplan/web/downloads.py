"""Files the page offers: layers as GeoPackage/GeoJSON, the plan's tables as one XLSX workbook, the
meeting workbook and atlas of the plan."""

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


def plan_tables(plan, lang: str = "zh", unit: str = "km2") -> dict[str, pd.DataFrame]:
    """The plan in effect for its focus as the page shows it, one sheet per table named in
    ``lang`` (names, words, units, rounded: ``landplan.present.tables``): notes (what the outlines
    are,
    the covered area, the land counted twice, the land under the parks), coverage (and an upload's
    beside the parks), targets, overlaps with their kinds, cluster gaps, the parcel tables, the
    proposed parks."""
    from geo.units import unit_label
    from layers.units import in_unit

    from ..present import plan_text
    from ..present.tables import display_table
    from ..present.text import text
    from .plan_view import parcel_measured

    sheets = text(lang)["sheets"]
    notes = [
        *plan_text.precision_lines(plan, lang),
        plan_text.coverage_line(plan, lang, unit),
        plan_text.double_line(plan, lang, unit),
        plan_text.parks_total_line(plan, lang, unit),
    ]
    gaps = plan.cluster_gaps
    tables = {
        "coverage": plan.coverage,
        "upload_coverage": plan.upload_coverage,
        "targets": plan.targets,
        "phase_supply": plan.phase_supply if len(plan.phase_supply) else None,
        "overlaps": plan.overlaps.drop(columns="geometry"),
        "cluster_gaps": gaps[gaps["gap"].astype(bool)],
        "parcel_accounting": plan.parcel_accounting,
        "blocks": plan.blocks,
    }
    out = {sheets["notes"]: pd.DataFrame({sheets["notes"]: notes})}
    for k, df in tables.items():
        if df is not None:
            out[sheets[k]] = display_table(k, in_unit(df, unit), lang, unit)
    measured = parcel_measured(plan)
    if len(measured):
        shown = display_table("targets", in_unit(measured, unit), lang, unit)
        out[sheets["parcel_targets"]] = shown
    pieces = plan.park_pieces
    proposed = pieces[pieces["precision"] == "proposed"].drop_duplicates("feature_id")
    if len(proposed):
        names = proposed["name_zh" if lang == "zh" else "name_en"].fillna(proposed["name_zh"])
        out[sheets["proposed"]] = pd.DataFrame(
            {
                sheets["name"]: names.to_numpy(),
                sheets["area"].format(u=unit_label(unit, lang)): in_unit(
                    proposed[["drawn_area"]].assign(unit="m2"), unit
                )["drawn_area"]
                .round(2)
                .to_numpy(),
            }
        )
    return out


def _block_layer(found: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The blocks as the layers download holds them: every field at full precision, the zones each
    reaches as text (layer:id share;...)."""
    zones = found.attrs["zones"]
    where = {
        b: "; ".join(f"{r.zone_layer}:{r.zone_id} {r.share_of_block:.6f}" for r in z.itertuples())
        for b, z in zones.groupby("block_id")
    }
    return found.assign(zones=found["block_id"].map(where).fillna(""))


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


def page_files(plan, lang: str, unit: str, map_layers: dict) -> dict:
    """The files the downloads tab makes on a click: name -> (what, file name, MIME type, make):
    the layers on the map (with the plan's contiguous industrial blocks, every field, areas in m²),
    and the meeting workbook, atlas and QGIS map of ``plan``."""
    from ..present.text import text
    from ..report import meeting_gpkg, report_pdf, report_xlsx

    words = text(lang)["page"]
    scope = plan.focus or "city"
    map_name = f"landplan_map_{scope}_{unit}.gpkg"  # the project inside finds its layers by it
    if plan.blocks is not None and len(plan.blocks):
        map_layers = {**map_layers, "blocks": _block_layer(plan.blocks)}
    return {
        "gpkg": ("GeoPackage", "landplan_layers.gpkg", None, lambda: layers_gpkg(map_layers)),
        "geojson": ("GeoJSON", "landplan_layers.geojson", None, lambda: layers_geojson(map_layers)),
        "report_xlsx": (
            words["report_xlsx"],
            f"landplan_report_{scope}_{unit}.xlsx",
            None,
            lambda: report_xlsx(plan, lang, unit),
        ),
        "report_pdf": (
            words["report_pdf"],
            f"landplan_atlas_{scope}_{unit}.pdf",
            "application/pdf",
            lambda: report_pdf(plan, lang, unit),
        ),
        "report_gpkg": (
            words["report_gpkg"],
            map_name,
            None,
            lambda: meeting_gpkg(plan, lang, unit, map_name),
        ),
    }
