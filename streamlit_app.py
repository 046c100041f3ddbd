"""landplan — 深圳产业用地与园区规划 / Shenzhen industrial land and parks.

Thin page: reads widgets, calls library functions (``landplan.web``), draws. Its words are in
``landplan/text/zh.yaml`` and ``en.yaml``; its figures are computed in m² and converted to the
chosen unit.
"""

from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

import layers
from geo.units import OFFERED_UNITS, unit_label
from landplan.display import display_table
from landplan.text import LANGUAGES, text
from landplan.web import auth, page_data as data, panels, scenario_page as scen
from landplan.web.assets import install_static
from landplan.web.downloads import layers_geojson
from landplan.web.figures import map_layers, number, whatif_line
from landplan.web.mapping import BASEMAPS, drawings_to_layer, map_page
from landplan.web.page_map import (
    RASTER_CELL,
    catalog_map_page,
    page_map,
    raster_allowed,
    with_parcels,
)
from landplan.web.tables import html_table, show_table
from landplan.web.uploads import MAX_UPLOAD_MB, SUFFIXES
from landplan.web.widgets import message, tianditu_key, uploader_words
from layers.names import layer_label
from layers.summary import overlaps_in_district
from layers.targets import basis_summary_text
from layers.units import in_unit

install_static(Path(__file__).parent)
st.set_page_config(page_title="landplan 深圳产业用地", layout="wide")
MAP_HEIGHT = 560

lang = st.sidebar.radio(
    text()["language_label"], list(LANGUAGES), format_func=lambda v: text(v)["language"]
)
words = text(lang)
t, pt = words["page"], words["parcels"]
st.title(t["title"])
# who is at the page (sign-in when .streamlit/secrets.toml has [auth]): a signed-out visitor gets
# the sign-in button and nothing of the plan or the store
visitor = auth.gate(st, lang)
if not visitor.admitted:
    st.stop()
uploader_words(lang, MAX_UPLOAD_MB, SUFFIXES)

all_layers = data.catalog_layers()
shown = st.sidebar.multiselect(
    t["layers"],
    list(layers.LAYER_IDS),
    default=["districts", "sz20_parks"],
    format_func=lambda lid: layer_label(lid, lang),
)
unit = st.sidebar.radio(
    t["unit"], OFFERED_UNITS, horizontal=True, format_func=lambda u: unit_label(u, lang)
)
districts = all_layers["districts"]
name_col = "name_zh" if lang == "zh" else "name_en"
district_names = dict(zip(districts["district_id"], districts[name_col]))
district = st.sidebar.selectbox(
    t["district"],
    [None] + list(district_names),
    format_func=lambda d: t["all"] if d is None else district_names[d],
)
clusters = data.clusters()
cluster_names = dict(zip(clusters["cluster_id"], clusters[name_col]))
cluster = st.sidebar.selectbox(
    t["cluster"],
    [None] + list(cluster_names),
    format_func=lambda c: "—" if c is None else cluster_names[c],
)
tdt_key = tianditu_key()
basemap = st.sidebar.selectbox(
    t["basemap"],
    list(BASEMAPS),
    format_func=lambda b: (
        t["offline"]
        if b == "none"
        else words["basemaps"][b] + ("" if tdt_key or b != "tianditu" else t["no_key"])
    ),
)
if basemap == "tianditu" and not tdt_key:
    st.sidebar.warning(t["no_key_help"])

upload = panels.upload_box(t, lang)
parcel_box = panels.parcel_box(pt, t, lang, upload)

# what counts (the upload beside or instead of the 20 parks, official or proposed; drawn parks):
# decided by the library, as for the reports and the command line; the figures stay in m² (a unit
# change only converts them)
ov, gaps = data.catalog_tables()[2:]
proposed = drawings_to_layer(
    st.session_state.get("drawings"), st.session_state.get("drawings_offset")
)
# a saved scenario opened in the sidebar becomes the what-if (the plan store is the command line's)
uploaded, up_role, up_official, proposed, parcels = scen.in_effect(
    st.session_state, upload.layer, upload.role, upload.official, proposed, parcel_box.layer
)
parcel_counts = parcel_box.counts
parcel_tables = parcel_box.tables or scen.parcel_tables(
    st.session_state, parcels, parcel_counts, "m2"
)
with st.sidebar.expander(words["scenarios"]["title"]):
    scen.sidebar(st, lang, visitor, uploaded, up_role, up_official, proposed, parcels)
