"""Benchmark: `landplan coverage` against DuckDB spatial, geopandas.overlay and QGIS.

    python benchmarks/coverage_vs_overlay.py --n 200000 --seed 1
    python benchmarks/coverage_vs_overlay.py --n 1000000 --crs 4326 --layouts uniform --overlaps no
    --repeat 1 python benchmarks/coverage_vs_overlay.py --n 200000,1000000,2000000 --layouts uniform
    --overlaps no

Generates SYNTHETIC parcels (Voronoi cells over Shenzhen, labelled synthetic in every row) for each
dataset asked for: stored in EPSG:4326 (as parcels arrive from web maps) and/or EPSG:4547, uniform
or clustered (dense built-up areas, sparse land between), without or with overlapping parcels (2 %
of the parcels again, grown by 10 m). Then it runs, end to end as separate processes, alternating,
each computing the covered area (m², planimetric EPSG:4547, overlapping parcels counted once) of
every park of sz20_parks:

- landplan: `landplan coverage PARCELS --by sz20_parks --unit m2 --format json`;
- DuckDB spatial: SQL over ST_Read, an ST_Intersects join, the sum of ST_Area(ST_Intersection) in
  EPSG:4547 (the union of the clipped pieces when parcels overlap); needs the `bench` extra
  (`pip install -e .[bench]`: duckdb and the spatial extension's binary from PyPI, loaded from its
  file, nothing downloaded at run time); skipped with a message when absent;
- a plain geopandas.overlay script (pieces dissolved per park when parcels overlap);
- QGIS Overlap analysis (`qgis_process run native:calculatevectoroverlaps`, INPUT the parks in
  EPSG:4547, LAYERS the parcels), in an environment without the virtualenv's variables (QGIS's
  embedded Python fails with them); skipped with a message when qgis_process is absent.

Prints, per dataset: median wall time, peak memory (max RSS) of each, the ratio of each to
landplan measured in the same run, and the largest relative difference of the areas; with several
sizes (--n 200000,1000000,2000000), how each engine's time grows from the smallest size.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# benchmarks/ is the script's folder
from _timing import clean_env, compile_project, run  # noqa: E402

OVERLAY = textwrap.dedent("""
    import sys, geopandas as gpd
    parcels = gpd.read_file(sys.argv[1]).to_crs(4547)
    parks = gpd.read_file(sys.argv[2]).to_crs(4547)
    pieces = gpd.overlay(parcels, parks[["fid", "geometry"]], how="intersection", keep_geom_type=True)
    if sys.argv[4] == "union":  # overlapping parcels: count their common area once
        pieces = pieces[["fid", "geometry"]].dissolve(by="fid").reset_index()
    pieces["covered_m2"] = pieces.area
    out = pieces.groupby("fid")["covered_m2"].sum().rename_axis("zone_id").reset_index()
    out.to_csv(sys.argv[3], index=False)
""")  # noqa: E501

DUCKDB = textwrap.dedent('''
    import pathlib, sys
    import duckdb, duckdb_extension_spatial
    parcels, parks, out, mode, crs = sys.argv[1:6]
    ext = next(pathlib.Path(duckdb_extension_spatial.__file__).parent.rglob("spatial.duckdb_extension"))
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    con.execute(f"LOAD '{ext}'")
    con.execute("SET enable_progress_bar = false")
    to_m = "geom" if crs == "4547" else "ST_Transform(geom, 'EPSG:4326', 'EPSG:4547', always_xy := true)"
    piece = "ST_Intersection(p.g, z.g)"
    agg = f"SUM(ST_Area({piece}))" if mode == "sum" else f"ST_Area(ST_Union_Agg({piece}))"
    # parcels and parks meet in EPSG:4547, the parks' own outlines transformed once
    con.execute(f"""
        COPY (
          WITH z AS (SELECT fid AS zone_id, ST_Transform(geom, 'EPSG:4326', 'EPSG:4547', always_xy := true) AS g
                     FROM ST_Read('{parks}')),
               p AS (SELECT {to_m} AS g FROM ST_Read('{parcels}'))
          SELECT z.zone_id, {agg} AS covered_m2 FROM p JOIN z ON ST_Intersects(p.g, z.g) GROUP BY z.zone_id
        ) TO '{out}' (HEADER, DELIMITER ',')""")
''')  # noqa: E501

GENERATE = textwrap.dedent("""
    import sys
    import geopandas as gpd, numpy as np, pandas as pd
    from layers.synthetic import synthetic_parcels
    n, seed, clusters, overlaps, out4547, out4326 = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
    p = synthetic_parcels(n, seed, clusters=clusters)
    if overlaps == "yes":  # 2 % of the parcels again, grown by 10 m: each overlaps its neighbours
        extra = p.sample(frac=0.02, random_state=seed).copy()
        extra["geometry"] = extra.buffer(10.0)
        extra["parcel_id"] = extra["parcel_id"] + "_overlap"
        p = gpd.GeoDataFrame(pd.concat([p, extra], ignore_index=True), crs=p.crs)
    p.to_file(out4547, layer="synthetic_parcels", engine="pyogrio")
    p.to_crs(4326).to_file(out4326, layer="synthetic_parcels", engine="pyogrio")
