"""The direct lon/lat <-> Gauss-Kruger transformer gives PROJ's own coordinates."""

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import CRS, Transformer

from geo.crs import area_crs, transform_layer, transformer


@pytest.mark.parametrize(
    "src,dst", [(4326, 4547), (4490, 4547), (4547, 4326), (4326, 4549), (4545, 4490)]
)
def test_direct_pipeline_equals_proj(src, dst):
    rng = np.random.default_rng(src + dst)
    lon, lat = rng.uniform(108, 121, 500), rng.uniform(18, 40, 500)
    if CRS.from_epsg(src).is_projected:  # start from projected coordinates of the same places
        lon, lat = Transformer.from_crs(4326, src, always_xy=True).transform(lon, lat)
    ours = transformer(CRS.from_epsg(src), CRS.from_epsg(dst)).transform(lon, lat)
    proj = Transformer.from_crs(src, dst, always_xy=True).transform(lon, lat)
    tol = 1e-9 if CRS.from_epsg(dst).is_geographic else 1e-6  # degrees / metres
    np.testing.assert_allclose(ours[0], proj[0], rtol=0, atol=tol)
    np.testing.assert_allclose(ours[1], proj[1], rtol=0, atol=tol)


def test_other_crs_pairs_go_through_proj():
    tr = transformer(CRS.from_epsg(4326), CRS.from_epsg(3857))
    assert tr.transform(114.0, 22.5) == pytest.approx(
        Transformer.from_crs(4326, 3857, always_xy=True).transform(114.0, 22.5)
    )


def test_transform_layer_matches_to_crs_and_area_crs_uses_the_centre():
    g = gpd.GeoDataFrame(
        {"n": [1, 2]},
        geometry=[shapely.box(114.0, 22.5, 114.1, 22.6), shapely.Point(114.3, 22.7).buffer(0.01)],
        crs=4326,
    )
    a, b = transform_layer(g, 4547), g.to_crs(4547)
    assert a.crs.equals(b.crs)
    assert shapely.equals_exact(a.geometry.values, b.geometry.values, tolerance=1e-6).all()
    assert area_crs(b).to_epsg() == 4547 and area_crs(g).to_epsg() == 4547
    far = g.to_crs(4549)  # CM 120E: a layer around 114E stays in its own zone
    assert area_crs(far).to_epsg() == 4547
