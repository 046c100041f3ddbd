"""Properties that must hold for any input (hypothesis): areas, coverage, splits, offsets, file
round trips."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings, strategies as st

from geo.analysis import clip_to_zones, coverage, uncovered
from geo.areas import area
from geo.io import read_layer, write_layer
from geo.offsets import bd09_to_wgs84, gcj02_to_wgs84, wgs84_to_bd09, wgs84_to_gcj02

E0, N0 = 535_900.0, 2_510_000.0  # Pingshan, EPSG:4547 metres
FAST = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
SLOW = settings(FAST, max_examples=200)
IO = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@st.composite
def polygons(draw, span=2000.0):
    """A polygon with positive area in EPSG:4547 near Pingshan: the convex hull of 3-8 points."""
    pts = draw(st.lists(st.tuples(st.floats(0, span), st.floats(0, span)), min_size=3, max_size=8))
    hull = shapely.convex_hull(shapely.multipoints(np.asarray(pts) + [E0, N0]))
    if hull.geom_type != "Polygon" or hull.area < 1.0:
        hull = shapely.box(E0 + pts[0][0], N0 + pts[0][1], E0 + pts[0][0] + 10, N0 + pts[0][1] + 10)
    return hull


def _layer(*geoms, crs=4547):
    return gpd.GeoDataFrame({"fid": range(len(geoms))}, geometry=list(geoms), crs=crs)


def _m2(*geoms) -> float:
    return float(area(_layer(*geoms), "m2").sum())


@FAST
@given(polygons(), polygons())
def test_area_of_union_is_sum_minus_intersection(a, b):
    # GEOS may return a collection (a polygon and a degenerate line where two edges nearly
    # coincide): its polygonal parts are the area, as an overlay keeps them
    union, inter = _polygonal(shapely.union(a, b)), _polygonal(shapely.intersection(a, b))
    inter_m2 = _m2(*inter) if inter else 0.0
    assert _m2(*union) == pytest.approx(_m2(a) + _m2(b) - inter_m2, rel=1e-9, abs=1e-6)


def _polygonal(geom) -> list:
    """The non-empty polygons of ``geom`` (a polygon, multipolygon or collection)."""
    parts = shapely.get_parts(geom)
    return [g for g in parts if g.geom_type == "Polygon" and not g.is_empty]


@SLOW
@given(
    st.lists(polygons(), min_size=1, max_size=6),
    st.lists(polygons(span=3000), min_size=1, max_size=3),
)
def test_coverage_plus_uncovered_is_zone_area(parks, zones):
    zone_layer = _layer(*zones).assign(zone=[f"z{i}" for i in range(len(zones))])
    cov = coverage(_layer(*parks), by=zone_layer, zone_id="zone", unit="m2")
    holes = uncovered(_layer(*parks), by=zone_layer, zone_id="zone")
    got = cov["covered_area"].to_numpy() + holes["uncovered_m2"].to_numpy()
    # two different overlays (intersection vs difference) agree to floating-point noise at 2.5e6 m
    # coordinates
    assert got == pytest.approx(cov["zone_area"].to_numpy(), rel=1e-6, abs=1e-3)
    assert (cov["covered_area"] <= cov["zone_area"] + 1e-4).all()


@FAST
@given(
    st.lists(polygons(), min_size=1, max_size=5),
    st.lists(st.floats(1, 1999), min_size=1, max_size=4),
    st.lists(st.floats(1, 1999), min_size=1, max_size=4),
)
def test_split_parts_sum_to_the_whole(parks, xs, ys):
    """Features cut by a grid of zones: the pieces of each feature add up to the feature."""
    xe = np.unique(np.r_[-10.0, xs, 2010.0]) + E0
    ye = np.unique(np.r_[-10.0, ys, 2010.0]) + N0
    cells = [
        shapely.box(x0, y0, x1, y1)
        for x0, x1 in zip(xe[:-1], xe[1:])
        for y0, y1 in zip(ye[:-1], ye[1:])
    ]
    layer = _layer(*parks)
    il, iz, pieces = clip_to_zones(layer, _layer(*cells))
    per_feature = np.bincount(il, weights=shapely.area(pieces), minlength=len(parks))
    assert per_feature == pytest.approx(
        shapely.area(np.array(parks, dtype=object)), rel=1e-9, abs=1e-6
    )
    assert (np.bincount(il, minlength=len(parks)) >= 1).all()  # nothing lost


def _metres(lon0, lat0, lon1, lat1):
    dx = (np.asarray(lon1) - lon0) * 111_320.0 * np.cos(np.radians(lat0))
    dy = (np.asarray(lat1) - lat0) * 110_574.0
    return np.hypot(dx, dy)


lonlats = st.lists(
    st.tuples(st.floats(73.7, 134.9), st.floats(18.2, 53.4)), min_size=1, max_size=50
)


@pytest.mark.parametrize(
    "forward,inverse",
    [(wgs84_to_gcj02, gcj02_to_wgs84), (wgs84_to_bd09, bd09_to_wgs84)],
    ids=["gcj02", "bd09"],
)
@FAST
@given(pts=lonlats)
def test_offset_round_trip_under_a_centimetre(forward, inverse, pts):
    lon, lat = np.asarray(pts).T
    back = inverse(*forward(lon, lat))
    assert _metres(lon, lat, *back).max() < 0.01
    assert _metres(lon, lat, *forward(*inverse(lon, lat))).max() < 0.01  # and the other way round


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
text = st.text(
    st.one_of(CJK, st.sampled_from("abcXYZ0123456789-_（）、，。·")), min_size=1, max_size=60
)


@st.composite
def layers_(draw):
    n = draw(st.integers(1, 6))
    geoms = [draw(polygons()) for _ in range(n)]
    return gpd.GeoDataFrame(
        {
            "名称": draw(st.lists(text, min_size=n, max_size=n)),
            "说明": draw(st.lists(text, min_size=n, max_size=n)),
            "count": draw(st.lists(st.integers(-(10**6), 10**6), min_size=n, max_size=n)),
            "area_mu": draw(
                st.lists(st.integers(0, 10**7).map(lambda v: v / 100), min_size=n, max_size=n)
            ),
        },
        geometry=geoms,
        crs=4547,
    ).to_crs(4326)


@pytest.mark.parametrize("suffix", [".gpkg", ".shp", ".geojson", ".csv"])
@IO
@given(layers_())
def test_export_then_import_gives_back_fields_text_and_geometry(tmp_path_factory, suffix, gdf):
    path = tmp_path_factory.mktemp("rt") / f"layer{suffix}"
    write_layer(gdf, path)
    back = read_layer(path, crs="EPSG:4326" if suffix == ".csv" else None)
    assert len(back) == len(gdf)
    for col in ("名称", "说明", "count"):
        assert back[col].tolist() == gdf[col].tolist(), col
    assert np.allclose(back["area_mu"].astype(float), gdf["area_mu"], rtol=0, atol=1e-9)
    assert back.crs.to_epsg() == 4326
    for a, b in zip(back.geometry, gdf.geometry):
        assert shapely.equals_exact(shapely.normalize(a), shapely.normalize(b), tolerance=1e-9)
