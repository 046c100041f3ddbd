"""The map page on the shipped data, driven through every control with streamlit.testing AppTest."""

import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import layers
from layers.summary import district_coverage

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


@pytest.fixture
def app():
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception, at.exception
    return at


def _open_tab(at, label):
    """Open a table tab (the page draws only the open one), as a click on it does."""
    at.session_state["tables"] = label
    at.run()
    assert not at.exception, at.exception
    return at


def _html_tables(at) -> list:
    """The plain tables the page shows (st.html), read back as a planner sees them: text, numbers as
    numbers."""
    from html.parser import HTMLParser

    import pandas as pd

    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self.cell = [], None

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.cell = ""

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.cell is not None:
                self.rows[-1].append(self.cell.strip())
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell += data

    frames = []
    for element in at.get("html"):
        if "<table" not in element.proto.body:
            continue
        parser = Cells()
        parser.feed(element.proto.body)
        frame = pd.DataFrame(parser.rows[1:], columns=parser.rows[0])
        for col in frame.columns:
            try:
                # — is a missing figure; 12,345.67 has a thousands separator
                frame[col] = pd.to_numeric(
                    frame[col].replace("—", None).str.replace(",", "", regex=False)
                )
            except (ValueError, TypeError):
                pass
        frames.append(frame)
    return frames


def _frames_with(at, column) -> list:
    """The shown tables that have the column headed ``column`` (as the planner reads them)."""
    return [
        df for df in [*_html_tables(at), *(d.value for d in at.dataframe)] if column in df.columns
    ]


def _frame_with(at, column):
    """The shown table that has the column headed ``column`` (as the planner reads it)."""
    for df in _frames_with(at, column):
        return df
    raise AssertionError(f"no table shows {column}")


def _coverage_shown(at, unit_zh="平方公里"):
    """The coverage table as shown, by district name."""
    return _frame_with(at, f"园区覆盖面积（{unit_zh}）").set_index("行政区")


def _target_row(at, name="20个先进制造业园区规划建设总面积"):
    """A target's row as the targets tab shows it (by the target's name)."""
    return _frame_with(at, "已供给").set_index("目标").loc[name]


def _supplied(at, name="20个先进制造业园区规划建设总面积"):
    """What the targets tab shows for a target: supply, or its indicative extent when it has no
    supply."""
    row = _target_row(at, name)
    return row["示意范围（非供给）"] if pd.isna(row["已供给"]) else row["已供给"]


def test_page_opens_in_chinese_and_switches_to_english(app):
    assert app.title[0].value == "深圳产业用地与园区规划"
    assert not any(
        "target_id" in df.columns or "目标编号" in df.columns
        for df in [*_html_tables(app), *(d.value for d in app.dataframe)]
    )
    catalog = _frame_with(_open_tab(app, "图层目录"), "名称")
    assert "深圳市20大先进制造业园区" in catalog["名称"].tolist()  # the layer's name, not its id
    assert not catalog.isin(["sz20_parks"]).any().any()
    app.sidebar.radio[0].set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "Shenzhen industrial land and parks"


def test_unit_changes_the_coverage_table_to_the_library_numbers(app):
    app.sidebar.radio[1].set_value("mu").run()
    assert not app.exception
    shown = _coverage_shown(app, "亩")  # the unit's name in the header, not its code
    lib = district_coverage("sz20_parks", "mu").set_index("name_zh")
    for name in lib.index:
        assert shown.loc[name, "园区覆盖面积（亩）"] == pytest.approx(
            lib.loc[name, "covered_area"], abs=0.006
        )  # 2 dp


def test_district_focus_cluster_filter_layers_and_offline_basemap(app):
    app.sidebar.selectbox[0].set_value("pingshan").run()
    assert not app.exception
    assert list(_coverage_shown(app).index) == ["坪山区"]
    app.sidebar.selectbox[1].set_value("laser_additive_manufacturing").run()
    assert not app.exception
    text = " ".join(m.value for m in app.markdown)
    assert "坪山" in text and "宝安" in text  # the Opinion's districts for the laser cluster
    app.sidebar.multiselect[0].set_value(["districts", "pingshan_zones", "innovation_zones"]).run()
    assert not app.exception
    assert "tile.openstreetmap.org" in _map_page(app)
    app.sidebar.selectbox[2].set_value("none").run()  # basemap None: fully offline
    assert not app.exception
    page = _map_page(app)
    assert "tileLayer" not in page and "http://" not in page and "https://" not in page
    assert _shows(page, "坪山区")  # the focused district, with its tooltip


def _map_page(at) -> str:
    """The browsing map's page (a plain HTML page in an iframe)."""
    frames = at.get("iframe")
    assert len(frames) == 1
    return frames[0].proto.srcdoc


