"""The page in real headless Chromium shows one plan: the catalog's, and that of an official upload
of 3 parks instead of the 20 parks with 坪山 in focus (a zipped EPSG:4547 Shapefile with GBK
attributes and a .cpg of 936, uploaded through the sidebar as a planner does). The targets,
overlaps and coverage tabs and the tables workbook (downloaded, read back with openpyxl) give the
figures of the plan the library computes (:func:`layers.plan.compute_plan`). Screenshots in both
languages go to out/screenshots/. Skipped like tests/e2e/test_browser.py without chromium.
"""

import io
import re
import time

import openpyxl
import pandas as pd
import pytest

from landplan.present.plan_text import target_name

from .test_browser import CHROMIUM, MAP, SHOTS, server  # noqa: F401 - the page, served once

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def _settled(page):
    """Wait until the page's rerun is done."""
    time.sleep(0.8)
    page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden", timeout=180_000)
    time.sleep(0.5)


def _open(browser, url):
    page = browser.new_page(viewport={"width": 1400, "height": 2200})
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
    return page


def _tab(page, name: str, shows: str):
    page.get_by_role("tab", name=name).click()
    _settled(page)
    page.locator("[data-testid=stMain]").get_by_text(shows).first.wait_for(timeout=180_000)


def _tables(page, column: str) -> list[pd.DataFrame]:
    """The page's plain tables that have a column headed ``column``, as text."""
    out = []
    for rows in page.locator("[data-testid=stMain] [data-testid=stHtml] table").evaluate_all(
        "ts => ts.map(t => Array.from(t.rows).map(r => Array.from(r.cells)"
        ".map(c => c.innerText.trim())))"
    ):
        if rows and column in rows[0]:
            out.append(pd.DataFrame(rows[1:], columns=rows[0]))
    return out


