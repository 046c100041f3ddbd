"""landplan — 深圳产业用地与园区规划 / Shenzhen industrial land and parks.

Thin page: reads widgets, calls library functions (``landplan.web``), draws. What it shows is one
plan (:func:`layers.plan.compute_plan`) per what-if, focused on the chosen district; every tab,
download and map layer renders it. Its words are in ``landplan/present/text/zh.yaml`` and
``en.yaml``.
"""

from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

import layers
from geo.units import OFFERED_UNITS, unit_label
from landplan.present.tables import display_table
from landplan.present.text import LANGUAGES, text
from landplan.web import (
    auth,
    ledger_tab,
    meeting_room as room,
    page_data as data,
    panels,
    plan_tabs as tabs,
    scenario_page as scen,
    view_link as link,
)
from landplan.web.assets import install_static
from landplan.web.downloads import layers_geojson
from landplan.web.drawings import drawings_to_layer
from landplan.web.mapping import BASEMAPS, map_page
from landplan.web.page_map import (
    RASTER_CELL,
    catalog_map_page,
    page_map,
    raster_allowed,
    with_parcels,
)
from landplan.web.plan_view import map_layers, parcel_codes, upload_warnings, whatif_line
from landplan.web.tables import html_table
from landplan.web.uploads import MAX_UPLOAD_MB, SUFFIXES
from landplan.web.widgets import kept_choice, message, tianditu_key, uploader_words
from layers.names import layer_label

install_static(Path(__file__).parent)
st.set_page_config(page_title="landplan 深圳产业用地", layout="wide")
MAP_HEIGHT = 560
# a link opens a view (?lang=en&district=pingshan&unit=mu): read once, before the widgets
link.apply_link(st.session_state, st.query_params)

lang = st.sidebar.radio(
    text()["language_label"], list(LANGUAGES), format_func=lambda v: text(v)["language"], key="lang"
)
words = text(lang)
t = words["page"]
st.title(t["title"])
link_notes, figures = st.container(), st.container()  # filled once the plan is known
# who is at the page (sign-in when .streamlit/secrets.toml has [auth]): a signed-out visitor gets
# the sign-in button and nothing of the plan or the store
visitor = auth.gate(st, lang)
if not visitor.admitted:
    st.stop()
link.open_linked_scenario(st.session_state, scen.open_into)
uploader_words(lang, MAX_UPLOAD_MB, SUFFIXES)

districts = data.catalog_layers()["districts"]
# the choices are kept by option (kept_choice): a language switch changes their labels only
shown = kept_choice(
    st.sidebar.multiselect,
    t["layers"],
    list(layers.LAYER_IDS),
    "layers",
    lang,
    default=["districts", "sz20_parks"],
    format_func=lambda lid: layer_label(lid, lang),
)
unit = kept_choice(
    st.sidebar.radio,
    t["unit"],
    list(OFFERED_UNITS),
    "unit",
    lang,
    horizontal=True,
    format_func=lambda u: unit_label(u, lang),
)
name_col = "name_zh" if lang == "zh" else "name_en"
district_names = dict(zip(districts["district_id"], districts[name_col]))
district = kept_choice(
    st.sidebar.selectbox,
    t["district"],
    [None] + list(district_names),
    "focus",
    lang,
    format_func=lambda d: t["all"] if d is None else district_names[d],
)
clusters = data.clusters()
cluster_names = dict(zip(clusters["cluster_id"], clusters[name_col]))
cluster = kept_choice(
    st.sidebar.selectbox,
    t["cluster"],
    [None] + list(cluster_names),
    "cluster",
    lang,
    format_func=lambda c: "—" if c is None else cluster_names[c],
)
tdt_key = tianditu_key()
basemap = kept_choice(
    st.sidebar.selectbox,
    t["basemap"],
    list(BASEMAPS),
    "basemap",
    lang,
    format_func=lambda b: (
        t["offline"]
        if b == "none"
        else words["basemaps"][b] + ("" if tdt_key or b != "tianditu" else t["no_key"])
    ),
)
if basemap == "tianditu" and not tdt_key:
    st.sidebar.warning(t["no_key_help"])

upload = panels.upload_box(t, lang)
parcel_box = panels.parcel_box(words["parcels"], t, lang, upload)

# the what-if: the upload beside or instead of the 20 parks (official or a proposal), the drawn
# parks, the parcels; a saved scenario opened in the sidebar joins it (the command line's store)
proposed = drawings_to_layer(
    st.session_state.get("drawings"), st.session_state.get("drawings_offset")
)
uploaded, up_role, up_official, proposed, parcels = scen.in_effect(
    st.session_state, upload.layer, upload.role, upload.official, proposed, parcel_box.layer
)
with st.sidebar.expander(words["scenarios"]["title"]):
    scen.sidebar(st, lang, visitor, uploaded, up_role, up_official, proposed, parcels)
