"""Contiguous industrial blocks: layouts with known answers, through the API and the command."""

import json

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely

from geo.blocks import block_arrays
from geo.errors import LandplanError
from layers.blocks import blocks
from layers.loading import load
from layers.synthetic import synthetic_parcels

from ..cli_helpers import run, run_json
from ..conftest import box


def layer(*rows, crs=4547):
    """A parcel layer from (code, status, geometry) rows."""
    codes, statuses, geoms = zip(*rows)
    return gpd.GeoDataFrame(
        {"landuse": list(codes), "status": list(statuses)}, geometry=list(geoms), crs=crs
    )


def write(gdf, path):
    gdf.to_file(path, engine="pyogrio")
    return path


def two_groups(apart=15.0):
    """Two industrial groups of two touching 100 m parcels, ``apart`` metres from each other."""
    x = 200 + apart
    return layer(
        ("M1", "已供应", box(0, 0, 100, 100)),
        ("M0", "储备", box(100, 0, 200, 100)),
        ("M1", "已供应", box(x, 0, x + 100, 100)),
        ("M1", "待供应", box(x + 100, 0, x + 200, 100)),
    )


@pytest.mark.parametrize("gap, n", [(20, 1), (10, 2), (15, 2), (15.001, 1), (0, 2)])
def test_two_groups_15_m_apart_are_one_block_at_gap_20_and_two_at_gap_10(gap, n):
    # closer than the gap joins; exactly the gap (15 m at --gap 15) does not
    found = blocks(two_groups(15.0), gap=gap, by=())
    assert len(found) == n
    assert found["area_m2"].sum() == pytest.approx(40_000, rel=1e-12)
    assert sorted(found["parcel_count"]) == sorted({1: [4], 2: [2, 2]}[n])


def test_the_command_joins_at_gap_20_and_not_at_10(tmp_path):
    path = write(two_groups(15.0), tmp_path / "p.gpkg")
    at20 = run_json("blocks", path, "--gap", "20", "--unit", "m2", "--by", "districts")
    at10 = run_json("blocks", path, "--gap", "10", "--unit", "m2", "--by", "districts")
    assert [b["parcel_count"] for b in at20["blocks"]] == [4]
    assert [b["area"] for b in at20["blocks"]] == [pytest.approx(40_000, rel=1e-12)]
    assert [b["parcel_count"] for b in at10["blocks"]] == [2, 2]
    # by code and status: block 1 at gap 20 holds M1 已供应 (2 parcels), M0 储备, M1 待供应
    classes = {(c["landuse"], c["status"]): c for c in at20["classes"]}
    assert classes["M1", "已供应"]["parcel_count"] == 2
    assert classes["M1", "已供应"]["area"] == pytest.approx(20_000, rel=1e-12)
    assert classes["M0", "储备"]["area"] == pytest.approx(10_000, rel=1e-12)


def test_area_is_the_parcels_area_not_the_gap_fill():
    b = blocks(two_groups(15.0), gap=20, by=()).iloc[0]
    assert b["area_m2"] == pytest.approx(40_000, rel=1e-12)
    # the outline bridges the 15 m between the groups (nearly 1,500 m² of it)
    assert b["outline_m2"] > 41_000
    assert b["M1_m2"] == pytest.approx(30_000, rel=1e-12)
    assert b["M0_m2"] == pytest.approx(10_000, rel=1e-12)