def _text(page: str) -> str:
    """The page with the GeoJSON's \\u escapes read back, as the browser reads them."""
    import re

    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)


def _shows(page: str, text: str) -> bool:
    return text in _text(page)


def test_map_is_a_plain_page_until_the_planner_draws(app):
    page = _map_page(app)
    assert "/app/static/leaflet/leaflet.js" in page and "leaflet.draw" not in page
    assert _shows(page, "罗湖区")  # districts with their tooltips
    app.toggle[0].set_value(
        True
    ).run()  # the drawing map: streamlit-folium, which sends drawings back
    assert not app.exception
    assert not app.get("iframe") and len(app.get("component_instance")) == 1
    assert any("绘图工具" in c.value for c in app.caption)
    app.toggle[0].set_value(False).run()
    assert not app.exception and len(app.get("iframe")) == 1


def test_the_browsing_map_follows_unit_and_language(app):
    """The browsing map is cached per view for every session: each choice must give its own page."""
    km2 = _map_page(app)
    assert _shows(km2, "平方公里") and not _shows(km2, "亩")
    app.sidebar.radio[1].set_value("mu").run()
    assert _shows(_map_page(app), " 亩") and not _shows(_map_page(app), "平方公里")
    app.sidebar.radio[0].set_value("en").run()
    assert _shows(_map_page(app), "Drawn area") and not _shows(_map_page(app), "图形面积")
    app.sidebar.radio[1].set_value("km2").run()
    app.sidebar.radio[0].set_value("zh").run()
    assert (
        _map_page(app) == km2
    )  # the same view gives the same page: the browser keeps the map as it is


def test_uploaded_names_show_as_text_in_map_tooltips():
    import geopandas as gpd
    import shapely

    from landplan.web.mapping import catalog_map

    evil = "<img src=x onerror=alert(1)>"
    layer = gpd.GeoDataFrame(
        {"name": [evil], "source": [evil]},
        geometry=[shapely.box(114.0, 22.6, 114.01, 22.61)],
        crs=4326,
    )
    page = catalog_map({"upload": layer}, tiles=None).get_root().render()
    assert evil not in _text(page) and "&lt;img src=x onerror=alert(1)&gt;" in _text(page)


def test_map_html_uses_local_leaflet_only():
    import layers
    from landplan.web.assets import leaflet_source_dir, use_local_assets
    from landplan.web.mapping import catalog_map

    m = use_local_assets(catalog_map({"districts": layers.load("districts")}, tiles=None))
    html = m.get_root().render()
    assert "/app/static/leaflet/leaflet.js" in html
    assert "cdn.jsdelivr" not in html and "code.jquery.com" not in html and "cdnjs" not in html
    assert (leaflet_source_dir() / "leaflet.js").exists()


def test_a_drawn_proposed_park_updates_targets_and_coverage(app):
    """What-if: a polygon drawn on the map (as st_folium returns it) adds to the parks' supply."""
    import geopandas as gpd
    import shapely

    from geo.areas import area

    box = shapely.box(
        114.30, 22.70, 114.33, 22.72
    )  # in Pingshan/Longgang, away from the drawn parks
    _open_tab(app, "目标与供给")
    before = _target_row(app)
    # the catalog's parks are indicative discs: an extent, never supply
    assert pd.isna(before["已供给"]) and before["示意范围（非供给）"] > 0
    app.session_state["drawings"] = [
        {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(box)}
    ]
    app.run()
    assert not app.exception
    assert any("拟建园区" in i.value or "情景" in i.value for i in app.info)
    after = _target_row(app)
    drawn_km2 = area(gpd.GeoDataFrame(geometry=[box], crs=4326), "km2").iloc[0]
    assert after["已供给"] == pytest.approx(drawn_km2, abs=0.011)  # table shows 2 decimals
    # the drawn park is supply, not part of the indicative extent too (never counted twice)
    assert after["示意范围（非供给）"] == pytest.approx(before["示意范围（非供给）"], abs=1e-9)
    page = _map_page(
        app
    )  # the browsing map shows the proposed park, and stays the same page on a rerun
    assert _shows(page, "拟建园区 1")
    app.run()
    assert _map_page(app) == page


def test_a_drawn_park_stays_where_it_was_drawn_when_the_basemap_changes(app):
    """Drawings keep the coordinates they were drawn in: switching to AMap (GCJ-02) must not move
    them."""
    import shapely

    import layers

    park = (
        layers.load("sz20_parks").dropna(subset=["geometry"]).to_crs(4326).geometry.iloc[0].centroid
    )
    box = shapely.box(park.x, park.y - 0.01, park.x + 0.03, park.y + 0.01)  # half over the park
    app.session_state["drawings"] = [
        {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(box)}
    ]
    _open_tab(app, "目标与供给")
    supplied = _supplied(app)
    app.sidebar.selectbox[2].set_value("amap").run()
    assert not app.exception
    assert _supplied(app) == supplied


