"""Benchmark: `landplan scenario save`, `list` and `diff` on each plan store (GeoPackage, PostGIS).

    python benchmarks/store_speed.py --n 200000 --seed 1 --repeat 3

Each command runs as a separate process, as a user types it, ``--repeat`` times (median printed, and
every run): with the city catalog alone (a scenario of the catalog baseline with one proposed park)
and with a scenario holding N SYNTHETIC parcels (layers/synthetic.py, the benchmarks' generator; not
real data). The PostGIS store is a private server started from Debian's postgresql/postgis
(tests/pg_server.py) on a free loopback port and stopped afterwards; without it only the GeoPackage
is measured.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _timing import compile_project, run  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--stores", default="gpkg,postgis")
    args = ap.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="landplan-store-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    parcels = work / f"synthetic_parcels_{args.n}_{args.seed}.gpkg"
    if not parcels.exists():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "make_synthetic_parcels.py"),
                "--n",
                str(args.n),
                "--seed",
                str(args.seed),
                "--out",
                str(parcels),
            ],
            check=True,
        )
    proposed = work / "proposed.geojson"
    proposed.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name_zh":"拟建"},'
        '"geometry":{"type":"Polygon","coordinates":[[[114.33,22.66],[114.38,22.66],[114.38,22.70],'
        "[114.33,22.70],[114.33,22.66]]]}}]}",
        encoding="utf-8",
    )
    compile_project()
    exe = str(Path(sys.executable).parent / "landplan")
    server = None
    stores = {}
    if "gpkg" in args.stores:
        stores["GeoPackage"] = str(work / "plans.gpkg")
    if "postgis" in args.stores:
        from tests.pg_server import PgServer, has_postgis, pg_bin

        bindir = pg_bin()
        if bindir and has_postgis(bindir):
            server = PgServer(bindir).start()
            stores["PostGIS"] = server.create_db("plans")
        else:
            print("PostGIS: skipped (Debian's postgresql and postgis not installed)")
    try:
        for label, store in stores.items():
            st = ["--store", store]
            run(
                [exe, "scenario", "save", "baseline", *st], stdout=subprocess.DEVNULL
            )  # A of the diffs
            cases = [
                (
                    "save (city catalog + 1 proposed park)",
                    [exe, "scenario", "save", "city", "--proposed", str(proposed), *st],
                ),
                ("list", [exe, "scenario", "list", *st]),
                (
                    "diff baseline city",
                    [exe, "scenario", "diff", "baseline", "city", "--format", "json", *st],
                ),
                (
                    f"save (+{args.n:,} parcels)",
                    [
                        exe,
                        "scenario",
                        "save",
                        "parcels",
                        "--proposed",
                        str(proposed),
                        "--parcels",
                        str(parcels),
                        *st,
                    ],
                ),
                (f"list (store with {args.n:,}-parcel versions)", [exe, "scenario", "list", *st]),
                (
                    f"diff baseline parcels ({args.n:,} parcels)",
                    [exe, "scenario", "diff", "baseline", "parcels", "--format", "json", *st],
                ),
            ]
            for what, cmd in cases:
                times = []
                for _ in range(args.repeat):
                    t, rss = run(cmd, stdout=subprocess.DEVNULL)
                    times.append((t, rss))
                med = statistics.median(t for t, _ in times)
                print(
                    f"{label:10s} {what:48s} median {med:6.2f} s  runs "
                    f"{', '.join(f'{t:.2f}' for t, _ in times)}"
                    f"  peak {max(r for _, r in times):.0f} MB",
                    flush=True,
                )
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
