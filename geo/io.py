"""Reading and writing the files planners exchange, with every repair reported.

read_layer handles Shapefiles (a .shp, a folder, or a .zip), GeoPackage (layer choice),
GeoJSON, KML, and CSV/XLSX with a WKT column or lon/lat columns. Attribute encoding: a .cpg
is honoured, GBK/GB18030 is detected when it is missing, and the caller can override.
What was guessed or repaired is listed in ``gdf.attrs['report']``.
"""
from __future__ import annotations

import codecs
import re
import shutil
import tempfile
import warnings
import zipfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from .crs import CRS_HELP, check_coordinates, guess_crs, offset_suspect, offset_system, parse_crs, to_wgs84, transform_layer
from .area import polygonal_part
from .errors import CRSError, LandplanError, bilingual
from .sql import is_db_url, read_table, write_table
from .threads import in_threads

VECTOR_SUFFIXES = {".shp", ".gpkg", ".geojson", ".json", ".kml", ".zip", ".csv", ".xlsx", ".gdb", ".dxf"}
_MULTI_LAYER = (".gpkg", ".gdb")  # one layer is read; the caller chooses with ``layer`` when there are several
#: WKB geometry types GEOS (and so landplan) cannot hold, by ISO code modulo 1000
_UNSUPPORTED_WKB = {15: "PolyhedralSurface", 16: "TIN", 17: "Triangle"}
_CURVE_WKT = re.compile(r"\b(?:CIRCULARSTRING|COMPOUNDCURVE|CURVEPOLYGON|MULTICURVE|MULTISURFACE)\s*(?:Z|M|ZM)?\s*\(",
                        re.IGNORECASE)
_SURFACE_WKT = re.compile(r"\b(?:TIN|POLYHEDRALSURFACE|TRIANGLE)\s*(?:Z|M|ZM)?\s*\(", re.IGNORECASE)
#: .cpg code-page numbers as ArcGIS writes them (Windows code pages), and the Python codec of each
_CODE_PAGES = {"936": "gbk", "54936": "gb18030", "950": "big5", "932": "shift_jis", "949": "cp949", "874": "cp874",
               "65001": "utf-8", "20127": "ascii", "28591": "latin-1", "437": "cp437", "850": "cp850", "866": "cp866",
               **{str(n): f"cp{n}" for n in range(1250, 1259)}}
MAX_ZIP_UNCOMPRESSED = 1024**3  # refuse archives that expand beyond 1 GiB
MAX_ZIP_RATIO = 200  # ... or hold a member (above 10 MiB) compressed more than 200:1 (a zip bomb)
MAX_ZIP_MEMBERS = 10_000
_ID_COLUMNS = ("id", "fid", "feature_id", "park_id", "zone_id", "code", "编号", "代码")
_WKT_COLUMNS = ("wkt", "geometry", "geom", "the_geom", "shape")
_LON_COLUMNS = ("lon", "lng", "long", "longitude", "x", "经度")
_LAT_COLUMNS = ("lat", "latitude", "y", "纬度")


class ReadError(LandplanError):
    """A file could not be read; the message says why and what to do."""


class Report(list):
    """What was noted, warned about or repaired while reading (``repairs`` changed the data, ``warnings`` did not).

    Each line is written in Chinese and English where it is found (:func:`geo.errors.bilingual`).
    ``empty_reported``: features whose missing geometry a line has already explained (not counted again).
    """

    def __init__(self):
        super().__init__()
        self.repairs: list[str] = []
        self.warnings: list[str] = []
        self.empty_reported = 0

    def note(self, zh: str, en: str) -> str:
        line = bilingual(zh, en)
        if line not in self:  # the same finding twice (e.g. a layer read again in full) is said once
            self.append(line)
        return line

    def repair(self, zh: str, en: str) -> None:
        line = self.note(zh, en)
        if line not in self.repairs:
            self.repairs.append(line)

    def warn(self, zh: str, en: str) -> None:
        line = self.note(zh, en)
        if line not in self.warnings:
            self.warnings.append(line)


def _fail(msg: str, msg_zh: str | None = None):
    raise ReadError(msg, msg_zh)


def _dbf_layout(raw: bytes) -> tuple[int, int, int, list[tuple[int, int]]]:
    """(records, header length, record length, [(offset in record, width)] of the text (C) fields) of a .dbf."""
    n = int.from_bytes(raw[4:8], "little")
    hlen, rlen = int.from_bytes(raw[8:10], "little"), int.from_bytes(raw[10:12], "little")
    fields, off, pos = [], 32, 1
    while off + 32 <= min(hlen, len(raw)) and raw[off] != 0x0D:
        flen = raw[off + 16]
        if raw[off + 11:off + 12] == b"C":
            fields.append((pos, flen))
        pos += flen
        off += 32
    return n, hlen, rlen, fields


def _dbf_text_values(raw: bytes) -> list[bytes]:
    """The text (C) field values of a .dbf, trailing blanks removed."""
    n, hlen, rlen, fields = _dbf_layout(raw)
    values = []
    for r in range(n):
        rec = raw[hlen + r * rlen: hlen + (r + 1) * rlen]
        values.extend(rec[s:s + w].rstrip(b" \0") for s, w in fields)
    return values


def _cut_bytes(v: bytes, encoding: str) -> int | None:
    """How many trailing bytes (0-3: a character cut at the field width) must go for ``v`` to decode; None: never."""
    for k in range(4):
        try:
            v[:len(v) - k].decode(encoding)
            return k
        except UnicodeDecodeError:
            continue
    return None


def _dbf_without_cut_chars(raw: bytes, encoding: str) -> bytes:
    """The .dbf with the broken last character of cut text values blanked out."""
    out = bytearray(raw)
    n, hlen, rlen, fields = _dbf_layout(raw)
    for r in range(n):
        for s, w in fields:
            a = hlen + r * rlen + s
            v = bytes(out[a:a + w]).rstrip(b" \0")
            k = _cut_bytes(v, encoding)
            if k:
                out[a + len(v) - k:a + len(v)] = b" " * k
    return bytes(out)


def _decode_count_cut(values: list[bytes], encoding: str) -> int | None:
    """How many values decode only once a cut last character is dropped; None if any does not decode."""
    cut = 0
    for v in values:
        k = _cut_bytes(v, encoding)
        if k is None:
            return None
        cut += k > 0
    return cut