def test_enclosed_park_and_road_lower_the_share():
    # a ring of M1 around a 100 m park; a 15 m road between the ring and another M1 parcel,
    # ending flush with both; a park outside, touching the ring, is not enclosed
    ring = box(0, 0, 300, 300).difference(box(100, 100, 200, 200))
    parcels = layer(
        ("M1", "已供应", ring),
        ("G1", "", box(100, 100, 200, 200)),  # enclosed park
        ("S1", "", box(300, 0, 315, 300)),  # enclosed road
        ("M1", "已供应", box(315, 0, 615, 300)),
        ("G1", "", box(0, 300, 615, 700)),  # outside, along the block
    )
    found = blocks(parcels, gap=20, by=())
    assert len(found) == 1
    b = found.iloc[0]
    own = 80_000 + 90_000
    assert b["area_m2"] == pytest.approx(own, rel=1e-12)
    assert b["enclosed_count"] == 2
    assert b["enclosed_m2"] == pytest.approx(10_000 + 4_500, rel=1e-12)
    assert b["industrial_share"] == pytest.approx(own / (own + 14_500), rel=1e-12)
    # without the park and the road the block would be all industrial
    alone = blocks(parcels.iloc[[0, 3]], gap=20, by=())
    assert alone.iloc[0]["industrial_share"] == 1.0


def test_mainly_industrial_is_the_share_at_min_share():
    # an M1 ring of 80,000 m² around a 10,000 m² park: share 8/9 = 0.889
    parcels = layer(
        ("M1", "已供应", box(0, 0, 300, 300).difference(box(100, 100, 200, 200))),
        ("G1", "", box(100, 100, 200, 200)),
    )
    assert bool(blocks(parcels, gap=20, min_share=0.88, by=())["industrial_main"][0])
    assert not blocks(parcels, gap=20, min_share="90%", by=())["industrial_main"][0]


def test_square_kilometre_blocks_are_flagged_at_min_area_1km2(tmp_path):
    quarter = [box(x, y, x + 500, y + 500) for x in (0, 500) for y in (0, 500)]
    km = layer(*[("M1", "已供应", g) for g in quarter])  # 1,000 m x 1,000 m: 1 km²
    short = layer(("M1", "已供应", box(3000, 0, 3999, 1000)))  # 0.999 km²
    both = gpd.GeoDataFrame(
        gpd.pd.concat([km, short], ignore_index=True), geometry="geometry", crs=4547
    )
    path = write(both, tmp_path / "p.gpkg")
    got = run_json("blocks", path, "--min-area", "1km2", "--by", "districts")["blocks"]
    assert [(b["area"], b["square_km"]) for b in got] == [
        (pytest.approx(1.0, rel=1e-12), True),
        (pytest.approx(0.999, rel=1e-12), False),
    ]
    # the same threshold in hectares and mu; a lower one takes the smaller block in
    for text in ("100ha", "1500mu"):
        again = run_json("blocks", path, "--min-area", text, "--by", "districts")["blocks"]
        assert [b["square_km"] for b in again] == [True, False]
    lower = run_json("blocks", path, "--min-area", "99.9ha", "--by", "districts")["blocks"]
    assert [b["square_km"] for b in lower] == [True, True]
    # a square's compactness is pi/4 (its outline is a tenth of a metre wider at gap 20)
    assert got[0]["compactness"] == pytest.approx(np.pi / 4, rel=1e-3)


def test_block_across_a_boundary_is_reported_in_both_zones_with_its_part_in_each(tmp_path):
    zones = gpd.GeoDataFrame(
        {"name_zh": ["西区", "东区"]},
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)],
        crs=4547,
    )
    zpath = write(zones, tmp_path / "zones.gpkg")
    parcels = layer(
        ("M1", "已供应", box(700, 100, 1000, 400)),  # 90,000 m² west
        ("M1", "已供应", box(1010, 100, 1210, 400)),  # 60,000 m² east, 10 m across the line
        ("M0", "储备", box(900, 400, 1100, 500)),  # crosses: 10,000 m² in each
    )
    path = write(parcels, tmp_path / "p.gpkg")
    got = run_json("blocks", path, "--by", str(zpath), "--unit", "m2")
    assert len(got["blocks"]) == 1
    where = {z["zone_name_zh"]: z for z in got["zones"]}
    assert where["西区"]["area"] == pytest.approx(100_000, rel=1e-12)
    assert where["东区"]["area"] == pytest.approx(70_000, rel=1e-12)
    assert where["西区"]["share_of_block"] == pytest.approx(100 / 170, rel=1e-12)
    table = run("blocks", path, "--by", str(zpath)).stdout
    assert "西区 59%、东区 41%" in table


