"""Reading and writing the files planners exchange, with every repair reported.

read_layer handles Shapefiles (a .shp, a folder, or a .zip), GeoPackage (layer choice),
GeoJSON, KML, and CSV/XLSX with a WKT column or lon/lat columns. Attribute encoding: a .cpg
is honoured, GBK/GB18030 is detected when it is missing, and the caller can override.
What was guessed or repaired is listed in ``gdf.attrs['report']``.
"""
from __future__ import annotations

import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from .crs import CRS_HELP, offset_system, parse_crs, to_wgs84, transform_layer
from .errors import CRSError, LandplanError

VECTOR_SUFFIXES = {".shp", ".gpkg", ".geojson", ".json", ".kml", ".zip", ".csv", ".xlsx"}
MAX_ZIP_UNCOMPRESSED = 2 * 1024**3  # refuse archives that expand beyond 2 GiB
_WKT_COLUMNS = ("wkt", "geometry", "geom", "the_geom", "shape")
_LON_COLUMNS = ("lon", "lng", "long", "longitude", "x", "经度")
_LAT_COLUMNS = ("lat", "latitude", "y", "纬度")


class ReadError(LandplanError):
    """A file could not be read; the message says why and what to do."""


def _fail(msg: str, msg_zh: str | None = None):
    raise ReadError(msg, msg_zh)


def detect_dbf_encoding(dbf: Path) -> str:
    """'utf-8' if the .dbf text decodes as UTF-8, else 'gb18030' (a superset of GBK)."""
    raw = dbf.read_bytes()
    if len(raw) < 32:
        return "utf-8"
    header_len = int.from_bytes(raw[8:10], "little")
    body = raw[header_len:]
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        try:
            body.decode("gb18030")
            return "gb18030"
        except UnicodeDecodeError:
            return "latin-1"


@contextmanager
def _extracted(zip_path: Path):
    """Extract a zip safely into a private temporary folder, removed afterwards."""
    try:
        zf = zipfile.ZipFile(zip_path)
    except zipfile.BadZipFile:
        _fail(f"{zip_path.name} is not a valid zip archive. Zip the .shp, .shx, .dbf, .prj (and .cpg) files again.",
              f"{zip_path.name} 不是有效的 zip 压缩包。")
    with zf, tempfile.TemporaryDirectory(prefix="landplan-") as tmp:
        total = 0
        for info in zf.infolist():
            name = info.filename.replace("\\", "/")
            parts = PurePosixPath(name).parts
            if name.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
                _fail(f"{zip_path.name} contains an unsafe path ({name!r}); it was not extracted.",
                      f"压缩包含有不安全的路径（{name!r}），已拒绝。")
            total += info.file_size
            if total > MAX_ZIP_UNCOMPRESSED:
                _fail(f"{zip_path.name} expands to more than {MAX_ZIP_UNCOMPRESSED // 1024**3} GiB; it was refused.",
                      "压缩包解压后过大，已拒绝。")
        zf.extractall(tmp)
        yield Path(tmp)


def _find_one(folder: Path, suffixes=(".shp", ".gpkg", ".geojson", ".json", ".kml")) -> Path:
    found = [p for p in sorted(folder.rglob("*")) if p.suffix.lower() in suffixes and not p.name.startswith("._")]
    shp = [p for p in found if p.suffix.lower() == ".shp"]
    cands = shp or found
    if not cands:
        _fail(f"No Shapefile (.shp) or other geodata was found in {folder.name}. "
              "Include the .shp, .shx, .dbf and .prj files.", "未找到 .shp 或其他地理数据文件。")
    if len(cands) > 1:
        names = ", ".join(p.name for p in cands[:10])
        _fail(f"{folder.name} holds several layers ({names}); give one file, or one layer per zip.",
              f"包含多个图层（{names}），请只提供一个。")
    return cands[0]