""")  # noqa: E501

PARKS_4547 = textwrap.dedent("""
    import sys, geopandas as gpd
    gpd.read_file(sys.argv[1]).to_crs(4547).rename(columns={"fid": "park_id"}).to_file(sys.argv[2], engine="pyogrio")
""")  # noqa: E501


def qgis_exe() -> str | None:
    exe = shutil.which("qgis_process")
    if (
        exe and Path(exe + ".bin").exists()
    ):  # Debian's wrapper passes --noversioncheck, which it rejects
        return exe + ".bin"
    return exe


def has_duckdb() -> bool:
    import importlib.util

    return all(
        importlib.util.find_spec(m) is not None for m in ("duckdb", "duckdb_extension_spatial")
    )


def main() -> None:
    # The parent stays small (stdlib only until the runs are done): a child's peak RSS starts
    # from its parent's, so a big parent would inflate the figures.
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--n", default="200000", help="parcel counts, comma-separated (200000,1000000,2000000)"
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--crs", default="4326,4547", help="storage CRS of the parcels: 4326, 4547 or both"
    )
    ap.add_argument("--layouts", default="uniform,clustered", help="uniform, clustered or both")
    ap.add_argument(
        "--overlaps", default="no,yes", help="no, yes or both: with 2 %% overlapping parcels"
    )
    ap.add_argument("--workdir", default=None)
    ap.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of each path, alternating (shared machines are noisy: medians are compared)",
    )
    ap.add_argument(
        "--skip",
        default="",
        help="contenders to leave out: duckdb, overlay, qgis (comma-separated)",
    )
    args = ap.parse_args()
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    shapefiles = ROOT / "data" / "shapefiles"
    parks_shp = shapefiles / "sz20_parks.shp"
    work = Path(args.workdir or tempfile.mkdtemp(prefix="landplan-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    parks_4547 = work / "sz20_parks_4547.gpkg"
    if not parks_4547.exists():
        run([sys.executable, "-c", PARKS_4547, str(parks_shp), str(parks_4547)])

    contenders = ["landplan"]
    if "duckdb" in skip:
        print("DuckDB spatial: skipped (--skip duckdb)")
    elif not has_duckdb():
        print(
            "DuckDB spatial: skipped - duckdb / duckdb-extension-spatial not installed (pip "
            "install -e .[bench])"
        )
    else:
        contenders.append("duckdb")
    if "overlay" not in skip:
        contenders.append("overlay")
    qgis = None if "qgis" in skip else qgis_exe()
    if "qgis" in skip:
        print("QGIS: skipped (--skip qgis)")
    elif qgis is None:
        print("QGIS: skipped - qgis_process not found (Debian: apt-get install qgis)")
    else:
        contenders.append("qgis")
    compile_project()
    exe = str(Path(sys.executable).parent / "landplan")
    summary, growth = [], {}
    sizes = [int(x) for x in str(args.n).replace("_", "").split(",") if x.strip()]
    for n in sizes:
        for layout in [s.strip() for s in args.layouts.split(",") if s.strip()]:
            for overlaps in [s.strip() for s in args.overlaps.split(",") if s.strip()]:
                stem = (
                    f"synthetic_parcels_{n}_{args.seed}_{layout}_"
                    f"{'overlaps' if overlaps == 'yes' else 'tiling'}"
                )
                files = {"4547": work / f"{stem}_4547.gpkg", "4326": work / f"{stem}_4326.gpkg"}
                if not all(f.exists() for f in files.values()):
                    t_gen, _ = run(
                        [
                            sys.executable,
                            "-c",
                            GENERATE,
                            str(n),
                            str(args.seed),
                            str(200 if layout == "clustered" else 0),
                            overlaps,
                            str(files["4547"]),
                            str(files["4326"]),
                        ]
                    )
                    print(
                        f"generated {n} SYNTHETIC parcels ({layout}, overlaps: {overlaps}) in "
                        f"{t_gen:.1f} s"
                    )
                for crs in [s.strip() for s in args.crs.split(",") if s.strip()]:
                    line, figures = bench_one(
                        files[crs],
                        crs,
                        layout,
                        overlaps,
                        contenders,
                        exe,
                        qgis,
                        parks_shp,
                        parks_4547,
                        work,
                        args.repeat,
                        n,
                    )
                    summary.append(line)
                    for c, fig in figures.items():
                        growth.setdefault((crs, layout, overlaps, c), {})[n] = fig
    print("\nsummary (median seconds; ratio = contender / landplan, same run):")
    for line in summary:
        print(line)
    if len(sizes) > 1:
        print(f"\ngrowth (median seconds, peak MB; x = time / time at {sizes[0]:,} parcels):")
        for (crs, layout, overlaps, c), by_n in growth.items():
            t0 = by_n[sizes[0]][0]
            print(
                f"  EPSG:{crs} {layout} overlaps {overlaps} {c:9s}: "
                + "; ".join(
                    f"{n:,}: {t:.2f} s ({t / t0:.1f}x, {peak:.0f} MB)"
                    for n, (t, peak) in sorted(by_n.items())
                )
            )


def bench_one(
    gpkg, crs, layout, overlaps, contenders, exe, qgis, parks_shp, parks_4547, work, repeat, n
) -> str:
    mode = "union" if overlaps == "yes" else "sum"
    outs = {
        "landplan": work / "landplan.json",
        "duckdb": work / "duckdb.csv",
        "overlay": work / "overlay.csv",
        "qgis": work / "qgis.csv",
    }
    cmds = {
        "landplan": (
            [exe, "coverage", str(gpkg), "--by", "sz20_parks", "--unit", "m2", "--format", "json"],
            None,
            True,
        ),
        "duckdb": (
            [
                sys.executable,
                "-c",
                DUCKDB,
                str(gpkg),
                str(parks_shp),
                str(outs["duckdb"]),
                mode,
                crs,
            ],
            None,
            False,
        ),
        "overlay": (
            [sys.executable, "-c", OVERLAY, str(gpkg), str(parks_shp), str(outs["overlay"]), mode],
            None,
            False,
        ),
        "qgis": (
            [
                qgis or "qgis_process",
                "run",
                "native:calculatevectoroverlaps",
                "--",
                f"INPUT={parks_4547}",
                f"LAYERS={gpkg}|layername=synthetic_parcels",
                f"OUTPUT={outs['qgis']}",
            ],
            clean_env(),
            False,
        ),
    }
    runs = {c: [] for c in contenders}
    for _ in range(repeat):
        for c in contenders:
            cmd, env, to_stdout = cmds[c]
            if to_stdout:
                with open(outs[c], "w") as fh:
                    runs[c].append(run(cmd, stdout=fh, env=env))
            else:
                outs[c].unlink(missing_ok=True)
                runs[c].append(run(cmd, stdout=subprocess.DEVNULL, env=env))
    areas = {
        "landplan": {
            r["zone_id"]: r["covered_area"] for r in json.loads(outs["landplan"].read_text())
        }
    }
    import csv

    for c in contenders[1:]:
        with open(outs[c], newline="") as fh:
            rows = list(csv.DictReader(fh))
        if c == "qgis":
            col = next(k for k in rows[0] if k.endswith("_area"))
            areas[c] = {r["park_id"]: float(r[col] or 0.0) for r in rows}
        else:
            areas[c] = {r["zone_id"]: float(r["covered_m2"]) for r in rows}
    ours = areas["landplan"]
    t0 = statistics.median(r[0] for r in runs["landplan"])
    label = f"{n} parcels, EPSG:{crs}, {layout}, overlaps {overlaps}"
    print(f"\n{label} (sz20_parks: {len(ours)} parks with outlines)")
    cells, figures = [], {}
    for c in contenders:
        t = statistics.median(r[0] for r in runs[c])
        peak = max(r[1] for r in runs[c])
        rel = max(abs(areas[c].get(z, 0.0) - a) / max(a, 1.0) for z, a in ours.items())
        print(
            f"  {c:9s}: median {t:7.2f} s  peak {peak:6.0f} MB  ratio {t / t0:5.2f}  "
            f"max rel area diff {rel:.1e}  (runs: {', '.join(f'{r[0]:.2f}' for r in runs[c])})"
        )
        cells.append(f"{c} {t:.2f} s ({t / t0:.2f}x, {peak:.0f} MB)")
        figures[c] = (t, peak)
    return f"  {label}: " + "; ".join(cells), figures


if __name__ == "__main__":
    main()
