"""The page's map: the plan's layers drawn for the page's choices, districts shaded by the plan's
coverage, its double counts and nesting, cluster gaps, the focus, the coverage raster and the
parcels; the catalog's own map cached as a page for every session."""

from __future__ import annotations

import folium
import geopandas as gpd
import streamlit as st

from layers.gaps import gap_clusters_by_district

from ..present.text import text
from .assets import use_local_assets
from .mapping import BASEMAPS, catalog_map, map_page
from .page_data import catalog_layers, page_plan
from .parcel_page import add_parcel_layer
from .plan_view import drawn_overlaps, map_layers
from .raster_map import add_coverage_overlay

RASTER_CELL = 100  # m


def page_map(
    plan,
    on_map: dict,
    lang: str,
    unit: str,
    basemap: str,
    tdt_key,
    district,
    cluster,
    raster: bool,
    draw: bool = False,
) -> folium.Map:
    """The map of ``on_map`` (:func:`plan_view.map_layers` of ``plan``) for the page's choices:
    every district shaded by the city plan's coverage, the plan's double counts and nesting
    between features on the map, its cluster gaps; with ``draw``, the tools to draw a proposed
    park."""
    districts = catalog_layers()["districts"]
    focus = districts[districts["district_id"] == district] if district else None
    fmap = use_local_assets(
        catalog_map(
            on_map,
            lang=lang,
            basemap=basemap,
            tianditu_key=tdt_key,
            district_coverage=plan.city.coverage,
            overlap_areas=drawn_overlaps(plan, on_map, unit),
            focus=focus,
            draw=draw,
            unit=unit,
            district_gaps=gap_clusters_by_district(plan.city.cluster_gaps, lang, cluster),
            extent=districts,
        )
    )
    if raster:
        add_coverage_overlay(
            fmap,
            {lid: g for lid, g in on_map.items() if lid != "districts"},
            districts,
            RASTER_CELL,
            lang,
        )
    return fmap


@st.cache_data(show_spinner=False, max_entries=32)
def catalog_map_page(
    shown_ids: tuple, lang: str, unit: str, basemap: str, tdt_key, district, cluster, raster: bool
) -> str:
    """The browsing map of the catalog's plan alone, as a page: built once per view, for every
    session."""
    plan, _ = page_plan()
    on_map = map_layers(plan, shown_ids, catalog_layers()["districts"])
    return map_page(page_map(plan, on_map, lang, unit, basemap, tdt_key, district, cluster, raster))


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
