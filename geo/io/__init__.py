"""Reading and writing the files planners exchange, with every repair reported.

read_layer handles the files of :data:`geo.io.formats.FORMATS`, the one table of accepted inputs:
Shapefiles (a .shp, a folder, or a .zip), GeoPackage, File Geodatabase, GeoJSON, TopoJSON, KML, KMZ,
FlatGeobuf, GPX, GML, SpatiaLite, MapInfo TAB and MIF/MID, DXF, and CSV/XLSX with a WKT column or
lon/lat columns; a file of several layers or a zip of several sources has one chosen (``layer``).
Attribute encoding: a .cpg is honoured, GBK/GB18030 is detected when it is missing, and the
caller can override. What was guessed or repaired is listed in ``gdf.attrs['report']``.

One concern per module, as geopandas' ``io`` package: ``formats`` (the table of accepted inputs:
suffix, GDAL driver, words), ``file`` (read_layer), ``write``
(write_layer), ``sql`` (PostGIS tables), ``archive`` (folders, zips), ``shapefile`` and
``encoding`` (sidecars, text encodings), ``containers`` (GeoPackage, File Geodatabase),
``kml``, ``dxf``, ``table`` (CSV/XLSX), ``gdal`` (one read through GDAL), ``repair`` (geometry
repair), ``extent`` (reading only what meets an analysis's zones) and ``gpkg`` (a GeoPackage's
polygons near some zones, read without GDAL, pandas or geopandas, checked as ``read_layer`` checks).
"""

from ..lazy import lazy_package

# each public name is imported from its module on first use: ``geo.io.gpkg`` (the command line's
# GeoPackage reader) loads without geopandas
_WHERE = {
    "MAX_ZIP_MEMBERS": "archive",
    "MAX_ZIP_RATIO": "archive",
    "MAX_ZIP_UNCOMPRESSED": "archive",
    "VECTOR_SUFFIXES": "file",
    "ReadError": "report",
    "FORMATS": "formats",
    "Report": "report",
    "container_layers": "containers",
    "cpg_encoding": "encoding",
    "dbf_text_encoding": "encoding",
    "detect_dbf_encoding": "encoding",
    "is_db_url": "sql",
    "list_layers": "containers",
    "read_layer": "file",
    "read_table": "sql",
    "warn_if_offset": "file",
    "write_layer": "write",
    "write_table": "sql",
}

__all__ = lazy_package(__name__, _WHERE)
