"""The landplan catalog: Shenzhen's districts, parks, zones, clusters and targets, with sources."""
from .catalog import LAYER_IDS, DOCUMENTS, cluster_layouts, clusters, format_source, targets
from .load import DEFAULT_BELT_WIDTH_M, catalog, data_dir, feature_ids, load, resolve_layer

__all__ = ["LAYER_IDS", "DOCUMENTS", "DEFAULT_BELT_WIDTH_M", "catalog", "cluster_layouts", "clusters",
           "data_dir", "feature_ids", "format_source", "load", "resolve_layer", "targets"]
