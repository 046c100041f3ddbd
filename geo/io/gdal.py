"""One read through GDAL: curves made straight, open rings closed, 3-D surfaces refused."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

from .repair import _parse_closing_rings
from .report import _fail

#: WKB geometry types GEOS (and so landplan) cannot hold, by ISO code modulo 1000
_UNSUPPORTED_WKB = {15: "PolyhedralSurface", 16: "TIN", 17: "Triangle"}


def _read_file(path: Path, kwargs, report, shown: str) -> gpd.GeoDataFrame:
    try:
        gdf = gpd.read_file(path, engine="pyogrio", **kwargs)
    except shapely.errors.GEOSException as exc:
        _refuse_unsupported_type(exc, shown)
        gdf = _read_fixing_structure(path, kwargs, report)
    except Exception as exc:  # noqa: BLE001 - GDAL raises many types
        if "nonlinear geometry" in str(exc).lower():
            return _read_linearised(path, kwargs, report, shown)
        _refuse_unsupported_type(exc, shown)
        detail = (str(exc).splitlines()[0] if str(exc) else type(exc).__name__).replace(
            str(path), shown
        )
        detail = detail.split("; It might help")[0][:200]
        if path.suffix.lower() in (".geojson", ".json"):
            _fail(
                f"无法读取 {shown}：不是有效的 GeoJSON（文件可能不完整）。",
                f"{shown} is not valid GeoJSON ({detail}). Check that the file is complete (not "
                "cut short) "
                "and really GeoJSON.",
            )
        _fail(
            f"无法读取 {shown}：文件可能不完整或格式不受支持。",
            f"{shown} could not be read as geodata ({detail}). "
            "Check that the file is complete and in a supported format.",
        )
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry.name not in gdf.columns:
        _fail(
            f"{shown} 没有几何（只有属性表），无法制图或计算面积。",
            f"{shown} has no geometry: it is a table of attributes only, with nothing to map or "
            "measure. "
            "Export the layer with its geometry.",
        )
    return gdf


def _read_linearised(path: Path, kwargs, report, shown: str) -> gpd.GeoDataFrame:
    """Read curved geometries (CurvePolygon ...) as straight segments, as GDAL does."""
    kw = {k: v for k, v in kwargs.items() if k != "use_arrow"}
    try:  # without Arrow, GDAL hands over the linear approximation of every curve
        gdf = gpd.read_file(path, engine="pyogrio", use_arrow=False, **kw)
    except Exception as exc:  # noqa: BLE001
        _fail(
            f"{shown} 含曲线几何，无法转换。",
            f"{shown} holds curved geometries that could not be converted ({str(exc)[:120]}).",
        )
    report.repair(
        f"{shown} 含曲线几何（圆弧，如 CurvePolygon、MultiSurface，CAD/FileGDB 导出常见），已按 "
        "GDAL 的方式转为折线"
        "（每段约 4°），面积差异小于 0.1%。",
        f"{shown} holds curved geometries (arcs: CurvePolygon, MultiSurface ..., common in CAD and "
        "FileGDB "
        "exports); they were converted "
        "to straight segments as GDAL does (about 4 degrees of arc per segment; areas change by "
        "less than 0.1 %).",
    )
    return gdf


def _refuse_unsupported_type(exc, shown: str) -> None:
    """Refuse 3-D surface geometries (TIN, PolyhedralSurface: Esri MultiPatch), naming the type."""
    m = re.search(r"WKB type (\d+)", str(exc))
    name = _UNSUPPORTED_WKB.get(int(m.group(1)) % 1000) if m else None
    if name:
        _fail_unsupported(name, shown)


def _fail_unsupported(name: str, shown: str):
    _fail(
        f"{shown} 含 {name} 几何（三维表面，如 Esri MultiPatch），不支持该几何类型。"
        "请先导出为面（如 ArcGIS“多面体覆盖区”）。",
        f"{shown} holds {name} geometries (3-D surfaces, as Esri MultiPatch or CAD models store "
        "them); this "
        "geometry type is not supported. Export the footprints as polygons (e.g. ArcGIS "
        "'Multipatch Footprint').",
    )


def _read_fixing_structure(path: Path, kwargs, report) -> gpd.GeoDataFrame:
    """Read again, closing unclosed rings (GEOS refuses them) and reporting how many were fixed."""
    kw = {k: v for k, v in kwargs.items() if k != "use_arrow"}
    try:
        meta, table = pyogrio.read_arrow(path, **kw)
    except Exception as exc:  # noqa: BLE001
        _fail(
            f"无法读取 {path.name}。",
            f"{path.name} could not be read as geodata ({str(exc).splitlines()[0][:200]}).",
        )
    df = table.to_pandas()
    col = meta.get("geometry_name")
    if col not in df.columns:
        col = next(c for c in df.columns if c not in set(meta.get("fields", [])))
    geoms, n = _parse_closing_rings(shapely.from_wkb, df.pop(col).to_numpy(dtype=object))
    if n:
        report.repair(
            f"{n} 个要素的环未闭合（最后一点不是第一点），已闭合。",
            f"{n} feature(s) had rings that were not closed (last point not the first); they were "
            "closed.",
        )
    return gpd.GeoDataFrame(df, geometry=list(geoms), crs=meta.get("crs"))
