"""Reading and writing the files planners exchange, with every repair reported.

read_layer handles Shapefiles (a .shp, a folder, or a .zip), GeoPackage (layer choice),
GeoJSON, KML, File Geodatabase, DXF, and CSV/XLSX with a WKT column or lon/lat columns.
Attribute encoding: a .cpg is honoured, GBK/GB18030 is detected when it is missing, and the
caller can override. What was guessed or repaired is listed in ``gdf.attrs['report']``.

One concern per module, as geopandas' ``io`` package: ``file`` (read_layer), ``write``
(write_layer), ``sql`` (PostGIS tables), ``archive`` (folders, zips), ``shapefile`` and
``encoding`` (sidecars, text encodings), ``containers`` (GeoPackage, File Geodatabase),
``kml``, ``dxf``, ``table`` (CSV/XLSX), ``gdal`` (one read through GDAL), ``repair`` (geometry
repair) and ``extent`` (reading only what meets an analysis's zones).
"""

from .archive import MAX_ZIP_MEMBERS, MAX_ZIP_RATIO, MAX_ZIP_UNCOMPRESSED
from .containers import container_layers, list_layers
from .encoding import cpg_encoding, dbf_text_encoding, detect_dbf_encoding
from .file import VECTOR_SUFFIXES, read_layer, warn_if_offset
from .report import ReadError, Report
from .sql import is_db_url, read_table, write_table
from .write import write_layer

__all__ = [
    "MAX_ZIP_MEMBERS",
    "MAX_ZIP_RATIO",
    "MAX_ZIP_UNCOMPRESSED",
    "VECTOR_SUFFIXES",
    "ReadError",
    "Report",
    "container_layers",
    "cpg_encoding",
    "dbf_text_encoding",
    "detect_dbf_encoding",
    "is_db_url",
    "list_layers",
    "read_layer",
    "read_table",
    "warn_if_offset",
    "write_layer",
    "write_table",
]
