"""Rasters: how many layers cover each cell, uncovered target land, and zonal statistics.

Coverage rasters are written in the zones' Gauss-Kruger CRS (EPSG:4547 for Shenzhen) so that a
cell is a true ``cell x cell`` metre square. Zonal statistics warp the user's raster to that CRS
first (nearest neighbour for classes, bilinear for continuous values), so areas are never
measured in degrees or in a non-equal-area projection such as Web Mercator.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import shapely
from rasterio import features
from rasterio.enums import Resampling
from rasterio.transform import from_origin
from rasterio.warp import calculate_default_transform, reproject

from .analysis import _ids, _valid_polygons
from .areas import project_for_area, require_polygons
from .crs import area_crs, parse_crs
from .errors import LandplanError

COUNT_NODATA = 255  # outside the extent
GTIFF = {
    "driver": "GTiff",
    "tiled": True,
    "blockxsize": 512,
    "blockysize": 512,
    "compress": "deflate",
    "zlevel": 1,
    "num_threads": "all_cpus",
}


def grid(extent: gpd.GeoDataFrame, cell: float, crs=None):
    """(transform, (rows, cols), crs) of a grid of ``cell``-metre squares over ``extent``.

    The grid is snapped to whole cells.

    Parameters
    ----------
    extent : geopandas.GeoDataFrame
        The area to cover, with a CRS.
    cell : float
        Cell size in metres.
    crs : optional
        A projected CRS (default: the extent's Gauss-Kruger zone).

    Returns
    -------
    tuple
        (affine transform, (rows, cols), pyproj.CRS).

    Raises
    ------
    LandplanError
        A cell size that is not positive, or too many cells.
    """
    if not cell or cell <= 0:
        raise LandplanError(
            "像元大小须为正数（米）。", "The cell size must be a positive number of metres."
        )
    ext = project_for_area(extent, crs)
    minx, miny, maxx, maxy = ext.total_bounds
    minx, miny = math.floor(minx / cell) * cell, math.floor(miny / cell) * cell
    maxx, maxy = math.ceil(maxx / cell) * cell, math.ceil(maxy / cell) * cell
    cols, rows = int(round((maxx - minx) / cell)), int(round((maxy - miny) / cell))
    if rows * cols > 2_000_000_000:
        raise LandplanError(
            "像元数过多，请增大 --cell。",
            f"A {cell:g} m grid over this extent would have {rows * cols:,} cells; use a larger "
            "--cell.",
        )
    return from_origin(minx, maxy, cell, cell), (rows, cols), ext.crs


def _burn(gdf: gpd.GeoDataFrame, crs, transform, shape) -> np.ndarray:
    """1 where a cell's centre lies in any feature of the layer (the union: overlaps count once)."""
    g = project_for_area(gdf, crs).geometry.values
    g = _valid_polygons(g)
    g = g[~shapely.is_missing(g)]
    if not len(g):
        return np.zeros(shape, dtype=np.uint8)
    return features.rasterize(
        ((geom, 1) for geom in g), out_shape=shape, transform=transform, fill=0, dtype="uint8"
    )


def coverage_raster(
    layers: dict[str, gpd.GeoDataFrame],
    extent: gpd.GeoDataFrame,
    cell: float = 10.0,
    crs=None,
    target: gpd.GeoDataFrame | None = None,
):
    """Count of layers covering each cell, and uncovered target land.

    Returns (count, uncovered, profile). ``count`` is uint8: the number of ``layers`` whose
    features cover the cell centre, 255 (nodata) outside ``extent``. ``uncovered`` is 1 where a
    cell of ``target`` (default: the extent) is covered by none of the layers, 0 elsewhere in the
    extent, 255 outside. ``profile`` is a rasterio profile (GeoTIFF, CRS = the extent's area CRS).

    Parameters
    ----------
    layers : dict of str to geopandas.GeoDataFrame
        The covering layers by name.
    extent : geopandas.GeoDataFrame
        The area of the grid.
    cell : float, default 10.0
        Cell size in metres.
    crs : optional
        A projected CRS (default: the extent's Gauss-Kruger zone).
    target : geopandas.GeoDataFrame, optional
        The land that should be covered (default: the extent).

    Returns
    -------
    count, uncovered : numpy.ndarray
    profile : dict

    Raises
    ------
    LandplanError
        As :func:`grid`; layers that are not polygons, or more than 254 of them.
    """
    if len(layers) > 254:
        raise LandplanError(
            "最多统计 254 个图层。", "At most 254 layers can be counted in one raster."
        )
    for name, gdf in layers.items():
        require_polygons(gdf, f"a coverage raster ({name})")
    crs = crs if crs is not None else area_crs(extent)
    transform, shape, crs = grid(extent, cell, crs)
    count = np.zeros(shape, dtype=np.uint8)
    for gdf in layers.values():
        count += _burn(gdf, crs, transform, shape)
    inside = _burn(extent, crs, transform, shape).astype(bool)
    tgt = inside if target is None else (_burn(target, crs, transform, shape).astype(bool) & inside)
    uncovered = np.where(inside, (tgt & (count == 0)).astype(np.uint8), COUNT_NODATA).astype(
        np.uint8
    )
    count[~inside] = COUNT_NODATA
    profile = {
        **GTIFF,
        "height": shape[0],
        "width": shape[1],
        "count": 1,
        "dtype": "uint8",
        "crs": crs,
        "transform": transform,
        "nodata": COUNT_NODATA,
    }
    return count, uncovered, profile


def write_raster(
    path,
    array: np.ndarray,
    profile: dict,
    tags: dict | None = None,
    band_description: str | None = None,
) -> None:
    """Write one band as a GeoTIFF with ``tags`` (e.g. source, meaning of values).

    Parameters
    ----------
    path : str or pathlib.Path
        The GeoTIFF to write.
    array : numpy.ndarray
        The band (rows, cols).
    profile : dict
        rasterio profile.
    tags : dict, optional
        Metadata tags.
    band_description : str, optional
        The band's description.
    """
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(array, 1)
        if tags:
            dst.update_tags(**{k: str(v) for k, v in tags.items()})
        if band_description:
            dst.set_band_description(1, band_description)


def _is_categorical(src, band: int) -> bool:
    if np.dtype(src.dtypes[band - 1]).kind not in "iub":
        return False
    sample = src.read(
        band, out_shape=(min(src.height, 512), min(src.width, 512)), resampling=Resampling.nearest
    )
    if src.nodata is not None:
        sample = sample[sample != src.nodata]
    return len(np.unique(sample)) <= 256


def warp_to(src, band: int, crs, categorical: bool):
    """The band warped to ``crs`` (a projected CRS): (array float64 with NaN for nodata, transform).

    Parameters
    ----------
    src : rasterio.DatasetReader
        The open raster.
    band : int
        Band number.
    crs : pyproj.CRS
        A projected CRS.
    categorical : bool
        Nearest-neighbour resampling (classes) rather than bilinear.

    Returns
    -------
    array : numpy.ndarray
    transform : affine.Affine
    """
    transform, width, height = calculate_default_transform(
        src.crs, crs, src.width, src.height, *src.bounds
    )
    source = src.read(band).astype("float64")
    if src.nodata is not None:
        source[source == src.nodata] = np.nan
    dst = np.full((height, width), np.nan)
    reproject(
        source,
        dst,
        src_transform=src.transform,
        src_crs=src.crs,
        src_nodata=np.nan,
        dst_transform=transform,
        dst_crs=crs,
        dst_nodata=np.nan,
        resampling=Resampling.nearest if categorical else Resampling.bilinear,
    )
    return dst, transform


def zonal_stats(
    raster_path,
    zones: gpd.GeoDataFrame,
    zone_id: str | None = None,
    band: int = 1,
    categorical: bool | None = None,
    crs=None,
) -> pd.DataFrame:
    """Statistics of a raster within each zone (cells whose centre lies in the zone).

    Categorical rasters (integer classes, e.g. land use): one row per zone and class with its
    area and share of the zone's valid cells. Continuous rasters (e.g. elevation): one row per
    zone with mean, min, max and the valid and nodata areas. Nodata cells are left out (their
    area is reported). The raster is warped to the zones' area CRS (EPSG:4547 in Shenzhen) when
    its CRS differs, so cell areas are true areas. ``categorical`` None: integer bands with at
    most 256 distinct values are categorical. Areas are in m² (a view converts them).

    Parameters
    ----------
    raster_path : str or pathlib.Path
        A raster file rasterio reads.
    zones : geopandas.GeoDataFrame
        Zone polygons with a CRS.
    zone_id : str, optional
        Column of ``zones`` naming them (default: the index).
    band : int, default 1
        Band number.
    categorical : bool, optional
        Classes or continuous values (default: guessed).
    crs : optional
        A projected CRS to measure in.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    LandplanError
        A raster that cannot be read, without a CRS, or a band it does not have.
    """
    require_polygons(zones, "zonal statistics")
    try:
        src = rasterio.open(raster_path)
    except rasterio.errors.RasterioIOError as exc:
        raise LandplanError(
            f"无法读取栅格 {raster_path}。",
            f"{raster_path} could not be read as a raster ({str(exc)[:120]}).",
        ) from None
    with src:
        if src.crs is None:
            raise LandplanError(
                "栅格未声明坐标系。",
                f"{raster_path} does not say which coordinate system it uses; add it "
                "(e.g. gdal_edit.py -a_srs EPSG:4547).",
            )
        if not 1 <= band <= src.count:
            raise LandplanError(
                "波段不存在。", f"The raster has {src.count} band(s); band {band} does not exist."
            )
        cat = _is_categorical(src, band) if categorical is None else categorical
        target = parse_crs(crs) if crs is not None else area_crs(zones)
        if (
            src.crs == target
        ):  # read each zone's window from the file: the whole band never sits in memory
            arr, transform, shape = None, src.transform, (src.height, src.width)
        else:
            arr, transform = warp_to(src, band, target, cat)
            shape = arr.shape
        rows = _zone_rows(src, band, arr, transform, shape, zones, zone_id, target, cat)
    cols = (
        ["zone_id", "class", "area", "pct", "nodata_area", "unit"]
        if cat
        else ["zone_id", "mean", "min", "max", "cells", "valid_area", "nodata_area", "unit"]
    )
    out = pd.DataFrame(rows, columns=cols)
    out.attrs["categorical"] = cat
    out.attrs["cell_m2"] = abs(transform.a * transform.e - transform.b * transform.d)
    return out


def _zone_rows(src, band, arr, transform, shape, zones, zone_id, target, cat) -> list[dict]:
    cell_m2 = abs(transform.a * transform.e - transform.b * transform.d)
    zg = _valid_polygons(project_for_area(zones, target).geometry.values)
    ids = _ids(zones, zone_id)
    rows = []
    for zid, geom in zip(ids, zg):
        if geom is None:
            continue
        window = (
            rasterio.windows.from_bounds(*geom.bounds, transform=transform)
            .round_offsets()
            .round_lengths()
        )
        window = (
            window.intersection(rasterio.windows.Window(0, 0, shape[1], shape[0]))
            if _overlaps(window, shape)
            else None
        )
        if window is None:
            vals, n_nodata = np.array([]), 0
        else:
            r0, c0 = int(window.row_off), int(window.col_off)
            if arr is None:
                sub = src.read(band, window=window).astype("float64")
                if src.nodata is not None:
                    sub[sub == src.nodata] = np.nan
            else:
                sub = arr[r0 : r0 + int(window.height), c0 : c0 + int(window.width)]
            wt = rasterio.windows.transform(window, transform)
            inside = features.geometry_mask([geom], out_shape=sub.shape, transform=wt, invert=True)
            vals = sub[inside]
            n_nodata = int(np.isnan(vals).sum())
            vals = vals[~np.isnan(vals)]
        nodata_area = float(n_nodata * cell_m2)
        if cat:
            classes, counts = np.unique(vals.astype(np.int64), return_counts=True)
            total = counts.sum()
            for c, k in zip(classes, counts):
                rows.append(
                    {
                        "zone_id": zid,
                        "class": int(c),
                        "area": float(k * cell_m2),
                        "pct": 100.0 * k / total,
                        "nodata_area": nodata_area,
                        "unit": "m2",
                    }
                )
        else:
            rows.append(
                {
                    "zone_id": zid,
                    "mean": float(vals.mean()) if len(vals) else np.nan,
                    "min": float(vals.min()) if len(vals) else np.nan,
                    "max": float(vals.max()) if len(vals) else np.nan,
                    "cells": int(len(vals)),
                    "valid_area": float(len(vals) * cell_m2),
                    "nodata_area": nodata_area,
                    "unit": "m2",
                }
            )
    return rows


def _overlaps(window, shape) -> bool:
    return (
        window.col_off < shape[1]
        and window.row_off < shape[0]
        and window.col_off + window.width > 0
        and window.row_off + window.height > 0
    )
