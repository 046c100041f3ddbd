"""Targets as the documents word them, and supply that says what it is measured on (issue 12)."""

import math
import re

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import layers
from layers.supply import basis_summary, basis_summary_text, commitments, target_supply

from ..cli_helpers import run, run_json

# qualifiers right before the figure, and right after it (past its unit)
_BEFORE = (
    (">=", ("不少于", "不低于", "不小于", "≥")),
    (">", ("大于", "超过", ">")),
    ("~", ("约",)),
    ("<=", ("不超过", "不大于", "≤")),
)
_AFTER = ((">=", ("以上",)), ("~", ("左右",)), ("<=", ("以下", "以内")))


def _comparator_in_quote(quote: str, value: float) -> str:
    """The comparator a reader takes from the words around the figure (以上 includes the number)."""
    q = re.sub(r"\s+", "", quote)
    for m in re.finditer(r"(\d+(?:\.\d+)?)[-—–~](\d+(?:\.\d+)?)", q):
        if math.isclose(float(m.group(1)), value):
            return "range"
    for m in re.finditer(r"\d+(?:\.\d+)?", q):
        if not math.isclose(float(m.group()), value) or q[m.end() : m.end() + 1].isdigit():
            continue
        before, after = q[: m.start()], q[m.end() : m.end() + 7]
        for comp, words in _BEFORE:
            if before.endswith(words):
                return comp
        for comp, words in _AFTER:
            if any(w in after for w in words):
                return comp
        return "="
    raise AssertionError(f"{value} not in {quote!r}")


def _seed_targets():
    t = layers.targets()
    return t[t["source_ref"] != ""]  # a target from public reporting has no seed quote


def test_every_comparator_is_the_direction_its_quote_words():
    wrong = []
    for t in _seed_targets().itertuples():
        for quote, comp in [(t.quote, t.comparator)] + [
            (w["quote"], w["comparator"]) for w in t.wordings
        ]:
            said = _comparator_in_quote(quote, float(t.value))
            if said != comp:
                wrong.append(f"{t.target_id}: {quote!r} reads {said}, catalog says {comp}")
    assert not wrong, "\n".join(wrong)


def test_yishang_counts_the_number_itself():
    t = layers.targets().set_index("target_id")
    for tid in (
        "city_semiconductor_ic_parks",
        "city_digital_creative_theme_parks",
        "city_health_industry_areas",
        "city_safety_env_agglomeration_areas",
        "longgang_land_assembly",
    ):
        assert "以上" in t.loc[tid, "quote"] and t.loc[tid, "comparator"] == ">=", tid


def test_a_range_keeps_both_ends_in_the_api_and_the_cli():
    row = {r["target_id"]: r for r in run_json("targets")}["city_smart_terminal_specialist_parks"]
    assert (row["comparator"], row["value"], row["value_max"]) == ("range", 3, 5)
    assert row["target_text_zh"] == "3–5 个" and row["target_text_en"] == "3–5"


def test_one_target_per_commitment_with_its_other_wordings_attached():
    t = layers.targets().set_index("target_id")
    assert not [i for i in t.index if re.search(r"_[abc]$", i)]
    total = t.loc["longgang_industrial_land_total"]
    assert {w["source_ref"] for w in total["wordings"]} == {
        "002_22f36ed06e318fad.txt L259",
        "002_22f36ed06e318fad.txt L229",
    }
    assert "大于" in total["conflict_zh"] and "不少于" in total["conflict_zh"]
    space = t.loc["longgang_high_standard_manufacturing_space"]
    assert len(space["wordings"]) == 3 and space["value"] == 200
    # no figure is stated twice as two targets of the same scope
    key = t.reset_index()[["scope_id", "metric", "value", "unit", "name_zh"]]
    assert not key.duplicated().any()


