"""Benchmark: `landplan parcels` against a geopandas.overlay script and QGIS's Overlap analysis.

    python benchmarks/parcels_vs_overlay.py --n 200000 --seed 1
    python benchmarks/parcels_vs_overlay.py --n 1000000 --seed 1 --skip-overlay --skip-qgis --dask

Generates SYNTHETIC parcels (Voronoi cells over Shenzhen, labelled synthetic in every row and in
the layer name) into a GeoPackage, then runs every path end to end as a separate process (read
the file, compute, write the table), in one run: each path ``--repeat`` times (default 3),
alternating, since shared machines are noisy. It prints the median wall time of each path (and
every run's), peak memory (largest max RSS of its processes), speed-ups as ratios of medians, and
the largest relative difference of the areas between the paths:

- landplan parcels --by sz20_parks,districts (area by land-use code x status per park and district)
- the same with --engine dask (local cluster, threads) when --dask is given
- a geopandas.overlay script doing the same job (intersect, area, group by zone/code/status, CSV)
- the same with --engine dask --scheduler on a real cluster when --cluster N is given: a `dask
  scheduler`
  and N single-threaded `dask worker` programs started on 127.0.0.1 (stopped at the end)
- QGIS `native:calculatevectoroverlaps` on the same two layers, one run each (INPUT the parks, then
  the districts, in EPSG:4547; LAYERS the parcels: covered area per zone, no breakdown by code and
  status), timed together, in an environment without the virtualenv's variables (QGIS's embedded
  Python fails with them); and landplan parcels --by sz20_parks against QGIS on the parks alone.
  Skipped with a message when qgis_process is absent.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# benchmarks/ is the script's folder
from _timing import clean_env, compile_project, run  # noqa: E402

BASELINE = textwrap.dedent("""
    import sys, geopandas as gpd, pandas as pd
    parcels = gpd.read_file(sys.argv[1]).to_crs(4547)
    frames = []
    for layer, shp in (("sz20_parks", sys.argv[2]), ("districts", sys.argv[3])):
        zones = gpd.read_file(shp).to_crs(4547)[["fid", "geometry"]]
        pieces = gpd.overlay(parcels[["landuse", "status", "geometry"]], zones, how="intersection",
                             keep_geom_type=True)
        pieces["area"] = pieces.area
        g = pieces.groupby(["fid", "landuse", "status"], as_index=False)["area"].sum()
        g.insert(0, "zone_layer", layer)
        frames.append(g.rename(columns={"fid": "zone_id"}))
    pd.concat(frames).to_csv(sys.argv[4], index=False)
""")

GENERATE = textwrap.dedent("""
    import sys
    import geopandas as gpd
    from layers.synthetic import write_synthetic_parcels
    write_synthetic_parcels(sys.argv[3], int(sys.argv[1]), int(sys.argv[2]))
    parks = gpd.read_file(sys.argv[4]).to_crs(4547).rename(columns={"fid": "park_id"})
    parks.to_file(sys.argv[5], layer="sz20_parks", engine="pyogrio")
    districts = gpd.read_file(sys.argv[6]).to_crs(4547).rename(columns={"fid": "district_id"})
    districts.to_file(sys.argv[7], layer="districts", engine="pyogrio")
