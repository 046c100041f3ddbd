"""Benchmark: `landplan blocks` against a geopandas script (buffer by half the gap, dissolve,
explode) and PostGIS ``ST_ClusterDBSCAN(geom, eps := gap, minpoints := 1)``, at city scale.

    python benchmarks/blocks_vs_postgis.py --n 1000000 --repeat 3
    python benchmarks/blocks_vs_postgis.py --n 200000,1000000,2000000 --repeat 1

Generates SYNTHETIC parcels (Voronoi cells over Shenzhen, labelled synthetic in every row) stored in
EPSG:4326, as coverage_vs_overlay.py makes them, and finds the blocks of the M1/M0 parcels at a
20 m gap (``--gap``) three ways, end to end as separate processes, alternating:

- landplan: `landplan blocks P.gpkg --unit m2 --format csv` (blocks with their outlines closed at
  half the gap, enclosed land, share, compactness, the parks and districts each lies in);
- a geopandas script: the parcels that count, in EPSG:4547, buffered by half the gap, dissolved,
  exploded into blocks; each parcel placed in the block holding its interior point; per block the
  parcels and their area;
- PostGIS on a private server the benchmark starts (initdb into a temporary folder, trust
  authentication, loopback; as tests/pg_server.py does; stopped at the end): the parcels loaded
  once with ``ogr2ogr`` into EPSG:4547 (timed apart), then per run ``ST_ClusterDBSCAN(geom, eps :=
  gap, minpoints := 1)`` over the parcels that count, and per cluster its parcels, the area of
  their union and the union itself (the block's outline); with ``--skip ''`` also
  ``postgis_closed``, the same with the union closed at half the gap as landplan closes it
  (``ST_Buffer`` out by gap/2 and back by 0.96 × gap/2, 6 segments per quarter circle), the
  same work as landplan's outline. Skipped with a message when Debian's postgresql/postgis are
  absent.

Prints the median wall time and CPU time (user + system of every thread; for PostGIS the server
process's, read from /proc, with the client's) and the peak memory (max RSS of the client
process; the PostgreSQL server's own memory is not in it), each contender's ratio to landplan
within the run (above 1: landplan is faster), the load average seen, whether the blocks are the
same (the multiset of (parcels, area) per block) and, with several sizes, how each one's time
grows. On a machine shared with other work the CPU seconds vary less than the wall times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# benchmarks/ is the script's folder
from _timing import compile_project, run, run_usage  # noqa: E402
from coverage_vs_overlay import GENERATE  # noqa: E402

GEOPANDAS = textwrap.dedent("""
    import sys
    import geopandas as gpd, pandas as pd
    path, gap, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    p = gpd.read_file(path, columns=["landuse"])
    p = p[p["landuse"].str.split("+").str[0].isin(["M1", "M0"])].to_crs(4547)
    blocks = gpd.GeoDataFrame(geometry=[p.buffer(gap / 2).union_all()], crs=p.crs)
    blocks = blocks.explode(ignore_index=True)
    points = gpd.GeoDataFrame({"area": p.area.to_numpy()}, geometry=p.representative_point().values,
                              crs=p.crs)
    joined = gpd.sjoin(points, blocks, predicate="within")
    per = joined.groupby("index_right").agg(parcels=("area", "size"), area=("area", "sum"))
    per.to_csv(out, index=False)