def test_the_targets_the_documents_add_are_there():
    t = layers.targets().set_index("target_id")
    assert t.loc["city_digital_creative_innovation_bases", ["comparator", "value"]].tolist() == [
        ">=",
        5,
    ]
    assert t.loc["city_digital_creative_cooperation_bases", ["comparator", "value"]].tolist() == [
        ">=",
        10,
    ]
    assert t.loc[
        "longgang_m0_renewal_large_bay_space", ["comparator", "value", "unit"]
    ].tolist() == [">=", 3000, "m2"]
    assert t.loc[
        "longgang_baolong_biopharma_core_zone", ["comparator", "value", "unit"]
    ].tolist() == ["~", 82, "万m2"]
    newer = t.loc["city_2024_layout_total_area"]
    assert newer["value"] == 525 and newer["year"] == 2035 and "2024-2035" in newer["source"]
    assert "深圳特区报" in newer["source"] and ".txt" not in newer["source"]


def test_no_target_is_met_on_the_catalogs_indicative_discs():
    ts = target_supply()
    ind = ts[ts["basis"] == "indicative"]
    assert set(ind["target_id"]) >= {"city_sz20_parks_area", "pingshan_release_total"}
    assert (
        ind["met"].isna().all() and ind["supplied"].isna().all() and ind["shortfall"].isna().all()
    )
    assert (ind["met_status"] == "unknown_indicative").all() and (
        ind["indicative_extent"] > 0
    ).all()
    # the released 4.5 km² is an extent drawn at the stated size: shown as such, never as supply
    ps = ind.set_index("target_id").loc["pingshan_release_total"]
    assert ps["indicative_extent"] == pytest.approx(4.5, rel=1e-3) and "示意" in ps["basis_note_zh"]
    counts = basis_summary(ts)
    # one commitment is one target: the three parts of Pingshan's 4.5 km² are not counted again
    ind, one = commitments(ind), commitments(ts)
    assert counts["measured"] == 0 and counts["indicative"] == len(ind)
    assert sum(counts.values()) == len(one) == len(ts) - 3
    assert f"仅有示意边界 {len(ind)} 个" in basis_summary_text(ts, "zh")
    assert f"{len(ind)} only on indicative outlines" in basis_summary_text(ts, "en")


def test_cli_json_says_null_for_met_on_indicative_and_flags_inferred_years():
    rows = {r["target_id"]: r for r in run_json("targets")}
    assert (
        rows["city_sz20_parks_area"]["met"] is None
        and rows["city_sz20_parks_area"]["supplied"] is None
    )
    assert rows["city_sz20_parks_area"]["basis"] == "indicative"
    assert rows["longgang_assembly_henggang_south"]["year_inferred"] is True
    assert rows["city_semiconductor_ic_parks"]["year_inferred"] is False


def _official(geom_4547, precision):
    return gpd.GeoDataFrame(
        {
            "feature_id": ["x"],
            "kind": ["release_site"],
            "precision": [precision],
            "district_ids": [["pingshan"]],
        },
        geometry=[geom_4547],
        crs=4547,
    ).to_crs(4326)


def test_official_outlines_measure_and_decide_met():
    """Outlines loaded and marked official are a measurement: supply, shortfall and met are
    decided."""
    zones = layers.load("pingshan_zones")
    site = zones[zones["feature_id"] == "ps_release_gaoxin_south"].to_crs(4547).geometry.iloc[0]
    big = shapely.buffer(site.centroid, math.sqrt(2.5e6 / math.pi), quad_segs=64)  # 2.5 km² >= ~2.1
    small = shapely.buffer(
        site.centroid, math.sqrt(1.0e6 / math.pi), quad_segs=64
    )  # 1.0 km² < ~2.1
    for geom, met in ((big, True), (small, False)):
        others = zones[zones["feature_id"] != "ps_release_gaoxin_south"]
        layer = gpd.GeoDataFrame(
            pd.concat(
                [others, _official(geom, "official").assign(feature_id="ps_release_gaoxin_south")],
                ignore_index=True,
            ),
            crs=4326,
        )
        row = (
            target_supply(supply_layers={"pingshan_zones": layer})
            .set_index("target_id")
            .loc["pingshan_release_gaoxin_south"]
        )
        assert row["basis"] == "measured" and row["met"] is met
        assert row["supplied"] == pytest.approx(shapely.area(geom) / 1e6, rel=1e-3)


