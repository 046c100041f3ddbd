"""The page in real headless Chromium, with no network beyond loopback.

Needs Debian's chromium (.ci/run installs it) and the playwright package (test extra); the
test is skipped with a message when either is missing. Screenshots go to out/screenshots/.
"""

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "out" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# the browsing map is a plain page (stIFrame); the drawing map is streamlit-folium's
MAP = "iframe[data-testid=stIFrame]"
DRAW_MAP = "iframe[title='streamlit_folium.st_folium']"
TABLE = "[data-testid=stHtml] table, [data-testid=stDataFrame]"

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)


def _at_least(locator, n: int, timeout: float = 120.0) -> bool:
    """Whether ``locator`` finds at least ``n`` elements within ``timeout`` s (a rerun may swap the
    page meanwhile)."""
    end = time.time() + timeout
    while time.time() < end:
        if locator.count() >= n:
            return True
        time.sleep(0.25)
    return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_page(env: dict | None = None, args=(), port: int | None = None, log=None):
    """The page served by streamlit on a loopback port (free unless ``port``; ``env``: its
    environment; ``args``: more options of ``streamlit run``; ``log``: a file for its output); its
    URL."""
    port = port or _free_port()
    exe = Path(sys.executable).parent / "streamlit"
    with contextlib.ExitStack() as files:
        out = files.enter_context(open(log, "wb")) if log else subprocess.DEVNULL
        proc = subprocess.Popen(
            [
                str(exe),
                "run",
                str(ROOT / "streamlit_app.py"),
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                *args,
            ],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
            env=env,
        )
        url = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            proc.kill()
            pytest.fail("streamlit did not start")
        try:
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=20)


@pytest.fixture(scope="module")
def server():
    with running_page() as url:
        yield url


def test_page_draws_the_map_offline_and_switches_language(server):
    sync_api = pytest.importorskip("playwright.sync_api")
    SHOTS.mkdir(parents=True, exist_ok=True)
    outside = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1300})

        def only_loopback(route):
            host = route.request.url.split("/")[2].split(":")[0]
            if host in ("127.0.0.1", "localhost"):
                return route.continue_()
            outside.append(route.request.url)
            return route.abort()

        page.context.route("**/*", only_loopback)
        page.goto(server)
        frame = page.frame_locator(MAP).first
        frame.locator(".leaflet-map-pane").wait_for(state="attached", timeout=120_000)
        frame.locator(".leaflet-overlay-pane path").first.wait_for(timeout=120_000)
        assert _at_least(frame.locator(".leaflet-overlay-pane path"), 11)  # the districts at least
        page.locator(TABLE).first.wait_for(timeout=60_000)  # the coverage table
        assert "罗湖区" in page.locator(TABLE).first.inner_text()
        assert page.locator("[data-testid=stException]").count() == 0
        page.screenshot(path=str(SHOTS / "page_zh.png"), full_page=True)

        frame.locator("body").evaluate(
            "b => b.dataset.old = '1'"
        )  # a rerun may replace the map's page in its frame
        page.get_by_text("English").click()
        page.get_by_text("Shenzhen industrial land and parks").wait_for(timeout=60_000)
        page.get_by_text("mu", exact=True).click()
        time.sleep(1)
        page.locator("[data-testid=stStatusWidget]").wait_for(
            state="hidden", timeout=120_000
        )  # rerun done
        frame.locator("body:not([data-old]) .leaflet-overlay-pane path").first.wait_for(
            timeout=120_000
        )  # redrawn
        # the language and the unit change may each replace the map's page: wait for the last one to
        # have drawn
        assert _at_least(frame.locator(".leaflet-overlay-pane path"), 11)
        frame.get_by_text("Park coverage of district").wait_for(
            timeout=120_000
        )  # the map itself is in English
        time.sleep(1)
        assert page.locator("[data-testid=stException]").count() == 0
        page.screenshot(path=str(SHOTS / "page_en_mu.png"), full_page=True)
        browser.close()
    # only basemap tiles may want the outside world; scripts and styles must all be local
    assert not [u for u in outside if u.endswith((".js", ".css"))], outside


def test_drawing_a_proposed_park_updates_coverage_and_targets(server):
    sync_api = pytest.importorskip("playwright.sync_api")
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
        page = browser.new_page(viewport={"width": 1400, "height": 1300})
        page.context.route(
            "**/*",
            lambda r: (
                r.continue_()
                if r.request.url.split("/")[2].split(":")[0] in ("127.0.0.1", "localhost")
                else r.abort()
            ),
        )
        page.goto(server)
        page.frame_locator(MAP).first.locator(".leaflet-overlay-pane path").first.wait_for(
            timeout=120_000
        )
        page.get_by_text("绘制拟建园区（情景分析）").click()  # the map with the drawing tools
        iframe = DRAW_MAP
        frame = page.frame_locator(iframe).first
        frame.locator(".leaflet-overlay-pane path").first.wait_for(timeout=120_000)
        frame.locator(".leaflet-draw-draw-rectangle").click()  # Leaflet.draw served locally
        box = page.locator(iframe).bounding_box()
        x0, y0 = box["x"] + box["width"] * 0.42, box["y"] + box["height"] * 0.55
        page.mouse.move(x0, y0)
        page.mouse.down()
        page.mouse.move(x0 + 60, y0 + 40, steps=8)
        page.mouse.up()
        page.get_by_text("情景：1 个拟建园区计为拟建供给", exact=False).wait_for(timeout=120_000)
        # the page reruns with the drawing: wait until it is done and the map has drawn again
        page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden", timeout=120_000)
        page.frame_locator(iframe).first.locator(".leaflet-overlay-pane path").first.wait_for(
            timeout=120_000
        )
        assert page.locator("[data-testid=stException]").count() == 0
        page.screenshot(path=str(SHOTS / "page_whatif.png"), full_page=True)
        browser.close()


