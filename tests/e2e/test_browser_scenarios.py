"""Scenarios on the page in real headless Chromium: open a saved one, save the what-if, compare two.

The page runs with ``LANDPLAN_STORE`` set to a temporary GeoPackage (the command line's store);
screenshots in both languages go to out/screenshots/. Skipped like tests/e2e/test_browser.py without
chromium.
"""

import os
import time

import pandas as pd
import pytest
import shapely

from .test_browser import CHROMIUM, SHOTS, running_page

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)
MAP = "iframe[data-testid=stIFrame]"


@pytest.fixture(scope="module")
def store_and_server(tmp_path_factory):
    store = tmp_path_factory.mktemp("store") / "plans.gpkg"
    from landplan.web.drawings import drawings_to_layer
    from layers.store import open_store

    box = shapely.box(114.33, 22.66, 114.38, 22.70)  # a proposed park in Pingshan
    proposed = drawings_to_layer(
        [{"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(box)}]
    )
    open_store(store).save("城市基线", note="目录基线", by="王工")
    open_store(store).save("坪山拟建", proposed=proposed, note="一处拟建园区", by="李工")
    with running_page({**os.environ, "LANDPLAN_STORE": str(store)}) as url:
        yield store, url


def _settled(page):
    time.sleep(0.8)
    page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden", timeout=120_000)
    time.sleep(0.5)


def _count_reaches(locator, at_least: int, timeout_s: float = 120.0) -> bool:
    """Whether the locator's count reaches ``at_least`` within ``timeout_s`` (polled)."""
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if locator.count() >= at_least:
            return True
        time.sleep(0.5)
    return locator.count() >= at_least


def _tables_text(tables, timeout_s: float = 120.0) -> str:
    """The text of the tables once the page has stopped replacing them (while a rerun draws, the
    last run's tables stay on the page for a moment beside the new ones)."""
    from playwright.sync_api import TimeoutError as Replaced

    end, last = time.monotonic() + timeout_s, None
    while time.monotonic() < end:
        n = tables.count()
        if n and n == last:
            try:
                return " ".join(tables.nth(i).inner_text(timeout=5_000) for i in range(n))
            except Replaced:  # a table replaced while read: read them again
                pass
        last = n
        time.sleep(1.0)
    return " ".join(tables.nth(i).inner_text() for i in range(tables.count()))


def test_open_save_and_compare_scenarios(store_and_server):
    sync_api = pytest.importorskip("playwright.sync_api")
    from layers.plan import compute_plan
    from layers.store import open_store

    store, url = store_and_server
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 2400})
        page.context.route(
            "**/*",
            lambda r: (
                r.continue_()
                if r.request.url.split("/")[2].split(":")[0] in ("127.0.0.1", "localhost")
                else r.abort()
            ),
        )
        page.goto(url)
        page.frame_locator(MAP).first.locator(".leaflet-overlay-pane path").first.wait_for(
            timeout=120_000
        )
        sidebar = page.locator("[data-testid=stSidebar]")
        _settled(page)
        sidebar.get_by_text("方案（保存与对比）").click()
        _settled(page)
        # open the saved Pingshan scenario: it becomes the page's what-if
        # the saved versions are listed newest first: 坪山拟建 is chosen
        sidebar.locator("[data-testid=stSelectbox]").filter(has_text="打开已保存的方案").wait_for(
            timeout=60_000
        )
        sidebar.get_by_role("button", name="打开", exact=True).click()
        page.get_by_text("当前情景来自方案“坪山拟建”第 1 版", exact=False).wait_for(timeout=120_000)
        page.get_by_text("情景：1 个拟建园区计为拟建供给", exact=False).wait_for(timeout=120_000)
        _settled(page)
        # save it under a new name, with a note and who saved it
        sidebar.get_by_label("方案名称").fill("坪山拟建（复核）")
        sidebar.get_by_label("备注").fill("浏览器中保存")
        sidebar.get_by_label("保存人（可留空）").fill("赵工")
        sidebar.get_by_role("button", name="保存当前情景为方案").click()
        page.get_by_text("已保存方案“坪山拟建（复核）”第 1 版", exact=False).wait_for(
            timeout=120_000
        )
        saved = open_store(store).open("坪山拟建（复核）")
        assert (
            saved.saved_by == "赵工"
            and saved.note == "浏览器中保存"
            and saved.parts == {"proposed": 1}
        )

        # compare: A the city baseline, B the saved one
        page.get_by_role("tab", name="方案对比").click()
        _settled(page)
        main = page.locator("[data-testid=stMain]")
        main.locator("[data-testid=stSelectbox]").filter(has_text="方案 A").click()
        page.get_by_role("option").filter(has_text="城市基线").click()
        _settled(page)
        main.get_by_text("目标：A、B 与变化（B − A）").wait_for(timeout=120_000)
        tables = main.locator("[data-testid=stHtml] table")
        tables.first.wait_for(timeout=120_000)
        main.get_by_text("供给变化（B − A）").first.wait_for(timeout=120_000)
        text = _tables_text(tables)
        assert "供给变化（B − A）" in text and "覆盖面积变化" in text and "坪山区" in text
        assert "拟建（情景）" in text and "示意边界" in text  # basis in words, A and B
        assert "pingshan" not in text and "True" not in text and "-0.00" not in text
        # the figures are the two saved versions' plans
        a_plan = compute_plan(open_store(store).open("城市基线"))
        b_plan = compute_plan(open_store(store).open("坪山拟建（复核）"))
        rows = tables.first.evaluate(
            "t => Array.from(t.rows).map(r => Array.from(r.cells).map(c => c.innerText.trim()))"
        )
        shown = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
        for side, plan in (("A", a_plan), ("B", b_plan)):
            t = plan.targets.set_index("target_id").loc["city_sz20_parks_area"]
            row = shown[t["name_zh"]]
            got = row[f"{side} 供给"]
            want = t["supplied"]
            assert (
                (got == "—")
                if pd.isna(want)
                else float(got.replace(",", "")) == pytest.approx(want / 1e6, abs=0.006)
            ), (side, got, want)
            extent = float(row[f"{side} 示意范围"].replace(",", ""))
            assert extent == pytest.approx(t["indicative_extent"] / 1e6, abs=0.006)
        cmp_map = page.frame_locator(MAP).last
        cmp_map.get_by_text("A：城市基线 v1").first.wait_for(timeout=120_000)
        assert cmp_map.get_by_text("B：坪山拟建（复核） v1").count() >= 1
        # drawn with the local Leaflet: the districts, A's parks and B's parks (the proposed one
        # among them)
        cmp_map.locator(".leaflet-overlay-pane path").first.wait_for(timeout=120_000)
        import layers

        parks = layers.load("sz20_parks")
        n = int((parks.geometry.notna() & parks.geom_type.isin(["Polygon", "MultiPolygon"])).sum())
        # the map's page is replaced while the tables settle: wait for the counts, do not read once
        assert _count_reaches(cmp_map.locator(".leaflet-overlay-pane path"), 11 + 2 * n + 1)
        dashed = cmp_map.locator("path[stroke-dasharray='8 5']")
        assert (
            _count_reaches(dashed, n + 1) and dashed.count() == n + 1
        )  # B, with its proposed park
        main.get_by_role("button", name="下载对比工作簿（XLSX）").wait_for(timeout=60_000)
        assert page.locator("[data-testid=stException]").count() == 0
        time.sleep(1.5)
        page.screenshot(path=str(SHOTS / "scenarios_compare_zh.png"), full_page=True)

        page.get_by_text("English").click()
        page.get_by_text("Shenzhen industrial land and parks").wait_for(timeout=60_000)
        _settled(page)
        page.get_by_role("tab", name="Compare scenarios").click()
        _settled(page)
        main.locator("[data-testid=stSelectbox]").filter(has_text="Scenario A").click()
        page.get_by_role("option").filter(has_text="城市基线").click()
        _settled(page)
        main.get_by_text("Targets: A, B and the change (B − A)").wait_for(timeout=120_000)
        main.get_by_text("Supply change (B − A)").first.wait_for(timeout=120_000)
        text = _tables_text(tables)
        assert "Supply change (B − A)" in text and "Pingshan" in text
        assert page.locator("[data-testid=stException]").count() == 0
        time.sleep(1.5)
        page.screenshot(path=str(SHOTS / "scenarios_compare_en.png"), full_page=True)
        browser.close()
