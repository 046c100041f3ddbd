"""Where `landplan coverage PARCELS.gpkg --by sz20_parks` spends its time: each step, timed.

    python benchmarks/coverage_phases.py PARCELS.gpkg [--by sz20_parks]

Runs in one process what the command's short road runs for a GeoPackage measured against a
shipped layer (layers/zone_coverage.py): imports, the kept zones, the R-tree read straight from
SQLite, repairs and CRS checks, projection to the zones' Gauss-Kruger zone and validity, the zone
query, clipping, the overlap test, the sums, the JSON output; and prints the seconds of each step.
The clip and the overlap test run one after the other here (the command runs them at once, in two
threads), so their sum is above the command's time on two cores. Nothing here loads pandas.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("parcels")
    ap.add_argument("--by", default="sz20_parks")
    args = ap.parse_args()
    steps = []
    t = time.perf_counter()

    def step(name):
        nonlocal t
        now = time.perf_counter()
        steps.append((name, now - t))
        t = now

    import numpy as np
    import shapely

    from geo.areas import measuring_crs
    from geo.crs import area_crs_of, transform_geoms
    from geo.crs_check import fit_coordinates
    from geo.io.gpkg import read_gpkg_near
    from geo.io.repair import repair_geometries
    from geo.io.report import Report
    from geo.offset_check import offset_suspect_lonlat
    from geo.overlay import (
        _valid_polygons,
        _zone_pairs,
        clip_to_zones,
        near_box,
        overlapping_features,
    )
    from landplan.cli import output
    from layers.kept import kept_zones

    step("imports (numpy, shapely, pyproj, landplan)")
    kept = kept_zones(args.by)
    if kept is None:
        sys.exit("LANDPLAN_CACHE is off: the command takes the usual road (geopandas)")
    zg0, zcrs = kept.zones.geoms, kept.zones.crs
    step(f"zones ({args.by}, kept copy)")
    got = read_gpkg_near(args.parcels, zg0, zcrs)
    if got is None:
        sys.exit("this file takes the usual road (see geo/io/gpkg.py)")
    geoms, crs = got.geoms, got.crs
    step(f"read: {len(geoms)} features in strips of the zones' boxes (R-tree, SQLite, WKB, checks)")
    geoms, _ = repair_geometries(geoms, Report(), got.checks)
    geoms, crs, _ = fit_coordinates(geoms, crs)
    if crs.is_geographic:
        offset_suspect_lonlat(geoms, kept.reference_lonlat)
    step("repairs, CRS check, offset check")
    target = measuring_crs(area_crs_of(shapely.total_bounds(zg0), zcrs))
    lg = _valid_polygons(transform_geoms(near_box(geoms, crs, zg0, zcrs), crs, target))
    zg = _valid_polygons(transform_geoms(zg0, zcrs, target))
    step(f"project to {target.to_string()} and validity")
    pairs = _zone_pairs(lg, zg)
    step(f"zone query (STRtree): {len(pairs[0])} feature-zone pairs")
    il, iz, pieces = clip_to_zones(None, None, lg, zg, pairs)
    step("clip at zone edges")
    flags = overlapping_features(lg, np.unique(pairs[1]))
    step(f"overlap test: {int(flags.sum())} overlapping features")
    area = shapely.area(pieces)
    covered = np.bincount(iz[~flags[il]], weights=area[~flags[il]], minlength=len(zg))
    for z in np.unique(iz[flags[il]]):
        covered[z] += shapely.area(shapely.union_all(pieces[flags[il] & (iz == z)]))
    step("areas, unions of overlapping pieces, sums")
    rows = [{"zone_id": i, "covered_area": float(c)} for i, c in zip(kept.zones.ids, covered)]
    output.write_rows(rows, "json", out=io.StringIO())
    step("output (JSON)")
    total = sum(s for _, s in steps)
    for name, s in steps:
        print(f"{s:7.3f} s  {100 * s / total:5.1f} %  {name}")
    print(f"{total:7.3f} s  total (interpreter start and exit not included)")
    print(f"pandas loaded: {'pandas' in sys.modules}")


if __name__ == "__main__":
    main()
