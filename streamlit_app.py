"""landplan — 深圳产业用地与园区规划 / Shenzhen industrial land and parks.

Thin page: reads widgets, calls library functions (``landplan.web``), draws. Its words are in
``landplan/text/zh.yaml`` and ``en.yaml``; its figures are computed in m² and converted to the
chosen unit.
"""

import zlib
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

import layers
from geo.errors import LandplanError
from geo.units import OFFERED_UNITS, unit_label
from landplan.display import cluster_lines, display_table
from landplan.progress import page_status
from landplan.text import LANGUAGES, text
from landplan.web import page_data as data, scenario_page as scen
from landplan.web.assets import install_static
from landplan.web.downloads import layers_geojson, page_files, prepared, shown_tables, tables_xlsx
from landplan.web.figures import map_layers, number, parcel_codes, whatif_line, workbook_tables
from landplan.web.mapping import BASEMAPS, drawings_to_layer, map_page
from landplan.web.page_map import (
    RASTER_CELL,
    catalog_map_page,
    page_map,
    raster_allowed,
    with_parcels,
)
from landplan.web.tables import html_table, show_table
from landplan.web.uploads import MAX_FEATURES, MAX_UPLOAD_MB, SUFFIXES
from landplan.web.widgets import message, once, tianditu_key, uploader_words
from layers.gaps import basis_summary_text
from layers.names import layer_label
from layers.summary import overlaps_in_district
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

st.sidebar.markdown(f"**{t['upload']}**")
up = st.sidebar.file_uploader(
    t["upload_help"].format(mb=MAX_UPLOAD_MB, n=f"{MAX_FEATURES:,}"),
    type=[s.lstrip(".") for s in SUFFIXES],
)
up_encoding = st.sidebar.selectbox(
    t["encoding"], ["", "gbk", "gb18030", "utf-8"], format_func=lambda e: e or t["auto"]
)
up_crs = st.sidebar.text_input(t["crs"], placeholder="EPSG:4547 / gcj02 / bd09")
up_role = st.sidebar.radio(
    t["role"], ["beside", "instead"], format_func=lambda r: t[r], horizontal=True
)
up_official = (
    st.sidebar.checkbox(t["official"], help=t["official_help"]) if up is not None else False
)
uploaded = None
if up is not None:
    gpkg_layers = data.upload_layers_once(up.name, up.getvalue())
    up_layer = st.sidebar.selectbox(t["gpkg_layer"], gpkg_layers) if len(gpkg_layers) > 1 else None
    try:
        uploaded = once(
            "_read_sig",
            (up.name, zlib.crc32(up.getvalue()), up_encoding, up_crs, up_layer),
            t["reading"],
            t["read_done"],
            data.read_upload_once,
            up.name,
            up.getvalue(),
            encoding=up_encoding,
            crs=up_crs.strip() or None,
            layer=up_layer,
        )
        for line in uploaded.attrs.get("report", []):
            (st.sidebar.warning if line in uploaded.attrs.get("warnings", []) else st.sidebar.info)(
                message(line, lang)
            )
        st.sidebar.success(t["loaded"].format(n=len(uploaded), name=up.name))
    except LandplanError as exc:
        st.sidebar.error(message(exc, lang))
    except Exception as exc:  # noqa: BLE001 - an unforeseen file must not take the page down
        st.sidebar.error(t["upload_failed"].format(err=type(exc).__name__))
# parcels (地块): area by land-use code and supply status per park and district
parcel_up = st.sidebar.file_uploader(
    pt["upload"], type=[s.lstrip(".") for s in SUFFIXES], key="parcel_upload"
)
parcel_cols = st.sidebar.text_input(pt["cols"], placeholder="landuse,status")
parcel_counts = st.sidebar.text_input(pt["counts"], value="M1,M0")
parcels, parcel_tables = None, {}
if parcel_up is not None:
    try:
        parcels, parcel_tables = (
            once(  # cached (in m²): widget changes, the unit included, compute nothing again
                "_parcel_sig",
                (
                    parcel_up.name,
                    zlib.crc32(parcel_up.getvalue()),
                    parcel_cols,
                    parcel_counts,
                    up_encoding,
                    up_crs,
                ),
                t["parcels_running"],
                t["parcels_done"],
                data.read_parcel_upload_once,
                parcel_up.name,
                parcel_up.getvalue(),
                parcel_cols,
                parcel_counts,
                "m2",
                encoding=up_encoding,
                crs=up_crs.strip() or None,
            )
        )
        for line in parcels.attrs.get("report", []):
            st.sidebar.info(message(line, lang))
    except LandplanError as exc:
        st.sidebar.error(message(exc, lang))