def read_layer(path, layer: str | None = None, encoding: str | None = None, crs=None,
               mask: gpd.GeoDataFrame | None = None, columns: list[str] | None = None) -> gpd.GeoDataFrame:
    """Read a user's layer, with ``attrs['report']`` listing what was guessed or repaired.

    The result keeps the file's own CRS; layers in an offset system (``crs='gcj02'`` or
    ``'bd09'``) are converted to WGS84. ``crs`` states (or overrides) the coordinate system.
    A layer without any coordinate system is refused with a message saying how to state one.
    ``mask`` (a GeoDataFrame with a CRS) reads only the features that intersect it, which is
    all an analysis against those zones needs. ``columns`` limits the attribute fields read
    (``[]``: geometry only, for an analysis that needs no attributes).
    """
    path = Path(path)
    if not path.exists():
        _fail(f"The file {str(path)!r} does not exist.", f"文件 {str(path)!r} 不存在。")
    if path.is_dir():
        return read_layer(_find_one(path), layer, encoding, crs, mask, columns)
    suffix = path.suffix.lower()
    if suffix == ".zip":
        with _extracted(path) as folder:
            gdf = read_layer(_find_one(folder), layer, encoding, crs, mask, columns)
            gdf.attrs["source_name"] = path.name
            return gdf
    report: list[str] = []
    if suffix in (".csv", ".xlsx", ".xls"):
        gdf = _read_table(path, report)
    elif suffix in (".shp", ".gpkg", ".geojson", ".json", ".kml"):
        gdf = _read_vector(path, layer, encoding, report, None if crs is not None else mask, columns)
    else:
        _fail(f"{path.name} is not a format landplan reads. Use a zipped Shapefile, GeoPackage, GeoJSON, KML, "
              "or CSV/XLSX with a WKT column or lon/lat columns.", f"{path.name} 不是支持的格式。")
    gdf = _repair(gdf, report)
    if crs is not None:
        if offset_system(crs):
            gdf = to_wgs84(gdf, crs)
            report.append(f"Converted from {offset_system(crs)} to WGS84 (exact iterative inverse).")
        else:
            if gdf.crs is not None:
                report.append(f"Coordinate system set to {crs} as asked (the file said {gdf.crs.to_string()[:40]}).")
            gdf = gdf.set_crs(parse_crs(crs), allow_override=True)
    elif gdf.crs is None:
        raise CRSError(f"{path.name} does not say which coordinate system it uses. " + CRS_HELP,
                       f"{path.name} 未声明坐标系。请用 --crs 指定（如 EPSG:4326、EPSG:4547、gcj02、bd09），或提供 .prj 文件。")
    gdf.attrs["report"] = report
    gdf.attrs["source_name"] = path.name
    return gdf


