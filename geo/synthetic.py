"""Synthetic polygon layers for demos and benchmarks (Voronoi cells), always labelled synthetic."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely


def voronoi_cells(
    extent: gpd.GeoDataFrame, n: int, seed: int = 0, clusters: int = 0
) -> gpd.GeoDataFrame:
    """``n`` Voronoi cells of random points inside ``extent`` (clipped to it), in the extent's CRS.

    Cells tile the extent without overlaps; columns ``cell_id`` and ``synthetic`` (True). Points are
    uniform over the extent, or with ``clusters`` > 0 drawn around that many random centres (normal,
    standard deviation 1/40 of the extent's diagonal): small cells in the clusters, large ones
    between.

    Parameters
    ----------
    extent : geopandas.GeoDataFrame
        Polygons to fill, with a projected CRS.
    n : int
        Number of cells.
    seed : int, default 0
        Random seed.
    clusters : int, default 0
        Number of dense clusters.

    Returns
    -------
    geopandas.GeoDataFrame
    """
    rng = np.random.default_rng(seed)
    area_geom = shapely.union_all(extent.geometry.values)
    shapely.prepare(area_geom)
    minx, miny, maxx, maxy = area_geom.bounds
    centres = rng.uniform((minx, miny), (maxx, maxy), size=(clusters, 2)) if clusters else None
    sigma = np.hypot(maxx - minx, maxy - miny) / 40
    pts = np.empty((0, 2))
    while len(pts) < n:  # rejection sampling inside the extent
        m = max(2 * (n - len(pts)), 1000)
        if centres is None:
            batch = rng.uniform((minx, miny), (maxx, maxy), size=(m, 2))
        else:
            batch = centres[rng.integers(0, clusters, m)] + rng.normal(0.0, sigma, size=(m, 2))
        inside = shapely.contains_xy(area_geom, batch[:, 0], batch[:, 1])
        pts = np.vstack([pts, batch[inside]])
    pts = pts[:n]
    cells = shapely.get_parts(
        shapely.voronoi_polygons(
            shapely.multipoints(pts), extend_to=shapely.box(minx, miny, maxx, maxy)
        )
    )
    # voronoi_polygons returns cells in no particular order; clip only those crossing the edge
    within = shapely.within(cells, area_geom)
    clipped = cells.copy()
    clipped[~within] = shapely.intersection(cells[~within], area_geom)
    keep = ~shapely.is_empty(clipped) & (shapely.area(clipped) > 0)
    clipped = clipped[keep]
    return gpd.GeoDataFrame(
        {"cell_id": np.arange(len(clipped)), "synthetic": True}, geometry=clipped, crs=extent.crs
    )
