"""Geometry repair on reading, reported: unusable coordinates, Z/M values, invalid polygons."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import shapely

from ..areas import polygonal_part
from ..threads import in_threads

if TYPE_CHECKING:
    import geopandas as gpd


def _repair(gdf: gpd.GeoDataFrame, report) -> gpd.GeoDataFrame:
    """Empty out unusable coordinates, drop Z/M, make invalid polygons valid; report each."""
    geoms, changed = repair_geometries(gdf.geometry.values, report)
    return _with_geoms(gdf, geoms) if changed else gdf


class GeometryChecks(NamedTuple):
    """What :func:`repair_geometries` asks of each geometry (:func:`check_geometries`)."""

    #: neither missing nor empty
    present: np.ndarray
    #: valid, with coordinates within 1e9 and no Z or M values (False: to be looked at)
    plain: np.ndarray
    #: shapely.is_valid
    valid: np.ndarray


def check_geometries(geoms) -> GeometryChecks:
    """The checks of :func:`repair_geometries`, geometry by geometry.

    Element-wise, so a reader can make them chunk by chunk on other threads while it reads, and
    join them with :func:`join_checks`.

    Parameters
    ----------
    geoms : array-like of shapely.Geometry

    Returns
    -------
    GeometryChecks
    """
    geoms = np.asarray(geoms, dtype=object)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    valid = shapely.is_valid(geoms)
    # GEOS finds a geometry with a NaN or infinite coordinate invalid, so a valid one's are finite
    # and its box bounds them (reading every coordinate would hold the GIL, which this does not)
    with np.errstate(invalid="ignore"):
        plain = valid & (np.abs(shapely.bounds(geoms)) <= 1e9).all(axis=1) & ~shapely.has_z(geoms)
    if hasattr(shapely, "has_m"):
        plain &= ~shapely.has_m(geoms)
    return GeometryChecks(present, plain, valid)


def join_checks(parts) -> GeometryChecks:
    """The checks of chunks (:func:`check_geometries`), in the chunks' order, as one."""
    return GeometryChecks(*(np.concatenate(column) for column in zip(*parts)))


def repair_geometries(
    geoms, report, checks: GeometryChecks | None = None
) -> tuple[np.ndarray, bool]:
    """:func:`_repair` on an array of geometries: (geometries, whether any changed).

    Parameters
    ----------
    geoms : array-like of shapely.Geometry
        The geometries as read.
    report : geo.io.Report
        Where each repair and warning is said.
    checks : GeometryChecks, optional
        :func:`check_geometries` of ``geoms``, made beforehand (e.g. while reading): when every
        geometry is plain, nothing is looked at again.

    Returns
    -------
    geoms : numpy.ndarray
        The repaired geometries.
    changed : bool
        Whether any geometry changed.
    """
    geoms = np.asarray(geoms, dtype=object)
    if checks is not None and checks.plain[checks.present].all():
        n_empty = int((~checks.present).sum())
        return _repair_invalid(geoms, report, checks.present, checks.valid, n_empty)
    changed = False
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    n_empty = int((~present).sum())  # before features with unusable coordinates are emptied
    xy = shapely.get_coordinates(geoms)
    if len(xy) and not (
        np.isfinite(xy).all() and np.abs(xy).max() <= 1e9
    ):  # only then find the features
        xy, idx = shapely.get_coordinates(geoms, return_index=True)
        bad_xy = ~np.isfinite(xy).all(axis=1) | (np.abs(xy) > 1e9).any(axis=1)
        if bad_xy.any():
            bad = np.zeros(len(geoms), dtype=bool)
            bad[np.unique(idx[bad_xy])] = True
            hits = ((~np.isfinite(xy[bad_xy])).any(), (np.abs(xy[bad_xy]) > 1e9).any())
            kinds = " and ".join(
                k for k, hit in zip(("NaN/infinite", "out of range (beyond 1e9)"), hits) if hit
            )
            kinds_zh = "、".join(
                k for k, hit in zip(("NaN 或无穷大", "超出范围，大于 1e9"), hits) if hit
            )
            geoms = geoms.copy()
            geoms[bad] = None
            changed = True
            present &= ~bad
            rows = ", ".join(map(str, np.flatnonzero(bad)[:5]))
            report.repair(
                f"{int(bad.sum())} 个要素坐标无效（{kinds_zh}，要素序号 {rows}），保留为空几何，"
                "按零面积计。",
                f"{int(bad.sum())} feature(s) have {kinds} coordinates (rows {rows}); "
                "they are kept with an empty geometry and count as zero area.",
            )
    has_m = shapely.has_m(geoms[present]).any() if hasattr(shapely, "has_m") else False
    has_z = shapely.has_z(geoms[present]).any()
    if has_z or has_m:
        what = " and ".join(w for w, hit in (("Z (height)", has_z), ("M (measure)", has_m)) if hit)
        geoms = shapely.force_2d(geoms)
        changed = True
        what_zh = "、".join(w for w, hit in (("Z（高程）", has_z), ("M（测量值）", has_m)) if hit)
        report.repair(
            f"已去掉 {what_zh} 值，面积按平面计算。",
            f"{what} values were dropped; areas are planimetric.",
        )
    valid = in_threads(shapely.is_valid, geoms)
    geoms, mended = _repair_invalid(geoms, report, present, valid, n_empty)
    return geoms, changed or mended


def _repair_invalid(geoms, report, present, valid, n_empty: int) -> tuple[np.ndarray, bool]:
    """Invalid polygons made valid, features without geometry said: the end of
    :func:`repair_geometries` (``n_empty``: features read without a geometry)."""
    changed = False
    invalid = present & ~valid
    n_bad = int(invalid.sum())
    if n_bad:
        fixed = geoms.copy()
        made = shapely.make_valid(geoms[invalid])
        polygonal = np.isin(shapely.get_type_id(geoms[invalid]), (3, 6))
        # a polygon stays a polygon: collapsed parts (lines, points of zero area) are dropped
        made[polygonal] = [polygonal_part(g) for g in made[polygonal]]
        fixed[invalid] = made
        reasons = shapely.is_valid_reason(geoms[invalid])[:3]
        geoms, changed = fixed, True
        report.repair(
            f"{n_bad} 个无效几何已修复（如 {'; '.join(reasons)}）；去掉了零面积的尖刺，面积不变。",
            f"{n_bad} invalid geometr{'y was' if n_bad == 1 else 'ies were'} repaired "
            f"(e.g. {'; '.join(reasons)}); zero-area spikes were dropped, the area is kept.",
        )
    n_empty -= min(
        report.empty_reported, n_empty
    )  # those already explained (e.g. WKT that could not be parsed)
    if n_empty:
        report.warn(
            f"{n_empty} 个要素无几何，均保留，按零面积计。",
            f"{n_empty} feature(s) have no geometry; they are kept and count as zero area.",
        )
    return geoms, changed


def _with_geoms(gdf: gpd.GeoDataFrame, geoms) -> gpd.GeoDataFrame:
    import geopandas as gpd

    out = gdf.copy()
    out[gdf.geometry.name] = gpd.GeoSeries(list(geoms), index=gdf.index, crs=gdf.crs)
    return out


def _parse_closing_rings(parse, values) -> tuple[np.ndarray, int]:
    """Geometries from WKB/WKT (``parse``: shapely.from_wkb or from_wkt), unclosed rings closed.

    Returns the geometries and how many of them had rings that needed closing.
    """
    strict = parse(values, on_invalid="ignore")
    geoms = parse(values, on_invalid="fix")
    return geoms, int((shapely.is_missing(strict) & ~shapely.is_missing(geoms)).sum())
