"""The landplan catalog: Shenzhen's districts, parks, zones, clusters and targets, with sources.

The names below are imported on first use (PEP 562): the tables (clusters, targets, the catalog
listing) need no geometry, so they do not load geopandas.
"""

from geo.lazy import lazy_package

_WHERE = {
    "LAYER_IDS": "catalog_tables",
    "cluster_layouts": "catalog_tables",
    "clusters": "catalog_tables",
    "document_title": "catalog_tables",
    "format_source": "catalog_tables",
    "source_ref": "catalog_tables",
    "targets": "catalog_tables",
    "catalog": "catalog_tables",
    "catalog_rows": "catalog_tables",
    "cluster_rows": "catalog_tables",
    "context_figures": "context",
    "DEFAULT_BELT_WIDTH_M": "drawing",
    "data_dir": "loading",
    "feature_ids": "loading",
    "load": "loading",
    "resolve_layer": "loading",
}

__all__ = lazy_package(__name__, _WHERE)