def dbf_text_encoding(dbf: Path) -> tuple[str, int]:
    """(encoding, values whose last character was cut) of a .dbf's text.

    'utf-8' if the text decodes as UTF-8 (allowing a character cut at the field width, as tools
    that truncate to 254 bytes leave it), else 'gb18030' (a superset of GBK), else 'latin-1'.
    """
    raw = dbf.read_bytes()
    if len(raw) < 32:
        return "utf-8", 0
    try:
        values = _dbf_text_values(raw)
    except (IndexError, ValueError):
        values = [raw[int.from_bytes(raw[8:10], "little"):]]
    for enc in ("utf-8", "gb18030"):
        cut = _decode_count_cut(values, enc)
        if cut is not None:
            return enc, cut
    return "latin-1", 0


def detect_dbf_encoding(dbf: Path) -> str:
    """'utf-8' if the .dbf text decodes as UTF-8, else 'gb18030' (a superset of GBK)."""
    return dbf_text_encoding(dbf)[0]


def _member_name(info: zipfile.ZipInfo, report) -> str:
    """The member's name; names written without the UTF-8 flag (Windows zip tools) are decoded as GB18030."""
    name = info.filename
    if not info.flag_bits & 0x800:
        raw = name.encode("cp437")
        for enc in ("utf-8", "gb18030"):
            try:
                name = raw.decode(enc)
                if enc != "utf-8" and "GB18030" not in " ".join(report):
                    report.repair("压缩包内的文件名按 GB18030 解码（由中文 Windows 压缩工具写入）。",
                                  "File names inside the zip were decoded as GB18030 (written by a Chinese Windows "
                                  "zip tool).")
                break
            except UnicodeDecodeError:
                continue
    return name.replace("\\", "/")


@contextmanager
def _extracted(zip_path: Path, report=None):
    """Extract a zip safely into a private temporary folder, removed afterwards.

    Refused: unsafe member paths (``../``, absolute, drive letters), more than MAX_ZIP_MEMBERS
    members, more than MAX_ZIP_UNCOMPRESSED bytes once expanded, and members compressed more
    than MAX_ZIP_RATIO:1 (zip bombs). Members are written one by one under names checked to stay
    inside the folder, counting the bytes really written.
    """
    report = Report() if report is None else report
    name = zip_path.name
    if zip_path.stat().st_size == 0:
        _fail(f"{name} is empty (0 bytes); the upload or copy did not complete.", f"{name} 是空文件（0 字节）。")
    try:
        zf = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError, ValueError):
        _fail(f"{name} is not a valid zip archive (it may be a failed download). Zip the .shp, .shx, .dbf, .prj "
              "(and .cpg) files again.", f"{name} 不是有效的 zip 压缩包（可能下载失败），请重新压缩。")
    with zf, tempfile.TemporaryDirectory(prefix="landplan-") as tmp:
        root = Path(tmp).resolve()
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            _fail(f"{name} holds {len(infos)} files (at most {MAX_ZIP_MEMBERS}); it was refused.",
                  f"压缩包内文件过多（{len(infos)} 个），已拒绝。")
        total = 0
        plan = []
        for info in infos:
            member = _member_name(info, report)
            parts = PurePosixPath(member).parts
            if (member.startswith("/") or ".." in parts or (parts and ":" in parts[0]) or "\0" in member):
                _fail(f"{name} contains an unsafe path ({member!r}); it was not extracted.",
                      f"压缩包含有不安全的路径（{member!r}），已拒绝。")
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if total > MAX_ZIP_UNCOMPRESSED or (info.file_size > 10 * 1024**2 and ratio > MAX_ZIP_RATIO):
                _fail(f"{name} expands to more than it should ({info.file_size / 1024**2:.0f} MiB from "
                      f"{info.compress_size / 1024:.0f} KiB, {ratio:.0f}:1); it looks like a zip bomb and was refused.",
                      "压缩包解压后过大（疑似压缩炸弹），已拒绝。")
            if info.is_dir() or not parts or parts[0] == "__MACOSX":
                continue
            target = root.joinpath(*parts).resolve()
            if root not in target.parents:
                _fail(f"{name} contains an unsafe path ({member!r}); it was not extracted.",
                      f"压缩包含有不安全的路径（{member!r}），已拒绝。")
            plan.append((info, target))
        written = 0
        for info, target in plan:
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(info) as src, open(target, "xb") as dst:
                    while chunk := src.read(1024 * 1024):
                        written += len(chunk)
                        if written > MAX_ZIP_UNCOMPRESSED:
                            _fail(f"{name} expands beyond {MAX_ZIP_UNCOMPRESSED // 1024**3} GiB; it was refused.",
                                  "压缩包解压后过大，已拒绝。")
                        dst.write(chunk)
            except FileExistsError:
                _fail(f"{name} holds the same file twice ({target.name}); zip the layer again.",
                      f"压缩包内有重复文件（{target.name}）。")
            except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError) as exc:
                _fail(f"{name} is damaged or uses an unsupported compression ({exc}); zip the files again.",
                      f"{name} 已损坏或压缩方式不受支持，请重新压缩。")
        yield root


def _find_one(folder: Path, suffixes=(".shp", ".gpkg", ".geojson", ".json", ".kml", ".gdb", ".dxf"),
              shown: str | None = None) -> Path:
    shown = shown or folder.name
    # a File Geodatabase is a folder (.gdb) of many files: the folder is the layer source
    found = [p for p in sorted(folder.rglob("*")) if p.suffix.lower() in suffixes and not p.name.startswith("._")
             and "__MACOSX" not in p.parts and p.is_dir() == (p.suffix.lower() == ".gdb")
             and not any(q.lower().endswith(".gdb") for q in p.relative_to(folder).parts[:-1])]
    shp = [p for p in found if p.suffix.lower() == ".shp"]
    cands = shp or found
    if not cands:
        _fail(f"No Shapefile (.shp) or other geodata was found in {shown}. "
              "Include the .shp, .shx, .dbf and .prj files.", "未找到 .shp 或其他地理数据文件。")
    if len(cands) > 1:
        names = ", ".join(p.name for p in cands[:10])
        _fail(f"{shown} holds several layers ({names}); give one file, or one layer per zip.",
              f"包含多个图层（{names}），请只提供一个。")
    return cands[0]