def _read_vector(path: Path, layer, encoding, report, mask=None, columns=None) -> gpd.GeoDataFrame:
    kwargs = {"use_arrow": True}
    if columns is not None:
        kwargs["columns"] = list(columns)
    if path.suffix.lower() == ".gpkg":
        try:
            names = [n for n, _ in pyogrio.list_layers(path)]
        except Exception as exc:  # noqa: BLE001 - GDAL raises many types
            _fail(f"{path.name} could not be opened as a GeoPackage ({exc}).", f"无法打开 GeoPackage：{path.name}")
        if layer is None and len(names) > 1:
            _fail(f"{path.name} has several layers ({', '.join(names)}); choose one with --layer.",
                  f"{path.name} 含多个图层（{', '.join(names)}），请用 --layer 选择。")
        if layer is not None and layer not in names:
            _fail(f"{path.name} has no layer {layer!r}; its layers are {', '.join(names)}.")
        kwargs["layer"] = layer or (names[0] if names else None)
    if path.suffix.lower() == ".shp":
        stem = path.with_suffix("")
        for ext in (".shx", ".dbf"):
            if not any(stem.with_suffix(e).exists() for e in (ext, ext.upper())):
                _fail(f"{path.name} has no {ext} file beside it; a Shapefile needs .shp, .shx and .dbf together.",
                      f"{path.name} 缺少 {ext} 文件。")
        cpg = next((p for p in (stem.with_suffix(".cpg"), stem.with_suffix(".CPG")) if p.exists()), None)
        dbf = next(p for p in (stem.with_suffix(".dbf"), stem.with_suffix(".DBF")) if p.exists())
        if encoding:
            report.append(f"Attribute text read as {encoding} as asked.")
        elif cpg is not None:
            encoding = cpg.read_text(errors="replace").strip() or None
            guessed = detect_dbf_encoding(dbf)
            if encoding and encoding.lower().replace("-", "") in ("utf8",) and guessed != "utf-8":
                report.append(f"The .cpg says {encoding} but the text is not valid UTF-8; read as {guessed} instead.")
                encoding = guessed
        else:
            encoding = detect_dbf_encoding(dbf)
            if encoding != "utf-8":
                report.append(f"No .cpg file: attribute text detected as {encoding.upper()} (GBK-compatible). "
                              "Use --encoding to override.")
        kwargs["encoding"] = encoding
    elif encoding:
        kwargs["encoding"] = encoding
    if mask is not None and mask.crs is not None:
        try:
            info = pyogrio.read_info(path, layer=kwargs.get("layer"))
            file_crs = info.get("crs")
            if file_crs:
                zones = transform_layer(mask, file_crs).geometry.dropna()
                if path.suffix.lower() == ".gpkg" and 0 < len(zones) <= 64:
                    return _read_by_boxes(path, zones, kwargs)
                kwargs["mask"] = shapely.union_all(zones.values)
        except Exception:  # noqa: BLE001 - no mask: read everything, same answer
            pass
    try:
        return gpd.read_file(path, engine="pyogrio", **kwargs)
    except Exception as exc:  # noqa: BLE001 - GDAL raises many types
        _fail(f"{path.name} could not be read as geodata ({str(exc).splitlines()[0][:200]}). "
              "Check that the file is complete and in a supported format.", f"无法读取 {path.name}。")


def _read_by_boxes(path: Path, zones, kwargs) -> gpd.GeoDataFrame:
    """Read the features in each zone's bounding box (GeoPackage R-tree), without duplicates.

    Several small box reads beat one read with a city-wide mask, whose own box is the whole city.
    """
    parts = [pyogrio.read_dataframe(path, bbox=tuple(b), fid_as_index=True, **kwargs) for b in zones.bounds.values]
    gdf = pd.concat(parts)
    gdf = gdf[~gdf.index.duplicated()].sort_index()
    return gpd.GeoDataFrame(gdf.reset_index(drop=True), geometry=gdf.geometry.name, crs=parts[0].crs)


def _pick(columns, names):
    low = {str(c).strip().lower(): c for c in columns}
    return next((low[n] for n in names if n in low), None)


def _read_table(path: Path, report) -> gpd.GeoDataFrame:
    try:
        df = pd.read_excel(path) if path.suffix.lower() in (".xlsx", ".xls") else _read_csv(path, report)
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001
        _fail(f"{path.name} could not be read as a table ({exc}).", f"无法读取表格 {path.name}。")
    wkt_col = _pick(df.columns, _WKT_COLUMNS)
    lon_col, lat_col = _pick(df.columns, _LON_COLUMNS), _pick(df.columns, _LAT_COLUMNS)
    if wkt_col is not None:
        text = df[wkt_col].astype("string")
        geoms = shapely.from_wkt(text.fillna("").to_numpy(dtype=object), on_invalid="ignore")
        bad = int((shapely.is_missing(geoms) & text.notna().to_numpy()).sum())
        if bad:
            rows = np.flatnonzero(shapely.is_missing(geoms) & text.notna().to_numpy())[:5] + 2
            report.append(f"{bad} row(s) have WKT that could not be parsed (e.g. file lines {', '.join(map(str, rows))}); "
                          "they are kept with an empty geometry.")
        return gpd.GeoDataFrame(df.drop(columns=[wkt_col]), geometry=list(geoms))
    if lon_col is not None and lat_col is not None:
        lon = pd.to_numeric(df[lon_col], errors="coerce")
        lat = pd.to_numeric(df[lat_col], errors="coerce")
        return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(lon, lat))
    _fail(f"{path.name} has no WKT column ({', '.join(_WKT_COLUMNS)}) and no lon/lat columns "
          f"({'/'.join(_LON_COLUMNS)} and {'/'.join(_LAT_COLUMNS)}).", f"{path.name} 没有 WKT 列或经纬度列。")