parcels_key = (
    (scen.opened_key(st.session_state), st.session_state.get("_parcel_sig"))
    if parcels is not None
    else None
)
counts = parcel_codes(parcel_box.counts)
# the progress ledger (the store's entries in force): a new entry makes the targets again
ledger = ledger_tab.read_ledger()
# one plan for the what-if, computed once (m²); the focus filters it and measures nothing again
city, error = data.page_plan(
    uploaded, up_role, up_official, proposed, parcels_key, parcels, counts, *ledger.plan_args
)
plan = city.focused(district)
for line in upload_warnings(plan):  # e.g. no feature lies in any district
    st.sidebar.warning(message(line, lang))
if error is not None:
    st.error(message(error, lang))
with figures:  # the meeting's headline figures, the plan's
    room.headline(plan, lang, unit)
scen.opened_caption(st, lang)
on_map = map_layers(plan, shown, districts)
show_raster = st.sidebar.checkbox(
    words["raster"].format(cell=RASTER_CELL), value=False, key="raster"
)
view = (lang, unit, basemap, tdt_key, district, cluster, show_raster and raster_allowed(basemap))
# Browsing shows the map as a plain page (light and quick to draw; its text is escaped by the map
# builder), fitted to the city or the focus in a frame as tall as the window allows; drawing a
# proposed park needs the interactive map, which sends the drawings back (and only them: other
# map events do not rerun the page). The switch and the precision of the outlines are under it.
map_box = st.container()
switches = st.container(horizontal=True, gap="large")
drawing = switches.toggle(t["draw_mode"], key="draw_mode", help=t["draw_help"])
# presenting: no sidebar, a larger map and larger figures, for the projector
presenting = switches.toggle(t["presenting"], key="presenting", help=t["presenting_help"])
room.room_style(presenting)
tabs.precision_caption(plan, lang)
if drawing:
    with map_box:
        state = st_folium(
            with_parcels(page_map(plan, on_map, *view, draw=True), parcels, lang, basemap),
            height=MAP_HEIGHT,
            use_container_width=True,
            returned_objects=["all_drawings"],
            key="map",
        )
        st.caption(t["draw_help"])
    drawn = (state or {}).get("all_drawings")
    # The map is redrawn after each change and then reports no drawings: keep the last ones drawn
    # until the planner clears them, so the what-if does not flicker away. They are kept with the
    # coordinates they were drawn in (GCJ-02 over AMap), so a later basemap change does not move
    # them.
    if drawn and drawn != st.session_state.get("drawings"):
        st.session_state["drawings"], st.session_state["drawings_offset"] = (
            drawn,
            BASEMAPS[basemap][2],
        )
        st.rerun()
else:
    with map_box.container(key=room.MAP_KEY):
        if uploaded is None and proposed is None and parcels is None:  # the catalog's plan alone
            st.iframe(catalog_map_page(tuple(shown), *view), height=MAP_HEIGHT)
        else:
            st.iframe(
                map_page(with_parcels(page_map(plan, on_map, *view), parcels, lang, basemap)),
                height=MAP_HEIGHT,
            )
if st.session_state.get("drawings") and st.button(t["clear_proposed"]):
    st.session_state["drawings"] = st.session_state["drawings_offset"] = None
    st.rerun()
if proposed is not None:
    st.info(whatif_line(plan, lang, unit))
    st.download_button(
        t["download_proposed"],
        layers_geojson({"proposed": proposed}),
        "proposed_parks.geojson",
        key="dl_proposed",
    )

if cluster:
    panels.cluster_box(t, lang, cluster, clusters, city.cluster_gaps)

tab = tabs.page_tabs(lang)
if tab["coverage"].open:
    with tab["coverage"]:
        tabs.coverage_tab(plan, lang, unit)
if tab["targets"].open:
    with tab["targets"]:
        tabs.targets_tab(plan, lang, unit)
if tab["ledger"].open:
    with tab["ledger"]:
        ledger_tab.ledger_tab(st, lang, unit, plan, visitor, cluster, ledger)
if tab["overlaps"].open:
    with tab["overlaps"]:
        tabs.overlaps_tab(plan, lang, unit)
if tab["gaps"].open:
    with tab["gaps"]:
        tabs.gaps_tab(plan, lang, unit)
if tab["catalog"].open:
    with tab["catalog"]:
        st.html(html_table(display_table("catalog", data.catalog(), lang), "catalog"))
if tab["downloads"].open:
    with tab["downloads"]:
        made_for = (  # what the files are made from: a change makes them again
            district,
            unit,
            lang,
            tuple(on_map),
            data.page_plan_key(uploaded, up_role, up_official, proposed, parcels_key, counts),
            ledger.key,
            scen.opened_key(st.session_state),
        )
        panels.downloads_tab(t, lang, unit, plan, on_map, made_for)
if tab["compare"].open:
    with tab["compare"]:
        scen.compare_tab(st, lang, unit, basemap, tdt_key)
tabs.parcel_tables(plan, lang, unit)
# the address keeps the view (a link to it opens it); what a link asked for that the page does not
# know is said at the top while the linked view is shown
address = link.view_address(
    lang, unit, district, cluster, tabs.open_tab(tab), scen.opened_key(st.session_state), presenting
)
link.write_address(st.session_state, st.query_params, address)
for line in link.ignored_lines(st.session_state, address, lang):
    link_notes.warning(line)