def test_block_across_two_districts_of_the_catalog():
    d = load("districts").to_crs(4547).set_index("district_id")
    line = shapely.line_merge(shapely.intersection(d.geometry["nanshan"], d.geometry["baoan"]))
    centre = shapely.line_interpolate_point(
        max(shapely.get_parts(line), key=lambda g: g.length), 0.5, normalized=True
    )
    x, y = centre.x, centre.y
    parcels = layer(
        ("M1", "已供应", shapely.box(x - 300, y - 300, x + 300, y + 300)),
        ("M0", "已供应", shapely.box(x - 300, y + 310, x + 300, y + 600)),
    )
    found = blocks(parcels, gap=20, by=("districts",))
    assert len(found) == 1
    got = found.attrs["zones"].set_index("zone_id")["area_m2"]
    assert set(got.index) == {"nanshan", "baoan"}
    for district in ("nanshan", "baoan"):  # each part as the district cuts the parcels
        expected = shapely.area(shapely.intersection(parcels.geometry.values, d.geometry[district]))
        assert got[district] == pytest.approx(expected.sum(), rel=1e-9)
    assert got.sum() == pytest.approx(found["area_m2"].iloc[0], rel=1e-9)


def _components_by_distance(geoms, gap):
    """Blocks by the definition, pair by pair: a list of sets of indices."""
    n = len(geoms)
    d = shapely.distance(geoms[:, None], geoms[None, :])
    near = (d < gap) | (d == 0)
    seen, out = set(), []
    for s in range(n):
        if s in seen:
            continue
        todo, part = [s], set()
        while todo:
            k = todo.pop()
            if k in part:
                continue
            part.add(k)
            todo.extend(np.flatnonzero(near[k]).tolist())
        seen |= part
        out.append(part)
    return sorted(map(frozenset, out), key=min)


def test_blocks_match_the_definition_pair_by_pair_and_outlines_cover_their_parcels():
    p = synthetic_parcels(1500, seed=3, districts=["nanshan"], clusters=5)
    geoms = np.asarray(p.geometry.values, dtype=object)
    counts = p["landuse"].isin(["M1", "M0"]).to_numpy()
    found = block_arrays(geoms, counts, 40.0)
    idx = np.flatnonzero(counts)
    expected = _components_by_distance(geoms[idx], 40.0)
    got = sorted(
        (frozenset(np.flatnonzero(found.label[idx] == k).tolist()) for k in range(len(found.area))),
        key=min,
    )
    assert got == expected and len(got) > 20
    # every parcel lies in its block's outline; areas are the parcels'
    assert shapely.covers(found.outline[found.label[idx]], geoms[idx]).all()
    assert found.area.sum() == pytest.approx(shapely.area(geoms[idx]).sum(), rel=1e-12)
    # largest first
    assert (np.diff(found.area) <= 0).all()


