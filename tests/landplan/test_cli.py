"""The landplan command as a user calls it: same numbers as the API, clear errors, no tracebacks."""

import geopandas as gpd
import pytest
import shapely

import layers
from geo.analysis import coverage
from geo.areas import area
from layers.gaps import cluster_gaps
from layers.supply import target_supply

from ..cli_helpers import run, run_json


def test_layers_lists_the_catalog():
    rows = run_json("layers")
    ids = {r["id"] for r in rows}
    assert set(layers.LAYER_IDS) <= ids and {"clusters", "targets"} <= ids
    by_id = {r["id"]: r for r in rows}
    assert by_id["districts"]["features"] == 11
    assert by_id["sz20_parks"]["features"] == 20
    assert "indicative" in by_id["sz20_parks"]["precision"]
    table = run("layers").stdout
    assert "sz20_parks" in table and "districts" in table


def test_layers_counts_are_those_of_the_loaded_layers():
    """`landplan layers` reads no geometry; its counts and precision mix are those of the layers as
    loaded."""
    by_id = {r["id"]: r for r in run_json("layers")}
    for lid in layers.LAYER_IDS:
        gdf = layers.load(lid)
        mix = gdf["precision"].value_counts().to_dict()
        assert by_id[lid]["features"] == len(gdf), lid
        assert by_id[lid]["with_outline"] == int(gdf.geometry.notna().sum()), lid
        assert by_id[lid]["precision"] == ", ".join(f"{k} {v}" for k, v in sorted(mix.items())), lid


