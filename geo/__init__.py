"""Generic geometry engine: coordinate systems (incl. GCJ-02/BD-09), areas and units.

Knows nothing about Shenzhen; layers/ wires it to the catalog.
"""
from .area import area, geodesic_area_m2, project_for_area, require_polygons
from .crs import WGS84, area_crs, gauss_kruger_crs, parse_crs, reproject, to_offset, to_wgs84
from .errors import CRSError, GeometryTypeError, LandplanError
from .units import convert_area, normalize_unit, unit_label

__all__ = ["WGS84", "area", "area_crs", "convert_area", "CRSError", "gauss_kruger_crs",
           "geodesic_area_m2", "GeometryTypeError", "LandplanError", "normalize_unit",
           "parse_crs", "project_for_area", "reproject", "require_polygons", "to_offset",
           "to_wgs84", "unit_label"]
