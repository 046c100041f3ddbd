"""Offset systems, CRS parsing, units and areas (geo/ is generic; these are known shapes)."""

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo import (
    CRSError,
    GeometryTypeError,
    LandplanError,
    area,
    area_crs,
    convert_area,
    parse_crs,
    to_wgs84,
)
from geo.offsets import bd09_to_wgs84, gcj02_to_wgs84, wgs84_to_bd09, wgs84_to_gcj02

M_PER_DEG = 111_320.0


def _shenzhen_points(n=20_000, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(113.75, 115.6, n), rng.uniform(22.4, 23.3, n)


@pytest.mark.parametrize(
    "forward,inverse", [(wgs84_to_gcj02, gcj02_to_wgs84), (wgs84_to_bd09, bd09_to_wgs84)]
)
def test_offset_round_trip_within_1cm_over_shenzhen(forward, inverse):
    lon, lat = _shenzhen_points()
    back_lon, back_lat = inverse(*forward(lon, lat))
    err_m = np.hypot(
        (back_lon - lon) * M_PER_DEG * np.cos(np.radians(lat)), (back_lat - lat) * M_PER_DEG
    )
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
    gcj = wgs.set_geometry(
        shapely.transform(
            wgs.geometry.values, lambda c: np.column_stack(wgs84_to_gcj02(c[:, 0], c[:, 1]))
        )
    )
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
    assert parse_crs(str(prj)).equals(parse_crs(4547)) or parse_crs(str(prj)).name.startswith(
        "CGCS2000"
    )
    with pytest.raises(CRSError, match="not understood"):
        parse_crs("not a crs")


def test_area_refuses_points_and_missing_crs():
    from geo import require_polygons

    pts = gpd.GeoDataFrame(geometry=[shapely.Point(114, 22.5)], crs=4326)
    with pytest.raises(GeometryTypeError, match="needs polygons"):
        require_polygons(pts)
    with pytest.raises(CRSError, match="no coordinate system"):
        area(gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1)]))


# ---------------------------------------------------------------- the GCJ-02/BD-09 offset check


def _shift(gdf, forward):
    return gdf.set_geometry(
        shapely.transform(gdf.geometry.values, lambda c: np.column_stack(forward(c[:, 0], c[:, 1])))
    )


def _shares_by_definition(gdf, reference, tol_m=30.0, sample=2000):
    """The check written out plainly (every vertex, the distance to the union of the outlines):
    the share of sampled vertices within tol_m of the outlines as read, after undoing GCJ-02, after
    undoing BD-09."""
    from geo.crs import gauss_kruger_crs, transformer

    xy = shapely.get_coordinates(gdf.geometry.values)
    xy = xy[np.linspace(0, len(xy) - 1, sample).astype(int)] if len(xy) > sample else xy
    to_m = transformer(
        gpd.GeoSeries([], crs=4326).crs, gauss_kruger_crs(float(np.median(xy[:, 0])))
    )
    outline = shapely.union_all(shapely.boundary(reference.geometry.values))
    outline = shapely.transform(
        outline, lambda c: np.column_stack(to_m.transform(c[:, 0], c[:, 1]))
    )

    def share(lon, lat):
        return float(
            (
                shapely.distance(shapely.points(np.column_stack(to_m.transform(lon, lat))), outline)
                <= tol_m
            ).mean()
        )

    return (
        share(xy[:, 0], xy[:, 1]),
        share(*gcj02_to_wgs84(xy[:, 0], xy[:, 1])),
        share(*bd09_to_wgs84(xy[:, 0], xy[:, 1])),
    )


@pytest.fixture(scope="module")
def district_outlines():
    import layers

    d = layers.load("districts")
    return d[d.geometry.notna()][["district_id", "geometry"]]


@pytest.mark.parametrize("system", [None, "gcj02", "bd09"])
def test_offset_check_decides_as_by_definition(district_outlines, system):
    """Outlines copied from a web map (shifted) are named by their system, true outlines are not;
    the shares
    are those of the plain definition (every vertex's distance to the outlines)."""
    from geo.offset_check import offset_suspect
    from geo.synthetic import voronoi_cells

    forward = {None: None, "gcj02": wgs84_to_gcj02, "bd09": wgs84_to_bd09}[system]
    copied = district_outlines if forward is None else _shift(district_outlines, forward)
    got = offset_suspect(copied, district_outlines)
    as_read, gcj, bd = _shares_by_definition(copied, district_outlines)
    if system is None:
        assert got is None and as_read > 0.99
    else:
        assert got is not None and got[0] == system
        assert got[1] == pytest.approx(as_read, abs=1e-12) and got[2] == pytest.approx(
            gcj if system == "gcj02" else bd, abs=1e-12
        )
        assert got[2] > 0.99 and got[1] < 0.05
    # parcels tiling the districts, as users have them: only the cells along the outlines share its
    # edges
    cells = voronoi_cells(district_outlines.to_crs(4547).iloc[:2], 1500, seed=3).to_crs(4326)
    cells = cells if forward is None else _shift(cells, forward)
    assert (
        offset_suspect(cells, district_outlines) is None
    )  # too few vertices on the outlines to judge


@pytest.mark.parametrize("system", [None, "gcj02", "bd09"])
def test_offset_check_on_a_large_layer_samples_it_and_decides_the_same(district_outlines, system):
    """More features than the sample (12k outline vertices as points): the same decision as the
    definition."""
    from geo.offset_check import offset_suspect

    pts = gpd.GeoDataFrame(
        geometry=shapely.points(shapely.get_coordinates(district_outlines.geometry.values)),
        crs=4326,
    )
    assert len(pts) > 10_000
    forward = {None: None, "gcj02": wgs84_to_gcj02, "bd09": wgs84_to_bd09}[system]
    got = offset_suspect(pts if forward is None else _shift(pts, forward), district_outlines)
    assert (got and got[0]) == (system or None)


def test_offset_check_skips_layers_away_from_the_reference(district_outlines, monkeypatch):
    """A layer nowhere near the reference (here: the outlines moved to Europe) is not compared at
    all."""
    import geo.offset_check
    from geo.offset_check import offset_suspect

    far = district_outlines.set_geometry(
        shapely.transform(district_outlines.geometry.values, lambda c: c - [110.0, -26.0])
    )
    calls, dwithin = [], shapely.dwithin
    monkeypatch.setattr(
        geo.offset_check.shapely, "dwithin", lambda *a, **k: calls.append(a) or dwithin(*a, **k)
    )
    assert offset_suspect(far, district_outlines) is None
    assert calls == []
    assert (
        offset_suspect(_shift(district_outlines, wgs84_to_gcj02), district_outlines)[0] == "gcj02"
        and calls
    )