def test_every_source_shown_names_its_document():
    shown = list(layers.targets()["source"]) + list(layers.clusters()["source"])
    shown += list(layers.cluster_layouts()["source"])
    for lid in layers.LAYER_IDS:
        if lid != "districts":  # outlines of a web map (a dataset, named as such), checked below
            shown += [s for s in layers.load(lid)["source"] if isinstance(s, str)]
    shown += [r["source"] for r in run_json("targets")]
    bad = sorted({s for s in shown if ".txt" in s or "GUIDE" in s or "《" not in s})
    assert not bad, bad[:10]
    d = layers.load("districts")
    assert (
        d["source"].str.contains("高德").all()
        and d["official_land_source"].str.contains("《深圳统计年鉴》").all()
    )
    assert (
        not d["precision"].isin(["official"]).any()
    )  # a web map's outline with sea is not called official


def test_the_scenario_in_effect_decides_the_basis_of_an_upload():
    """An upload instead of the 20 parks is a proposal unless marked official; beside, it counts
    toward nothing."""
    from layers.scenario import layers_in_effect

    park = gpd.GeoDataFrame(
        {"feature_id": ["u1"], "kind": ["sz20_park"], "district_ids": [["baoan"]]},
        geometry=[shapely.box(480000, 2510000, 483000, 2512000)],
        crs=4547,
    )  # 6 km²
    for official, basis in ((True, "measured"), (False, "proposed")):
        supply = layers_in_effect(park, "instead", upload_official=official)
        row = target_supply(supply_layers=supply).set_index("target_id").loc["city_sz20_parks_area"]
        assert (
            row["basis"] == basis
            and row["met"] is False
            and row["supplied"] == pytest.approx(6.0, rel=1e-6)
        )
        assert pd.isna(row["indicative_extent"])  # the catalog's discs no longer count
    beside = target_supply(supply_layers=layers_in_effect(park, "beside")).set_index("target_id")
    assert beside.loc["city_sz20_parks_area", "basis"] == "indicative"
    drawn = layers_in_effect(
        park,
        "instead",
        upload_official=True,
        proposed=park.assign(geometry=park.translate(10000, 0)),
    )
    row = target_supply(supply_layers=drawn).set_index("target_id").loc["city_sz20_parks_area"]
    assert row["basis"] == "proposed" and row["supplied"] == pytest.approx(12.0, rel=1e-6)


def test_cli_targets_gaps_and_report_measure_on_official_parks(tmp_path):
    """landplan targets/gaps/report --parks FILE [--official]: the same layers in effect as the page
    and the API."""
    from openpyxl import load_workbook

    from ..cli_helpers import run

    park = gpd.GeoDataFrame(
        {"名称": ["测试园区"]}, geometry=[shapely.box(480000, 2510000, 483000, 2512000)], crs=4547
    )
    path = tmp_path / "官方园区.gpkg"
    park.to_file(path, engine="pyogrio")
    proposal = {r["target_id"]: r for r in run_json("targets", "--parks", path)}[
        "city_sz20_parks_area"
    ]
    official = {r["target_id"]: r for r in run_json("targets", "--parks", path, "--official")}[
        "city_sz20_parks_area"
    ]
    assert (proposal["basis"], official["basis"]) == ("proposed", "measured")
    assert official["met"] is False and official["supplied"] == pytest.approx(6.0, rel=1e-6)
    assert (
        official["shortfall"] == pytest.approx(294.0, rel=1e-6)
        and official["indicative_extent"] is None
    )
    gaps = run_json("gaps", "--parks", path, "--official")
    assert "city_sz20_parks_area" in {g["id"] for g in gaps if g["gap_type"] == "target"}
    out = tmp_path / "会.xlsx"
    run("report", "--parks", path, "--official", "--out", out)
    ws = load_workbook(out)["汇总"]
    row = next(
        r for r in ws.iter_rows(values_only=True) if r[0] == "20个先进制造业园区规划建设总面积"
    )
    assert (
        6.0 in [round(v, 6) for v in row if isinstance(v, float)]
        and "未达标" in row
        and any(isinstance(v, str) and v.startswith("实测") for v in row)
    )
    # the note under the table says how the discs were sized: no document gives a park's size
    note = next(
        v for r in ws.iter_rows(values_only=True) for v in r if str(v).startswith("示意范围是")
    )
    assert "按文件所述面积画出的示意边界" not in note and "没有文件给出各园区的面积" in note
    assert "平均面积 15 平方公里" in note and "碧岭北" in note


