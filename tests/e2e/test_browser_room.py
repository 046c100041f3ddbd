"""The page in the meeting room, in real headless Chromium at a projector's 1024×768 and at
1920×1080, in both languages: the first map view holds the whole city (the Leaflet map's bounds
contain the districts' bounds), nothing lies over it (the legend is under the map, the map's
controls beside the city), the map and its legend are on screen without scrolling, a link opens
its view, and the presenting view hides the sidebar and refits the larger map. Screenshots go to
out/screenshots/ (room_*.png). Skipped like tests/test_browser.py without chromium.
"""

import time

import pytest

import layers
from landplan.present.text import text

from .test_browser import CHROMIUM, MAP, SHOTS, server  # noqa: F401 - the page, served once

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
SIZES = [(1024, 768), (1920, 1080)]

#: the map's view and what lies on it, read in the map's frame: its bounds and zoom, the pixel box
#: of ``box`` ([[south, west], [north, east]]) in the frame, the controls', the legend's and the
#: drawn outlines' boxes
READ_MAP = """(body, box) => {
    const map = Object.keys(window).filter(k => k.startsWith("map_")).map(k => window[k])
        .find(v => v && typeof v.getBounds === "function");
    const b = map.getBounds(), c = map.getContainer().getBoundingClientRect();
    const sw = map.latLngToContainerPoint(box[0]), ne = map.latLngToContainerPoint(box[1]);
    const rect = r => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom});
    return {
        bounds: [[b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]],
        zoom: map.getZoom(),
        container: rect(c),
        box: {left: c.left + sw.x, bottom: c.top + sw.y, right: c.left + ne.x, top: c.top + ne.y},
        controls: [...document.querySelectorAll(".leaflet-control")].map(e =>
            rect(e.getBoundingClientRect())),
        legend: rect(document.querySelector(".map-legend").getBoundingClientRect()),
        paths: [...document.querySelectorAll(".leaflet-overlay-pane path")].map(e =>
            rect(e.getBoundingClientRect())),
    };
}"""


def _bounds(district: str | None = None) -> list[list[float]]:
    d = layers.load("districts")
    if district:
        d = d[d["district_id"] == district]
    w, s, e, n = d.to_crs(4326).total_bounds
    return [[s, w], [n, e]]


def _contains(outer, inner) -> bool:
    return (
        outer[0][0] <= inner[0][0]
        and outer[0][1] <= inner[0][1]
        and outer[1][0] >= inner[1][0]
        and outer[1][1] >= inner[1][1]
    )


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


def _settled(page):
    time.sleep(0.8)
    page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden", timeout=180_000)
    time.sleep(1.5)  # the frame's last resize and the map's refit


def _top(page):
    """The page scrolled back to its top (as it opens), the pointer off the map."""
    page.mouse.move(1, 1)
    page.locator("[data-testid=stMain]").evaluate("e => e.scrollTo(0, 0)")
    time.sleep(0.3)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        SHOTS.mkdir(parents=True, exist_ok=True)
        yield b
        b.close()


def _open(browser, url: str, size):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.context.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.split("/")[2].split(":")[0] in ("127.0.0.1", "localhost")
            else r.abort()
        ),
    )
    page.goto(url)
    frame = page.frame_locator(MAP).first
    frame.locator(".leaflet-overlay-pane path").first.wait_for(timeout=180_000)
    page.locator("[data-testid=stMetric]").first.wait_for(timeout=180_000)
    _settled(page)
    return page


def _read(page, box) -> dict:
    return page.frame_locator(MAP).first.locator("body").evaluate(READ_MAP, box)


def _shown(rect: dict, frame: dict) -> dict:
    """The part of ``rect`` inside the map's ``frame`` (the map clips what lies outside)."""
    return {
        "left": max(rect["left"], frame["left"]),
        "top": max(rect["top"], frame["top"]),
        "right": min(rect["right"], frame["right"]),
        "bottom": min(rect["bottom"], frame["bottom"]),
    }


