"""read_layer: a user's layer from a file, folder, zip or database, every guess and repair reported.

Formats are read by their own modules (archive, shapefile, containers, kml, dxf, table, gdal);
geometry is repaired by :mod:`geo.io.repair`, and a read against an analysis's zones reads only
what meets them (:mod:`geo.io.extent`).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from ..crs import CRS_HELP, offset_system, parse_crs, to_wgs84
from ..crs_check import check_coordinates, guess_crs
from ..errors import CRSError
from ..offset_check import lonlat_outlines, offset_line
from .archive import _extracted, _find_one, _plain_path
from .containers import _choose_layer
from .dxf import _DXF_OPTIONS, _dxf_outlines
from .extent import _read_in_extent
from .formats import GPX_POINT_LAYERS, READ_SUFFIXES, format_of, format_read, not_read_error
from .gdal import _read_file
from .kml import _read_layers
from .repair import _repair
from .report import Report, _fail
from .shapefile import _mended_copy, _shapefile_encoding
from .sql import is_db_url, read_table
from .table import _read_table

#: every file name ending a layer argument may have (:data:`geo.io.formats.READ_SUFFIXES`)
VECTOR_SUFFIXES = set(READ_SUFFIXES)

_ID_COLUMNS = ("id", "fid", "feature_id", "park_id", "zone_id", "code", "编号", "代码")


def read_layer(
    path,
    layer: str | None = None,
    encoding: str | None = None,
    crs=None,
    mask: gpd.GeoDataFrame | None = None,
    columns: list[str] | None = None,
    reference: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Read a user's layer, listing what was guessed, warned about or repaired.

    The result keeps the file's own CRS; layers in an offset system (``crs='gcj02'`` or
    ``'bd09'``) are converted to WGS84. ``crs`` states (or overrides) the coordinate system.
    A layer without any coordinate system, or whose coordinates cannot be in the one it states,
    is refused with a message saying what the numbers look like and how to state the right one.
    ``mask`` (a GeoDataFrame with a CRS) reads only the features that intersect it, which is
    all an analysis against those zones needs. ``columns`` limits the attribute fields read
    (``[]``: geometry only, for an analysis that needs no attributes). ``reference``: outlines the
    layer may share edges with (e.g. administrative boundaries); a warning is reported when the
    layer sits off them the way GCJ-02/BD-09 shifts data. ``attrs['repairs']`` and
    ``attrs['warnings']`` are the report lines that changed the data and that warn.

    Parameters
    ----------
    path : str or pathlib.Path
        A file, folder, zip or ``postgresql://`` URL.
    layer : str, optional
        Layer (GeoPackage, FileGDB, KML folder) or table to read.
    encoding : str, optional
        Attribute text encoding, overriding the .cpg and detection.
    crs : optional
        The layer's CRS, stated or overriding the file's ('gcj02'/'bd09' included).
    mask : geopandas.GeoDataFrame, optional
        Read only the features meeting these zones.
    columns : list of str, optional
        Attribute fields to read (``[]``: geometry only).
    reference : geopandas.GeoDataFrame, optional
        Outlines the layer may share edges with (offset check).

    Returns
    -------
    geopandas.GeoDataFrame
        The layer, with ``attrs['report']``, ``attrs['repairs']``, ``attrs['warnings']``.

    Raises
    ------
    LandplanError
        A file that cannot be read (ReadError) or without a usable CRS (CRSError), with what to do.
    """
    report = Report()
    if is_db_url(
        path
    ):  # a PostGIS table (geo/io/sql.py): the same repairs, CRS checks and report as a file
        gdf = read_table(path, layer, columns=columns, mask=None if crs is not None else mask)
        gdf.attrs["source_name"] = str(layer)
        gdf = _repair(gdf, report)
    else:
        path = Path(path)
        gdf = _read_any(path, layer, encoding, crs, mask, columns, report)
    shown = gdf.attrs.get("source_name") or getattr(path, "name", str(layer))
    if crs is not None:
        if offset_system(crs):
            gdf = to_wgs84(gdf, crs)
            report.note(
                f"已从 {offset_system(crs)} 转换为 WGS84（精确迭代反算）。",
                f"Converted from {offset_system(crs)} to WGS84 (exact iterative inverse).",
            )
        else:
            if gdf.crs is not None:
                said = gdf.crs.to_string()[:40]
                report.note(
                    f"已按要求将坐标系设为 {crs}（文件声明为 {said}）。",
                    f"Coordinate system set to {crs} as asked (the file said {said}).",
                )
            gdf = gdf.set_crs(parse_crs(crs), allow_override=True)
    elif gdf.crs is None:
        xy = shapely.get_coordinates(gdf.geometry.values)
        xy = xy[np.isfinite(xy).all(axis=1)]
        code, look_en, look_zh = guess_crs(xy[:, 0], xy[:, 1])
        raise CRSError(
            f"{shown} 未声明坐标系；坐标看起来是{look_zh}。请用 --crs 指定（如 EPSG:4326、"
            "EPSG:4547、gcj02、bd09），"
            "或提供 .prj 文件。",
            f"{shown} does not say which coordinate system it uses; its coordinates look like "
            f"{look_en}. " + CRS_HELP,
        )
    if not (crs is not None and offset_system(crs)):
        gdf, fixes = check_coordinates(gdf, shown)
        report.coordinate_fixes(fixes)  # bilingual lines from check_coordinates
    _warn_duplicate_ids(gdf, report)
    gdf.attrs["report"] = list(report)
    gdf.attrs["repairs"] = list(report.repairs)
    gdf.attrs["warnings"] = list(report.warnings)
    gdf.attrs["source_name"] = shown
    if reference is not None and not (crs is not None and offset_system(crs)):
        warn_if_offset(gdf, reference)
    return gdf