def _number(text):
    """A figure as the page writes it (1,234.56; — for none) as a float or None."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    text = str(text).strip()
    return None if text in ("—", "", "None") else float(text.replace(",", ""))


def _same(shown, m2, per: float = 1e6) -> bool:
    """A figure as shown (km², 2 decimals) is the plan's (m²; None or NaN: no figure); ``per``
    1: a count, shown whole."""
    if m2 is None or pd.isna(m2):
        return _number(shown) is None
    got = _number(shown)
    if per == 1 and (isinstance(shown, str) and "." in shown or got != round(got or 0)):
        return False  # a count is whole: "3", never "3.00"
    return got is not None and abs(got - m2 / per) <= 0.006


def _targets_match(page, plan, zh: bool = True):
    from layers.supply import MET_LABELS

    head = ("目标", "已供给", "示意范围（非供给）", "缺口", "是否达标")
    if not zh:
        head = ("Target", "Supplied", "Indicative extent (not supply)", "Shortfall", "Met")
    (shown,) = _tables(page, head[1])
    names = [target_name(t, "zh" if zh else "en") for _, t in plan.targets.iterrows()]
    assert list(shown[head[0]]) == names
    for (_, row), t in zip(shown.iterrows(), plan.targets.itertuples()):
        per = 1 if t.unit == "count" else 1e6
        assert _same(row[head[1]], t.supplied, per), (t.target_id, row[head[1]], t.supplied)
        assert _same(row[head[2]], t.indicative_extent, per), t.target_id
        assert _same(row[head[3]], t.shortfall, per), t.target_id
        assert row[head[4]] == MET_LABELS[t.met_status][0 if zh else 1], t.target_id


def _overlaps_match(page, plan, zh: bool = True):
    from landplan.present import plan_text

    lang = "zh" if zh else "en"
    main = page.locator("[data-testid=stMain]").inner_text()
    assert plan_text.double_line(plan, lang) in main
    col = "要素 A" if zh else "Feature A"
    rows = pd.concat(_tables(page, col), ignore_index=True)
    assert len(rows) == len(plan.overlaps)
    kind = "类型" if zh else "Kind"
    assert list(rows[kind]) == [plan_text.overlap_kind(k, lang) for k in plan.overlaps["kind"]]
    area = next(c for c in rows.columns if c.startswith(("重叠面积", "Overlap (")))
    for (_, row), m2 in zip(rows.iterrows(), plan.overlaps["area"]):
        assert _same(row[area], m2)
    return rows


def _coverage_match(page, plan):
    (cov,) = _tables(page, "园区覆盖面积（平方公里）")
    cov = cov.set_index("行政区")
    for r in plan.coverage.itertuples():
        assert _same(cov.loc[r.name_zh, "园区覆盖面积（平方公里）"], r.covered_area), r.zone_id


def _workbook(page) -> openpyxl.Workbook:
    """The tables workbook as the downloads tab gives it."""
    with page.expect_download(timeout=180_000) as dl:
        page.get_by_role("button", name=re.compile("下载全部表格|Download all tables")).click()
    return openpyxl.load_workbook(io.BytesIO(open(dl.value.path(), "rb").read()))


def _sheet(wb, name) -> pd.DataFrame:
    rows = list(wb[name].iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def _workbook_match(wb, plan):
    cov = _sheet(wb, "分区覆盖").set_index("行政区")
    assert list(cov.index) == list(plan.coverage["name_zh"])
    for r in plan.coverage.itertuples():
        assert _same(cov.loc[r.name_zh, "园区覆盖面积（平方公里）"], r.covered_area)
    ts = _sheet(wb, "目标与供给")
    assert list(ts["目标"]) == [target_name(t) for _, t in plan.targets.iterrows()]
    for (_, row), t in zip(ts.iterrows(), plan.targets.itertuples()):
        per = 1 if t.unit == "count" else 1e6
        assert _same(row["已供给"], t.supplied, per) and _same(row["缺口"], t.shortfall, per)
        assert _same(row["示意范围（非供给）"], t.indicative_extent, per), t.target_id
    assert len(_sheet(wb, "重叠")) == len(plan.overlaps)


def test_the_catalog_page_shows_the_catalogs_plan(server):  # noqa: F811
    sync_api = pytest.importorskip("playwright.sync_api")
    from layers.plan import compute_plan

    plan = compute_plan()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = _open(browser, server)
        _coverage_match(page, plan)  # the first tab
        _tab(page, "目标与供给", "目标值")
        _targets_match(page, plan)
        _tab(page, "重叠", "重复计算的土地")
        _overlaps_match(page, plan)
        _tab(page, "下载", "下载全部表格")
        _workbook_match(_workbook(page), plan)
        assert page.locator("[data-testid=stException]").count() == 0
        browser.close()


def test_an_official_upload_instead_of_the_parks_shows_its_plan_in_both_languages(
    server,  # noqa: F811
    tmp_path,
):
    sync_api = pytest.importorskip("playwright.sync_api")
    from landplan.present import plan_text
    from layers.loading import resolve_layer
    from layers.names import layer_label
    from layers.plan import compute_plan
    from layers.store import Scenario

    from ..page_uploads import PARK_NAMES, pingshan_official_zip

    SHOTS.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "坪山园区.zip"
    path.write_bytes(pingshan_official_zip(tmp_path / "shp"))
    upload = resolve_layer(str(path))
    plan = compute_plan(Scenario("", upload=upload, role="instead", official=True), "坪山")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = _open(browser, server)
        sidebar = page.locator("[data-testid=stSidebar]")
        sidebar.locator("input[type=file]").first.set_input_files(str(path))
        sidebar.get_by_text("已读取 3 个要素：坪山园区.zip").wait_for(timeout=180_000)
        _settled(page)
        sidebar.get_by_text("替代20大园区").click()
        _settled(page)
        sidebar.get_by_text("上传的是正式边界").click()
        _settled(page)
        sidebar.locator("[data-testid=stSelectbox]").filter(has_text="聚焦行政区").click()
        page.get_by_role("option", name="坪山区", exact=True).click()
        _settled(page)
        sidebar.locator("[data-testid=stMultiSelect]").first.click()  # 坪山's zones on the map too
        page.get_by_role("option", name=layer_label("pingshan_zones", "zh"), exact=True).click()
        page.keyboard.press("Escape")
        _settled(page)
        main = page.locator("[data-testid=stMain]")
        main.get_by_text(plan_text.precision_lines(plan, "zh")[0]).first.wait_for(timeout=180_000)
        assert "官方边界未公开" not in main.inner_text()

        # the map draws the upload (solid: official), its double count red, nesting dashed
        frame = page.frame_locator(MAP).first
        frame.locator("path[stroke='#e6550d']").first.wait_for(timeout=180_000)
        assert frame.locator("path[stroke='#e6550d']").count() == 3
        assert frame.locator("path[stroke='#e6550d'][stroke-dasharray]").count() == 0
        assert frame.locator("path[fill='#d7301f']").count() >= 1
        assert frame.locator("path[stroke-dasharray='3 4']").count() >= 1

        _coverage_match(page, plan)
        _tab(page, "目标与供给", "目标值")
        _targets_match(page, plan)
        page.screenshot(path=str(SHOTS / "official_upload_zh_targets.png"), full_page=True)
        _tab(page, "重叠", "重复计算的土地")
        rows = _overlaps_match(page, plan)
        for side in ("A", "B"):  # the 20 parks' layer holds only the uploaded parks now
            parks = rows[rows[f"{side} 所在图层"] == "深圳市20大先进制造业园区"]
            assert set(parks[f"要素 {side}"]) <= set(PARK_NAMES)
        page.screenshot(path=str(SHOTS / "official_upload_zh_overlaps.png"), full_page=True)
        _tab(page, "下载", "下载全部表格")
        wb = _workbook(page)
        assert wb.sheetnames[0] == "说明" and "正式边界" in _sheet(wb, "说明")["说明"].iloc[0]
        _workbook_match(wb, plan)
        assert page.locator("[data-testid=stException]").count() == 0

        # English: the choices stay (role, official, focus), the figures are the same
        frame.locator("body").evaluate("b => b.dataset.old = '1'")
        sidebar.get_by_text("English").click()
        page.get_by_text("Shenzhen industrial land and parks").wait_for(timeout=120_000)
        _settled(page)
        main.get_by_text(plan_text.precision_lines(plan, "en")[0]).first.wait_for(timeout=180_000)
        _tab(page, "Targets vs supply", "Target value")
        _targets_match(page, plan, zh=False)
        frame.locator("body:not([data-old]) .leaflet-overlay-pane path").first.wait_for(
            timeout=180_000
        )
        frame.get_by_text("Park coverage of district").wait_for(timeout=120_000)
        assert frame.locator("path[stroke='#e6550d']").count() == 3
        time.sleep(1)
        page.screenshot(path=str(SHOTS / "official_upload_en_targets.png"), full_page=True)
        _tab(page, "Overlaps", "Land counted twice")
        _overlaps_match(page, plan, zh=False)
        page.screenshot(path=str(SHOTS / "official_upload_en_overlaps.png"), full_page=True)
        assert page.locator("[data-testid=stException]").count() == 0
        browser.close()
