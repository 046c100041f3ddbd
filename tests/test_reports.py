"""landplan report: the workbook and the atlas hold what `landplan coverage/targets/gaps` print."""

import re
import shutil
import subprocess

import geopandas as gpd
import pytest
import shapely
from openpyxl import load_workbook

import layers
from geo.errors import LandplanError
from landplan import report
from landplan.report import fonts
from layers.summary import district_coverage
from layers.targets import MET_LABELS

from .cli_helpers import run, run_json

SHEETS = [
    "汇总 Summary",
    "分区覆盖 Districts",
    "园区 Parks",
    "产业集群 Clusters",
    "重叠 Overlaps",
    "缺口 Gaps",
    "来源 Sources",
]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return tmp_path_factory.mktemp("reports")


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


def _needs_cjk_font():
    """The atlas needs a CJK font; without one it refuses with a sentence (tested below): skip,
    saying so."""
    from geo.errors import LandplanError
    from landplan.report import cjk_font

    try:
        cjk_font()
    except LandplanError as exc:
        pytest.skip(f"no CJK font for the atlas ({exc}); .ci/run installs fonts-wqy-zenhei")


def _pdf_pages(path) -> list[str]:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian poppler-utils) is not installed; .ci/run installs it")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


@pytest.fixture(scope="module")
def city_pdf(out):
    _needs_cjk_font()
    path = out / "city_km2.pdf"
    run("report", "--out", path)
    return _pdf_pages(path)


@pytest.fixture(scope="module")
def pingshan_pdf(out):
    _needs_cjk_font()
    path = out / "pingshan_ha_en.pdf"
    run("report", "--scope", "pingshan", "--unit", "ha", "--lang", "en", "--out", path)
    return _pdf_pages(path)


def _table(ws, first_header: str) -> list[dict]:
    """Rows of the table whose header row starts with ``first_header`` (up to a blank first
    cell)."""
    rows = list(ws.iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if first_header in r)
    head = rows[top]
    body = []
    for r in rows[top + 1 :]:
        if r[0] is None:
            break
        body.append(dict(zip(head, r)))
        if str(r[0]).startswith("合计"):  # the total row closes the table (a note may follow)
            break
    return body


def _fmt(v, dec):
    return f"{v:,.{dec}f}"


def test_workbook_has_every_sheet_frozen_headers_version_and_precision_note(city_xlsx):
    assert city_xlsx.sheetnames == SHEETS
    for ws in city_xlsx.worksheets:
        assert ws.freeze_panes is not None and ws.freeze_panes != "A1", ws.title
        assert ws["F2"].value.startswith("landplan ") and " data " in ws["F2"].value  # data version
        assert ws["D2"].value  # date
    summary = city_xlsx["汇总 Summary"]
    note = summary["B3"].value
    assert (
        "示意" in note and "20个先进制造业园区规划建设总面积" in note and "是否达标未知" in note
    )  # the target resting on indicative outlines is named


def test_workbook_coverage_equals_cli_and_totals_add_up(city_xlsx):
    cli = {
        r["zone_id"]: r
        for r in run_json("coverage", "sz20_parks", "--by", "districts", "--unit", "km2")
    }
    rows = _table(city_xlsx["分区覆盖 Districts"], "区编号")
    body, total = rows[:-1], rows[-1]
    assert [r["区编号"] for r in body] == list(cli)
    for r in body:
        c = cli[r["区编号"]]
        assert r["区域面积（边界）（平方公里）"] == pytest.approx(c["zone_area"], rel=1e-9)
        assert r["园区覆盖面积（平方公里）"] == pytest.approx(c["covered_area"], rel=1e-9, abs=1e-9)
        assert r["覆盖率（占边界面积）%"] == pytest.approx(c["covered_pct"], rel=1e-9, abs=1e-9)
        assert r["园区数"] == c["feature_count"]
    assert total["区编号"] == "合计"
    assert total["园区覆盖面积（平方公里）"] == pytest.approx(
        sum(c["covered_area"] for c in cli.values()), rel=1e-9
    )
    assert total["区域面积（边界）（平方公里）"] == pytest.approx(
        sum(c["zone_area"] for c in cli.values()), rel=1e-9
    )
    # the area number format shows 2 decimals for km²
    ws = city_xlsx["分区覆盖 Districts"]
    cell = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, float))
    assert cell.number_format.endswith(".00")


