"""Coverage rasters and zonal statistics: known answers by construction, CRS handling, nodata, the
CLI."""

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from rasterio.transform import from_origin

from geo.raster import COUNT_NODATA, coverage_raster, zonal_stats

from ..cli_helpers import run, run_json

X0, Y0 = 500_000.0, 2_500_000.0  # EPSG:4547, near Shenzhen


def box(x0, y0, x1, y1):
    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def gdf(*geoms, crs=4547, **cols):
    return gpd.GeoDataFrame(cols or None, geometry=list(geoms), crs=crs)


def test_coverage_raster_counts_layers_once_each_and_marks_uncovered_target():
    extent = gdf(box(0, 0, 1000, 1000))
    a = gdf(
        box(0, 0, 600, 1000), box(100, 100, 300, 300)
    )  # overlapping features of one layer count once
    b = gdf(box(400, 0, 1000, 500))
    target = gdf(box(0, 500, 1000, 1000))
    count, unc, prof = coverage_raster({"a": a, "b": b}, extent, cell=10, target=target)
    assert prof["crs"].to_epsg() == 4547 and prof["transform"].a == 10 and count.shape == (100, 100)
    assert (count == 2).sum() * 100 == pytest.approx(200 * 500)  # a ∩ b
    assert (count == 1).sum() * 100 == pytest.approx(600 * 1000 + 600 * 500 - 2 * 200 * 500)
    assert (count == 0).sum() * 100 == pytest.approx(400 * 500)  # east half of the north strip
    assert (unc == 1).sum() * 100 == pytest.approx(400 * 500)
    assert not (count == COUNT_NODATA).any()


def test_coverage_raster_outside_extent_is_nodata_and_geographic_input_is_projected():
    extent = gdf(box(0, 0, 1000, 1000), box(2000, 0, 3000, 1000)).to_crs(4326)
    layer = gdf(box(0, 0, 500, 1000)).to_crs(4326)
    count, unc, prof = coverage_raster({"x": layer}, extent, cell=20)
    assert prof["crs"].to_epsg() == 4547
    inside = count != COUNT_NODATA
    assert inside.sum() * 400 == pytest.approx(2e6, rel=2e-3)
    assert (count == 1).sum() * 400 == pytest.approx(5e5, rel=2e-3)
    assert (unc[~inside] == COUNT_NODATA).all()


def _write(path, arr, transform, crs, nodata=None):
    prof = {
        "driver": "GTiff",
        "height": arr.shape[0],
        "width": arr.shape[1],
        "count": 1,
        "dtype": arr.dtype,
        "crs": crs,
        "transform": transform,
        "nodata": nodata,
    }
    with rasterio.open(path, "w", **prof) as dst:
        dst.write(arr, 1)


@pytest.fixture
def classes_4547(tmp_path):
    # 100 x 100 cells of 10 m: west half class 1, east half class 2, a nodata block of 100 x 100 m
    arr = np.ones((100, 100), dtype="uint8")
    arr[:, 50:] = 2
    arr[0:10, 0:10] = 0
    p = tmp_path / "lu.tif"
    _write(p, arr, from_origin(X0, Y0 + 1000, 10, 10), "EPSG:4547", nodata=0)
    return p


def test_zonal_categorical_area_per_class_with_nodata_left_out(classes_4547):
    zones = gdf(box(0, 0, 1000, 1000), box(0, 0, 400, 400), zid=["all", "sw"])
    df = zonal_stats(classes_4547, zones, zone_id="zid", unit="m2")
    assert df.attrs["categorical"]
    got = df.set_index(["zone_id", "class"])
    assert got.loc[("all", 1), "area"] == pytest.approx(500 * 1000 - 100 * 100)
    assert got.loc[("all", 2), "area"] == pytest.approx(500 * 1000)
    assert got.loc[("all", 1), "nodata_area"] == pytest.approx(100 * 100)
    assert got.loc[("sw", 1), "area"] == pytest.approx(400 * 400) and ("sw", 2) not in got.index


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:3857"])
def test_zonal_areas_are_true_areas_whatever_the_raster_crs(tmp_path, crs, classes_4547):
    # the same land-use raster warped to degrees / Web Mercator (whose cells are ~17% too big here)
    from rasterio.warp import calculate_default_transform, reproject

    with rasterio.open(classes_4547) as src:
        tr, w, h = calculate_default_transform(
            src.crs, crs, src.width, src.height, *src.bounds, resolution=None
        )
        dst = np.zeros((h, w), dtype="uint8")
        reproject(
            src.read(1),
            dst,
            src_transform=src.transform,
            src_crs=src.crs,
            dst_transform=tr,
            dst_crs=crs,
            src_nodata=0,
            dst_nodata=0,
            resampling=rasterio.enums.Resampling.nearest,
        )
    p = tmp_path / "lu_other.tif"
    _write(p, dst, tr, crs, nodata=0)
    zones = gdf(box(100, 100, 900, 900), zid=["z"])
    df = zonal_stats(p, zones, zone_id="zid", unit="m2").set_index("class")
    assert df.loc[1, "area"] == pytest.approx(400 * 800, rel=0.03)
    assert df.loc[2, "area"] == pytest.approx(400 * 800, rel=0.03)


