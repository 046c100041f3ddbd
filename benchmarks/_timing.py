"""Timing one child process (wall time, peak memory), shared by the end-to-end benchmarks. Stdlib
only:
a child's peak RSS starts from its parent's, so the parent must stay small."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# In the page: the map's frame (the browsing map is a plain page, stIFrame; the drawing map is
# streamlit-folium's) and the tables (small ones plain HTML, larger ones grids).
MAP_FRAME = "iframe[data-testid=stIFrame], iframe[title='streamlit_folium.st_folium']"
TABLE = "[data-testid=stHtml] table, [data-testid=stDataFrame]"
# A rerun may keep the frame and replace its page: mark the page shown, then wait for an unmarked
# one.
MARK_MAP_PAGE = "b => b.dataset.old = '1'"
NEW_MAP_PATH = "body:not([data-old]) .leaflet-overlay-pane path"


def run(cmd: list[str], stdout=None, env=None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process, run from the repository root."""
    wall, peak, _ = run_usage(cmd, stdout, env)
    return wall, peak


def run_usage(cmd: list[str], stdout=None, env=None) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB) and CPU seconds (user + system, every thread) of one child
    process, run from the repository root. On a machine shared with other work the CPU seconds
    vary less than the wall time."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[0]} failed: {err[-2000:]}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def compile_project() -> None:
    """Byte-compile the project once, as installing a package does: with an editable install and
    PYTHONDONTWRITEBYTECODE set (as on these machines) every run would compile it again (~45 ms)."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "geo", "layers", "landplan"],
        cwd=ROOT,
        check=True,
    )


def clean_env() -> dict:
    """The environment without the virtualenv's and Python's variables (QGIS's embedded Python fails
    with them)."""
    venv = os.environ.get("VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV" and not k.startswith("PYTHON")}
    if venv:
        env["PATH"] = os.pathsep.join(
            p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(venv)
        )
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env