def test_a_target_says_why_it_cannot_be_measured():
    ts = target_supply().set_index("target_id")
    assert (
        "地块" in ts.loc["longgang_industrial_land_total", "basis_note_zh"]
    )  # counts_parcels: parcels can
    assert (
        "地块" not in ts.loc["city_2024_layout_total_area", "basis_note_zh"]
    )  # nothing loaded holds it
    assert "楼面" in ts.loc["longgang_high_standard_manufacturing_space", "basis_note_zh"]


def test_one_commitment_in_three_parts_is_counted_once():
    """004 L538 releases about 4.5 km², footnote 5 (L546) splits it 1 + 1.4 + 2.1: one target whose
    three parts are listed under it, in the counts once (city and 坪山)."""
    t = layers.targets().set_index("target_id")
    parts = t[t["part_of"] == "pingshan_release_total"]
    assert sorted(parts["place_zh"]) == sorted(["碧岭北", "龙田北", "高新南"])
    assert parts["value"].sum() == pytest.approx(t.loc["pingshan_release_total", "value"])
    assert t["part_of"].dropna().isin(t.index).all()  # a part names a commitment that exists
    for scope, district in (("city", None), ("pingshan", "pingshan")):
        ts = target_supply(district=district)
        one = commitments(ts)
        assert len(one) == len(ts) - 3 and one["part_of"].isna().all()
        assert basis_summary_text(ts, "zh").startswith(f"共 {len(one)} 个目标（另有 3 个分项")
        assert basis_summary_text(ts, "en").startswith(f"{len(one)} targets (3 parts")
        ids = list(ts["target_id"])  # the parts right under their commitment
        at = ids.index("pingshan_release_total")
        assert set(ids[at + 1 : at + 4]) == set(parts.index), scope
    assert len(commitments(target_supply(district="pingshan"))) == 2  # the release, the incubator


def test_reported_plans_sit_beside_the_2022_figure_they_refine():
    """The 2024 "20+20" plan (~525 km²) and the 2022 plan's ~60 km² released in stages follow the
    300 km² they refine or lie within, cite the publication (title, outlet, date) and say they are
    not additive, in the API, the page's table and the command's table."""
    from landplan.present.tables import targets_table

    ts = target_supply()
    ids = list(ts["target_id"])
    at = ids.index("city_sz20_parks_area")
    beside = {"city_2024_layout_total_area", "city_sz20_parks_industrial_land_released"}
    assert set(ids[at + 1 : at + 3]) == beside
    rows = ts.set_index("target_id")
    newer, stages = (
        rows.loc["city_2024_layout_total_area"],
        rows.loc["city_sz20_parks_industrial_land_released"],
    )
    assert (newer["value"], newer["relation"], newer["related_to"]) == (
        525,
        "refines",
        "city_sz20_parks_area",
    )
    assert "不叠加" in newer["relation_zh"] and "not additive" in newer["relation_en"]
    assert "深圳特区报" in newer["source"] and "2024-12-22" in newer["source"]
    assert (stages["value"], stages["relation"], stages["met_status"]) == (
        60,
        "within",
        "not_measurable",
    )
    assert "深圳晚报" in stages["source"] and "2022-06-08" in stages["source"]
    assert "《深圳市20大先进制造业园区空间布局规划》" in stages["source"]
    assert "不叠加" in stages["relation_zh"] and "启动区" in stages["relation_zh"]
    for src in (newer["source"], stages["source"], newer["source_en"]):
        assert "guide" not in src.lower() and "《" in src
    shown = targets_table(ts, "zh").set_index("目标")
    assert (
        "不叠加" in shown.loc["“20+20”战新与未来产业空间布局总规模（至2035年）", "与其他目标的关系"]
    )
    table = run("targets").stdout
    assert "refines the 2022 parks (about 300 km²), not additive" in table.replace("\n  ", " ")


