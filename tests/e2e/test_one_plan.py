"""One plan, one set of numbers: the same what-if looked at in every view says the same thing.

Five plans a planner makes (the catalog; official outlines used instead of the 20 parks with 坪山 in
focus; proposed parks drawn beside the catalog; an upload shown beside the parks with 龙岗 in focus;
a parcel layer with a supply-status column) are computed once (:func:`layers.plan.compute_plan`).
For each, every view renders that plan: the page's plan (what the page computes from its widgets),
the tables workbook the page offers, the meeting workbook, the atlas, the command line's JSON and
the scenario comparison. Each target's supply, shortfall, indicative extent, basis and met; each
district's coverage; the land counted twice; the land under the parks: the same figure everywhere.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass

import pytest
from openpyxl import load_workbook

from landplan.present import plan_text
from landplan.present.words import basis_text
from landplan.report import report_pdf, report_xlsx
from landplan.web import page_data
from landplan.web.downloads import plan_tables
from layers.compare import compare_plans
from layers.plan import compute_plan
from layers.store import Scenario
from layers.supply import MET_LABELS
from layers.units import in_unit

from ..cli_helpers import run
from ..report_helpers import needs_cjk_font, parks_in, pdf_pages, row_of, table


@dataclass
class Case:
    """A what-if as the page and the command line are given it."""

    upload: object = None
    role: str = "beside"
    official: bool = False
    proposed: object = None
    parcels: object = None
    counts: tuple = ()
    focus: str | None = None
    cli: list | None = None  # the command line's options for it (None: the CLI cannot say it)

    def scenario(self):
        if self.upload is None and self.proposed is None and self.parcels is None:
            return None
        return Scenario(
            "",
            upload=self.upload,
            role=self.role,
            official=self.official,
            proposed=self.proposed,
            parcels=self.parcels,
        )


@pytest.fixture(scope="module")
def tmp(tmp_path_factory):
    return tmp_path_factory.mktemp("one_plan")


@pytest.fixture(scope="module")
def cases(tmp) -> dict[str, Case]:
    from layers.parcels import read_parcels
    from layers.synthetic import write_synthetic_parcels

    official = parks_in("pingshan", 3, 2000.0, overlap_m=300.0)
    official.to_file(tmp / "official.gpkg", engine="pyogrio")
    drawn = parks_in("pingshan", 2, 1500.0).to_crs(4326)
    drawn.to_file(tmp / "proposed.gpkg", engine="pyogrio")
    beside = parks_in("longgang", 2, 1800.0, overlap_m=200.0)
    write_synthetic_parcels(tmp / "parcels.gpkg", 400, seed=5, districts=["longgang"])
    parcels = read_parcels(tmp / "parcels.gpkg")
    assert parcels.attrs.get("status_col") or any("status" in c for c in parcels.columns)
    return {
        "catalog": Case(cli=[]),
        "official_pingshan": Case(
            upload=official,
            role="instead",
            official=True,
            focus="pingshan",
            cli=["--parks", tmp / "official.gpkg", "--official"],
        ),
        "proposed": Case(proposed=drawn, cli=["--proposed", tmp / "proposed.gpkg"]),
        "beside_longgang": Case(upload=beside, focus="longgang"),
        "parcels_longgang": Case(parcels=parcels, counts=("M1", "M0"), focus="longgang"),
    }


@pytest.fixture(scope="module")
def plans(cases):
    return {
        k: compute_plan(c.scenario(), c.focus, c.counts or ("M1", "M0")) for k, c in cases.items()
    }


CASE_IDS = ["catalog", "official_pingshan", "proposed", "beside_longgang", "parcels_longgang"]


def _num(v) -> float | None:
    return None if v is None or (isinstance(v, float) and v != v) else float(v)


def _close(shown, value, per: float = 1.0, places: int | None = None) -> bool:
    """A figure shown (in the view's unit, ``places`` decimals or full) against the plan's."""
    value = _num(value)
    shown = _num(shown)
    if value is None:
        return shown is None
    if shown is None:
        return False
    want = value / per
    tol = 0.5 * 10 ** (-places) + 1e-9 if places is not None else 1e-9 * max(1.0, abs(want))
    return abs(shown - want) <= tol


def _per(unit: str) -> float:
    return 1.0 if unit == "count" else 1e6


@pytest.mark.parametrize("name", CASE_IDS)
def test_the_page_computes_the_same_plan(name, cases, plans):
    c, plan = cases[name], plans[name]
    page, error = page_data.page_plan(
        c.upload,
        c.role,
        c.official,
        c.proposed,
        name if c.parcels is not None else None,
        c.parcels,
        c.counts,
    )
    assert error is None
    page = page.focused(c.focus)
    cols = ["target_id", "supplied", "shortfall", "indicative_extent", "basis", "met_status"]
    assert page.targets[cols].equals(plan.targets[cols])
    assert page.coverage[["zone_id", "covered_area"]].equals(
        plan.coverage[["zone_id", "covered_area"]]
    )
    assert page.double_counted == plan.double_counted
    assert page.parks_total == plan.parks_total
    assert len(page.overlaps) == len(plan.overlaps)


@pytest.mark.parametrize("name", CASE_IDS)
def test_the_tables_workbook_is_the_plan(name, plans):
    plan = plans[name]
    sheets = plan_tables(plan, "zh", "km2")
    ts = sheets["目标与供给"]
    assert len(ts) == len(plan.targets)
    for (_, row), t in zip(ts.iterrows(), plan.targets.itertuples()):
        per = _per(t.unit)
        for col, value in (
            ("已供给", t.supplied),
            ("缺口", t.shortfall),
            ("示意范围（非供给）", t.indicative_extent),
        ):
            assert _close(row[col], value, per, 2), (t.target_id, col, row[col], value)
        assert row["是否达标"] == MET_LABELS[t.met_status][0], t.target_id
    cov = sheets["分区覆盖"]
    assert list(cov["行政区"]) == list(plan.coverage["name_zh"])
    for shown, m2 in zip(cov["园区覆盖面积（平方公里）"], plan.coverage["covered_area"]):
        assert _close(shown, m2, 1e6, 2)
    notes = list(sheets["说明"]["说明"])
    assert plan_text.double_line(plan, "zh") in notes
    assert plan_text.parks_total_line(plan, "zh") in notes
    assert len(sheets["重叠"]) == len(plan.overlaps)


@pytest.mark.parametrize("name", CASE_IDS)
def test_the_meeting_workbook_is_the_plan(name, plans):
    plan = plans[name]
    wb = load_workbook(io.BytesIO(report_xlsx(plan, "zh", "km2")))
    rows = {r["目标编号"]: r for r in table(wb["汇总"], "目标编号")}
    assert list(rows) == list(plan.targets["target_id"])
    for t in plan.targets.itertuples():
        r, per = rows[t.target_id], _per(t.unit)
        assert _close(r["现有供给（实测或拟建）"], t.supplied, per), t.target_id
        assert _close(r["缺口"], t.shortfall, per), t.target_id
        assert _close(r["示意范围（非供给）"], t.indicative_extent, per), t.target_id
        assert r["是否达标"] == MET_LABELS[t.met_status][0], t.target_id
        assert r["供给依据"] == basis_text({"basis": t.basis}, "zh"), t.target_id
    cov = {r["区编号"]: r for r in table(wb["分区覆盖"], "区编号")}
    for z in plan.coverage.itertuples():
        assert _close(cov[z.zone_id]["园区覆盖面积（平方公里）"], z.covered_area, 1e6)
    ws = wb["重叠"]
    if plan.double_counted > 0:
        dc = table(ws, "要素 A", row_of(ws, "重复计算（"))
        assert _close(dc[-1]["重叠面积（平方公里）"], plan.double_counted, 1e6)
    parks = list(wb["园区"].iter_rows(values_only=True))
    total = next(r for r in parks if r[0] == "合计")
    assert _close(total[4], plan.parks_total, 1e6)


@pytest.mark.parametrize("name", ["official_pingshan", "proposed"])
def test_the_atlas_says_the_plans_figures(name, plans, tmp):
    needs_cjk_font()
    plan = plans[name]
    path = tmp / f"{name}.pdf"
    path.write_bytes(report_pdf(plan, "zh", "km2"))
    flat = re.sub(r"\s+", "", "".join(pdf_pages(path)))
    for line in (
        plan_text.coverage_line(plan, "zh"),
        plan_text.double_line(plan, "zh"),
        plan_text.parks_total_line(plan, "zh"),
    ):
        assert re.sub(r"\s+", "", line) in flat, line
    # each target of the focus: its supply or extent as the summary page prints it
    shown = in_unit(plan.targets, "km2")
    for t in shown[shown["unit"] == "km2"].itertuples():
        figure = t.supplied if t.supplied == t.supplied else t.indicative_extent
        if figure == figure and figure is not None:
            assert f"{figure:,.2f}" in flat, t.target_id


@pytest.mark.parametrize("name", ["catalog", "official_pingshan", "proposed"])
def test_the_command_line_says_the_plans_figures(name, cases, plans):
    c, plan = cases[name], plans[name]
    where = ["--district", c.focus] if c.focus else []
    targets = json.loads(run("targets", *c.cli, *where, "--unit", "km2", "--format", "json").stdout)
    assert [t["target_id"] for t in targets] == list(plan.targets["target_id"])
    for got, t in zip(targets, plan.targets.itertuples()):
        per = _per(t.unit)
        for key in ("supplied", "shortfall", "indicative_extent"):
            assert _close(got[key], getattr(t, key), per), (t.target_id, key)
        basis = t.basis if isinstance(t.basis, str) else None
        assert (got["basis"], got["met_status"]) == (basis, t.met_status), t.target_id
    cov = json.loads(run("coverage", *c.cli, *where, "--unit", "km2", "--format", "json").stdout)
    assert [r["zone_id"] for r in cov] == list(plan.coverage["zone_id"])
    for r, m2 in zip(cov, plan.coverage["covered_area"]):
        assert _close(r["covered_area"], m2, 1e6)
    proc = run("overlaps", *c.cli, *where, "--unit", "km2", "--format", "json")
    ov = json.loads(proc.stdout)
    assert [(r["kind"], r["a_id"], r["b_id"]) for r in ov] == [
        (k, a, b)
        for k, a, b in zip(
            plan.overlaps["kind"], plan.overlaps["a_feature"], plan.overlaps["b_feature"]
        )
    ]
    for r, m2 in zip(ov, plan.overlaps["area"]):
        assert _close(r["area"], m2, 1e6)
    assert plan_text.double_line(plan, "zh") in proc.stderr


@pytest.mark.parametrize("name", CASE_IDS[1:])
def test_the_scenario_comparison_is_the_two_plans(name, cases, plans):
    c, plan = cases[name], plans[name]
    base = compute_plan(None, c.focus)
    comp = compare_plans(base, plan)
    t = comp["targets"].set_index("target_id")
    for r in plan.targets.itertuples():
        for key in ("supplied", "shortfall", "indicative_extent"):
            assert _close(t.loc[r.target_id, f"{key}_b"], getattr(r, key)), (r.target_id, key)
        assert t.loc[r.target_id, "met_status_b"] == r.met_status
    d = comp["districts"].set_index("zone_id")
    for z in plan.coverage.itertuples():
        assert _close(d.loc[z.zone_id, "covered_area_b"], z.covered_area)
    # proposed parks count once: as supply, not again inside the catalog's indicative extent
    if name == "proposed":
        city = t.loc["city_sz20_parks_area"]
        assert city["indicative_extent_change"] == 0
        assert city["supplied_b"] > 0 and city["basis_b"] == "proposed"


def test_park_phases_are_one_set_of_figures_in_every_view(tmp):
    """A park layer with a phase column (阶段: 启动区/储备区) gives each phase's supply and
    coverage: the plan's, on the command line, in the tables workbook and in the meeting
    workbook."""
    import layers

    parks = layers.load("sz20_parks").drop(columns=["tier"])
    parks["阶段"] = None
    parks.loc[parks["feature_id"].isin(["sz20_yanluo", "sz20_longgang_west"]), "阶段"] = "启动区"
    parks.loc[parks["feature_id"] == "sz20_shiyan", "阶段"] = "储备区"
    parks.to_file(tmp / "phased.gpkg", engine="pyogrio")
    plan = compute_plan(Scenario("", upload=parks, role="instead"), phase_col="阶段")
    ps = plan.phase_supply
    assert list(ps["phase"]) == ["start", "reserve", "unstated"]
    # the phases together are the whole: each park is in one phase, the discs do not overlap here
    whole = plan.targets.set_index("target_id").loc["city_sz20_parks_area", "indicative_extent"]
    assert ps["indicative_extent"].sum() == pytest.approx(whole, rel=1e-9)
    cli = ["--parks", tmp / "phased.gpkg", "--phase-col", "阶段", "--unit", "km2"]
    got = json.loads(run("targets", *cli, "--by-phase", "--format", "json").stdout)
    assert [(r["target_id"], r["phase"]) for r in got] == list(zip(ps["target_id"], ps["phase"]))
    for r, m2 in zip(got, ps["indicative_extent"]):
        assert _close(r["indicative_extent"], m2, 1e6)
    assert "分期供给" in run("targets", *cli).stdout
    cov = json.loads(run("coverage", *cli, "--format", "json").stdout)
    for r, z in zip(cov, plan.phases.itertuples()):
        assert _close(r["covered_area_start"], z.start, 1e6), r["zone_id"]
        assert _close(r["covered_area_reserve"], z.reserve, 1e6), r["zone_id"]
    sheet = plan_tables(plan, "zh", "km2")["分期供给"]
    assert list(sheet["阶段"]) == ["启动区", "储备区", "未注明阶段"]
    for shown, m2 in zip(sheet["示意范围（非供给）"], ps["indicative_extent"]):
        assert _close(shown, m2, 1e6, 2)
    wb = load_workbook(io.BytesIO(report_xlsx(plan, "zh", "km2")))
    rows = table(wb["汇总"], "阶段")
    assert [r["阶段"] for r in rows] == ["启动区", "储备区", "未注明阶段"]
    for r, m2 in zip(rows, ps["indicative_extent"]):
        assert _close(r["示意范围（非供给）（平方公里）"], m2, 1e6)
