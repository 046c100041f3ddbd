"""Synthetic polygon layers for demos and benchmarks (Voronoi cells), always labelled synthetic."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely


def voronoi_cells(extent: gpd.GeoDataFrame, n: int, seed: int = 0) -> gpd.GeoDataFrame:
    """``n`` Voronoi cells of random points inside ``extent`` (clipped to it), in the extent's CRS.

    Cells tile the extent without overlaps; columns ``cell_id`` and ``synthetic`` (True).
    """
    rng = np.random.default_rng(seed)
    area_geom = shapely.union_all(extent.geometry.values)
    shapely.prepare(area_geom)
    minx, miny, maxx, maxy = area_geom.bounds
    pts = np.empty((0, 2))
    while len(pts) < n:  # rejection sampling inside the extent
        batch = rng.uniform((minx, miny), (maxx, maxy), size=(max(2 * (n - len(pts)), 1000), 2))
        inside = shapely.contains_xy(area_geom, batch[:, 0], batch[:, 1])
        pts = np.vstack([pts, batch[inside]])
    pts = pts[:n]
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=shapely.box(minx, miny, maxx, maxy)))
    # voronoi_polygons returns cells in no particular order; clip only those crossing the edge
    within = shapely.within(cells, area_geom)
    clipped = cells.copy()
    clipped[~within] = shapely.intersection(cells[~within], area_geom)
    keep = ~shapely.is_empty(clipped) & (shapely.area(clipped) > 0)
    clipped = clipped[keep]
    return gpd.GeoDataFrame({"cell_id": np.arange(len(clipped)), "synthetic": True}, geometry=clipped, crs=extent.crs)
