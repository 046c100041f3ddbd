"""Parcel accounting: geo.accounting on shapes with known answers, Shenzhen codes and targets, the
CLI."""

import geopandas as gpd
import numpy as np
import pytest
import shapely

import layers
from geo.accounting import TOTAL, account
from layers.parcel_totals import parcel_accounting, parcel_targets
from layers.parcels import (
    describe_codes,
    normalize_code,
    prepare_parcels,
)

from ..cli_helpers import run, run_json
from ..conftest import X0, Y0, box


def test_account_splits_parcels_at_zone_edges_and_unions_overlaps(zones):
    parcels = gpd.GeoDataFrame(
        {
            "code": ["M1", "M1", "M0", "R"],
            "status": ["已供应", "已供应", "待供应", None],
        },
        geometry=[
            box(500, 0, 1500, 200),  # M1 crossing the edge: 0.1 km2 west, 0.1 east
            box(1400, 0, 1600, 200),  # M1 overlapping the first in the east: union adds 0.02
            box(0, 500, 400, 1000),  # M0 west 0.2
            box(
                100, 600, 300, 800
            ),  # R inside the M0 parcel: its class counts 0.04, the total not again
        ],
        crs=4547,
    )
    df = account(parcels, zones, classes=["code", "status"], zone_id="zid", unit="km2")
    get = df.set_index(["zone_id", "code", "status"])["area"]
    assert get["west", "M1", "已供应"] == pytest.approx(0.1, rel=1e-12)
    assert get["east", "M1", "已供应"] == pytest.approx(0.12, rel=1e-12)
    assert get["west", "M0", "待供应"] == pytest.approx(0.2, rel=1e-12)
    assert get["west", "R", ""] == pytest.approx(0.04, rel=1e-12)
    assert get["west", TOTAL, TOTAL] == pytest.approx(
        0.3, rel=1e-12
    )  # R lies inside M0: counted once
    assert get["east", TOTAL, TOTAL] == pytest.approx(0.12, rel=1e-12)
    assert df.attrs["double_counted"] == pytest.approx(0.04, rel=1e-9)
    counts = df.set_index(["zone_id", "code", "status"])["parcel_count"]
    assert counts["east", "M1", "已供应"] == 2 and counts["west", TOTAL, TOTAL] == 3


def test_account_in_mu_from_geographic_input(zones):
    parcels = gpd.GeoDataFrame({"c": ["M1"]}, geometry=[box(0, 0, 1000, 1000)], crs=4547).to_crs(
        4326
    )
    df = account(parcels, zones.to_crs(4326), classes=["c"], zone_id="zid", unit="mu")
    assert df.set_index(["zone_id", "c"]).loc[("west", "M1"), "area"] == pytest.approx(
        1500.0, rel=1e-6
    )


def test_codes_normalised_mixed_known_and_unknown_reported_not_dropped():
    assert normalize_code(" ｍ１ ") == "M1"
    d = describe_codes(["M1", "M0", "W1", "M1+C1", "X9"]).set_index("landuse")
    assert (
        d.loc["M1", "landuse_name_zh"] == "普通工业用地"
        and d.loc["M0", "landuse_name_zh"] == "新型产业用地"
    )
    assert d.loc["W1", "known_code"] and d.loc["M1+C1", "known_code"]
    assert not d.loc["X9", "known_code"]
    parcels = gpd.GeoDataFrame(
        {"用地代码": ["m1", "X9", None], "供应状态": ["已供应", "储备", ""]},
        geometry=[box(0, 0, 100, 100), box(200, 0, 300, 100), box(400, 0, 500, 100)],
        crs=4547,
    )
    p = prepare_parcels(parcels)
    assert list(p["landuse"]) == ["M1", "X9", "(空/blank)"]
    assert any("X9 (1)" in line for line in p.attrs["report"])
    # said in Chinese first, then in English
    assert any(
        line.startswith("2 个地块的用地代码不在深圳用地分类代码表中：X9 (1)")
        and "\n2 parcel(s) have land-use codes" in line
        for line in p.attrs["report"]
    ), p.attrs["report"]
    zones = gpd.GeoDataFrame({"zid": ["z"]}, geometry=[box(-10, -10, 600, 200)], crs=4547)
    df = account(p, zones, classes=["landuse", "status"], zone_id="zid", unit="m2")
    assert set(df["landuse"]) == {"M1", "X9", "(空/blank)", TOTAL}
    assert df["area"].sum() == pytest.approx(
        2 * 30_000.0, rel=1e-12
    )  # 3 parcels of 1 ha + their total


