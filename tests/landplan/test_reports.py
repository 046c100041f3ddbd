"""landplan report: the workbook and the atlas render one computed plan; for the catalog they hold
what `landplan coverage/targets/gaps` print. Uploads and proposed parks:
tests/landplan/test_report_plans.py.
"""

import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

import layers
from geo.errors import LandplanError
from landplan import report
from landplan.present import plan_text
from landplan.present.plan_text import target_name
from landplan.report import fonts
from layers.plan import compute_plan
from layers.store import Scenario
from layers.summary import district_coverage
from layers.supply import MET_LABELS
from layers.units import in_unit

from ..cli_helpers import run, run_json
from ..report_helpers import fmt, needs_cjk_font, pdf_pages, readable_cells, row_of, table

SHEETS = ["汇总", "分区覆盖", "园区", "产业集群", "重叠", "缺口", "来源"]
SHEETS_EN = ["Summary", "Districts", "Parks", "Clusters", "Overlaps", "Gaps", "Sources"]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return tmp_path_factory.mktemp("reports")


@pytest.fixture(scope="module")
def city():
    """The catalog's plan for the city: what every report of the catalog renders."""
    return compute_plan()


@pytest.fixture(scope="module")
def city_xlsx(out):
    path = out / "city_km2.xlsx"
    run("report", "--out", path)
    return load_workbook(path)


@pytest.fixture(scope="module")
def pingshan_xlsx(out):
    path = out / "pingshan_mu.xlsx"
    run("report", "--scope", "pingshan", "--unit", "mu", "--out", path)
    return load_workbook(path)


@pytest.fixture(scope="module")
def city_pdf(out):
    needs_cjk_font()
    path = out / "city_km2.pdf"
    run("report", "--out", path)
    return pdf_pages(path)


@pytest.fixture(scope="module")
def pingshan_pdf(out):
    needs_cjk_font()
    path = out / "pingshan_ha_en.pdf"
    run("report", "--scope", "pingshan", "--unit", "ha", "--lang", "en", "--out", path)
    return pdf_pages(path)


def test_workbook_has_every_sheet_frozen_headers_version_and_precision_note(city_xlsx, city):
    assert city_xlsx.sheetnames == SHEETS  # one language: no "汇总 Summary"
    for ws in city_xlsx.worksheets:
        assert ws.freeze_panes is not None and ws.freeze_panes != "A1", ws.title
        assert ws["F2"].value.startswith("landplan ") and " data " in ws["F2"].value  # data version
        assert ws["D2"].value  # date
    note = city_xlsx["汇总"]["B3"].value
    assert note.split("\n") == plan_text.precision_lines(city, "zh")  # written from the plan
    assert (
        "示意" in note and "20个先进制造业园区规划建设总面积" in note and "是否达标未知" in note
    )  # the target resting on indicative outlines is named


def test_workbook_coverage_equals_the_plan_and_cli(city_xlsx, city):
    cli = {
        r["zone_id"]: r
        for r in run_json("coverage", "sz20_parks", "--by", "districts", "--unit", "km2")
    }
    cov = in_unit(city.coverage, "km2").set_index("zone_id")
    rows = table(city_xlsx["分区覆盖"], "区编号")
    body, total = rows[:-1], rows[-1]
    assert [r["区编号"] for r in body] == list(cli) == list(cov.index)
    for r in body:
        c, p = cli[r["区编号"]], cov.loc[r["区编号"]]
        assert r["行政区"] == p["name_zh"]
        for col, key in (
            ("边界面积（平方公里）", "zone_area"),
            ("园区覆盖面积（平方公里）", "covered_area"),
            ("覆盖率（占边界面积）%", "covered_pct"),
        ):
            assert r[col] == pytest.approx(p[key], rel=1e-9, abs=1e-9)
            assert r[col] == pytest.approx(c[key], rel=1e-9, abs=1e-9)
        assert r["园区数"] == c["feature_count"] == p["feature_count"]
    t = plan_text.coverage_totals(city)
    assert total["行政区"] == "合计"
    assert total["园区覆盖面积（平方公里）"] == pytest.approx(t["covered_area"] / 1e6, rel=1e-9)
    assert total["园区覆盖面积（平方公里）"] == pytest.approx(
        sum(c["covered_area"] for c in cli.values()), rel=1e-9
    )
    assert total["边界面积（平方公里）"] == pytest.approx(t["zone_area"] / 1e6, rel=1e-9)
    assert total["园区数"] == city.parks_count  # each park once, not once per district
    # the area number format shows 2 decimals for km²
    ws = city_xlsx["分区覆盖"]
    cell = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, float))
    assert cell.number_format.endswith(".00")


