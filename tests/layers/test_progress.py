"""The progress ledger (进度台账): entries in both plan stores, corrections, as-of dates, the
reported basis beside the measured one, and ``landplan progress`` as a planner types it.

The PostGIS store runs on the private server of tests/pg_server.py (fixtures in conftest).
"""

import getpass
import json
import re
import shlex
import sqlite3
import subprocess
import threading
from datetime import date, timedelta

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from openpyxl import load_workbook

import layers
from geo.errors import LandplanError
from geo.units import convert_area
from landplan.present.tables import targets_table
from layers import ledger
from layers.scenario import layers_in_effect
from layers.store import PROGRESS, PROGRESS_COLUMNS, open_store
from layers.supply import ABOUT_TOLERANCE, target_supply
from layers.units import in_unit

from ..cli_helpers import landplan_exe, run

TOMORROW = (date.today() + timedelta(days=1)).isoformat()
IC = "city_semiconductor_ic_parks"  # ≥ 4 parks
ASSEMBLY = "longgang_land_assembly"  # ≥ 4 km²
RETAINED = "longgang_retention_upgrade_zone"  # > 25 km²
REBUILT = "longgang_industrial_to_industrial_space"  # about 140 万m² of floor space
TERMINALS = "city_smart_terminal_specialist_parks"  # 3–5 parks
DEMO = "city_netcom_demo_parks"  # 5 parks


def _sql(url, statement):
    """Run one statement on the store's own database, as another program would."""
    if url.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(statement)
    else:
        con = sqlite3.connect(url, isolation_level=None)
        try:
            con.execute(statement)
        finally:
            con.close()


# --- the stores -----------------------------------------------------------------------------------


def test_entries_round_trip_in_both_stores_with_the_same_layout(store_url):
    store = open_store(store_url)
    assert store.entries().empty and list(store.entries().columns) == PROGRESS_COLUMNS
    a = ledger.add_entry(
        store,
        "longgang_land_assembly",
        "6,000",
        "2025/6/30",
        "龙岗区土地整备工作会议纪要（2025年第3期），https://example.org/minutes.pdf",
        by="王工",
        note="含坪地北片区",
        unit="亩",
    )
    b = ledger.add_entry(store, "city_semiconductor_ic_parks", 3, date(2025, 3, 31), "市工信局通知")
    got = store.entries()
    assert list(got["id"]) == [a["id"], b["id"]] and a["id"] < b["id"]
    first = got.iloc[0]
    assert (first["target_id"], first["value"], first["unit"]) == (
        "longgang_land_assembly",
        6000.0,
        "mu",
    )
    assert first["as_of"] == "2025-06-30" and first["entered_by"] == "王工"
    assert first["source"].endswith("minutes.pdf") and first["note"] == "含坪地北片区"
    assert pd.isna(first["corrects"])
    entered = pd.Timestamp(first["entered_at"])
    assert (
        entered.tzinfo is not None
        and abs(pd.Timestamp.now(tz="UTC") - entered).total_seconds() < 600
    )
    assert got.iloc[1]["entered_by"] == getpass.getuser()  # nobody named: the login name
    assert list(store.entries("city_semiconductor_ic_parks")["id"]) == [b["id"]]
    # the same columns and types in both stores, as any program reading the table sees them
    assert list(got.columns) == PROGRESS_COLUMNS
    assert [str(t) for t in got.dtypes] == ["int64", "object", "float64"] + ["object"] * 6 + [
        "Int64"
    ]
    if store_url.endswith(".gpkg"):
        assert PROGRESS in pyogrio.list_layers(store_url)[:, 0]  # a table QGIS lists
        read = pyogrio.read_dataframe(store_url, layer=PROGRESS)
        assert str(read["as_of"].dt.date.iloc[0]) == "2025-06-30"


def test_entries_are_never_changed_or_deleted(store_url):
    store = open_store(store_url)
    e = ledger.add_entry(store, "city_netcom_demo_parks", 2, "2025-06-30", "纪要", by="a")
    for statement in (
        f"UPDATE {PROGRESS} SET value = 5",
        f"DELETE FROM {PROGRESS}",
    ):
        with pytest.raises(Exception, match="append-only"):
            _sql(store_url, statement)
    got = store.entries()
    assert len(got) == 1 and got.iloc[0]["value"] == 2.0 and got.iloc[0]["id"] == e["id"]


