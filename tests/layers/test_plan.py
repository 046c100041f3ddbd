"""The plan (layers.plan): one computed set of figures, overlaps classified once."""

import itertools

import geopandas as gpd
import numpy as np
import pytest
import shapely

import layers
from layers.plan import compute_plan
from layers.store import Scenario
from layers.supply import target_supply


def _m2(geoms) -> float:
    g = gpd.GeoSeries(geoms, crs=4326).to_crs(4547)
    return float(shapely.area(shapely.union_all(g.values))) if len(g) else 0.0


def _parks_in(district: str, n: int, size_m: float, overlap_m: float = 0.0):
    """``n`` square parks in a row inside a district, each ``overlap_m`` into the next."""
    d = layers.load("districts")
    zone = d[d["district_id"] == district].to_crs(4547).geometry.iloc[0]
    c = shapely.point_on_surface(zone)
    step = size_m - overlap_m
    boxes = [
        shapely.box(c.x + i * step, c.y, c.x + i * step + size_m, c.y + size_m) for i in range(n)
    ]
    return gpd.GeoDataFrame(
        {"name": [f"园区{i + 1}" for i in range(n)]}, geometry=boxes, crs=4547
    ).to_crs(4326)


def test_catalog_overlaps_are_listed_once_and_only_parks_of_one_total_double_count():
    plan = compute_plan()
    ov = plan.overlaps
    places = set()
    for r in ov.itertuples():
        key = frozenset((r.a_id, r.b_id))
        assert key not in places
        places.add(key)
    # each physical overlap once: a place recorded in two layers (same_as) does not repeat it
    parks = layers.load("sz20_parks")
    same = dict(zip(parks["feature_id"], parks["same_as"]))
    for r in ov[ov["kind"] != "same_place"].itertuples():
        for other in r.also:
            a, b = (x.split(":", 1)[1] for x in other.split(" × "))
            assert {same.get(r.a_feature, r.a_feature), same.get(r.b_feature, r.b_feature)} & {
                a,
                b,
                same.get(a, a),
                same.get(b, b),
            }
    # the double counts are exactly the overlaps between two of the 20 parks, measured directly
    outlined = parks[parks.geometry.notna()].to_crs(4547)
    pieces = [
        shapely.intersection(x, y)
        for x, y in itertools.combinations(outlined.geometry.values, 2)
        if shapely.area(shapely.intersection(x, y)) > 1.0
    ]
    expected = float(shapely.area(shapely.union_all(pieces)))
    assert plan.double_counted == pytest.approx(expected, rel=1e-9)
    dc = ov[ov["kind"] == "double_count"]
    assert set(dc["a_layer"]) | set(dc["b_layer"]) == {"sz20_parks"}
    assert set(dc["total_id"]) == {"target:city_sz20_parks_area"}
    # a place in two layers is the same place, not a double count
    sp = ov[ov["kind"] == "same_place"]
    assert {(r.a_feature, r.b_feature) for r in sp.itertuples()} == {
        (f, s) for f, s in same.items() if isinstance(s, str)
    }
    # a release site inside its zone is nesting, not double counting
    rel = ov[ov["b_feature"] == "ps_release_gaoxin_south"]
    assert list(rel["kind"]) == ["nested"] and list(rel["relation"]) == ["inside"]


def test_two_uploaded_parks_that_overlap_are_a_double_count_and_replace_the_catalog_parks():
    up = _parks_in("pingshan", 3, 2000.0, overlap_m=300.0)
    plan = compute_plan(Scenario("t", upload=up, role="instead", official=True), "坪山")
    ov = plan.overlaps
    assert not (ov["a_layer"].eq("sz20_parks") & ov["a_feature"].str.startswith("sz20_")).any()
    dc = ov[(ov["kind"] == "double_count") & (ov["a_layer"] == "sz20_parks")]
    assert len(dc) == 2 and set(dc["total_id"]) == {"target:city_sz20_parks_area"}
    assert list(dc["b_layer"]) == ["sz20_parks"] * 2
    assert dc["area"].sum() == pytest.approx(2 * 300.0 * 2000.0, rel=1e-6)
    city = plan.targets.set_index("target_id")
    # the 20 parks' target is measured on the official upload: its union, counted once
    t = plan.city.targets.set_index("target_id").loc["city_sz20_parks_area"]
    assert t["basis"] == "measured"
    assert t["supplied"] == pytest.approx(_m2(up.geometry.values), rel=1e-9)
    assert "city_sz20_parks_area" not in city.index  # a city target is not a district's