@pytest.mark.parametrize(
    "argv", [["--help"], ["layers"], ["clusters"], ["clusters", "--format", "json"]]
)
def test_commands_without_geometry_load_no_geometry_library(argv):
    """Commands that need no geometry answer without importing geopandas, shapely or pyproj (their
    start-up)."""
    import subprocess
    import sys

    code = (
        "import sys\nfrom landplan.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('geopandas', 'shapely', 'pyproj', 'pyogrio') if m in "
        "sys.modules), file=sys.stderr)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0 and proc.stdout, proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == "[]", proc.stderr


def test_unknown_layer_is_a_sentence_listing_the_ids():
    proc = run("area", "no_such_layer", check=False)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    # the sentence in Chinese first, then in English, each naming the layer and listing the ids
    zh, en = proc.stderr.splitlines()
    assert zh.startswith("landplan: 没有名为 'no_such_layer' 的图层") and "sz20_parks" in zh
    assert en.startswith("landplan: There is no layer 'no_such_layer'") and "sz20_parks" in en


def test_area_matches_api_in_mu():
    rows = run_json("area", "districts", "--unit", "mu")
    api = area(layers.load("districts"), "mu")
    got = {r["id"]: r["area"] for r in rows}
    for did, value in zip(layers.load("districts")["district_id"], api):
        assert got[did] == pytest.approx(value, rel=1e-12)
    assert {r["unit"] for r in rows} == {"mu"}


def test_coverage_matches_api():
    rows = run_json("coverage", "sz20_parks", "--by", "districts", "--unit", "ha")
    parks, districts = layers.load("sz20_parks"), layers.load("districts")
    api = coverage(
        parks[parks.geometry.notna()], by=districts, zone_id="district_id", unit="ha"
    ).set_index("zone_id")
    assert len(rows) == 11
    for r in rows:
        assert r["covered_area"] == pytest.approx(
            api.loc[r["zone_id"], "covered_area"], rel=1e-9, abs=1e-9
        )
        assert r["zone_area"] == pytest.approx(api.loc[r["zone_id"], "zone_area"], rel=1e-12)
        assert set(r) >= {"zone_id", "zone_area", "covered_area", "covered_pct", "unit"}


def test_overlaps_rows_have_ids_and_area():
    rows = run_json("overlaps", "pingshan_zones", "--with", "sz20_parks", "--unit", "km2")
    for r in rows:
        assert set(r) >= {"a_id", "b_id", "area", "unit"} and r["area"] > 0


def test_targets_match_api():
    rows = run_json("targets", "--unit", "km2")
    api = target_supply(unit="km2").set_index("target_id")
    assert len(rows) == len(api)
    for r in rows:
        assert set(r) >= {"target_id", "value", "supplied", "shortfall", "met", "unit"}
        assert r["value"] == pytest.approx(api.loc[r["target_id"], "value"])


def test_gaps_lists_cluster_pairs_without_carriers():
    rows = run_json("gaps")
    api = cluster_gaps()
    n_api = int(api["gap"].sum())
    assert sum(r["gap_type"] == "cluster" for r in rows) == n_api


def test_file_without_crs_is_refused_with_instructions(tmp_path):
    gdf = gpd.GeoDataFrame(
        {"name": ["甲"]}, geometry=[shapely.box(500000, 2500000, 501000, 2501000)]
    )
    gdf.to_file(tmp_path / "nocrs.shp", encoding="utf-8")
    proc = run("area", tmp_path / "nocrs.shp", check=False)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    zh, en = proc.stderr.splitlines()
    assert zh.startswith("landplan: nocrs.shp 未声明坐标系") and "--crs" in zh
    assert (
        en.startswith("landplan: nocrs.shp does not say which coordinate system") and "--crs" in en
    )
    ok = run_json("area", tmp_path / "nocrs.shp", "--crs", "EPSG:4547")
    assert ok[0]["area"] == pytest.approx(1.0, rel=1e-9)


def test_convert_round_trip_through_gcj02_keeps_fields_and_position(tmp_path):
    src = gpd.GeoDataFrame(
        {"名称": ["试验地块"], "面积说明": ["约1平方公里"]},
        geometry=[shapely.box(114.30, 22.70, 114.31, 22.71)],
        crs=4326,
    )
    src.to_file(tmp_path / "wgs.geojson", engine="pyogrio")
    run("convert", tmp_path / "wgs.geojson", tmp_path / "amap.geojson", "--to", "gcj02")
    proc = run("convert", tmp_path / "amap.geojson", tmp_path / "back.gpkg", "--from", "gcj02")
    assert proc.stderr.splitlines() == [
        "landplan: 说明: 已从 gcj02 转换为 WGS84（精确迭代反算）。",
        "landplan: note: Converted from gcj02 to WGS84 (exact iterative inverse).",
        f"已写出 {tmp_path / 'back.gpkg'}：1 个要素",
        f"wrote {tmp_path / 'back.gpkg'}: 1 feature",
    ]
    shifted = gpd.read_file(tmp_path / "amap.geojson")
    back = gpd.read_file(tmp_path / "back.gpkg")
    assert shifted.geometry.iloc[0].bounds[0] > 114.30 + 0.003  # moved by the GCJ-02 offset
    assert list(back["名称"]) == ["试验地块"] and list(back["面积说明"]) == ["约1平方公里"]
    assert shapely.equals_exact(
        back.geometry.iloc[0].normalize(), src.geometry.iloc[0].normalize(), tolerance=1e-9
    )


def test_gbk_shapefile_without_cpg_through_the_cli(tmp_path):
    parks = gpd.GeoDataFrame(
        {"名称": ["坪山高新区南区"]}, geometry=[shapely.box(114.35, 22.68, 114.36, 22.69)], crs=4326
    )
    parks.to_file(tmp_path / "gbk.shp", encoding="gbk", engine="pyogrio")
    (tmp_path / "gbk.cpg").unlink(missing_ok=True)
    proc = run("area", tmp_path / "gbk.shp", "--unit", "mu", "--format", "json")
    # the guess is reported, in Chinese first and then in English
    assert proc.stderr.splitlines() == [
        "landplan: 已修复: 缺少 .cpg 文件：属性文本编码识别为 GB18030（兼容 GBK）。可用 --encoding "
        "指定。",
        "landplan: repaired: No .cpg file: attribute text detected as GB18030 (GBK-compatible). "
        "Use --encoding to override.",
    ]
    rows = __import__("json").loads(proc.stdout)
    assert rows[0]["area"] == pytest.approx(area(parks, "mu").iloc[0], rel=1e-12)


def test_coverage_of_a_user_geopackage_reads_only_what_it_needs_and_matches_the_api(tmp_path):
    from geo.synthetic import voronoi_cells

    d = layers.load("districts")
    cells = voronoi_cells(d[d.district_id == "pingshan"].to_crs(4547), 3000, seed=7)
    cells.to_file(tmp_path / "cells.gpkg", layer="cells", engine="pyogrio")
    rows = run_json("coverage", tmp_path / "cells.gpkg", "--by", "pingshan_zones", "--unit", "m2")
    zones = layers.resolve_layer("pingshan_zones")
    api = coverage(cells, by=zones, zone_id="feature_id", unit="m2").set_index("zone_id")
    assert len(rows) == len(api)
    for r in rows:
        assert r["covered_area"] == pytest.approx(api.loc[r["zone_id"], "covered_area"], rel=1e-9)
        assert r["feature_count"] == api.loc[r["zone_id"], "feature_count"]


def test_help_of_every_command_prints():
    """`landplan --help` and each command's --help print their text (argparse formats them with
    %)."""
    out = run("--help")
    assert out.returncode == 0 and "coverage" in out.stdout
    commands = [
        c
        for c in (
            "layers",
            "clusters",
            "targets",
            "gaps",
            "area",
            "coverage",
            "overlaps",
            "convert",
            "report",
            "parcels",
            "raster",
        )
        if c in out.stdout
    ]
    assert len(commands) >= 9
    for c in commands:
        sub = run(c, "--help")
        assert sub.returncode == 0, (c, sub.stderr)
        assert "usage" in sub.stdout


# --- what a planner reads in a terminal: names, words, fixed decimals, both languages (issue 14)
# ---


def _width(line: str) -> int:
    """Columns a line takes in a terminal (CJK characters take two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@pytest.mark.parametrize("name", ["longgang", "龙岗区", "龙岗", "Longgang", "LONGGANG"])
def test_district_is_accepted_by_id_chinese_and_english_name(name):
    ids = {r["target_id"] for r in run_json("targets", "--district", name)}
    assert ids == set(target_supply(district="longgang")["target_id"]) and ids


def test_report_scope_by_chinese_name(tmp_path):
    import openpyxl

    out = tmp_path / "坪山.xlsx"
    proc = run("report", "--scope", "坪山区", "--out", out)
    assert proc.returncode == 0 and out.exists()
    assert "\r" not in proc.stderr  # no progress bar when stderr is not a terminal
    text = " ".join(
        str(c.value)
        for ws in openpyxl.load_workbook(out)
        for row in ws.iter_rows()
        for c in row
        if c.value
    )
    assert "坪山" in text


def test_unknown_district_is_one_sentence_in_both_languages():
    proc = run("gaps", "--district", "Atlantis", check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    zh, en = proc.stderr.strip().splitlines()
    assert "没有名为 'Atlantis' 的行政区" in zh and "龙岗区" in zh
    assert "There is no district 'Atlantis'" in en and "Longgang" in en


@pytest.mark.parametrize(
    "args, zh_words, en_words",
    [
        (
            ["coverage", "sz20_parks", "--by", "districts", "--unit", "acre"],
            ["--unit", "'acre'", "无效", "可选"],
            ["invalid choice", "'acre'"],
        ),
        (["area"], ["缺少必需的参数", "LAYER"], ["required", "LAYER"]),
        (
            ["targets", "--no-such-flag"],
            ["无法识别的参数", "--no-such-flag"],
            ["unrecognized arguments"],
        ),
    ],
)
def test_argparse_errors_are_one_sentence_in_chinese_then_english(args, zh_words, en_words):
    proc = run(*args, check=False)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 2, proc.stderr  # no usage block: the sentence, in each language
    zh, en = lines
    assert all(w in zh for w in zh_words) and "错误" in zh, zh
    assert all(w.lower() in en.lower() for w in en_words) and "error" in en, en


def test_coverage_table_has_fixed_decimals_whole_counts_and_names_beside_ids():
    import re

    table = run("coverage", "sz20_parks", "--by", "districts", "--unit", "m2").stdout
    assert not re.search(r"\d[eE][+-]?\d", table)  # never scientific notation
    row = next(line for line in table.splitlines() if line.split()[:1] == ["longgang"])
    assert "龙岗区" in row
    cells = row.split()
    assert cells[2] == "web_map"  # the outline's precision beside the name (web-map outlines)
    assert re.fullmatch(r"\d+\.\d{2}", cells[3]) and re.fullmatch(
        r"\d+", cells[-2]
    )  # area 2 dp, count whole
    # JSON keeps every digit
    api = {
        r["zone_id"]: r
        for r in run_json("coverage", "sz20_parks", "--by", "districts", "--unit", "m2")
    }
    assert api["longgang"]["name_zh"] == "龙岗区" and api["longgang"]["covered_area"] != round(
        api["longgang"]["covered_area"], 2
    )


def test_overlaps_leave_out_the_same_park_in_two_layers_as_the_page_does():
    """One definition: `landplan overlaps A --with B` gives the page's (catalog_overlaps) pairs
    between A and B."""
    from layers.summary import catalog_overlaps

    rows = run_json("overlaps", "pingshan_zones", "--with", "sz20_parks")
    cli = {frozenset((f"{r['a_layer']}:{r['a_id']}", f"{r['b_layer']}:{r['b_id']}")) for r in rows}
    page = catalog_overlaps(("pingshan_zones", "sz20_parks"))
    page = {
        frozenset((a, b))
        for a, b, la, lb in zip(page["a_id"], page["b_id"], page["a_layer"], page["b_layer"])
        if la != lb
    }
    assert cli == page and cli
    same = {
        (f, t)
        for lid in ("pingshan_zones", "sz20_parks")
        for f, t in zip(layers.load(lid)["feature_id"], layers.load(lid)["same_as"])
        if isinstance(t, str)
    }
    assert same  # the data do record the same park twice
    pairs = {(r["a_id"], r["b_id"]) for r in rows} | {(r["b_id"], r["a_id"]) for r in rows}
    assert not (same & pairs)
    assert all(r["a_name_zh"] and r["b_name_zh"] for r in rows)


def test_targets_table_fits_a_terminal_with_counts_as_integers_and_sources_as_titles():
    import re

    out = run("targets").stdout
    lines = out.splitlines()
    table = [line for line in lines if not line.startswith("[") and not line.startswith("*")]
    assert max(_width(line) for line in table) <= 130, max(_width(line) for line in table)
    count_row = next(line for line in table if "先进制造业园区数量" in line)
    n = target_supply().set_index("target_id").loc["city_sz20_parks_count", "indicative_extent"]
    assert (
        re.search(rf"20 个\s+{int(n)}\s", count_row) and f"{int(n)}.0" not in count_row
    )  # a count is whole
    notes = [line for line in lines if line.startswith("[")]
    assert notes and all("《" in n for n in notes) and not any(".txt" in n for n in notes)
    area_row = next(line for line in table if "规划建设总面积" in line)
    assert "平方公里" in area_row.split("未知")[-1] and " km2 " not in out  # the unit's name
    mu = run("targets", "--unit", "mu").stdout
    assert "亩" in next(line for line in mu.splitlines() if "规划建设总面积" in line)


@pytest.mark.parametrize(
    "argv",
    [
        ["coverage", "{gpkg}", "--by", "innovation_zones"],
        ["coverage", "{shp}", "--by", "innovation_zones"],
        ["area", "{gpkg}", "--by", "innovation_zones"],
        ["parcels", "{gpkg}", "--by", "innovation_zones"],
        ["area", "innovation_zones"],
    ],
)
def test_a_layer_of_locations_only_is_refused_as_zones_in_words(tmp_path, argv):
    """The innovation zones are places without outlines (points, or no geometry yet): measuring
    against them says so, names the layers that have outlines, and prints no traceback and no
    empty table."""
    square = shapely.box(500_000, 2_500_000, 501_000, 2_501_000)
    parcels = gpd.GeoDataFrame({"landuse": ["M1"]}, geometry=[square], crs=4547)
    parcels.to_file(tmp_path / "p.gpkg", engine="pyogrio")
    parcels.to_file(tmp_path / "p.shp", engine="pyogrio")
    args = [a.format(gpkg=tmp_path / "p.gpkg", shp=tmp_path / "p.shp") for a in argv]
    proc = run(*args, check=False)
    assert proc.returncode == 2, proc.stderr
    assert "没有面状边界" in proc.stderr and "has no outlines" in proc.stderr
    assert "sz20_parks" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_district_areas_show_the_published_land_area_beside_the_outline_and_say_it_has_sea(
    tmp_path,
):
    """`area districts` and `area LAYER --by districts`: the published land area beside the
    outline's area (full precision in JSON and CSV, with its source), and a note on stderr, in
    Chinese then English, that the outline takes in sea."""
    official = layers.load("districts").set_index("district_id")["official_land_km2"]
    proc = run("area", "districts", "--unit", "ha", "--format", "json")
    rows = {r["id"]: r for r in __import__("json").loads(proc.stdout)}
    assert rows["dapeng"]["published_land_area"] == pytest.approx(official["dapeng"] * 100)
    assert rows["dapeng"]["area"] > rows["dapeng"]["published_land_area"] * 1.3  # with sea
    assert all("《深圳统计年鉴》" in r["land_area_source"] for r in rows.values())
    zh, en = [line for line in proc.stderr.splitlines() if "published_land_area" in line]
    assert "含部分海域" in zh and "不是公布陆地面积" in zh
    assert "takes in some sea" in en and "not the published land area" in en
    table = run("area", "districts").stdout.splitlines()
    header = table[0].split()
    assert header[header.index("area") + 1] == "published_land_area"
    dapeng = next(line.split() for line in table if line.split()[:1] == ["dapeng"])
    assert dapeng[header.index("published_land_area")] == "295.06"

    d = layers.load("districts")
    d[d.district_id.isin(["pingshan", "dapeng"])].to_file(tmp_path / "two.gpkg", engine="pyogrio")
    by = {r["id"]: r for r in run_json("area", tmp_path / "two.gpkg", "--by", "districts")}
    assert by["dapeng"]["published_land_area"] == pytest.approx(official["dapeng"])
    assert by["dapeng"]["area"] == pytest.approx(by["dapeng"]["zone_area"])
    assert by["luohu"]["area"] == 0 and by["luohu"]["published_land_area"] == official["luohu"]
