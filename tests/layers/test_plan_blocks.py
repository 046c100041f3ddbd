"""A plan's contiguous industrial blocks (Plan.blocks): found once with the defaults of
``landplan blocks``, placed in the parks in effect and the districts; a focused plan keeps the
blocks reaching its district (a block across a boundary in both), numbered as in the city."""

import geopandas as gpd
import pytest
import shapely

from layers.blocks import blocks
from layers.loading import load
from layers.plan import compute_plan
from layers.store import Scenario


def _parcels(*rows) -> gpd.GeoDataFrame:
    codes, statuses, geoms = zip(*rows)
    return gpd.GeoDataFrame(
        {"landuse": list(codes), "status": list(statuses)}, geometry=list(geoms), crs=4547
    )


@pytest.fixture(scope="module")
def layout():
    """A 600 m block across 南山/宝安 and a 1.2 km block inside 坪山 (square-kilometre scale),
    and a commercial parcel in 坪山 that makes no block."""
    d = load("districts").to_crs(4547).set_index("district_id")
    line = shapely.line_merge(shapely.intersection(d.geometry["nanshan"], d.geometry["baoan"]))
    c = shapely.line_interpolate_point(
        max(shapely.get_parts(line), key=lambda g: g.length), 0.5, normalized=True
    )
    p = shapely.point_on_surface(d.geometry["pingshan"])
    return _parcels(
        ("M1", "已供应", shapely.box(c.x - 300, c.y - 300, c.x + 300, c.y + 300)),
        ("M1", "储备", shapely.box(p.x - 600, p.y - 600, p.x + 600, p.y + 600)),
        ("C1", "已供应", shapely.box(p.x + 700, p.y - 100, p.x + 900, p.y + 100)),
    )


def test_the_plans_blocks_are_landplan_blocks_defaults_in_the_parks_and_districts(layout):
    plan = compute_plan(Scenario("", parcels=layout))
    found = plan.blocks
    want = blocks(layout)  # the command's defaults: M1,M0, 20 m, 1 km², 0.6, 20 parks and districts
    assert list(found["area_m2"]) == pytest.approx(list(want["area_m2"]), rel=1e-12)
    assert list(found["square_km"]) == [True, False]
    assert found.crs.to_epsg() == 4547
    zones = found.attrs["zones"]
    assert set(zones["zone_layer"]) <= {"sz20_parks", "districts"}
    districts = zones[zones["zone_layer"] == "districts"]
    assert sorted(districts[districts["block_id"] == 2]["zone_id"]) == ["baoan", "nanshan"]
    assert plan.blocks is found  # computed once


def test_a_focused_plan_keeps_the_blocks_reaching_its_district_numbered_as_in_the_city(layout):
    city = compute_plan(Scenario("", parcels=layout))
    for district, ids in (("pingshan", [1]), ("nanshan", [2]), ("baoan", [2]), ("futian", [])):
        here = city.focused(district).blocks
        assert list(here["block_id"]) == ids, district
        assert set(here.attrs["zones"]["block_id"]) == set(ids)
        assert set(here.attrs["classes"]["block_id"]) == set(ids)
    across = city.focused("nanshan").blocks.attrs["zones"]
    assert {"nanshan", "baoan"} <= set(across["zone_id"])  # the other side is still said


def test_no_parcels_no_blocks_and_parcels_without_industry_say_why():
    assert compute_plan(None).blocks is None
    only_c = _parcels(("C1", "已供应", shapely.box(505000, 2495000, 505100, 2495100)))
    found = compute_plan(Scenario("", parcels=only_c)).blocks
    assert len(found) == 0
    (note,) = found.attrs["notes"]
    assert "M1" in note and "\n" in note  # Chinese, then English


def test_the_blocks_are_of_the_codes_the_plan_counts(layout):
    """One plan, one set of codes: the codes that count toward the targets' supply are the codes
    the blocks join (here C1 alone: the commercial parcel is the one block)."""
    plan = compute_plan(Scenario("", parcels=layout), parcel_counts=("C1",))
    found = plan.blocks
    assert len(found) == 1 and found["area_m2"].iloc[0] == pytest.approx(200 * 200, rel=1e-9)
    assert list(found["area_m2"]) == pytest.approx(
        list(blocks(layout, counts=["C1"])["area_m2"]), rel=1e-12
    )
    from landplan.present.block_table import blocks_note  # what every view says under them

    assert blocks_note(found, "zh").startswith("按 C1 地块计算")
    assert blocks_note(found, "en").startswith("C1 parcels, joined within 20 m")
    assert blocks_note(compute_plan(Scenario("", parcels=layout)).blocks, "zh").startswith(
        "按 M1、M0 地块计算"
    )
