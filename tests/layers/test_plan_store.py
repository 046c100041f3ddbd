"""Plan store and PostGIS layers against a real PostgreSQL + PostGIS server started for these tests.

The server (tests/pg_server.py) runs from a temporary folder on a free loopback port and is stopped
at the end of the session; without Debian's postgresql/postgis the PostGIS tests are skipped with a
message.
"""

import json
import signal
import subprocess
import sys
import threading
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from openpyxl import load_workbook

import layers
from geo.areas import area
from landplan.cli import main
from layers.store import FEATURES, SCENARIOS, open_store

from ..cli_helpers import landplan_exe
from ..conftest import ROOT
from ..pg_server import free_port

HOSTILE = "x'; DROP TABLE landplan_scenarios; --"


def psql(url, sql, params=None):
    import psycopg

    with psycopg.connect(url.replace("postgresql://", "postgresql://", 1), autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


def cli_json(capsys, *argv):
    capsys.readouterr()
    assert main([*map(str, argv), "--format", "json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def official_parks(path, n=3, grow_m=800):
    """Three of the 20 parks grown by 800 m, as a bureau's 'official' outlines (GeoPackage,
    EPSG:4547)."""
    g = layers.load("sz20_parks")
    g = g[g.geometry.notna() & ~g.geometry.is_empty].head(n).copy()
    g = g[["feature_id", "name_zh", "geometry"]].to_crs(4547)
    g["geometry"] = g.buffer(grow_m)
    g["说明"] = "正式边界（测试）"
    g.to_file(path, engine="pyogrio")
    return g


# --- layers from and to PostGIS -------------------------------------------------------------------


def test_every_catalog_layer_round_trips_through_postgis(db, capsys):
    for lid in layers.LAYER_IDS:
        table = f"rt_{lid}"
        capsys.readouterr()
        assert main(["convert", lid, db, "--layer", table]) == 0, capsys.readouterr().err
        orig = layers.load(lid)
        back = layers.resolve_layer(db, layer=table, for_area=False)
        assert len(back) == len(orig), lid
        assert back.crs.to_epsg() == 4326
        assert back["name_zh"].fillna("").tolist() == orig["name_zh"].fillna("").tolist(), lid
        polys = orig.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
        a0 = area(orig[polys], "m2").to_numpy()
        a1 = area(back[polys], "m2").to_numpy()
        np.testing.assert_allclose(a1, a0, rtol=1e-9, err_msg=lid)
        present = orig.geometry.notna().to_numpy()
        assert (back.geometry.notna().to_numpy() == present).all(), lid
        assert shapely.equals_exact(
            back.geometry.values[present], orig.geometry.values[present], tolerance=0
        ).all()


def test_area_and_coverage_read_a_database_table(db, capsys):
    assert main(["convert", "sz20_parks", db, "--layer", "parks20"]) == 0
    from_db = cli_json(capsys, "coverage", db, "--layer", "parks20", "--by", "districts")
    from_catalog = cli_json(capsys, "coverage", "sz20_parks", "--by", "districts")
    assert [r["zone_id"] for r in from_db] == [r["zone_id"] for r in from_catalog]
    np.testing.assert_allclose(
        [r["covered_area"] for r in from_db], [r["covered_area"] for r in from_catalog], rtol=1e-9
    )
    areas = cli_json(capsys, "area", db, "--layer", "parks20", "--unit", "mu")
    assert {r["name_zh"] for r in areas} >= {"燕罗", "石岩"}
    # a table name a user typed with quotes and spaces is a name, not SQL
    odd = "园区 o'brien; DROP TABLE parks20; --"
    assert main(["convert", "sz20_parks", db, "--layer", odd]) == 0, capsys.readouterr().err
    assert len(layers.resolve_layer(db, layer=odd)) == len(
        layers.resolve_layer(db, layer="parks20")
    )


def test_missing_table_names_the_tables_that_exist(db, capsys):
    main(["convert", "districts", db, "--layer", "d"])
    capsys.readouterr()
    assert main(["area", db, "--layer", "nope"]) == 2
    err = capsys.readouterr().err
    assert "nope" in err and "d" in err and "Traceback" not in err


# --- the plan store, on both stores ---------------------------------------------------------------


def test_scenario_save_list_show_diff_report(store_url, tmp_path, capsys):
    official = official_parks(tmp_path / "official.gpkg")
    st = ["--store", store_url]
    capsys.readouterr()
    assert main(["scenario", "save", "基线", "--note", "城市基线", "--by", "王工", *st]) == 0
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "make_synthetic_parcels.py"),
            "--n",
            "200",
            "--seed",
            "3",
            "--out",
            str(tmp_path / "parcels.gpkg"),
        ],
        check=True,
        capture_output=True,
    )
    assert (
        main(
            [
                "scenario",
                "save",
                "plan A",
                "--add",
                str(tmp_path / "official.gpkg"),
                "--role",
                "instead",
                "--official",
                "--note",
                "第一稿",
                "--parcels",
                str(tmp_path / "parcels.gpkg"),
                *st,
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "scenario",
                "save",
                "plan A",
                "--add",
                str(tmp_path / "official.gpkg"),
                "--role",
                "instead",
                "--official",
                "--note",
                "第二稿：加拟建",
                "--proposed",
                str(tmp_path / "official.gpkg"),
                *st,
            ]
        )
        == 0
    )
    listed = cli_json(capsys, "scenario", "list", *st)
    by_name = {r["name"]: r for r in listed}
    assert by_name["基线"]["versions"] == 1 and by_name["基线"]["saved_by"] == "王工"
    assert by_name["基线"]["note"] == "城市基线"
    assert by_name["plan A"]["versions"] == 2 and by_name["plan A"]["note"] == "第二稿：加拟建"
    assert listed[0]["name"] == "plan A"  # newest first
    shown = cli_json(capsys, "scenario", "show", "plan A", "--version", "1", *st)
    assert (
        shown["version"] == 1
        and shown["note"] == "第一稿"
        and shown["role"] == "instead"
        and shown["official"]
    )
    assert shown["parts"] == {"upload": 3, "parcels": 200} and [
        v["version"] for v in shown["versions"]
    ] == [1, 2]

    # the layers come back as saved: areas, Chinese text, every column
    sc = open_store(store_url).open("plan A", 1)
    np.testing.assert_allclose(
        area(sc.upload, "m2").to_numpy(), official.geometry.area.to_numpy(), rtol=1e-9
    )
    assert sc.upload["说明"].tolist() == ["正式边界（测试）"] * 3
    assert sc.upload["name_zh"].tolist() == official["name_zh"].tolist()
    parcels = gpd.read_file(tmp_path / "parcels.gpkg")
    assert len(sc.parcels) == 200 and sc.parcels["synthetic"].all()
    np.testing.assert_allclose(area(sc.parcels, "m2").sum(), parcels.geometry.area.sum(), rtol=1e-9)
    assert open_store(store_url).open("plan A", 2).parcels is None

    diff = cli_json(capsys, "scenario", "diff", "基线", "plan A", "--a-version", "1", *st)
    assert (
        diff["a"]["name"] == "基线" and diff["b"]["name"] == "plan A" and diff["b"]["version"] == 2
    )
    t = {r["target_id"]: r for r in diff["targets"]}["city_sz20_parks_area"]
    assert t["basis_a"] == "indicative" and t["basis_b"] == "proposed"
    assert t["supplied_a"] is None and t["supplied_b"] > 0 and t["supplied_change"] is None
    assert t["indicative_extent_a"] > 0
    d = {r["zone_id"]: r for r in diff["districts"]}
    from layers.summary import district_coverage

    expected = district_coverage(layer=sc.supply_layers()["sz20_parks"]).set_index("zone_id")[
        "covered_area"
    ]
    for zid, row in d.items():
        assert row["covered_area_change"] == pytest.approx(
            row["covered_area_b"] - row["covered_area_a"]
        )
        if zid in expected.index and row["covered_area_b"] is not None:
            # version 2 adds the same outlines as proposed parks: the union is unchanged from
            # version 1
            assert row["covered_area_b"] == pytest.approx(expected[zid], rel=1e-9)
    assert any(abs(r["covered_area_change"]) > 0.1 for r in diff["districts"])

    out = tmp_path / "对比.xlsx"
    assert main(["scenario", "diff", "基线", "plan A", "--out", str(out), *st]) == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["方案", "目标对比", "分区对比", "目标数据（字段）", "分区数据（字段）"]
    # the sheets a meeting reads are in words: names, basis and met in Chinese, no ids
    header = [c.value for c in wb["分区对比"][1]]
    assert header[0] == "行政区" and "覆盖面积变化（B − A，平方公里）" in header
    assert "龙岗区" in [r[0].value for r in wb["分区对比"].iter_rows(min_row=2)]
    targets = [[c.value for c in r] for r in wb["目标对比"].iter_rows()]
    assert "A 依据" in targets[0] and "basis_a" not in targets[0]
    cells = {v for row in targets[1:] for v in row}
    from layers.supply import BASIS_LABELS

    assert {BASIS_LABELS["indicative"][0], BASIS_LABELS["proposed"][0]} <= cells
    assert not cells & {"indicative", "proposed", "True", "False", True, False}
    assert [c.value for c in wb["方案"][1]][:3] == ["方", "方案名称", "版本"]
    assert [r[1].value for r in wb["方案"].iter_rows(min_row=2)] == ["基线", "plan A"]
    # and the same figures with their ids at full precision, for scripts
    header = [c.value for c in wb["分区数据（字段）"][1]]
    assert "covered_area_change" in header and "covered_pct_change" in header
    assert "basis_a" in [c.value for c in wb["目标数据（字段）"][1]]
    en = tmp_path / "compare_en.xlsx"
    assert main(["scenario", "diff", "基线", "plan A", "--out", str(en), "--lang", "en", *st]) == 0
    assert load_workbook(en).sheetnames[:3] == [
        "Scenarios",
        "Targets compared",
        "Districts compared",
    ]
    capsys.readouterr()
    assert main(["scenario", "diff", "基线", "plan A", *st]) == 0
    shown = capsys.readouterr().out
    assert "龙岗区" in shown and "覆盖面积变化" in shown and "covered_area_change" not in shown
    assert main(["scenario", "show", "plan A", *st]) == 0
    shown = capsys.readouterr().out  # the record in words: what it holds, not a JSON dict
    assert (
        "拟建园区" in shown and "内容 Holds" in shown and "{" not in shown and "parts" not in shown
    )
    # the record of the version shown once, then the scenario's versions under a heading
    assert shown.count("内容 Holds") == 2 and "== 全部 2 个版本 / all 2 versions" in shown

    report = tmp_path / "plan.xlsx"
    assert main(["scenario", "report", "plan A", "--version", "1", "--out", str(report), *st]) == 0
    from landplan.report import report_xlsx
    from layers.plan import compute_plan

    made = load_workbook(__import__("io").BytesIO(report_xlsx(compute_plan(sc))))
    assert load_workbook(report).sheetnames == made.sheetnames
    # the saved version's report is its plan's: the same districts' coverage
    got = [[c.value for c in r] for r in load_workbook(report)["分区覆盖"].iter_rows()]
    assert got[3:] == [[c.value for c in r] for r in made["分区覆盖"].iter_rows()][3:]

    capsys.readouterr()
    assert main(["scenario", "show", "no such plan", *st]) == 2
    assert "no such plan" in capsys.readouterr().err
    assert main(["scenario", "show", "plan A", "--version", "9", *st]) == 2