def _read_csv(path: Path, report) -> pd.DataFrame:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            raw.decode(enc)
            if enc != "utf-8-sig":
                report.append(f"CSV text detected as {enc.upper()}.")
            return pd.read_csv(path, encoding=enc)
        except UnicodeDecodeError:
            continue
    _fail(f"{path.name}: the text encoding could not be recognised; save it as UTF-8.")


def _repair(gdf: gpd.GeoDataFrame, report) -> gpd.GeoDataFrame:
    geoms = gdf.geometry.values
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if shapely.has_z(geoms[present]).any():
        gdf = gdf.set_geometry(shapely.force_2d(geoms))
        report.append("Z (height) / M values were dropped; areas are planimetric.")
        geoms = gdf.geometry.values
    invalid = present & ~shapely.is_valid(geoms)
    n_bad = int(invalid.sum())
    if n_bad:
        fixed = geoms.copy()
        fixed[invalid] = shapely.make_valid(geoms[invalid])
        reasons = shapely.is_valid_reason(geoms[invalid])[:3]
        gdf = gdf.set_geometry(fixed)
        report.append(f"{n_bad} invalid geometr{'y was' if n_bad == 1 else 'ies were'} repaired "
                      f"(e.g. {'; '.join(reasons)}).")
    n_empty = int((~present).sum())
    if n_empty:
        report.append(f"{n_empty} feature(s) have no geometry; they are kept and count as zero area.")
    return gdf


def write_layer(gdf: gpd.GeoDataFrame, path) -> list[str]:
    """Write GeoPackage, Shapefile, GeoJSON or CSV (geometry as WKT), keeping every field and UTF-8 text.

    Returns notes on what the format forced (e.g. Shapefile field names cut to 10 characters,
    list values joined).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    notes: list[str] = []
    out = gdf.copy()
    for col in out.columns:
        if col != out.geometry.name and out[col].map(lambda v: isinstance(v, (list, tuple, dict))).any():
            out[col] = out[col].map(lambda v: "；".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
            notes.append(f"List values in {col!r} were joined with '；'.")
    if suffix == ".csv":
        df = pd.DataFrame(out.drop(columns=out.geometry.name))
        df["wkt"] = shapely.to_wkt(out.geometry.values, rounding_precision=-1)
        df.to_csv(path, index=False, encoding="utf-8-sig")
        return notes
    if suffix == ".shp":
        long = [c for c in out.columns if c != out.geometry.name and len(str(c).encode("utf-8")) > 10]
        if long:
            mapping = {}
            for c in long:
                base = str(c).encode("utf-8")[:8].decode("utf-8", "ignore")
                name, k = base, 1
                while name in out.columns or name in mapping.values():
                    name, k = f"{base[:7]}{k}", k + 1
                mapping[c] = name
            out = out.rename(columns=mapping)
            notes.append("Shapefile field names are limited to 10 bytes: " +
                         ", ".join(f"{a}->{b}" for a, b in mapping.items()))
        out.to_file(path, engine="pyogrio", encoding="utf-8")
        return notes
    driver = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON"}.get(suffix)
    if driver is None:
        raise LandplanError(f"Cannot write {path.name}: use .gpkg, .shp, .geojson or .csv.",
                            f"无法写出 {path.name}：请使用 .gpkg、.shp、.geojson 或 .csv。")
    out.to_file(path, driver=driver, engine="pyogrio")
    return notes
