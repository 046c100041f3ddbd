"""Benchmark: the commands that need no geometry (`--help`, `layers`, `clusters`, `targets`).

    python benchmarks/command_speed.py --runs 7

Runs each command once to fill the cache (the parsed catalog, the kept targets answer), then
``--runs`` times as a user runs it, and prints the median wall time and the median CPU time (user +
system) of each, with the load average seen: on a shared machine the CPU time is the steadier
figure. ``--cold`` runs with LANDPLAN_CACHE=off instead (every run parses the catalog and measures
the outlines). Goal: under 0.3 s each.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMANDS = (["--help"], ["layers"], ["clusters"], ["targets"], ["targets", "--format", "json"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument(
        "--cold", action="store_true", help="LANDPLAN_CACHE=off: nothing kept between runs"
    )
    args = ap.parse_args()
    exe = str(Path(sys.executable).parent / "landplan")
    env = {**os.environ, "LANDPLAN_CACHE": "off"} if args.cold else None
    print(f"load average before: {' '.join(open('/proc/loadavg').read().split()[:3])}")
    for argv in COMMANDS:
        subprocess.run([exe, *argv], capture_output=True, check=True, env=env)
        walls, cpus = [], []
        for _ in range(args.runs):
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run([exe, *argv], capture_output=True, check=True, env=env)
            walls.append(time.perf_counter() - t0)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
        print(
            f"landplan {' '.join(argv):24s} wall median {statistics.median(walls):.3f} s "
            f"(min {min(walls):.3f}, max {max(walls):.3f}); CPU median "
            f"{statistics.median(cpus):.3f} s"
        )
    print(f"load average after: {' '.join(open('/proc/loadavg').read().split()[:3])}")


if __name__ == "__main__":
    main()
