"""The page's library parts: uploads, downloads and basemaps (the page script only calls these)."""

import io
import json
import zipfile

import geopandas as gpd
import openpyxl
import pytest
import shapely

import layers
from geo.errors import LandplanError
from landplan.web.downloads import layers_geojson, layers_gpkg, tables_xlsx
from landplan.web.mapping import catalog_map
from landplan.web.uploads import read_upload
from layers.summary import district_coverage


def _gbk_zip(tmp_path) -> bytes:
    parks = gpd.GeoDataFrame(
        {"名称": ["拟建园区"]}, geometry=[shapely.box(114.35, 22.68, 114.37, 22.70)], crs=4326
    )
    parks.to_file(tmp_path / "p.shp", encoding="gbk", engine="pyogrio")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for ext in ("shp", "shx", "dbf", "prj"):  # no .cpg
            z.write(tmp_path / f"p.{ext}", f"p.{ext}")
    return buf.getvalue()


def test_upload_of_a_gbk_shapefile_without_cpg_is_read_and_analysed(tmp_path):
    gdf = read_upload("../../园区.zip", _gbk_zip(tmp_path))
    assert gdf["名称"].iloc[0] == "拟建园区"
    assert any("GB18030" in line for line in gdf.attrs["report"])
    cov = district_coverage(unit="km2", layer=gdf).set_index("zone_id")
    assert cov.loc["pingshan", "covered_area"] > 0


def test_bad_uploads_get_a_sentence(tmp_path):
    with pytest.raises(LandplanError, match="Upload a zipped Shapefile"):
        read_upload("notes.docx", b"hello")
    with pytest.raises(LandplanError):
        read_upload("broken.geojson", b"{not json")
    with pytest.raises(LandplanError, match="larger than"):
        read_upload("big.zip", b"0" * (51 * 1024 * 1024))


def test_downloads_keep_fields_and_chinese(tmp_path):
    parks = layers.load("sz20_parks")
    parks = parks[parks.geometry.notna()]
    (tmp_path / "l.gpkg").write_bytes(layers_gpkg({"sz20_parks": parks}))
    back = gpd.read_file(tmp_path / "l.gpkg", layer="sz20_parks")
    assert set(parks.columns) <= set(back.columns)
    assert set(back["name_zh"]) == set(parks["name_zh"])
    gj = json.loads(layers_geojson({"sz20_parks": parks}))
    assert (
        len(gj["features"]) == len(parks)
        and gj["features"][0]["properties"]["layer"] == "sz20_parks"
    )
    wb = openpyxl.load_workbook(io.BytesIO(tables_xlsx({"coverage": district_coverage(unit="mu")})))
    ws = wb["coverage"]
    assert ws.freeze_panes == "A2" and ws.cell(1, 1).value == "zone_id" and ws.max_row == 12


def test_amap_basemap_shifts_only_the_drawn_copy():
    d = layers.load("districts")
    html_amap = catalog_map({"districts": d}, basemap="amap").get_root().render()
    html_osm = catalog_map({"districts": d}, basemap="osm").get_root().render()
    assert "autonavi" in html_amap and "autonavi" not in html_osm
    # tooltip areas are computed on the originals, so both maps show the same figures
    from geo.areas import area

    for km2 in area(d, "km2"):
        shown = json.dumps(f"{km2:.2f} 平方公里")[1:-1]  # as it stands in the embedded GeoJSON
        assert shown in html_amap and shown in html_osm
    # while the drawn coordinates differ by the GCJ-02 offset (hundreds of metres)
    import re

    lon_osm = [float(v) for v in re.findall(r"\[(114\.\d+), 22\.\d+\]", html_osm)[:200]]
    lon_amap = [float(v) for v in re.findall(r"\[(114\.\d+), 22\.\d+\]", html_amap)[:200]]
    assert lon_osm and lon_amap
    assert min(lon_amap) - min(lon_osm) == pytest.approx(
        0.005, abs=0.002
    )  # ~500 m east in Shenzhen


def test_drawn_polygons_become_a_proposed_park_layer_in_wgs84():
    from geo.offsets import wgs84_to_gcj02
    from landplan.web.drawings import drawings_to_layer

    ring = [[114.10, 22.55], [114.12, 22.55], [114.12, 22.57], [114.10, 22.57], [114.10, 22.55]]
    feat = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    line = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "LineString", "coordinates": ring[:2]},
    }
    osm = drawings_to_layer([feat, line])
    assert len(osm) == 1 and osm.crs.to_epsg() == 4326 and osm["precision"].iloc[0] == "proposed"
    # drawn over AMap tiles: the clicked coordinates are GCJ-02 and are converted back exactly
    gx, gy = wgs84_to_gcj02([p[0] for p in ring], [p[1] for p in ring])
    amap_feat = {
        "type": "Feature",
        "properties": {},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[float(x), float(y)] for x, y in zip(gx, gy)]],
        },
    }
    amap = drawings_to_layer([amap_feat], "gcj02")
    assert shapely.equals_exact(amap.geometry.iloc[0], osm.geometry.iloc[0], tolerance=1e-9)
    assert drawings_to_layer([]) is None and drawings_to_layer(None) is None


