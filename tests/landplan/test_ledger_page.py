"""The page's 进度台账 / Progress tab (streamlit.testing AppTest): the targets in focus with their
latest entry, a target's entries and their chart, an editor's entry under the signed-in identity, a
viewer refused, the import of a filled template all or nothing; the targets tab with the reported
basis; and the charts' data equal to the plan's tables (on the page too).
"""

import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

import layers
from geo.errors import LandplanError
from geo.units import convert_area
from landplan.chart_data import coverage_bars, ledger_series, target_figures
from landplan.ledger import template_rows, template_xlsx
from landplan.present.plan_text import target_name
from landplan.web import auth, ledger_tab
from layers.ledger import add_entry, history, in_force
from layers.plan import compute_plan
from layers.store import open_store
from layers.units import in_unit

from ..layers.test_progress import _fill
from .test_app import _frame_with
from .test_auth import LI, SECRETS, WANG

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
IC = "city_semiconductor_ic_parks"  # ≥ 4 parks (a count)
ASSEMBLY = "longgang_land_assembly"  # ≥ 4 km² in 龙岗
TAB = {"zh": "进度台账", "en": "Progress"}


@pytest.fixture
def ledger_store(tmp_path, monkeypatch):
    """The page's store with three entries: IC 3 then 5 parks, 龙岗's land assembly 6,000 亩."""
    path = tmp_path / "plans.gpkg"
    monkeypatch.setenv("LANDPLAN_STORE", str(path))
    store = open_store(path)
    add_entry(store, IC, 3, "2025-03-31", "一季度统计", by="王工")
    add_entry(store, IC, 5, "2025-06-30", "二季度统计", by="王工")
    add_entry(store, ASSEMBLY, 6000, "2025-06-30", "整备会议纪要", by="李工", unit="亩")
    return path


def _page(user=None, secrets=None, lang="zh", tab="进度台账"):
    at = AppTest.from_file(APP, default_timeout=300)
    if secrets:
        at.secrets = secrets
    if user is not None:
        at.user = user
    at.run()
    if lang == "en":
        at.sidebar.radio[0].set_value("en").run()
    at.session_state["tables"] = tab
    at.run()
    assert not at.exception, at.exception
    return at


def _table(at, column):
    """The table shown with the column headed ``column`` (plain HTML or, when wide, a grid),
    figures read as numbers (1,234.56) and — as none, as a planner reads them."""
    df = _frame_with(at, column).copy()
    for col in df.columns:
        try:
            df[col] = pd.to_numeric(df[col].replace("—", None).str.replace(",", "", regex=False))
        except (ValueError, TypeError, AttributeError):
            pass
    return df


def _charts(at) -> list[dict]:
    """The page's Vega-Lite charts: their spec and their datasets as DataFrames."""
    out = []
    for e in at.main:
        if getattr(e, "type", None) != "vega_lite_chart":
            continue
        data = [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in e.proto.datasets]
        out.append({"spec": json.loads(e.proto.spec), "data": data})
    return out


def test_the_tab_lists_the_targets_in_focus_with_their_latest_entry_and_history(ledger_store):
    at = _page()
    plan = compute_plan(progress=in_force(open_store(ledger_store).entries()))
    shown = _table(at, "填报值")
    names = [target_name(t, "zh") for t in plan.targets.to_dict("records")]
    assert list(shown["目标"]) == names  # every target of the city, in the table's order
    rows = shown.set_index("目标")
    ic = rows.loc[plan.targets.set_index("target_id").loc[IC, "name_zh"]]
    assert (ic["填报值"], ic["截至日期"], ic["依据"], ic["填报人"]) == (
        "5 个",
        "2025-06-30",
        "二季度统计",
        "王工",
    )
    assembly = rows.loc[plan.targets.set_index("target_id").loc[ASSEMBLY, "name_zh"]]
    assert assembly["填报值"] == "6,000 亩（4.00 平方公里）" and assembly["填报人"] == "李工"
    assert (rows["填报值"] == "—").sum() == len(rows) - 2  # nothing entered: said as —
    assert any(
        b.label.startswith("下载填报模板（XLSX，43 个目标）") for b in at.get("download_button")
    )

    # one target's entries, oldest first, and their chart (the figures of the table)
    at.selectbox(key="ledger_target_zh").set_value(IC).run()
    hist = _table(at, "状态")
    assert list(hist["填报值"]) == ["3 个", "5 个"] and list(hist["状态"]) == ["有效", "有效"]
    (chart,) = [c for c in _charts(at) if "layer" in c["spec"]]
    points = next(d for d in chart["data"] if "entry" in d.columns)
    assert sorted(points["value"]) == [3.0, 5.0] and list(points["as_of"]) == [
        "2025-03-31",
        "2025-06-30",
    ]

    # the targets tab shows the reported basis (the page's plan reads the ledger)
    at.session_state["tables"] = "目标与供给"
    at.run()
    row = _table(at, "已供给").set_index("目标").loc[ic.name]
    assert (row["填报值"], row["填报截至"], row["填报依据"]) == (5, "2025-06-30", "二季度统计")
    assert (row["测算依据"], row["是否达标"]) == ("填报（进度台账）", "达标")

    # the district's targets only, and a cluster's: the page's filters apply
    at.session_state["tables"] = "进度台账"
    at.selectbox(key="focus_zh").set_value("longgang").run()
    listed = _table(at, "填报值")
    longgang = plan.focused("longgang").targets
    assert list(listed["目标"]) == [target_name(t, "zh") for t in longgang.to_dict("records")]
    assert ic.name not in set(listed["目标"]) and assembly.name in set(listed["目标"])
    at.selectbox(key="focus_zh").set_value(None)
    at.selectbox(key="cluster_zh").set_value("semiconductor_ic").run()
    assert list(_table(at, "填报值")["目标"]) == [ic.name]
    assert any(
        "只列出《半导体与集成电路产业集群》行动计划中的目标（1 个）" in c.value for c in at.caption
    )
    assert not at.exception


