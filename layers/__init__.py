"""The landplan catalog: Shenzhen's districts, parks, zones, clusters and targets, with sources.

The names below are imported on first use (PEP 562): the tables (clusters, targets, the catalog
listing) need no geometry, so they do not load geopandas.
"""
import importlib
import sys
import types

_WHERE = {
    "LAYER_IDS": "catalog", "cluster_layouts": "catalog", "clusters": "catalog", "document_title": "catalog",
    "format_source": "catalog", "source_ref": "catalog", "targets": "catalog", "catalog": "catalog",
    "catalog_rows": "catalog", "cluster_rows": "catalog",
    "DEFAULT_BELT_WIDTH_M": "load", "data_dir": "load", "feature_ids": "load", "load": "load",
    "resolve_layer": "load",
}

__all__ = sorted(_WHERE)


def __getattr__(name):
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Package(types.ModuleType):
    """``layers.load`` and ``layers.catalog`` are the functions, as before, even once their submodules
    are imported (the import system would otherwise set the package attribute to the submodule)."""

    def __setattr__(self, name, value):
        if name in ("load", "catalog") and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