def test_blocks_written_to_a_geopackage_in_epsg_4547_with_every_field(tmp_path):
    # parcels in lon/lat: the outlines are written where the areas are measured
    path = write(two_groups(15.0).to_crs(4326), tmp_path / "p.gpkg")
    out = tmp_path / "blocks.gpkg"
    proc = run("blocks", path, "--out", out, "--by", "districts", "--format", "json")
    assert "EPSG:4547" in proc.stderr
    listed = json.loads(proc.stdout)
    names = [name for name, _ in pyogrio.list_layers(out)]
    assert names == ["blocks", "block_zones", "block_classes"]
    written = gpd.read_file(out, layer="blocks")
    assert written.crs.to_epsg() == 4547
    assert written["area_m2"].tolist() == [pytest.approx(40_000, rel=1e-9)]
    api = blocks(gpd.read_file(path), gap=20, by=("districts",))
    assert list(written.columns) == list(api.columns)  # every field, the outline as geometry
    apart = shapely.symmetric_difference(written.geometry.values, api.geometry.values)
    assert shapely.area(apart).sum() < 1e-6 and written["outline_m2"][0] > 41_000
    assert written["source"][0] == listed["blocks"][0]["source"]
    zones = pyogrio.read_dataframe(out, layer="block_zones")
    assert list(zones.columns) == list(api.attrs["zones"].columns)
    assert zones["zone_name_zh"].tolist() == ["南山区"]  # Chinese text as it was
    assert zones["area_m2"].sum() == pytest.approx(40_000, rel=1e-9)
    classes = pyogrio.read_dataframe(out, layer="block_classes")
    assert set(classes["status"]) == {"已供应", "储备", "待供应"}
    assert set(classes["landuse_name_zh"]) == {"普通工业用地", "新型产业用地"}


def test_table_and_csv_say_words_and_units(tmp_path):
    path = write(two_groups(15.0), tmp_path / "p.gpkg")
    table = run("blocks", path, "--by", "districts").stdout
    assert "是 yes" in table and "True" not in table and "e+" not in table
    assert "来源 / source" in table and "gap 20 m" in table
    csv = run("blocks", path, "--by", "districts", "--format", "csv").stdout
    assert csv.splitlines()[0].startswith("block_id,area,parcel_count,M1,M0,")


@pytest.mark.parametrize(
    "args, words",
    [
        (["--gap", "-5"], "gap"),
        (["--gap", "abc"], "gap"),
        (["--gap", "nan"], "gap"),
        (["--counts", "X9"], "X9"),
        (["--by", "no_such_layer"], "no_such_layer"),
        (["--min-area", "1"], "unit"),
        (["--min-area=-1km2"], "0 or more"),
        (["--min-share", "1.5"], "between 0 and 1"),
        (["--landuse-col", "YDDM"], "YDDM"),
        (["--out", "blocks.shp"], "GeoPackage"),
    ],
)
def test_bad_input_is_one_sentence_in_both_languages_and_exit_2(tmp_path, args, words):
    path = write(two_groups(15.0), tmp_path / "p.gpkg")
    proc = run("blocks", path, *args, check=False)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in proc.stderr
    assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0])  # Chinese first
    assert words in lines[1]


def test_a_layer_without_land_use_column_is_refused(tmp_path):
    no_code = gpd.GeoDataFrame({"name": ["a"]}, geometry=[box(0, 0, 100, 100)], crs=4547)
    for path in (write(no_code, tmp_path / "p.gpkg"), write(no_code, tmp_path / "p.geojson")):
        proc = run("blocks", path, check=False)  # read as arrays, and the usual read
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 2 and "--landuse-col" in lines[1]
    with pytest.raises(LandplanError, match="landuse-col"):
        blocks(no_code, by=())


def test_codes_partly_absent_are_said_and_the_rest_counted(tmp_path):
    parcels = layer(("M1", "已供应", box(0, 0, 100, 100)), ("R2", "", box(100, 0, 200, 100)))
    found = blocks(parcels, by=())
    assert len(found) == 1 and any("M0" in n for n in found.attrs["notes"])
    proc = run("blocks", write(parcels, tmp_path / "p.gpkg"), "--by", "districts")
    assert "M0" in proc.stderr and proc.returncode == 0


def test_overlapping_parcels_are_counted_once():
    parcels = layer(
        ("M1", "已供应", box(0, 0, 100, 100)),
        ("M1", "已供应", box(50, 0, 150, 100)),  # overlaps the first by half
        ("G1", "", box(60, 20, 80, 40)),  # inside both
    )
    b = blocks(parcels, by=()).iloc[0]
    assert b["area_m2"] == pytest.approx(15_000, rel=1e-12)
    assert b["enclosed_count"] == 1
    # the park lies under the industrial parcels: the block with it is still 15,000 m²
    assert b["industrial_share"] == pytest.approx(1.0, rel=1e-12)