def test_uploaded_parcel_codes_show_as_text_on_the_map():
    import geopandas as gpd
    import shapely

    from landplan.web.mapping import catalog_map, map_page
    from landplan.web.parcel_page import add_parcel_layer

    evil = "<script>alert(1)</script>"
    parcels = gpd.GeoDataFrame(
        {"landuse": [evil, "M1"], "status": ["已供应", evil]},
        geometry=[
            shapely.box(114.0, 22.6, 114.01, 22.61),
            shapely.box(114.01, 22.6, 114.02, 22.61),
        ],
        crs=4326,
    )
    m = catalog_map({}, tiles=None)
    assert add_parcel_layer(m, parcels) == 2
    page = _text(map_page(m))
    assert evil not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_future_industry_shows_its_carrying_areas(app):
    # 000 L7277-7283: the "6+5" core carrying areas, named for all eight future industries together
    app.sidebar.selectbox[1].set_value("quantum_information").run()
    assert not app.exception
    text = " ".join(m.value for m in app.markdown)
    assert (
        "行动计划所列承载区" in text and "光明科学城" in text and "深圳国家高新区龙华园区" in text
    )


def test_english_page_names_clusters_and_districts_without_ids_or_python_output(app):
    app.sidebar.radio[0].set_value("en").run()
    app.sidebar.selectbox[1].set_value("network_communication").run()
    assert not app.exception
    text = " ".join(m.value for m in app.markdown)
    assert (
        "Nanshan (南山)" in text
        and "(Opinion of the Shenzhen Municipal People's Government" in text
    )  # the title
    assert not re.search(r"\[|\]|True|False|\.txt|iz_|lg_|sz20_|ps_", text), text
    assert "南山、宝安" not in text  # no Chinese-only list on the English page
    for tab in ("Targets vs supply", "Overlaps", "Cluster gaps", "Layer catalog"):
        _open_tab(app, tab)
        for df in _html_tables(app):
            body = df.to_csv(index=False)
            assert not re.search(
                r"\['|\[\]|\bTrue\b|\bFalse\b|\d[eE][+-]?\d|\.txt|sz20_|lg_park|land_area", body
            ), (tab, body[:300])


def test_focus_district_filters_the_overlaps_tab(app):
    all_rows = pd.concat(_frames_with(_open_tab(app, "重叠"), "要素 A"))
    app.sidebar.selectbox[0].set_value("pingshan").run()
    shown = pd.concat(_frames_with(app, "要素 A"))
    assert 0 < len(shown) < len(all_rows)
    pingshan = set(layers.load("pingshan_zones")["name_zh"].dropna())
    assert all(
        a in pingshan or b in pingshan or "高新" in a or "金沙" in a
        for a, b in zip(shown["要素 A"], shown["要素 B"])
    )
    assert "新桥东" not in set(shown["要素 A"]) | set(shown["要素 B"])  # in 宝安, not 坪山
    assert any("坪山区内" in m.value for m in app.markdown)


def test_overlaps_on_the_map_only_between_layers_on_the_map(app):
    assert _shows(_map_page(app), "新桥东 × 福海—沙井")  # two of the 20 parks, both on the map
    app.sidebar.multiselect[0].set_value(
        ["districts", "pingshan_zones"]
    ).run()  # the 20 parks hidden
    assert not app.exception
    assert not _shows(_map_page(app), "新桥东 × 福海—沙井")


def test_meeting_workbook_is_made_on_a_click_and_offered_as_bytes(app):
    _open_tab(app, "下载")
    assert not [b for b in app.get("download_button") if "landplan_report" in str(b.proto)]
    next(b for b in app.button if b.key == "make_report_xlsx").click().run()
    assert not app.exception and not app.error
    data = app.session_state["_file_report_xlsx"][1]
    assert (
        data[:2] == b"PK"
    )  # an .xlsx (zip), held by the session: no deferred file a rerun could lose
    assert any("landplan_report_city_km2.xlsx" in str(b.proto) for b in app.get("download_button"))
    app.run()  # a rerun keeps it
    assert any("landplan_report_city_km2.xlsx" in str(b.proto) for b in app.get("download_button"))


