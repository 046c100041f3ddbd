"""Benchmark: a coverage raster of the whole city (all districts incl. 深汕) at 10 m, end to end.

    python benchmarks/raster_coverage.py --cell 10

Runs `landplan raster coverage --out cov.tif --cell 10` (the 20 parks, Longgang's parks and
Pingshan's zones counted per cell, plus the uncovered companion) as a separate process and prints
wall time, peak memory, the grid size and the files written, in one run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cell", type=float, default=10.0)
    ap.add_argument("--layers", default="sz20_parks,longgang_parks,pingshan_zones")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="landplan-raster-"))
    out = work / "cov.tif"
    cmd = [
        str(Path(sys.executable).parent / "landplan"),
        "raster",
        "coverage",
        "--out",
        str(out),
        "--cell",
        str(args.cell),
        "--layers",
        args.layers,
        "--format",
        "csv",
    ]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(proc.stderr.read().decode())
    import rasterio

    with rasterio.open(out) as src:
        shape, crs, res = (src.height, src.width), src.crs, src.res
    print(
        f"landplan raster coverage --cell {args.cell:g}: {wall:.2f} s  peak "
        f"{usage.ru_maxrss / 1024:.0f} MB"
    )
    print(f"grid {shape[0]} x {shape[1]} = {shape[0] * shape[1]:,} cells of {res[0]:g} m, {crs}")
    for f in sorted(work.glob("*.tif")):
        print(f"  {f.name}: {f.stat().st_size / 1e6:.1f} MB")
    print(proc.stdout.read().decode())


if __name__ == "__main__":
    main()
