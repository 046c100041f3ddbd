"""The meeting map for QGIS: one GeoPackage with every layer of a plan, styled, and a project.

``landplan report --out 供地会.gpkg`` (and the page's download) writes what the map page shows as
layers a planner finishes in QGIS: the districts shaded by park coverage, the parks in effect by
precision (indicative dashed and hatched, official solid, proposed orange), the other catalog
layers, an upload, the overlaps as double counts and nesting, the districts with cluster gaps,
parcels and their contiguous industrial blocks when the plan has them; and the figures' tables
(targets, coverage, overlaps, gaps, parks) as attribute tables with the headers the page and the
workbook use. Each layer's default style is in the GeoPackage's ``layer_styles`` table, and a QGIS
project stored inside it (``qgis_projects``) opens the layers in order, labelled by name, on the
plan's focus.
"""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
import zipfile
from io import BytesIO
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.units import convert_area, unit_label
from layers.loading import feature_ids, is_polygonal
from layers.names import layer_label
from layers.scenario import PARK_LAYER
from layers.units import in_unit

from ..present.plan_text import overlap_kind
from ..present.tables import display_table
from ..present.text import text
from ..present.words import word
from .block_gpkg import block_frames
from .qgis_styles import ProjectLayer, Style, fill, line, marker, project_qgs, qml

#: the CRS the layers are written in (areas are measured in it)
CRS = 4547
#: the project's name inside the GeoPackage
PROJECT = "landplan"
#: page colours of the catalog layers (outline, fill), as the map page draws them
LAYER_COLORS = {
    "sz20_parks": ("#b30000", "#e34a33"),
    "longgang_parks": ("#6a3d9a", "#9e9ac8"),
    "pingshan_zones": ("#08519c", "#6baed6"),
    "innovation_zones": ("#006d2c", "#74c476"),
    "upload": ("#e6550d", "#fd8d3c"),
}
PROPOSED = ("#ff7f00", "#ff7f00")
#: the page's coverage classes (lower, upper %, colour)
COVERAGE_CLASSES = (
    (0.0, 0.0001, "#f7fcf5"),
    (0.0001, 5.0, "#c7e9c0"),
    (5.0, 10.0, "#74c476"),
    (10.0, 20.0, "#31a354"),
    (20.0, 100.0, "#006d2c"),
)


def _words(lang: str) -> dict:
    return text(lang)["gpkg"]


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    """Lists as text (GeoPackage fields hold no lists)."""
    out = df.copy()
    for c in out.columns:
        if c != "geometry" and out[c].map(lambda v: isinstance(v, (list, tuple, np.ndarray))).any():
            out[c] = out[c].map(
                lambda v: "；".join(map(str, v)) if isinstance(v, (list, tuple, np.ndarray)) else v
            )
    return out


def _precision_style(lid: str, field: str, lang: str, label: str | None) -> Style:
    """Features by precision: indicative dashed and hatched, official solid, proposed orange."""
    outline, inner = LAYER_COLORS.get(lid, ("#444444", "#bbbbbb"))
    classes = [
        ("indicative", fill(inner, outline, alpha=0.8, style="b_diagonal", outline_style="dash")),
        ("official", fill(inner, outline, alpha=0.45, width=0.7)),
        ("measured", fill(inner, outline, alpha=0.45, width=0.7)),
        ("user", fill(inner, outline, alpha=0.3, outline_style="dot")),
        ("proposed", fill(PROPOSED[1], PROPOSED[0], alpha=0.35, outline_style="dot", width=0.7)),
    ]
    return Style(
        "categories",
        [s for _, s in classes],
        attr=field,
        classes=[(k, word(k, lang)) for k, _ in classes],
        label_field=label,
    )


def _layer_frames(plan, lang: str, unit: str) -> list[tuple[str, str, gpd.GeoDataFrame, Style]]:
    """(table, name shown, features, style), top of the map first: overlaps, cluster gaps, the
    parcels' contiguous industrial blocks, the layers in effect, parcels, the districts shaded by
    coverage."""
    out = [*_overlap_frame(plan, lang, unit), *_gap_frame(plan, lang)]
    out += block_frames(plan, lang, unit)
    for lid, gdf in plan.layers.items():
        out += _feature_frames(plan, lid, gdf, lang, unit)
    out += _parcel_frame(plan, lang)
    out.append(_district_frame(plan, lang, unit))
    return out


