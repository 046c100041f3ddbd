"""The meeting papers of a scenario render its plan: official outlines read official, proposed parks
proposed, the catalog's discs indicative; every figure is the plan's; each language is whole; no
raw id is shown as a name; counts are whole."""

import io
import re

import pytest
from openpyxl import load_workbook

from landplan.present import plan_text
from landplan.report import report_pdf, report_xlsx
from layers.plan import compute_plan
from layers.store import Scenario
from layers.units import in_unit

from ..cli_helpers import run
from ..report_helpers import (
    chinese_left,
    ids_in,
    needs_cjk_font,
    parks_in,
    pdf_pages,
    readable_cells,
    row_of,
    table,
)


def _book(data: bytes):
    return load_workbook(io.BytesIO(data))


def _pages(data: bytes, path) -> list[str]:
    path.write_bytes(data)
    return pdf_pages(path)


@pytest.fixture(scope="module")
def tmp(tmp_path_factory):
    return tmp_path_factory.mktemp("report_plans")


@pytest.fixture(scope="module")
def squares():
    """Three official park outlines in 坪山 (EPSG:4547), each 300 m into the next."""
    return parks_in("pingshan", 3, 2000.0, overlap_m=300.0)


@pytest.fixture(scope="module")
def official(squares):
    """The plan of the three official outlines used instead of the 20 parks, focus 坪山."""
    return compute_plan(Scenario("", upload=squares, role="instead", official=True), "坪山")


@pytest.fixture(scope="module")
def official_zh(official, tmp):
    needs_cjk_font()
    return _book(report_xlsx(official, "zh")), _pages(report_pdf(official, "zh"), tmp / "o_zh.pdf")


@pytest.fixture(scope="module")
def official_en(official, tmp):
    needs_cjk_font()
    return _book(report_xlsx(official, "en")), _pages(report_pdf(official, "en"), tmp / "o_en.pdf")


@pytest.fixture(scope="module")
def proposed():
    """The catalog with two proposed parks drawn in 坪山, for the city."""
    drawn = parks_in("pingshan", 2, 1500.0).to_crs(4326)
    return compute_plan(Scenario("", proposed=drawn))


def test_official_outlines_read_official_in_notes_summary_legends_and_district_pages(official_zh):
    wb, pages = official_zh
    notes = wb["汇总"]["B3"].value
    assert "以上传的 3 个正式边界替代（计为实测供给）" in notes
    assert "20大先进制造业园区：" in notes and "官方边界未公开" not in notes
    heads = [c for row in wb["汇总"].iter_rows(values_only=True) for c in row if c]
    assert "20大先进制造业园区（正式边界，实测）覆盖面积（平方公里）" in heads
    assert wb["分区覆盖"]["A1"].value == "分区覆盖：20大先进制造业园区（正式边界，实测）"
    parks = table(wb["园区"], "名称")[:-1]
    uploaded = [r for r in parks if r["图层"] == "20大先进制造业园区"]
    assert [r["名称"] for r in uploaded] == ["园区1", "园区2", "园区3"]
    assert {r["精度"] for r in uploaded} == {"官方边界"} and not any(
        r["绘制方法"] for r in uploaded
    )
    text = "".join(pages)
    flat = text.replace("\n", "")
    assert "20大先进制造业园区（正式边界，实测）覆盖" in flat  # summary and district page
    assert "20大先进制造业园区（官方边界）" in flat  # the district map's legend
    assert "实线为官方（正式）边界" in flat  # the map key follows what is drawn
    for claim in ("20大先进制造业园区（示意", "（示意边界）覆盖", "%，示意）", "官方边界未公开"):
        assert claim not in flat, claim
    # the catalog's other layers stay what they are: indicative discs
    assert "坪山“三区一带”（示意边界）" in flat


def test_official_report_figures_are_the_plans(official_zh, official, squares):
    import geopandas as gpd
    import shapely

    wb, pages = official_zh
    cov = in_unit(official.coverage, "km2").iloc[0]
    row = table(wb["分区覆盖"], "区编号")[0]
    assert row["园区覆盖面积（平方公里）"] == pytest.approx(cov["covered_area"], rel=1e-12)
    assert row["园区数"] == 3 == official.parks_count
    # measured directly: the squares' union inside 坪山
    zone = official.districts.to_crs(4547).geometry.iloc[0]
    union = shapely.union_all(gpd.GeoSeries(squares.geometry).values)
    assert cov["covered_area"] == pytest.approx(
        shapely.area(shapely.intersection(union, zone)) / 1e6, rel=1e-9
    )
    ws = wb["重叠"]
    dc = table(ws, "要素 A", row_of(ws, "重复计算（"))
    assert dc[-1]["重叠面积（平方公里）"] == pytest.approx(official.double_counted / 1e6, rel=1e-9)
    between = [r for r in dc[:-1] if r["图层 A"] == r["图层 B"] == "20大先进制造业园区"]
    assert [(r["要素 A"], r["要素 B"]) for r in between] == [("园区1", "园区2"), ("园区2", "园区3")]
    assert sum(r["重叠面积（平方公里）"] for r in between) == pytest.approx(2 * 0.3 * 2.0)
    parks = table(wb["园区"], "名称")
    assert parks[-1]["区内面积（平方公里）"] == pytest.approx(official.parks_total / 1e6)
    targets = {r["目标编号"]: r for r in table(wb["汇总"], "目标编号")}
    assert list(targets) == list(official.targets["target_id"])
    flat = "".join(pages).replace("\n", "")
    assert plan_text.coverage_line(official, "zh", "km2") in flat
    assert plan_text.double_line(official, "zh", "km2") in flat
    assert (
        f"{cov['covered_area']:,.2f}"
        in pages[next(i for i, p in enumerate(pages) if p.startswith("分区图"))]
    )


