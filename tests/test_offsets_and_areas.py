"""Offset systems, CRS parsing, units and areas (geo/ is generic; these are known shapes)."""
import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo import CRSError, GeometryTypeError, LandplanError, area, area_crs, convert_area, parse_crs, to_wgs84
from geo.offsets import (bd09_to_wgs84, gcj02_to_wgs84, wgs84_to_bd09, wgs84_to_gcj02)

M_PER_DEG = 111_320.0


def _shenzhen_points(n=20_000, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(113.75, 115.6, n), rng.uniform(22.4, 23.3, n)


@pytest.mark.parametrize("forward,inverse", [(wgs84_to_gcj02, gcj02_to_wgs84), (wgs84_to_bd09, bd09_to_wgs84)])
def test_offset_round_trip_within_1cm_over_shenzhen(forward, inverse):
    lon, lat = _shenzhen_points()
    back_lon, back_lat = inverse(*forward(lon, lat))
    err_m = np.hypot((back_lon - lon) * M_PER_DEG * np.cos(np.radians(lat)), (back_lat - lat) * M_PER_DEG)
    assert err_m.max() < 0.01


def test_gcj02_offset_is_hundreds_of_metres_in_shenzhen():
    lon, lat = 114.0579, 22.5431  # Futian
    glon, glat = wgs84_to_gcj02(lon, lat)
    shift = np.hypot((glon - lon) * M_PER_DEG * np.cos(np.radians(lat)), (glat - lat) * M_PER_DEG)
    assert 300 < shift < 800


def test_gcj02_is_identity_outside_china():
    lon, lat = wgs84_to_gcj02(np.array([2.35]), np.array([48.85]))
    assert lon[0] == 2.35 and lat[0] == 48.85


def test_to_wgs84_from_gcj02_layer():
    wgs = gpd.GeoDataFrame(geometry=[shapely.box(114.0, 22.5, 114.01, 22.51)], crs=4326)
    gcj = wgs.set_geometry(shapely.transform(wgs.geometry.values, lambda c: np.column_stack(wgs84_to_gcj02(c[:, 0], c[:, 1]))))
    back = to_wgs84(gcj.set_crs(None, allow_override=True), crs="gcj02")
    assert back.crs.to_epsg() == 4326
    assert back.attrs["source_crs"] == "gcj02"
    assert shapely.equals_exact(back.geometry.iloc[0], wgs.geometry.iloc[0], tolerance=1e-9)


def test_area_of_known_square_in_every_unit():
    # a 1000 m x 1000 m square in EPSG:4547 is exactly 1 km² = 100 ha = 1500 mu
    sq = gpd.GeoDataFrame(geometry=[shapely.box(500_000, 2_500_000, 501_000, 2_501_000)], crs=4547)
    assert area(sq, "km2").iloc[0] == pytest.approx(1.0, rel=1e-12)
    assert area(sq, "ha").iloc[0] == pytest.approx(100.0, rel=1e-12)
    assert area(sq, "mu").iloc[0] == pytest.approx(1500.0, rel=1e-12)
    assert area(sq, "m2").iloc[0] == pytest.approx(1e6, rel=1e-12)
    assert area(sq, "万m2").iloc[0] == pytest.approx(100.0, rel=1e-12)
    # the same square read in degrees is measured back in 4547, not in degrees
    assert area(sq.to_crs(4326), "km2").iloc[0] == pytest.approx(1.0, rel=1e-6)
    # ellipsoidal: Gauss-Kruger near the central meridian has scale ~1, so they agree closely
    assert area(sq, "km2", ellipsoidal=True).iloc[0] == pytest.approx(1.0, rel=1e-3)


def test_units_convert_both_ways():
    assert convert_area(1.0, "km2", "mu") == pytest.approx(1500.0)
    assert convert_area(15.0, "mu", "ha") == pytest.approx(1.0)
    with pytest.raises(LandplanError, match="Unknown unit"):
        convert_area(1.0, "acre", "km2")


def test_area_crs_picks_gauss_kruger_zone_by_longitude():
    def layer(lon, lat):
        return gpd.GeoDataFrame(geometry=[shapely.Point(lon, lat).buffer(0.01)], crs=4326)
    assert area_crs(layer(114.1, 22.6)).to_epsg() == 4547
    assert area_crs(layer(116.4, 39.9)).to_epsg() == 4548  # Beijing: CM 117E
    assert area_crs(layer(2.35, 48.85)).is_projected  # outside China: equal-area LAEA
    assert "laea" in area_crs(layer(2.35, 48.85)).to_proj4()


def test_parse_crs_forms(tmp_path):
    assert parse_crs("EPSG:4547").to_epsg() == 4547
    assert parse_crs("4326").to_epsg() == 4326
    assert parse_crs("CGCS2000").to_epsg() == 4490
    assert parse_crs("GCJ-02") == "gcj02" and parse_crs("baidu") == "bd09"
    prj = tmp_path / "x.prj"
    prj.write_text(parse_crs(4547).to_wkt("WKT1_ESRI"))
    assert parse_crs(str(prj)).equals(parse_crs(4547)) or parse_crs(str(prj)).name.startswith("CGCS2000")
    with pytest.raises(CRSError, match="not understood"):
        parse_crs("not a crs")


def test_area_refuses_points_and_missing_crs():
    from geo import require_polygons
    pts = gpd.GeoDataFrame(geometry=[shapely.Point(114, 22.5)], crs=4326)
    with pytest.raises(GeometryTypeError, match="needs polygons"):
        require_polygons(pts)
    with pytest.raises(CRSError, match="no coordinate system"):
        area(gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1)]))