def _nothing_over(view: dict) -> None:
    """The city's (or focus's) box is clear of the map's controls, and the legend lies under the
    map, clear of every drawn outline."""
    assert not [c for c in view["controls"] if _overlap(c, view["box"])], view
    assert view["legend"]["top"] >= view["container"]["bottom"] - 0.5
    drawn = [_shown(p, view["container"]) for p in view["paths"]]
    assert not [p for p in drawn if _overlap(p, view["legend"])]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_whole_city_in_the_first_view(server, browser, lang, size):  # noqa: F811
    page = _open(browser, server + ("?lang=en" if lang == "en" else ""), size)
    city = _bounds()
    view = _read(page, city)
    assert _contains(view["bounds"], city), (view["bounds"], city)
    _nothing_over(view)
    assert len(view["paths"]) >= 11  # the districts are drawn
    # the map and its legend are on screen as the page opens, under the headline figures
    frame = page.locator(MAP).bounding_box()
    assert frame["y"] + view["legend"]["bottom"] <= size[1] + 0.5, (frame, view["legend"])
    metrics = page.locator("[data-testid=stMetric]")
    assert metrics.count() == 3 and metrics.first.bounding_box()["y"] < frame["y"]
    labels = metrics.first.locator("[data-testid=stMetricLabel]").inner_text()
    assert ("20大先进制造业园区" if lang == "zh" else "20 advanced manufacturing parks") in labels
    assert page.locator("[data-testid=stException]").count() == 0
    page.screenshot(path=str(SHOTS / f"room_{lang}_{size[0]}x{size[1]}.png"))
    page.close()


def test_a_link_opens_its_view(server, browser):  # noqa: F811
    page = _open(browser, server + "/?lang=en&district=pingshan&unit=mu", (1024, 768))
    en = text("en")["page"]
    page.get_by_text(en["title"]).wait_for(timeout=60_000)
    side = page.locator("[data-testid=stSidebar]")
    assert side.get_by_role("radio", name="mu").is_checked()
    assert side.get_by_role("combobox", name=en["district"]).input_value() == "Pingshan"
    assert "Pingshan" in page.locator("[data-testid=stMetric]").nth(2).inner_text()
    assert " mu" in page.locator("[data-testid=stMetric]").first.inner_text()
    focus, city = _bounds("pingshan"), _bounds()
    view = _read(page, focus)
    assert _contains(view["bounds"], focus) and not _contains(view["bounds"], city)
    _nothing_over(view)
    assert all(p in page.url for p in ("lang=en", "district=pingshan", "unit=mu"))
    page.screenshot(path=str(SHOTS / "room_link_en_pingshan_mu.png"))
    page.close()
    # a value the page does not know: a line in the page's language, and the city
    page = _open(browser, server + "/?district=atlantis", (1024, 768))
    line = text("zh")["page"]["link_ignored"].format(key="district", value="atlantis")
    page.get_by_text(line).wait_for(timeout=60_000)
    assert _contains(_read(page, city)["bounds"], city)
    assert page.locator("[data-testid=stException]").count() == 0
    page.close()


def test_presenting_hides_the_sidebar_and_refits_a_larger_map(server, browser):  # noqa: F811
    city = _bounds()
    page = _open(browser, server, (1024, 768))
    before = _read(page, city)
    width = before["container"]["right"] - before["container"]["left"]
    value_size = page.locator("[data-testid=stMetricValue]").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    page.get_by_text(text("zh")["page"]["presenting"], exact=True).click()
    _settled(page)
    assert not page.locator("[data-testid=stSidebar]").is_visible()
    after = _read(page, city)
    assert after["container"]["right"] - after["container"]["left"] > width + 200
    assert after["zoom"] >= before["zoom"]  # refitted to the larger frame, not left as it was
    assert _contains(after["bounds"], city)
    _nothing_over(after)
    assert (
        page.locator("[data-testid=stMetricValue]").first.evaluate(
            "e => parseFloat(getComputedStyle(e).fontSize)"
        )
        > value_size
    )
    assert "present=1" in page.url
    _top(page)
    switch = page.get_by_text(text("zh")["page"]["presenting"], exact=True).bounding_box()
    assert switch["y"] + switch["height"] <= 768  # the way back is on screen
    page.screenshot(path=str(SHOTS / "room_presenting_zh_1024x768.png"))
    # a larger window: the map is fitted again to the city
    page.set_viewport_size({"width": 1920, "height": 1080})
    _settled(page)
    larger = _read(page, city)
    assert larger["zoom"] > after["zoom"] and _contains(larger["bounds"], city)
    _nothing_over(larger)
    _top(page)
    page.screenshot(path=str(SHOTS / "room_presenting_zh_1920x1080.png"))
    page.close()
