"""The one table of the inputs landplan reads: suffix, GDAL driver, what it is in words.

Every place that names the accepted files reads it: the readers (:mod:`geo.io.file`,
:mod:`geo.io.archive`), their refusal sentence, the page's uploader and the command line's help.
A new input format is one line of :data:`FORMATS` (and, if GDAL cannot read it as it is, a reader).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Format:
    """One kind of input file."""

    #: file name endings, lower case, the usual one first
    suffixes: tuple[str, ...]
    #: the GDAL driver that reads it (None: landplan's own table reader)
    driver: str | None
    #: what it is, in words
    name_zh: str
    name_en: str
    #: it is several files (or a folder): uploaded zipped, these beside it in the zip
    sidecars: tuple[str, ...] = ()
    #: it may hold several layers: 'choose' one (``--layer``, the page's layer choice), or read
    #: 'all' of them with their name in a column (KML folders, GPX waypoints/routes/tracks)
    layers: str | None = None

    @property
    def zipped(self) -> bool:
        """Several files (or a folder): the page takes it as a zip."""
        return bool(self.sidecars) or self.suffixes[0] == ".gdb"

    def words(self, lang: str) -> str:
        """Its name in ``lang``, "zipped" said when it must be."""
        if lang == "zh":
            return f"{self.name_zh}（zip 压缩）" if self.zipped else self.name_zh
        return f"zipped {self.name_en}" if self.zipped else self.name_en


FORMATS: tuple[Format, ...] = (
    Format((".shp",), "ESRI Shapefile", "Shapefile", "Shapefile", (".shx", ".dbf", ".prj", ".cpg")),
    Format((".gpkg",), "GPKG", "GeoPackage", "GeoPackage", layers="choose"),
    Format((".gdb",), "OpenFileGDB", "File Geodatabase", "File Geodatabase", layers="choose"),
    Format((".geojson", ".json"), "GeoJSON", "GeoJSON", "GeoJSON"),
    Format((".topojson",), "TopoJSON", "TopoJSON", "TopoJSON", layers="choose"),
    Format((".kml",), "KML", "KML", "KML", layers="all"),
    Format((".kmz",), "LIBKML", "KMZ", "KMZ", layers="all"),
    Format((".fgb",), "FlatGeobuf", "FlatGeobuf", "FlatGeobuf"),
    Format((".gpx",), "GPX", "GPX", "GPX", layers="all"),
    Format((".gml",), "GML", "GML", "GML", layers="all"),
    Format((".sqlite",), "SQLite", "SpatiaLite/SQLite", "SpatiaLite/SQLite", layers="choose"),
    Format(
        (".tab",), "MapInfo File", "MapInfo TAB", "MapInfo TAB", (".dat", ".map", ".id", ".ind")
    ),
    Format((".mif",), "MapInfo File", "MapInfo MIF/MID", "MapInfo MIF/MID", (".mid",)),
    Format((".dxf",), "DXF", "DXF", "DXF"),
    Format(
        (".csv",), None, "带 WKT 列或经纬度列的 CSV", "CSV with a WKT column or lon/lat columns"
    ),
    Format(
        (".xlsx", ".xls"),
        None,
        "带 WKT 列或经纬度列的 Excel 表",
        "Excel sheet with a WKT column or lon/lat columns",
    ),
)

#: the layers of a GPX that repeat the points of its routes and tracks: not read with the rest
GPX_POINT_LAYERS = ("route_points", "track_points")

_BY_SUFFIX = {s: f for f in FORMATS for s in f.suffixes}

#: every suffix read as one layer source (a file, or a .gdb folder)
SOURCE_SUFFIXES: tuple[str, ...] = tuple(_BY_SUFFIX)

#: what a command or the page reads: every source, and a zip of them
READ_SUFFIXES: tuple[str, ...] = (*SOURCE_SUFFIXES, ".zip")

#: what the page's uploader takes: the sources that are one file, and zips (of the others)
UPLOAD_SUFFIXES: tuple[str, ...] = (
    ".zip",
    *(s for f in FORMATS if not f.zipped for s in f.suffixes),
)

#: files that are a part of a source, never a source alone (a Shapefile's .dbf, a TAB's .map)
PART_SUFFIXES: dict[str, Format] = {s: f for f in FORMATS for s in f.sidecars}


def format_of(path) -> Format | None:
    """The format a file or folder name says, or None (a zip, or a suffix landplan does not read).

    Parameters
    ----------
    path : str or pathlib.Path

    Returns
    -------
    Format or None
    """
    return _BY_SUFFIX.get(Path(str(path)).suffix.lower())


def format_read(path) -> Format | None:
    """The format of a file as GDAL reads it: a .json may be TopoJSON, not GeoJSON."""
    fmt = format_of(path)
    if fmt is not None and Path(str(path)).suffix.lower() == ".json":
        import pyogrio

        try:
            driver = pyogrio.read_info(path).get("driver")
        except Exception:  # noqa: BLE001 - GDAL will say what is wrong when it is read
            return fmt
        return next((f for f in FORMATS if f.driver == driver), fmt)
    return fmt


def part_of(path) -> Format | None:
    """The format whose source a file is a part of (``roads.dbf``: Shapefile), else None.

    A .shp counts too: alone, it is only a part.
    """
    suffix = Path(str(path)).suffix.lower()
    fmt = PART_SUFFIXES.get(suffix) or _BY_SUFFIX.get(suffix)
    return fmt if fmt is not None and fmt.zipped else None


def accepted(lang: str) -> str:
    """The accepted inputs in words, for a sentence: 'zipped Shapefile, GeoPackage, … or XLSX …'.

    Parameters
    ----------
    lang : {'zh', 'en'}

    Returns
    -------
    str
    """
    names = [f.words(lang) for f in FORMATS]
    if lang == "zh":
        return "、".join(names[:-1]) + "或" + names[-1]
    return ", ".join(names[:-1]) + " or " + names[-1]


def zip_these(fmt: Format, lang: str) -> str:
    """The files to zip together for a source of several files: '.shp, .shx, .dbf and .prj'."""
    parts = [fmt.suffixes[0], *(s for s in fmt.sidecars if s != ".cpg")]
    if fmt.suffixes[0] == ".gdb":
        return "整个 .gdb 文件夹" if lang == "zh" else "the whole .gdb folder"
    if lang == "zh":
        return "、".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def not_read_error(name: str, upload: bool = False):
    """The sentence for a file of a kind landplan does not read (``name``: as the user sees it).

    Parameters
    ----------
    name : str
    upload : bool, default False
        Said to the page's uploader ("upload ..."), else to the command line ("use ...").

    Returns
    -------
    geo.io.ReadError
    """
    from .report import ReadError

    part = part_of(name)
    if part is not None:
        return ReadError(
            f"{name} 只是 {part.name_zh} 的一部分：请把 {zip_these(part, 'zh')} 压缩成一个 zip"
            f"{' 后上传' if upload else ''}。",
            f"{name} is only a part of a {part.name_en}: zip {zip_these(part, 'en')} together "
            f"and {'upload' if upload else 'give'} the .zip.",
        )
    return ReadError(
        f"{name} 不是支持的格式。请{'上传' if upload else '使用'}{accepted('zh')}。",
        f"{name} is not a format landplan reads. {'Upload' if upload else 'Use'} a "
        f"{accepted('en')}.",
    )


def help_text() -> str:
    """The accepted inputs for the command line's help (English, as argparse's)."""
    files = ", ".join(f"{f.name_en} ({', '.join(f.suffixes)})" for f in FORMATS)
    names = [f.name_en for f in FORMATS if f.zipped]
    several = ", ".join(names[:-1]) + " or " + names[-1]
    return (
        f"a catalog id, a postgresql:// URL or a file: {files}; a {several} is given with its "
        "files beside it, as a folder or zipped; a zip of several layers takes --layer"
    )
