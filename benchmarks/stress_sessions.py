"""The page under stress: N browser sessions at once against one Streamlit server.

Starts ``streamlit run streamlit_app.py`` on a free loopback port, opens N (default 20) pages at
once in headless Chromium (Debian's /usr/bin/chromium, no network beyond loopback), and in each:
waits for the map and the coverage table, uploads a file from the bad-input corpus (default the
GBK Shapefile zip without .cpg), waits for the page to say how many features it read, then
changes a filter (the area unit, then the focus district) and waits for the rerun to finish.
Prints every error (exceptions on the page, error messages, timeouts) and the response times
per step (median and slowest), all from this one run. Exits 1 if any session had an error.

    .venv/bin/python benchmarks/stress_sessions.py --sessions 20
    .venv/bin/python benchmarks/stress_sessions.py --sessions 5 --file
    tests/data/bad/truncated_shp.zip --expect-error
"""

from __future__ import annotations

import argparse
import asyncio
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server() -> tuple[subprocess.Popen, str]:
    port = _free_port()
    exe = Path(sys.executable).parent / "streamlit"
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
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).status == 200:
                return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("streamlit did not start within 120 s")


async def _rerun_done(page, timeout_ms: int):
    """Wait until Streamlit shows no running status (the rerun has finished)."""
    await asyncio.sleep(0.3)
    await page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden", timeout=timeout_ms)


async def session(
    i: int, browser, url: str, upload: Path, expect_error: bool, timeout_ms: int
) -> dict:
    times: dict[str, float] = {}
    errors: list[str] = []
    ctx = await browser.new_context(viewport={"width": 1400, "height": 1100})

    async def only_loopback(route):
        host = route.request.url.split("/")[2].split(":")[0]
        await (route.continue_() if host in ("127.0.0.1", "localhost") else route.abort())

    await ctx.route("**/*", only_loopback)
    page = await ctx.new_page()
    step = "open"
    try:
        t0 = time.perf_counter()
        await page.goto(url, timeout=timeout_ms)
        frame = page.frame_locator(IFRAME).first
        await frame.locator(".leaflet-overlay-pane path").first.wait_for(timeout=timeout_ms)
        await page.locator(TABLE).first.wait_for(timeout=timeout_ms)
        times["open"] = time.perf_counter() - t0

        step = "upload"
        t0 = time.perf_counter()
        await page.locator("[data-testid=stFileUploaderDropzoneInput]").first.set_input_files(
            str(upload)
        )
        sidebar = page.locator("[data-testid=stSidebar]")
        if expect_error:
            await sidebar.locator("[data-testid=stAlertContentError]").first.wait_for(
                timeout=timeout_ms
            )
        else:
            await sidebar.get_by_text(upload.name, exact=False).last.wait_for(timeout=timeout_ms)
            await sidebar.locator("[data-testid=stAlertContentSuccess]").first.wait_for(
                timeout=timeout_ms
            )
        await _rerun_done(page, timeout_ms)
        times["upload"] = time.perf_counter() - t0

        step = "unit filter"
        t0 = time.perf_counter()
        await sidebar.get_by_text("亩", exact=True).click(timeout=timeout_ms)
        await _rerun_done(page, timeout_ms)
        times["unit filter"] = time.perf_counter() - t0

        step = "district filter"
        t0 = time.perf_counter()
        await frame.locator("body").evaluate(MARK_MAP_PAGE)
        step = "district filter: open the list"
        await sidebar.locator("[data-testid=stSelectbox]").first.click(timeout=timeout_ms)
        step = "district filter: choose 坪山区"
        await page.get_by_role("option", name="坪山区").click(timeout=timeout_ms)
        step = "district filter: rerun"
        await _rerun_done(page, timeout_ms)
        step = "district filter: map redrawn"
        await frame.locator(NEW_MAP_PATH).first.wait_for(timeout=timeout_ms)
        times["district filter"] = time.perf_counter() - t0

        n_exc = await page.locator("[data-testid=stException]").count()
        if n_exc:
            errors.append(
                f"session {i}: {n_exc} exception block(s) on the page: "
                f"{(await page.locator('[data-testid=stException]').first.inner_text())[:200]}"
            )
        if not expect_error:
            n_err = await page.locator("[data-testid=stAlertContentError]").count()
            if n_err:
                errors.append(
                    f"session {i}: error message: "
                    f"{(await page.locator('[data-testid=stAlertContentError]').first.inner_text())[:200]}"  # noqa: E501
                )
    except Exception as exc:  # noqa: BLE001 - every failure is reported, the other sessions go on
        errors.append(
            f"session {i}: {step}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        )
        shot = ROOT / "out" / "screenshots" / f"stress_session_{i}.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        try:
            await page.screenshot(path=str(shot), full_page=True, timeout=60_000)
            errors[-1] += f" (screenshot {shot.relative_to(ROOT)})"
        except Exception:  # noqa: BLE001
            pass
    finally:
        await ctx.close()
    return {"times": times, "errors": errors}


async def run(n: int, url: str, upload: Path, expect_error: bool, timeout_ms: int) -> list[dict]:
    from playwright.async_api import async_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("Debian's chromium is needed (apt-get install chromium)")
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage",
            ],
        )
        try:
            return await asyncio.gather(
                *(session(i, browser, url, upload, expect_error, timeout_ms) for i in range(n))
            )
        finally:
            await browser.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--file", type=Path, default=ROOT / "tests" / "data" / "bad" / "gbk_no_cpg.zip")
    ap.add_argument(
        "--expect-error", action="store_true", help="the file is bad: expect an error message"
    )
    ap.add_argument(
        "--timeout", type=float, default=300.0, help="seconds per step before it counts as an error"
    )
    args = ap.parse_args(argv)
    proc, url = start_server()
    try:
        t0 = time.perf_counter()
        results = asyncio.run(
            run(
                args.sessions, url, args.file.resolve(), args.expect_error, int(args.timeout * 1000)
            )
        )
        wall = time.perf_counter() - t0
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    errors = [e for r in results for e in r["errors"]]
    print(
        f"{args.sessions} sessions at once against one server, file {args.file.name}: {wall:.1f} s "
        "wall"
    )
    for step in ("open", "upload", "unit filter", "district filter"):
        ts = [r["times"][step] for r in results if step in r["times"]]
        if ts:
            print(
                f"  {step:16s} n={len(ts):2d}  median {statistics.median(ts):6.1f} s  slowest "
                f"{max(ts):6.1f} s"
            )
    slowest = max(
        ((t, s) for r in results for s, t in r["times"].items() if s != "open"), default=None
    )
    if slowest:
        print(f"slowest response (after the first load): {slowest[0]:.1f} s ({slowest[1]})")
    print(f"errors: {len(errors)}")
    for e in errors:
        print("  " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