def test_workbook_targets_and_gaps_equal_the_plan_and_cli(city_xlsx, city):
    cli = {r["target_id"]: r for r in run_json("targets", "--unit", "km2")}
    rows = table(city_xlsx["汇总"], "目标编号")
    assert [r["目标编号"] for r in rows] == list(cli) == list(city.targets["target_id"])
    for r in rows:
        c = cli[r["目标编号"]]
        assert r["目标值"] == c["target_text_zh"] and r["目标"] == target_name(c)
        for col, key in (
            ("现有供给（实测或拟建）", "supplied"),
            ("缺口", "shortfall"),
            ("示意范围（非供给）", "indicative_extent"),
        ):
            if c[key] is None:
                assert r[col] is None
            else:
                assert r[col] == pytest.approx(c[key], rel=1e-9, abs=1e-9)
        assert r["是否达标"] == MET_LABELS[c["met_status"]][0]
        assert r["来源"] == c["source"] and "《" in r["来源"]
        assert r["地点"] == c["place_zh"]  # the place in words
    gaps = run_json("gaps", "--unit", "km2")
    got = [(r["编号"], r["说明"]) for r in table(city_xlsx["缺口"], "类型")[:-1]]
    assert got == [(g["id"], g["detail_zh"]) for g in gaps]
    assert [g for g, _ in got] == list(city.gaps["id"])


def test_parks_total_counts_a_place_once_and_overlaps_are_classified(city_xlsx, city):
    parks = table(city_xlsx["园区"], "名称")
    body, total = parks[:-1], parks[-1]
    area = "区内面积（平方公里）"
    assert total[area] == pytest.approx(city.parks_total / 1e6, rel=1e-9)
    assert total[area] < sum(r[area] or 0 for r in body)  # six parks in two layers: not twice
    ws = city_xlsx["园区"]
    note = [r[0] for r in ws.iter_rows(values_only=True) if r[0]][-2:]
    assert "同一地点只计一次" in note[0] and plan_text.parks_total_line(city) == note[0]
    # every feature part is in one district; the parts of a park add up to its drawn area
    parts = {}
    for r in body:
        if r[area] is not None:
            parts.setdefault(r["编号"], []).append(r)
    for rs in parts.values():
        assert sum(r[area] for r in rs) <= rs[0]["绘制面积（整体）（平方公里）"] * (1 + 1e-9)
    assert {r["精度"] for r in body} >= {"示意边界", "无边界"}
    for col in ("绘制方法", "推定说明（文件未明说）", "类型", "图层", "名称"):  # said in Chinese
        said = [r[col] for r in body if r[col]]
        assert said and not any(re.search(r"\b[a-z]{5,}\b", v) for v in said), col
    assert {r["阶段"] for r in body} == {"未注明阶段"}
    # the overlaps: double counts with their union; nesting and the same place listed apart
    ws = city_xlsx["重叠"]
    ov = in_unit(city.overlaps, "km2")
    dc = table(ws, "要素 A", row_of(ws, "重复计算（"))
    assert dc[-1]["要素 A"].startswith("重复计算的土地")
    assert dc[-1]["重叠面积（平方公里）"] == pytest.approx(city.double_counted / 1e6, rel=1e-9)
    want = ov[ov["kind"] == "double_count"]
    assert [r["重叠面积（平方公里）"] for r in dc[:-1]] == pytest.approx(list(want["area"]))
    assert [r["编号"].split(";")[0] for r in dc[:-1]] == [
        f"{a} × {b}" for a, b in zip(want["a_id"], want["b_id"])
    ]
    for kind, title in (("nested", "嵌套或交叉"), ("same_place", "同一地点")):
        rows = table(ws, "要素 A", row_of(ws, title))
        want = ov[ov["kind"] == kind]
        assert len(rows) == len(want) and not any(r["要素 A"] == "合计" for r in rows)
        assert [r["重叠面积（平方公里）"] for r in rows] == pytest.approx(list(want["area"]))
    sources = table(city_xlsx["来源"], "类别")
    cited = {r["编号"] for r in sources}
    assert set(city.targets["target_id"]) <= cited
    assert all(r["来源（文件与行号，或公开报道）"] for r in sources)