""")

POSTGIS = textwrap.dedent('''
    import os, sys
    import psycopg
    url, gap, out, cpu_out, closed = sys.argv[1], float(sys.argv[2]), *sys.argv[3:6]
    def cpu(pid):  # the server process's user + system seconds (this machine's /proc)
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    # the outline: the union, or (closed) the union closed at half the gap as landplan closes it
    outline = "u" if closed == "no" else (
        f"ST_Buffer(ST_Buffer(u, {gap / 2!r}, 'quad_segs=6'), {-0.96 * gap / 2!r}, 'quad_segs=6')")
    sql = f"""
        COPY (
          WITH c AS (
            SELECT ST_ClusterDBSCAN(geom, eps := {gap!r}, minpoints := 1) OVER () AS cid, geom
            FROM parcels WHERE split_part(landuse, '+', 1) IN ('M1', 'M0')),
          b AS (SELECT count(*) AS parcels, ST_Union(geom) AS u FROM c GROUP BY cid)
          SELECT parcels, ST_Area(u) AS area, ST_NPoints(o) AS outline_points
          FROM (SELECT parcels, u, {outline} AS o FROM b) AS s
        ) TO STDOUT WITH (FORMAT csv, HEADER)"""
    with psycopg.connect(url) as con, open(out, "wb") as fh:
        # one server process does all the work (the clustering is a window over every row)
        con.execute("SET max_parallel_workers_per_gather = 0")
        pid = con.execute("SELECT pg_backend_pid()").fetchone()[0]
        before = cpu(pid)
        with con.cursor().copy(sql) as copy:
            for data in copy:
                fh.write(data)
        open(cpu_out, "w").write(str(cpu(pid) - before))
''')

#: the PostGIS runs: its outline the union, or the union closed at half the gap as landplan's
POSTGIS_RUNS = ("postgis", "postgis_closed")

SAME = textwrap.dedent("""
    import sys
    import numpy as np, pandas as pd
    ours = pd.read_csv(sys.argv[1])
    mine = sorted(zip(ours["parcel_count"].astype(int), ours["area"].astype(float)))
    theirs = pd.read_csv(sys.argv[2])
    other = sorted(zip(theirs["parcels"].astype(int), theirs["area"].astype(float)))
    a, b = np.array(mine), np.array(other)
    same = len(a) == len(b) and (a[:, 0] == b[:, 0]).all()
    if same:
        worst = np.max(np.abs(a[:, 1] - b[:, 1]) / b[:, 1]) if len(a) else 0.0
        print(f"{len(a)} blocks / {len(b)}; parcels per block the same; largest relative area "
              f"difference {worst:.1e}")
    else:  # which blocks differ: those whose parcel count is not the other's
        ca, cb = pd.Series(a[:, 0]).value_counts(), pd.Series(b[:, 0]).value_counts()
        d = ca.sub(cb, fill_value=0)
        top_a, top_b = sorted(a[:, 0].astype(int).tolist()), sorted(b[:, 0].astype(int).tolist())
        print(f"{len(a)} blocks / {len(b)}; NOT the same: {int(d.abs().sum())} blocks differ "
              f"(parcels {int(a[:, 0].sum())} / {int(b[:, 0].sum())}); largest blocks "
              f"{top_a[-3:]} / {top_b[-3:]}")