def test_workbook_targets_and_gaps_equal_cli(city_xlsx):
    cli = {r["target_id"]: r for r in run_json("targets", "--unit", "km2")}
    rows = _table(city_xlsx["汇总 Summary"], "目标编号")
    assert [r["目标编号"] for r in rows] == list(cli)
    for r in rows:
        c = cli[r["目标编号"]]
        assert r["目标值"] == c["target_text_zh"]
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
    gaps = run_json("gaps", "--unit", "km2")
    got = [(r["编号"], r["说明"]) for r in _table(city_xlsx["缺口 Gaps"], "类型")[:-1]]
    assert got == [(g["id"], g["detail_zh"]) for g in gaps]


def test_workbook_parks_overlaps_and_sources_add_up(city_xlsx):
    parks = _table(city_xlsx["园区 Parks"], "图层")
    body, total = parks[:-1], parks[-1]
    assert total["区内面积（平方公里）"] == pytest.approx(
        sum(r["区内面积（平方公里）"] or 0 for r in body), rel=1e-9
    )
    # every feature part is in one district; the parts of a park add up to its drawn area (inside
    # the districts)
    parts = {}
    for r in body:
        if r["区内面积（平方公里）"] is not None:
            parts.setdefault((r["图层"], r["编号"]), []).append(r)
    for rs in parts.values():
        assert sum(r["区内面积（平方公里）"] for r in rs) <= rs[0][
            "绘制面积（整体）（平方公里）"
        ] * (1 + 1e-9)
    assert {r["精度"] for r in body} >= {"示意", "无边界"}
    ov = _table(city_xlsx["重叠 Overlaps"], "要素 A")
    assert ov[-1]["重叠面积（平方公里）"] == pytest.approx(
        sum(r["重叠面积（平方公里）"] for r in ov[:-1]), rel=1e-9
    )
    sources = _table(city_xlsx["来源 Sources"], "类别")
    cited = {r["编号"] for r in sources}
    assert {t["target_id"] for t in run_json("targets")} <= cited
    assert all(r["来源（文件与行号，或公开报道）"] for r in sources)


def test_district_workbook_holds_only_that_district(pingshan_xlsx):
    assert pingshan_xlsx.sheetnames == SHEETS
    cov = _table(pingshan_xlsx["分区覆盖 Districts"], "区编号")
    assert [r["区编号"] for r in cov] == ["pingshan", "合计"]
    cli = next(
        r
        for r in run_json("coverage", "sz20_parks", "--by", "districts", "--unit", "mu")
        if r["zone_id"] == "pingshan"
    )
    assert cov[0]["园区覆盖面积（亩）"] == pytest.approx(cli["covered_area"], rel=1e-9)
    parks = _table(pingshan_xlsx["园区 Parks"], "图层")[:-1]
    assert parks and {r["所在区"] for r in parks} == {"坪山区"}
    targets = run_json("targets", "--district", "pingshan", "--unit", "mu")
    rows = _table(pingshan_xlsx["汇总 Summary"], "目标编号")
    assert [r["目标编号"] for r in rows] == [t["target_id"] for t in targets]
    for r, t in zip(rows, targets):
        if t["supplied"] is not None:
            assert r["现有供给（实测或拟建）"] == pytest.approx(t["supplied"], rel=1e-9)
    gaps = run_json("gaps", "--district", "pingshan", "--unit", "mu")
    assert [r["编号"] for r in _table(pingshan_xlsx["缺口 Gaps"], "类型")[:-1]] == [
        g["id"] for g in gaps
    ]
    clusters = _table(pingshan_xlsx["产业集群 Clusters"], "集群编号")[:-1]
    assert clusters and all("坪山区" in r["对应区"] for r in clusters)


