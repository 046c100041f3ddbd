"""Generic geometry engine: coordinate systems (incl. GCJ-02/BD-09), areas and units.

Knows nothing about Shenzhen; layers/ wires it to the catalog. The names below are imported on
first use (PEP 562), so ``import geo.errors`` does not load geopandas, shapely and pyproj.
"""

from .lazy import lazy_package

_WHERE = {
    "area": "areas",
    "geodesic_area_m2": "areas",
    "project_for_area": "areas",
    "require_polygons": "areas",
    "WGS84": "crs",
    "area_crs": "crs",
    "gauss_kruger_crs": "crs",
    "parse_crs": "crs",
    "reproject": "crs",
    "to_offset": "crs",
    "to_wgs84": "crs",
    "CRSError": "errors",
    "GeometryTypeError": "errors",
    "LandplanError": "errors",
    "OFFERED_UNITS": "units",
    "UNITS": "units",
    "convert_area": "units",
    "normalize_unit": "units",
    "unit_label": "units",
    "unit_text": "units",
}

__all__ = lazy_package(__name__, _WHERE)
