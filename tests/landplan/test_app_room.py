"""The page in the meeting room, driven with streamlit.testing AppTest: the headline figures are
the plan's (:func:`layers.plan.compute_plan`), in the page's language and unit, and a link
(``st.query_params``) opens a view; what a link asks for that the page does not know is said in
a line, never an error."""

import re
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from streamlit.testing.v1 import AppTest

import layers
from geo.units import convert_area
from landplan.present.text import text
from landplan.web.drawings import drawings_to_layer
from layers.plan import compute_plan
from layers.store import Scenario
from layers.supply import commitments
from layers.units import in_unit

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
PARKS = "city_sz20_parks_area"


def _page(**link) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in link.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _address(at) -> dict:
    """The page's address parameters after its run (a parameter given twice: its last value)."""
    return {k: v[-1] if isinstance(v, list) else v for k, v in at.query_params.items()}


def _number(value: str) -> float:
    """The first number of a figure as shown ('1,234.5 亩' -> 1234.5)."""
    return float(re.search(r"-?[\d,]+(?:\.\d+)?", value).group().replace(",", ""))


def _figures(at) -> list:
    assert len(at.metric) == 3
    return list(at.metric)


def _check_figures(at, plan, lang: str, unit: str, where: str):
    """The three headline figures against the plan, computed here from its tables."""
    parks, targets, cover = _figures(at)
    decimals = {"km2": 2, "ha": 1, "mu": 0}[unit]
    row = plan.city.targets.set_index("target_id").loc[PARKS]
    words = text(lang)["plan"]["headline"]
    # the 20 parks: supply when outlines measure or propose it, else the indicative extent, said
    # to be no supply, and never met on indicative outlines
    if row["basis"] == "indicative":
        shown_m2 = row["indicative_extent"]
        assert parks.delta == words["supply"]["indicative"]
        assert row["met_status"] != "met"
    else:
        shown_m2 = row["supplied"]
    assert _number(parks.value) == pytest.approx(
        convert_area(shown_m2, "m2", unit), abs=0.6 * 10**-decimals
    )
    target = row["value"]
    assert f"{convert_area(target, 'm2', unit):,.0f}" in parks.label
    # targets met / not met / unknown: commitments in focus, a commitment's parts not again
    one = commitments(plan.targets)
    met = int((one["met_status"] == "met").sum())
    not_met = int((one["met_status"] == "not_met").sum())
    assert targets.value == f"{met} / {not_met} / {len(one) - met - not_met}"
    assert f"{len(one)}" in targets.label and where in targets.label
    # the focus's coverage: covered / outline area of its districts
    cov = plan.coverage
    pct = cov["covered_area"].sum() / cov["zone_area"].sum() * 100
    assert _number(cover.value) == pytest.approx(pct, abs=0.051)
    assert where in cover.label
    covered = convert_area(cov["covered_area"].sum(), "m2", unit)
    assert _number(cover.delta) == pytest.approx(covered, abs=0.6 * 10**-decimals)


def test_the_headline_figures_are_the_plans_in_the_pages_language_and_unit():
    at = _page()
    plan = compute_plan()
    _check_figures(at, plan, "zh", "km2", "全市")
    assert "平方公里" in _figures(at)[0].value
    assert "来源" in _figures(at)[0].help and "第 370–372 行" in _figures(at)[0].help
    # English, in mu, focused on Pingshan: the figures follow the sidebar
    at.sidebar.radio[0].set_value("en").run()
    at.sidebar.radio[1].set_value("mu").run()
    at.sidebar.selectbox[0].set_value("pingshan").run()
    assert not at.exception
    _check_figures(at, plan.focused("pingshan"), "en", "mu", "Pingshan")
    parks = _figures(at)[0]
    assert "mu" in parks.value and "indicative extent, not supply" in parks.delta
    assert not re.search(r"[\u4e00-\u9fff]", parks.label + parks.value + parks.delta)


