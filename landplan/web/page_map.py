"""The page's map: the layers drawn for the page's choices, districts shaded by coverage, overlaps,
gaps,
the focus, the coverage raster and the parcels; the catalog's own map cached as a page for every
session."""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st

from layers.gaps import gap_clusters_by_district
from layers.summary import overlaps_of_layers
from layers.units import in_unit

from ..text import text
from .assets import use_local_assets
from .mapping import BASEMAPS, catalog_map, map_page
from .page_data import catalog_layers, catalog_tables
from .parcel_page import add_parcel_layer
from .raster_map import add_coverage_overlay

RASTER_CELL = 100  # m


def page_map(
    map_layers: dict,
    coverage: pd.DataFrame,
    lang: str,
    unit: str,
    basemap: str,
    tdt_key,
    district,
    cluster,
    raster: bool,
    draw: bool = False,
) -> folium.Map:
    """The map of ``map_layers``, districts shaded by ``coverage``, for the page's choices; with
    ``draw``, with the
    tools to draw a proposed park. It reads only its arguments and the cached catalog, so it can be
    cached by them."""
    layers_, (_, _, overlaps, gaps) = catalog_layers(), catalog_tables()
    overlaps = in_unit(
        overlaps_of_layers(overlaps, map_layers), unit
    )  # red only where two layers on the map overlap
    focus = (
        layers_["districts"][layers_["districts"]["district_id"] == district] if district else None
    )
    fmap = use_local_assets(
        catalog_map(
            map_layers,
            lang=lang,
            basemap=basemap,
            tianditu_key=tdt_key,
            district_coverage=coverage,
            overlap_areas=overlaps,
            focus=focus,
            draw=draw,
            unit=unit,
            district_gaps=gap_clusters_by_district(gaps, lang, cluster),
        )
    )
    if raster:
        add_coverage_overlay(
            fmap,
            {lid: g for lid, g in map_layers.items() if lid != "districts"},
            layers_["districts"],
            RASTER_CELL,
            lang,
        )
    return fmap


@st.cache_data(show_spinner=False, max_entries=32)
def catalog_map_page(
    shown_ids: tuple, lang: str, unit: str, basemap: str, tdt_key, district, cluster, raster: bool
) -> str:
    """The browsing map of catalog layers alone, as a page: built once per view, for every
    session."""
    layers_ = catalog_layers()
    return map_page(
        page_map(
            {lid: layers_[lid] for lid in shown_ids},
            catalog_tables()[0],
            lang,
            unit,
            basemap,
            tdt_key,
            district,
            cluster,
            raster,
        )
    )


def with_parcels(
    fmap: folium.Map, parcels: gpd.GeoDataFrame | None, lang: str, basemap: str
) -> folium.Map:
    """``fmap`` with the uploaded parcels shaded by land-use code, and a caption saying how many are
    drawn."""
    if parcels is not None:
        shown = add_parcel_layer(fmap, parcels, lang, BASEMAPS[basemap][2])
        st.caption(text(lang)["parcels"]["shown"].format(shown=shown, n=len(parcels)))
    return fmap


def raster_allowed(basemap: str) -> bool:
    """The coverage raster is not drawn over offset (AMap) tiles: a raster cannot be shifted
    exactly."""
    return BASEMAPS[basemap][2] is None