def test_the_tab_in_english(ledger_store):
    at = _page(lang="en", tab="Progress")
    shown = _table(at, "Reported")
    ic = shown.set_index("Target").loc[layers.targets().set_index("target_id").loc[IC, "name_en"]]
    assert (ic["Reported"], ic["As of"], ic["Source"]) == ("5", "2025-06-30", "二季度统计")
    labels = [b.label for b in at.button]
    assert "Enter in the ledger" in labels and not any("记入" in x for x in labels)


def test_an_editor_enters_a_figure_under_the_signed_in_identity_and_a_viewer_cannot(
    ledger_store,
):
    store = open_store(ledger_store)
    at = _page(WANG, SECRETS)
    assert not [t for t in at.text_input if t.key == "ledger_by"]  # no typed name
    assert any("wang@bureau.gov.cn" in c.value for c in at.caption)
    at.selectbox(key="ledger_target_zh").set_value(IC).run()
    at.number_input(key="ledger_value").set_value(6)
    at.date_input(key="ledger_as_of").set_value(date(2025, 9, 30))
    at.text_input(key="ledger_source").set_value("三季度统计")
    next(b for b in at.button if b.label == "记入台账").click().run()
    assert not at.exception, at.exception
    new = store.entries().iloc[-1]
    assert (new["target_id"], new["value"], new["as_of"], new["entered_by"]) == (
        IC,
        6.0,
        "2025-09-30",
        "wang@bureau.gov.cn",
    )
    assert any(f"条目 {int(new['id'])}" in s.value for s in at.success)
    at.session_state["tables"] = "目标与供给"
    at.run()  # the new entry is what the targets tab reports now
    name = layers.targets().set_index("target_id").loc[IC, "name_zh"]
    assert _table(at, "已供给").set_index("目标").loc[name, "填报值"] == 6

    before = store.entries()
    at = _page(LI, SECRETS)  # a viewer: no form, no import, and the save path refuses too
    assert "记入台账" not in [b.label for b in at.button]
    assert not [u for u in at.get("file_uploader") if str(u.key).startswith("ledger_import")]
    assert any("查看者不能填报" in c.value for c in at.caption)
    viewer = auth.visitor(LI, SECRETS)
    with pytest.raises(LandplanError) as err:
        ledger_tab.enter_figure(viewer, IC, 7, "2025-09-30", "冒填")
    assert "编辑者" in err.value.message_zh and "editors" in str(err.value)
    with pytest.raises(LandplanError):
        ledger_tab.import_template(viewer, b"", "台账.xlsx")
    pd.testing.assert_frame_equal(store.entries(), before)  # nothing written


def _uploading(monkeypatch, name: str, data: bytes) -> None:
    """The tab's import uploader holds ``data`` as the file ``name`` (AppTest cannot pick a
    file)."""
    import streamlit

    real = streamlit.file_uploader

    def with_file(label, *a, **k):
        got = real(label, *a, **k)  # the widget is still drawn, with its label
        if not str(k.get("key", "")).startswith("ledger_import_file"):
            return got
        return SimpleNamespace(name=name, getvalue=lambda: data)

    monkeypatch.setattr(streamlit, "file_uploader", with_file)