def test_display_geometry_is_simplified_for_the_view():
    """A focused district is drawn with more detail than the city view; figures are unchanged."""
    import re

    from landplan.web.mapping import display_tolerance

    d = layers.load("districts")
    focus = d[d["district_id"] == "pingshan"]
    assert display_tolerance(d.total_bounds) > display_tolerance(focus.total_bounds)

    def vertices(html):
        return len(re.findall(r"\[1\d\d\.\d+, \d\d\.\d+\]", html))

    city = catalog_map({"districts": d}).get_root().render()
    zoomed = catalog_map({"districts": d}, focus=focus).get_root().render()
    n_full = int(shapely.get_num_coordinates(d.geometry.values).sum())
    assert vertices(city) < vertices(zoomed) <= n_full
    from geo.areas import area

    for km2 in area(d, "km2"):
        assert json.dumps(f"{km2:.2f} 平方公里")[1:-1] in zoomed


def test_map_tooltips_use_the_chosen_unit_and_flag_districts_with_cluster_gaps():
    from geo.areas import area
    from layers.gaps import cluster_gaps, gap_clusters_by_district

    d = layers.load("districts")
    gaps = gap_clusters_by_district(cluster_gaps(), "zh")
    assert gaps and all(isinstance(v, list) and v for v in gaps.values())
    html = catalog_map({"districts": d}, unit="mu", district_gaps=gaps).get_root().render()
    for mu in area(d, "mu"):
        assert json.dumps(f"{mu:,.2f} 亩")[1:-1] in html
    assert "#ff7f00" in html and "有集群缺口的区" in html  # orange outline, and its legend entry
    nanshan = gaps["nanshan"]
    assert json.dumps(f"{len(nanshan)}: {nanshan[0]}")[1:-1] in html  # the tooltip lists the gaps
    laser = gap_clusters_by_district(cluster_gaps(), "en", cluster="laser_additive_manufacturing")
    assert set(laser) <= set(gaps) and all(
        v == ["Laser and additive manufacturing industry cluster"] for v in laser.values()
    )


def test_plain_tables_escape_text_and_show_two_decimals():
    import pandas as pd

    from landplan.web.tables import html_table

    table = html_table(
        pd.DataFrame({"名称": ["<img src=x onerror=alert(1)>", "罗湖区"], "面积": [1.23456, None]}),
        "t",
    )
    assert "<img" not in table and "&lt;img src=x onerror=alert(1)&gt;" in table
    assert ">1.23<" in table.replace(" ", "") and "—" in table and "罗湖区" in table


def _text(page: str) -> str:
    import re

    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)


def test_the_map_draws_the_plans_layers_and_overlaps_following_the_upload(tmp_path):
    """The map draws the plan: an official upload instead of the 20 parks (tooltips say 官方),
    a proposed park, and the plan's overlaps between what is drawn, double counts red and nesting
    dashed; the replaced catalog parks and their overlaps are gone."""
    from landplan.web.drawings import drawings_to_layer
    from landplan.web.mapping import OVERLAP_STYLE, map_page
    from landplan.web.plan_view import drawn_overlaps, map_layers
    from layers.plan import compute_plan
    from layers.store import Scenario

    from ..page_uploads import PARK_NAMES, pingshan_parks

    up = pingshan_parks()
    # a proposed park across the third uploaded park: counted toward the same total
    third = up.to_crs(4326).geometry.iloc[2].centroid
    box = shapely.box(third.x, third.y, third.x + 0.03, third.y + 0.01)
    proposed = drawings_to_layer(
        [{"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(box)}]
    )
    plan = compute_plan(
        Scenario("", upload=up, role="instead", official=True, proposed=proposed), "pingshan"
    )
    d = layers.load("districts")
    on_map = map_layers(plan, ["districts", "sz20_parks", "pingshan_zones"], d)
    assert set(on_map) == {"districts", "pingshan_zones", "upload", "proposed"}
    assert set(on_map["upload"]["precision"]) == {"official"}
    ov = drawn_overlaps(plan, on_map, "km2")
    assert set(ov["kind"]) == {"double_count", "nested"}
    pairs = {frozenset((a, b)) for a, b in zip(ov["a_name_zh"], ov["b_name_zh"])}
    assert frozenset(PARK_NAMES[:2]) in pairs and frozenset((PARK_NAMES[2], "拟建园区 1")) in pairs
    page = _text(
        map_page(catalog_map(on_map, district_coverage=plan.city.coverage, overlap_areas=ov))
    )
    assert '"精度": "官方"' in page and "用户上传" not in page
    assert f"{PARK_NAMES[0]} × {PARK_NAMES[1]}" in page and "新桥东 × 福海—沙井" not in page
    assert OVERLAP_STYLE["double_count"]["color"] in page and '"dashArray": "3 4"' in page
    assert "重复计算" in page and "嵌套或交叉" in page  # the tooltips and the legend say the kind
    # without the 20 parks' layer nor the zones on the map, only what is drawn overlaps there
    only = map_layers(plan, ["districts"], d)
    shown = drawn_overlaps(plan, only, "km2")
    assert set(shown["a_layer"]) | set(shown["b_layer"]) <= {"sz20_parks"}
    assert set(shown["kind"]) == {"double_count"}


def test_an_upload_beside_the_parks_is_drawn_as_it_is_marked():
    from landplan.web.plan_view import map_layers
    from layers.plan import compute_plan
    from layers.store import Scenario

    from ..page_uploads import pingshan_parks

    d = layers.load("districts")
    for official, word in ((False, "用户上传"), (True, "官方")):
        plan = compute_plan(Scenario("", upload=pingshan_parks(), official=official))
        on_map = map_layers(plan, ["districts", "sz20_parks"], d)
        assert set(on_map) == {"districts", "sz20_parks", "upload"}
        page = _text(catalog_map({"upload": on_map["upload"]}).get_root().render())
        assert f'"精度": "{word}"' in page