def test_parcels_in_lon_lat_give_the_same_blocks():
    p = two_groups(15.0)
    a = blocks(p, gap=20, by=())
    b = blocks(p.to_crs(4326), gap=20, by=())
    assert a.crs.to_epsg() == b.crs.to_epsg() == 4547  # outlines where the areas are measured
    assert b["area_m2"].tolist() == pytest.approx(a["area_m2"].tolist(), rel=1e-7)


def _frames(found):
    """A result of blocks() as plain tables, rows in a fixed order."""
    zones = found.attrs["zones"].sort_values(["block_id", "zone_layer", "zone_id"])
    classes = found.attrs["classes"].sort_values(["block_id", "landuse", "status"])
    return (
        found.drop(columns=found.geometry.name).reset_index(drop=True),
        zones.reset_index(drop=True),
        classes.reset_index(drop=True),
    )


def test_a_geopackage_read_as_arrays_gives_the_same_blocks(tmp_path):
    from layers.parcel_arrays import read_parcel_arrays
    from layers.parcels import read_parcels

    p = synthetic_parcels(3000, seed=5, districts=["nanshan", "baoan"], clusters=4)
    extra = p.iloc[::40].copy()  # overlapping parcels: counted once on both roads
    extra["geometry"] = extra.buffer(8.0)
    p = gpd.GeoDataFrame(gpd.pd.concat([p, extra], ignore_index=True), crs=p.crs)
    path = write(p.to_crs(4326), tmp_path / "p.gpkg")
    arrays = read_parcel_arrays(path)
    assert arrays is not None
    fast = blocks(arrays, gap=25, by=("sz20_parks", "districts"))
    usual = blocks(read_parcels(path), gap=25, by=("sz20_parks", "districts"))
    assert len(fast) > 20 and fast.crs == usual.crs
    for a, b in zip(_frames(fast), _frames(usual)):
        assert list(a.columns) == list(b.columns) and len(a) == len(b)
        for col in a.columns:
            if a[col].dtype.kind == "f":
                assert np.allclose(a[col], b[col], rtol=1e-9, atol=1e-6), col
            else:
                assert a[col].tolist() == b[col].tolist(), col
    assert shapely.equals_exact(fast.geometry.values, usual.geometry.values, 1e-3).all()
    assert fast.attrs["notes"] == usual.attrs["notes"]
    # the command takes the arrays, and the usual road with --encoding: the same answer
    short = run_json("blocks", path, "--gap", "25", "--unit", "m2")
    usual_cli = run_json("blocks", path, "--gap", "25", "--unit", "m2", "--encoding", "utf-8")
    for part in ("blocks", "zones", "classes"):
        assert len(short[part]) == len(usual_cli[part]) > 0
    assert [b["parcel_count"] for b in short["blocks"]] == fast["parcel_count"].tolist()
    assert [b["area"] for b in short["blocks"]] == pytest.approx(
        [b["area"] for b in usual_cli["blocks"]], rel=1e-9
    )


def test_the_table_a_planner_reads_has_names_units_and_words(tmp_path):
    ring = box(0, 0, 300, 300).difference(box(100, 100, 200, 200))
    parcels = layer(("M1", "已供应", ring), ("G1", "", box(100, 100, 200, 200)))
    path = write(parcels, tmp_path / "p.gpkg")
    table = run("blocks", path, "--unit", "ha").stdout
    head = table.splitlines()[1]
    for word in ("area", "industrial_share", "square_km", "compactness", "districts", "unit"):
        assert word in head
    assert "88.9%" in table  # the share with the enclosed park, in per cent
    assert "南山区 100%" in table and "nanshan" not in table  # zones by name, not by id
    assert "普通工业用地" in table and " ha" in table
    assert "否 no" in table and "是 yes" in table
    for raw in ("True", "False", "nan", "None", "e+", "e-0", "[", "]"):
        assert raw not in table, raw
    # JSON and CSV keep ids and every digit
    got = run_json("blocks", path, "--unit", "ha")
    assert got["zones"][0]["zone_id"] == "nanshan"
    assert got["blocks"][0]["industrial_share"] == pytest.approx(8 / 9, rel=1e-12)
    assert got["blocks"][0]["square_km"] is False
    csv = run("blocks", path, "--format", "csv").stdout
    assert ",nanshan," in csv and "0.8888888888" in csv