def test_a_store_made_before_the_ledger_gets_its_table_on_the_first_entry(store_url):
    open_store(store_url).save("2025供地", note="made before the ledger")
    _sql(store_url, f"DROP TABLE {PROGRESS}")  # as a store of an earlier landplan has none
    if not store_url.startswith("postgresql://"):
        _sql(store_url, f"DELETE FROM gpkg_contents WHERE table_name = '{PROGRESS}'")
    store = open_store(store_url)
    assert store.entries().empty  # reading creates nothing
    e = ledger.add_entry(store, "city_netcom_demo_parks", 2, "2025-06-30", "纪要")
    assert list(open_store(store_url).entries()["id"]) == [e["id"]]
    assert open_store(store_url).open("2025供地").note == "made before the ledger"
    with pytest.raises(Exception, match="append-only"):
        _sql(store_url, f"DELETE FROM {PROGRESS}")


def test_a_file_that_is_not_a_plan_store_is_one_sentence(tmp_path):
    (tmp_path / "notes.gpkg").write_text("minutes of the meeting")
    gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(114, 22.6)], crs=4326).to_file(
        tmp_path / "parks.gpkg"
    )
    for store, command, words in (
        (tmp_path / "notes.gpkg", "progress list", "is not a landplan plan store"),
        (tmp_path, "progress list", "is not a landplan plan store"),
        (
            tmp_path / "parks.gpkg",
            f"progress set {DEMO} 1 --as-of 2025-01-01 --source x",
            "is not a",
        ),
    ):
        res = typed(command, str(store), check=False)
        assert res.returncode == 2 and words in res.stderr and "Traceback" not in res.stderr
    # nothing written into another program's GeoPackage
    assert PROGRESS not in pyogrio.list_layers(tmp_path / "parks.gpkg")[:, 0]


def test_two_people_entering_at_once_are_both_kept(store_url):
    store = open_store(store_url)
    ledger.add_entry(store, "city_netcom_demo_parks", 1, "2025-01-31", "纪要")  # the table exists
    barrier, errors = threading.Barrier(2), []

    def enter(who, target):
        try:
            barrier.wait()
            mine = open_store(store_url)
            for month in range(1, 9):
                ledger.add_entry(mine, target, month, f"2025-{month:02d}-28", f"{who} 月报", by=who)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=enter, args=("alice", "city_netcom_terminal_bases")),
        threading.Thread(target=enter, args=("bob", "city_netcom_component_bases")),
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=300)
    assert not errors, errors
    got = store.entries()
    assert len(got) == 17 and got["id"].is_unique
    for who in ("alice", "bob"):
        mine = got[got["entered_by"] == who]
        assert sorted(mine["value"]) == list(map(float, range(1, 9)))


