"""Synthetic land parcels over Shenzhen for demos and benchmarks.

NOT real data: every row says so.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np

from geo.errors import LandplanError
from geo.synthetic import voronoi_cells

from .loading import load

#: layer name used when synthetic parcels are written to a file
LAYER_NAME = "synthetic_parcels"
#: stated proportions of the synthetic land-use codes (illustrative, not Shenzhen statistics);
#: codes from layers/catalog/landuse_codes.yaml
LANDUSE_SHARES = {
    "M1": 0.30,
    "M0": 0.08,
    "W0": 0.03,
    "W1": 0.04,
    "R2": 0.25,
    "C1": 0.10,
    "G1": 0.15,
    "S1": 0.05,
}
#: stated proportions of the synthetic supply statuses (illustrative)
STATUS_SHARES = {"已供应": 0.6, "待供应": 0.25, "储备": 0.15}
NOTE = "synthetic parcel, not real data / 合成数据，非真实地块"


def _shares(shares: dict, what: str) -> tuple[list, np.ndarray]:
    keys, p = list(shares), np.asarray(list(shares.values()), dtype=float)
    if not keys or (p < 0).any() or not np.isclose(p.sum(), 1.0, atol=1e-6):
        raise LandplanError(
            f"{what} 比例须非负且合计为 1。",
            f"The {what} proportions must be non-negative and sum to 1 (got {p.sum():.4g}).",
        )
    return keys, p / p.sum()


def synthetic_parcels(
    n: int,
    seed: int = 0,
    districts: list[str] | None = None,
    landuse_shares: dict | None = None,
    status_shares: dict | None = None,
    clusters: int = 0,
) -> gpd.GeoDataFrame:
    """``n`` Voronoi 'parcels' over Shenzhen's districts (EPSG:4547).

    Codes and statuses are drawn from stated shares.

    Columns: parcel_id, landuse, status, synthetic (always True), note. The default shares are
    LANDUSE_SHARES and STATUS_SHARES; ``attrs['synthetic']`` is True. Same n and seed, same parcels.
    ``clusters`` > 0 packs the parcels around that many centres (dense built-up areas, sparse land
    between).

    Parameters
    ----------
    n : int
        Number of parcels.
    seed : int, default 0
        Random seed.
    districts : list of str, optional
        Only these districts (default: all).
    landuse_shares, status_shares : dict, optional
        Code and status shares.
    clusters : int, default 0
        Dense centres.

    Returns
    -------
    geopandas.GeoDataFrame
    """
    codes, pc = _shares(landuse_shares or LANDUSE_SHARES, "land-use")
    statuses, ps = _shares(status_shares or STATUS_SHARES, "status")
    d = load("districts")
    d = d[d["district_id"].isin(districts)] if districts else d[d["district_id"] != "shenshan"]
    cells = voronoi_cells(d.to_crs(4547), n, seed, clusters=clusters)
    rng = np.random.default_rng(seed + 1)
    cells["parcel_id"] = [f"SYN{i:07d}" for i in range(len(cells))]
    cells["landuse"] = rng.choice(codes, size=len(cells), p=pc)
    cells["status"] = rng.choice(statuses, size=len(cells), p=ps)
    cells["note"] = NOTE
    cells.attrs["synthetic"] = True
    cells.attrs["layer_id"] = LAYER_NAME
    return cells[["parcel_id", "landuse", "status", "synthetic", "note", "geometry"]]


def write_synthetic_parcels(path, n: int, seed: int = 0, **kwargs) -> gpd.GeoDataFrame:
    """Generate synthetic parcels and write them to a GeoPackage, layer 'synthetic_parcels'.

    Parameters
    ----------
    path : str or pathlib.Path
        The GeoPackage.
    n, seed, **kwargs
        As :func:`synthetic_parcels`.

    Returns
    -------
    geopandas.GeoDataFrame
    """
    gdf = synthetic_parcels(n, seed, **kwargs)
    gdf.to_file(path, layer=LAYER_NAME, driver="GPKG", engine="pyogrio")
    return gdf