def read_layer(path, layer: str | None = None, encoding: str | None = None, crs=None,
               mask: gpd.GeoDataFrame | None = None, columns: list[str] | None = None,
               reference: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Read a user's layer, with ``attrs['report']`` listing what was guessed, warned about or repaired.

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
    """
    if is_db_url(path):  # a PostGIS table: postgresql://user@host/db with layer=TABLE (geo/sql.py)
        return read_table(path, layer, columns=columns, mask=mask)
    path = Path(path)
    report = Report()
    gdf = _read_any(path, layer, encoding, crs, mask, columns, report)
    shown = gdf.attrs.get("source_name", path.name)
    if crs is not None:
        if offset_system(crs):
            gdf = to_wgs84(gdf, crs)
            report.note(f"已从 {offset_system(crs)} 转换为 WGS84（精确迭代反算）。",
                        f"Converted from {offset_system(crs)} to WGS84 (exact iterative inverse).")
        else:
            if gdf.crs is not None:
                said = gdf.crs.to_string()[:40]
                report.note(f"已按要求将坐标系设为 {crs}（文件声明为 {said}）。",
                            f"Coordinate system set to {crs} as asked (the file said {said}).")
            gdf = gdf.set_crs(parse_crs(crs), allow_override=True)
    elif gdf.crs is None:
        xy = shapely.get_coordinates(gdf.geometry.values)
        xy = xy[np.isfinite(xy).all(axis=1)]
        code, look_en, look_zh = guess_crs(xy[:, 0], xy[:, 1])
        raise CRSError(f"{shown} does not say which coordinate system it uses; its coordinates look like {look_en}. "
                       + CRS_HELP,
                       f"{shown} 未声明坐标系；坐标看起来是{look_zh}。请用 --crs 指定（如 EPSG:4326、EPSG:4547、gcj02、bd09），"
                       "或提供 .prj 文件。")
    if not (crs is not None and offset_system(crs)):
        gdf, fixes = check_coordinates(gdf, shown)
        for line in fixes:  # bilingual lines from check_coordinates
            report.append(line)
            report.repairs.append(line)
    _warn_duplicate_ids(gdf, report)
    gdf.attrs["report"] = list(report)
    gdf.attrs["repairs"] = list(report.repairs)
    gdf.attrs["warnings"] = list(report.warnings)
    gdf.attrs["source_name"] = shown
    if reference is not None and not (crs is not None and offset_system(crs)):
        warn_if_offset(gdf, reference)
    return gdf


def warn_if_offset(gdf: gpd.GeoDataFrame, reference: gpd.GeoDataFrame) -> str | None:
    """Add a warning to ``gdf.attrs['report']`` when the layer sits off ``reference`` the way GCJ-02/BD-09 do.

    Returns the warning (None when the layer fits, is projected, or shares no edges with the reference).
    """
    suspect = offset_suspect(gdf, reference)
    if not suspect:
        return None
    system, before, after = suspect
    line = bilingual(
        f"图层相对参考边界偏移约数百米，与 {system.upper()} 坐标的偏移方式一致（按原样读取时 {before:.0%} 的顶点落在边界上，"
        f"消除 {system} 偏移后为 {after:.0%}）。如数据来自网络地图，请用 --crs {system} 读取。",
        f"The layer sits a few hundred metres off the reference outlines the way {system.upper()} data does "
        f"({before:.0%} of its vertices on them as read, {after:.0%} once {system} is undone). If it was copied "
        f"from a web map, read it with --crs {system}.")
    gdf.attrs["report"] = list(gdf.attrs.get("report", [])) + [line]
    gdf.attrs["warnings"] = list(gdf.attrs.get("warnings", [])) + [line]
    return line


def _read_any(path: Path, layer, encoding, crs, mask, columns, report) -> gpd.GeoDataFrame:
    """Read a file, folder or zip into a GeoDataFrame with its file CRS; repairs geometry."""
    if not path.exists():
        _fail(f"The file {str(path)!r} does not exist.", f"文件 {str(path)!r} 不存在。")
    suffix = path.suffix.lower()
    if path.is_dir() and suffix != ".gdb":
        return _read_any(_find_one(path), layer, encoding, crs, mask, columns, report)
    if suffix == ".zip":
        with _extracted(path, report) as folder:
            gdf = _read_any(_find_one(folder, shown=path.name), layer, encoding, crs, mask, columns, report)
            gdf.attrs["source_name"] = path.name
            return gdf
    if suffix not in (".csv", ".xlsx", ".xls", ".shp", ".gpkg", ".geojson", ".json", ".kml", ".gdb", ".dxf"):
        _fail(f"{path.name} is not a format landplan reads. Use a zipped Shapefile, GeoPackage, GeoJSON, KML, "
              "File Geodatabase (.gdb), DXF, or CSV/XLSX with a WKT column or lon/lat columns.",
              f"{path.name} 不是支持的格式。请使用 zip 压缩的 Shapefile、GeoPackage、GeoJSON、KML、File Geodatabase（.gdb）、"
              "DXF，或带 WKT 列/经纬度列的 CSV/XLSX。")
    if path.is_file() and path.stat().st_size == 0:
        _fail(f"{path.name} is empty (0 bytes); the upload or copy did not complete.", f"{path.name} 是空文件（0 字节）。")
    if suffix in (".csv", ".xlsx", ".xls"):
        gdf = _read_table(path, report)
    else:
        with _plain_path(path) as readable:
            gdf = _read_vector(readable, layer, encoding, report, None if crs is not None else mask, columns,
                               shown=path.name)
    gdf = _repair(gdf, report)
    gdf.attrs["source_name"] = path.name
    return gdf


@contextmanager
def _plain_path(path: Path):
    """The path, or a copy under a plain name when GDAL would misread it ('!' marks a member of an archive)."""
    if "!" not in str(path.resolve()):
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="landplan-") as tmp:
        copy = Path(tmp) / "layer"
        base = path.name[:-len(path.suffix)] if path.suffix else path.name
        if path.is_dir():
            shutil.copytree(path, copy.with_suffix(path.suffix))
        else:
            for sib in path.parent.iterdir():  # a Shapefile's sidecars go with it
                if sib.is_file() and sib.name[:len(base) + 1] == base + "." and "." not in sib.name[len(base) + 1:]:
                    shutil.copyfile(sib, copy.with_suffix(sib.suffix))
            if not copy.with_suffix(path.suffix).exists():
                shutil.copyfile(path, copy.with_suffix(path.suffix))
        yield copy.with_suffix(path.suffix)


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
            report.warn(f"字段 {col} 有重复值（{shown}）；所有要素均保留，按行而不是按编号计数。",
                        f"Column {col!r} has duplicate values ({shown}); every feature is kept and counted by row, "
                        "not by id.")
        return


def list_layers(path) -> list[tuple[str, str | None]]:
    """(name, geometry type or None for an attribute table) of every layer of a GeoPackage, FileGDB or KML."""
    with _plain_path(Path(path)) as p, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GDAL's notes on M values: the read reports what it drops
        return [(str(n), None if t is None else str(t)) for n, t in pyogrio.list_layers(p)]


def container_layers(path) -> list[str]:
    """The layer names of a GeoPackage or File Geodatabase (a .gdb folder, or zipped), to choose one from; else []."""
    path = Path(path)
    if path.suffix.lower() == ".zip":
        with _extracted(path) as folder:
            return container_layers(_find_one(folder, shown=path.name))
    if path.suffix.lower() in _MULTI_LAYER:
        return [n for n, _ in list_layers(path)]
    return []


def _read_vector(path: Path, layer, encoding, report, mask=None, columns=None, shown=None) -> gpd.GeoDataFrame:
    shown = shown or path.name
    kwargs = {"use_arrow": True}
    if columns is not None:
        kwargs["columns"] = list(columns)
    fixed_dbf = None
    suffix = path.suffix.lower()
    kind = {".gpkg": "GeoPackage", ".gdb": "File Geodatabase", ".kml": "KML", ".dxf": "DXF"}.get(suffix)
    if kind:
        try:
            layers_ = list_layers(path)
        except Exception as exc:  # noqa: BLE001 - GDAL raises many types
            detail = str(exc).splitlines()[0].replace(str(path), shown)[:200] if str(exc) else type(exc).__name__
            _fail(f"{shown} could not be opened as a {kind} ({detail}).", f"无法打开 {kind}：{shown}")
        names = [n for n, _ in layers_]
        if layer is not None and layer not in names:
            _fail(f"{shown} has no layer {layer!r}; its layers are {', '.join(names)}.",
                  f"{shown} 中没有图层 {layer!r}；其图层为 {', '.join(names)}。")
        if suffix in _MULTI_LAYER:
            if layer is None and len(names) > 1:
                _fail(f"{shown} has several layers ({', '.join(names)}); choose one with --layer.",
                      f"{shown} 含多个图层（{', '.join(names)}），请用 --layer 选择。")
            kwargs["layer"] = layer or (names[0] if names else None)
            if dict(layers_).get(kwargs["layer"], "") is None:
                _fail(f"{shown}: the layer {kwargs['layer']!r} is a table without geometry (attributes only); "
                      "there is nothing to map or measure. Choose a layer with geometry"
                      + (f" ({', '.join(n for n, t in layers_ if t)})." if any(t for _, t in layers_) else "."),
                      f"{shown} 的图层 {kwargs['layer']!r} 是没有几何的属性表，无法制图或计算面积。")
        elif suffix == ".kml" and (layer is not None or len(names) > 1):
            return _read_kml_folders(path, layer, names, kwargs, report, shown)
        if suffix == ".dxf":
            kwargs["CLOSED_LINE_AS_POLYGON"] = "YES"
    if path.suffix.lower() == ".shp":
        missing = [ext for ext in (".shx", ".dbf") if _sidecar(path, ext) is None]
        if missing:
            _fail(f"{path.name} has no {' or '.join(missing)} file beside it; a Shapefile needs .shp, .shx and .dbf "
                  "(and .prj) together: copy or zip them all.", f"{path.name} 缺少 {'、'.join(missing)} 文件；"
                  "Shapefile 需要 .shp、.shx、.dbf（及 .prj）一起提供。")
        _check_shp_length(path)
        cpg = _sidecar(path, ".cpg")
        dbf = _sidecar(path, ".dbf")
        guessed, cut = dbf_text_encoding(dbf)
        if encoding:
            report.note(f"属性文本已按要求以 {encoding} 编码读取。", f"Attribute text read as {encoding} as asked.")
        elif cpg is not None:
            said_text = cpg.read_text(errors="replace").strip()
            encoding = cpg_encoding(said_text)
            if said_text and encoding is None:
                encoding = guessed
                report.warn(f".cpg 声明的编码 {said_text[:40]!r} 无法识别，属性文本按 {guessed.upper()} 读取（自动识别）。"
                            "可用 --encoding 指定。",
                            f"The .cpg names an encoding landplan does not know ({said_text[:40]!r}); the attribute text "
                            f"was read as {guessed.upper()} (detected). Use --encoding to override.")
            elif said_text and encoding.replace("-", "") != said_text.lower().replace("-", ""):
                report.note(f".cpg 中的代码页 {said_text} 即 {encoding.upper()} 编码。",
                            f"The .cpg code page {said_text} is the {encoding.upper()} encoding.")
            said = (encoding or "").lower().replace("-", "").replace("_", "")
            if said in ("utf8",) and guessed != "utf-8":
                report.repair(f".cpg 声明编码为 {said_text}，但文本不是有效的 UTF-8，已改按 {guessed.upper()} 读取。",
                              f"The .cpg says {said_text} but the text is not valid UTF-8; read as {guessed.upper()} "
                              "instead.")
                encoding = guessed
            elif said not in ("utf8", "") and guessed == "utf-8" and _has_non_ascii(dbf):
                report.repair(f".cpg 声明编码为 {said_text}，但文本是有效的 UTF-8，已改按 UTF-8 读取。",
                              f"The .cpg says {said_text} but the text is valid UTF-8; read as UTF-8 instead.")
                encoding = "utf-8"
        else:
            encoding = guessed
            if encoding != "utf-8":
                report.repair(f"缺少 .cpg 文件：属性文本编码识别为 {encoding.upper()}（兼容 GBK）。可用 --encoding 指定。",
                              f"No .cpg file: attribute text detected as {encoding.upper()} (GBK-compatible). "
                              "Use --encoding to override.")
        fixed_dbf = None
        if cut and (encoding or "").lower().replace("-", "") == guessed.replace("-", ""):
            fixed_dbf = _dbf_without_cut_chars(dbf.read_bytes(), guessed)
            report.repair(f"{cut} 个文本值的末尾字符被截断了一半（字段宽度限制，如 254 字节），已去掉残缺的末尾字符。",
                          f"{cut} text value(s) end in a character cut in half (a field width limit, e.g. 254 bytes); "
                          "the broken last character was dropped.")
        kwargs["encoding"] = encoding
    elif encoding:
        kwargs["encoding"] = encoding
    if mask is not None and mask.crs is not None and fixed_dbf is None:
        gdf = None
        try:
            file_crs = pyogrio.read_info(path, layer=kwargs.get("layer")).get("crs")
            if file_crs:
                zones = transform_layer(mask, file_crs).geometry.dropna()
                if suffix == ".gpkg" and 0 < len(zones) <= 64:
                    gdf = _read_by_boxes(path, zones, kwargs)
                else:
                    gdf = _read_file(path, {**kwargs, "mask": shapely.union_all(zones.values)}, report, shown)
        except ReadError:
            raise
        except Exception:  # noqa: BLE001 - no mask: read everything, same answer
            gdf = None
        if gdf is not None and len(gdf):
            return gdf
        # nothing in the zones: read it all, so that coordinates that do not fit the CRS are found and said
    if fixed_dbf is not None:  # GDAL hands cut characters on as invalid UTF-8: read a mended copy
        with tempfile.TemporaryDirectory(prefix="landplan-") as tmp:
            copy = Path(tmp) / "layer.shp"
            for ext in (".shp", ".shx", ".prj"):
                src = path if ext == ".shp" else _sidecar(path, ext)
                if src is not None:
                    shutil.copyfile(src, copy.with_suffix(ext))
            copy.with_suffix(".dbf").write_bytes(fixed_dbf)
            return _read_file(copy, kwargs, report, shown)
    gdf = _read_file(path, kwargs, report, shown)
    if suffix == ".dxf":
        gdf = _dxf_outlines(gdf, report)
    return gdf


def _read_kml_folders(path: Path, layer, names, kwargs, report, shown) -> gpd.GeoDataFrame:
    """A KML's folders (GDAL layers): the one asked for, or all of them with the folder in a 'folder' column."""
    if layer is not None:
        others = [n for n in names if n != layer]
        gdf = _read_file(path, {**kwargs, "layer": layer}, report, shown)
        if others:
            report.note(f"只读取了文件夹 {layer!r}；{shown} 还有文件夹：{'、'.join(others[:10])}。",
                        f"Only the folder {layer!r} was read; {shown} also has the folders {', '.join(others[:10])}.")
        return gdf
    parts = [(n, _read_file(path, {**kwargs, "layer": n}, report, shown)) for n in names]
    used = [(n, g) for n, g in parts if len(g)]
    if not used:
        return parts[0][1]
    gdf = pd.concat([g.assign(folder=n) for n, g in used], ignore_index=True)
    gdf = gpd.GeoDataFrame(gdf, geometry=used[0][1].geometry.name, crs=used[0][1].crs)
    if len(used) > 1:
        listed = ", ".join(f"{n} ({len(g)})" for n, g in used)
        report.note(f"已读取 {shown} 的全部 {len(used)} 个含要素的文件夹：{listed}（见 folder 列）；可用 --layer 只读其中一个。",
                    f"All {len(used)} folders of {shown} with features were read: {listed} (column 'folder'); "
                    "choose one with --layer.")
    return gdf


def _dxf_outlines(gdf: gpd.GeoDataFrame, report) -> gpd.GeoDataFrame:
    """A CAD drawing's closed outlines (polygons), when it has any beside lines, text and points; said in the report."""
    geoms = gdf.geometry.values
    poly = np.isin(shapely.get_type_id(geoms), (3, 6))
    if poly.any() and not poly.all():
        n = int((~poly).sum())
        report.warn(f"DXF 图中有 {n} 个非闭合图元（线、文字、点等）不是面，已略去；保留 {int(poly.sum())} 个闭合轮廓。",
                    f"{n} entities of the DXF drawing that are not closed outlines (lines, text, points) were left out; "
                    f"{int(poly.sum())} closed outlines were kept.")
        gdf = gdf[poly].reset_index(drop=True)
    return gdf


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
        detail = (str(exc).splitlines()[0] if str(exc) else type(exc).__name__).replace(str(path), shown)
        detail = detail.split("; It might help")[0][:200]
        if path.suffix.lower() in (".geojson", ".json"):
            _fail(f"{shown} is not valid GeoJSON ({detail}). Check that the file is complete (not cut short) "
                  "and really GeoJSON.", f"无法读取 {shown}：不是有效的 GeoJSON（文件可能不完整）。")
        _fail(f"{shown} could not be read as geodata ({detail}). "
              "Check that the file is complete and in a supported format.", f"无法读取 {shown}：文件可能不完整或格式不受支持。")
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry.name not in gdf.columns:
        _fail(f"{shown} has no geometry: it is a table of attributes only, with nothing to map or measure. "
              "Export the layer with its geometry.", f"{shown} 没有几何（只有属性表），无法制图或计算面积。")
    return gdf


def _read_linearised(path: Path, kwargs, report, shown: str) -> gpd.GeoDataFrame:
    """Read curved geometries (CircularString, CurvePolygon, MultiSurface ...) as straight segments, as GDAL does."""
    kw = {k: v for k, v in kwargs.items() if k != "use_arrow"}
    try:  # without Arrow, GDAL hands over the linear approximation of every curve
        gdf = gpd.read_file(path, engine="pyogrio", use_arrow=False, **kw)
    except Exception as exc:  # noqa: BLE001
        _fail(f"{shown} holds curved geometries that could not be converted ({str(exc)[:120]}).",
              f"{shown} 含曲线几何，无法转换。")
    report.repair(f"{shown} 含曲线几何（圆弧，如 CurvePolygon、MultiSurface，CAD/FileGDB 导出常见），已按 GDAL 的方式转为折线"
                  "（每段约 4°），面积差异小于 0.1%。",
                  f"{shown} holds curved geometries (arcs: CurvePolygon, MultiSurface ..., common in CAD and FileGDB "
                  "exports); they were converted "
                  "to straight segments as GDAL does (about 4 degrees of arc per segment; areas change by less than 0.1 %).")
    return gdf


def _refuse_unsupported_type(exc, shown: str) -> None:
    """Refuse 3-D surface geometries (TIN, PolyhedralSurface: Esri MultiPatch) with a sentence that names the type."""
    m = re.search(r"WKB type (\d+)", str(exc))
    name = _UNSUPPORTED_WKB.get(int(m.group(1)) % 1000) if m else None
    if name:
        _fail_unsupported(name, shown)


def _fail_unsupported(name: str, shown: str):
    _fail(f"{shown} holds {name} geometries (3-D surfaces, as Esri MultiPatch or CAD models store them); this "
          "geometry type is not supported. Export the footprints as polygons (e.g. ArcGIS 'Multipatch Footprint').",
          f"{shown} 含 {name} 几何（三维表面，如 Esri MultiPatch），不支持该几何类型。请先导出为面（如 ArcGIS“多面体覆盖区”）。")


def _read_fixing_structure(path: Path, kwargs, report) -> gpd.GeoDataFrame:
    """Read again, closing unclosed rings (GEOS refuses them) and reporting how many were fixed."""
    kw = {k: v for k, v in kwargs.items() if k != "use_arrow"}
    try:
        meta, table = pyogrio.read_arrow(path, **kw)
    except Exception as exc:  # noqa: BLE001
        _fail(f"{path.name} could not be read as geodata ({str(exc).splitlines()[0][:200]}).", f"无法读取 {path.name}。")
    df = table.to_pandas()
    col = meta.get("geometry_name")
    if col not in df.columns:
        col = next(c for c in df.columns if c not in set(meta.get("fields", [])))
    geoms, n = _parse_closing_rings(shapely.from_wkb, df.pop(col).to_numpy(dtype=object))
    if n:
        report.repair(f"{n} 个要素的环未闭合（最后一点不是第一点），已闭合。",
                      f"{n} feature(s) had rings that were not closed (last point not the first); they were closed.")
    return gpd.GeoDataFrame(df, geometry=list(geoms), crs=meta.get("crs"))


def _parse_closing_rings(parse, values) -> tuple[np.ndarray, int]:
    """Geometries from WKB/WKT (``parse``: shapely.from_wkb or from_wkt), unclosed rings closed.

    Returns the geometries and how many of them had rings that needed closing.
    """
    strict = parse(values, on_invalid="ignore")
    geoms = parse(values, on_invalid="fix")
    return geoms, int((shapely.is_missing(strict) & ~shapely.is_missing(geoms)).sum())


def _sidecar(shp: Path, ext: str) -> Path | None:
    """The file beside a Shapefile with the same name and another extension (either case), if it exists.

    The name is the .shp's without its last suffix only: ``地块v1.2.shp`` goes with ``地块v1.2.dbf``.
    """
    base = shp.name[:-len(shp.suffix)] if shp.suffix else shp.name
    return next((p for p in (shp.with_name(base + ext), shp.with_name(base + ext.upper())) if p.exists()), None)


def cpg_encoding(text: str) -> str | None:
    """The Python codec of what a .cpg says: a codec name ('UTF-8', 'GBK', 'CP936') or a code-page number as
    ArcGIS writes it ('936' is GBK, '950' Big5, '1250'-'1258' Windows, '65001' UTF-8; also 'ANSI 936',
    'OEM 437', '8859-1'). None when it names nothing known (empty text included).
    """
    t = text.strip().strip("\0").upper()
    if not t:
        return None
    for prefix in ("ANSI ", "OEM ", "ANSI_", "OEM_", "WINDOWS-", "WINDOWS_", "CP", "MS"):
        rest = t[len(prefix):].strip() if t.startswith(prefix) else None
        if rest and rest.isdigit():
            t = rest
            break
    if t.isdigit() and t.startswith("8859") and len(t) > 4:  # ESRI writes ISO 8859-1 as 88591
        name = f"iso8859-{t[4:]}"
    elif t.isdigit():
        name = _CODE_PAGES.get(t) or f"cp{t}"
    elif t.replace("-", "").replace("_", "").startswith("8859") and t[-2:].strip("-_").isdigit():
        name = f"iso8859-{t.replace('-', '').replace('_', '')[4:]}"
    else:
        name = t.lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _check_shp_length(path: Path) -> None:
    """Refuse a .shp shorter than its header says (cut short by a copy or download)."""
    with open(path, "rb") as f:
        head = f.read(100)
    size = path.stat().st_size
    declared = int.from_bytes(head[24:28], "big") * 2 if len(head) >= 28 else -1
    if len(head) < 100 or int.from_bytes(head[0:4], "big") != 9994:
        _fail(f"{path.name} is not a valid Shapefile (bad header); copy the file again.",
              f"{path.name} 不是有效的 Shapefile（文件头错误）。")
    if size < declared:
        _fail(f"{path.name} is truncated: its header says {declared} bytes but it has {size}; features would be lost. "
              "Copy or download the file again.", f"{path.name} 不完整（应为 {declared} 字节，实为 {size} 字节），请重新复制。")


def _has_non_ascii(dbf: Path) -> bool:
    try:
        return any(max(v, default=0) > 127 for v in _dbf_text_values(dbf.read_bytes()))
    except (IndexError, ValueError):
        return False


def _read_by_boxes(path: Path, zones, kwargs) -> gpd.GeoDataFrame:
    """Read the features in any zone's bounding box (GeoPackage R-tree), each once, in fid order.

    One query on the R-tree for all boxes (a few more features than the boxes' exact test may
    come back; analyses clip anyway); without an R-tree, one bbox read per zone. Either beats
    one read with a city-wide mask, whose own box is the whole city.
    """
    try:
        return _read_rtree_boxes(path, zones, kwargs)
    except Exception:  # noqa: BLE001 - no R-tree or unusual names: per-box reads, same features
        pass
    parts = [pyogrio.read_dataframe(path, bbox=tuple(b), fid_as_index=True, **kwargs) for b in zones.bounds.values]
    gdf = pd.concat(parts)
    gdf = gdf[~gdf.index.duplicated()].sort_index()
    return gpd.GeoDataFrame(gdf.reset_index(drop=True), geometry=gdf.geometry.name, crs=parts[0].crs)


def _read_rtree_boxes(path: Path, zones, kwargs) -> gpd.GeoDataFrame:
    info = pyogrio.read_info(path, layer=kwargs.get("layer"))
    layer = kwargs.get("layer") or pyogrio.list_layers(path)[0][0]
    fid, geom = info["fid_column"], info["geometry_name"]
    if not fid or not geom:
        raise ValueError("no fid or geometry column")

    def q(name):  # SQL identifier
        return '"' + str(name).replace('"', '""') + '"'
    cols = kwargs.get("columns")
    select = "t.*" if cols is None else ", ".join([f"t.{q(c)}" for c in cols] + [f"t.{q(geom)}"])
    boxes = " OR ".join(f"(r.minx <= {maxx!r} AND r.maxx >= {minx!r} AND r.miny <= {maxy!r} AND r.maxy >= {miny!r})"
                        for minx, miny, maxx, maxy in zones.bounds.values.astype(float).tolist())
    sql = (f"SELECT {select} FROM {q(layer)} t WHERE t.{q(fid)} IN "
           f"(SELECT r.id FROM {q(f'rtree_{layer}_{geom}')} r WHERE {boxes}) ORDER BY t.{q(fid)}")
    rest = {k: v for k, v in kwargs.items() if k not in ("layer", "columns")}
    return pyogrio.read_dataframe(path, sql=sql, sql_dialect="SQLITE", **rest).reset_index(drop=True)


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
        given = text.fillna("").str.strip().to_numpy(dtype=object)
        surface = text.fillna("").str.contains(_SURFACE_WKT).to_numpy(dtype=bool)
        if surface.any():
            kind = re.search(r"TIN|POLYHEDRALSURFACE|TRIANGLE", given[surface][0], re.IGNORECASE)
            _fail_unsupported(kind.group(0).upper(), path.name)
        curved = text.fillna("").str.contains(_CURVE_WKT).to_numpy(dtype=bool)
        geoms, closed = _parse_closing_rings(shapely.from_wkt, np.where(curved, "", given))
        if curved.any():
            geoms[curved] = _linearise_wkt(given[curved])
            report.repair(f"{int(curved.sum())} 行 WKT 为曲线几何（CIRCULARSTRING、CURVEPOLYGON 等），已按 GDAL 的方式转为折线"
                          "（每段约 4°），面积差异小于 0.1%。",
                          f"{int(curved.sum())} WKT row(s) hold curves (CIRCULARSTRING, CURVEPOLYGON ...); they were "
                          "converted to straight segments as GDAL does (about 4 degrees of arc per segment; areas "
                          "change by less than 0.1 %).")
        if closed:
            report.repair(f"{closed} 个 WKT 多边形的环未闭合，已闭合。",
                          f"{closed} WKT polygon(s) had rings that were not closed; they were closed.")
        bad_rows = shapely.is_missing(geoms) & (given != "")
        if bad_rows.any():  # said once here, with the rows that have no WKT at all: not counted again as "no geometry"
            n_bad, n_none = int(bad_rows.sum()), int((given == "").sum())
            first = np.flatnonzero(bad_rows)[:5] + 2  # file lines: the header is line 1
            eg, eg_zh = ("e.g. ", "如") if n_bad > 5 else ("", "")
            none_en = f" and {n_none} row{'s have' if n_none > 1 else ' has'} none" if n_none else ""
            none_zh = f"，{n_none} 行没有 WKT" if n_none else ""
            total = n_bad + n_none
            report.warn(f"{n_bad} 行的 WKT 无法解析（{eg_zh}文件第 {'、'.join(map(str, first))} 行）{none_zh}；"
                        f"{'这 %d 行均' % total if total > 1 else '该行'}保留为空几何，按零面积计。",
                        f"{n_bad} row{'s have' if n_bad > 1 else ' has'} WKT that could not be parsed ({eg}file "
                        f"line{'s' if n_bad > 1 else ''} {', '.join(map(str, first))}){none_en}; "
                        f"{'all %d are' % total if total > 1 else 'it is'} kept with an empty geometry "
                        "and count as zero area.")
            report.empty_reported += n_bad + n_none
        return gpd.GeoDataFrame(df.drop(columns=[wkt_col]), geometry=list(geoms))
    if lon_col is not None and lat_col is not None:
        lon = pd.to_numeric(df[lon_col], errors="coerce")
        lat = pd.to_numeric(df[lat_col], errors="coerce")
        return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(lon, lat))
    _fail(f"{path.name} has no WKT column ({', '.join(_WKT_COLUMNS)}) and no lon/lat columns "
          f"({'/'.join(_LON_COLUMNS)} and {'/'.join(_LAT_COLUMNS)}).", f"{path.name} 没有 WKT 列或经纬度列。")


