"""The progress ledger on the page in real headless Chromium: the 进度台账 / Progress tab with its
table and a target's chart drawn, a figure entered through the form as a planner types it (stored,
and the targets tab reporting it), the charts of the targets and coverage tabs drawn. The page runs
with ``LANDPLAN_STORE`` set to a temporary GeoPackage; screenshots in both languages go to
out/screenshots/. Skipped like tests/test_browser.py without chromium.
"""

import os
import time

import pytest

import layers
from layers.ledger import add_entry
from layers.store import open_store

from .test_browser import CHROMIUM, SHOTS, running_page

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)
MAP = "iframe[data-testid=stIFrame]"
CHART = "[data-testid=stVegaLiteChart]"
IC = "city_semiconductor_ic_parks"


@pytest.fixture(scope="module")
def store_and_server(tmp_path_factory):
    store = tmp_path_factory.mktemp("ledger") / "plans.gpkg"
    s = open_store(store)
    add_entry(s, IC, 3, "2025-03-31", "一季度统计", by="王工")
    add_entry(s, IC, 5, "2025-06-30", "二季度统计", by="王工")
    add_entry(s, "longgang_land_assembly", 6000, "2025-06-30", "纪要", by="李工", unit="亩")
    with running_page({**os.environ, "LANDPLAN_STORE": str(store)}) as url:
        yield store, url


def _settled(page):
    time.sleep(0.8)
    page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden", timeout=180_000)
    time.sleep(0.5)


def _drawn(page, n: int = 1) -> list:
    """The Vega charts on the page once drawn: each one's size in pixels (each inside the page's
    column)."""
    charts = page.locator(f"[data-testid=stMain] {CHART}")
    charts.nth(n - 1).locator("canvas, svg").first.wait_for(timeout=120_000)
    time.sleep(1.0)  # Vega draws after the element is there
    column = page.locator("[data-testid=stMainBlockContainer]").bounding_box()
    boxes = charts.evaluate_all(
        "cs => cs.map(c => { const r = c.querySelector('canvas, svg').getBoundingClientRect();"
        " return [r.width, r.height, r.right]; })"
    )
    assert all(right <= column["x"] + column["width"] + 1 for _, _, right in boxes), boxes
    return [(w, h) for w, h, _ in boxes]


def test_the_progress_tab_and_the_charts_in_a_browser(store_and_server):
    sync_api = pytest.importorskip("playwright.sync_api")
    store, url = store_and_server
    SHOTS.mkdir(parents=True, exist_ok=True)
    ic = layers.targets().set_index("target_id").loc[IC]
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
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
            timeout=180_000
        )
        _settled(page)
        main = page.locator("[data-testid=stMain]")

        # the targets tab: its table reports the ledger's figure, its chart is drawn
        page.get_by_role("tab", name="目标与供给").click()
        _settled(page)
        sizes = _drawn(page, 3)  # the city's, 龙岗区's and 坪山区's targets
        assert len(sizes) == 3 and all(w > 300 and h > 100 for w, h in sizes), sizes
        assert "进度台账填报 2 个" in main.inner_text()
        page.screenshot(path=str(SHOTS / "ledger_targets_chart_zh.png"), full_page=True)

        # the progress tab: the table, the chosen target's entries and their chart
        page.get_by_role("tab", name="进度台账").click()
        _settled(page)
        main.get_by_text("二季度统计").first.wait_for(timeout=120_000)
        page.locator("[data-testid=stSelectbox]").filter(has_text="目标（填报与历史）").click()
        page.get_by_role("option", name=ic["name_zh"], exact=True).click()
        _settled(page)
        main.get_by_text("一季度统计").first.wait_for(timeout=120_000)
        ((w, h),) = _drawn(page)
        assert w > 300 and h > 150

        # a figure entered as a planner types it (no sign-in: the name typed is recorded)
        form = page.locator("[data-testid=stForm]")
        form.get_by_label("数值").fill("6")
        form.get_by_label("依据（通知文号、会议纪要、统计公报；可附文件名或链接）").fill(
            "三季度统计"
        )
        form.get_by_label("填报人（可留空，默认为本机登录名）").fill("赵工")
        form.get_by_role("button", name="记入台账").click()
        _settled(page)
        main.get_by_text("已记入台账").first.wait_for(timeout=120_000)
        new = open_store(store).entries().iloc[-1]
        assert (new["target_id"], new["value"], new["entered_by"], new["source"]) == (
            IC,
            6.0,
            "赵工",
            "三季度统计",
        )
        main.get_by_text("三季度统计").first.wait_for(timeout=120_000)  # in the table, the entries
        assert page.locator("[data-testid=stException]").count() == 0
        page.screenshot(path=str(SHOTS / "ledger_tab_zh.png"), full_page=True)

        # the coverage tab's chart
        page.get_by_role("tab", name="分区覆盖").click()
        _settled(page)
        assert all(w > 300 and h > 150 for w, h in _drawn(page))
        page.screenshot(path=str(SHOTS / "ledger_coverage_chart_zh.png"), full_page=True)

        # in English
        page.get_by_text("English").click()
        page.get_by_text("Shenzhen industrial land and parks").wait_for(timeout=120_000)
        _settled(page)
        page.get_by_role("tab", name="Progress").click()
        _settled(page)
        main.get_by_text("Enter in the ledger").first.wait_for(timeout=120_000)
        assert "截至日期" not in main.inner_text()  # the English page's words are English
        assert all(w > 300 for w, _ in _drawn(page))
        page.screenshot(path=str(SHOTS / "ledger_tab_en.png"), full_page=True)
        browser.close()
