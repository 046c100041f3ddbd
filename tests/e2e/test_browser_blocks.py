"""The page in real headless Chromium with a parcel layer uploaded through the sidebar: the plan's
contiguous industrial blocks (:attr:`layers.plan.Plan.blocks`) are drawn on the map shaded by size,
square-kilometre blocks outlined in bold, named in the legend under the map, and listed in a table
under the parcel accounting, in Chinese and in English. Screenshots go to out/screenshots/.
Skipped like tests/e2e/test_browser.py without chromium."""

import pytest

from .test_browser import CHROMIUM, MAP, SHOTS, server  # noqa: F401 - the page, served once
from .test_browser_plan import ARGS, _number, _open, _settled, _tables

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)


def _blocks_shown(page, plan, zh: bool = True):
    """The page's blocks table and map: the plan's blocks, by number, area and scale."""
    found = plan.blocks
    number, area, scale = ("编号", "面积（平方公里）", "平方公里级")
    if not zh:
        number, area, scale = ("No.", "Area (km²)", "Square-kilometre scale")
    (shown,) = _tables(page, scale)
    assert [int(v) for v in shown[number]] == list(found["block_id"])
    for v, m2 in zip(shown[area], found["area_m2"]):
        assert abs(_number(v) - m2 / 1e6) <= 0.006, (v, m2)
    yes = "是" if zh else "yes"
    assert [v == yes for v in shown[scale]] == list(found["square_km"])
    frame = page.frame_locator(MAP).first
    bold = frame.locator("path[stroke='#1a1a1a'][stroke-width='3']")
    bold.first.wait_for(timeout=180_000)
    assert bold.count() == int(found["square_km"].sum())
    legend = frame.locator(".map-legend").filter(has_text="连片产业地块" if zh else "Contiguous")
    assert legend.count() == 1
    words = "平方公里级（黑色粗边）" if zh else "square-kilometre scale (bold black outline)"
    assert words in legend.inner_text()


def test_the_blocks_of_uploaded_parcels_are_on_the_map_and_in_a_table(
    server,  # noqa: F811
    tmp_path,
):
    sync_api = pytest.importorskip("playwright.sync_api")
    from landplan.web.parcel_page import read_parcel_upload
    from layers.plan import compute_plan
    from layers.store import Scenario
    from layers.synthetic import write_synthetic_parcels

    SHOTS.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "龙岗地块.gpkg"
    write_synthetic_parcels(path, 300, seed=5, districts=["longgang"])
    parcels = read_parcel_upload(path.name, path.read_bytes())
    plan = compute_plan(Scenario("", parcels=parcels), None, ("M1", "M0"))
    km2 = plan.blocks["square_km"]
    assert km2.any() and not km2.all(), "the blocks must be of both scales"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = _open(browser, server)
        sidebar = page.locator("[data-testid=stSidebar]")
        sidebar.locator("input[type=file]").nth(1).set_input_files(str(path))
        main = page.locator("[data-testid=stMain]")
        main.get_by_text("连片产业地块", exact=True).first.wait_for(timeout=180_000)
        _settled(page)
        _blocks_shown(page, plan)
        page.screenshot(path=str(SHOTS / "blocks_zh.png"), full_page=True)
        main.get_by_text("连片产业地块", exact=True).first.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "blocks_table_zh.png"))
        assert page.locator("[data-testid=stException]").count() == 0

        frame = page.frame_locator(MAP).first
        frame.locator("body").evaluate("b => b.dataset.old = '1'")
        sidebar.get_by_text("English").click()
        page.get_by_text("Shenzhen industrial land and parks").wait_for(timeout=120_000)
        _settled(page)
        main.get_by_text("Contiguous industrial blocks", exact=True).first.wait_for(timeout=180_000)
        frame.locator("body:not([data-old]) .leaflet-overlay-pane path").first.wait_for(
            timeout=180_000
        )
        _blocks_shown(page, plan, zh=False)
        page.screenshot(path=str(SHOTS / "blocks_en.png"), full_page=True)
        main.get_by_text(
            "Contiguous industrial blocks", exact=True
        ).first.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "blocks_table_en.png"))
        assert page.locator("[data-testid=stException]").count() == 0
        browser.close()
