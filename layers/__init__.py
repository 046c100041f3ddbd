"""The landplan catalog: Shenzhen's districts, parks, zones, clusters and targets, with sources."""
from .catalog import LAYER_IDS, cluster_layouts, clusters, document_title, format_source, source_ref, targets
from .load import DEFAULT_BELT_WIDTH_M, catalog, data_dir, feature_ids, load, resolve_layer

__all__ = ["LAYER_IDS", "DEFAULT_BELT_WIDTH_M", "catalog", "cluster_layouts", "clusters", "document_title", "source_ref",
           "data_dir", "feature_ids", "format_source", "load", "resolve_layer", "targets"]