def _linearise_wkt(values) -> np.ndarray:
    """Linear geometries of curved WKT (GDAL's approximation; None where GDAL cannot read the text either)."""
    with tempfile.TemporaryDirectory(prefix="landplan-") as tmp:
        csv = Path(tmp) / "curves.csv"
        csv.write_text("n,wkt\n" + "".join(f'{i},"{v}"\n' for i, v in enumerate(values)), encoding="utf-8")
        try:
            gdf = gpd.read_file(csv, engine="pyogrio", use_arrow=False, GEOM_POSSIBLE_NAMES="wkt",
                                KEEP_GEOM_COLUMNS="NO")
        except Exception:  # noqa: BLE001 - then none can be read
            return np.full(len(values), None, dtype=object)
    out = np.full(len(values), None, dtype=object)
    out[gdf["n"].astype(int).to_numpy()] = gdf.geometry.values
    return out


def _read_csv(path: Path, report) -> pd.DataFrame:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            raw.decode(enc)
            if enc != "utf-8-sig":
                report.note(f"CSV 文本编码识别为 {enc.upper()}。", f"CSV text detected as {enc.upper()}.")
            break
        except UnicodeDecodeError:
            continue
    else:
        _fail(f"{path.name}: the text encoding could not be recognised; save it as UTF-8.",
              f"{path.name}：无法识别文本编码，请另存为 UTF-8。")
    df = pd.read_csv(path, encoding=enc, dtype=str, keep_default_na=False, na_values=[""])
    types = _csvt_types(path, len(df.columns))
    for i, col in enumerate(df.columns):
        kind = types[i] if types else None
        if kind in ("integer", "integer64"):
            df[col] = pd.to_numeric(df[col]).astype("Int64" if df[col].isna().any() else "int64")
        elif kind == "real":
            df[col] = pd.to_numeric(df[col])
        elif kind is None:
            df[col] = _numbers_if_all_numeric(df[col])
    return df


