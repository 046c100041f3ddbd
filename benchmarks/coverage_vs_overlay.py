"""Benchmark: `landplan coverage PARCELS --by sz20_parks` against a plain geopandas.overlay script.

    python benchmarks/coverage_vs_overlay.py --n 200000 --seed 1

Generates SYNTHETIC parcels (Voronoi cells over Shenzhen, labelled synthetic in every row),
then runs both paths end to end as separate processes (read the GeoPackage, compute the
covered area per park, write a CSV), in one run, and prints wall time, peak memory (max RSS
of each process) and the largest relative difference of the areas.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _timing import compile_project, run  # noqa: E402 - benchmarks/ is the script's folder

BASELINE = textwrap.dedent('''
    import sys, geopandas as gpd
    parcels = gpd.read_file(sys.argv[1]).to_crs(4547)
    parks = gpd.read_file(sys.argv[2]).to_crs(4547)
    pieces = gpd.overlay(parcels, parks[["fid", "geometry"]], how="intersection", keep_geom_type=True)
    pieces["covered_m2"] = pieces.area
    out = pieces.groupby("fid")["covered_m2"].sum().rename_axis("zone_id").reset_index()
    out.to_csv(sys.argv[3], index=False)
''')

GENERATE = textwrap.dedent('''
    import sys
    from layers.synthetic import synthetic_parcels
    synthetic_parcels(int(sys.argv[1]), int(sys.argv[2])).to_file(sys.argv[3], layer="synthetic_parcels", engine="pyogrio")
''')


def main() -> None:
    # The parent stays small (stdlib only until both runs are done): a child's peak RSS
    # starts from its parent's, so a big parent would inflate both figures.
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of each path, alternating (shared machines are noisy: medians are compared)")
    args = ap.parse_args()
    shapefiles = ROOT / "data" / "shapefiles"

    work = Path(args.workdir or tempfile.mkdtemp(prefix="landplan-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    gpkg = work / f"synthetic_parcels_{args.n}_{args.seed}.gpkg"
    if not gpkg.exists():
        t_gen, _ = run([sys.executable, "-c", GENERATE, str(args.n), str(args.seed), str(gpkg)])
        print(f"generated {args.n} SYNTHETIC parcels in {t_gen:.1f} s -> {gpkg}")
    compile_project()
    exe = str(Path(sys.executable).parent / "landplan")
    ours_csv, base_csv = work / "landplan.csv", work / "overlay.csv"
    ours_runs, base_runs = [], []
    for _ in range(args.repeat):
        with open(ours_csv, "w") as fh:
            ours_runs.append(run([exe, "coverage", str(gpkg), "--by", "sz20_parks", "--unit", "m2", "--format", "csv"],
                                 stdout=fh))
        base_runs.append(run([sys.executable, "-c", BASELINE, str(gpkg), str(shapefiles / "sz20_parks.shp"),
                              str(base_csv)]))
    import statistics
    t_ours, t_base = statistics.median(r[0] for r in ours_runs), statistics.median(r[0] for r in base_runs)
    m_ours, m_base = max(r[1] for r in ours_runs), max(r[1] for r in base_runs)
    import pandas as pd
    ours = pd.read_csv(ours_csv).set_index("zone_id")["covered_area"]
    base = pd.read_csv(base_csv).set_index("zone_id")["covered_m2"].reindex(ours.index).fillna(0.0)
    rel = ((ours - base).abs() / base.where(base > 0, 1.0)).max()
    print(f"parcels: {args.n} (synthetic), zones: sz20_parks ({len(ours)} with outlines)")
    def runs(rs):
        return ", ".join(f"{r[0]:.2f}" for r in rs)
    print(f"landplan coverage : median {t_ours:6.2f} s  peak {m_ours:6.0f} MB  (runs: {runs(ours_runs)})")
    print(f"geopandas.overlay : median {t_base:6.2f} s  peak {m_base:6.0f} MB  (runs: {runs(base_runs)})")
    print(f"speed-up          : {t_base / t_ours:6.2f} x (medians), best run against best run "
          f"{min(r[0] for r in base_runs) / min(r[0] for r in ours_runs):.2f} x")
    print(f"max relative area difference: {rel:.2e}")


if __name__ == "__main__":
    main()