def _area_head(lang: str, unit: str) -> str:
    w = _words(lang)
    if lang == "zh":
        return f"{w['area']}（{unit_label(unit, lang)}）"
    return f"{w['area']} ({unit_label(unit, lang)})"


def _overlap_frame(plan, lang: str, unit: str) -> list:
    """The overlaps by kind: double counts red, nesting hatched, the same place dotted."""
    ov = in_unit(plan.city.overlaps, unit)
    if not len(ov):
        return []
    shown = display_table("overlaps", ov, lang, unit)
    frame = gpd.GeoDataFrame(
        shown.assign(kind_code=ov["kind"].to_numpy()), geometry=ov.geometry.to_numpy(), crs=4326
    )
    kinds = [
        ("double_count", fill("#d7301f", "#d7301f", alpha=0.6, width=0.6)),
        ("nested", fill("#fd8d3c", "#e6550d", alpha=0.8, style="f_diagonal", width=0.3)),
        ("same_place", fill("#999999", "#666666", alpha=0.0, style="no", outline_style="dot")),
    ]
    style = Style(
        "categories",
        [s for _, s in kinds],
        attr="kind_code",
        classes=[(k, overlap_kind(k, lang)) for k, _ in kinds],
    )
    return [("overlaps", _words(lang)["overlaps"], frame, style)]


def _gap_frame(plan, lang: str) -> list:
    """The districts with a cluster gap, dashed red, the clusters named."""
    from layers.names import cluster_name

    w, city = _words(lang), plan.city
    gaps = city.cluster_gaps[city.cluster_gaps["gap"].astype(bool)]
    if not len(gaps):
        return []
    per: dict[str, list] = {}
    for cid, dids in zip(gaps["cluster_id"], gaps["district_ids"]):
        for d in dids:
            per.setdefault(d, []).append(cluster_name(cid, lang))
    d = city.districts[city.districts["district_id"].isin(per)]
    frame = gpd.GeoDataFrame(
        {
            w["district"]: d["name_zh" if lang == "zh" else "name_en"].to_numpy(),
            w["gap_clusters"]: [w["list_sep"].join(per[x]) for x in d["district_id"]],
            w["gap_count"]: [len(per[x]) for x in d["district_id"]],
        },
        geometry=d.geometry.to_numpy(),
        crs=d.crs,
    )
    style = Style(
        "single",
        [fill("#d7301f", "#d7301f", alpha=0.0, style="no", width=0.6, outline_style="dash")],
    )
    return [("cluster_gaps", w["gaps"], frame, style)]


def _feature_frames(plan, lid: str, gdf: gpd.GeoDataFrame, lang: str, unit: str) -> list:
    """A layer in effect: its polygons styled by precision, with each one's area as the plan
    measured it (:attr:`layers.plan.Plan.park_pieces`), and its lines and points apart."""
    w = _words(lang)
    name, label = w["name"], layer_label(lid, lang)
    fid = feature_ids(gdf)
    names = gdf["name_zh" if lang == "zh" else "name_en"] if "name_zh" in gdf.columns else None
    if names is None:
        for c in ("name", "NAME", "名称"):
            if c in gdf.columns:
                names = gdf[c]
                break
    precision = gdf["precision"] if "precision" in gdf.columns else pd.Series("user", gdf.index)
    base = pd.DataFrame(
        {
            w["id"]: fid.astype(str).to_numpy(),
            name: (names if names is not None else fid).astype(object).to_numpy(),
            w["precision"]: [word(p, lang) for p in precision],
            "precision_code": precision.astype(str).to_numpy(),
        }
    )
    out = []
    poly = is_polygonal(gdf)
    if poly.any():
        g = gpd.GeoDataFrame(base[poly], geometry=gdf.geometry[poly].to_numpy(), crs=gdf.crs)
        pieces = plan.city.park_pieces
        drawn = pieces[pieces["layer_id"] == lid].drop_duplicates("feature_id")
        m2 = fid[poly].astype(str).map(drawn.set_index("feature_id")["drawn_area"])
        g[_area_head(lang, unit)] = convert_area(m2.to_numpy(dtype=float), "m2", unit).round(4)
        table = "parks" if lid == PARK_LAYER else lid
        out.append((table, label, g, _precision_style(lid, "precision_code", lang, name)))
    kinds = gdf.geom_type
    for kind, suffix, sym in (
        (("LineString", "MultiLineString"), "lines", line(LAYER_COLORS.get(lid, ("#444",))[0])),
        (("Point", "MultiPoint"), "points", marker(LAYER_COLORS.get(lid, ("#444",))[0])),
    ):
        sel = kinds.isin(kind).to_numpy()
        if sel.any():
            g = gpd.GeoDataFrame(base[sel], geometry=gdf.geometry[sel].to_numpy(), crs=gdf.crs)
            shown = f"{label}（{w[suffix]}）" if lang == "zh" else f"{label} ({w[suffix]})"
            out.append((f"{lid}_{suffix}", shown, g, Style("single", [sym], label_field=name)))
    return out


