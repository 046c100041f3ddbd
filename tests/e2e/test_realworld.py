"""Real-world files (issue 13): what other GIS tools read, landplan reads; what it cannot place, it
says.

tests/data/realworld/ holds small files from public projects' test data (origins and licences in
SOURCES.yaml) plus synthetic/ (scripts/make_realworld_synthetic.py) for cases no public file has.
Every file goes through ``landplan area``, ``landplan area --by districts``, ``landplan coverage
--by districts`` and the page's upload path (scripts/classify_realworld.py) and must come out as its
``expect`` class: read, warning or a clear refusal; never a traceback, a hang or a silent wrong
result. The named tests below pin each case of the issue.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import time
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import layers
from geo.analysis import coverage
from geo.areas import area
from geo.crs_check import check_coordinates
from geo.errors import LandplanError
from geo.io import read_layer
from geo.io.formats import PART_SUFFIXES
from landplan.web.mapping import catalog_map, display_layer
from landplan.web.uploads import read_upload, upload_layers
from tests.cli_helpers import run

ROOT = Path(__file__).resolve().parents[2]
RW = ROOT / "tests" / "data" / "realworld"
SYN = RW / "synthetic"
_spec = importlib.util.spec_from_file_location(
    "classify_realworld", ROOT / "scripts" / "classify_realworld.py"
)
classify_realworld = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(classify_realworld)
CASES = classify_realworld.cases()
PARK_M2 = 3 * 200 * 300  # the synthetic parks: three 200 m x 300 m boxes


@pytest.fixture(scope="module")
def districts():
    return layers.load("districts")


def test_every_source_is_listed_with_its_licence():
    listed = {c["file"] for c in CASES}
    side = set(PART_SUFFIXES) - {".shp"}  # a Shapefile's .dbf, a MIF's .mid ...
    on_disk = {
        str(p.relative_to(RW))
        for p in RW.rglob("*")
        if p.is_file() and p.suffix.lower() not in side and p.name != "SOURCES.yaml"
    }
    assert on_disk == listed
    for c in CASES:
        assert (
            c["repo"]
            and c["path"]
            and c["licence"]
            and c["expect"] in ("read", "warning", "refused")
        ), c
    assert sum(p.stat().st_size for p in RW.rglob("*") if p.is_file()) < 5 * 1024**2


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_corpus_file(case):
    res = classify_realworld.classify(case)
    got = {k: res[k] for k in ("area", "area_by", "coverage", "upload")}
    assert res["class"] == case["expect"], (
        got,
        res["upload_detail"],
        res["area_stderr"],
        res["coverage_stderr"],
    )


# ---------------------------------------------------------------- crashes


@pytest.mark.parametrize(
    "name, names",
    [
        ("cpg_936_gbk", ["坪山高新区南区", "宝龙工业园", "燕罗片区"]),
        ("cpg_ansi_936", ["坪山高新区南区", "宝龙工业园", "燕罗片区"]),
        ("cpg_CP936", ["坪山高新区南区", "宝龙工业园", "燕罗片区"]),
        ("cpg_950_big5", ["坪山高新區", "寶龍工業園", "燕羅片區"]),
        ("cpg_1250", ["Průmyslová zóna", "Žďár", "Łódź"]),
        ("cpg_65001", ["坪山高新区南区", "宝龙工业园", "燕罗片区"]),
    ],
)
def test_cpg_code_page_numbers(name, names):
    gdf = read_layer(SYN / f"{name}.shp")
    assert gdf["name"].tolist() == names
    proc = run("area", SYN / f"{name}.shp", "--unit", "m2", "--format", "json", check=False)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert sum(r["area"] for r in json.loads(proc.stdout)) == pytest.approx(PARK_M2, rel=1e-6)


def test_convert_shapefile_with_cpg_1250(tmp_path):
    out = tmp_path / "out.gpkg"
    proc = run("convert", SYN / "cpg_1250.shp", out, check=False)
    assert proc.returncode == 0, proc.stderr
    assert gpd.read_file(out)["name"].tolist() == ["Průmyslová zóna", "Žďár", "Łódź"]


def test_csv_wkt_curves_are_linearised_and_reported():
    gdf = read_layer(SYN / "wkt_curves.csv", crs="EPSG:4326")
    assert len(gdf) == 3 and set(gdf.geom_type) <= {"Polygon", "MultiPolygon"}
    assert any("curves" in line for line in gdf.attrs["repairs"])
    # the first row is a circle of radius 0.002 degrees: linearised within 0.1 % of the arc's area
    circle = gpd.GeoDataFrame(geometry=[shapely.Point(114.35, 22.692).buffer(0.002, 256)], crs=4326)
    assert area(gdf.iloc[[0]], "m2").iloc[0] == pytest.approx(area(circle, "m2").iloc[0], rel=1e-3)


def test_attribute_only_geopackage_is_refused_with_a_sentence():
    proc = run("area", RW / "sf" / "nospatial.gpkg", check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "without geometry" in proc.stderr and "属性表" in proc.stderr


def test_features_far_from_114E_in_area_by_districts_and_the_page(districts):
    world = RW / "flatgeobuf" / "countries.geojson"
    proc = run("area", world, "--by", "districts", "--format", "json", check=False)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    rows = json.loads(proc.stdout)
    assert all(0 <= r["covered_pct"] <= 100 for r in rows)
    assert max(r["covered_pct"] for r in rows) > 50  # China's outline covers Shenzhen's districts
    from layers.summary import district_coverage

    cov = district_coverage(layer=read_upload(world.name, world.read_bytes()))
    assert (cov["covered_pct"] <= 100).all()
    # one stray feature at 0,0 beside three parks: the parks are measured, the stray one is far from
    # every zone
    proc = run(
        "area",
        SYN / "stray_at_0_0.geojson",
        "--by",
        "districts",
        "--unit",
        "m2",
        "--format",
        "json",
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert sum(r["area"] for r in json.loads(proc.stdout)) == pytest.approx(PARK_M2, rel=1e-3)


# ---------------------------------------------------------------- readable files refused before


@pytest.mark.parametrize("name", ["地块v1.2.shp", "parcels.2023.shp"])
def test_shapefile_names_with_dots(name, tmp_path):
    gdf = read_layer(SYN / name)
    assert len(gdf) == 3 and gdf["name"].iloc[0] == "坪山高新区南区"
    stem = name[:-4]
    with zipfile.ZipFile(tmp_path / "up.zip", "w") as zf:
        for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            zf.write(SYN / f"{stem}{ext}", f"{stem}{ext}")
    assert len(read_upload("up.zip", (tmp_path / "up.zip").read_bytes())) == 3


@pytest.mark.parametrize("name", ["multisurface.gpkg", "curvepolygon.gpkg"])
def test_curved_geopackage_geometries_are_linearised_and_reported(name):
    gdf = read_layer(RW / "pyogrio" / name)
    assert set(gdf.geom_type) <= {"Polygon", "MultiPolygon"} and area(gdf, "m2").gt(0).all()
    assert any("curved" in line and "straight segments" in line for line in gdf.attrs["repairs"])


def test_natural_earth_longitude_180_with_float_noise_is_read():
    gdf = read_layer(RW / "pyogrio" / "naturalearth_lowres.shp")
    assert len(gdf) == 177 and gdf.total_bounds[2] > 180  # 180.00000000000006, as in the file


def test_the_example_coordinate_is_the_offending_one():
    gdf = gpd.GeoDataFrame(
        geometry=[
            shapely.box(114.0, 22.5, 114.1, 22.6),
            shapely.box(535900, 2510000, 536100, 2510300),
        ],
        crs=4326,
    )
    with pytest.raises(LandplanError) as exc:
        check_coordinates(gdf, "parks.geojson")
    assert "536100" in str(exc.value) and "114" not in str(exc.value).split("e.g.")[1].split(")")[0]
    assert "536100" in exc.value.message_zh


def test_path_with_exclamation_mark(tmp_path):
    assert len(read_layer(RW / "fiona" / "!test.geojson")) == 1
    for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):  # a Shapefile too: its sidecars go with it
        shutil.copyfile(SYN / f"cpg_936_gbk{ext}", tmp_path / f"parks!v2{ext}")
    gdf = read_layer(tmp_path / "parks!v2.shp")
    assert gdf["name"].iloc[0] == "坪山高新区南区"


def test_kml_with_several_folders_reads_all_or_the_one_asked_for():
    gdf = read_layer(SYN / "two_folders.kml")
    assert len(gdf) == 3 and gdf["folder"].tolist() == ["启动区", "启动区", "拓展区"]
    assert any("2 folders" in line for line in gdf.attrs["report"])
    one = read_layer(SYN / "two_folders.kml", layer="拓展区")
    assert len(one) == 1 and any("启动区" in line for line in one.attrs["report"])
    proc = run(
        "area", SYN / "two_folders.kml", "--layer", "启动区", "--unit", "m2", "--format", "json"
    )
    assert len(json.loads(proc.stdout)) == 2 and "拓展区" in proc.stderr


@pytest.mark.parametrize(
    "path",
    [
        RW / "shapelib" / "multipatch.shp",
        RW / "fiona" / "test_tin.shp",
        RW / "fiona" / "test_tin.csv",
    ],
    ids=lambda p: p.name,
)
def test_multipatch_and_tin_say_the_geometry_type_is_not_supported(path):
    proc = run("area", path, "--crs", "EPSG:4547", check=False)
    assert proc.returncode == 2 and "TIN" in proc.stderr and "not supported" in proc.stderr, (
        proc.stderr
    )
    assert "coordinate system" not in proc.stderr and "no geometry" not in proc.stderr


# ---------------------------------------------------------------- silent wrong results


def test_coverage_refuses_metres_labelled_lonlat_instead_of_zero_percent():
    proc = run("coverage", SYN / "gk4547_no_crs.geojson", "--by", "districts", check=False)
    assert proc.returncode == 2 and "--crs EPSG:4547" in proc.stderr, proc.stderr
    ok = run(
        "coverage",
        SYN / "gk4547_no_crs.geojson",
        "--by",
        "districts",
        "--crs",
        "EPSG:4547",
        "--format",
        "json",
        "--unit",
        "m2",
    )
    assert sum(r["covered_area"] for r in json.loads(ok.stdout)) == pytest.approx(PARK_M2, rel=1e-6)


def test_coverage_says_when_no_feature_lies_in_the_zones():
    proc = run("coverage", RW / "sf" / "nc.shp", "--by", "districts", "--format", "json")
    assert all(r["covered_pct"] == 0 for r in json.loads(proc.stdout))
    assert "landplan: warning: No feature of the layer" in proc.stderr


def test_projected_upload_is_drawn_in_lonlat():
    up = read_upload("parks_4547.gpkg", (SYN / "parks_4547.gpkg").read_bytes())
    assert up.crs.to_epsg() == 4547
    minx, miny, maxx, maxy = display_layer(up).total_bounds
    assert 114.3 < minx < maxx < 114.4 and 22.6 < miny < maxy < 22.8
    for basemap in (None, "amap"):
        m = catalog_map({"upload": up}, basemap=basemap)
        drawn = [c for c in m._children.values() if type(c).__name__ == "GeoJson"]
        xy = shapely.get_coordinates(gpd.GeoDataFrame.from_features(drawn[0].data).geometry.values)
        assert (np.abs(xy[:, 0] - 114.35) < 0.1).all() and (np.abs(xy[:, 1] - 22.69) < 0.1).all(), (
            basemap
        )


def test_coverage_of_zones_covered_whole_is_clamped(districts):
    cov = coverage(districts, by=districts, zone_id="district_id")
    assert (cov["covered_pct"] <= 100).all() and (cov["uncovered_area"] >= 0).all()
    assert cov["covered_pct"].min() == pytest.approx(100)


def test_area_method_names_the_crs_used():
    proc = run("area", SYN / "wider_than_a_zone.geojson", "--format", "json")
    rows = json.loads(proc.stdout)
    assert [r["method"].split(" (")[0] for r in rows] == [
        "planimetric EPSG:4546",
        "planimetric EPSG:4548",
        "EPSG:6933 equal-area",
    ]
    ell = json.loads(
        run("area", SYN / "wider_than_a_zone.geojson", "--ellipsoidal", "--format", "json").stdout
    )
    for r, e in zip(
        rows, ell
    ):  # each within 0.3 % of the ellipsoidal area (one zone for all: up to 8 % off)
        assert r["area"] == pytest.approx(e["area"], rel=3e-3)
    sz = json.loads(run("area", SYN / "cpg_936_gbk.shp", "--format", "json").stdout)
    assert {r["method"] for r in sz} == {"planimetric EPSG:4547"}


# ---------------------------------------------------------------- formats bureaus deliver


def test_file_geodatabase_zipped_or_folder_with_layer_choice(tmp_path):
    gdb_zip = RW / "fiona" / "testopenfilegdb.gdb.zip"
    proc = run("area", gdb_zip, check=False)
    assert proc.returncode == 2 and "--layer" in proc.stderr and "polygon" in proc.stderr
    zipfile.ZipFile(gdb_zip).extractall(tmp_path)
    folder = tmp_path / "testopenfilegdb.gdb"
    for src in (gdb_zip, folder):
        gdf = read_layer(src, layer="polygon")
        assert len(gdf) > 0 and set(gdf.geom_type) <= {"Polygon", "MultiPolygon"}
    names = upload_layers(gdb_zip.name, gdb_zip.read_bytes())
    assert "polygon" in names and "multipolygon" in names
    assert len(read_upload(gdb_zip.name, gdb_zip.read_bytes(), layer="polygon")) > 0


def test_dxf_read_with_its_crs_in_the_command_and_the_page():
    proc = run(
        "area", SYN / "parks_4547.dxf", "--crs", "EPSG:4547", "--unit", "m2", "--format", "json"
    )
    assert sum(r["area"] for r in json.loads(proc.stdout)) == pytest.approx(PARK_M2, rel=1e-9)
    up = read_upload("parks_4547.dxf", (SYN / "parks_4547.dxf").read_bytes(), crs="EPSG:4547")
    assert len(up) == 3 and set(up["Layer"]) == {"PARK1", "PARK2", "PARK3"}
    # GDAL's own test drawing: Gauss-Kruger with zone prefix 40, no CRS in a DXF: said, then read
    # with --crs
    bulge = RW / "gdal" / "closed_polyline_with_bulge.dxf"
    refused = run("area", bulge, check=False)
    assert refused.returncode == 2 and "zone number 40" in refused.stderr
    assert (
        json.loads(run("area", bulge, "--crs", "EPSG:4528", "--format", "json").stdout)[0]["area"]
        > 0
    )


# ---------------------------------------------------------------- issue 27: GIS files in

KML_SAMPLES = RW / "fastkml" / "KML_Samples.kml"


def _said(lines, *words) -> bool:
    return any(all(w in line for w in words) for line in lines)


def test_mixed_layers_are_measured_by_their_polygons_on_the_command_line_and_the_page():
    # Google Earth's samples: 10 polygons beside 4 points and 6 lines
    left_out = "4 points (Point), 6 lines (LineString)"
    for command in ("area", "coverage"):
        args = ["--by", "districts"] if command == "coverage" else []
        proc = run(command, KML_SAMPLES, *args, "--format", "json", check=False)
        assert proc.returncode == 0, proc.stderr
        assert f"left out of the areas: {left_out}" in proc.stderr, proc.stderr
        assert "4 个点（Point）、6 条线（LineString）" in proc.stderr
    rows = json.loads(run("area", KML_SAMPLES, "--format", "json").stdout)
    assert len(rows) == 11 and sum(r["area"] > 0 for r in rows) == 10  # one has no geometry
    # the page: the upload is drawn whole, its polygons measured, the same sentence said
    from landplan.web.page_data import page_plan
    from landplan.web.plan_view import upload_warnings
    from layers.loading import polygon_features

    up = read_upload(KML_SAMPLES.name, KML_SAMPLES.read_bytes())
    assert len(up) == 21
    plan, error = page_plan(up)
    assert error is None and _said(upload_warnings(plan), left_out)
    assert len(polygon_features(up)) == 10
    # a GeometryCollection of two parks and a point: the parks are measured
    gc = SYN / "collection_of_polygons.geojson"
    proc = run("area", gc, "--unit", "m2", "--format", "json")
    assert sum(r["area"] for r in json.loads(proc.stdout)) == pytest.approx(PARK_M2, rel=1e-6)
    assert "counted by its polygons, its points and lines left out" in proc.stderr


def test_a_layer_without_polygons_is_refused_for_areas_and_said_on_the_page():
    tracks = RW / "togeojson" / "gxmultitrack.kml"
    proc = run("area", tracks, check=False)
    assert proc.returncode == 2 and "needs polygons, but this layer has none" in proc.stderr
    assert "2 points (Point), 1 multi-line (MultiLineString)" in proc.stderr, proc.stderr
    from landplan.web.page_data import page_plan
    from landplan.web.plan_view import upload_warnings

    plan, error = page_plan(read_upload(tracks.name, tracks.read_bytes()))
    said = upload_warnings(plan)
    assert error is None and (plan.upload_coverage["covered_area"] == 0).all(), said
    assert _said(said, "no polygons to measure: 2 points (Point)")
    assert not _said(said, "0 features")


def test_the_map_draws_every_feature_that_has_a_geometry():
    # Google My Tracks: a start point, the multi-track (a MultiLineString), an end point; GDAL's
    # GPX sample: waypoints, routes and 3 tracks (MultiLineStrings)
    for path, n in ((RW / "togeojson" / "gxmultitrack.kml", 3), (RW / "togeojson" / "gdal.gpx", 4)):
        up = read_upload(path.name, path.read_bytes())
        present = int((up.geometry.notna() & ~up.geometry.is_empty).sum())
        assert present >= n
        m = catalog_map({"upload": up}, basemap="none")
        drawn = [c for c in m._children.values() if type(c).__name__ == "GeoJson"]
        kinds = [f["geometry"]["type"] for f in drawn[0].data["features"]]
        assert len(kinds) == present and "MultiLineString" in kinds, kinds
    gpx = read_upload("gdal.gpx", (RW / "togeojson" / "gdal.gpx").read_bytes())
    assert (gpx[gpx["layer"] == "tracks"].geom_type == "MultiLineString").sum() == 3


def test_far_away_and_empty_say_so():
    proc = run("coverage", RW / "sf" / "nc.shp", "--by", "districts", "--format", "json")
    assert "100 features with geometry, lying far away" in proc.stderr
    assert "79.9°W, 35.2°N" in proc.stderr and "none with geometry" not in proc.stderr
    empty = RW.parent / "empty.geojson"  # written here: an export that found nothing
    empty.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    try:
        proc = run("area", empty, "--format", "json", check=False)
        assert proc.returncode == 2 and proc.stdout == ""
        assert "empty.geojson is empty: it holds no features" in proc.stderr
        assert "是空的" in proc.stderr and "coordinate system" not in proc.stderr
        with pytest.raises(LandplanError, match="is empty"):
            read_upload("empty.geojson", empty.read_bytes())
    finally:
        empty.unlink()


def test_longitude_a_hair_past_180_and_outlines_across_the_antimeridian():
    world = SYN / "world_borders_180.shp"
    for args in ((), ("--crs", "EPSG:4326")):
        proc = run("area", world, *args, "--format", "json", check=False)
        assert proc.returncode == 0, proc.stderr
        assert "a hair past the edge of longitude/latitude (|lon| 180.0000019°" in proc.stderr
        km2 = {r["id"]: r["area"] for r in json.loads(proc.stdout)}
        # Natural Earth's outlines as read without the hair (a wrapped ring would be worldwide)
        assert km2["Russia"] == pytest.approx(17.02e6, rel=2e-3)
        assert km2["Fiji"] == pytest.approx(19288, rel=2e-3)
    gml = run("area", RW / "gdal" / "arcgis-world-wfs.gml", "--format", "json")
    # 60-90N x 180-150W: R² Δλ (1 - sin 60°) on the ellipsoid, about 2.87 million km²
    assert json.loads(gml.stdout)[0]["area"] == pytest.approx(2.868e6, rel=1e-2)
    fiji = SYN / "fiji_antimeridian.geojson"
    proc = run("area", fiji, "--crs", "EPSG:4326", "--format", "json")
    assert "cross the antimeridian: longitudes run past 180° (to 180.207°)" in proc.stderr
    ell = json.loads(run("area", fiji, "--ellipsoidal", "--format", "json").stdout)[0]["area"]
    assert json.loads(proc.stdout)[0]["area"] == pytest.approx(ell, rel=1e-3)
    # beside other countries (measured in EPSG:6933), the crossing outline is measured on its own
    both = gpd.GeoDataFrame(pd.concat([read_layer(fiji), read_layer(world).iloc[[3]]]), crs=4326)
    assert area(both, "km2").iloc[0] == pytest.approx(ell, rel=1e-3)


def test_the_dbf_header_code_page_is_honoured_without_cpg():
    olinda = read_layer(RW / "sf" / "olinda1.shp")  # Brazil: language driver 0x57, no .cpg
    assert "São Benedito" in set(olinda["NM_BAIR"]) and "Jardim Atlântico" in set(olinda["NM_BAIR"])
    assert _said(olinda.attrs["report"], 'the .dbf header says "ANSI" (0x57', "Western European")
    for name in ("ldid_4d_gbk", "ldid_57_gbk"):  # GBK under 0x4D, and 0x57 from a Chinese Windows
        gdf = read_layer(SYN / f"{name}.shp")
        assert gdf["name"].tolist() == ["坪山高新区南区", "宝龙工业园", "燕罗片区"], name
    assert _said(read_layer(SYN / "ldid_4d_gbk.shp").attrs["report"], "language driver 0x4D")
    from landplan.present.text import text
    from landplan.web.panels import ENCODINGS

    assert {"utf-8", "gbk", "gb18030", "big5", "cp1252", "latin-1"} <= set(ENCODINGS)
    for lang in ("zh", "en"):
        assert set(ENCODINGS) - {""} <= set(text(lang)["page"]["encodings"])


@pytest.mark.parametrize(
    "path, args, n, kind",
    [
        (RW / "leaflet-kmz" / "multigeometry.kmz", (), 1, "MultiPolygon"),
        (RW / "sf" / "nc.sqlite", (), 100, "MultiPolygon"),
        (RW / "world-atlas" / "countries-110m.json", ("--layer", "countries"), 177, None),
        (RW / "gdal" / "utf8.mif", (), 1, "Polygon"),
        (SYN / "utf8_tab.zip", (), 1, "Polygon"),
        (RW / "gdal" / "arcgis-world-wfs.gml", (), 1, "MultiPolygon"),
        (SYN / "two_shapefiles.zip", ("--layer", "启动区"), 2, "Polygon"),
    ],
    ids=lambda v: v.name if isinstance(v, Path) else None,
)
def test_formats_gdal_reads_are_read_on_the_command_line_and_the_page(path, args, n, kind):
    proc = run("area", path, *args, "--format", "json", check=False)
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert len(rows) == n and all(r["area"] > 0 for r in rows if r["area"] is not None)
    opts = dict(zip(args[::2], args[1::2]))
    # what a planner uploads: a MIF zipped with its .mid
    case = {"file": str(path.relative_to(RW)), "with": [".mid"] if path.suffix == ".mif" else []}
    up = read_upload(*classify_realworld.upload_bytes(case), layer=opts.get("--layer"))
    if kind:
        assert kind in set(up.geom_type)


def test_formats_whose_files_must_be_given_together_or_chosen_among():
    # FlatGeobuf is read (GDAL's poly test layer: its coordinates are not British National Grid's)
    proc = run("area", RW / "flatgeobuf" / "poly00.fgb", check=False)
    assert (
        proc.returncode == 2 and "EPSG:27700" in proc.stderr and "not a format" not in proc.stderr
    )
    # TopoJSON with two objects, a zip of two Shapefiles: one is chosen
    for path, names in (
        (RW / "world-atlas" / "countries-110m.json", "countries, land"),
        (SYN / "two_shapefiles.zip", "启动区, 拓展区"),
    ):
        proc = run("area", path, check=False)
        assert proc.returncode == 2 and f"several layers ({names}); choose one with --layer" in (
            proc.stderr
        )
        assert upload_layers(path.name, path.read_bytes()) == names.split(", ")
    # a bare part of a Shapefile or a MapInfo TAB, on the command line and the page
    tmp = RW.parent / "only_the.shp"
    tmp.write_bytes((SYN / "cpg_936_gbk.shp").read_bytes())
    try:
        proc = run("area", tmp, check=False)
        assert proc.returncode == 2 and ".shx or .dbf" in proc.stderr
    finally:
        tmp.unlink()
    for name in ("parks.shp", "parks.tab", "parks.mid"):
        with pytest.raises(LandplanError, match="zip .* together and upload the .zip") as exc:
            read_upload(name, b"\0" * 100)
        assert "压缩成一个 zip 后上传" in exc.value.message_zh
    with pytest.raises(LandplanError, match="is not a format landplan reads. Upload a zipped "):
        read_upload("会议纪要.pdf", b"%PDF-1.4")


def test_a_zipped_file_geodatabase_offers_its_layers_with_geometry_first():
    gdb = RW / "fiona" / "testopenfilegdb.gdb.zip"
    names = upload_layers(gdb.name, gdb.read_bytes())
    assert names[0] == "point" and "none" not in names and "big_layer" not in names


def test_one_table_of_accepted_files_read_everywhere():
    from geo.io.formats import FORMATS, UPLOAD_SUFFIXES, accepted
    from landplan.web import uploads

    assert uploads.SUFFIXES == UPLOAD_SUFFIXES
    assert {".kmz", ".fgb", ".gpx", ".gml", ".sqlite", ".topojson", ".zip"} <= set(UPLOAD_SUFFIXES)
    assert ".shp" not in UPLOAD_SUFFIXES and ".tab" not in UPLOAD_SUFFIXES  # zipped
    helps = run("area", "--help").stdout.replace("\n", " ")
    for fmt in FORMATS:
        assert all(sfx in " ".join(helps.split()) for sfx in fmt.suffixes), fmt
        for lang in ("zh", "en"):
            assert fmt.name_en in accepted(lang) or fmt.name_zh in accepted(lang)
    with pytest.raises(LandplanError) as exc:
        read_layer(RW.parent / "realworld" / "SOURCES.yaml")
    assert accepted("en") in str(exc.value) and accepted("zh") in exc.value.message_zh


# ---------------------------------------------------------------- the README's examples


def test_readme_parcels_counts_with_yddm_gyzt_and_scenario_save_with_columns(tmp_path):
    parcels = gpd.GeoDataFrame(
        {"YDDM": ["M1", "M0", "R2"], "GYZT": ["已供应", "储备", "已供应"]},
        geometry=[
            shapely.box(114.25 + i * 0.01, 22.72, 114.255 + i * 0.01, 22.725) for i in range(3)
        ],
        crs=4326,
    )
    f = tmp_path / "parcels.gpkg"
    parcels.to_file(f, engine="pyogrio")
    proc = run("parcels", f, "--counts", "M1,M0", "--count-status", "已供应", check=False)
    assert proc.returncode == 0, proc.stderr
    # columns of other names, saved with a scenario from the command line
    other = parcels.rename(columns={"YDDM": "地类", "GYZT": "进度"})
    g = tmp_path / "地块.gpkg"
    other.to_file(g, engine="pyogrio")
    store = tmp_path / "plans.gpkg"
    proc = run(
        "scenario", "save", "2026供地", "--parcels", g, "--landuse-col", "地类",
        "--status-col", "进度", "--store", store, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    from layers.store import open_store

    kept = open_store(str(store)).open("2026供地").parcels
    assert sorted(kept["landuse"]) == ["M0", "M1", "R2"]
    assert sorted(kept["status"]) == ["储备", "已供应", "已供应"]


# ---------------------------------------------------------------- the page in a real browser


def test_page_draws_every_track_and_refuses_files_in_its_language(tmp_path):
    """Headless Chromium on the page: a KML of a GPS multi-track (a start point, the track, an end
    point) draws 3 features; a PDF, a bare .shp and a 60 MB file are refused on the page, in
    Chinese then English on the Chinese page and in English on the English page."""
    from tests.e2e.test_browser import CHROMIUM, MAP, SHOTS, running_page

    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    SHOTS.mkdir(parents=True, exist_ok=True)
    (tmp_path / "会议纪要.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    shutil.copyfile(SYN / "cpg_936_gbk.shp", tmp_path / "parks.shp")
    (tmp_path / "big_parks.geojson").write_bytes(b" " * (60 * 1024 * 1024))
    said = {}
    with running_page() as url, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        for lang in ("zh", "en"):
            page = browser.new_page(viewport={"width": 1400, "height": 1400})
            page.route(
                "**/*",
                lambda r: (
                    r.continue_()
                    if r.request.url.split("/")[2].split(":")[0] in ("127.0.0.1", "localhost")
                    else r.abort()
                ),
            )
            page.goto(url)
            paths = page.frame_locator(MAP).first.locator(".leaflet-overlay-pane path")
            paths.first.wait_for(timeout=180_000)
            if lang == "en":
                page.get_by_text("English").first.click()
                page.get_by_text("Upload a layer").first.wait_for(timeout=120_000)
                paths = page.frame_locator(MAP).first.locator(".leaflet-overlay-pane path")
                paths.first.wait_for(timeout=180_000)
            page.wait_for_timeout(3000)
            before = paths.count()
            upload = page.locator("[data-testid=stFileUploaderDropzoneInput]").first
            for name in ("会议纪要.pdf", "parks.shp", "big_parks.geojson"):
                upload.set_input_files(str(tmp_path / name))
                box = page.locator("[data-testid=stSidebar] [data-testid=stAlertContentError]")
                error = box.filter(has_text=name).first
                error.wait_for(timeout=120_000)
                said[lang, name] = error.inner_text()
                error.scroll_into_view_if_needed()
                page.screenshot(
                    path=str(SHOTS / f"upload_refused_{lang}_{Path(name).suffix[1:]}.png")
                )
            upload.set_input_files(str(RW / "togeojson" / "gxmultitrack.kml"))
            done = page.locator("[data-testid=stSidebar] [data-testid=stAlertContentSuccess]")
            done.filter(has_text="gxmultitrack.kml").first.wait_for(timeout=180_000)
            end = time.time() + 120
            while paths.count() < before + 3 and time.time() < end:
                page.wait_for_timeout(500)
            said[lang, "drawn"] = paths.count() - before
            page.screenshot(path=str(SHOTS / f"upload_tracks_{lang}.png"))
            page.close()
        browser.close()
    assert said["zh", "drawn"] == said["en", "drawn"] == 3, said
    zh = said["zh", "parks.shp"]
    assert zh.index("请把 .shp、.shx、.dbf、.prj 压缩成一个 zip") < zh.index(
        "zip .shp, .shx, .dbf and"
    )
    assert (
        "不是支持的格式" in said["zh", "会议纪要.pdf"]
        and "Upload a zipped" in said["zh", "会议纪要.pdf"]
    )
    assert "超过页面上传上限 50 MB" in said["zh", "big_parks.geojson"]
    for name in ("会议纪要.pdf", "parks.shp", "big_parks.geojson"):
        assert not re.search(r"[\u4e00-\u9fff]", said["en", name].replace("会议纪要", "")), said
    assert "larger than the page's limit of 50 MB" in said["en", "big_parks.geojson"]


def test_a_spatialite_database_written_by_gdal_is_read(tmp_path):
    """SpatiaLite (GDAL's SQLite driver with SPATIALITE=YES; the file is 7 MB of reference systems,
    so it is written here rather than kept): the parks are measured, on the command line and the
    page."""
    db = tmp_path / "parks.sqlite"
    parks = read_layer(SYN / "cpg_936_gbk.shp")
    parks.to_file(db, driver="SQLite", engine="pyogrio", SPATIALITE="YES")
    proc = run("area", db, "--unit", "m2", "--format", "json")
    assert sum(r["area"] for r in json.loads(proc.stdout)) == pytest.approx(PARK_M2, rel=1e-6)
    up = read_upload(db.name, db.read_bytes())
    assert up["name"].tolist() == ["坪山高新区南区", "宝龙工业园", "燕罗片区"]