def test_district_workbook_holds_only_that_district(pingshan_xlsx, city):
    assert pingshan_xlsx.sheetnames == SHEETS
    plan = city.focused("pingshan")
    cov = table(pingshan_xlsx["分区覆盖"], "区编号")
    assert [r["区编号"] for r in cov] == ["pingshan", None]
    assert cov[0]["行政区"] == "坪山区" and cov[1]["行政区"] == "合计"
    cli = next(
        r
        for r in run_json("coverage", "sz20_parks", "--by", "districts", "--unit", "mu")
        if r["zone_id"] == "pingshan"
    )
    assert cov[0]["园区覆盖面积（亩）"] == pytest.approx(cli["covered_area"], rel=1e-9)
    parks = table(pingshan_xlsx["园区"], "名称")[:-1]
    assert parks and {r["所在区"] for r in parks} == {"坪山区"}
    targets = run_json("targets", "--district", "pingshan", "--unit", "mu")
    rows = table(pingshan_xlsx["汇总"], "目标编号")
    assert [r["目标编号"] for r in rows] == [t["target_id"] for t in targets]
    assert [r["目标编号"] for r in rows] == list(plan.targets["target_id"])
    for r, t in zip(rows, targets):
        if t["supplied"] is not None:
            assert r["现有供给（实测或拟建）"] == pytest.approx(t["supplied"], rel=1e-9)
    gaps = run_json("gaps", "--district", "pingshan", "--unit", "mu")
    assert [r["编号"] for r in table(pingshan_xlsx["缺口"], "类型")[:-1]] == [g["id"] for g in gaps]
    clusters = table(pingshan_xlsx["产业集群"], "集群编号")[:-1]
    assert clusters and all("坪山区" in r["对应区"] for r in clusters)


def test_atlas_has_cover_summary_and_a_page_per_district_with_the_plans_figures(city_pdf, city):
    districts = layers.load("districts")
    assert "范围：深圳市（全市）" in city_pdf[0] and "landplan " in city_pdf[0]
    assert city_pdf[1].startswith("汇总")
    heads = [p.split("\n", 1)[0] for p in city_pdf]
    for name in districts["name_zh"]:
        assert f"分区图：{name}" in heads
    cov = run_json("coverage", "sz20_parks", "--by", "districts", "--unit", "km2")
    for c in cov:
        name = districts.set_index("district_id").loc[c["zone_id"], "name_zh"]
        page = city_pdf[heads.index(f"分区图：{name}")]
        assert fmt(c["covered_area"], 2) in page and fmt(c["zone_area"], 2) in page
        assert "示意" in page and re.search(r"\d km", page)  # precision note, scale bar
    summary = "\n".join(p for p, h in zip(city_pdf, heads) if h.startswith("汇总"))
    for t in run_json("targets", "--unit", "km2"):
        if t["supplied"] is not None:
            assert fmt(t["supplied"], 2 if t["unit"] != "count" else 0) in summary, t["target_id"]
    assert fmt(sum(c["covered_area"] for c in cov), 2) in summary  # the total adds up
    flat = summary.replace("\n", "")
    assert plan_text.double_line(city, "zh", "km2") in flat  # the plan's double count, once
    assert plan_text.coverage_line(city, "zh", "km2") in flat
    overview = city_pdf[next(i for i, h in enumerate(heads) if h.startswith("全市概览"))]
    for c in cov:  # the city map: every district with its coverage share
        name = districts.set_index("district_id").loc[c["zone_id"], "name_zh"]
        assert name in overview and f"{c['covered_pct']:.1f}%" in overview
    assert "20大先进制造业园区（示意边界）" in overview  # the legend says what the outlines are
    text = "".join(city_pdf)
    assert "\ufffd" not in text  # no undecodable glyphs
    assert not re.search(r"\d\.\d+ 个", text) and "-0.00" not in text  # counts whole, no -0