def warn_if_offset(gdf: gpd.GeoDataFrame, reference: gpd.GeoDataFrame) -> str | None:
    """Warn in ``gdf.attrs['report']`` when the layer sits off ``reference`` as GCJ-02/BD-09 do.

    Returns the warning (None when the layer fits, is projected, or shares no edges with the
    reference).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A layer read by :func:`read_layer`.
    reference : geopandas.GeoDataFrame
        Trusted outlines.

    Returns
    -------
    str or None
    """
    if reference is None or reference.crs is None:
        return None
    line = offset_line(gdf.geometry.values, gdf.crs, lonlat_outlines(reference))
    if line is None:
        return None
    gdf.attrs["report"] = list(gdf.attrs.get("report", [])) + [line]
    gdf.attrs["warnings"] = list(gdf.attrs.get("warnings", [])) + [line]
    return line


def _read_any(path: Path, layer, encoding, crs, mask, columns, report) -> gpd.GeoDataFrame:
    """Read a file, folder or zip into a GeoDataFrame with its file CRS; repairs geometry."""
    if not path.exists():
        _fail(f"文件 {str(path)!r} 不存在。", f"The file {str(path)!r} does not exist.")
    suffix = path.suffix.lower()
    if path.is_dir() and suffix != ".gdb":
        inner, layer = _find_one(path, layer=layer)
        return _read_any(inner, layer, encoding, crs, mask, columns, report)
    if suffix == ".zip":
        with _extracted(path, report) as folder:
            inner, layer = _find_one(folder, shown=path.name, layer=layer)
            gdf = _read_any(inner, layer, encoding, crs, mask, columns, report)
            gdf.attrs["source_name"] = path.name
            return gdf
    if format_of(path) is None:
        raise not_read_error(path.name)
    if path.is_file() and path.stat().st_size == 0:
        _fail(
            f"{path.name} 是空文件（0 字节）。",
            f"{path.name} is empty (0 bytes); the upload or copy did not complete.",
        )
    if format_of(path).driver is None:
        gdf = _read_table(path, report)
    else:
        with _plain_path(path) as readable:
            gdf = _read_vector(
                readable,
                layer,
                encoding,
                report,
                None if crs is not None else mask,
                columns,
                shown=path.name,
            )
    if not len(gdf):
        which = f" 的图层 {layer!r} " if layer else " "
        _fail(
            f"{path.name}{which}是空的：没有任何要素，无可制图或计算。",
            f"{path.name}{f' (layer {layer!r})' if layer else ''} is empty: it holds no features, "
            "nothing to map or measure.",
        )
    gdf = _repair(gdf, report)
    gdf.attrs["source_name"] = path.name
    return gdf