def test_hostile_scenario_name_is_stored_verbatim(store_url, capsys):
    st = ["--store", store_url]
    assert main(["scenario", "save", "before", *st]) == 0
    assert (
        main(["scenario", "save", HOSTILE, "--note", "'); DELETE FROM landplan_scenarios; --", *st])
        == 0
    )
    assert main(["scenario", "save", HOSTILE, *st]) == 0
    listed = {r["name"]: r for r in cli_json(capsys, "scenario", "list", *st)}
    assert set(listed) == {"before", HOSTILE}
    assert listed[HOSTILE]["versions"] == 2
    assert (
        cli_json(capsys, "scenario", "show", HOSTILE, "--version", "1", *st)["note"]
        == "'); DELETE FROM landplan_scenarios; --"
    )


def test_two_concurrent_saves_both_keep_their_work(store_url):
    store = open_store(store_url)
    store.save(
        "warm-up"
    )  # the store exists before the race (creation races are covered by os.link / a lock)
    parks = layers.load("sz20_parks")
    parks = parks[parks.geometry.notna() & ~parks.geometry.is_empty].reset_index(drop=True)
    grid = gpd.GeoDataFrame(
        {"k": np.arange(2000)},
        geometry=shapely.box(
            *np.array(
                [[113.9 + i * 1e-3, 22.6, 113.9 + i * 1e-3 + 5e-4, 22.6005] for i in range(2000)]
            ).T
        ),
        crs=4326,
    )
    errors, barrier = [], threading.Barrier(2)

    def save(who, layer):
        try:
            barrier.wait()
            open_store(store_url).save("shared plan", proposed=layer, note=who, by=who)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=save, args=("alice", parks)),
        threading.Thread(target=save, args=("bob", grid)),
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=300)
    assert not errors, errors
    v = store.versions("shared plan")
    assert sorted(v["version"]) == [1, 2] and sorted(v["saved_by"]) == ["alice", "bob"]
    for row in v.itertuples():
        sc = store.open("shared plan", row.version)
        assert len(sc.proposed) == (len(parks) if row.saved_by == "alice" else len(grid))


