"""The extent-filtered read: only the features that meet an analysis's zones.

A mask, or the R-tree boxes of a GeoPackage.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from ..crs import transform_layer
from .gdal import _read_file
from .gpkg import MAX_ZONES, as_rtree_keeps, rtree_ids_sql, zone_boxes
from .report import ReadError


def _read_in_extent(
    path: Path, mask: gpd.GeoDataFrame, kwargs, report, shown: str
) -> gpd.GeoDataFrame | None:
    """The features of a file that meet ``mask`` (a GeoDataFrame with a CRS), or None.

    None when the file cannot be read that way (no CRS, no spatial index GDAL can use): the caller
    then reads it all, same answer.

    A GeoPackage read against up to 64 zones is read by boxes that cover the zones
    (:func:`_read_by_boxes`).
    """
    gdf = None
    try:
        file_crs = pyogrio.read_info(path, layer=kwargs.get("layer")).get("crs")
        if file_crs:
            zones = transform_layer(mask, file_crs).geometry.dropna()
            if path.suffix.lower() == ".gpkg" and 0 < len(zones) <= MAX_ZONES:
                gdf = _read_by_boxes(path, zones, kwargs)
            else:
                gdf = _read_file(
                    path, {**kwargs, "mask": shapely.union_all(zones.values)}, report, shown
                )
    except ReadError:
        raise
    except Exception:  # noqa: BLE001 - no mask: read everything, same answer
        gdf = None
    return gdf


def _read_by_boxes(path: Path, zones, kwargs) -> gpd.GeoDataFrame:
    """Read the features whose boxes meet the boxes that cover the zones
    (:func:`geo.io.gpkg.zone_boxes`), each once, in fid order.

    One query on the GeoPackage's R-tree (a few more features than an exact test may come back;
    analyses clip anyway); without an R-tree, one bbox read per zone (a little wider), kept where
    the features' boxes, as an R-tree would keep them, meet the covering boxes: the same features.
    Either beats one read with a city-wide mask, whose own box is the whole city.
    """
    boxes = zone_boxes(zones.values)
    try:
        return _read_rtree_boxes(path, boxes, kwargs)
    except Exception:  # noqa: BLE001 - no R-tree or unusual names: per-box reads, same features
        pass
    wide = zones.bounds.to_numpy()
    wide = wide + np.array([-1, -1, 1, 1]) * (1e-6 * np.abs(wide).max() + 1e-9)
    parts = [pyogrio.read_dataframe(path, bbox=tuple(b), fid_as_index=True, **kwargs) for b in wide]
    gdf = pd.concat(parts)
    gdf = gdf[~gdf.index.duplicated()].sort_index()
    fb = as_rtree_keeps(gdf.geometry.bounds.to_numpy())[:, None, :]
    meets = (
        (fb[..., 0] <= boxes[:, 2])
        & (fb[..., 2] >= boxes[:, 0])
        & (fb[..., 1] <= boxes[:, 3])
        & (fb[..., 3] >= boxes[:, 1])
    ).any(axis=1)
    gdf = gdf[meets]
    return gpd.GeoDataFrame(
        gdf.reset_index(drop=True), geometry=gdf.geometry.name, crs=parts[0].crs
    )


def _read_rtree_boxes(path: Path, boxes, kwargs) -> gpd.GeoDataFrame:
    info = pyogrio.read_info(path, layer=kwargs.get("layer"))
    layer = kwargs.get("layer") or pyogrio.list_layers(path)[0][0]
    fid, geom = info["fid_column"], info["geometry_name"]
    if not fid or not geom:
        raise ValueError("no fid or geometry column")

    def q(name):  # SQL identifier
        return '"' + str(name).replace('"', '""') + '"'

    cols = kwargs.get("columns")
    select = "t.*" if cols is None else ", ".join([f"t.{q(c)}" for c in cols] + [f"t.{q(geom)}"])
    sql = (
        f"SELECT {select} FROM {q(layer)} t WHERE t.{q(fid)} IN "
        f"({rtree_ids_sql(f'rtree_{layer}_{geom}', boxes)}) ORDER BY t.{q(fid)}"
    )
    rest = {k: v for k, v in kwargs.items() if k not in ("layer", "columns")}
    return pyogrio.read_dataframe(path, sql=sql, sql_dialect="SQLITE", **rest).reset_index(
        drop=True
    )
