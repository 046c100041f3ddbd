"""The landplan catalog: Shenzhen's districts, parks, zones, clusters and targets, with sources.

The names below are imported on first use (PEP 562): the tables (clusters, targets, the catalog
listing) need no geometry, so they do not load geopandas.
"""

from geo.lazy import lazy_package

_WHERE = {
    "LAYER_IDS": "catalog",
    "cluster_layouts": "catalog",
    "clusters": "catalog",
    "document_title": "catalog",
    "format_source": "catalog",
    "source_ref": "catalog",
    "targets": "catalog",
    "catalog": "catalog",
    "catalog_rows": "catalog",
    "cluster_rows": "catalog",
    "context_figures": "context",
    "DEFAULT_BELT_WIDTH_M": "load",
    "data_dir": "load",
    "feature_ids": "load",
    "load": "load",
    "resolve_layer": "load",
}

__all__ = lazy_package(__name__, _WHERE)