def _parcel_frame(plan, lang: str) -> list:
    """The scenario's parcels, shaded by land-use class as on the page."""
    parcels = plan.parcels
    if parcels is None or not len(parcels):
        return []
    from ..web.parcel_page import CLASS_COLORS, UNKNOWN_COLOR

    w = _words(lang)
    major = parcels["landuse"].astype(str).str.extract(r"^([A-Z]+)")[0].fillna("")
    major = major.where(major.isin(list(CLASS_COLORS)), "")
    frame = gpd.GeoDataFrame(
        {
            w["landuse"]: parcels["landuse"].astype(str).to_numpy(),
            w["status"]: parcels["status"].astype(str).to_numpy(),
            "class_code": major.to_numpy(),
        },
        geometry=parcels.geometry.to_numpy(),
        crs=parcels.crs,
    )
    classes = list(CLASS_COLORS.items()) + [("", UNKNOWN_COLOR)]
    style = Style(
        "categories",
        [fill(c, "#333333", alpha=0.6, width=0.1) for _, c in classes],
        attr="class_code",
        classes=[(k, k or w["other"]) for k, _ in classes],
    )
    return [("parcels", w["parcels"], frame, style)]


def _district_frame(plan, lang: str, unit: str) -> tuple:
    """The districts shaded by the parks' coverage, in the classes of the page's legend."""
    w, city = _words(lang), plan.city
    name = w["name"]
    cov = in_unit(city.coverage, unit)
    shown = display_table("coverage", cov, lang, unit)
    d = city.districts.set_index("district_id").loc[cov["zone_id"]]
    frame = gpd.GeoDataFrame(
        shown.assign(
            covered_pct_value=cov["covered_pct"].to_numpy(), district_id=cov["zone_id"].to_numpy()
        ),
        geometry=d.geometry.to_numpy(),
        crs=city.districts.crs,
    )
    frame.insert(1, name, d["name_zh" if lang == "zh" else "name_en"].to_numpy())
    style = Style(
        "ranges",
        [fill(c, "#555555", alpha=0.75, width=0.4) for *_, c in COVERAGE_CLASSES],
        attr="covered_pct_value",
        classes=[
            (lo, hi, lab)
            for (lo, hi, _), lab in zip(
                COVERAGE_CLASSES, ("0 %", "< 5 %", "5–10 %", "10–20 %", "≥ 20 %")
            )
        ],
        label_field=name,
    )
    return ("districts", w["districts"], frame, style)


def _tables(plan, lang: str, unit: str) -> dict[str, pd.DataFrame]:
    """The figures' tables for the focus, with the headers the page and the workbook use."""
    from layers.gap_table import gap_details

    sheets = text(lang)["sheets"]
    w = _words(lang)
    tables = {
        "table_targets": (
            sheets["targets"],
            display_table("targets", in_unit(plan.targets, unit), lang, unit),
        ),
        "table_coverage": (
            sheets["coverage"],
            display_table("coverage", in_unit(plan.coverage, unit), lang, unit),
        ),
        "table_overlaps": (
            sheets["overlaps"],
            display_table(
                "overlaps", in_unit(plan.overlaps, unit).drop(columns="geometry"), lang, unit
            ),
        ),
        "table_cluster_gaps": (
            sheets["cluster_gaps"],
            display_table("cluster_gaps", plan.cluster_gaps, lang, unit),
        ),
        "table_gaps": (
            w["gaps_table"],
            display_table("gaps", gap_details(in_unit(plan.gaps, unit)), lang, unit),
        ),
    }
    return tables


