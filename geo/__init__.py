"""Generic geometry engine: coordinate systems (incl. GCJ-02/BD-09), areas and units.

Knows nothing about Shenzhen; layers/ wires it to the catalog. The names below are imported on
first use (PEP 562), so ``import geo.errors`` does not load geopandas, shapely and pyproj.
"""
import importlib
import sys
import types

_WHERE = {
    "area": "area", "geodesic_area_m2": "area", "project_for_area": "area", "require_polygons": "area",
    "WGS84": "crs", "area_crs": "crs", "gauss_kruger_crs": "crs", "parse_crs": "crs", "reproject": "crs",
    "to_offset": "crs", "to_wgs84": "crs",
    "CRSError": "errors", "GeometryTypeError": "errors", "LandplanError": "errors",
    "OFFERED_UNITS": "units", "UNITS": "units", "convert_area": "units", "normalize_unit": "units",
    "unit_label": "units", "unit_text": "units",
}

__all__ = sorted(_WHERE)


def __getattr__(name):
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Package(types.ModuleType):
    """``geo.area`` is the function, as before, even once the submodule is imported (the import
    system would otherwise set the package attribute to the submodule)."""

    def __setattr__(self, name, value):
        if name == "area" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