def _warn_duplicate_ids(gdf: gpd.GeoDataFrame, report) -> None:
    low = {str(c).strip().lower(): c for c in gdf.columns if c != gdf.geometry.name}
    for key in _ID_COLUMNS:
        col = low.get(key)
        if col is None:
            continue
        vals = gdf[col].dropna()
        dup = vals[vals.duplicated(keep=False)]
        if len(dup):
            counts = dup.astype(str).value_counts()
            shown = ", ".join(f"{k} x{v}" for k, v in counts.head(5).items())
            report.warn(
                f"字段 {col} 有重复值（{shown}）；所有要素均保留，按行而不是按编号计数。",
                f"Column {col!r} has duplicate values ({shown}); every feature is kept and counted "
                "by row, "
                "not by id.",
            )
        return


def _read_vector(
    path: Path, layer, encoding, report, mask=None, columns=None, shown=None
) -> gpd.GeoDataFrame:
    """Read a file GDAL reads, by its format (:data:`geo.io.formats.FORMATS`)."""
    shown = shown or path.name
    fmt = format_read(path)
    kwargs = {"use_arrow": True}
    if columns is not None:
        kwargs["columns"] = list(columns)
    fixed_dbf = None
    if fmt.layers or fmt.driver == "DXF":
        names = _choose_layer(path, fmt.name_en, layer, kwargs, shown)
        if fmt.layers == "all":
            if fmt.driver == "GPX" and layer is None:  # their points repeat the routes and tracks
                names = [n for n in names if n not in GPX_POINT_LAYERS]
            if layer is not None or len(names) > 1:
                return _read_layers(path, layer, names, kwargs, report, shown, fmt)
        if fmt.driver == "DXF":
            kwargs.update(_DXF_OPTIONS)
    if fmt.driver == "ESRI Shapefile":
        kwargs["encoding"], fixed_dbf = _shapefile_encoding(path, encoding, report)
    elif encoding:
        kwargs["encoding"] = encoding
    if mask is not None and mask.crs is not None and fixed_dbf is None:
        gdf = _read_in_extent(path, mask, kwargs, report, shown)
        if gdf is not None and len(gdf):
            return gdf
        # nothing in the zones: read it all, so that coordinates that do not fit the CRS are found
        # and said
    if fixed_dbf is not None:  # GDAL hands cut characters on as invalid UTF-8: read a mended copy
        with _mended_copy(path, fixed_dbf) as copy:
            return _read_file(copy, kwargs, report, shown)
    gdf = _read_file(path, kwargs, report, shown)
    if fmt.driver == "DXF":
        gdf = _dxf_outlines(gdf, report)
    if gdf.crs is None and fmt.driver == "TopoJSON":
        gdf = _lonlat_if_unsaid(gdf, report, shown)
    return gdf


def _lonlat_if_unsaid(gdf: gpd.GeoDataFrame, report, shown: str) -> gpd.GeoDataFrame:
    """A TopoJSON file states no CRS (GDAL reads none): longitude/latitude, as d3 and QGIS take
    it, when its numbers are degrees; else it stays unsaid, and the reader asks for one."""
    xy = shapely.get_coordinates(gdf.geometry.values)
    xy = xy[np.isfinite(xy).all(axis=1)]
    if len(xy) and guess_crs(xy[:, 0], xy[:, 1])[0] == "EPSG:4326":
        report.note(
            f"{shown} 是 TopoJSON，未声明坐标系；其坐标为经纬度，按 WGS84（EPSG:4326）读取。",
            f"{shown} is TopoJSON, which states no coordinate system; its coordinates are "
            "degrees and were read as longitude/latitude (WGS84, EPSG:4326).",
        )
        return gdf.set_crs(4326)
    return gdf
