"""Folium maps of the catalog layers (presentation only; all numbers come from geo/ and layers/)."""
from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from geo.area import area

SHENZHEN_CENTER = (22.65, 114.2)

LAYER_STYLE = {
    "sz20_parks": {"color": "#b30000", "fillColor": "#e34a33"},
    "longgang_parks": {"color": "#6a3d9a", "fillColor": "#9e9ac8"},
    "pingshan_zones": {"color": "#08519c", "fillColor": "#6baed6"},
    "innovation_zones": {"color": "#006d2c", "fillColor": "#74c476"},
}
LABELS = {
    "zh": {"districts": "行政区", "sz20_parks": "20大先进制造业园区", "longgang_parks": "龙岗三大园区及集聚区",
           "pingshan_zones": "坪山“三区一带”", "innovation_zones": "创新集群区与战略平台",
           "name": "名称", "area": "图形面积", "precision": "精度", "source": "来源", "clusters": "主导产业集群",
           "indicative": "示意（非官方边界）", "official": "官方", "stated": "文件所述面积"},
    "en": {"districts": "Districts", "sz20_parks": "20 advanced manufacturing parks",
           "longgang_parks": "Longgang's three parks and cluster areas", "pingshan_zones": "Pingshan three zones, one belt",
           "innovation_zones": "Innovation cluster zones and platforms",
           "name": "Name", "area": "Drawn area", "precision": "Precision", "source": "Source", "clusters": "Lead clusters",
           "indicative": "indicative (not an official outline)", "official": "official", "stated": "Stated area"},
}


def _popup_frame(gdf: gpd.GeoDataFrame, lang: str) -> gpd.GeoDataFrame:
    """Display columns for tooltips, Chinese first, areas measured in EPSG:4547 (never on display copies)."""
    lab = LABELS[lang]
    name = gdf["name_zh"].fillna("") + " " + gdf["name_en"].fillna("")
    km2 = area(gdf, "km2") if gdf.geometry.notna().any() else pd.Series(0.0, index=gdf.index)
    out = gpd.GeoDataFrame({
        lab["name"]: name.str.strip(),
        lab["area"]: km2.round(2).astype(str) + " km²",
        lab["precision"]: gdf["precision"].map(lambda p: lab.get(p, p)),
        lab["source"]: gdf["source"].fillna("").str.slice(0, 80),
    }, geometry=gdf.geometry, crs=gdf.crs)
    if "lead_clusters" in gdf.columns:
        out[lab["clusters"]] = gdf["lead_clusters"].map(lambda v: ", ".join(v) if isinstance(v, list) else "")
    return out


def catalog_map(layers_: dict[str, gpd.GeoDataFrame], lang: str = "zh", tiles: str | None = "OpenStreetMap") -> folium.Map:
    """A map of the given layers; indicative outlines are dashed."""
    m = folium.Map(location=SHENZHEN_CENTER, zoom_start=10, tiles=tiles, control_scale=True)
    lab = LABELS[lang]
    for layer_id, gdf in layers_.items():
        gdf = gdf[gdf.geometry.notna() & gdf.geom_type.isin(["Polygon", "MultiPolygon", "LineString", "Point"])]
        if gdf.empty:
            continue
        frame = _popup_frame(gdf, lang)
        style = LAYER_STYLE.get(layer_id, {"color": "#444444", "fillColor": "#ffffff"})

        def _style(feat, style=style, is_district=(layer_id == "districts")):
            indicative = feat["properties"].get(lab["precision"]) == lab["indicative"]
            return {"color": style["color"], "weight": 1 if is_district else 2,
                    "fillColor": style["fillColor"], "fillOpacity": 0.05 if is_district else 0.35,
                    "dashArray": "6 4" if indicative else None}

        folium.GeoJson(
            frame.to_json(), name=lab.get(layer_id, layer_id), style_function=_style,
            tooltip=folium.GeoJsonTooltip(fields=[c for c in frame.columns if c != "geometry"]),
            marker=folium.CircleMarker(radius=5, fill=True, fill_opacity=0.9),
        ).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    return m