# --- failures
# --------------------------------------------------------------------------------------


def test_connection_killed_mid_save_leaves_nothing(db, tmp_path):
    import psycopg

    official_parks(tmp_path / "official.gpkg")
    open_store(db).save("kept")
    before = psql(
        db, f"SELECT (SELECT count(*) FROM {SCENARIOS}), (SELECT count(*) FROM {FEATURES})"
    )[0]
    locker = psycopg.connect(
        db
    )  # holds the feature table, so that the save waits after its first insert
    locker.execute(f"LOCK TABLE {FEATURES} IN ACCESS EXCLUSIVE MODE")
    proc = subprocess.Popen(
        [
            landplan_exe(),
            "scenario",
            "save",
            "cut",
            "--add",
            str(tmp_path / "official.gpkg"),
            "--store",
            db,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        waiting = []
        for _ in range(240):
            waiting = psql(
                db,
                "SELECT pid FROM pg_stat_activity WHERE application_name = 'landplan' "
                "AND wait_event_type = 'Lock'",
            )
            if waiting or proc.poll() is not None:
                break
            time.sleep(0.25)
        assert waiting, (
            f"the save never waited on the lock: {proc.poll()} "
            f"{proc.stderr.read() if proc.poll() else ''}"
        )
        # the save has written its version row in its transaction and waits to write the features
        assert psql(db, "SELECT pg_terminate_backend(%s)", (waiting[0][0],)) == [(True,)]
    finally:
        locker.rollback()
        locker.close()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err
    assert "Traceback" not in err and "nothing was saved" in err and "未保存任何内容" in err
    after = psql(
        db, f"SELECT (SELECT count(*) FROM {SCENARIOS}), (SELECT count(*) FROM {FEATURES})"
    )[0]
    assert after == before
    assert psql(db, f"SELECT count(*) FROM {SCENARIOS} WHERE name = 'cut'") == [(0,)]
    # and the store still works
    assert open_store(db).save("cut", upload=layers.load("sz20_parks").head(2)).version == 1


def test_process_killed_mid_save_leaves_the_geopackage_as_it_was(tmp_path):
    store_path = tmp_path / "plans.gpkg"
    open_store(store_path).save("kept", upload=layers.load("sz20_parks"))
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "make_synthetic_parcels.py"),
            "--n",
            "20000",
            "--seed",
            "4",
            "--out",
            str(tmp_path / "parcels.gpkg"),
        ],
        check=True,
        capture_output=True,
    )
    journal = store_path.with_name(store_path.name + "-journal")
    proc = subprocess.Popen(
        [
            landplan_exe(),
            "scenario",
            "save",
            "cut",
            "--parcels",
            str(tmp_path / "parcels.gpkg"),
            "--store",
            str(store_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(
            2400
        ):  # SQLite's rollback journal exists while the save's transaction writes
            if journal.exists() or proc.poll() is not None:
                break
            time.sleep(0.025)
        assert journal.exists(), "the save never started writing"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL  # killed before it could commit
    store = open_store(store_path)  # the hot journal is rolled back on opening
    assert list(store.list()["name"]) == ["kept"]
    import sqlite3

    with sqlite3.connect(store_path) as con:
        assert con.execute(f"SELECT count(*) FROM {FEATURES}").fetchone()[0] == len(
            layers.load("sz20_parks")
        )
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert store.save("cut").version == 1


def test_server_down_or_login_refused_is_one_sentence(pg, tmp_path):
    down = f"postgresql://planner:s3cret-pw@127.0.0.1:{free_port()}/plans"
    for argv in (
        ["scenario", "list", "--store", down],
        ["area", down, "--layer", "parks"],
        ["convert", "sz20_parks", down, "--layer", "parks"],
    ):
        proc = subprocess.run([landplan_exe(), *argv], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr and "s3cret" not in proc.stderr
        assert "Could not reach the database" in proc.stderr and "无法连接数据库" in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 2  # Chinese line, English line
    refused = f"postgresql://no_such_role:pw@127.0.0.1:{pg.port}/postgres"
    proc = subprocess.run(
        [landplan_exe(), "scenario", "list", "--store", refused],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "refused the login" in proc.stderr and "pw@" not in proc.stderr
    assert "Traceback" not in proc.stderr


def test_default_store_is_landplan_store_or_home(tmp_path, monkeypatch):
    monkeypatch.setenv("LANDPLAN_STORE", str(tmp_path / "team.gpkg"))
    open_store().save("from env")
    assert (tmp_path / "team.gpkg").exists()
    monkeypatch.delenv("LANDPLAN_STORE")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    open_store().save("at home")
    assert (tmp_path / "home" / ".landplan" / "plans.gpkg").exists()
    # the embedded store is a GeoPackage other tools open: the features are a layer
    import pyogrio

    info = {name for name, _ in pyogrio.list_layers(tmp_path / "home" / ".landplan" / "plans.gpkg")}
    assert FEATURES in info
    assert list(pd.Series(open_store().list()["name"])) == ["at home"]


# --- a scenario's parcels; database tables read like files ----------------------------------------


def test_scenario_parcels_measure_targets_in_diff_and_report(store_url, tmp_path, capsys):
    """The parcels saved with a scenario measure the targets parcels can (Longgang's industrial
    land),
    in the diff and in the meeting workbook, as `landplan parcels --counts` does."""
    from layers.parcel_totals import parcel_targets
    from layers.parcels import read_parcels
    from layers.synthetic import write_synthetic_parcels

    write_synthetic_parcels(tmp_path / "lg.gpkg", 400, seed=5, districts=["longgang"])
    st = ["--store", store_url]
    assert main(["scenario", "save", "基线", *st]) == 0
    assert main(["scenario", "save", "龙岗地块", "--parcels", str(tmp_path / "lg.gpkg"), *st]) == 0
    expected = parcel_targets(read_parcels(tmp_path / "lg.gpkg"), ["M1"], unit="ha").set_index(
        "target_id"
    )
    diff = cli_json(
        capsys, "scenario", "diff", "基线", "龙岗地块", "--counts", "M1", "--unit", "ha", *st
    )
    rows = {r["target_id"]: r for r in diff["targets"]}
    for tid in ("longgang_industrial_land_total", "longgang_block_line_industrial_land"):
        r = rows[tid]
        assert r["basis_b"] == "measured" and r["basis_a"] != "measured", r
        assert (
            r["supplied_b"] == pytest.approx(expected.loc[tid, "supplied"], rel=1e-9)
            and r["supplied_b"] > 0
        )
        assert r["met_status_b"] == expected.loc[tid, "met_status"]
    # codes that count change the figure
    more = cli_json(
        capsys, "scenario", "diff", "基线", "龙岗地块", "--counts", "M1,M0", "--unit", "ha", *st
    )
    assert {r["target_id"]: r for r in more["targets"]}["longgang_industrial_land_total"][
        "supplied_b"
    ] >= rows["longgang_industrial_land_total"]["supplied_b"]
    capsys.readouterr()
    assert main(["scenario", "diff", "基线", "龙岗地块", "--counts", " ", *st]) == 2
    assert "--counts" in capsys.readouterr().err

    report = tmp_path / "龙岗.xlsx"
    assert (
        main(
            [
                "scenario",
                "report",
                "龙岗地块",
                "--counts",
                "M1",
                "--unit",
                "ha",
                "--out",
                str(report),
                *st,
            ]
        )
        == 0
    )
    name = layers.targets().set_index("target_id").loc["longgang_industrial_land_total", "name_zh"]
    wb = load_workbook(report)
    found = [
        [c for c in row if c is not None]
        for ws in wb
        for row in ws.iter_rows(values_only=True)
        if name in [c for c in row if isinstance(c, str)]
    ]
    assert found
    want = expected.loc["longgang_industrial_land_total", "supplied"]
    assert any(
        isinstance(c, (int, float)) and abs(c - want) < 0.01 for row in found for c in row
    ), found


def _table(url, name, srid, wkts, kind="Geometry"):
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE TABLE "{name}" (id int, name text, geom geometry({kind}, {srid}))')
        for i, wkt in enumerate(wkts):
            conn.execute(
                f'INSERT INTO "{name}" VALUES (%s, %s, ST_Force3D(ST_GeomFromText(%s, {srid})))'
                if kind.endswith("Z")
                else f'INSERT INTO "{name}" VALUES (%s, %s, ST_GeomFromText(%s, {srid}))',
                (i, f"地块{i}", wkt),
            )


def test_database_table_is_repaired_and_reported_as_a_file_is(db, capsys):
    # in EPSG:4547 (Longgang), with heights: a bow-tie (invalid) and a plain square
    x, y = 530_000, 2_515_000
    bowtie = f"POLYGON(({x} {y}, {x + 200} {y + 200}, {x + 200} {y}, {x} {y + 200}, {x} {y}))"
    square = f"POLYGON(({x} {y}, {x + 100} {y}, {x + 100} {y + 100}, {x} {y + 100}, {x} {y}))"
    _table(db, "bad parcels", 4547, [bowtie, square], kind="GeometryZ")
    capsys.readouterr()
    assert main(["area", db, "--layer", "bad parcels", "--unit", "m2", "--format", "json"]) == 0
    out = capsys.readouterr()
    assert "invalid geometr" in out.err and "无效几何已修复" in out.err  # reported, Chinese first
    assert "Z (height)" in out.err
    areas = sorted(r["area"] for r in json.loads(out.out))
    assert areas == pytest.approx(
        [10_000.0, 20_000.0], rel=1e-6
    )  # the bow-tie's two triangles, the square
    gdf = layers.resolve_layer(db, layer="bad parcels")
    assert gdf.geometry.is_valid.all() and not gdf.geometry.has_z.any() and gdf.attrs["repairs"]


def test_crs_overrides_a_tables_srid_when_the_user_says_so(db, capsys):
    x, y = 530_000, 2_515_000
    square = f"POLYGON(({x} {y}, {x + 100} {y}, {x + 100} {y + 100}, {x} {y + 100}, {x} {y}))"
    _table(db, "wrong_srid", 4326, [square])  # EPSG:4547 numbers under SRID 4326
    _table(db, "no_srid", 0, [square])
    for table in ("wrong_srid", "no_srid"):
        capsys.readouterr()
        assert main(["area", db, "--layer", table, "--unit", "m2"]) == 2, table
        err = capsys.readouterr().err
        assert "--crs" in err and "Traceback" not in err, err
        got = cli_json(capsys, "area", db, "--layer", table, "--crs", "EPSG:4547", "--unit", "m2")
        assert got[0]["area"] == pytest.approx(10_000.0, rel=1e-6), table
    capsys.readouterr()
    main(["area", db, "--layer", "wrong_srid", "--crs", "EPSG:4547", "--unit", "m2"])
    assert "EPSG:4547" in capsys.readouterr().err  # said: the coordinate system was set as asked