def write_meeting_gpkg(path: str | Path, plan, lang: str = "zh", unit: str = "km2") -> Path:
    """Write the plan's meeting map to ``path`` (.gpkg): layers, styles, tables, a QGIS project.

    Parameters
    ----------
    path : str or pathlib.Path
        The GeoPackage to write (replaced if it exists).
    plan : layers.plan.Plan
        The plan; its focus is the view the project opens on and the scope of the tables.
    lang : {'zh', 'en'}, default 'zh'
    unit : str, default 'km2'

    Returns
    -------
    pathlib.Path
    """
    path = Path(path)
    if path.exists():
        path.unlink()
    frames = _layer_frames(plan, lang, unit)
    for i, (table, _, frame, _) in enumerate(frames):
        # GeoPackage 1.2: QGIS and GDAL releases of a few years back read it without a warning
        opts = {"dataset_options": {"VERSION": "1.2"}} if i == 0 else {}
        _flat(frame).to_crs(CRS).to_file(path, layer=table, driver="GPKG", engine="pyogrio", **opts)
    tables = _tables(plan, lang, unit)
    import pyogrio

    for table, (_, df) in tables.items():
        pyogrio.write_dataframe(_flat(df), path, layer=table, driver="GPKG")
    extent = plan.districts.to_crs(CRS).total_bounds
    pad = 0.05 * max(extent[2] - extent[0], extent[3] - extent[1])
    extent = (extent[0] - pad, extent[1] - pad, extent[2] + pad, extent[3] + pad)
    layers_ = [
        ProjectLayer(
            f"{table}_{hashlib.sha1(table.encode()).hexdigest()[:24]}",
            name,
            f"./{path.name}|layername={table}",
            _geometry_kind(frame),
            style,
        )
        for table, name, frame, style in frames
    ]
    qgs = project_qgs(_words(lang)["project"], layers_, CRS, extent)
    with sqlite3.connect(path) as con:
        _write_styles(con, frames)
        _write_project(con, qgs)
        for table, name, *_ in frames:
            con.execute(
                "UPDATE gpkg_contents SET identifier = ? WHERE table_name = ?", (name, table)
            )
        for table, (name, _) in tables.items():
            con.execute(
                "UPDATE gpkg_contents SET identifier = ? WHERE table_name = ?", (name, table)
            )
    return path


def meeting_gpkg(
    plan, lang: str = "zh", unit: str = "km2", name: str = "landplan_map.gpkg"
) -> bytes:
    """The meeting map as GeoPackage bytes (:func:`write_meeting_gpkg`), for a download saved as
    ``name``: its QGIS project finds its layers in the file of that name beside it, as a project
    QGIS itself stores in a GeoPackage does."""
    with tempfile.TemporaryDirectory(prefix="landplan-gpkg-") as tmp:
        return write_meeting_gpkg(Path(tmp) / name, plan, lang, unit).read_bytes()


def _geometry_kind(frame: gpd.GeoDataFrame) -> str:
    t = str(frame.geom_type.dropna().iloc[0]) if frame.geom_type.notna().any() else "Polygon"
    return "Line" if "Line" in t else "Point" if "Point" in t else "Polygon"


def _write_styles(con: sqlite3.Connection, frames) -> None:
    """Each layer's default style in ``layer_styles``, as QGIS saves one."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name TEXT(256), "
        "f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT, "
        "useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), "
        "update_time DATETIME DEFAULT CURRENT_TIMESTAMP)"
    )
    con.execute(
        "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier) "
        "VALUES ('layer_styles', 'attributes', 'layer_styles')"
    )
    for table, _, _, style in frames:
        con.execute(
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
            "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner) "
            "VALUES ('', '', ?, 'geom', ?, ?, '', 1, 'landplan', '')",
            (table, table, qml(style)),
        )


def _write_project(con: sqlite3.Connection, qgs: str) -> None:
    """The project in ``qgis_projects``, as QGIS stores a project in a GeoPackage (a .qgz)."""
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{PROJECT}.qgs", qgs)
    con.execute(
        "CREATE TABLE IF NOT EXISTS qgis_projects "
        "(name TEXT PRIMARY KEY, metadata BLOB, content BLOB)"
    )
    con.execute(
        "INSERT OR REPLACE INTO qgis_projects VALUES (?, ?, ?)",
        (
            PROJECT,
            '{"last_modified_time": "'
            + pd.Timestamp.now("UTC").strftime("%Y-%m-%dT%H:%M:%S")
            + '"}',
            buf.getvalue().hex(),
        ),
    )
