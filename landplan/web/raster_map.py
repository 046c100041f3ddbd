"""A coverage raster on the web map: computed in EPSG:4547, warped to Web Mercator for display
only."""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
from pyproj import Transformer
from rasterio.enums import Resampling
from rasterio.transform import array_bounds
from rasterio.warp import calculate_default_transform, reproject

from geo.raster import COUNT_NODATA, coverage_raster
from layers.loading import polygon_features

from ..present.text import text

#: RGBA per number of covering layers (0 and nodata transparent)
COLORS = {1: (253, 174, 97, 150), 2: (215, 25, 28, 180), 3: (123, 50, 148, 200)}


def coverage_image(count: np.ndarray, profile: dict) -> tuple[np.ndarray, list[list[float]]]:
    """RGBA image (Web Mercator rows) of a count raster and its [[south, west], [north, east]]
    bounds in degrees."""
    src_bounds = array_bounds(profile["height"], profile["width"], profile["transform"])
    tr, w, h = calculate_default_transform(
        profile["crs"], "EPSG:3857", profile["width"], profile["height"], *src_bounds
    )
    merc = np.full((h, w), COUNT_NODATA, dtype=np.uint8)
    reproject(
        count,
        merc,
        src_transform=profile["transform"],
        src_crs=profile["crs"],
        src_nodata=COUNT_NODATA,
        dst_transform=tr,
        dst_crs="EPSG:3857",
        dst_nodata=COUNT_NODATA,
        resampling=Resampling.nearest,
    )
    rgba = np.zeros((h, w, 4), dtype=np.uint8)
    for k, color in COLORS.items():
        rgba[(merc >= k) & (merc != COUNT_NODATA) if k == max(COLORS) else (merc == k)] = color
    west, south, east, north = array_bounds(h, w, tr)
    to_deg = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True)
    (w_lon, e_lon), (s_lat, n_lat) = to_deg.transform([west, east], [south, north])
    return rgba, [[s_lat, w_lon], [n_lat, e_lon]]


def add_coverage_overlay(
    m: folium.Map,
    layers: dict[str, gpd.GeoDataFrame],
    extent: gpd.GeoDataFrame,
    cell: float = 100.0,
    lang: str = "zh",
) -> bool:
    """Draw how many of ``layers`` cover each cell of ``extent`` on ``m``; False when nothing to
    draw."""
    polys = {k: polygon_features(g) for k, g in layers.items()}
    polys = {k: g for k, g in polys.items() if len(g)}
    if not polys:
        return False
    count, _, profile = coverage_raster(polys, extent, cell=cell)
    image, bounds = coverage_image(count, profile)
    folium.raster_layers.ImageOverlay(
        image=image,
        bounds=bounds,
        mercator_project=False,
        name=text(lang)["raster"].format(cell=cell),
        opacity=0.8,
    ).add_to(m)
    return True
