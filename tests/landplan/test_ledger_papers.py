"""The progress ledger in the papers and the scenarios, as a planner runs them: ``landplan scenario
diff`` with the reported figures each scenario was saved with (A, B and the change), and the
atlas's chart page drawn from the charts' data (:mod:`landplan.chart_data`).
"""

import json
import shlex

import pytest
from openpyxl import load_workbook

import layers
from landplan.chart_data import target_figures
from layers.ledger import in_force
from layers.plan import compute_plan
from layers.store import open_store
from layers.units import in_unit

from ..cli_helpers import run
from ..report_helpers import needs_cjk_font, pdf_pages

IC = "city_semiconductor_ic_parks"  # ≥ 4 parks
ASSEMBLY = "longgang_land_assembly"  # ≥ 4 km²


def typed(line: str, store) -> str:
    """``landplan LINE --store STORE`` as a planner types it; its stdout."""
    return run(*shlex.split(line), "--store", str(store)).stdout


def test_scenario_diff_shows_the_reported_figures_each_scenario_was_saved_with(tmp_path):
    store = tmp_path / "plans.gpkg"
    typed(f"progress set {IC} 3 --as-of 2025-03-31 --source 一季度统计", store)
    typed("scenario save 供地 --note 一季度", store)
    typed(f"progress set {IC} 5 --as-of 2025-06-30 --source 二季度统计", store)
    typed(f"progress set {ASSEMBLY} 6000 --unit 亩 --as-of 2025-06-30 --source 纪要", store)
    typed("scenario save 供地 --note 二季度", store)
    typed(f"progress set {IC} 9 --as-of 2025-09-30 --source 三季度统计", store)  # after both

    versions = "scenario diff 供地 供地 --a-version 1 --b-version 2"
    diff = json.loads(typed(f"{versions} --format json", store))
    rows = {r["target_id"]: r for r in diff["targets"]}
    ic = rows[IC]
    reported = ("reported_value_a", "reported_value_b", "reported_value_change")
    assert [ic[k] for k in reported] == [3, 5, 2]
    assert (ic["reported_as_of_a"], ic["reported_as_of_b"]) == ("2025-03-31", "2025-06-30")
    assert ic["reported_source_b"] == "二季度统计"  # the entry after the save is not B's
    assert (ic["basis_a"], ic["met_status_a"], ic["met_status_b"]) == ("reported", "not_met", "met")
    lg = rows[ASSEMBLY]  # 6,000 亩 is 4 km², entered between the two saves
    assert lg["reported_value_a"] is None and lg["reported_value_b"] == pytest.approx(4.0)
    assert lg["reported_value_change"] is None and lg["basis_b"] == "reported"
    assert rows["city_sz20_parks_area"]["reported_value_b"] is None
    in_mu = json.loads(typed(f"{versions} --unit mu --format json", store))
    lg_mu = next(r for r in in_mu["targets"] if r["target_id"] == ASSEMBLY)
    assert lg_mu["reported_value_b"] == pytest.approx(6000)
    floor = next(r for r in in_mu["targets"] if r["metric"] == "floor_area")
    assert floor["unit"] == "万m2"  # floor space stays floor space in another unit

    table = typed(versions, store)
    head = next(line for line in table.splitlines() if "A 填报值" in line)
    for col in ("B 填报值", "填报值变化（B − A）", "A 截至日期", "B 截至日期"):
        assert col in head
    ic_line = next(x for x in table.splitlines() if x.strip().startswith("专业集成电路产业园"))
    assert ic_line.split()[-5:] == ["3", "5", "2", "2025-03-31", "2025-06-30"]  # counts whole
    english = typed(f"{versions} --lang en", store)
    assert "Reported A" in english and "Reported change (B − A)" in english

    out = tmp_path / "对比.xlsx"
    typed(f"{versions} --out {out}", store)
    ws = load_workbook(out)["目标对比"]
    heads = [c.value for c in ws[1]]
    by_name = {r[0]: dict(zip(heads, r)) for r in ws.iter_rows(min_row=2, values_only=True)}
    name = layers.targets().set_index("target_id").loc[IC, "name_zh"]
    assert (by_name[name]["A 填报值"], by_name[name]["B 填报值"]) == (3, 5)
    assert by_name[name]["填报值变化（B − A）"] == 2


def test_the_atlas_chart_page_draws_the_charts_data(tmp_path):
    needs_cjk_font()
    store = tmp_path / "plans.gpkg"
    typed(f"progress set {IC} 3 --as-of 2025-03-31 --source 一季度统计", store)
    typed(f"progress set {IC} 5 --as-of 2025-06-30 --source 二季度统计", store)
    typed(f"progress set {ASSEMBLY} 6000 --unit 亩 --as-of 2025-06-30 --source 纪要", store)
    path = tmp_path / "city.pdf"
    run("report", "--out", path, "--store", store)
    pages = pdf_pages(path)
    heads = [p.split("\n", 1)[0] for p in pages]
    last_summary = max(i for i, h in enumerate(heads) if h.startswith("汇总"))
    assert heads.index("图表：深圳市（全市）") == last_summary + 1  # the charts follow the summary
    charts = "\n".join(p for p, h in zip(pages, heads) if h.startswith("图表"))
    plan = compute_plan(progress=in_force(open_store(store).entries()))
    figs = target_figures(in_unit(plan.targets, "km2"), "zh")
    for group in dict.fromkeys(figs["group_label"]):  # 全市, 龙岗区, 坪山区
        assert f"\n{group}\n" in charts
    for words in ("填报（进度台账）", "示意范围（非供给）", "占目标值（%）", "各区园区覆盖率"):
        assert words in charts
    for r in figs[figs["basis"] != "unknown"].itertuples():  # every bar's figure, as the data say
        assert r.value_text.replace(" ", "") in charts.replace(" ", ""), r.value_text
    assert "台账数值随时间" in charts and "目标年份 2025 年末" in charts
    assert "专业集成电路产业园" in charts.split("台账数值随时间", 1)[1]
    summary = "\n".join(p for p, h in zip(pages, heads) if h.startswith("汇总"))
    assert "填报5（截至2025-06-30）" in "".join(summary.split())  # the summary's table too