# what counts (the upload beside or instead of the 20 parks, official or proposed; drawn parks):
# decided by the library, as for the reports and the command line; the figures stay in m² (a unit
# change only converts them)
ov, gaps = data.catalog_tables()[2:]
proposed = drawings_to_layer(
    st.session_state.get("drawings"), st.session_state.get("drawings_offset")
)
# a saved scenario opened in the sidebar becomes the what-if (the plan store is the command line's)
uploaded, up_role, up_official, proposed, parcels = scen.in_effect(
    st.session_state, uploaded, up_role, up_official, proposed, parcels
)
parcel_tables = parcel_tables or scen.parcel_tables(st.session_state, parcels, parcel_counts, "m2")
with st.sidebar.expander(words["scenarios"]["title"]):
    scen.sidebar(st, lang, uploaded, up_role, up_official, proposed, parcels)
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
    c = clusters.set_index("cluster_id").loc[cluster]
    st.subheader(c["name_zh"] if lang == "zh" else f"{c['name_en']} ({c['name_zh']})")
    lines = cluster_lines(c, gaps, lang)
    for key in ("opinion", "carried", "gap_pairs"):
        st.markdown(f"**{t[key]}**{t['sep']}{lines['gaps' if key == 'gap_pairs' else key]}")
    if lines.get(
        "plan_areas"
    ):  # a future industry: the "6+5" core carrying areas its action plan names
        st.markdown(f"**{t['plan_areas']}**{t['sep']}{lines['plan_areas']}")

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
        tables, whatif = workbook_tables(fig, ov, gaps, up_role, proposed, unit)
        if proposed is not None:
            st.caption(t["whatif_sheets"])
        st.download_button(
            t["tables_xlsx"],
            tables_xlsx(shown_tables(tables, lang, unit, whatif=whatif, proposed=proposed)),
            f"landplan_tables_{unit}.xlsx",
            key="dl_xlsx",
        )
        # layers and meeting reports (for the focused district or the city, uploads and drawings
        # included) are made on a click, in a status box, and kept for the session; the download
        # then carries the bytes (a deferred file could be lost by a rerun: "Deferred file not
        # found"); a failure says why
        scope = district or "city"
        key = (
            scope,
            unit,
            lang,
            tuple(on_map),
            zlib.crc32(up.getvalue()) if up is not None else None,
            up_role,
            up_official,
            str(st.session_state.get("drawings")),
            scen.opened_key(st.session_state),
        )
        for name, (what, filename, mime, make) in page_files(
            scope, unit, lang, on_map, fig.layers, parcels, parcel_codes(parcel_counts)
        ).items():
            made = prepared(st.session_state, name, key)
            if made is None and st.button(t["report_make"].format(what=what), key=f"make_{name}"):
                try:
                    with page_status(
                        t["report_running"].format(what=what),
                        t["report_done"].replace("{what}", what),
                    ):
                        made = prepared(st.session_state, name, key, make)
                except LandplanError as exc:
                    st.error(t["report_failed"].format(what=what, err=message(exc, lang)))
                except Exception as exc:  # noqa: BLE001 - say why, keep the page
                    st.error(
                        t["report_failed"].format(what=what, err=f"{type(exc).__name__}: {exc}")
                    )
            if made is not None:
                st.download_button(
                    t["download_file"].format(name=filename), made, filename, mime, key=f"dl_{name}"
                )
if tabs[6].open:
    with tabs[6]:
        scen.compare_tab(st, lang, unit, basemap, tdt_key)
if parcel_tables:
    st.subheader(pt["title"])
    for name, df in parcel_tables.items():
        show_table(df, name, lang, unit)
