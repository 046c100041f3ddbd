"""Benchmark: how long the city meeting reports take (goal: workbook + atlas under 30 s).

    python benchmarks/report_speed.py [--unit km2] [--scope city]

Runs `landplan report --out FILE.xlsx` and `landplan report --out FILE.pdf` end to end as a
user does (separate processes, so the import and the catalog loading are counted), in one run,
and prints each wall time, their sum, the ratio to the 30 s goal, the page count of the atlas
and the file sizes. The files go to a temporary folder and are deleted.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from geo.units import OFFERED_UNITS

ROOT = Path(__file__).resolve().parents[1]
GOAL_S = 30.0


def landplan_exe() -> str:
    beside = Path(sys.executable).parent / "landplan"
    return str(beside) if beside.exists() else (shutil.which("landplan") or "landplan")


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    if proc.returncode:
        sys.exit(f"{' '.join(cmd)} failed: {proc.stderr}")
    return wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scope", default="city")
    ap.add_argument("--unit", default="km2", choices=OFFERED_UNITS)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="landplan-bench-") as tmp:
        walls = {}
        for suffix in ("xlsx", "pdf"):
            out = Path(tmp) / f"report_{args.scope}.{suffix}"
            walls[suffix] = timed(
                [
                    landplan_exe(),
                    "report",
                    "--scope",
                    args.scope,
                    "--unit",
                    args.unit,
                    "--out",
                    str(out),
                ]
            )
            size = out.stat().st_size / 1024
            extra = ""
            if suffix == "pdf" and shutil.which("pdfinfo"):
                info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
                pages = next(
                    (line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")),
                    "?",
                )
                extra = f", {pages} pages"
            print(f"{args.scope} {suffix}: {walls[suffix]:.1f} s ({size:.0f} KiB{extra})")
    total = sum(walls.values())
    print(
        f"workbook + atlas: {total:.1f} s = {total / GOAL_S:.2f} x the {GOAL_S:.0f} s goal "
        f"({'met' if total < GOAL_S else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