def test_atlas_fonts_are_embedded_with_chinese(out):
    needs_cjk_font()
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (Debian poppler-utils) is not installed; .ci/run installs it")
    path = out / "city_km2.pdf"
    if not path.exists():
        run("report", "--out", path)
    lines = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert lines
    for line in lines:  # name type encoding emb sub uni: every font embedded, with a Unicode map
        cols = line.split()
        assert cols[-5:-2] == ["yes", "yes", "yes"], line
    assert any(n in "".join(lines) for n in ("WenQuanYi", "CJK", "SC", "Hei", "YaHei"))


def test_district_atlas_in_english_holds_only_that_district(pingshan_pdf, city):
    heads = [p.split("\n", 1)[0] for p in pingshan_pdf]
    district_pages = [h for h in heads if h.startswith("District:")]
    assert district_pages and all(h.startswith("District: Pingshan") for h in district_pages)
    text = "".join(pingshan_pdf)
    assert "Pingshan" in text and "Coverage by district" in text
    assert "分区图" not in text and "汇总" not in text and "精度说明" not in text  # English only
    from layers.names import layer_label

    for lid in ("sz20_parks", "longgang_parks", "pingshan_zones", "innovation_zones"):
        text = text.replace(layer_label(lid, "en"), "")  # layer names ("Longgang's three ...")
    others = layers.load("districts").query("district_id != 'pingshan'")
    for name in others["name_en"]:
        assert name not in text, name
    plan = city.focused("pingshan")
    covered = in_unit(plan.coverage, "ha")["covered_area"].iloc[0]
    assert fmt(covered, 1) in text
    for t in run_json("targets", "--district", "pingshan", "--unit", "ha"):
        assert t["target_id"] and (t["supplied"] is None or fmt(t["supplied"], 1) in text)


def test_report_of_a_drawn_park_counts_it(tmp_path):
    from ..report_helpers import parks_in

    proposed = parks_in("pingshan", 1, 1600.0).to_crs(4326)
    plan = compute_plan(Scenario("", proposed=proposed), "pingshan")
    path = tmp_path / "whatif.xlsx"
    path.write_bytes(report.report_xlsx(plan, "zh", "ha"))
    wb = load_workbook(path)
    parks = table(wb["园区"], "名称")
    drawn = [r for r in parks if r["精度"] == "拟建（情景）"]
    assert [r["名称"] for r in drawn] == ["园区1"] and drawn[0]["图层"] == "20大先进制造业园区"
    import geopandas as gpd
    import pandas as pd

    whatif = pd.concat([layers.load("sz20_parks"), proposed], ignore_index=True)
    expect = district_coverage(unit="ha", layer=gpd.GeoDataFrame(whatif, crs=4326)).set_index(
        "zone_id"
    )
    got = table(wb["分区覆盖"], "区编号")[0]
    assert got["园区覆盖面积（公顷）"] == pytest.approx(
        expect.loc["pingshan", "covered_area"], rel=1e-9
    )


def test_no_cjk_font_is_a_clear_message(monkeypatch):
    from matplotlib import font_manager

    monkeypatch.setattr(fonts, "CJK_FAMILIES", ())

    def no_fc(*a, **k):
        raise OSError("fc-match not here")

    monkeypatch.setattr(fonts.subprocess, "run", no_fc)
    assert font_manager.fontManager.ttflist  # matplotlib itself still has its Latin fonts
    with pytest.raises(LandplanError) as exc:
        fonts.cjk_font()
    assert "fonts-noto-cjk" in str(exc.value) and "中文字体" in exc.value.message_zh


