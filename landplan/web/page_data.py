"""The page's data, made once for every session (Streamlit's cache): the catalog, its tables in m²,
and a user's
uploads read once per file and options (a widget change reruns the page; it reads nothing again)."""

from __future__ import annotations

import hashlib
import pickle

import geopandas as gpd
import streamlit as st

import layers
from layers.gaps import cluster_gaps
from layers.summary import catalog_overlaps, district_coverage
from layers.targets import target_supply

from .figures import Figures, district_targets, figures_in_effect
from .parcel_page import read_parcel_upload
from .uploads import read_upload, upload_layers


@st.cache_data(show_spinner=False)
def catalog_layers() -> dict:
    """Every catalog layer by id."""
    return {lid: layers.load(lid) for lid in layers.LAYER_IDS}


@st.cache_data(show_spinner=False)
def catalog_tables():
    """The catalog's coverage of the districts by the 20 parks, targets, overlaps (areas in m²) and
    cluster gaps."""
    return (
        district_coverage("sz20_parks", "m2"),
        target_supply(unit="m2"),
        catalog_overlaps(unit="m2"),
        cluster_gaps(),
    )


@st.cache_data(show_spinner=False)
def catalog():
    """The layer catalog table."""
    return layers.catalog()


@st.cache_data(show_spinner=False)
def clusters():
    """The industry clusters."""
    return layers.clusters()


def _layer_key(gdf: gpd.GeoDataFrame) -> str:
    """A key for a user's or drawn layer in the cache (Streamlit cannot hash a GeoDataFrame): its
    pickled bytes."""
    return hashlib.sha1(pickle.dumps(gdf, protocol=5)).hexdigest()


# what-if figures (m²) once per upload, role and drawing: a unit change, a tab or a map choice
# computes nothing
@st.cache_data(show_spinner=False, max_entries=8, hash_funcs={gpd.GeoDataFrame: _layer_key})
def figures(
    upload: gpd.GeoDataFrame | None,
    role: str,
    official: bool,
    proposed: gpd.GeoDataFrame | None,
    parcels_key=None,
    _parcels: gpd.GeoDataFrame | None = None,
    counts: str = "",
) -> Figures:
    """The figures in effect (m²): the catalog's tables, or the what-if's
    (:func:`figures.figures_in_effect`);
    the parcels (kept out of the cache's key: ``parcels_key`` names them) measure the targets they
    can."""
    coverage, targets, _, _ = catalog_tables()
    return figures_in_effect(coverage, targets, upload, role, official, proposed, _parcels, counts)


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs={gpd.GeoDataFrame: _layer_key})
def district_targets_once(
    district: str,
    supply_layers: dict | None,
    parcels_key=None,
    _parcels: gpd.GeoDataFrame | None = None,
    counts: str = "",
):
    """:func:`figures.district_targets`, once per district, layers in effect and parcels."""
    return district_targets(district, supply_layers, _parcels, counts)


read_upload_once = st.cache_data(read_upload, show_spinner=False, max_entries=4)
upload_layers_once = st.cache_data(upload_layers, show_spinner=False, max_entries=4)
read_parcel_upload_once = st.cache_data(read_parcel_upload, show_spinner=False, max_entries=2)
