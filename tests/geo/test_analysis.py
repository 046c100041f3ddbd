"""coverage / overlaps / uncovered on shapes whose answers are known by construction."""

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo.analysis import coverage, overlaps, uncovered

from ..conftest import X0, Y0, box


def test_coverage_splits_crossing_features_and_counts_overlaps_once(zones):
    layer = gpd.GeoDataFrame(
        {"pid": ["a", "b", "c"]},
        geometry=[
            box(500, 0, 1500, 500),  # crosses the boundary: 0.25 km² west, 0.25 km² east
            box(500, 0, 1000, 500),  # entirely inside a, so adds nothing to coverage
            box(1500, 500, 2000, 1000),  # 0.25 km² east
        ],
        crs=4547,
    )
    cov = coverage(layer, by=zones, zone_id="zid", unit="km2").set_index("zone_id")
    assert cov.loc["west", "covered_area"] == pytest.approx(0.25, rel=1e-12)
    assert cov.loc["east", "covered_area"] == pytest.approx(0.50, rel=1e-12)
    assert cov.loc["east", "covered_pct"] == pytest.approx(50.0)
    assert cov.loc["west", "feature_count"] == 2 and cov.loc["east", "feature_count"] == 2
    assert set(cov["unit"]) == {"km2"}


def test_coverage_plus_uncovered_equals_zone_area(zones):
    rng = np.random.default_rng(1)
    pts = rng.uniform(0, 2000, size=(40, 2))
    layer = gpd.GeoDataFrame(geometry=shapely.buffer(shapely.points(pts + [X0, Y0]), 120), crs=4547)
    cov = coverage(layer, by=zones, zone_id="zid", unit="m2")
    holes = uncovered(layer, by=zones, zone_id="zid")
    np.testing.assert_allclose(
        cov["covered_area"] + holes["uncovered_m2"].to_numpy(), cov["zone_area"], rtol=1e-9
    )
    np.testing.assert_allclose(
        cov["covered_area"] + cov["uncovered_area"], cov["zone_area"], rtol=1e-12
    )


def test_split_parts_sum_to_the_whole(zones):
    rng = np.random.default_rng(2)
    pts = rng.uniform(0, 2000, size=(60, 2))
    layer = gpd.GeoDataFrame(geometry=shapely.buffer(shapely.points(pts + [X0, Y0]), 60), crs=4547)
    layer = layer[
        layer.within(shapely.union_all(zones.geometry))
    ]  # whole features all inside zones
    merged = shapely.union_all(layer.geometry.values)
    cov = coverage(layer, by=zones, unit="m2")
    assert cov["covered_area"].sum() == pytest.approx(merged.area, rel=1e-9)


def test_coverage_in_mu_and_on_geographic_input(zones):
    layer = gpd.GeoDataFrame(geometry=[box(0, 0, 1000, 1000)], crs=4547)
    cov = coverage(layer.to_crs(4326), by=zones.to_crs(4326), unit="mu")
    assert cov["covered_area"].iloc[0] == pytest.approx(1500.0, rel=1e-6)


def test_overlaps_are_symmetric_and_total_double_counted():
    a = gpd.GeoDataFrame(
        {"id": ["a1", "a2"]}, geometry=[box(0, 0, 1000, 1000), box(3000, 0, 4000, 1000)], crs=4547
    )
    b = gpd.GeoDataFrame({"id": ["b1"]}, geometry=[box(500, 500, 1500, 1500)], crs=4547)
    ab = overlaps(a, b, id_col="id", unit="km2")
    ba = overlaps(b, a, id_col="id", unit="km2")
    assert list(zip(ab.a_id, ab.b_id)) == [("a1", "b1")]
    assert list(zip(ba.a_id, ba.b_id)) == [("b1", "a1")]
    assert ab["area"].iloc[0] == pytest.approx(0.25) == ba["area"].iloc[0]
    assert ab.attrs["double_counted"] == pytest.approx(0.25)


def test_overlaps_within_one_layer_ignores_touching_edges():
    layer = gpd.GeoDataFrame(
        {"id": ["p", "q", "r"]},
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000), box(900, 900, 1100, 1100)],
        crs=4547,
    )
    ov = overlaps(layer, id_col="id", unit="m2")
    assert sorted(zip(ov.a_id, ov.b_id)) == [("p", "r"), ("q", "r")]
    assert ov["area"].sum() == pytest.approx(2 * 100 * 100)


def test_coverage_of_a_tiling_equals_the_clipped_areas(zones):
    """Voronoi cells tile the extent (the fast path: a valid coverage has no overlaps)."""
    from geo.synthetic import voronoi_cells

    extent = gpd.GeoDataFrame(geometry=[box(-500, -500, 2500, 1500)], crs=4547)
    cells = voronoi_cells(extent, 300, seed=3)
    assert cells["synthetic"].all()
    cov = coverage(cells, by=zones, zone_id="zid", unit="m2")
    # the cells tile the extent, which contains both zones: each zone is fully covered
    np.testing.assert_allclose(cov["covered_area"], cov["zone_area"], rtol=1e-9)
    # and the total area of the cells equals the extent: nothing lost or counted twice
    assert cells.area.sum() == pytest.approx(extent.area.iloc[0], rel=1e-9)