def test_bad_report_requests_are_one_sentence(tmp_path):
    for args, words in (
        (["--out", tmp_path / "r.docx"], ".xlsx"),
        (["--scope", "mars", "--out", tmp_path / "r.pdf"], "pingshan"),
        (["--out", tmp_path / "nowhere" / "r.xlsx"], "does not exist"),
    ):
        proc = run("report", *args, check=False)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr and words in proc.stderr
    assert not list(tmp_path.iterdir())
    with pytest.raises(LandplanError):
        report.report_data(compute_plan(), "fr")
    with pytest.raises(LandplanError):
        report.report_data(compute_plan(), "zh", "m2")  # not a unit reports are made in


def test_targets_of_a_district_without_targets_is_an_empty_list():
    assert run_json("targets", "--district", "baoan") == []


def test_page_offers_the_reports_in_its_downloads_tab():
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from .test_app import _open_tab

    at = AppTest.from_file(
        str(Path(__file__).resolve().parents[2] / "streamlit_app.py"), default_timeout=180
    ).run()
    assert not at.exception, at.exception
    _open_tab(at, "下载")
    # a report is made on a click (in a status box), then offered as a file held by the session
    makes = {b.key: b.label for b in at.button}
    assert "XLSX" in makes["make_report_xlsx"] and "PDF" in makes["make_report_pdf"]
    next(b for b in at.button if b.key == "make_report_pdf").click().run()
    assert not at.exception and not at.error
    labels = {b.key: b.proto.label for b in at.get("download_button")}
    assert "landplan_atlas_city_km2.pdf" in labels["dl_report_pdf"]


def test_english_workbook_is_english(tmp_path, city):
    path = tmp_path / "dapeng_en.xlsx"
    run("report", "--scope", "dapeng", "--lang", "en", "--unit", "km2", "--out", path)
    wb = load_workbook(path)
    assert wb.sheetnames == SHEETS_EN
    rows = table(wb["Districts"], "District id")
    assert [r["District id"] for r in rows] == ["dapeng", None]
    assert [r["District"] for r in rows] == ["Dapeng New Area", "Total"]
    covered = in_unit(city.focused("dapeng").coverage, "km2")["covered_area"].iloc[0]
    assert rows[0]["Covered by parks (km²)"] == pytest.approx(covered, rel=1e-9)
    cells = [v for _, v in readable_cells(wb)]
    assert not any(re.search(r"[\u4e00-\u9fff]", v) for v in cells[:40])  # titles, notes, heads


def test_districts_sheet_splits_coverage_by_phase(tmp_path):
    parks = layers.load("sz20_parks")
    parks.loc[parks["feature_id"].isin(["sz20_yanluo", "sz20_longgang_west"]), "tier"] = "启动区"
    parks.loc[parks["feature_id"] == "sz20_shiyan", "tier"] = "储备区"
    plan = compute_plan(Scenario("", upload=parks, role="instead"))
    path = tmp_path / "tiers.xlsx"
    path.write_bytes(report.report_xlsx(plan, "zh", "km2"))
    rows = {r["区编号"]: r for r in table(load_workbook(path)["分区覆盖"], "区编号")}
    phase_cols = [c for c in rows["baoan"] if c and c.startswith(("启动区", "储备区", "未注明"))]
    assert phase_cols == [
        "启动区覆盖面积（平方公里）",
        "储备区覆盖面积（平方公里）",
        "未注明阶段覆盖面积（平方公里）",
    ]  # the Opinion's order, not stated last
    for tier, col in zip(["启动区", "储备区"], phase_cols):
        one = district_coverage(unit="km2", layer=parks[parks["tier"] == tier]).set_index("zone_id")
        assert rows["baoan"][col] == pytest.approx(one.loc["baoan", "covered_area"], rel=1e-9)
        assert rows[None][col] == pytest.approx(one["covered_area"].sum(), rel=1e-9)
