"""Parks drawn on the page's map (Leaflet.draw, sent back by streamlit-folium) as a layer of
proposed parks for a what-if."""

from __future__ import annotations

import geopandas as gpd

#: the source of a drawn park, Chinese line then English line (shown in the page's language)
PROPOSED_SOURCE = "地图上绘制（情景）\ndrawn on the map (what-if)"


def drawings_to_layer(
    drawings: list[dict] | None, display_offset: str | None = None
) -> gpd.GeoDataFrame | None:
    """Polygons drawn on the map as a 'proposed park' layer in EPSG:4326.

    Drawn on AMap tiles the coordinates are GCJ-02 display coordinates; they are converted
    back (exact inverse) before anything is computed on them.
    """
    feats = [
        f
        for f in (drawings or [])
        if (f.get("geometry") or {}).get("type") in ("Polygon", "MultiPolygon")
    ]
    if not feats:
        return None
    gdf = gpd.GeoDataFrame.from_features(feats, crs=4326)
    if display_offset:
        from geo.crs import to_wgs84

        gdf = to_wgs84(gdf.set_crs(None, allow_override=True), crs=display_offset)
    gdf = gdf[["geometry"]].copy()
    gdf["feature_id"] = [f"proposed_{i + 1}" for i in range(len(gdf))]
    gdf["name_zh"] = [f"拟建园区 {i + 1}" for i in range(len(gdf))]
    gdf["name_en"] = [f"Proposed park {i + 1}" for i in range(len(gdf))]
    gdf["kind"] = "sz20_park"
    gdf["precision"] = "proposed"
    gdf["source"] = PROPOSED_SOURCE
    gdf["district_ids"] = [[] for _ in range(len(gdf))]
    gdf["lead_clusters"] = [[] for _ in range(len(gdf))]
    return gdf