def test_parcel_accounting_by_catalog_zones_marks_indicative_and_synthetic():
    from layers.synthetic import synthetic_parcels

    p = prepare_parcels(synthetic_parcels(1500, seed=3))
    df = parcel_accounting(p, by=["sz20_parks", "districts"], unit="km2")
    parks = df[df["zone_layer"] == "sz20_parks"]
    assert set(parks["zone_precision"]) == {"indicative"}
    assert df["synthetic"].all() and df["source"].str.contains("SYNTHETIC").all()
    # classes partition each zone (Voronoi parcels do not overlap): class rows sum to the total row
    d = df[df["zone_layer"] == "districts"]
    tot = d[d["landuse"] == TOTAL].set_index("zone_id")["area"]
    parts = d[d["landuse"] != TOTAL].groupby("zone_id")["area"].sum()
    np.testing.assert_allclose(parts.loc[tot.index], tot, rtol=1e-9)
    # the parcels tile the districts they were drawn in
    dist = layers.load("districts")
    gk = dist[dist["district_id"] != "shenshan"].to_crs(4547)
    assert tot.sum() == pytest.approx(gk.area.sum() / 1e6, rel=1e-6)


def _longgang_square(side_m=2000.0):
    lg = layers.load("districts").set_index("district_id").loc[["longgang"]].to_crs(4547)
    c = lg.geometry.iloc[0].representative_point()
    sq = shapely.box(c.x - side_m / 2, c.y - side_m / 2, c.x + side_m / 2, c.y + side_m / 2)
    assert sq.within(lg.geometry.iloc[0])
    return sq


def test_targets_fed_by_the_codes_the_user_counts():
    sq = _longgang_square()
    a, b = shapely.get_parts(
        shapely.intersection(
            sq,
            [
                shapely.box(sq.bounds[0], sq.bounds[1], sq.centroid.x, sq.bounds[3]),
                shapely.box(sq.centroid.x, sq.bounds[1], sq.bounds[2], sq.bounds[3]),
            ],
        )
    )
    parcels = prepare_parcels(
        gpd.GeoDataFrame(
            {"landuse": ["M1", "R2"], "status": ["已供应", "已供应"]}, geometry=[a, b], crs=4547
        )
    )
    tg = parcel_targets(parcels, ["M1", "M0"], unit="km2").set_index("target_id")
    row = tg.loc["longgang_block_line_industrial_land"]
    assert row["supplied"] == pytest.approx(2.0, rel=1e-9)  # half of the 4 km2 square is M1
    assert row["shortfall"] == pytest.approx(35.8 - 2.0, rel=1e-9) and not row["met"]
    assert (
        row["source"].startswith("《深圳市龙岗区工业发展“十四五”规划》第 ")
        and row["basis"] == "measured"
    )
    both = parcel_targets(parcels, ["M1", "R2"], unit="km2").set_index("target_id")
    assert both.loc["longgang_block_line_industrial_land", "supplied"] == pytest.approx(
        4.0, rel=1e-9
    )
    none = parcel_targets(parcels, ["M1"], statuses=["待供应"], unit="km2").set_index("target_id")
    assert none.loc["longgang_block_line_industrial_land", "supplied"] == 0.0