def test_two_imports_at_once_in_two_processes_are_both_kept(store_url, tmp_path):
    rows = {"alice": "city_health_industry_areas", "bob": "city_safety_env_agglomeration_areas"}
    run("progress", "template", "--out", tmp_path / "t.xlsx", "--store", store_url)
    files = {}
    for who, target in rows.items():
        files[who] = _fill(
            tmp_path / "t.xlsx",
            tmp_path / f"{who}.xlsx",
            {target: {"value": 4, "as_of": "2025-06-30", "source": f"{who} 统计"}},
        )
    procs = [
        subprocess.Popen(
            [landplan_exe(), "progress", "import", str(f), "--by", who, "--store", store_url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who, f in files.items()
    ]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    got = open_store(store_url).entries()
    assert sorted(zip(got["entered_by"], got["target_id"])) == sorted(rows.items())


# --- corrections and dates ------------------------------------------------------------------------


def test_a_correction_replaces_the_entry_it_names_and_is_refused_where_it_cannot_be(store_url):
    store = open_store(store_url)
    wrong = ledger.add_entry(store, "city_semiconductor_ic_parks", 5, "2025-06-30", "通知", by="a")
    other = ledger.add_entry(store, "city_netcom_demo_parks", 2, "2025-06-30", "纪要", by="a")
    fixed = ledger.add_entry(
        store, "city_semiconductor_ic_parks", 4, "2025-06-30", "通知（更正）", corrects=wrong["id"]
    )
    latest = ledger.latest_entries(store).set_index("target_id")
    assert latest.loc["city_semiconductor_ic_parks", "value"] == 4.0
    hist = ledger.history(store, "city_semiconductor_ic_parks").set_index("id")
    assert (
        hist.loc[wrong["id"], "corrected_by"] == fixed["id"]
        and not hist.loc[wrong["id"], "in_force"]
    )
    assert hist.loc[fixed["id"], "in_force"] and hist.loc[fixed["id"], "corrects"] == wrong["id"]
    before = store.entries()
    for corrects, words in (
        (wrong["id"], f"already corrected by entry {fixed['id']}"),  # correct the correction
        (other["id"], "is of target city_netcom_demo_parks"),
        (9999, "no entry 9999"),
    ):
        with pytest.raises(LandplanError) as exc:
            ledger.add_entry(
                store, "city_semiconductor_ic_parks", 3, "2025-06-30", "x", corrects=corrects
            )
        assert words in str(exc.value) and "未保存" in exc.value.message_zh
    pd.testing.assert_frame_equal(store.entries(), before)  # nothing saved


def test_two_corrections_of_one_entry_at_once_keep_exactly_one(store_url):
    store = open_store(store_url)
    e = ledger.add_entry(store, "city_netcom_demo_parks", 2, "2025-06-30", "纪要")
    barrier, outcomes = threading.Barrier(2), []

    def correct(value):
        barrier.wait()
        try:
            ledger.add_entry(
                open_store(store_url),
                "city_netcom_demo_parks",
                value,
                "2025-06-30",
                "更正",
                corrects=e["id"],
            )
            outcomes.append("kept")
        except Exception as exc:  # noqa: BLE001 - one of the two is refused
            outcomes.append(str(exc))

    threads = [threading.Thread(target=correct, args=(v,)) for v in (3, 4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=300)
    assert outcomes.count("kept") == 1, outcomes
    refused = [o for o in outcomes if o != "kept"]
    assert f"Entry {e['id']} was already corrected by entry" in refused[0], refused
    assert len(store.entries()) == 2


def test_latest_entries_as_of_a_date_and_as_the_ledger_stood(tmp_path):
    store = open_store(tmp_path / "plans.gpkg")
    t = "city_digital_creative_theme_parks"
    q1 = ledger.add_entry(store, t, 6, "2025-03-31", "一季度")
    q2 = ledger.add_entry(store, t, 8, "2025-06-30", "二季度")
    stood = store.entries()["entered_at"].max()
    ledger.add_entry(store, t, 7, "2025-03-31", "一季度（更正）", corrects=q1["id"])
    late = ledger.add_entry(store, t, 8, "2025-06-30", "二季度（补录）")  # same date, entered later
    ledger.add_entry(store, "longgang_land_assembly", 3, "2025-05-31", "纪要", unit="km2")

    def value(as_of=None, **kw):
        got = ledger.latest_entries(store, as_of=as_of, **kw).set_index("target_id")
        return got.loc[t, "value"] if t in got.index else None

    assert value("2025-01-01") is None
    assert value("2025-03-31") == 7.0  # the correction, not the entry it corrects
    assert value(date(2025, 5, 1)) == 7.0
    assert value("2025-06-30") == 8.0 and value() == 8.0
    assert ledger.latest_entries(store).set_index("target_id").loc[t, "id"] == late["id"]
    assert value("2025-04-01", recorded_before=stood) == 6.0  # before the correction was entered
    assert (
        ledger.latest_entries(store, recorded_before=stood).set_index("target_id").loc[t, "id"]
        == q2["id"]
    )
    longgang = ledger.latest_entries(store, district="龙岗")
    assert list(longgang["target_id"]) == [
        "longgang_land_assembly"
    ]  # a city target is not Longgang's
    assert list(ledger.latest_entries(store, district="Pingshan")["target_id"]) == []


def test_bad_entries_are_one_sentence_and_change_nothing(tmp_path):
    store = open_store(tmp_path / "plans.gpkg")
    cases = [
        (("nope_target", 1, "2025-01-01", "x"), {}, "Unknown target 'nope_target'"),
        (
            ("city_semiconductor_ic_parkz", 1, "2025-01-01", "x"),
            {},
            "did you mean city_semiconductor_ic_parks",
        ),
        (("city_semiconductor_ic_parks", "four", "2025-01-01", "x"), {}, "'four' is not a number"),
        (("city_semiconductor_ic_parks", 4.5, "2025-01-01", "x"), {}, "not a whole number"),
        (("city_semiconductor_ic_parks", -1, "2025-01-01", "x"), {}, "negative"),
        (("city_semiconductor_ic_parks", 4, "2025-01-01", "x"), {"unit": "亩"}, "use a count"),
        (("longgang_land_assembly", 4, "2025-01-01", "x"), {"unit": "个"}, "use an area unit"),
        (
            ("longgang_land_assembly", 4, "2025-01-01", "x"),
            {"unit": "acres"},
            "'acres' is not known",
        ),
        (("longgang_land_assembly", 4, "2025-02-30", "x"), {}, "'2025-02-30' is not a date"),
        (("longgang_land_assembly", 4, TOMORROW, "x"), {}, "is after today"),
        (("longgang_land_assembly", 4, "2025-01-01", " "), {}, "No source"),
    ]
    for args, kw, words in cases:
        with pytest.raises(LandplanError) as exc:
            ledger.add_entry(store, *args, **kw)
        assert words in str(exc.value), (args, str(exc.value))
        assert exc.value.message_zh and "\n" not in str(exc.value)
    assert store.entries().empty


# --- the reported basis beside the measured one ---------------------------------------------------


def _entry(target_id, value, unit, as_of="2025-06-30", i=1):
    return {
        "id": i,
        "target_id": target_id,
        "value": float(value),
        "unit": unit,
        "as_of": as_of,
        "source": "季度统计",
        "entered_by": "王工",
        "entered_at": "2025-07-01T08:00:00.000Z",
        "note": "",
        "corrects": pd.NA,
    }


def _joined(supply, *entries):
    return ledger.join_reported(supply, pd.DataFrame(list(entries))).set_index("target_id")


def test_met_is_decided_on_a_reported_value_with_each_comparator():
    supply = target_supply(unit="km2")
    t = supply.set_index("target_id")
    # nothing measures these: without an entry met is unknown, whatever the comparator
    cases = {">=": IC, ">": RETAINED, "~": REBUILT, "range": TERMINALS, "=": DEMO}
    for comparator, tid in cases.items():
        assert t.loc[tid, "comparator"] == comparator and t.loc[tid, "met"] is None
    v, unit = t["value"], t["unit"]
    about = v[REBUILT] * (1 - ABOUT_TOLERANCE)
    lo, hi = t.loc[TERMINALS, "value"], t.loc[TERMINALS, "value_max"]
    checks = [
        (IC, v[IC], True),
        (IC, v[IC] - 1, False),
        (RETAINED, v[RETAINED], False),  # more than, not at least
        (RETAINED, v[RETAINED] + 0.01, True),
        (REBUILT, about, True),
        (REBUILT, about - 0.01, False),
        (TERMINALS, lo - 1, False),
        (TERMINALS, lo, True),
        (TERMINALS, hi, True),
        (TERMINALS, hi + 1, False),
        (DEMO, v[DEMO], True),
        (DEMO, v[DEMO] + 1, False),
    ]
    for tid, value, met in checks:
        row = _joined(supply, _entry(tid, value, unit[tid])).loc[tid]
        assert row["met"] is met, (tid, value)
        assert row["met_status"] == ("met" if met else "not_met")
        assert (row["basis"], row["met_decided_by"]) == ("reported", "reported")
        assert row["reported_value"] == pytest.approx(value)
        assert row["shortfall"] == pytest.approx(max(row["value"] - value, 0.0))
        assert row["reported_as_of"] == "2025-06-30" and row["reported_by"] == "王工"
        assert row["reported_source"] == "季度统计" and pd.isna(row["supplied"])
    shown = targets_table(ledger.join_reported(supply, pd.DataFrame([_entry(DEMO, 5, "count")])))
    demo = shown[shown["目标"] == t.loc[DEMO, "name_zh"]].iloc[0]
    assert (demo["测算依据"], demo["是否达标"]) == ("填报（进度台账）", "达标")  # in words
    untouched = _joined(supply, _entry("city_netcom_demo_parks", 5, "count"))
    others = untouched.drop(index="city_netcom_demo_parks")
    assert (
        others["reported_entry"].isna().all() and (others["basis"].fillna("") != "reported").all()
    )
    pd.testing.assert_series_equal(
        others["met"], supply.set_index("target_id").drop(index="city_netcom_demo_parks")["met"]
    )


def test_entries_in_other_area_units_are_converted_to_the_tables_unit():
    tid = "longgang_land_assembly"  # ≥ 4 km²
    for unit in ("km2", "mu", "ha"):
        supply = target_supply(unit=unit)
        for entered, entry_unit, met in (
            (5999, "亩", False),
            (6000, "mu", True),
            (400, "公顷", True),
        ):
            row = _joined(supply, _entry(tid, entered, entry_unit)).loc[tid]
            assert row["reported_value"] == pytest.approx(convert_area(entered, entry_unit, unit))
            assert row["met"] is met and row["unit"] == unit
    # ≥ 35.8 km² reported as 3,580 公顷 or 53,700 亩 is met: no rounding noise of the conversion
    block = "longgang_block_line_industrial_land"
    for entered, entry_unit in ((3580, "公顷"), (53700, "亩"), (35.8, "km2")):
        row = _joined(target_supply(), _entry(block, entered, entry_unit)).loc[block]
        assert row["comparator"] == ">=" and row["met"] is True, (entered, entry_unit)
        assert (
            _joined(target_supply(), _entry(block, entered * 0.999, entry_unit)).loc[block, "met"]
            is False
        )
    joined = ledger.join_reported(
        target_supply(unit="km2"), pd.DataFrame([_entry(tid, 6000, "mu")])
    )
    assert in_unit(joined, "ha").set_index("target_id").loc[tid, "reported_value"] == pytest.approx(
        400
    )
    floor = _joined(
        target_supply(), _entry("longgang_industrial_to_industrial_space", 1_400_000, "m2")
    )
    row = floor.loc["longgang_industrial_to_industrial_space"]  # floor space stays in 万m²
    assert (
        row["unit"] == "万m2" and row["reported_value"] == pytest.approx(140) and row["met"] is True
    )


def test_a_measurement_wins_over_a_reported_value_and_both_are_kept():
    park = gpd.GeoDataFrame(
        {"feature_id": ["u1"], "kind": ["sz20_park"], "district_ids": [["baoan"]]},
        geometry=[shapely.box(480000, 2510000, 483000, 2512000)],
        crs=4547,
    )  # 6 km² of official outline: the 20 parks' ~300 km² is measured and not met
    measured = target_supply(supply_layers=layers_in_effect(park, "instead", upload_official=True))
    row = _joined(measured, _entry("city_sz20_parks_area", 300, "km2")).loc["city_sz20_parks_area"]
    assert (row["basis"], row["met"], row["met_decided_by"]) == ("measured", False, "measured")
    assert row["supplied"] == pytest.approx(6.0, rel=1e-6) and row["reported_value"] == 300
    assert row["shortfall"] == pytest.approx(294.0, rel=1e-6)
    # a proposal is not what stands: the reported figure decides, the proposal's figure is kept
    proposed = target_supply(supply_layers=layers_in_effect(park, "instead", upload_official=False))
    alone = proposed.set_index("target_id").loc["city_sz20_parks_area"]
    assert (alone["basis"], alone["met"]) == ("proposed", False)
    assert (
        ledger.join_reported(proposed, pd.DataFrame(columns=PROGRESS_COLUMNS))
        .set_index("target_id")
        .loc["city_sz20_parks_area", "met_decided_by"]
        == "proposed"
    )
    row = _joined(proposed, _entry("city_sz20_parks_area", 300, "km2")).loc["city_sz20_parks_area"]
    assert (row["basis"], row["met"], row["met_decided_by"]) == ("reported", True, "reported")
    assert row["supplied"] == pytest.approx(6.0, rel=1e-6)
    # on the catalog's indicative discs met is unknown until a figure is reported
    catalog = target_supply()
    assert catalog.set_index("target_id").loc["city_sz20_parks_count", "met"] is None
    row = _joined(catalog, _entry("city_sz20_parks_count", 19, "count")).loc[
        "city_sz20_parks_count"
    ]
    assert (row["met"], row["basis"]) == (False, "reported")
    assert (
        row["indicative_extent"]
        == catalog.set_index("target_id").loc["city_sz20_parks_count", "indicative_extent"]
    )


# --- the command line, as a planner types it ------------------------------------------------------


def typed(line: str, store: str, check: bool = True):
    """``landplan LINE --store STORE`` as a planner types it in a shell."""
    return run(*shlex.split(line), "--store", store, check=check)


def test_cli_set_list_history_and_a_correction(store_url):
    out = typed(
        f"progress set {IC} 3 --as-of 2025-03-31 --source 市工信局《认定集成电路产业园的通知》",
        store_url,
    )
    assert "条目 1" in out.stderr and "entry 1" in out.stderr
    assert "3 个" in out.stdout and "有效" in out.stdout
    typed(
        f"progress set {ASSEMBLY} 5000 --unit 亩 --as-of 2025-06-30 --source 整备纪要 --by 张三 "
        "--note 含坪地",
        store_url,
    )
    fixed = typed(
        f"progress set {ASSEMBLY} 5200 --unit 亩 --as-of 2025-06-30 --source '整备纪要（更正）' "
        "--corrects 2 --format json",
        store_url,
    )
    fixed = json.loads(fixed.stdout)[0]
    assert fixed["corrects"] == 2 and fixed["entered_by"] == getpass.getuser()
    table = typed("progress list", store_url).stdout
    assert "专业集成电路产业园" in table and "≥ 4 个" in table and "深圳市" in table
    assert "5,200 亩（3.47 平方公里）" in table and "龙岗区" in table and "≥ 4 平方公里" in table
    assert "5,000" not in table and ASSEMBLY not in table  # the corrected figure is gone; no ids
    got = {
        r["target_id"]: r
        for r in json.loads(typed("progress list --format json", store_url).stdout)
    }
    assert (got[ASSEMBLY]["value"], got[ASSEMBLY]["unit"]) == (5200, "mu")
    assert (got[ASSEMBLY]["target_value"], got[ASSEMBLY]["target_unit"]) == (4, "km2")
    assert got[IC]["target_name_zh"] == "专业集成电路产业园" and got[IC]["entered_by"] != "张三"
    early = json.loads(typed("progress list --as-of 2025-04-30 --format json", store_url).stdout)
    assert [r["target_id"] for r in early] == [IC]
    longgang = json.loads(
        typed("progress list --district Longgang --format json", store_url).stdout
    )
    assert [r["target_id"] for r in longgang] == [ASSEMBLY]
    hist = typed(f"progress history {ASSEMBLY}", store_url).stdout
    assert "已被条目 3 更正" in hist and "有效（更正条目 2）" in hist and "5,000 亩" in hist
    csv = typed(f"progress history {ASSEMBLY} --format csv", store_url).stdout
    assert csv.splitlines()[0].startswith("id,target_id,value,unit,as_of,source,entered_by")
    # landplan targets shows the reported figures beside the targets, as the plan joins them
    targets = {
        r["target_id"]: r
        for r in json.loads(typed("targets --unit km2 --format json", store_url).stdout)
    }
    ic, assembly = targets[IC], targets[ASSEMBLY]
    assert (ic["basis"], ic["reported_value"], ic["met_status"]) == ("reported", 3, "not_met")
    assert ic["reported_as_of"] == "2025-03-31" and "集成电路" in ic["reported_source"]
    assert assembly["reported_value"] == pytest.approx(5200 / 1500)  # 亩 in km²
    assert assembly["basis"] == "reported" and assembly["met_status"] == "not_met"
    before = json.loads(typed("targets --as-of 2025-04-30 --format json", store_url).stdout)
    assert [r["target_id"] for r in before if r.get("reported_value") is not None] == [IC]
    shown = typed("targets --district 龙岗", store_url).stdout
    assert "填报" in shown  # the basis in words on the terminal


def test_cli_bad_input_is_one_sentence_in_two_languages_and_changes_nothing(tmp_path):
    store_url = str(tmp_path / "plans.gpkg")
    typed(f"progress set {ASSEMBLY} 6000 --unit 亩 --as-of 2025-06-30 --source 纪要", store_url)
    before = typed("progress list --format json", store_url).stdout
    for line, words in (
        ("progress set no_such_target 1 --as-of 2025-01-01 --source x", "Unknown target"),
        (f"progress set {IC} many --as-of 2025-01-01 --source x", "not a number"),
        (f"progress set {IC} 4 --as-of {TOMORROW} --source x", "after today"),
        (f"progress set {IC} 4 --as-of 30/06/2025 --source x", "not a date"),
        (f"progress set {IC} 4 --source x", "--as-of"),
        (f"progress set {IC} 4 --as-of 2025-01-01 --source x --corrects 1", "is of target"),
        ("progress list --district Atlantis", "no district"),
        ("progress list --as-of yesterday", "not a date"),
        ("progress history nope", "Unknown target"),
    ):
        bad = typed(line, store_url, check=False)
        assert bad.returncode == 2 and "Traceback" not in bad.stderr, (line, bad.stderr)
        zh, en = bad.stderr.strip().splitlines()
        assert words in en and re.search(r"[\u4e00-\u9fff]", zh), (line, zh, en)
    assert typed("progress list --format json", store_url).stdout == before


def _fill(template, out, rows: dict, extra=()):
    """Fill a template as a planner does in Excel: type into the yellow columns of some rows."""
    wb = load_workbook(template)
    ws = wb.worksheets[0]
    col = {c.value.split(" ")[0]: c.column for c in ws[1]}
    at = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    names = {
        "value": "填报值",
        "unit": "填报单位",
        "as_of": "截至日期",
        "source": "依据",
        "by": "填报人",
        "note": "备注",
        "corrects": "更正条目编号",
    }
    for target, cells in list(rows.items()) + list(extra):
        r = at.get(target)
        if r is None:  # a row typed in below the targets
            r = ws.max_row + 1
            ws.cell(r, 1, target)
        for key, value in cells.items():
            ws.cell(r, col[names[key]], value)
    wb.save(out)
    return out


def test_template_then_import_of_the_filled_template(tmp_path):
    store_url = str(tmp_path / "plans.gpkg")  # PostGIS: the two imports at once above
    st = ("--store", store_url)
    typed(f"progress set {DEMO} 2 --as-of 2025-03-31 --source 一季度", store_url)
    path = tmp_path / "台账.xlsx"
    made = typed(f"progress template --out {path}", store_url)
    assert f"wrote {path} ({len(layers.targets())} targets)" in made.stderr
    pingshan = tmp_path / "坪山.xlsx"
    typed(f"progress template --out {pingshan} --district 坪山区", store_url)
    ids = [
        r[0] for r in load_workbook(pingshan).worksheets[0].iter_rows(min_row=2, values_only=True)
    ]
    assert ids and all(i.startswith("pingshan_") for i in ids)
    wb = load_workbook(path)
    assert [ws.title for ws in wb.worksheets] == ["台账 Ledger", "填写说明 How to fill"]
    ws = wb.worksheets[0]
    heads = [c.value for c in ws[1]]
    for h in (
        "目标编号 Target ID",
        "目标 Target",
        "地点 Place",
        "目标值 Target value",
        "目标单位 Target unit",
        "比较 Comparator",
        "年份 Year",
        "目标来源 Target source",
        "填报值 Value",
        "截至日期 As of",
        "依据 Source",
        "填报人 Entered by",
        "备注 Note",
    ):
        assert h in heads, h
    ids = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)]
    assert ids == list(layers.targets()["target_id"])
    rows = {r[0]: dict(zip(heads, r)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["city_netcom_demo_parks"]["最近填报值 Last reported"] == 2  # last quarter's figure
    assert rows["longgang_land_assembly"]["目标单位 Target unit"] == "平方公里"
    assert "《" in rows["longgang_land_assembly"]["目标来源 Target source"]
    help_text = " ".join(c.value for c in wb.worksheets[1]["A"] if c.value)
    assert "截至日期" in help_text and "As of" in help_text

    bad = _fill(
        path,
        tmp_path / "bad.xlsx",
        {
            "city_netcom_demo_parks": {
                "value": 3,
                "as_of": date(2025, 6, 30),
                "source": "二季度统计",
            },
            "city_semiconductor_ic_parks": {
                "value": "四个",
                "as_of": "2025-06-30",
                "source": "通知",
            },
            "city_sz20_parks_count": {
                "value": 20,
                "unit": "亩",
                "as_of": "2025-06-30",
                "source": "纪要",
            },
            "longgang_land_assembly": {"value": 4.2, "source": "纪要"},
            "city_health_industry_areas": {"value": 6, "as_of": "2025-13-45", "source": "纪要"},
            "city_software_new_space": {"value": 120, "as_of": TOMORROW, "source": "统计"},
        },
        extra=[("city_robot_parks", {"value": 1, "as_of": "2025-06-30", "source": "纪要"})],
    )
    order = {t: i + 2 for i, t in enumerate(ids)}
    wrong = [
        order[t]
        for t in (
            "city_semiconductor_ic_parks",
            "city_sz20_parks_count",
            "longgang_land_assembly",
            "city_health_industry_areas",
            "city_software_new_space",
        )
    ] + [len(ids) + 2]
    before = open_store(store_url).entries()
    res = run("progress", "import", bad, "--by", "李四", *st, check=False)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    zh, en = res.stderr.strip().splitlines()
    assert (
        "6 行有误，未导入任何内容" in zh
        and "6 rows of the ledger are wrong, nothing was imported" in en
    )
    for n in sorted(wrong):
        assert f"第 {n} 行" in zh and f"row {n}:" in en
    assert f"row {order['city_netcom_demo_parks']}:" not in en  # the good row is not named
    for words in (
        "'四个' is not a number",
        "use a count",
        "no as-of date",
        "'2025-13-45' is not a date",
        "after today",
        "unknown target 'city_robot_parks'",
    ):
        assert words in en, words
    pd.testing.assert_frame_equal(open_store(store_url).entries(), before)  # nothing imported

    good = _fill(
        path,
        tmp_path / "good.xlsx",
        {
            "city_netcom_demo_parks": {
                "value": 3,
                "as_of": date(2025, 6, 30),
                "source": "二季度统计",
            },
            "city_semiconductor_ic_parks": {
                "value": "4",
                "as_of": "2025/6/30",
                "source": "通知",
                "by": "王五",
            },
            "longgang_land_assembly": {
                "value": 6300,
                "unit": "亩",
                "as_of": "2025年6月30日",
                "source": "纪要",
                "note": "含坪地北",
            },
        },
    )
    res = run("progress", "import", good, "--by", "李四", "--format", "json", *st)
    saved = {r["target_id"]: r for r in json.loads(res.stdout)}
    assert set(saved) == {
        "city_netcom_demo_parks",
        "city_semiconductor_ic_parks",
        "longgang_land_assembly",
    }
    assert saved["city_netcom_demo_parks"]["entered_by"] == "李四"  # nobody named in the row: --by
    assert saved["city_semiconductor_ic_parks"]["entered_by"] == "王五"
    assert (
        saved["longgang_land_assembly"]["unit"] == "mu"
        and saved["longgang_land_assembly"]["note"] == "含坪地北"
    )
    assert all(r["as_of"] == "2025-06-30" for r in saved.values())
    listed = {
        r["target_id"]: r
        for r in json.loads(run("progress", "list", "--format", "json", *st).stdout)
    }
    assert listed["city_netcom_demo_parks"]["value"] == 3.0 and len(listed) == 3
    for argv, words in (
        (("import", tmp_path / "none.xlsx"), "no file"),
        (("import", path), "No row"),
    ):
        res = run("progress", *argv, *st, check=False)
        assert res.returncode == 2 and words in res.stderr and "Traceback" not in res.stderr
    (tmp_path / "notes.xlsx").write_text("not a workbook")
    res = run("progress", "import", tmp_path / "notes.xlsx", *st, check=False)
    assert res.returncode == 2 and "not an Excel workbook" in res.stderr
