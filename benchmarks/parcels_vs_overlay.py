"""Benchmark: `landplan parcels` against a plain geopandas.overlay script and QGIS's Overlap analysis.

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
- landplan parcels --by sz20_parks, and QGIS `native:calculatevectoroverlaps` with INPUT the parks
  and LAYERS the parcels (covered area per park); skipped with a message when qgis_process is absent.
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

from _timing import compile_project, run  # noqa: E402 - benchmarks/ is the script's folder

BASELINE = textwrap.dedent('''
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
''')

GENERATE = textwrap.dedent('''
    import sys
    import geopandas as gpd
    from layers.synthetic import write_synthetic_parcels
    write_synthetic_parcels(sys.argv[3], int(sys.argv[1]), int(sys.argv[2]))
    parks = gpd.read_file(sys.argv[4]).to_crs(4547).rename(columns={"fid": "park_id"})
    parks.to_file(sys.argv[5], layer="sz20_parks", engine="pyogrio")
''')

def qgis_exe() -> str | None:
    exe = shutil.which("qgis_process")
    if exe and Path(exe + ".bin").exists():  # Debian's wrapper passes --noversioncheck, which it rejects
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
    ap.add_argument("--skip-overlay", action="store_true")
    ap.add_argument("--skip-qgis", action="store_true")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of each path, alternating (shared machines are noisy: medians are compared)")
    args = ap.parse_args()
    shp = ROOT / "data" / "shapefiles"
    work = Path(args.workdir or tempfile.mkdtemp(prefix="landplan-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    gpkg = work / f"synthetic_parcels_{args.n}_{args.seed}.gpkg"
    parks = work / "sz20_parks_4547.gpkg"
    if not gpkg.exists() or not parks.exists():
        t_gen, _ = run([sys.executable, "-c", GENERATE, str(args.n), str(args.seed), str(gpkg),
                        str(shp / "sz20_parks.shp"), str(parks)])
        print(f"generated {args.n} SYNTHETIC parcels in {t_gen:.1f} s -> {gpkg}")
    compile_project()
    exe = str(Path(sys.executable).parent / "landplan")
    ours, dask_csv, base = work / "landplan.csv", work / "landplan_dask.csv", work / "overlay.csv"
    ours_parks, qgis_out = work / "landplan_parks.csv", work / "qgis_overlaps.csv"
    paths = [("landplan parcels (parks+districts)", ours,
              [exe, "parcels", str(gpkg), "--by", "sz20_parks,districts", "--unit", "m2", "--format", "csv"], None)]
    if args.dask:
        paths.append(("landplan parcels --engine dask", dask_csv,
                      [exe, "parcels", str(gpkg), "--by", "sz20_parks,districts", "--unit", "m2", "--format", "csv",
                       "--engine", "dask"], None))
    if not args.skip_overlay:
        paths.append(("geopandas.overlay script", None, [sys.executable, "-c", BASELINE, str(gpkg),
                      str(shp / "sz20_parks.shp"), str(shp / "districts.shp"), str(base)], None))
    qgis = qgis_exe()
    if args.skip_qgis:
        print("QGIS: skipped (--skip-qgis)")
    elif qgis is None:
        print("QGIS: skipped - qgis_process not found (Debian: apt-get install qgis)")
    else:
        paths.append(("landplan parcels (parks only)", ours_parks,
                      [exe, "parcels", str(gpkg), "--by", "sz20_parks", "--unit", "m2", "--format", "csv"], None))
        paths.append(("QGIS calculatevectoroverlaps (parks)", None,
                      [qgis, "run", "native:calculatevectoroverlaps", "--", f"INPUT={parks}",
                       f"LAYERS={gpkg}|layername=synthetic_parcels", f"OUTPUT={qgis_out}"],
                      {**os.environ, "QT_QPA_PLATFORM": "offscreen"}))
    # every path once per round, rounds repeated: shared machines are noisy, so medians are compared
    runs = {name: [] for name, *_ in paths}
    for _ in range(max(1, args.repeat)):
        for name, csv, cmd, env in paths:
            if name.startswith("QGIS"):
                qgis_out.unlink(missing_ok=True)
            if csv is not None:
                with open(csv, "w") as fh:
                    runs[name].append(run(cmd, stdout=fh, env=env))
            else:
                runs[name].append(run(cmd, stdout=subprocess.DEVNULL, env=env))
    import statistics
    figures = {name: (statistics.median(r[0] for r in rs), max(r[1] for r in rs)) for name, rs in runs.items()}

    import pandas as pd
    print(f"\nparcels: {args.n} SYNTHETIC (not real data); zones: sz20_parks (20 records, outlines indicative) "
          "and districts")
    print(f"wall time: median of {max(1, args.repeat)} alternating run(s) per path; peak: largest max RSS")
    for name, (wall, rss) in figures.items():
        print(f"{name:40s}: {wall:8.2f} s  peak {rss:7.0f} MB  (runs: {', '.join(f'{r[0]:.2f}' for r in runs[name])})")
    key = ["zone_layer", "zone_id", "landuse", "status"]
    o = pd.read_csv(ours, dtype={"zone_id": str})
    classes = o[o["landuse"] != "(all)"].set_index(key)["area"]

    def rel_diff(a, b):
        a, b = a.align(b, join="outer", fill_value=0.0)
        return float(((a - b).abs() / b.abs().where(b.abs() > 0, 1.0)).max())

    full = "landplan parcels (parks+districts)"
    if "geopandas.overlay script" in figures:
        b = pd.read_csv(base, dtype={"zone_id": str}).set_index(key)["area"]
        print(f"speed-up vs geopandas.overlay (medians) : {figures['geopandas.overlay script'][0] / figures[full][0]:8.2f} x")
        print(f"max relative area difference (landplan vs overlay, {len(classes)} zone x code x status rows): "
              f"{rel_diff(classes, b):.2e}")
    if args.dask:
        d = pd.read_csv(dask_csv, dtype={"zone_id": str}).set_index(key)["area"]
        print(f"max relative area difference (dask vs single process): {rel_diff(d, o.set_index(key)['area']):.2e}")
    if "QGIS calculatevectoroverlaps (parks)" in figures:
        q = pd.read_csv(qgis_out)
        area_col = next(c for c in q.columns if c.endswith("_area"))
        qa = q.set_index(q["park_id"].astype(str))[area_col]
        p = pd.read_csv(ours_parks, dtype={"zone_id": str})
        pa = p[p["landuse"] == "(all)"].set_index("zone_id")["area"]
        qa = qa[qa.index.isin(pa.index) | (qa > 0)]
        print(f"speed-up vs QGIS, parks only (medians)  : "
              f"{figures['QGIS calculatevectoroverlaps (parks)'][0] / figures['landplan parcels (parks only)'][0]:8.2f} x")
        print(f"max relative area difference (landplan vs QGIS, covered area per park): {rel_diff(pa, qa):.2e}")


if __name__ == "__main__":
    main()