def test_a_proposed_park_is_proposed_supply_beside_the_indicative_extent():
    at = _page()
    box = shapely.box(114.30, 22.70, 114.33, 22.72)
    drawings = [{"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(box)}]
    at.session_state["drawings"] = drawings
    at.run()
    assert not at.exception
    plan = compute_plan(Scenario("", proposed=drawings_to_layer(drawings)))
    row = plan.targets.set_index("target_id").loc[PARKS]
    assert row["basis"] == "proposed" and row["met_status"] != "met"
    _check_figures(at, plan, "zh", "km2", "全市")
    parks = _figures(at)[0]
    drawn = in_unit(plan.targets, "km2").set_index("target_id").loc[PARKS]
    assert "拟建" in parks.delta and f"{drawn['indicative_extent']:,.2f}" in parks.delta
    assert _number(parks.value) == pytest.approx(
        gpd.GeoSeries([box], crs=4326).to_crs(4547).area.iloc[0] / 1e6, abs=0.006
    )


def test_a_link_opens_its_view():
    at = _page(lang="en", district="pingshan", unit="mu")
    assert at.title[0].value == text("en")["page"]["title"]
    assert at.sidebar.radio[1].value == "mu" and at.sidebar.selectbox[0].value == "pingshan"
    assert not at.warning
    assert "Pingshan" in _figures(at)[2].label and "mu" in _figures(at)[0].value
    # the address keeps the view, and follows the sidebar
    assert _address(at) == {"lang": "en", "district": "pingshan", "unit": "mu"}
    at.sidebar.radio[1].set_value("km2").run()
    at.sidebar.selectbox[0].select_index(0).run()  # the whole city
    assert _address(at) == {"lang": "en"}
    at.sidebar.radio[0].set_value("zh").run()
    assert _address(at) == {}


@pytest.mark.parametrize("name", ["坪山区", "坪山", "Pingshan", "PINGSHAN district"])
def test_a_district_in_a_link_by_its_chinese_or_english_name(name):
    at = _page(district=name)
    assert at.sidebar.selectbox[0].value == "pingshan" and not at.warning
    assert _address(at) == {"district": "pingshan"}


def test_a_cluster_tab_and_the_presenting_view_in_a_link():
    cl = layers.clusters().iloc[0]
    at = _page(cluster=cl["name_en"], tab="targets", present="1")
    assert at.sidebar.selectbox[1].value == cl["cluster_id"]
    assert at.session_state["tables"] == text("zh")["page"]["targets"]
    assert at.toggle(key="presenting").value
    style = "".join(h.proto.body for h in at.get("html"))
    assert "stSidebar" in style and "display: none" in style
    assert _address(at) == {
        "cluster": cl["cluster_id"],
        "tab": "targets",
        "present": "1",
    }
    at.toggle(key="presenting").set_value(False).run()
    assert "present" not in _address(at) and "display: none" not in "".join(
        h.proto.body for h in at.get("html")
    )


def test_unknown_values_in_a_link_are_said_and_ignored():
    at = _page(district="atlantis", unit="acre", lang="fr", tab="nope", cluster="x", foo="1")
    lines = [w.value for w in at.warning]
    assert len(lines) == 6, lines
    assert all("无法识别，已忽略" in line for line in lines)
    assert any("district=atlantis" in line for line in lines)
    # the view is the page's own, and the address keeps nothing it does not know
    assert at.title[0].value == text("zh")["page"]["title"]
    assert at.sidebar.selectbox[0].value is None and at.sidebar.radio[1].value == "km2"
    assert _address(at) == {}
    # in English when the link's language is known; the lines go once the view is changed
    at = _page(lang="en", unit="acre")
    assert [w.value for w in at.warning] == ["The link's unit=acre is not known and was ignored."]
    at.sidebar.radio[1].set_value("ha").run()
    assert not at.warning and _address(at) == {"lang": "en", "unit": "ha"}


def test_a_links_values_in_the_spellings_planners_use():
    from landplan.web.view_link import read_link

    cl = layers.clusters().iloc[0]
    view, ignored = read_link(
        {
            "lang": "English",
            "unit": "亩",
            "district": "全市",
            "cluster": cl["name_zh"],
            "tab": text("zh")["page"]["overlaps"],
            "present": "0",
        }
    )
    assert view == {
        "lang": "en",
        "unit": "mu",
        "district": None,  # the whole city
        "cluster": cl["cluster_id"],
        "tab": "overlaps",
        "present": False,
    }
    assert not ignored
    assert read_link({"unit": "m2"}) == ({}, [("unit", "m2")])  # not offered on the page
    assert read_link({"version": "2"}) == ({}, [("version", "2")])  # a version of nothing
    assert read_link({"scenario": "甲", "version": "v2"})[0] == {"scenario": "甲", "version": 2}


def test_a_links_text_cannot_add_markup_to_the_page():
    at = _page(district="![x](http://example.com/x.png) [y](http://example.com)")
    (line,) = [w.value for w in at.warning]
    assert "](http" not in line and "\\]\\(http" in line


def test_a_link_opens_a_saved_scenario_or_says_it_is_not_there(monkeypatch, tmp_path):
    monkeypatch.setenv("LANDPLAN_STORE", str(tmp_path / "plans.gpkg"))
    from layers.store import open_store

    box = shapely.box(114.33, 22.66, 114.38, 22.70)
    drawings = [{"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(box)}]
    store = open_store()
    for _ in range(2):
        store.save("东部拟建", proposed=drawings_to_layer(drawings), note="", by="王工")
    at = _page(scenario="东部拟建", version="1")
    assert not at.warning and at.session_state["scenario_open"].version == 1
    assert any("东部拟建" in i.value for i in at.info)  # the page says what is open
    assert _address(at) == {"scenario": "东部拟建", "version": "1"}
    at = _page(scenario="不存在的方案")
    assert [w.value for w in at.warning] == [
        text("zh")["page"]["link_ignored"].format(key="scenario", value="不存在的方案")
    ]
    assert not any("不存在的方案" in i.value for i in at.info) and _address(at) == {}
