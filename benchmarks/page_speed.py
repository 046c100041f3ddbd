"""Benchmark: the map page in real headless Chromium on a warm server (loopback only).

    python benchmarks/page_speed.py [--runs 3]

Prints: first full page (map paths drawn and tables shown) on a warm server, both for a
first visit (new browser profile: Streamlit's ~5 MB of scripts downloaded and compiled) and
for a returning browser (its HTTP cache holds them); two unit changes and switching the drawing map
on (rerun finished and map redrawn); and the map's HTML/GeoJSON payload size.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

# benchmarks/ is the script's folder
from _timing import MAP_FRAME as IFRAME, MARK_MAP_PAGE, NEW_MAP_PATH, TABLE  # noqa: E402


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _mark_map(page):
    """Mark the map document now shown, so a redraw is only counted once a new one has drawn."""
    page.frame_locator(IFRAME).first.locator("body").evaluate(MARK_MAP_PAGE)


def _wait_redraw(page, t0):
    time.sleep(0.05)
    page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden", timeout=60_000)
    page.frame_locator(IFRAME).first.locator(NEW_MAP_PATH).first.wait_for(timeout=60_000)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    port = _port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "streamlit"),
            "run",
            str(ROOT / "streamlit_app.py"),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        chromium = shutil.which("chromium")
        first, returning, unit, toggle, draw, payload = [], [], [], [], [], []
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    # loopback only; not page.route, which
                    # would switch the HTTP cache off
                    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                ],
            )
            kept = browser.new_context(
                viewport={"width": 1400, "height": 1200}
            )  # a returning planner's browser
            for run in range(
                2 * (args.runs + 1)
            ):  # runs 0 and 1 warm the server's caches and `kept`
                back = run % 2 == 1
                page = (
                    kept.new_page()
                    if back
                    else browser.new_page(viewport={"width": 1400, "height": 1200})
                )
                t0 = time.perf_counter()
                page.goto(url)
                page.frame_locator(IFRAME).first.locator(
                    ".leaflet-overlay-pane path"
                ).first.wait_for(timeout=120_000)
                page.locator(TABLE).first.wait_for(timeout=60_000)
                t_first = time.perf_counter() - t0
                if back:
                    page.close()
                    if run > 1:
                        returning.append(t_first)
                    continue
                html = page.locator(IFRAME).first.evaluate(
                    "f => f.contentDocument.documentElement.outerHTML.length"
                )
                _mark_map(page)
                t0 = time.perf_counter()
                page.get_by_text("亩", exact=True).click()
                t_unit = _wait_redraw(page, t0)
                _mark_map(page)
                t0 = time.perf_counter()
                page.get_by_text("公顷", exact=True).click()
                t_toggle = _wait_redraw(page, t0)
                _mark_map(page)
                t0 = time.perf_counter()
                page.get_by_text(
                    "绘制拟建园区（情景分析）"
                ).click()  # the interactive map with the drawing tools
                t_draw = _wait_redraw(page, t0)
                page.close()
                if run > 1:
                    first.append(t_first)
                    unit.append(t_unit)
                    toggle.append(t_toggle)
                    draw.append(t_draw)
                    payload.append(html)
            browser.close()
    finally:
        server.terminate()
    med = statistics.median
    print(
        f"first full page, first visit (warm server, empty browser cache): median {med(first):.2f} "
        "s, "
        f"max {max(first):.2f} s over {len(first)} runs"
    )
    print(
        "first full page, returning browser (warm server, HTTP cache): median "
        f"{med(returning):.2f} s, "
        f"max {max(returning):.2f} s"
    )
    print(f"unit change km2 -> mu        : median {med(unit):.2f} s, max {max(unit):.2f} s")
    print(f"unit change mu -> ha         : median {med(toggle):.2f} s, max {max(toggle):.2f} s")
    print(f"drawing map switched on      : median {med(draw):.2f} s, max {max(draw):.2f} s")
    print(f"map frame HTML (with GeoJSON): {med(payload) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