def _csvt_types(path: Path, n: int) -> list[str] | None:
    """Column types from a GDAL-style .csvt beside the CSV ("String","Integer","Real","WKT"), if any."""
    csvt = next((p for p in (path.with_suffix(".csvt"), path.with_suffix(".CSVT")) if p.exists()), None)
    if csvt is None:
        return None
    types = [t.strip().strip('"').split("(")[0].lower() for t in csvt.read_text(errors="replace").split(",")]
    return types if len(types) == n else None


def _numbers_if_all_numeric(col: pd.Series) -> pd.Series:
    """A text column as numbers when every value is a plain number (not codes like '0755' with leading zeros)."""
    vals = col.dropna().str.strip()
    if vals.empty or vals.str.match(r"^[+-]?0\d").any():
        return col
    num = pd.to_numeric(vals, errors="coerce")
    if num.isna().any():
        return col
    out = pd.to_numeric(col.str.strip())
    return out.astype("int64") if not out.isna().any() and (out == out.round()).all() and \
        not vals.str.contains(r"[.eE]").any() else out


def _repair(gdf: gpd.GeoDataFrame, report) -> gpd.GeoDataFrame:
    """Empty out unusable coordinates, drop Z/M, make invalid polygons valid; report each."""
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    n_empty = int((~present).sum())
    xy = shapely.get_coordinates(geoms)
    if len(xy) and not (np.isfinite(xy).all() and np.abs(xy).max() <= 1e9):  # only then find the features
        xy, idx = shapely.get_coordinates(geoms, return_index=True)
        bad_xy = ~np.isfinite(xy).all(axis=1) | (np.abs(xy) > 1e9).any(axis=1)
        if bad_xy.any():
            bad = np.zeros(len(geoms), dtype=bool)
            bad[np.unique(idx[bad_xy])] = True
            hits = ((~np.isfinite(xy[bad_xy])).any(), (np.abs(xy[bad_xy]) > 1e9).any())
            kinds = " and ".join(k for k, hit in zip(("NaN/infinite", "out of range (beyond 1e9)"), hits) if hit)
            kinds_zh = "、".join(k for k, hit in zip(("NaN 或无穷大", "超出范围，大于 1e9"), hits) if hit)
            geoms = geoms.copy()
            geoms[bad] = None
            gdf = _with_geoms(gdf, geoms)
            present &= ~bad
            rows = ", ".join(map(str, np.flatnonzero(bad)[:5]))
            report.repair(f"{int(bad.sum())} 个要素坐标无效（{kinds_zh}，要素序号 {rows}），保留为空几何，按零面积计。",
                          f"{int(bad.sum())} feature(s) have {kinds} coordinates (rows {rows}); "
                          "they are kept with an empty geometry and count as zero area.")
    has_m = shapely.has_m(geoms[present]).any() if hasattr(shapely, "has_m") else False
    has_z = shapely.has_z(geoms[present]).any()
    if has_z or has_m:
        what = " and ".join(w for w, hit in (("Z (height)", has_z), ("M (measure)", has_m)) if hit)
        geoms = shapely.force_2d(geoms)
        gdf = _with_geoms(gdf, geoms)
        what_zh = "、".join(w for w, hit in (("Z（高程）", has_z), ("M（测量值）", has_m)) if hit)
        report.repair(f"已去掉 {what_zh} 值，面积按平面计算。", f"{what} values were dropped; areas are planimetric.")
    invalid = present & ~in_threads(shapely.is_valid, geoms)
    n_bad = int(invalid.sum())
    if n_bad:
        fixed = geoms.copy()
        made = shapely.make_valid(geoms[invalid])
        polygonal = np.isin(shapely.get_type_id(geoms[invalid]), (3, 6))
        # a polygon stays a polygon: collapsed parts (lines, points of zero area) are dropped
        made[polygonal] = [polygonal_part(g) for g in made[polygonal]]
        fixed[invalid] = made
        reasons = shapely.is_valid_reason(geoms[invalid])[:3]
        gdf = _with_geoms(gdf, fixed)
        report.repair(f"{n_bad} 个无效几何已修复（如 {'; '.join(reasons)}）；去掉了零面积的尖刺，面积不变。",
                      f"{n_bad} invalid geometr{'y was' if n_bad == 1 else 'ies were'} repaired "
                      f"(e.g. {'; '.join(reasons)}); zero-area spikes were dropped, the area is kept.")
    n_empty -= min(report.empty_reported, n_empty)  # those already explained (e.g. WKT that could not be parsed)
    if n_empty:
        report.warn(f"{n_empty} 个要素无几何，均保留，按零面积计。",
                    f"{n_empty} feature(s) have no geometry; they are kept and count as zero area.")
    return gdf


