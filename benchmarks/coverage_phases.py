"""Where `landplan coverage PARCELS --by ZONES` spends its time: each step of the command, timed.

    python benchmarks/coverage_phases.py PARCELS.gpkg [--by sz20_parks]

Runs in one process what the command runs (imports, zones, the extent-filtered read with its checks,
projection to EPSG:4547, the zone query, clipping, the overlap test, the sums, the JSON output) and
prints the seconds of each step. The clip and the overlap test run one after the other here (the
command runs them at once, in two threads), so their sum is above the command's time on two cores.
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

    import geopandas  # noqa: F401
    import numpy as np
    import shapely

    import layers
    from geo.analysis import (
        _prepare,
        _valid_polygons,
        _zone_pairs,
        clip_to_zones,
        overlapping_features,
    )
    from landplan.cli import output

    step("imports (pandas, geopandas, shapely, pyproj, landplan)")
    zones = layers.resolve_layer(args.by)
    zones = zones.assign(_zid=layers.feature_ids(zones))
    step(f"zones ({args.by})")
    gdf = layers.resolve_layer(args.parcels, mask=zones, columns=[])
    step(f"read: {len(gdf)} features touching the zones' boxes, repairs, CRS and offset checks")
    lay, zon = _prepare(gdf, zones, None)
    lg = _valid_polygons(lay.geometry.values)
    zg = _valid_polygons(zon.geometry.values)
    step(f"project to {lay.crs.to_string()} and validity")
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
    import pandas as pd

    output.write(
        pd.DataFrame({"zone_id": zon["_zid"].to_numpy(), "covered_area": covered}),
        "json",
        io.StringIO(),
    )
    step("output (JSON)")
    total = sum(s for _, s in steps)
    for name, s in steps:
        print(f"{s:7.3f} s  {100 * s / total:5.1f} %  {name}")
    print(f"{total:7.3f} s  total (interpreter start and exit not included)")


if __name__ == "__main__":
    main()
