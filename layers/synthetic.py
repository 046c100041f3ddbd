"""Synthetic land parcels over Shenzhen for demos and benchmarks. NOT real data: every row says so."""
from __future__ import annotations

import geopandas as gpd
import numpy as np

from geo.synthetic import voronoi_cells

from .load import load

#: stated proportions of the synthetic land-use codes (illustrative, not Shenzhen statistics)
LANDUSE_SHARES = {"M1": 0.30, "M0": 0.08, "W": 0.07, "R": 0.25, "C": 0.10, "G": 0.15, "S": 0.05}
STATUS_SHARES = {"已供应": 0.6, "待供应": 0.25, "储备": 0.15}


def synthetic_parcels(n: int, seed: int = 0, districts: list[str] | None = None) -> gpd.GeoDataFrame:
    """``n`` Voronoi 'parcels' over Shenzhen's districts (EPSG:4547) with random land-use codes.

    Columns: parcel_id, landuse, status, synthetic (always True), note. Labelled synthetic.
    """
    d = load("districts")
    d = d[d["district_id"].isin(districts)] if districts else d[d["district_id"] != "shenshan"]
    cells = voronoi_cells(d.to_crs(4547), n, seed)
    rng = np.random.default_rng(seed + 1)
    cells["parcel_id"] = [f"SYN{i:07d}" for i in range(len(cells))]
    cells["landuse"] = rng.choice(list(LANDUSE_SHARES), size=len(cells), p=list(LANDUSE_SHARES.values()))
    cells["status"] = rng.choice(list(STATUS_SHARES), size=len(cells), p=list(STATUS_SHARES.values()))
    cells["note"] = "synthetic parcel, not real data / 合成数据，非真实地块"
    cells.attrs["synthetic"] = True
    return cells[["parcel_id", "landuse", "status", "synthetic", "note", "geometry"]]