def test_cli_parks_file_is_an_upload_used_instead(squares, tmp):
    path = tmp / "parks.gpkg"
    squares.to_file(path)
    out = tmp / "cli_official.xlsx"
    run("report", "--parks", path, "--official", "--scope", "坪山", "--out", out)
    wb = load_workbook(out)
    plan = compute_plan(Scenario("", upload=squares, role="instead", official=True), "pingshan")
    row = table(wb["分区覆盖"], "区编号")[0]
    assert row["园区覆盖面积（平方公里）"] == pytest.approx(
        plan.coverage["covered_area"].iloc[0] / 1e6, rel=1e-9
    )
    assert "正式边界" in wb["分区覆盖"]["A1"].value


def test_proposed_parks_read_proposed(proposed, tmp):
    needs_cjk_font()
    wb = _book(report_xlsx(proposed, "zh"))
    notes = wb["汇总"]["B3"].value
    assert "另加拟建园区 2 个" in notes
    parks = table(wb["园区"], "名称")[:-1]
    drawn = [r for r in parks if r["精度"] == "拟建（情景）"]
    assert [r["名称"] for r in drawn] == ["园区1", "园区2"]
    targets = {r["目标编号"]: r for r in table(wb["汇总"], "目标编号")}
    want = in_unit(proposed.targets, "km2").set_index("target_id")
    for tid, r in targets.items():
        w = want.loc[tid]
        if w["supplied"] == w["supplied"]:  # not NaN
            assert r["现有供给（实测或拟建）"] == pytest.approx(w["supplied"], rel=1e-9)
        if w["unit"] == "count":  # a count is whole
            assert r["单位"] == "个"
            cell = next(
                c
                for row in wb["汇总"].iter_rows()
                for c in row
                if c.value == r["目标"] and c.column == 1
            )
            assert wb["汇总"].cell(cell.row, 4).number_format == "#,##0"
    pages = _pages(report_pdf(proposed.focused("pingshan"), "zh"), tmp / "p_zh.pdf")
    flat = "".join(pages).replace("\n", "")
    assert "20大先进制造业园区（拟建（情景））" in flat  # legend
    assert "橙色点线为拟建园区" in flat
    covered = in_unit(proposed.focused("pingshan").coverage, "km2")["covered_area"].iloc[0]
    assert f"{covered:,.2f}" in flat
    assert not re.search(r"\d\.\d+ 个", flat) and "-0.00" not in flat


def test_english_reports_are_english(official_en, proposed, tmp):
    wb, pages = official_en
    assert wb.sheetnames == [
        "Summary",
        "Districts",
        "Parks",
        "Clusters",
        "Overlaps",
        "Gaps",
        "Sources",
    ]
    books = {"official": wb, "proposed": _book(report_xlsx(proposed, "en"))}
    for which, book in books.items():
        left = {(s, v[:60]) for s, v in readable_cells(book) if chinese_left(v)}
        assert not left, (which, sorted(left)[:5])
    from layers.names import feature_layer, feature_name

    for r in table(books["proposed"]["Parks"], "Name")[:-1]:  # names in English where they exist
        fid = r["Id"].split(":", 1)[1]
        if feature_layer(fid):
            assert r["Name"] == feature_name(fid, "en"), r["Id"]
    left = [chinese_left(p) for p in pages]
    assert not any(left), left
    flat = "".join(pages).replace("\n", " ")
    assert "20 advanced manufacturing parks (official outline)" in flat  # legend
    assert "solid outlines are official" in flat
    assert "(official outlines, measured) cover" in flat.replace("  ", " ")
    assert "indicative outlines) cover" not in flat


def test_no_raw_ids_in_readable_columns_and_no_negative_zero(
    official_zh, official_en, official, proposed
):
    books = {
        ("official", "zh"): official_zh[0],
        ("official", "en"): official_en[0],
        ("proposed", "zh"): _book(report_xlsx(proposed, "zh")),
        ("catalog", "en"): _book(report_xlsx(compute_plan(), "en", "mu")),
        ("official, city", "zh"): _book(report_xlsx(official.city, "zh")),
        ("official, city", "en"): _book(report_xlsx(official.city, "en")),
    }
    for (which, lang), wb in books.items():
        found = {
            (s, v[:60], tuple(ids_in(v, lang))) for s, v in readable_cells(wb) if ids_in(v, lang)
        }
        assert not found, (which, lang, sorted(found)[:5])
        for ws in wb:
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, float) and c.value < 0:
                        dec = len(c.number_format.split(".")[1]) if "." in c.number_format else 0
                        assert round(c.value, dec) != 0, (which, ws.title, c.coordinate)
        texts = [v for _, v in readable_cells(wb)]
        assert not any(re.search(r"\d\.\d+ (个|count)\b", v) for v in texts)
