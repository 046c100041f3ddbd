"""Reading and writing user files: encodings, zips, tables, repairs, round trips with Chinese
text."""

import zipfile

import geopandas as gpd
import pytest
import shapely

from geo.errors import CRSError, split_bilingual
from geo.io import ReadError, read_layer, write_layer


def _said(lines, zh: str, en: str) -> bool:
    """Some line says ``zh`` in its Chinese sentence (first) and ``en`` in its English one."""
    return any(
        zh in split_bilingual(line)[0] and en in split_bilingual(line)[1]
        for line in lines
        if split_bilingual(line)[0]
    )


@pytest.fixture
def parks():
    return gpd.GeoDataFrame(
        {
            "名称": ["坪山高新区南区", "宝龙工业园"],
            "district_long_name": ["坪山区", "龙岗区"],
            "area_mu": [3150.5, 1200.0],
        },
        geometry=[
            shapely.box(114.35, 22.68, 114.37, 22.70),
            shapely.box(114.28, 22.72, 114.30, 22.74),
        ],
        crs=4326,
    )


def test_gbk_shapefile_without_cpg_is_detected_and_reported(tmp_path, parks):
    parks.to_file(tmp_path / "gbk.shp", encoding="gbk", engine="pyogrio")
    (tmp_path / "gbk.cpg").unlink(missing_ok=True)
    got = read_layer(tmp_path / "gbk.shp")
    assert list(got["名称"]) == ["坪山高新区南区", "宝龙工业园"]
    assert _said(got.attrs["report"], "缺少 .cpg 文件：属性文本编码识别为 GB18030", "No .cpg file")


def test_lying_cpg_is_overridden_and_user_encoding_wins(tmp_path, parks):
    parks.to_file(tmp_path / "lie.shp", encoding="gbk", engine="pyogrio")
    (tmp_path / "lie.cpg").write_text("UTF-8")
    got = read_layer(tmp_path / "lie.shp")
    assert got["名称"].iloc[0] == "坪山高新区南区"
    assert _said(got.attrs["repairs"], ".cpg 声明编码为 UTF-8", ".cpg says UTF-8")
    forced = read_layer(tmp_path / "lie.shp", encoding="gbk")
    assert _said(forced.attrs["report"], "按要求以 gbk 编码读取", "read as gbk as asked")
    assert forced["名称"].iloc[0] == "坪山高新区南区"


def test_zipped_shapefile_and_unsafe_zip(tmp_path, parks):
    parks.to_file(tmp_path / "p.shp", encoding="utf-8", engine="pyogrio")
    with zipfile.ZipFile(tmp_path / "p.zip", "w") as z:
        for ext in ("shp", "shx", "dbf", "prj", "cpg"):
            z.write(tmp_path / f"p.{ext}", f"nested/folder/p.{ext}")
    assert len(read_layer(tmp_path / "p.zip")) == 2
    with zipfile.ZipFile(tmp_path / "evil.zip", "w") as z:
        z.writestr("../../evil.shp", b"x")
    with pytest.raises(ReadError, match="unsafe path"):
        read_layer(tmp_path / "evil.zip")
    with zipfile.ZipFile(tmp_path / "empty.zip", "w") as z:
        z.writestr("readme.txt", "nothing here")
    with pytest.raises(ReadError, match="No Shapefile"):
        read_layer(tmp_path / "empty.zip")


def test_csv_with_wkt_and_lonlat(tmp_path):
    (tmp_path / "w.csv").write_text(
        '名称,wkt\n甲,"POLYGON((500000 2500000,500001 2500000,500001 2500001,500000 2500001,500000 '
        '2500000))"\n乙,not wkt\n',
        encoding="utf-8",
    )
    got = read_layer(tmp_path / "w.csv", crs="EPSG:4547")
    assert len(got) == 2 and got.geometry.isna().sum() == 1
    assert _said(
        got.attrs["warnings"],
        "1 行的 WKT 无法解析（文件第 3 行）",
        "1 row has WKT that could not be parsed",
    )
    (tmp_path / "p.csv").write_text("name,lon,lat\nA,114.05,22.55\n", encoding="utf-8")
    with pytest.raises(CRSError):
        read_layer(tmp_path / "p.csv")
    assert read_layer(tmp_path / "p.csv", crs="gcj02").geometry.iloc[0].x < 114.05


def test_invalid_geometry_is_repaired_and_reported(tmp_path):
    bowtie = shapely.Polygon(
        [(5e5, 25e5), (5e5 + 1, 25e5 + 1), (5e5 + 1, 25e5), (5e5, 25e5 + 1), (5e5, 25e5)]
    )
    gdf = gpd.GeoDataFrame({"id": [1]}, geometry=[bowtie], crs=4547)
    gdf.to_file(tmp_path / "b.gpkg", engine="pyogrio")
    got = read_layer(tmp_path / "b.gpkg")
    assert got.geometry.iloc[0].is_valid
    assert _said(got.attrs["repairs"], "1 个无效几何已修复", "1 invalid geometry was repaired")