def test_overlap_across_parallel_slabs_is_found():
    """An overlap in a large layer, by a feature reaching far beyond the cell it overlaps, counts
    once."""
    import os

    n = 110  # 12,100 cells: enough for several slabs
    x0, y0 = 500_000.0, 2_500_000.0  # in Shenzhen, EPSG:4547
    xs, ys = np.meshgrid(x0 + np.arange(n) * 100.0, y0 + np.arange(n) * 100.0)
    cells = shapely.box(xs.ravel(), ys.ravel(), xs.ravel() + 100, ys.ravel() + 100)
    # overlaps one cell just left of the middle (where slabs meet) but reaches far right, above the
    # grid: its box's centre is in the right slab, the cell it overlaps in the left one
    top = y0 + n * 100
    extra = shapely.Polygon(
        [
            (x0 + 5490, top - 50),
            (x0 + 5499, top - 50),
            (x0 + 5499, top + 10),
            (x0 + 5900, top + 10),
            (x0 + 5900, top + 60),
            (x0 + 5490, top + 60),
        ]
    )
    layer = gpd.GeoDataFrame(geometry=np.r_[cells, extra], crs=4547)
    zone = gpd.GeoDataFrame(
        {"z": ["all"]}, geometry=[shapely.box(x0, y0, x0 + n * 100, y0 + n * 100)], crs=4547
    )
    got = coverage(layer, zone, zone_id="z", unit="m2")
    assert got["covered_area"].iloc[0] == pytest.approx(
        n * n * 100 * 100, rel=1e-12
    )  # the 450 m² once
    assert (os.cpu_count() or 1) < 2 or len(layer) // 5000 >= 2


def test_in_threads_gives_the_element_wise_result_in_order(monkeypatch):
    """Validity in chunks on several threads: the same flags, in the same order, as one call."""
    import numpy as np
    import shapely

    import geo.threads as threads

    rng = np.random.default_rng(3)
    boxes = shapely.box(
        *rng.uniform(0, 100, size=(2, 16_000)), *rng.uniform(100, 200, size=(2, 16_000))
    )
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    geoms = boxes.copy()
    bad = rng.choice(len(geoms), 300, replace=False)
    geoms[bad] = bowtie
    monkeypatch.setattr(threads, "cores", lambda: 3)  # three chunks even on a one-core machine
    calls = []
    flags = threads.in_threads(lambda g: calls.append(len(g)) or shapely.is_valid(g), geoms)
    assert len(calls) == 3 and sum(calls) == len(geoms)
    assert (flags == shapely.is_valid(geoms)).all() and (~flags).sum() == 300
    assert (
        len(threads.in_threads(lambda g: calls.append(len(g)) or shapely.is_valid(g), geoms[:100]))
        == 100
    )
    assert calls[-1] == 100  # too few for chunks: one call


def _voronoi_square(n, seed, size=1000.0):
    rng = np.random.default_rng(seed)
    x0, y0 = 500_000.0, 2_500_000.0
    square = shapely.box(x0, y0, x0 + size, y0 + size)
    pts = shapely.multipoints(rng.uniform(0, size, (n, 2)) + [x0, y0])
    cells = shapely.get_parts(shapely.voronoi_polygons(pts, extend_to=square))
    return shapely.intersection(cells, square), square


def _tiling_and(extra, tiling, second, every, by):
    """A Voronoi tiling (cells, seed), with every ``every``-th cell buffered by ``by`` metres added
    ("buffered"), or a second tiling (cells, seed) of the same square ("two_tilings")."""
    geoms, _ = _voronoi_square(*tiling)
    if extra == "buffered":
        geoms = np.r_[geoms, shapely.buffer(geoms[::every], by)]
    elif extra == "two_tilings":
        geoms = np.r_[geoms, _voronoi_square(*second)[0]]
    return np.asarray(geoms, dtype=object)


def _every_pair_flags(geoms):
    """The overlap flags a test of every touching pair gives."""
    from geo.overlap_flags import interior_overlap_pairs

    want = np.zeros(len(geoms), dtype=bool)
    a, b = interior_overlap_pairs(geoms)
    want[a] = want[b] = True
    return want


def test_two_survey_vintages_merged_in_one_layer_count_once():
    """Two different tilings of the same land in one layer (two years' parcel surveys merged): every
    edge of each is matched within its own survey, yet every parcel overlaps the other survey's.
    The covered area is the land's, once."""
    first, square = _voronoi_square(300, 1)
    second, _ = _voronoi_square(200, 2)
    layer = gpd.GeoDataFrame(geometry=np.r_[first, second], crs=4547)
    zone = gpd.GeoDataFrame({"z": ["big"]}, geometry=[square.buffer(500)], crs=4547)
    got = coverage(layer, zone, zone_id="z", unit="m2")
    assert got["covered_area"].iloc[0] == pytest.approx(square.area, rel=1e-9)