parcels_key = (
    (scen.opened_key(st.session_state), st.session_state.get("_parcel_sig"))
    if parcels is not None
    else None
)
fig = data.figures(uploaded, up_role, up_official, proposed, parcels_key, parcels, parcel_counts)
for line in fig.warnings:  # e.g. no feature lies in any district
    st.sidebar.warning(message(line, lang))
if fig.error is not None:
    st.error(message(fig.error, lang))
st.caption(t["note"])
scen.opened_caption(st, lang)
on_map = map_layers(all_layers, shown, uploaded, up_role, proposed)
show_raster = st.sidebar.checkbox(words["raster"].format(cell=RASTER_CELL), value=False)
view = (lang, unit, basemap, tdt_key, district, cluster, show_raster and raster_allowed(basemap))
# Browsing shows the map as a plain page (light and quick to draw; its text is escaped by the map
# builder); drawing a proposed park needs the interactive map, which sends the drawings back (and
# only them: other map events do not rerun the page).
if st.toggle(t["draw_mode"], key="draw_mode", help=t["draw_help"]):
    state = st_folium(
        with_parcels(page_map(on_map, fig.coverage, *view, draw=True), parcels, lang, basemap),
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["all_drawings"],
        key="map",
    )
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
    st.caption(t["draw_help"])
elif uploaded is None and proposed is None and parcels is None:  # catalog layers alone
    st.iframe(catalog_map_page(tuple(shown), *view), height=MAP_HEIGHT)
else:
    st.iframe(
        map_page(with_parcels(page_map(on_map, fig.coverage, *view), parcels, lang, basemap)),
        height=MAP_HEIGHT,
    )
if st.session_state.get("drawings") and st.button(t["clear_proposed"]):
    st.session_state["drawings"] = st.session_state["drawings_offset"] = None
    st.rerun()
if proposed is not None:
    st.info(whatif_line(fig, proposed, lang, unit))
    st.download_button(
        t["download_proposed"],
        layers_geojson({"proposed": proposed}),
        "proposed_parks.geojson",
        key="dl_proposed",
    )

if cluster:
    panels.cluster_box(t, lang, cluster, clusters, gaps)

# only the open tab is drawn (choosing another reruns the page): the first page stays light
tabs = st.tabs(
    [
        t["coverage"],
        t["targets"],
        t["overlaps"],
        t["gaps"],
        t["catalog"],
        t["downloads"],
        words["scenarios"]["compare"],
    ],
    key="tables",
    on_change="rerun",
)
if tabs[0].open:
    with tabs[0]:
        cov = fig.coverage.drop(
            columns=["name_en" if lang == "zh" else "name_zh"], errors="ignore"
        )  # one name
        show_table(cov if not district else cov[cov["zone_id"] == district], "coverage", lang, unit)
if tabs[1].open:
    with tabs[1]:
        sel = (
            data.district_targets_once(district, fig.layers, parcels_key, parcels, parcel_counts)
            if district
            else fig.targets
        )
        st.caption(basis_summary_text(sel, lang))  # how many targets are measured, indicative, not
        show_table(sel, "targets", lang, unit)
if tabs[2].open:
    with tabs[2]:
        ov_shown = in_unit(overlaps_in_district(ov, district) if district else ov, unit)
        where = t["overlaps_in"].format(d=district_names[district]) if district else ""
        st.write(
            f"{t['double']}{where}: {number(ov_shown.attrs.get('double_counted', 0.0))} "
            f"{unit_label(unit, lang)}"
        )
        if len(ov_shown):
            show_table(ov_shown.drop(columns="geometry"), "overlaps", lang, unit)
        else:
            st.info(t["no_overlaps"].format(where=where.strip(" （）()") or t["all"]))
if tabs[3].open:
    with tabs[3]:
        g = gaps[gaps["gap"]]
        show_table(
            g if not district else g[g["district_ids"].map(lambda v: district in v)],
            "cluster_gaps",
            lang,
            unit,
        )
if tabs[4].open:
    with tabs[4]:
        st.html(html_table(display_table("catalog", data.catalog(), lang), "catalog"))
if tabs[5].open:
    with tabs[5]:
        panels.downloads_tab(
            t,
            lang,
            unit,
            district or "city",
            fig,
            ov,
            gaps,
            panels.Upload(upload.file, role=up_role, official=up_official, layer=uploaded),
            proposed,
            on_map,
            panels.Parcels(parcel_counts, parcels),
            scen.opened_key(st.session_state),
        )
if tabs[6].open:
    with tabs[6]:
        scen.compare_tab(st, lang, unit, basemap, tdt_key)
if parcel_tables:
    st.subheader(pt["title"])
    for name, df in parcel_tables.items():
        show_table(df, name, lang, unit)