def test_geopackage_with_several_layers_needs_a_choice(tmp_path, parks):
    parks.to_file(tmp_path / "m.gpkg", layer="a", engine="pyogrio")
    parks.to_file(tmp_path / "m.gpkg", layer="b", engine="pyogrio")
    with pytest.raises(ReadError, match="several layers"):
        read_layer(tmp_path / "m.gpkg")
    assert len(read_layer(tmp_path / "m.gpkg", layer="b")) == 2
    with pytest.raises(ReadError, match="has no layer 'c'; its layers are a, b") as refused:
        read_layer(tmp_path / "m.gpkg", layer="c")
    assert "没有图层 'c'" in refused.value.message_zh


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".shp", ".csv"])
def test_write_then_read_keeps_every_field_and_chinese_text(tmp_path, parks, suffix):
    notes = write_layer(parks, tmp_path / f"out{suffix}")
    back = read_layer(tmp_path / f"out{suffix}", crs="EPSG:4326" if suffix == ".csv" else None)
    assert list(back["名称"]) == list(parks["名称"])
    assert len([c for c in back.columns if c != "geometry"]) == len(
        [c for c in parks.columns if c != "geometry"]
    )
    if suffix == ".shp":
        assert _said(notes, "10 字节", "limited to 10 bytes")
    if suffix == ".csv":
        assert _said(notes, "字段类型已写入 out.csvt", "Column types written to out.csvt")
    for a, b in zip(back.geometry, parks.geometry):
        assert shapely.equals_exact(a.normalize(), b.normalize(), tolerance=1e-9)


def test_kml_and_xlsx_are_read(tmp_path):
    import pandas as pd

    g = gpd.GeoDataFrame(
        {"Name": ["坪山片区"]}, geometry=[shapely.box(114.3, 22.7, 114.31, 22.71)], crs=4326
    )
    g.to_file(tmp_path / "t.kml", driver="KML", engine="pyogrio")
    kml = read_layer(tmp_path / "t.kml")
    assert kml["Name"].iloc[0] == "坪山片区" and kml.crs.to_epsg() == 4326
    pd.DataFrame(
        {
            "名称": ["甲"],
            "WKT": ["POLYGON((5e5 25e5,501000 25e5,501000 2501000,5e5 2501000,5e5 25e5))"],
        }
    ).to_excel(tmp_path / "t.xlsx", index=False)
    xl = read_layer(tmp_path / "t.xlsx", crs="EPSG:4547")
    assert xl.crs.to_epsg() == 4547 and xl.area.iloc[0] == pytest.approx(1e6)


@pytest.mark.parametrize("case", ["plain", "nan", "infinite", "far", "bowtie", "z", "missing"])
def test_repair_checks_made_while_reading_say_what_a_full_look_says(case):
    """The checks a reader makes chunk by chunk as it reads (validity, box, Z) lead to the same
    repairs, in the same words, as looking at the whole layer: NaN, infinite and far-off
    coordinates, a bow-tie, heights, features without geometry."""
    import numpy as np

    from geo.io.repair import check_geometries, join_checks, repair_geometries
    from geo.io.report import Report

    x, y = 500_000.0, 2_500_000.0
    square = shapely.box(x, y, x + 100, y + 100)
    odd = {
        "plain": shapely.box(x + 100, y, x + 200, y + 100),
        "nan": shapely.Polygon([(x, y), (np.nan, y), (x + 100, y + 100), (x, y)]),
        "infinite": shapely.Polygon([(x, y), (np.inf, y), (x + 100, y + 100), (x, y)]),
        "far": shapely.box(1e10, 0, 1e10 + 10, 10),
        "bowtie": shapely.Polygon([(x, y), (x + 50, y + 50), (x + 50, y), (x, y + 50)]),
        "z": shapely.force_3d(square, 5.0),
        "missing": None,
    }[case]
    geoms = np.array([square, odd, shapely.Polygon(), square], dtype=object)
    full, ahead = Report(), Report()
    whole, changed = repair_geometries(geoms, full)
    checks = join_checks([check_geometries(geoms[:2]), check_geometries(geoms[2:])])
    read, changed_too = repair_geometries(geoms, ahead, checks)
    assert changed == changed_too == (case != "plain" and case != "missing")
    assert list(full) == list(ahead) and full.repairs == ahead.repairs
    assert full.warnings == ahead.warnings and full.warnings  # the empty polygon is said
    assert list(shapely.to_wkb(whole)) == list(shapely.to_wkb(read))
    if case in ("nan", "infinite", "far"):
        assert _said(full, "坐标无效", "coordinates")
        assert read[1] is None or shapely.is_empty(read[1])  # kept, with no area


def test_zone_boxes_cover_every_zone_closely():
    """The boxes a GeoPackage's R-tree is asked for cover each zone (its vertices and a grid of
    points inside it), hug a disc more closely than its box, and fall back to a zone's box when
    GEOS cannot cut the zone (a bow-tie)."""
    import numpy as np

    from geo.io.gpkg import STRIPS, zone_boxes

    disc = shapely.Point(500_000, 2_500_000).buffer(2_000, 64)
    centre = shapely.Point(510_000, 2_500_000)
    ring = centre.buffer(3_000).difference(centre.buffer(2_000))
    boxes = zone_boxes([disc, ring])
    covered = shapely.union_all(shapely.box(*boxes.T))
    xs, ys = np.meshgrid(np.linspace(497_000, 514_000, 200), np.linspace(2_496_000, 2_504_000, 100))
    grid = shapely.points(xs.ravel(), ys.ravel())
    inside = grid[shapely.intersects(grid, shapely.union_all([disc, ring]))]
    vertices = shapely.points(np.r_[shapely.get_coordinates(disc), shapely.get_coordinates(ring)])
    assert shapely.covers(covered, np.r_[inside, vertices]).all()
    disc_boxes = boxes[:STRIPS]
    area = ((disc_boxes[:, 2] - disc_boxes[:, 0]) * (disc_boxes[:, 3] - disc_boxes[:, 1])).sum()
    assert disc.area < area < 0.9 * 4_000.0**2  # closer than the disc's box
    bowtie = shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    assert (zone_boxes([bowtie]) == [[0, 0, 10, 10]]).all()