#: what a planner must never read on the page
RAW_TEXT = {
    "a Python list": r"\['|\[\]|\[\"",
    "a Python boolean": r"\bTrue\b|\bFalse\b|\bnan\b|\bNone\b(?! \(offline\))",
    "scientific notation": r"\d[eE][+-]?\d",
    "a seed file name": r"\d{3}_[0-9a-f]{16}\.txt",
    "a catalog id": r"\b(sz20|lg|ps|iz)_[a-z_]+\b|\bland_area\b|\bsz20_parks\b|\bpingshan_zones\b",
}
TABS_ZH = ["分区覆盖", "目标与供给", "进度台账", "重叠", "集群缺口", "图层目录", "下载"]
TABS_EN = [
    "Coverage by district",
    "Targets vs supply",
    "Progress",
    "Overlaps",
    "Cluster gaps",
    "Layer catalog",
    "Downloads",
]
#: a text each tab shows once it is drawn (龙岗 and a cluster chosen: the targets tab says that
#: the cluster's action plan states no target of 龙岗, its targets being the city's)
DRAWN_ZH = [
    "边界面积（平方公里）",
    "所选产业集群的行动计划中没有龙岗区的目标",
    "条目从不改写或删除",
    "重复计算的土地",
    "《意见》所列地区",
    "精度",
    "下载全部表格",
]
DRAWN_EN = [
    "Outline area (km²)",
    "action plan states no target of Longgang (龙岗区)",
    "never changed or deleted",
    "Land counted twice",
    "Place named by the Opinion",
    "Precision",
    "Download all tables",
]


def _settled(page):
    """Wait until the page's rerun is done."""
    time.sleep(0.8)
    page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden", timeout=120_000)
    time.sleep(0.5)


def _choose(page, label: str, option: str):
    """Pick ``option`` in the sidebar select box labelled ``label``."""
    page.locator("[data-testid=stSelectbox]").filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    _settled(page)


def _raw(text: str) -> dict:
    import re

    return {
        what: re.findall(pattern, text)[:5]
        for what, pattern in RAW_TEXT.items()
        if re.search(pattern, text)
    }


def test_every_tab_reads_in_words_in_both_languages(server):
    """English and Chinese, a cluster and a district chosen, every tab opened: no Python output, raw
    ids or
    scientific notation anywhere on the page; the Chinese page's labels are Chinese."""
    import re

    sync_api = pytest.importorskip("playwright.sync_api")
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
        page = browser.new_page(
            viewport={"width": 1400, "height": 2600}
        )  # tall: the tables fit the screenshots
        page.context.route(
            "**/*",
            lambda r: (
                r.continue_()
                if r.request.url.split("/")[2].split(":")[0] in ("127.0.0.1", "localhost")
                else r.abort()
            ),
        )
        page.goto(server)
        page.frame_locator(MAP).first.locator(".leaflet-overlay-pane path").first.wait_for(
            timeout=120_000
        )
        page.locator(TABLE).first.wait_for(timeout=60_000)
        for lang, tabs, drawn, district, cluster in (
            ("zh", TABS_ZH, DRAWN_ZH, "龙岗区", "网络与通信产业集群"),
            ("en", TABS_EN, DRAWN_EN, "Longgang", "Network and communications industry cluster"),
        ):
            if lang == "en":
                page.get_by_text("English").click()
                page.get_by_text("Shenzhen industrial land and parks").wait_for(timeout=60_000)
                _settled(page)
            _choose(page, "聚焦行政区" if lang == "zh" else "Focus district", district)
            _choose(page, "产业集群" if lang == "zh" else "Industry cluster", cluster)
            for tab, shows in zip(tabs, drawn):
                page.get_by_role("tab", name=tab).click()
                _settled(page)
                page.locator("[data-testid=stMain]").get_by_text(shows).first.wait_for(
                    timeout=60_000
                )
                main = page.locator("[data-testid=stMain]").inner_text()
                side = page.locator("[data-testid=stSidebar]").inner_text()
                assert page.locator("[data-testid=stException]").count() == 0, (lang, tab)
                assert not _raw(main + side), (lang, tab, _raw(main + side))
                if lang == "zh":  # the Chinese page's labels are Chinese
                    headers = page.locator("[data-testid=stHtml] th").all_inner_texts()
                    assert all(re.search(r"[\u4e00-\u9fff]", h) for h in headers if h.strip()), (
                        tab,
                        headers,
                    )
                    assert "Targets vs supply" not in main and "Focus district" not in side
                else:
                    headers = page.locator("[data-testid=stHtml] th").all_inner_texts()
                    assert not any(re.search(r"[\u4e00-\u9fff]", h) for h in headers), (
                        tab,
                        headers,
                    )
                page.screenshot(path=str(SHOTS / f"tab_{lang}_{tabs.index(tab)}.png"))
        browser.close()