def test_an_upload_instead_of_the_parks_drives_the_targets_as_the_reports_do(monkeypatch, tmp_path):
    """The page, the reports and the CLI take what counts from layers.scenario: an upload used
    instead of the
    20 parks is their supply (a proposal, or measured when marked official), and a drawing adds to
    it."""

    import geopandas as gpd
    import shapely

    from layers.scenario import layers_in_effect
    from layers.supply import target_supply

    park = gpd.GeoDataFrame(
        {"name": ["测试园区"]}, geometry=[shapely.box(480000, 2510000, 483000, 2512000)], crs=4547
    )  # 6 km² in 宝安
    path = tmp_path / "parks.geojson"
    park.to_crs(4326).to_file(path, engine="pyogrio")
    _uploading(monkeypatch, "parks.geojson", path.read_bytes())
    at = AppTest.from_file(APP, default_timeout=180).run()
    next(r for r in at.sidebar.radio if r.label == "用作").set_value("instead").run()
    _open_tab(at, "目标与供给")
    row = _target_row(at)
    assert row["已供给"] == pytest.approx(6.0, abs=0.01) and pd.isna(row["示意范围（非供给）"])
    assert row["是否达标"] == "未达标" and "拟建" in row["测算依据"]
    next(c for c in at.sidebar.checkbox if c.label.startswith("上传的是正式边界")).check().run()
    assert not at.exception
    row = _target_row(at)
    assert "实测" in row["测算依据"] and row["是否达标"] == "未达标"
    # the meeting reports get the same layers in effect
    lib = target_supply(
        supply_layers=layers_in_effect(park, "instead", upload_official=True)
    ).set_index("target_id")
    assert lib.loc["city_sz20_parks_area", "supplied"] == pytest.approx(row["已供给"], abs=0.01)
    box = shapely.box(114.30, 22.70, 114.33, 22.72)
    at.session_state["drawings"] = [
        {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(box)}
    ]
    at.run()
    row = _target_row(at)  # the drawing joins the upload (it no longer drops it)
    drawn = gpd.GeoDataFrame(geometry=[box], crs=4326).to_crs(4547).area.iloc[0] / 1e6
    assert row["已供给"] == pytest.approx(6.0 + drawn, abs=0.02) and "拟建" in row["测算依据"]


def test_a_unit_change_measures_no_geometry(app, monkeypatch):
    """The page's plan is in m², computed once; a unit change or a district focus (with a what-if
    drawn) converts or filters it and measures nothing again, and the tables still give the
    library's figures in the unit."""
    import importlib

    import shapely

    import layers.summary

    # the module (the name layers.targets is the catalog's targets())
    targets_module = importlib.import_module("layers.supply")

    box = shapely.box(114.30, 22.70, 114.33, 22.72)
    app.session_state["drawings"] = [
        {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(box)}
    ]
    _open_tab(app, "目标与供给")
    km2 = _supplied(app)
    calls = []
    for module, name in ((layers.summary, "coverage"), (targets_module, "_supply_figure")):
        real = getattr(module, name)
        monkeypatch.setattr(
            module,
            name,
            lambda *a, _real=real, _name=name, **k: calls.append(_name) or _real(*a, **k),
        )
    app.sidebar.radio[1].set_value("mu").run()
    assert not app.exception, app.exception
    assert calls == []  # nothing measured again
    assert _supplied(app) == pytest.approx(km2 * 1500, abs=0.006 * 1500)
    app.sidebar.selectbox[0].set_value("pingshan").run()  # the plan focused: nothing measured
    assert not app.exception and calls == []
    app.sidebar.radio[1].set_value("ha").run()
    assert not app.exception and calls == []
    _open_tab(app, "分区覆盖")
    assert calls == [] and list(_coverage_shown(app, "公顷").index) == ["坪山区"]


def test_the_map_gives_areas_in_the_page_unit_with_thousands_separated(app):
    app.sidebar.radio[1].set_value("mu").run()
    page = _text(_map_page(app))
    assert "平方米" not in page and "平方公里" not in page  # overlaps too, not the tables' m²
    assert re.search(r"\d{1,3}(,\d{3})+\.\d\d 亩", page)  # e.g. 612,988.29 亩


def _uploading(monkeypatch, name: str, data: bytes) -> None:
    """The page's layer uploader holds ``data`` as the file ``name`` (AppTest cannot pick a file);
    the parcel uploader stays empty."""
    from types import SimpleNamespace

    from streamlit.delta_generator import DeltaGenerator

    real = DeltaGenerator.file_uploader

    def with_file(self, label, *a, **k):
        got = real(self, label, *a, **k)  # the widget is still drawn, with its label
        if k.get("key") != "upload_file":
            return got
        return SimpleNamespace(name=name, getvalue=lambda: data)

    monkeypatch.setattr(DeltaGenerator, "file_uploader", with_file)
