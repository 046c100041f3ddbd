"""Benchmark: `landplan parcels P.gpkg --by sz20_parks,districts` against DuckDB spatial's SQL for
the same accounting, at city scale.

    python benchmarks/accounting_vs_duckdb.py --n 1000000 --repeat 3
    python benchmarks/accounting_vs_duckdb.py --n 200000,1000000,2000000 --repeat 1

Generates SYNTHETIC parcels (Voronoi cells over Shenzhen, labelled synthetic in every row) stored
in EPSG:4326, as coverage_vs_overlay.py makes them, and runs end to end as separate processes,
alternating, ``--repeat`` times:

- landplan: `landplan parcels P.gpkg --by sz20_parks,districts --unit m2 --format csv` (area by
  land-use code and supply status in each park and district, overlapping parcels counted once);
- DuckDB spatial: ``ST_Read`` of the parcels and of both zone layers (in EPSG:4547), an
  ``ST_Intersects`` join, ``SUM(ST_Area(ST_Intersection))`` grouped by zone, code and status
  (the `bench` extra: duckdb and its spatial extension's binary, loaded from its file).

Prints the median wall time, CPU time (user + system, every thread) and peak memory (max RSS) of
each, the ratios DuckDB / landplan within the run (above 1: landplan is faster), the load average
seen, the largest relative difference of the areas per (zone, code,
status) and, with several sizes, how each one's time grows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# benchmarks/ is the script's folder
from _timing import compile_project, run, run_usage  # noqa: E402
from coverage_vs_overlay import GENERATE, has_duckdb  # noqa: E402

ZONES = textwrap.dedent("""
    import sys
    from layers.parcel_totals import zone_layer
    for spec, out in zip(("sz20_parks", "districts"), sys.argv[1:3]):
        z = zone_layer(spec)[["_zid", "geometry"]].rename(columns={"_zid": "zone_id"})
        z.to_crs(4547).to_file(out, engine="pyogrio")
""")

DUCKDB = textwrap.dedent('''
    import pathlib, sys
    import duckdb, duckdb_extension_spatial
    parcels, parks, districts, out = sys.argv[1:5]
    ext = next(pathlib.Path(duckdb_extension_spatial.__file__).parent.rglob("spatial.duckdb_extension"))
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    con.execute(f"LOAD '{ext}'")
    con.execute("SET enable_progress_bar = false")
    con.execute(f"""
        COPY (
          WITH p AS (SELECT landuse, status,
                            ST_Transform(geom, 'EPSG:4326', 'EPSG:4547', always_xy := true) AS g
                     FROM ST_Read('{parcels}')),
               z AS (SELECT 'sz20_parks' AS zone_layer, zone_id, geom AS g FROM ST_Read('{parks}')
                     UNION ALL
                     SELECT 'districts', zone_id, geom FROM ST_Read('{districts}'))
          SELECT z.zone_layer, z.zone_id, p.landuse, p.status,
                 SUM(ST_Area(ST_Intersection(p.g, z.g))) AS area
          FROM p JOIN z ON ST_Intersects(p.g, z.g) GROUP BY ALL
        ) TO '{out}' (HEADER, DELIMITER ',')""")
''')  # noqa: E501

COMPARE = textwrap.dedent("""
    import sys
    import pandas as pd
    key = ["zone_layer", "zone_id", "landuse", "status"]
    ours = pd.read_csv(sys.argv[1], dtype={"zone_id": str, "status": str, "landuse": str})
    ours = ours[ours["landuse"] != "(all)"].set_index(key)["area"]
    theirs = pd.read_csv(sys.argv[2], dtype={"zone_id": str, "status": str, "landuse": str})
    theirs = theirs.fillna({"landuse": "(空/blank)", "status": "(空/blank)"}).set_index(key)["area"]
    a, b = ours.align(theirs, join="outer", fill_value=0.0)
    rel = ((a - b).abs() / b.abs().where(b.abs() > 0, 1.0)).max()
    print(f"{len(ours)} rows / {len(theirs)} rows, largest relative difference {rel:.1e}")
""")


def main() -> None:
    # the parent stays small (stdlib only): a child's peak RSS starts from its parent's
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", default="1000000", help="parcel counts, comma-separated")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each, alternating")
    ap.add_argument("--skip-duckdb", action="store_true")
    args = ap.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="landplan-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    parks, districts = work / "sz20_parks_zones_4547.gpkg", work / "districts_zones_4547.gpkg"
    if not (parks.exists() and districts.exists()):
        run([sys.executable, "-c", ZONES, str(parks), str(districts)])
    duck = not args.skip_duckdb and has_duckdb()
    if not duck:
        print("DuckDB spatial: skipped (--skip-duckdb, or pip install -e .[bench])")
    compile_project()
    exe = str(Path(sys.executable).parent / "landplan")
    growth = {}
    sizes = [int(x) for x in args.n.replace("_", "").split(",") if x.strip()]
    for n in sizes:
        stem = f"synthetic_parcels_{n}_{args.seed}_uniform_tiling"
        p4547, p4326 = work / f"{stem}_4547.gpkg", work / f"{stem}_4326.gpkg"
        if not p4326.exists():
            t, _ = run(
                [sys.executable, "-c", GENERATE, str(n), str(args.seed), "0", "no"]
                + [str(p4547), str(p4326)]
            )
            print(f"generated {n} SYNTHETIC parcels in {t:.1f} s")
        ours, theirs = work / "landplan_accounting.csv", work / "duckdb_accounting.csv"
        cmds = {
            "landplan": [exe, "parcels", str(p4326), "--by", "sz20_parks,districts"]
            + ["--unit", "m2", "--format", "csv"],
            "duckdb": [sys.executable, "-c", DUCKDB, str(p4326), str(parks), str(districts)]
            + [str(theirs)],
        }
        runs = {c: [] for c in cmds if c == "landplan" or duck}
        loads = []
        for _ in range(max(1, args.repeat)):
            for c in runs:
                loads.append(os.getloadavg()[0])
                with open(ours if c == "landplan" else os.devnull, "w") as fh:
                    runs[c].append(run_usage(cmds[c], stdout=fh))
        print(
            f"\n{n:,} SYNTHETIC parcels in EPSG:4326, by sz20_parks and districts; load average "
            f"seen {min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} cores"
        )
        t0 = statistics.median(r[0] for r in runs["landplan"])
        c0 = statistics.median(r[2] for r in runs["landplan"])
        for c, rs in runs.items():
            t = statistics.median(r[0] for r in rs)
            cpu = statistics.median(r[2] for r in rs)
            peak = max(r[1] for r in rs)
            growth.setdefault(c, {})[n] = t
            print(
                f"  {c:9s}: median {t:8.2f} s  ratio {t / t0:6.2f}  CPU {cpu:8.2f} s  ratio "
                f"{cpu / c0:6.2f}  peak {peak:6.0f} MB  (runs: "
                f"{', '.join(f'{r[0]:.2f}' for r in rs)})"
            )
        if duck:
            import subprocess

            out = subprocess.run(
                [sys.executable, "-c", COMPARE, str(ours), str(theirs)],
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            print("  areas, landplan against DuckDB:", out.stdout.strip())
    if len(sizes) > 1:
        print(f"\ngrowth (median seconds; x = time / time at {sizes[0]:,} parcels):")
        for c, by_n in growth.items():
            t0 = by_n[sizes[0]]
            print(
                f"  {c:9s}: "
                + "; ".join(f"{n:,}: {t:.2f} s ({t / t0:.1f}x)" for n, t in sorted(by_n.items()))
            )


if __name__ == "__main__":
    main()
