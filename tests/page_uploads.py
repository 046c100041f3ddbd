"""A planner's upload for the page tests: official park outlines as a bureau hands them over."""

import io
import zipfile
from pathlib import Path

import geopandas as gpd
import shapely

import layers

#: the three parks' names, as the bureau's attribute table writes them (GBK)
PARK_NAMES = ["坪山测试园区一", "坪山测试园区二", "坪山测试园区三"]
SIDE_M = 2000.0  # each park a 2 km square: 4 km²
OVERLAP_M = 250.0  # the first two overlap by 250 m x 2 km: land two parks both count


def pingshan_parks() -> gpd.GeoDataFrame:
    """Three park outlines inside 坪山 (EPSG:4547), the first two overlapping."""
    d = layers.load("districts")
    zone = d[d["district_id"] == "pingshan"].to_crs(4547).geometry.iloc[0]
    c = shapely.point_on_surface(zone)
    x0, y0 = c.x - 1.5 * SIDE_M, c.y - SIDE_M / 2
    xs = [x0, x0 + SIDE_M - OVERLAP_M, x0 + 2 * SIDE_M + 500.0]
    boxes = [shapely.box(x, y0, x + SIDE_M, y0 + SIDE_M) for x in xs]
    assert all(zone.contains(b) for b in boxes), "the test parks must lie inside 坪山"
    return gpd.GeoDataFrame(
        {"编号": ["PS-01", "PS-02", "PS-03"], "名称": PARK_NAMES}, geometry=boxes, crs=4547
    )


def pingshan_official_zip(folder: Path) -> bytes:
    """The parks as a zipped ESRI Shapefile in EPSG:4547 with GBK attributes and a .cpg of 936."""
    folder.mkdir(parents=True, exist_ok=True)
    pingshan_parks().to_file(folder / "坪山园区.shp", encoding="gbk", engine="pyogrio")
    (folder / "坪山园区.cpg").write_text("936")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for ext in ("shp", "shx", "dbf", "prj", "cpg"):
            z.write(folder / f"坪山园区.{ext}", f"坪山园区.{ext}")
    return buf.getvalue()