def test_context_figures_are_shown_beside_the_targets_but_never_counted():
    """217.7 km² of existing industrial land (21.7 % of construction land, 2024 report) is a context
    figure: not a target, never met or not met, not in the counts."""
    cf = layers.context_figures().set_index("figure_id")
    land = cf.loc["city_existing_industrial_land_2024"]
    assert (land["value"], land["unit"], land["share_pct"], land["kind"]) == (
        217.7,
        "km2",
        21.7,
        "existing_land",
    )
    assert "深圳特区报" in land["source"] and "2024-12-22" in land["source"]
    ts = target_supply()
    assert 217.7 not in set(ts["value"]) and not set(cf.index) & set(ts["target_id"])
    assert "met" not in cf.columns and "supplied" not in cf.columns
    json_ids = {r["target_id"] for r in run_json("targets")}
    assert not set(cf.index) & json_ids
    table = run("targets").stdout
    context = table.split("背景数字")[1]
    assert "现状工业用地 217.7 平方公里（占建设用地 21.7%）" in context
    assert len(commitments(ts)) == int(re.search(r"共 (\d+) 个目标", table).group(1))
    mu = (
        layers.context_figures(unit="mu")
        .set_index("figure_id")
        .loc["city_existing_industrial_land_2024"]
    )
    assert mu["value"] == pytest.approx(217.7 * 1500) and mu["unit"] == "mu"


def test_catalog_outlines_cannot_be_made_official(tmp_path):
    """The catalog's discs (or a file holding them) marked official are refused in one sentence,
    Chinese then English, exit code 2, by the rule every view shares (layers_in_effect)."""
    from geo.errors import LandplanError
    from layers.scenario import layers_in_effect

    from ..cli_helpers import run

    with pytest.raises(LandplanError, match="The 10 outlines .* are indicative") as err:
        layers_in_effect(layers.load("sz20_parks"), "instead", upload_official=True)
    assert "示意边界" in err.value.message_zh
    assert layers_in_effect(layers.load("sz20_parks"), "instead") is not None  # a proposal is fine
    exported = tmp_path / "parks.gpkg"
    run("convert", "sz20_parks", exported)  # the discs in a file of their own: still indicative
    for cmd in ("targets", "gaps"):
        for parks in ("sz20_parks", exported):
            proc = run(cmd, "--parks", parks, "--official", check=False)
            assert proc.returncode == 2 and proc.stdout == "", (cmd, parks, proc.stdout[:200])
            said = [line for line in proc.stderr.splitlines() if "示意边界，不能" in line]
            assert len(said) == 1 and "Traceback" not in proc.stderr
            assert "are indicative, so they cannot be counted as official" in proc.stderr
    proc = run(
        "report", "--parks", "sz20_parks", "--official", "--out", tmp_path / "a.xlsx", check=False
    )
    assert proc.returncode == 2 and not (tmp_path / "a.xlsx").exists()
    from layers.store import open_store

    with pytest.raises(LandplanError, match="indicative"):
        open_store(tmp_path / "plans.gpkg").save(
            "discs", upload=layers.load("sz20_parks"), role="instead", official=True
        )


def test_indicative_extent_holds_the_indicative_outlines_only():
    """Parks drawn in 坪山 (3 polygons, as a user draws them) are supply; the indicative extent
    stays the catalog's discs: the drawn parks are not counted twice."""
    from layers.scenario import layers_in_effect

    base = target_supply().set_index("target_id")
    pingshan = layers.load("districts").to_crs(4547)
    centre = pingshan[pingshan.district_id == "pingshan"].geometry.iloc[0].representative_point()
    drawn = gpd.GeoDataFrame(
        {"name": ["拟建一", "拟建二", "拟建三"]},
        geometry=[
            shapely.box(centre.x + dx, centre.y - 1000, centre.x + dx + 2000, centre.y + 1000)
            for dx in (-2500, 0, 2500)
        ],
        crs=4547,
    ).to_crs(4326)
    assert (
        drawn.to_crs(4547)
        .within(pingshan.geometry[pingshan.district_id == "pingshan"].iloc[0])
        .all()
    )
    ts = target_supply(supply_layers=layers_in_effect(proposed=drawn)).set_index("target_id")
    for tid, supply in (("city_sz20_parks_area", 12.0), ("city_sz20_parks_count", 3)):
        row = ts.loc[tid]
        assert row["basis"] == "proposed" and row["supplied"] == pytest.approx(supply, rel=1e-6)
        assert row["indicative_extent"] == pytest.approx(
            base.loc[tid, "indicative_extent"], rel=1e-9
        )
        assert row["met_status"] == "unknown_indicative"