def test_cli_parcels_with_mapped_columns_zones_file_and_targets(tmp_path):
    sq = _longgang_square()
    x0, y0, x1, y1 = sq.bounds
    half = shapely.box(x0, y0, (x0 + x1) / 2, y1)
    parcels = gpd.GeoDataFrame(
        {"YDDM": ["M0", "Q7"], "GYZT2": ["已供应", "储备"]},
        geometry=[half, shapely.box((x0 + x1) / 2, y0, x1, y1)],
        crs=4547,
    )
    f = tmp_path / "地块.gpkg"
    parcels.to_file(f, engine="pyogrio")
    zones = gpd.GeoDataFrame(
        {"name": ["sq"]}, geometry=[shapely.box(x0, y0, x1, (y0 + y1) / 2)], crs=4547
    )
    zf = tmp_path / "zones.geojson"
    zones.to_crs(4326).to_file(zf, engine="pyogrio")
    rows = run_json(
        "parcels", f, "--by", zf, "--landuse-col", "YDDM", "--status-col", "GYZT2", "--unit", "ha"
    )
    got = {(r["zone_id"], r["landuse"], r["status"]): r for r in rows}
    assert got[("sq", "M0", "已供应")]["area"] == pytest.approx(
        100.0, rel=1e-6
    )  # 1 km x 1 km in ha
    assert got[("sq", "Q7", "储备")]["known_code"] is False  # unknown code kept
    assert got[("sq", "(all)", "(all)")]["area"] == pytest.approx(200.0, rel=1e-6)
    proc = run(
        "parcels",
        f,
        "--landuse-col",
        "YDDM",
        "--status-col",
        "GYZT2",
        "--counts",
        "M1,M0",
        "--format",
        "csv",
    )
    assert "longgang_block_line_industrial_land" in proc.stdout
    assert "Q7" in proc.stderr  # the unknown code is reported
    both = run_json(
        "parcels",
        f,
        "--by",
        "districts",
        "--landuse-col",
        "YDDM",
        "--status-col",
        "GYZT2",
        "--counts",
        "M0",
    )
    lg = {r["target_id"]: r for r in both["targets"]}["longgang_block_line_industrial_land"]
    assert lg["supplied"] == pytest.approx(2.0, rel=1e-6)
    assert {r["zone_id"] for r in both["accounting"]} == {"longgang"}


def test_cli_parcels_without_a_status_column_says_so_once_and_shows_status_not_stated(tmp_path):
    """Many parcel layers carry only a land-use code: accepted, every status 未注明, said once on
    stderr."""
    sq = _longgang_square()
    x0, y0, x1, y1 = sq.bounds
    parcels = gpd.GeoDataFrame(
        {"YDDM": ["M1", "R2"]},
        crs=4547,
        geometry=[shapely.box(x0, y0, (x0 + x1) / 2, y1), shapely.box((x0 + x1) / 2, y0, x1, y1)],
    )
    f = tmp_path / "codes_only.gpkg"
    parcels.to_crs(4326).to_file(f, engine="pyogrio")
    zones = gpd.GeoDataFrame(
        {"name": ["sq"]}, geometry=[shapely.box(x0, y0, x1, (y0 + y1) / 2)], crs=4547
    )
    zf = tmp_path / "zones.geojson"
    zones.to_crs(4326).to_file(zf, engine="pyogrio")
    proc = run(
        "parcels", f, "--by", zf, "--landuse-col", "YDDM", "--unit", "ha", "--format", "json"
    )
    assert "Traceback" not in proc.stderr
    rows = {
        (r["zone_id"], r["landuse"], r["status"]): r["area"]
        for r in __import__("json").loads(proc.stdout)
    }
    assert rows[("sq", "M1", "未注明")] == pytest.approx(100.0, rel=1e-9)  # 1 km x 1 km
    assert rows[("sq", "R2", "未注明")] == pytest.approx(100.0, rel=1e-9)
    assert rows[("sq", "(all)", "(all)")] == pytest.approx(200.0, rel=1e-9)
    said = [ln for ln in proc.stderr.splitlines() if "未注明" in ln]
    assert len(said) == 2 and "供应状态" in said[0] and "supply-status column" in said[1], (
        proc.stderr
    )
    # the table shows it too, and with targets as well as the accounting it is still said once
    proc = run(
        "parcels", f, "--by", "districts", "--landuse-col", "YDDM", "--counts", "M1", "--unit", "ha"
    )
    assert "未注明" in proc.stdout.split("# 目标")[0]
    assert sum("supply-status column" in ln for ln in proc.stderr.splitlines()) == 1, proc.stderr
    # a status column the user names must exist
    proc = run(
        "parcels", f, "--by", zf, "--landuse-col", "YDDM", "--status-col", "GYZT", check=False
    )
    assert proc.returncode == 2 and "GYZT" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_parcels_bad_column_is_one_sentence_exit_2(tmp_path):
    f = tmp_path / "p.geojson"
    gpd.GeoDataFrame({"a": [1]}, geometry=[box(0, 0, 10, 10)], crs=4547).to_file(
        f, engine="pyogrio"
    )
    proc = run("parcels", f, "--by", "districts", check=False)
    assert (
        proc.returncode == 2 and "--landuse-col" in proc.stderr and "Traceback" not in proc.stderr
    )
    proc = run(
        "parcels", f, "--by", "districts", "--landuse-col", "a", "--status-col", "nope", check=False
    )
    assert proc.returncode == 2 and "nope" in proc.stderr and "Traceback" not in proc.stderr


