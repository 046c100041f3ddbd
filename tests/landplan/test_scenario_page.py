"""The page's scenario parts (landplan.web.scenario_page) on a temporary GeoPackage store, as the
page calls them."""

import pytest
import shapely

import layers
from geo.errors import LandplanError
from landplan.web import page_data, scenario_page as scen
from landplan.web.auth import LOCAL, Visitor
from landplan.web.mapping import map_page
from landplan.web.plan_view import parcel_measured
from layers.loading import feature_ids

ONE_USER = Visitor(LOCAL)  # the page without sign-in configured


@pytest.fixture
def store_path(tmp_path, monkeypatch):
    path = tmp_path / "plans.gpkg"
    monkeypatch.setenv("LANDPLAN_STORE", str(path))  # the page uses the command line's store
    return path


def _proposed():
    # a drawn park (as landplan.web.drawings.drawings_to_layer makes it) over part of Pingshan
    from landplan.web.drawings import drawings_to_layer

    box = shapely.box(114.33, 22.66, 114.38, 22.70)
    return drawings_to_layer(
        [{"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(box)}]
    )


def test_save_open_and_the_whatif_in_effect(store_path):
    base = scen.save_whatif(ONE_USER, "基线", note="城市基线", by="王工")
    plan = scen.save_whatif(ONE_USER, "plan B", note="加一处拟建", proposed=_proposed())
    assert (base.version, plan.version) == (1, 1)
    assert scen.store().where == str(store_path) and store_path.exists()
    saved = scen.versions()
    assert saved["name"].tolist() == ["plan B", "基线"]  # newest first
    assert saved.loc[1, "saved_by"] == "王工" and saved.loc[1, "note"] == "城市基线"
    assert "基线 第 1 版" in scen.version_label(
        saved.loc[1], "zh"
    ) and "王工" in scen.version_label(saved.loc[1])
    assert "基线 v1" in scen.version_label(saved.loc[1], "en")
    with pytest.raises(LandplanError, match="name"):
        scen.save_whatif(ONE_USER, "  ")

    # nothing open: the page's own what-if stands
    state = {}
    assert scen.in_effect(state, None, "beside", False, None, None) == (
        None,
        "beside",
        False,
        None,
        None,
    )
    # opened: its proposed parks become the what-if; drawn parks are added to them
    state[scen._OPEN] = scen.open_scenario("plan B")
    up, role, official, proposed, parcels = scen.in_effect(state, None, "beside", False, None, None)
    assert up is None and parcels is None and len(proposed) == 1
    assert proposed["name_zh"].tolist() == ["拟建园区 1"]
    _, _, _, both, _ = scen.in_effect(state, None, "beside", False, _proposed(), None)
    assert len(both) == 2
    assert scen.opened_key(state) == ("plan B", 1)
    assert "拟建园区 1 个" in scen.parts_text(state[scen._OPEN], "zh")
    assert scen.parts_text(scen.open_scenario("基线"), "en") == "catalog baseline only"

    # saving the opened what-if again makes version 2 with both proposed parks
    again = scen.save_whatif(ONE_USER, "plan B", proposed=both, note="第二版")
    assert again.version == 2 and scen.open_scenario("plan B").parts == {"proposed": 2}
    assert scen.open_scenario("plan B", 1).parts == {"proposed": 1}


def test_an_opened_upload_instead_of_the_parks_and_its_parcels(store_path, tmp_path):
    from layers.parcels import read_parcels
    from layers.synthetic import write_synthetic_parcels

    write_synthetic_parcels(tmp_path / "p.gpkg", 300, seed=2, districts=["pingshan"])
    parcels = read_parcels(tmp_path / "p.gpkg")
    parks = layers.load("sz20_parks").head(3).to_crs(4547)
    parks["geometry"] = parks.buffer(500)
    scen.save_whatif(
        ONE_USER,
        "正式边界",
        upload=parks[["name_zh", "geometry"]],
        role="instead",
        official=True,
        parcels=parcels,
    )
    state = {scen._OPEN: scen.open_scenario("正式边界")}
    up, role, official, proposed, got = scen.in_effect(state, None, "beside", False, None, None)
    assert (role, official, len(up), len(got)) == ("instead", True, 3, 300)
    assert got.attrs.get("synthetic") is True
    # the page's plan of the opened scenario: its upload counts instead of the 20 parks (measured)
    # and its parcels are accounted in those parks and measure the targets parcels can
    plan, error = page_data.page_plan(up, role, official, proposed, ("正式边界", 1), got, ("M1",))
    assert error is None and plan.precisions() == {"official": 3}
    acc = plan.parcel_accounting
    assert set(acc.loc[acc["zone_layer"] == "sz20_parks", "zone_id"]) <= set(
        feature_ids(plan.parks)
    )  # the parks in effect: the upload's
    total = acc[(acc["zone_layer"] == "districts") & (acc["landuse"] == "(all)")]["area"].sum()
    assert total == pytest.approx(got.to_crs(4547).area.sum(), rel=1e-6)
    measured = parcel_measured(plan.focused("pingshan"))
    assert len(measured) == 0 or measured["basis"].eq("measured").all()
    # the page's own upload wins over the scenario's
    mine = parks.head(1)
    assert len(scen.in_effect(state, mine, "beside", False, None, None)[0]) == 1


def test_two_scenarios_side_by_side_in_words(store_path):
    scen.save_whatif(ONE_USER, "基线")
    scen.save_whatif(ONE_USER, "plan B", proposed=_proposed())
    a, b = scen.saved_plan("基线"), scen.saved_plan("plan B", 1)
    assert scen.saved_plan("基线", 1) is a  # a saved version's plan is computed once
    assert a.scenario.name == "基线" and b.precisions().get("proposed") == 1
    comp = scen.compare_plans(a, b)
    for lang in ("zh", "en"):
        shown = scen.change_tables(comp, lang)
        t, d = shown["targets"], shown["districts"]
        change = [c for c in t.columns if "变化" in c or "change" in c]
        assert change, t.columns
        text = t.to_string() + d.to_string()
        assert "city_sz20_parks_area" not in text and "pingshan" not in text and "True" not in text
        zh = lang == "zh"
        assert ("坪山区" if zh else "Pingshan") in d.iloc[:, 0].tolist().__str__()
        row = d[d.iloc[:, 0].str.contains("坪山" if zh else "Pingshan")].iloc[0]
        assert row.iloc[3] > 0  # the drawn park adds covered area in Pingshan
        # basis kept: A on indicative outlines, B proposed
        basis = [c for c in t.columns if "依据" in c or "basis" in c]
        assert len(basis) == 2
        assert (t[basis[0]] != t[basis[1]]).any()
        assert d.attrs["changed"].sum() >= 1 and t.attrs["changed"].sum() >= 1
    page = map_page(scen.comparison_map(a, b, "zh"))
    assert "A：基线 v1" in page and "B：plan B v1" in page and scen.COLORS["b"] in page
    page_en = map_page(scen.comparison_map(a, b, "en", basemap="none"))
    assert "Scenario comparison" in page_en and "8 5" in page_en  # B dashed


def test_a_store_that_cannot_be_reached_is_one_sentence(monkeypatch):
    monkeypatch.setenv("LANDPLAN_STORE", "postgresql://nobody@127.0.0.1:1/nothing")
    with pytest.raises(LandplanError) as err:
        scen.versions()
    assert "Traceback" not in str(err.value) and "127.0.0.1" in str(err.value)


def test_the_pages_targets_count_what_its_parcels_measure_as_the_reports_do(tmp_path):
    """Parcels loaded on the page (uploaded or from a scenario) measure the targets they can, in the
    page's plan (city and district) and in the reports the page makes of that plan, as ``landplan
    scenario report`` does."""
    import io

    from openpyxl import load_workbook

    from landplan.web.downloads import page_files
    from layers.parcel_totals import parcel_targets
    from layers.parcels import read_parcels
    from layers.supply import BASIS_LABELS, target_supply
    from layers.synthetic import write_synthetic_parcels

    write_synthetic_parcels(tmp_path / "p.gpkg", 400, seed=3, districts=["longgang"])
    parcels = read_parcels(tmp_path / "p.gpkg")
    expected = parcel_targets(parcels, ["M1", "M0"], unit="m2").set_index("target_id")
    assert len(expected) and expected["supplied"].gt(0).all()
    base = target_supply(unit="m2")
    plan, _ = page_data.page_plan(None, "beside", False, None, "p", parcels, ("M1", "M0"))
    got = plan.targets.set_index("target_id").loc[expected.index]
    assert got["basis"].eq("measured").all()
    assert got["supplied"].astype(float).to_numpy() == pytest.approx(
        expected["supplied"].astype(float).to_numpy()
    )
    assert (
        base.set_index("target_id").loc[expected.index, "basis"].ne("measured").all()
    )  # before: not measured
    # the other targets are untouched, and without codes the parcels measure nothing
    others = ~plan.targets["target_id"].isin(expected.index)
    assert (
        plan.targets[others]["basis"].tolist()
        == base[~base["target_id"].isin(expected.index)]["basis"].tolist()
    )
    unchanged, _ = page_data.page_plan(None, "beside", False, None, "p", parcels, ())
    assert unchanged.targets["basis"].tolist() == base["basis"].tolist()
    assert not len(parcel_measured(unchanged))
    # the district's targets, as the targets tab shows them with Longgang in focus
    longgang = plan.focused("longgang")
    d = longgang.targets.set_index("target_id")
    assert d.loc[d.index.intersection(expected.index), "basis"].eq("measured").all()
    assert set(parcel_measured(longgang)["target_id"]) == set(expected.index)

    # the workbook made on the page of that plan says the parcel-measured targets are measured
    def cells(p):
        xlsx = page_files(p, "zh", "km2", {})["report_xlsx"][3]()
        return {
            c.value for ws in load_workbook(io.BytesIO(xlsx)) for r in ws.iter_rows() for c in r
        }

    measured = BASIS_LABELS["measured"][0][:2]
    assert any(isinstance(v, str) and v.startswith(measured) for v in cells(longgang))
    catalog, _ = page_data.page_plan()
    assert not any(
        isinstance(v, str) and v.startswith(measured) for v in cells(catalog.focused("longgang"))
    )