def test_each_target_names_its_place_and_districts():
    """place_zh/place_en say in words what the target concerns; district_ids the districts (none for
    the city); the command's table heads each place and keeps every name whole."""
    ts = target_supply().set_index("target_id")
    expect = {
        "city_sz20_parks_area": ("深圳市", "Shenzhen", []),
        "longgang_industrial_land_total": ("龙岗区", "Longgang", ["longgang"]),
        "pingshan_ai_incubator_space": ("坪山区", "Pingshan", ["pingshan"]),
        "pingshan_release_biling_north": ("碧岭北", "Biling North", ["pingshan"]),
        "longgang_assembly_pinghu_west": (
            "电子信息产业集群承载区平湖西产业片区",
            "Pinghu West industrial area (electronic information cluster carrier)",
            ["longgang"],
        ),
    }
    for tid, (zh, en, ids) in expect.items():
        assert (
            ts.loc[tid, "place_zh"],
            ts.loc[tid, "place_en"],
            list(ts.loc[tid, "district_ids"]),
        ) == (zh, en, ids)
    assert ts["place_zh"].map(bool).all() and ts["place_en"].map(bool).all()
    for did in ("longgang", "pingshan"):
        by_district = set(target_supply(district=did)["target_id"])
        assert by_district == {i for i, d in ts["district_ids"].items() if did in d}
    rows = {r["target_id"]: r for r in run_json("targets")}
    assert (
        rows["longgang_land_banking_bantian_jinyuan"]["place_zh"]
        == "电子信息产业集群承载区坂田金园产业片区"
    )
    table = run("targets").stdout.splitlines()
    for site in ("平湖西", "坂田金园"):
        at = next(
            i
            for i, line in enumerate(table)
            if line.startswith(f"电子信息产业集群承载区{site}产业片区")
        )
        two = [line.split()[0] for line in table[at + 1 : at + 3]]
        assert two == ["大面积产业空间整备规模", "预计收储产业用地"], two
    assert not any("…" in line or "整備" in line for line in table)


def test_every_drawn_outline_says_how_its_size_was_chosen():
    """No document gives a park's size: each disc is 15 km² (300 km² / 20 parks), said in both
    languages; only the release sites are drawn at a size a document states."""
    for lid in ("sz20_parks", "longgang_parks", "pingshan_zones"):
        g = layers.load(lid)
        drawn = g[g.geometry.notna()]
        assert drawn["drawn_method_zh"].notna().all() and drawn["drawn_method"].notna().all()
        assert not drawn["drawn_method_zh"].str.contains("Disc|Point|seed").any()
        discs = drawn[
            drawn.geom_type.isin(["Polygon", "MultiPolygon"]) & (drawn["kind"] != "belt_corridor")
        ]
        for r in discs.itertuples():
            if r.kind == "release_site":
                assert f"“{r.name_zh}约 " in r.drawn_method_zh and "文件所述" in r.drawn_method_zh
            else:
                assert (
                    "没有文件给出其面积" in r.drawn_method_zh and "15 平方公里" in r.drawn_method_zh
                )
                assert (
                    "no document gives its size" in r.drawn_method and "20 parks" in r.drawn_method
                )


def test_sources_read_whole_and_name_each_document_once():
    """`landplan layers` names each layer's documents once, whole (no '《…》第;' or a report cut at
    a space), the clusters by title, not by file name."""
    from layers.catalog_tables import catalog_rows

    for r in catalog_rows():
        if r["id"] == "districts":
            continue
        parts = [p.strip() for p in r["source"].split(";")]
        assert len(parts) == len(set(parts)), r["id"]
        for p in parts:
            assert p.count("《") == p.count("》") >= 1 and not p.endswith("第"), (r["id"], p)
            assert ".txt" not in p and "GUIDE" not in p
    by_id = {r["id"]: r for r in catalog_rows()}
    assert "2024-12-19 印发），深圳特区报、深圳新闻网，2024-12-22" in by_id["targets"]["source"]
    assert by_id["clusters"]["source"].startswith("《深圳市人民政府关于发展壮大")
    table = run("layers").stdout
    assert "第;" not in table and ".txt" not in table and "第 " not in table