""")


def start_cluster(workers: int) -> tuple[str, list]:
    """A dask scheduler and ``workers`` single-threaded workers as separate programs on
    127.0.0.1."""
    import socket
    import time

    dask = str(Path(sys.executable).parent / "dask")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    quiet = {
        "stdout": subprocess.DEVNULL,
        "stderr": subprocess.DEVNULL,
        "start_new_session": True,
        "cwd": ROOT,
    }
    procs = [
        subprocess.Popen(
            [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            **quiet,
        )
    ]
    procs += [
        subprocess.Popen(
            [
                dask,
                "worker",
                address,
                "--host",
                "127.0.0.1",
                "--nworkers",
                "1",
                "--nthreads",
                "1",
                "--no-dashboard",
                "--name",
                f"w{i}",
            ],
            **quiet,
        )
        for i in range(workers)
    ]
    probe = (
        "import sys, distributed\nc = distributed.Client(sys.argv[1], timeout='60s')\n"
        "c.wait_for_workers(int(sys.argv[2]), timeout=120)\nc.close()"
    )
    for _ in range(60):  # the scheduler may not listen yet
        if (
            subprocess.run(
                [sys.executable, "-c", probe, address, str(workers)], capture_output=True
            ).returncode
            == 0
        ):
            return address, procs
        time.sleep(1)
    stop_cluster(procs)
    raise SystemExit("the dask cluster did not start")


def stop_cluster(procs) -> None:
    import signal

    for p in reversed(procs):
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
        p.wait(timeout=60)


def qgis_exe() -> str | None:
    exe = shutil.which("qgis_process")
    if (
        exe and Path(exe + ".bin").exists()
    ):  # Debian's wrapper passes --noversioncheck, which it rejects
        return exe + ".bin"
    return exe


def main() -> None:
    # The parent stays small (stdlib only until the runs are done): a child's peak RSS starts
    # from its parent's, so a big parent would inflate the figures.
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--dask", action="store_true", help="also run --engine dask (local cluster)")
    ap.add_argument(
        "--cluster",
        type=int,
        default=0,
        metavar="N",
        help="also run --engine dask on a real cluster: a scheduler and N workers as separate "
        "programs",
    )
    ap.add_argument("--skip-overlay", action="store_true")
    ap.add_argument("--skip-qgis", action="store_true")
    ap.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of each path, alternating (shared machines are noisy: medians are compared)",
    )
    args = ap.parse_args()
    shp = ROOT / "data" / "shapefiles"
    work = Path(args.workdir or tempfile.mkdtemp(prefix="landplan-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    gpkg = work / f"synthetic_parcels_{args.n}_{args.seed}.gpkg"
    parks, districts = work / "sz20_parks_4547.gpkg", work / "districts_4547.gpkg"
    if not gpkg.exists() or not parks.exists() or not districts.exists():
        t_gen, _ = run(
            [
                sys.executable,
                "-c",
                GENERATE,
                str(args.n),
                str(args.seed),
                str(gpkg),
                str(shp / "sz20_parks.shp"),
                str(parks),
                str(shp / "districts.shp"),
                str(districts),
            ]
        )
        print(f"generated {args.n} SYNTHETIC parcels in {t_gen:.1f} s -> {gpkg}")
    compile_project()
    exe = str(Path(sys.executable).parent / "landplan")
    ours, dask_csv, base = work / "landplan.csv", work / "landplan_dask.csv", work / "overlay.csv"
    ours_parks, qgis_out = work / "landplan_parks.csv", work / "qgis_overlaps.csv"
    qgis_districts_out, cluster_csv = (
        work / "qgis_overlaps_districts.csv",
        work / "landplan_cluster.csv",
    )
    both = [
        exe,
        "parcels",
        str(gpkg),
        "--by",
        "sz20_parks,districts",
        "--unit",
        "m2",
        "--format",
        "csv",
    ]
    paths = [("landplan parcels (parks+districts)", ours, both, None)]
    if args.dask:
        paths.append(
            ("landplan parcels --engine dask", dask_csv, both + ["--engine", "dask"], None)
        )
    cluster_procs = []
    if args.cluster:
        address, cluster_procs = start_cluster(args.cluster)
        paths.append(
            (
                f"landplan parcels, cluster of {args.cluster} workers",
                cluster_csv,
                both + ["--engine", "dask", "--scheduler", address],
                None,
            )
        )
    if not args.skip_overlay:
        paths.append(
            (
                "geopandas.overlay script",
                None,
                [
                    sys.executable,
                    "-c",
                    BASELINE,
                    str(gpkg),
                    str(shp / "sz20_parks.shp"),
                    str(shp / "districts.shp"),
                    str(base),
                ],
                None,
            )
        )
    qgis = qgis_exe()
    if args.skip_qgis:
        print("QGIS: skipped (--skip-qgis)")
    elif qgis is None:
        print("QGIS: skipped - qgis_process not found (Debian: apt-get install qgis)")
    else:
        paths.append(
            (
                "landplan parcels (parks only)",
                ours_parks,
                [
                    exe,
                    "parcels",
                    str(gpkg),
                    "--by",
                    "sz20_parks",
                    "--unit",
                    "m2",
                    "--format",
                    "csv",
                ],
                None,
            )
        )
        paths.append(
            (
                "QGIS calculatevectoroverlaps (parks)",
                None,
                [
                    qgis,
                    "run",
                    "native:calculatevectoroverlaps",
                    "--",
                    f"INPUT={parks}",
                    f"LAYERS={gpkg}|layername=synthetic_parcels",
                    f"OUTPUT={qgis_out}",
                ],
                clean_env(),
            )
        )
        paths.append(
            (
                "QGIS calculatevectoroverlaps (districts)",
                None,
                [
                    qgis,
                    "run",
                    "native:calculatevectoroverlaps",
                    "--",
                    f"INPUT={districts}",
                    f"LAYERS={gpkg}|layername=synthetic_parcels",
                    f"OUTPUT={qgis_districts_out}",
                ],
                clean_env(),
            )
        )
    # every path once per round, rounds repeated: shared machines are noisy, so medians are compared
    runs = {name: [] for name, *_ in paths}
    try:
        for _ in range(max(1, args.repeat)):
            for name, csv, cmd, env in paths:
                if name.startswith("QGIS"):  # it refuses to overwrite its output
                    (qgis_districts_out if "districts" in name else qgis_out).unlink(
                        missing_ok=True
                    )
                if csv is not None:
                    with open(csv, "w") as fh:
                        runs[name].append(run(cmd, stdout=fh, env=env))
                else:
                    runs[name].append(run(cmd, stdout=subprocess.DEVNULL, env=env))
    finally:
        stop_cluster(cluster_procs)
    import statistics

    if (
        "QGIS calculatevectoroverlaps (districts)" in runs
    ):  # QGIS on the same two layers: one run per layer
        pairs = zip(
            runs["QGIS calculatevectoroverlaps (parks)"],
            runs["QGIS calculatevectoroverlaps (districts)"],
        )
        runs["QGIS, parks + districts"] = [(a[0] + b[0], max(a[1], b[1])) for a, b in pairs]
    figures = {
        name: (statistics.median(r[0] for r in rs), max(r[1] for r in rs))
        for name, rs in runs.items()
    }

    import pandas as pd

    print(
        f"\nparcels: {args.n} SYNTHETIC (not real data); zones: sz20_parks (20 records, outlines "
        "indicative) "
        "and districts"
    )
    print(
        f"wall time: median of {max(1, args.repeat)} alternating run(s) per path; peak: largest "
        "max RSS"
    )
    for name, (wall, rss) in figures.items():
        print(
            f"{name:40s}: {wall:8.2f} s  peak {rss:7.0f} MB  (runs: "
            f"{', '.join(f'{r[0]:.2f}' for r in runs[name])})"
        )
    key = ["zone_layer", "zone_id", "landuse", "status"]
    o = pd.read_csv(ours, dtype={"zone_id": str})
    classes = o[o["landuse"] != "(all)"].set_index(key)["area"]

    def rel_diff(a, b):
        a, b = a.align(b, join="outer", fill_value=0.0)
        return float(((a - b).abs() / b.abs().where(b.abs() > 0, 1.0)).max())

    full = "landplan parcels (parks+districts)"
    if "geopandas.overlay script" in figures:
        b = pd.read_csv(base, dtype={"zone_id": str}).set_index(key)["area"]
        print(
            "speed-up vs geopandas.overlay (medians) : "
            f"{figures['geopandas.overlay script'][0] / figures[full][0]:8.2f} x"
        )
        print(
            f"max relative area difference (landplan vs overlay, {len(classes)} zone x code x "
            "status rows): "
            f"{rel_diff(classes, b):.2e}"
        )
    if args.dask:
        d = pd.read_csv(dask_csv, dtype={"zone_id": str}).set_index(key)["area"]
        print(
            "max relative area difference (dask vs single process): "
            f"{rel_diff(d, o.set_index(key)['area']):.2e}"
        )
    if args.cluster:
        name = f"landplan parcels, cluster of {args.cluster} workers"
        d = pd.read_csv(cluster_csv, dtype={"zone_id": str}).set_index(key)["area"]
        print(
            f"cluster / single process (medians)      : {figures[name][0] / figures[full][0]:8.2f} "
            "x"
        )
        print(
            "max relative area difference (cluster vs single process): "
            f"{rel_diff(d, o.set_index(key)['area']):.2e}"
        )
    if "QGIS, parks + districts" in figures:
        print(
            f"speed-up vs QGIS, parks + districts     : "
            f"{figures['QGIS, parks + districts'][0] / figures[full][0]:8.2f} x"
        )
        q = pd.read_csv(qgis_districts_out)
        area_col = next(c for c in q.columns if c.endswith("_area"))
        qa = q.set_index(q["district_id"].astype(str))[area_col]
        da = (
            o[(o["zone_layer"] == "districts") & (o["landuse"] == "(all)")]
            .groupby("zone_id")["area"]
            .sum()
        )
        print(
            f"max relative area difference (landplan vs QGIS, covered area per district): "
            f"{rel_diff(da, qa[qa.index.isin(da.index) | (qa > 0)]):.2e}"
        )
    if "QGIS calculatevectoroverlaps (parks)" in figures:
        q = pd.read_csv(qgis_out)
        area_col = next(c for c in q.columns if c.endswith("_area"))
        qa = q.set_index(q["park_id"].astype(str))[area_col]
        p = pd.read_csv(ours_parks, dtype={"zone_id": str})
        pa = p[p["landuse"] == "(all)"].set_index("zone_id")["area"]
        qa = qa[qa.index.isin(pa.index) | (qa > 0)]
        print(
            f"speed-up vs QGIS, parks only (medians)  : "
            f"{figures['QGIS calculatevectoroverlaps (parks)'][0] / figures['landplan parcels (parks only)'][0]:8.2f} x"  # noqa: E501
        )
        print(
            "max relative area difference (landplan vs QGIS, covered area per park): "
            f"{rel_diff(pa, qa):.2e}"
        )


if __name__ == "__main__":
    main()