def test_zonal_continuous_mean_min_max(tmp_path):
    arr = np.tile(np.arange(100, dtype="float32"), (100, 1))  # value = column index
    arr[50, 50] = -9999
    p = tmp_path / "dem.tif"
    _write(p, arr, from_origin(X0, Y0 + 1000, 10, 10), "EPSG:4547", nodata=-9999)
    zones = gdf(box(0, 0, 200, 1000), box(400, 400, 600, 600), zid=["w", "c"])
    df = zonal_stats(p, zones, zone_id="zid").set_index("zone_id")
    assert not df.attrs["categorical"]
    assert (df.loc["w", "min"], df.loc["w", "max"]) == (0.0, 19.0) and df.loc[
        "w", "mean"
    ] == pytest.approx(9.5)
    assert df.loc["c", "cells"] == 399 and df.loc["c", "nodata_area"] == pytest.approx(100 / 1e6)
    assert df.loc["c", "mean"] == pytest.approx((np.arange(40, 60).sum() * 20 - 50) / 399)


def test_cli_raster_coverage_and_zonal(tmp_path):
    out = tmp_path / "cov.tif"
    rows = run_json(
        "raster",
        "coverage",
        "--out",
        out,
        "--cell",
        "50",
        "--layers",
        "sz20_parks,longgang_parks",
        "--unit",
        "km2",
    )
    comp = tmp_path / "cov_uncovered.tif"
    assert out.exists() and comp.exists()
    with rasterio.open(out) as src:
        assert src.crs.to_epsg() == 4547 and src.res == (50.0, 50.0) and src.nodata == COUNT_NODATA
        assert "indicative" in src.tags()["precision"]
        data = src.read(1)
    assert data[data != COUNT_NODATA].max() == 2  # Longgang's parks overlap the 20 parks there
    by = {r["what"]: r["area"] for r in rows}
    assert by["cells covered by 1 layer(s)"] == pytest.approx((data == 1).sum() * 2500 / 1e6)
    assert all("indicative" in r["precision"] for r in rows)
    z = run_json("raster", "zonal", out, "--by", "districts", "--categorical", "--unit", "km2")
    lg = {r["class"]: r["area"] for r in z if r["zone_id"] == "longgang"}
    assert lg[2] > 0 and lg[0] > lg[2]  # Longgang's parks lie inside the 20 parks there
    bad = tmp_path / "not.tif"
    bad.write_text("nothing")
    proc = run("raster", "zonal", bad, "--by", "districts", check=False)
    assert (
        proc.returncode == 2
        and "could not be read as a raster" in proc.stderr
        and "Traceback" not in proc.stderr
    )


def test_coverage_overlay_for_the_web_map_is_placed_in_degrees():
    import folium

    from landplan.web.raster_map import add_coverage_overlay, coverage_image

    extent = gdf(box(0, 0, 2000, 1000))
    count, _, prof = coverage_raster({"a": gdf(box(0, 0, 1000, 1000))}, extent, cell=10)
    image, bounds = coverage_image(count, prof)
    (s, w), (n, e) = bounds
    west, south, east, north = extent.to_crs(4326).total_bounds
    assert (s, w, n, e) == pytest.approx((south, west, north, east), abs=2e-4)  # within ~20 m
    coloured = image[..., 3] > 0
    assert coloured.mean() == pytest.approx(0.5, abs=0.02)  # the west half
    assert (
        coloured[:, : image.shape[1] // 2 - 2].all()
        and not coloured[:, image.shape[1] // 2 + 2 :].any()
    )
    m = folium.Map()
    assert add_coverage_overlay(m, {"a": gdf(box(0, 0, 1000, 1000))}, extent, cell=50, lang="en")
    assert "data:image/png;base64" in m.get_root().render()


def test_page_shows_the_coverage_raster_when_asked():
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from landplan.present.text import text

    at = AppTest.from_file(
        str(Path(__file__).resolve().parents[2] / "streamlit_app.py"), default_timeout=180
    ).run()
    box_ = next(c for c in at.sidebar.checkbox if c.label == text("zh")["raster"].format(cell=100))
    box_.check().run()
    assert not at.exception, at.exception