def test_the_command_lowers_the_share_by_the_enclosed_road(tmp_path):
    parcels = layer(
        ("M1", "已供应", box(0, 0, 300, 300)),
        ("S1", "", box(300, 0, 315, 300)),  # a 15 m road between two industrial parcels
        ("M1", "已供应", box(315, 0, 615, 300)),
    )
    path = write(parcels, tmp_path / "p.gpkg")
    got = run_json("blocks", path, "--unit", "m2")["blocks"]
    assert len(got) == 1 and got[0]["enclosed_count"] == 1
    assert got[0]["industrial_share"] == pytest.approx(180_000 / 184_500, rel=1e-12)
    # at a gap narrower than the road the two parcels are two blocks, and no road is enclosed
    apart = run_json("blocks", path, "--unit", "m2", "--gap", "10")["blocks"]
    assert [b["enclosed_count"] for b in apart] == [0, 0]


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"gap": -1}, "gap"),
        ({"gap": "twenty"}, "gap"),
        ({"counts": ["X9"]}, "X9"),
        ({"min_area": "1"}, "unit"),
        ({"min_share": 2}, "between 0 and 1"),
        ({"landuse_col": "YDDM"}, "YDDM"),
    ],
)
def test_bad_input_through_the_python_api_is_one_sentence(kwargs, words):
    with pytest.raises(LandplanError) as err:
        blocks(two_groups(15.0), by=(), **kwargs)
    assert words in str(err.value)


def test_a_big_block_closed_tile_by_tile_has_the_outline_closed_whole(monkeypatch):
    import geo.block_outlines as outlines

    p = synthetic_parcels(4000, seed=2, districts=["longgang"], clusters=0)
    geoms = np.asarray(p.geometry.values, dtype=object)
    counts = p["landuse"].isin(["M1", "M0"]).to_numpy()
    whole = block_arrays(geoms, counts, 150.0)
    big = int(np.argmax(whole.count))
    mine = geoms[whole.label == big]
    assert shapely.get_num_coordinates(mine).sum() > 2_000
    tiled = outlines.close_in_tiles(mine, 150.0, most=150)
    union = shapely.coverage_union_all(mine)
    assert shapely.covers(tiled, union)  # every parcel inside, as closed whole
    assert shapely.get_num_geometries(tiled) == shapely.get_num_geometries(whole.outline[big])
    apart = shapely.area(shapely.symmetric_difference(tiled, whole.outline[big]))
    assert apart < 1e-6 * shapely.area(whole.outline[big])
    # found with every block of more than 500 vertices closed in tiles: the same figures
    monkeypatch.setattr(outlines, "TILED_FROM", 500)
    monkeypatch.setattr(outlines, "TILE_VERTICES", 150)
    again = block_arrays(geoms, counts, 150.0)
    assert (again.label == whole.label).all() and (again.count == whole.count).all()
    assert np.allclose(again.area, whole.area, rtol=1e-12)
    assert (again.enclosed == whole.enclosed).all()
    assert np.allclose(again.share, whole.share, rtol=1e-12)
    assert np.allclose(shapely.area(again.outline), shapely.area(whole.outline), rtol=1e-6)
    assert np.allclose(again.compactness, whole.compactness, rtol=1e-3)
