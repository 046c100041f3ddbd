"""DXF (CAD drawings): closed lines read as polygons, the outlines kept, what was left out said."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

#: GDAL's DXF open options: a closed polyline is an outline (a polygon), not a line
_DXF_OPTIONS = {"CLOSED_LINE_AS_POLYGON": "YES"}


def _dxf_outlines(gdf: gpd.GeoDataFrame, report) -> gpd.GeoDataFrame:
    """A CAD drawing's closed outlines (polygons), when it has any beside lines, text and points.

    What was left out is said in the report.
    """
    geoms = gdf.geometry.values
    poly = np.isin(shapely.get_type_id(geoms), (3, 6))
    if poly.any() and not poly.all():
        n = int((~poly).sum())
        report.warn(
            f"DXF 图中有 {n} 个非闭合图元（线、文字、点等）不是面，已略去；保留 {int(poly.sum())} "
            "个闭合轮廓。",
            f"{n} entities of the DXF drawing that are not closed outlines (lines, text, points) "
            "were left out; "
            f"{int(poly.sum())} closed outlines were kept.",
        )
        gdf = gdf[poly].reset_index(drop=True)
    return gdf