def test_a_focus_filters_the_city_plan_as_target_supply_does():
    plan = compute_plan()
    for did in ("longgang", "pingshan", "baoan"):
        focused = plan.focused(did)
        assert focused.city is plan
        expect = target_supply(unit="m2", district=did)
        assert list(focused.targets["target_id"]) == list(expect["target_id"])
        assert list(focused.coverage["zone_id"]) == [did]
        assert focused.coverage["covered_area"].iloc[0] == pytest.approx(
            plan.coverage.set_index("zone_id").at[did, "covered_area"]
        )
    assert plan.focused("龙岗区") is plan.focused("longgang")


def test_parks_total_counts_each_place_once():
    plan = compute_plan()
    geoms = np.concatenate(
        [
            g[g.geometry.notna() & g.geom_type.isin(["Polygon", "MultiPolygon"])]
            .to_crs(4547)
            .geometry.values
            for g in plan.layers.values()
        ]
    )
    zones = plan.districts.to_crs(4547).geometry.union_all()
    expected = float(shapely.area(shapely.intersection(shapely.union_all(geoms), zones)))
    assert plan.parks_total == pytest.approx(expected, rel=1e-9)
    pieces = plan.park_pieces
    assert plan.parks_total < float(np.nansum(pieces["area"]))  # the plain sum counts twice


def test_layer_roles_say_what_an_upload_is():
    up = _parks_in("pingshan", 2, 1000.0)
    beside = compute_plan(Scenario("b", upload=up, role="beside"))
    roles = beside.layer_roles.set_index("layer_id")["role"]
    assert roles["upload"] == "upload_beside" and roles["sz20_parks"] == "catalog"
    assert beside.precisions("upload") == {"user": 2}
    instead = compute_plan(Scenario("i", upload=up, role="instead", official=True))
    assert instead.layer_roles.set_index("layer_id").at["sz20_parks", "role"] == "parks_instead"
    assert instead.precisions() == {"official": 2}
    proposed = compute_plan(Scenario("p", proposed=up))
    assert proposed.precisions() == {"indicative": 10, "proposed": 2}


def test_park_phases_are_read_from_their_column_and_measured_per_phase():
    from geo.errors import LandplanError
    from layers.phases import park_phases, phase_column

    up = _parks_in("pingshan", 3, 2000.0)
    up["阶段"] = ["启动区", "拓展区", "储备区"]
    assert phase_column(up) == "阶段"
    english = up.drop(columns="阶段").assign(Stage=["Start-up area", "expansion", "RESERVE"])
    assert list(park_phases(english)) == ["start", "expansion", "reserve"]
    assert phase_column(up.drop(columns="阶段")) is None  # names alone are not phases
    with pytest.raises(LandplanError, match="no column 'phase'"):
        phase_column(up, "phase")
    with pytest.raises(LandplanError, match="reads as a phase"):
        phase_column(up, "name")
    plan = compute_plan(Scenario("", upload=up, role="instead", official=True))
    ps = plan.phase_supply.set_index(["target_id", "phase"])
    for phase, geom in zip(("start", "expansion", "reserve"), up.geometry):
        assert ps.loc[("city_sz20_parks_area", phase), "supplied"] == pytest.approx(_m2([geom]))
        assert ps.loc[("city_sz20_parks_area", phase), "basis"] == "measured"
    by_phase = plan.phases.set_index("zone_id").loc["pingshan"]
    assert by_phase.sum() == pytest.approx(
        plan.coverage.set_index("zone_id").at["pingshan", "covered_area"]
    )  # the phases do not overlap here, so their parts add up to the coverage
    # the catalog states no phase: one column, the coverage itself
    assert list(compute_plan().phases.columns) == ["zone_id", "unstated"]
    assert compute_plan().phase_supply.empty