def test_the_import_on_the_page_is_all_or_nothing(ledger_store, tmp_path, monkeypatch):
    store = open_store(ledger_store)
    template = tmp_path / "台账.xlsx"
    template.write_bytes(template_xlsx(template_rows(layers.targets())))
    ids = list(layers.targets()["target_id"])
    good = {
        "city_netcom_demo_parks": {"value": 3, "as_of": date(2025, 6, 30), "source": "二季度"},
        ASSEMBLY: {"value": 4.2, "as_of": "2025-06-30", "source": "纪要", "by": "龙岗区工信局"},
    }
    bad = _fill(template, tmp_path / "bad.xlsx", good | {IC: {"value": "四个", "source": "通知"}})
    before = store.entries()
    _uploading(monkeypatch, "bad.xlsx", bad.read_bytes())
    at = _page()
    next(b for b in at.button if b.label == "导入").click().run()
    (error,) = at.error
    row = ids.index(IC) + 2
    assert f"1 行有误，未导入任何内容：第 {row} 行" in error.value and "'四个'" in error.value
    assert "nothing was imported" in error.value  # Chinese, then English below it
    pd.testing.assert_frame_equal(store.entries(), before)  # nothing imported

    at = _page(lang="en", tab="Progress")
    next(b for b in at.button if b.label == "Import").click().run()
    (error,) = at.error
    assert f"row {row}:" in error.value and "行" not in error.value  # English only
    pd.testing.assert_frame_equal(store.entries(), before)

    _uploading(monkeypatch, "good.xlsx", _fill(template, tmp_path / "good.xlsx", good).read_bytes())
    at = _page()
    next(b for b in at.button if b.label == "导入").click().run()
    assert not at.error and not at.exception
    added = store.entries().iloc[len(before) :].set_index("target_id")
    assert set(added.index) == set(good)
    assert added.loc[ASSEMBLY, "entered_by"] == "龙岗区工信局"  # the name written in the row
    assert any(
        f"已导入 2 条（{ledger_store}）：条目 {len(before) + 1}, {len(before) + 2}" in s.value
        for s in at.success
    )
    # signed in, every row is entered by the signed-in identity; a written name goes to the note
    again = _fill(template, tmp_path / "again.xlsx", good)
    saved = ledger_tab.import_template(auth.visitor(WANG, SECRETS), again.read_bytes(), "again")
    assert set(saved["entered_by"]) == {"wang@bureau.gov.cn"}
    assert saved.set_index("target_id").loc[ASSEMBLY, "note"] == "填报人 filled in by: 龙岗区工信局"


def test_the_charts_data_are_the_tables_figures(ledger_store):
    store = open_store(ledger_store)
    plan = compute_plan(progress=in_force(store.entries()))
    for unit in ("km2", "mu"):
        t = in_unit(plan.targets, unit)
        figs = target_figures(t, "zh")
        assert list(dict.fromkeys(figs["target_id"])) == list(t["target_id"])
        for r in t.to_dict("records"):
            mine = figs[figs["target_id"] == r["target_id"]].set_index("figure")
            given = {
                c: r[c]
                for c in ("supplied", "reported_value", "indicative_extent")
                if pd.notna(r[c])
            }
            if not given:
                assert list(mine["basis"]) == ["unknown"] and mine["value"].isna().all()
                continue
            assert dict(zip(mine.index, mine["value"])) == pytest.approx(given)
            assert list(mine["share_pct"]) == pytest.approx(
                [100 * v / r["value"] for v in given.values()]
            )
            if "reported_value" in given:
                assert mine.loc["reported_value", "basis"] == "reported"
                assert bool(mine.loc["reported_value", "decides"]) == (
                    r["met_decided_by"] == "reported"
                )
        ic = figs[(figs["target_id"] == IC)].iloc[0]
        assert (ic["value"], ic["value_text"], ic["share_pct"]) == (5.0, "5 个", 125.0)
        lg = figs[(figs["target_id"] == ASSEMBLY)].iloc[0]
        assert lg["value"] == pytest.approx(convert_area(6000, "mu", unit))  # 4 km², 6,000 亩
        bars = coverage_bars(in_unit(plan.coverage, unit), plan.precisions(), "zh")
        cov = in_unit(plan.coverage, unit)
        assert list(bars["zone_id"]) == list(cov["zone_id"])
        assert list(bars["covered_pct"]) == list(cov["covered_pct"])
        assert list(bars["covered_area"]) == list(cov["covered_area"])
        assert set(bars["basis"]) == {"indicative"}  # the catalog's discs: an extent, not supply
        hist = history(store, ASSEMBLY)
        row = t.set_index("target_id").loc[ASSEMBLY].to_dict() | {"target_id": ASSEMBLY}
        s = ledger_series(hist, row)
        assert list(s.points["value"]) == pytest.approx(
            [convert_area(v, u, unit) for v, u in zip(hist["value"], hist["unit"])]
        )
        assert s.year_end == "2025-12-31" and s.high == pytest.approx(convert_area(4, "km2", unit))

    # the page draws these data: the targets tab's chart holds the figures of its table
    at = _page(tab="目标与供给")
    charts = _charts(at)  # one per group: the city, 龙岗区, 坪山区
    figs = target_figures(in_unit(plan.targets, "km2"), "zh")
    assert [c["spec"]["title"] for c in charts] == list(dict.fromkeys(figs["group_label"]))
    drawn = pd.concat(
        [d for c in charts for d in c["data"] if {"figure", "basis", "value"} <= set(d.columns)]
    ).drop_duplicates(["target_id", "figure", "basis"])
    key = ["target_id", "basis"]
    drawn = drawn.sort_values(key).reset_index(drop=True)
    want = figs.sort_values(key).reset_index(drop=True)
    assert list(drawn["target_id"]) == list(want["target_id"])
    assert list(drawn["value"].fillna(-1)) == pytest.approx(list(want["value"].fillna(-1)))
    assert list(drawn["value_text"]) == list(want["value_text"])