@pytest.mark.parametrize("kind", ["tiling", "buffered", "duplicates", "two_tilings", "holes", "cw"])
def test_overlap_flags_equal_a_test_of_every_pair(kind):
    """The edge-matching overlap test flags exactly the features a test of every touching pair
    flags, on tilings, overlaps, duplicates, holes filled by other parcels, multipolygons and
    rings of either orientation."""
    from geo.overlap_flags import overlapping_features

    for seed in range(4):
        geoms, _ = _voronoi_square(150, seed)
        if kind == "buffered":
            geoms = np.r_[geoms, shapely.buffer(geoms[:3], 5.0)]
        elif kind == "duplicates":
            geoms = np.r_[geoms, geoms[:2]]
        elif kind == "two_tilings":
            geoms = np.r_[geoms, _voronoi_square(100, seed + 100)[0]]
        elif kind == "holes":
            merged = shapely.union_all(geoms[:2])  # two neighbours as one multi-part parcel
            hole = shapely.buffer(shapely.centroid(geoms[5]), 3.0)
            far = shapely.MultiPolygon(
                [
                    shapely.box(510_000, 2_500_000, 510_010, 2_500_010),
                    shapely.box(510_020, 2_500_000, 510_030, 2_500_010),
                ]
            )
            geoms = np.r_[
                [merged], geoms[2:5], [shapely.difference(geoms[5], hole), hole], geoms[6:], [far]
            ]
        elif kind == "cw":
            geoms = np.array([shapely.reverse(g) if i % 2 else g for i, g in enumerate(geoms)])
        geoms = np.asarray(geoms, dtype=object)
        want = _every_pair_flags(geoms)
        got = overlapping_features(geoms)
        assert (got == want).all(), (kind, seed, int(got.sum()), int(want.sum()))
        # the coverage engine hands over the STRtree it built for the zones: the same flags
        assert (overlapping_features(geoms, tree=shapely.STRtree(geoms)) == want).all()
        assert want.any() == (kind in ("buffered", "duplicates", "two_tilings"))


def test_in_threads_takes_several_arrays_element_by_element(monkeypatch):
    import geo.threads as threads

    rng = np.random.default_rng(5)
    a = shapely.box(
        *rng.uniform(0, 100, size=(2, 12_000)), *rng.uniform(100, 200, size=(2, 12_000))
    )
    b = shapely.box(
        *rng.uniform(150, 250, size=(2, 12_000)), *rng.uniform(250, 350, size=(2, 12_000))
    )
    monkeypatch.setattr(threads, "cores", lambda: 2)
    got = threads.in_threads(shapely.intersects, a, b)
    assert (got == shapely.intersects(a, b)).all() and got.any() and not got.all()


@pytest.mark.parametrize("extra", ["buffered", "two_tilings", "none"])
def test_overlap_flags_in_slabs_equal_a_test_of_every_pair(extra, monkeypatch):
    """Large layers are matched slab by slab (memory); a polygon goes into every slab its box
    touches, so overlaps across a slab's side are still found, and nothing else is flagged."""
    import geo.overlap_flags as overlay

    geoms = _tiling_and(extra, (300, 11), (200, 12), every=40, by=8.0)
    want = _every_pair_flags(geoms)
    monkeypatch.setattr(overlay, "SLAB", 70)  # five or more slabs
    assert (overlay.overlapping_features(geoms) == want).all()
    assert overlay.unmatched_edge_features(geoms) is None  # too many to match at once


@pytest.mark.parametrize("kind", ["buffered", "two_tilings", "tiling"])
def test_candidates_are_flagged_for_overlapping_a_candidate_whether_or_not_all_were_matched(kind):
    """The coverage command matches the edges of every feature it read while it works out which
    reach a zone; the candidates' flags are then those of a test among the candidates alone (a
    candidate overlapping only a feature outside every zone is summed, not united), so both roads
    give the same figures to the last bit."""
    from geo.overlap_flags import overlapping_features, unmatched_edge_features

    geoms = _tiling_and(kind, (200, 21), (150, 22), every=10, by=6.0)
    cand = np.flatnonzero(shapely.get_x(shapely.centroid(geoms)) < 500_500.0)  # the west half
    want = np.zeros(len(geoms), dtype=bool)
    want[cand] = _every_pair_flags(geoms[cand])
    every = overlapping_features(geoms, suspects=unmatched_edge_features(geoms))
    got = overlapping_features(geoms, cand, suspects=unmatched_edge_features(geoms))
    assert (got == want).all() and (overlapping_features(geoms, cand) == want).all()
    tree = shapely.STRtree(geoms)
    got = overlapping_features(geoms, cand, suspects=unmatched_edge_features(geoms), tree=tree)
    assert (got == want).all() and (overlapping_features(geoms, cand, tree=tree) == want).all()
    if kind == "buffered":  # some candidate overlaps only features east of the line
        assert (every[cand] & ~want[cand]).any()