def _with_geoms(gdf: gpd.GeoDataFrame, geoms) -> gpd.GeoDataFrame:
    out = gdf.copy()
    out[gdf.geometry.name] = gpd.GeoSeries(list(geoms), index=gdf.index, crs=gdf.crs)
    return out


def write_layer(gdf: gpd.GeoDataFrame, path, layer: str | None = None) -> list[str]:
    """Write GeoPackage, Shapefile, GeoJSON or CSV (geometry as WKT), keeping every field and UTF-8 text.

    A ``postgresql://`` URL writes table ``layer`` in that PostGIS database (geo/sql.py).

    Returns notes (Chinese, then English: :func:`geo.errors.bilingual`) on what the format forced
    (e.g. Shapefile field names cut to 10 characters, list values joined).
    """
    if is_db_url(path):
        return write_table(gdf, path, layer)
    path = Path(path)
    suffix = path.suffix.lower()
    notes: list[str] = []
    out = gdf.copy()
    for col in out.columns:
        if col != out.geometry.name and out[col].map(lambda v: isinstance(v, (list, tuple, dict))).any():
            out[col] = out[col].map(lambda v: "；".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
            notes.append(bilingual(f"字段 {col} 中的列表值已用“；”连接。", f"List values in {col!r} were joined with '；'."))
    if suffix == ".csv":
        df = pd.DataFrame(out.drop(columns=out.geometry.name))
        df["wkt"] = shapely.to_wkt(out.geometry.values, rounding_precision=-1)
        df.to_csv(path, index=False, encoding="utf-8-sig")
        # column types beside it (GDAL's .csvt), so that text such as '0755' or '1' stays text on reading
        kinds = ["Integer64" if pd.api.types.is_integer_dtype(df[c]) else
                 "Real" if pd.api.types.is_float_dtype(df[c]) else "String" for c in df.columns[:-1]] + ["WKT"]
        path.with_suffix(".csvt").write_text(",".join(f'"{k}"' for k in kinds), encoding="utf-8")
        csvt = path.with_suffix(".csvt").name
        notes.append(bilingual(f"字段类型已写入 {csvt}（请与 CSV 放在一起）。",
                               f"Column types written to {csvt} (keep it beside the CSV)."))
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
            renamed = ", ".join(f"{a}->{b}" for a, b in mapping.items())
            notes.append(bilingual(f"Shapefile 字段名最长 10 字节，已改名：{renamed}",
                                   f"Shapefile field names are limited to 10 bytes: {renamed}"))
        out.to_file(path, engine="pyogrio", encoding="utf-8")
        return notes
    driver = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON"}.get(suffix)
    if driver is None:
        raise LandplanError(f"Cannot write {path.name}: use .gpkg, .shp, .geojson or .csv.",
                            f"无法写出 {path.name}：请使用 .gpkg、.shp、.geojson 或 .csv。")
    out.to_file(path, driver=driver, engine="pyogrio")
    return notes