def test_synthetic_parcels_follow_stated_shares_and_are_labelled(tmp_path):
    import subprocess
    import sys

    import pyogrio

    from layers.synthetic import synthetic_parcels

    shares = {"M1": 0.5, "M0": 0.2, "W1": 0.3}
    a = synthetic_parcels(
        4000, seed=5, districts=["longgang"], landuse_shares=shares, status_shares={"储备": 1.0}
    )
    b = synthetic_parcels(
        4000, seed=5, districts=["longgang"], landuse_shares=shares, status_shares={"储备": 1.0}
    )
    assert a.geometry.geom_equals(b.geometry).all() and (a["landuse"] == b["landuse"]).all()
    freq = a["landuse"].value_counts(normalize=True)
    for code, share in shares.items():
        assert abs(freq[code] - share) < 0.03
    assert (
        set(a["status"]) == {"储备"}
        and a["synthetic"].all()
        and a["note"].str.contains("synthetic").all()
    )
    assert describe_codes(a["landuse"])["known_code"].all()
    with pytest.raises(Exception, match="sum to 1"):
        synthetic_parcels(10, landuse_shares={"M1": 0.5})
    out = tmp_path / "syn.gpkg"
    proc = subprocess.run(
        [
            sys.executable,
            "scripts/make_synthetic_parcels.py",
            "--n",
            "300",
            "--seed",
            "2",
            "--districts",
            "pingshan",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=str(__import__("pathlib").Path(__file__).resolve().parents[2]),
    )
    assert proc.returncode == 0, proc.stderr
    assert [n for n, _ in pyogrio.list_layers(out)] == ["synthetic_parcels"]
    rows = run_json("parcels", out, "--by", "districts")
    totals = {r["zone_id"]: r["area"] for r in rows if r["landuse"] == "(all)"}
    assert max(totals, key=totals.get) == "pingshan"  # neighbours get at most boundary slivers
    assert sum(v for k, v in totals.items() if k != "pingshan") < 1e-3 * totals["pingshan"]
    assert all(r["synthetic"] and "SYNTHETIC" in r["source"] for r in rows)


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("dask.distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_dask_engine_equals_the_single_process_path_with_overlaps_across_partitions(dask_client):
    import pandas as pd

    from geo.distributed import account_dask
    from layers.synthetic import synthetic_parcels

    p = synthetic_parcels(3000, seed=7, districts=["longgang", "pingshan"])
    # an overlapping parcel spanning many partitions exercises the union path across partition edges
    sq = _longgang_square(4000)
    extra = gpd.GeoDataFrame(
        {
            "parcel_id": ["X1"],
            "landuse": ["M1"],
            "status": ["已供应"],
            "synthetic": [True],
            "note": ["overlap"],
        },
        geometry=[sq],
        crs=4547,
    )
    p = prepare_parcels(gpd.GeoDataFrame(pd.concat([p, extra], ignore_index=True), crs=4547))
    zones = layers.load("districts").assign(_zid=lambda d: d["district_id"])
    local = account(p, zones, classes=["landuse", "status"], zone_id="_zid", unit="m2")
    dist = account_dask(
        p,
        zones,
        classes=["landuse", "status"],
        zone_id="_zid",
        unit="m2",
        client=dask_client,
        npartitions=6,
    )
    assert (
        local.attrs["overlapping_parcels"] > 1
        and dist.attrs["overlapping_parcels"] == local.attrs["overlapping_parcels"]
    )
    assert local.attrs["double_counted"] > 0
    key = ["zone_id", "landuse", "status"]
    assert (
        local[key + ["parcel_count"]].to_numpy() == dist[key + ["parcel_count"]].to_numpy()
    ).all()
    np.testing.assert_allclose(dist["area"], local["area"], rtol=1e-9)


def test_cli_engine_dask_same_table_as_local(tmp_path):
    from layers.synthetic import write_synthetic_parcels

    f = tmp_path / "syn.gpkg"
    write_synthetic_parcels(f, 800, seed=4, districts=["pingshan", "dapeng"])
    local = run_json("parcels", f, "--by", "sz20_parks,districts", "--unit", "m2")
    dist = run_json(
        "parcels", f, "--by", "sz20_parks", "--by", "districts", "--unit", "m2", "--engine", "dask"
    )
    assert [
        (r["zone_layer"], r["zone_id"], r["landuse"], r["status"], r["parcel_count"]) for r in local
    ] == [
        (r["zone_layer"], r["zone_id"], r["landuse"], r["status"], r["parcel_count"]) for r in dist
    ]
    # the local road cuts a parcel crossing a district's edge by tiles of the district: its part
    # may differ by a hundred-millionth of a square metre (a sliver's area relatively more)
    np.testing.assert_allclose(
        [r["area"] for r in dist], [r["area"] for r in local], rtol=1e-9, atol=1e-6
    )
    bad = run(
        "parcels",
        f,
        "--by",
        "districts",
        "--engine",
        "dask",
        "--scheduler",
        "tcp://127.0.0.1:9",
        check=False,
    )
    assert bad.returncode == 2 and "scheduler" in bad.stderr and "Traceback" not in bad.stderr


def test_page_parcel_upload_tables_and_map_layer_shaded_by_code(tmp_path):
    import folium

    from landplan.web.parcel_page import (
        CLASS_COLORS,
        UNKNOWN_COLOR,
        add_parcel_layer,
        read_parcel_upload,
    )
    from layers.synthetic import synthetic_parcels

    p = synthetic_parcels(400, seed=9, districts=["pingshan"])
    p.loc[0, "landuse"] = "ZZ"
    f = tmp_path / "parcels.geojson"
    p.rename(columns={"landuse": "YDDM", "status": "ZT"}).to_crs(4326).to_file(f, engine="pyogrio")
    parcels = read_parcel_upload(f.name, f.read_bytes(), "YDDM,ZT")
    # the page's plan accounts them in the parks in effect and the districts
    from layers.plan import compute_plan
    from layers.store import Scenario

    plan = compute_plan(Scenario("", parcels=parcels), None, ("M1", "M0"))
    acc = plan.parcel_accounting
    assert set(acc["zone_layer"]) == {"sz20_parks", "districts"} and acc["synthetic"].all()
    tot = acc[(acc["zone_layer"] == "districts") & (acc["landuse"] == "(all)")]["area"].sum()
    assert tot == pytest.approx(parcels.to_crs(4547).area.sum(), rel=1e-6)
    m = folium.Map()
    assert add_parcel_layer(m, parcels, "zh", max_drawn=100) == 100
    html = m.get_root().render()
    import json

    assert CLASS_COLORS["M"] in html and UNKNOWN_COLOR in html
    assert (
        "合成数据" in html or json.dumps("合成数据")[1:-1] in html
    )  # labelled synthetic on the map


def test_cli_parcels_outside_every_zone_and_non_polygons(tmp_path):
    far = tmp_path / "far.gpkg"  # one parcel in Shenzhen, in no park
    gpd.GeoDataFrame(
        {"landuse": ["M1"], "status": ["x"]}, geometry=[box(0, 0, 10, 10)], crs=4547
    ).to_file(far, engine="pyogrio")
    proc = run("parcels", far, "--by", "sz20_parks", "--format", "json")
    assert proc.stdout.strip() == "[]"
    assert (
        "landplan: 说明: 分区内没有地块。\nlandplan: note: no parcel lies in the zones\n"
        in proc.stderr
    ), proc.stderr
    line = tmp_path / "line.gpkg"
    gpd.GeoDataFrame(
        {"landuse": ["M1"], "status": ["x"]},
        geometry=[shapely.LineString([(X0, Y0), (X0 + 9, Y0)])],
        crs=4547,
    ).to_file(line, engine="pyogrio")
    proc = run("parcels", line, "--by", "districts", check=False)
    assert proc.returncode == 2 and "polygons" in proc.stderr and "Traceback" not in proc.stderr


def test_code_names_not_checked_against_a_source_say_so():
    d = describe_codes(["M1", "M0", "R2", "M1+C1", "Q9"]).set_index("landuse")
    assert (
        d.loc["M1", "landuse_name_zh"] == "普通工业用地"
        and d.loc["M0", "landuse_name_zh"] == "新型产业用地"
    )
    assert (
        d.loc["R2", "landuse_name_zh"].endswith("（名称未核实）")
        and "unchecked" in d.loc["R2", "landuse_name_en"]
    )
    assert "未核实" in d.loc["M1+C1", "landuse_name_zh"] and bool(d.loc["M1+C1", "known_code"])
    assert not d.loc["Q9", "known_code"] and d.loc["Q9", "landuse_name_zh"] == "未知代码"