def test_atlas_has_cover_summary_and_a_page_per_district_with_cli_figures(city_pdf):
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
        assert _fmt(c["covered_area"], 2) in page and _fmt(c["zone_area"], 2) in page
        assert "示意" in page and re.search(r"\d km", page)  # precision note, scale bar
    summary = "\n".join(p for p, h in zip(city_pdf, heads) if h.startswith("汇总"))
    for t in run_json("targets", "--unit", "km2"):
        if t["supplied"] is not None:
            assert _fmt(t["supplied"], 2 if t["unit"] != "count" else 0) in summary, t["target_id"]
    assert _fmt(sum(c["covered_area"] for c in cov), 2) in summary  # the total adds up
    overview = city_pdf[next(i for i, h in enumerate(heads) if h.startswith("全市概览"))]
    for c in cov:  # the city map: every district with its coverage share
        name = districts.set_index("district_id").loc[c["zone_id"], "name_zh"]
        assert name in overview and f"{c['covered_pct']:.1f}%" in overview
    assert "\ufffd" not in "".join(city_pdf)  # no undecodable glyphs


def test_atlas_fonts_are_embedded_with_chinese(out):
    _needs_cjk_font()
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


def test_district_atlas_in_english_holds_only_that_district(pingshan_pdf):
    heads = [p.split("\n", 1)[0] for p in pingshan_pdf]
    district_pages = [h for h in heads if h.startswith("分区图")]
    assert district_pages and all("坪山区" in h for h in district_pages)
    text = "".join(pingshan_pdf)
    assert "Pingshan" in text and "Coverage" in text  # English after Chinese
    others = layers.load("districts").query("district_id != 'pingshan'")
    for name in others["name_zh"]:
        assert name not in text, name
    cli = next(
        r
        for r in run_json("coverage", "sz20_parks", "--by", "districts", "--unit", "ha")
        if r["zone_id"] == "pingshan"
    )
    assert _fmt(cli["covered_area"], 1) in text
    for t in run_json("targets", "--district", "pingshan", "--unit", "ha"):
        assert t["target_id"] and (t["supplied"] is None or _fmt(t["supplied"], 1) in text)


def test_report_of_a_drawn_park_counts_it(tmp_path):
    ps = layers.load("districts").query("district_id == 'pingshan'").to_crs(4547)
    c = ps.geometry.iloc[0].representative_point()
    proposed = gpd.GeoDataFrame(
        {
            "feature_id": ["proposed_1"],
            "name_zh": ["拟建园区 1"],
            "name_en": ["Proposed park 1"],
            "kind": ["sz20_park"],
            "precision": ["proposed"],
            "source": ["drawn on the map (what-if)"],
            "district_ids": [[]],
            "lead_clusters": [[]],
        },
        geometry=[shapely.Point(c.x, c.y).buffer(800)],
        crs=4547,
    ).to_crs(4326)
    data = report.report_xlsx(scope="pingshan", unit="ha", proposed=proposed)
    path = tmp_path / "whatif.xlsx"
    path.write_bytes(data)
    wb = load_workbook(path)
    parks = _table(wb["园区 Parks"], "图层")
    assert "proposed_1" in {r["编号"] for r in parks}
    import pandas as pd

    whatif = pd.concat([layers.load("sz20_parks"), proposed], ignore_index=True)
    expect = district_coverage(unit="ha", layer=gpd.GeoDataFrame(whatif, crs=4326)).set_index(
        "zone_id"
    )
    got = _table(wb["分区覆盖 Districts"], "区编号")[0]
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


def test_targets_of_a_district_without_targets_is_an_empty_list():
    assert run_json("targets", "--district", "baoan") == []