""")


def _first_part(path: Path, out: Path) -> None:
    """The blocks part of `landplan blocks --format csv` (its first part)."""
    lines = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    out.write_text(lines, encoding="utf-8")


def main() -> None:
    # the parent stays small (stdlib only): a child's peak RSS starts from its parent's
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", default="1000000", help="parcel counts, comma-separated")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--gap", type=float, default=20.0)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each, alternating")
    ap.add_argument(
        "--skip",
        default="postgis_closed",
        help="contenders to leave out: geopandas, postgis, postgis_closed (default: "
        "postgis_closed; --skip '' runs every one)",
    )
    args = ap.parse_args()
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    work = Path(args.workdir or tempfile.mkdtemp(prefix="landplan-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    compile_project()
    exe = str(Path(sys.executable).parent / "landplan")
    server = None
    if not set(POSTGIS_RUNS) <= skip:
        from tests.pg_server import PgServer, has_postgis, pg_bin

        bindir = pg_bin()
        if bindir is None or not has_postgis(bindir) or not _which("ogr2ogr"):
            print("PostGIS: skipped - Debian's postgresql, postgis and gdal-bin are needed")
            skip.update(POSTGIS_RUNS)
        else:
            server = PgServer(bindir).start()
    growth = {}
    sizes = [int(x) for x in args.n.replace("_", "").split(",") if x.strip()]
    try:
        for n in sizes:
            stem = f"synthetic_parcels_{n}_{args.seed}_uniform_tiling"
            p4547, p4326 = work / f"{stem}_4547.gpkg", work / f"{stem}_4326.gpkg"
            if not p4326.exists():
                t, _ = run(
                    [sys.executable, "-c", GENERATE, str(n), str(args.seed), "0", "no"]
                    + [str(p4547), str(p4326)]
                )
                print(f"generated {n} SYNTHETIC parcels in {t:.1f} s")
            outs = {c: work / f"{c}_blocks.csv" for c in ("landplan", "geopandas", *POSTGIS_RUNS)}
            cmds = {
                "landplan": [exe, "blocks", str(p4326), "--gap", str(args.gap), "--unit", "m2"]
                + ["--format", "csv"],
                "geopandas": [sys.executable, "-c", GEOPANDAS, str(p4326), str(args.gap)]
                + [str(outs["geopandas"])],
            }
            if server is not None:
                db = f"blocks_{n}"
                url = server.create_db(db)
                t0 = time.perf_counter()
                subprocess.run(
                    ["ogr2ogr", "-f", "PostgreSQL", f"PG:host=127.0.0.1 port={server.port} "
                     f"user=postgres dbname={db}", str(p4326), "-nln", "parcels", "-t_srs",
                     "EPSG:4547", "-lco", "GEOMETRY_NAME=geom", "-gt", "65536"],
                    check=True, capture_output=True,
                )  # fmt: skip
                load = time.perf_counter() - t0
                print(
                    f"PostGIS: {n:,} parcels loaded with ogr2ogr in {load:.1f} s (not timed below)"
                )
                for c, closed in (("postgis", "no"), ("postgis_closed", "yes")):
                    cmds[c] = [sys.executable, "-c", POSTGIS, url, str(args.gap)]
                    cmds[c] += [str(outs[c]), str(work / "postgis_cpu.txt"), closed]
            runs = {c: [] for c in cmds if c not in skip}
            loads = []
            for _ in range(max(1, args.repeat)):
                for c in runs:
                    loads.append(os.getloadavg()[0])
                    if c == "landplan":
                        with open(outs[c], "w") as fh:
                            wall, peak, cpu = run_usage(cmds[c], stdout=fh)
                    else:
                        wall, peak, cpu = run_usage(cmds[c], stdout=subprocess.DEVNULL)
                    if c in POSTGIS_RUNS:  # the work is the server's, not the client's
                        cpu += float((work / "postgis_cpu.txt").read_text())
                    runs[c].append((wall, peak, cpu))
            print(
                f"\n{n:,} SYNTHETIC parcels in EPSG:4326, blocks of M1/M0 at a {args.gap:g} m gap; "
                f"load average seen {min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} cores"
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
            blocks_csv = work / "landplan_blocks_only.csv"
            _first_part(outs["landplan"], blocks_csv)
            for c in runs:
                if c != "landplan":
                    got = subprocess.run(
                        [sys.executable, "-c", SAME, str(blocks_csv), str(outs[c])],
                        capture_output=True, text=True, cwd=ROOT,
                    )  # fmt: skip
                    print(f"  same blocks as landplan, {c}: {got.stdout.strip() or got.stderr}")
    finally:
        if server is not None:
            server.stop()
    if len(sizes) > 1:
        print(f"\ngrowth (median seconds; x = time / time at {sizes[0]:,} parcels):")
        for c, by_n in growth.items():
            t0 = by_n[sizes[0]]
            print(
                f"  {c:9s}: "
                + "; ".join(f"{n:,}: {t:.2f} s ({t / t0:.1f}x)" for n, t in sorted(by_n.items()))
            )


def _which(name: str) -> bool:
    import shutil

    return shutil.which(name) is not None


if __name__ == "__main__":
    main()