def test_no_target_is_met_or_missed_on_indicative_outlines_and_gaps_follow():
    """On the catalog's discs nothing is decided; a proposed park that falls short is a gap in both
    tables."""
    import shapely

    from layers.gap_table import gaps_table
    from layers.targets import target_supply

    rows = run_json("targets")
    assert {t["met"] for t in rows} == {None}
    assert not {g["id"] for g in run_json("gaps") if g["gap_type"] == "target"}
    # the 20 parks replaced by one proposed 1 km x 1 km park: ~300 km² is not met, and that is a gap
    proposed = gpd.GeoDataFrame(
        {
            "feature_id": ["p1"],
            "kind": ["sz20_park"],
            "precision": ["proposed"],
            "district_ids": [["longgang"]],
        },
        geometry=[shapely.box(500000, 2510000, 501000, 2511000)],
        crs=4547,
    ).to_crs(4326)
    supply = {"sz20_parks": proposed}
    ts = target_supply(supply_layers=supply).set_index("target_id")
    row = ts.loc["city_sz20_parks_area"]
    assert (
        row["basis"] == "proposed"
        and row["met"] is False
        and row["supplied"] == pytest.approx(1.0, rel=1e-6)
    )
    assert row["shortfall"] == pytest.approx(299.0, rel=1e-6)
    not_met = set(ts.index[ts["met_status"] == "not_met"])
    gp = gaps_table(supply_layers=supply)
    assert not_met and not_met == set(gp.loc[gp["gap_type"] == "target", "id"])


def test_page_offers_the_reports_in_its_downloads_tab():
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from .test_app import _open_tab

    at = AppTest.from_file(
        str(Path(__file__).resolve().parents[1] / "streamlit_app.py"), default_timeout=180
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


def test_english_workbook_has_chinese_then_english_headers(tmp_path):
    path = tmp_path / "dapeng_en.xlsx"
    run("report", "--scope", "dapeng", "--lang", "en", "--unit", "km2", "--out", path)
    wb = load_workbook(path)
    rows = _table(wb["分区覆盖 Districts"], "区编号 District id")
    assert [r["区编号 District id"] for r in rows] == ["dapeng", "合计 Total"]
    cli = next(
        r
        for r in run_json("coverage", "sz20_parks", "--by", "districts", "--unit", "km2")
        if r["zone_id"] == "dapeng"
    )
    assert rows[0]["园区覆盖面积 Covered by parks (km²)"] == pytest.approx(
        cli["covered_area"], rel=1e-9
    )
    assert rows[0]["行政区 District"] == "大鹏新区 Dapeng New Area"


def test_districts_sheet_splits_coverage_by_tier(tmp_path):
    parks = layers.load("sz20_parks")
    parks.loc[parks["feature_id"].isin(["sz20_yanluo", "sz20_longgang_west"]), "tier"] = "启动区"
    parks.loc[parks["feature_id"] == "sz20_shiyan", "tier"] = "储备区"
    path = tmp_path / "tiers.xlsx"
    path.write_bytes(
        report.report_xlsx(scope="city", unit="km2", supply_layers={"sz20_parks": parks})
    )
    rows = {r["区编号"]: r for r in _table(load_workbook(path)["分区覆盖 Districts"], "区编号")}
    tier_cols = [c for c in rows["baoan"] if c and c.startswith("层级")]
    assert [c.split()[1] for c in tier_cols] == [
        "启动区",
        "储备区",
        "未公布",
    ]  # the Opinion's order, unstated last
    for tier, col in zip(["启动区", "储备区"], tier_cols):
        one = district_coverage(unit="km2", layer=parks[parks["tier"] == tier]).set_index("zone_id")
        assert rows["baoan"][col] == pytest.approx(one.loc["baoan", "covered_area"], rel=1e-9)
        assert rows["合计"][col] == pytest.approx(one["covered_area"].sum(), rel=1e-9)
