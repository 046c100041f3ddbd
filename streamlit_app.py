"""landplan — 深圳产业用地与园区规划 / Shenzhen industrial land and parks.

Thin page: reads widgets, calls library functions, draws.
"""
import os
import zlib
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import layers
from geo.area import area
from geo.units import OFFERED_UNITS, unit_label
from landplan.web.assets import install_static, use_local_assets
from geo.errors import LandplanError, in_language
from landplan.display import cluster_lines, display_table
from landplan.labels import html_table
from landplan.web.downloads import layers_geojson, layers_gpkg, prepared, shown_tables, tables_xlsx
from landplan.web.mapping import BASEMAPS, LABELS, catalog_map, drawings_to_layer, map_page
from landplan.web.parcel_page import TEXT as PARCEL_TEXT, add_parcel_layer, read_parcel_upload
from landplan.web.raster_map import TEXT as RASTER_TEXT, add_coverage_overlay
from landplan.progress import page_status
from landplan.reports import report_pdf, report_xlsx
from landplan.web.uploads import MAX_FEATURES, MAX_UPLOAD_MB, SUFFIXES, read_upload, upload_layers
from layers.gaps import MET_LABELS, basis_summary_text, cluster_gaps, gap_clusters_by_district, target_supply
from layers.scenario import PARK_LAYER, layers_in_effect
from layers.summary import catalog_overlaps, district_coverage, overlaps_in_district, overlaps_of_layers

install_static(Path(__file__).parent)
st.set_page_config(page_title="landplan 深圳产业用地", layout="wide")
MAP_HEIGHT = 560

T = {
    "zh": {"title": "深圳产业用地与园区规划", "layers": "图层", "basemap": "底图", "offline": "无（离线）",
           "unit": "面积单位", "district": "聚焦行政区", "all": "全市", "cluster": "产业集群",
           "note": "园区与片区边界为示意（虚线），官方边界未公开；面积在 EPSG:4547 中计算，不在偏移坐标上计算。",
           "coverage": "分区覆盖", "targets": "目标与供给", "overlaps": "重叠", "gaps": "集群缺口",
           "catalog": "图层目录", "download": "下载 CSV", "opinion": "《意见》指定区", "carried": "承载园区/片区",
           "gap_pairs": "缺口（意见指定但无园区承载）", "none": "无", "double": "重复计算面积合计",
           "plan_areas": "行动计划所列承载区",
           "no_key": "（未设置密钥）", "no_key_help": "未设置天地图密钥：请设置环境变量 TIANDITU_KEY 或 Streamlit secrets；当前不显示底图。",
           "upload": "上传图层", "upload_help": "zip 压缩的 Shapefile 或 File Geodatabase（.gdb）、GeoPackage、GeoJSON、KML、CAD 的 DXF，或带 WKT/经纬度列的 CSV/XLSX，最大 {mb} MB、{n} 个要素",
           "upload_failed": "无法读取上传的文件（{err}）；页面其余部分不受影响。", "gpkg_layer": "图层（GeoPackage / .gdb）",
           "encoding": "属性编码", "auto": "自动识别", "crs": "坐标系（文件未声明时）", "role": "用作",
           "beside": "叠加显示", "instead": "替代20大园区", "loaded": "已读取 {n} 个要素：{name}",
           "official": "上传的是正式边界（供给计为实测）",
           "official_help": "勾选：上传图层是官方或实测的园区边界，其面积计为实测供给，可判断是否达标；不勾选：视为拟建方案（情景）。",
           "downloads": "下载", "draw_help": "用地图左侧的绘图工具画一个多边形，作为拟建园区进行情景分析（覆盖率与目标即时更新）。",
           "draw_mode": "绘制拟建园区（情景分析）",
           "whatif": "情景：{n} 个拟建园区计为拟建供给 {supplied:.2f} {unit}（目标约 {value:.2f} {unit}，达标：{met}）；"
                     "目录中的示意边界只是范围，不计为供给。",
           "download_proposed": "下载拟建园区 GeoJSON", "clear_proposed": "清除拟建园区",
           "reading": "正在读取上传的文件…", "read_done": "已读取（{s:.1f} 秒）", "parcels_running": "正在核算地块…",
           "parcels_done": "地块核算完成（{s:.1f} 秒）", "report_make": "生成{what}", "report_running": "正在生成{what}…",
           "report_done": "{what}已生成（{s:.1f} 秒），可下载。", "report_failed": "{what}未能生成：{err}",
           "report_xlsx": "供地会报告（XLSX）", "report_pdf": "供地会图集（PDF）", "download_file": "下载 {name}",
           "tables_xlsx": "下载全部表格（XLSX）", "whatif_sheets": "含拟建园区的情景数字在单独的工作表（“情景”开头）。",
           "overlaps_in": "（{d}内）", "no_overlaps": "{where}没有园区或片区相互重叠。"},
    "en": {"title": "Shenzhen industrial land and parks", "layers": "Layers", "basemap": "Basemap",
           "offline": "None (offline)", "unit": "Area unit", "district": "Focus district", "all": "Whole city",
           "cluster": "Industry cluster",
           "note": "Park and zone outlines are indicative (dashed): official outlines are not published. "
                   "Areas are computed in EPSG:4547, never on offset display copies.",
           "coverage": "Coverage by district", "targets": "Targets vs supply", "overlaps": "Overlaps",
           "gaps": "Cluster gaps", "catalog": "Layer catalog", "download": "Download CSV",
           "opinion": "Districts named by the Opinion", "carried": "Carried by parks/zones",
           "gap_pairs": "Gaps (named by the Opinion, no park carries it)", "none": "none",
           "plan_areas": "Carrying areas named by the action plan",
           "double": "Total area counted twice",
           "no_key": " (no key set)", "no_key_help": "No Tianditu key: set the TIANDITU_KEY environment variable "
           "or Streamlit secret; no basemap is shown meanwhile.",
           "upload": "Upload a layer", "upload_help": "Zipped Shapefile or File Geodatabase (.gdb), GeoPackage, GeoJSON, KML, CAD DXF, or CSV/XLSX with WKT or lon/lat columns, "
                          "at most {mb} MB and {n} features",
           "upload_failed": "The uploaded file could not be read ({err}); the rest of the page is unaffected.",
           "gpkg_layer": "Layer (GeoPackage / .gdb)",
           "encoding": "Attribute encoding", "auto": "detect", "crs": "CRS (when the file does not say)",
           "role": "Use as", "beside": "beside the parks", "instead": "instead of the 20 parks",
           "official": "The upload holds official outlines (supply counts as measured)",
           "official_help": "Ticked: the uploaded outlines are official or surveyed park outlines; their area counts as "
                            "measured supply and decides whether targets are met. Unticked: a proposal (what-if).",
           "loaded": "Read {n} features from {name}", "downloads": "Downloads",
           "draw_help": "Draw a polygon with the tools on the map's left to test a proposed park: coverage and "
                        "targets update (what-if).",
           "draw_mode": "Draw a proposed park (what-if)",
           "whatif": "What-if: {n} proposed park(s) give {supplied:.2f} {unit} of proposed supply (target about "
                     "{value:.2f} {unit}; met: {met}); the catalog's indicative outlines are an extent, not supply.",
           "download_proposed": "Download proposed parks (GeoJSON)", "clear_proposed": "Clear proposed parks",
           "reading": "Reading the uploaded file…", "read_done": "Read ({s:.1f} s)", "parcels_running": "Accounting the parcels…",
           "parcels_done": "Parcel accounting done ({s:.1f} s)", "report_make": "Make the {what}",
           "report_running": "Making the {what}…", "report_done": "The {what} is ready ({s:.1f} s) to download.",
           "report_failed": "The {what} could not be made: {err}",
           "report_xlsx": "meeting workbook (XLSX)", "report_pdf": "meeting atlas (PDF)", "download_file": "Download {name}",
           "tables_xlsx": "Download all tables (XLSX)",
           "whatif_sheets": "The what-if figures (with the proposed parks) are in their own sheets (named What-if …).",
           "overlaps_in": " (in {d})", "no_overlaps": "No parks or zones overlap ({where})."},
}

lang = st.sidebar.radio("语言 / Language", ["zh", "en"], format_func=lambda v: {"zh": "中文", "en": "English"}[v])
t, lab = T[lang], LABELS[lang]
st.title(t["title"])


@st.cache_data(show_spinner=False)
def _layers():
    return {lid: layers.load(lid) for lid in layers.LAYER_IDS}


@st.cache_data(show_spinner=False)
def _tables(unit):
    return (district_coverage("sz20_parks", unit), target_supply(unit=unit), catalog_overlaps(unit=unit),
            cluster_gaps())


@st.cache_data(show_spinner=False)
def _catalog():
    return layers.catalog()


# uploads are read once per file and options, not on every rerun (widget changes rerun the page)
_read_upload = st.cache_data(read_upload, show_spinner=False, max_entries=4)
_upload_layers = st.cache_data(upload_layers, show_spinner=False, max_entries=4)
_read_parcel_upload = st.cache_data(read_parcel_upload, show_spinner=False, max_entries=2)


@st.cache_data(show_spinner=False)
def _clusters():
    return layers.clusters()


all_layers = _layers()
shown = st.sidebar.multiselect(t["layers"], list(layers.LAYER_IDS), default=["districts", "sz20_parks"],
                               format_func=lambda lid: lab.get(lid, lid))
unit = st.sidebar.radio(t["unit"], OFFERED_UNITS, horizontal=True, format_func=lambda u: unit_label(u, lang))
districts = all_layers["districts"]
name_col = "name_zh" if lang == "zh" else "name_en"
district_names = dict(zip(districts["district_id"], districts[name_col]))
district = st.sidebar.selectbox(t["district"], [None] + list(district_names),
                                format_func=lambda d: t["all"] if d is None else district_names[d])
clusters = _clusters()
cluster_names = dict(zip(clusters["cluster_id"], clusters[name_col]))
cluster = st.sidebar.selectbox(t["cluster"], [None] + list(cluster_names),
                               format_func=lambda c: "—" if c is None else cluster_names[c])
def _tianditu_key():
    key = os.environ.get("TIANDITU_KEY")
    if not key:
        try:
            key = st.secrets.get("TIANDITU_KEY")
        except Exception:  # noqa: BLE001 - no secrets file
            key = None
    return key


tdt_key = _tianditu_key()
basemap = st.sidebar.selectbox(
    t["basemap"], ["osm", "positron", "tianditu", "amap", "none"],
    format_func=lambda b: {"osm": "OpenStreetMap", "positron": "CartoDB Positron",
                           "tianditu": "天地图 Tianditu" + ("" if tdt_key else t["no_key"]),
                           "amap": "高德 AMap (GCJ-02)", "none": t["offline"]}[b])
if basemap == "tianditu" and not tdt_key:
    st.sidebar.warning(t["no_key_help"])

st.sidebar.markdown(f"**{t['upload']}**")
up = st.sidebar.file_uploader(t["upload_help"].format(mb=MAX_UPLOAD_MB, n=f"{MAX_FEATURES:,}"),
                              type=[s.lstrip(".") for s in SUFFIXES])
up_encoding = st.sidebar.selectbox(t["encoding"], ["", "gbk", "gb18030", "utf-8"], format_func=lambda e: e or t["auto"])
up_crs = st.sidebar.text_input(t["crs"], placeholder="EPSG:4547 / gcj02 / bd09")
up_role = st.sidebar.radio(t["role"], ["beside", "instead"], format_func=lambda r: t[r], horizontal=True)
up_official = st.sidebar.checkbox(t["official"], help=t["official_help"]) if up is not None else False
uploaded = None


def _msg(message) -> str:
    """A library message in the page's language: Chinese, then English on its own line (zh); English (en)."""
    return in_language(message, lang).replace("\n", "  \n")


def _once(key: str, sig, running: str, done: str, func, *args, **kwargs):
    """``func(*args, **kwargs)`` (cached), in a status box the first time for ``sig`` (a new file or options)."""
    if st.session_state.get(key) == sig:
        return func(*args, **kwargs)
    with page_status(running, done, st.sidebar):
        out = func(*args, **kwargs)
    st.session_state[key] = sig
    return out


if up is not None:
    gpkg_layers = _upload_layers(up.name, up.getvalue())
    up_layer = st.sidebar.selectbox(t["gpkg_layer"], gpkg_layers) if len(gpkg_layers) > 1 else None
    try:
        uploaded = _once("_read_sig", (up.name, zlib.crc32(up.getvalue()), up_encoding, up_crs, up_layer), t["reading"], t["read_done"],
                         _read_upload, up.name, up.getvalue(), encoding=up_encoding, crs=up_crs.strip() or None,
                         layer=up_layer)
        for line in uploaded.attrs.get("report", []):
            (st.sidebar.warning if line in uploaded.attrs.get("warnings", []) else st.sidebar.info)(_msg(line))
        st.sidebar.success(t["loaded"].format(n=len(uploaded), name=up.name))
    except LandplanError as exc:
        st.sidebar.error(_msg(exc))
    except Exception as exc:  # noqa: BLE001 - an unforeseen file must not take the page down
        st.sidebar.error(t["upload_failed"].format(err=type(exc).__name__))
pt = PARCEL_TEXT[lang]  # parcels (地块): area by land-use code and supply status per park and district
parcel_up = st.sidebar.file_uploader(pt["upload"], type=[s.lstrip(".") for s in SUFFIXES], key="parcel_upload")
parcel_cols = st.sidebar.text_input(pt["cols"], placeholder="landuse,status")
parcel_counts = st.sidebar.text_input(pt["counts"], value="M1,M0")
parcels, parcel_tables = None, {}
if parcel_up is not None:
    try:
        parcels, parcel_tables = _once(  # cached: widget changes do not recompute the accounting
            "_parcel_sig", (parcel_up.name, zlib.crc32(parcel_up.getvalue()), parcel_cols, parcel_counts, unit, up_encoding, up_crs),
            t["parcels_running"], t["parcels_done"], _read_parcel_upload,
            parcel_up.name, parcel_up.getvalue(), parcel_cols, parcel_counts, unit, encoding=up_encoding,
            crs=up_crs.strip() or None)
        for line in parcels.attrs.get("report", []):
            st.sidebar.info(_msg(line))
    except LandplanError as exc:
        st.sidebar.error(_msg(exc))

cov, supply, ov, gaps = _tables(unit)
base_cov, base_supply = cov, supply  # the catalog's figures; a what-if replaces cov and supply below
user_cov = None
if uploaded is not None:
    try:
        user_cov = district_coverage(unit=unit, layer=uploaded)
        for line in user_cov.attrs.get("warnings", []):  # e.g. no feature lies in any district
            st.sidebar.warning(_msg(line))
    except LandplanError as exc:
        st.error(_msg(exc))
st.caption(t["note"])
map_layers = {lid: all_layers[lid] for lid in shown if not (up_role == "instead" and lid == "sz20_parks" and uploaded is not None)}
if uploaded is not None:
    map_layers["upload"] = uploaded
proposed = drawings_to_layer(st.session_state.get("drawings"), st.session_state.get("drawings_offset"))
if proposed is not None:
    map_layers["proposed"] = proposed
# what counts (the upload beside or instead of the 20 parks, official or proposed; drawn parks): decided by the
# library, as for the reports and the command line
whatif_layers = layers_in_effect(uploaded if user_cov is not None else None, up_role, up_official, proposed)
if whatif_layers and PARK_LAYER in whatif_layers:
    cov = district_coverage(unit=unit, layer=whatif_layers[PARK_LAYER])
    supply = target_supply(unit=unit, supply_layers=whatif_layers)
show_raster = st.sidebar.checkbox(RASTER_TEXT[lang].format(cell=100), value=False)
raster = show_raster and BASEMAPS[basemap][2] is None  # not over offset (AMap) tiles: a raster cannot be shifted exactly


def _page_map(map_layers: dict, cov, lang: str, unit: str, basemap: str, tdt_key, district, cluster, raster: bool,
              draw: bool = False):
    """The map of ``map_layers``, districts shaded by ``cov``, for the page's choices; with ``draw``, with the
    tools to draw a proposed park. It reads only its arguments and the cached catalog, so it can be cached by them."""
    catalog_layers, (_, _, overlaps, gaps_) = _layers(), _tables(unit)
    overlaps = overlaps_of_layers(overlaps, map_layers)  # red only where two layers on the map overlap
    focus_ = catalog_layers["districts"][catalog_layers["districts"]["district_id"] == district] if district else None
    fmap = use_local_assets(catalog_map(map_layers, lang=lang, basemap=basemap, tianditu_key=tdt_key,
                                        district_coverage=cov, overlap_areas=overlaps, focus=focus_, draw=draw, unit=unit,
                                        district_gaps=gap_clusters_by_district(gaps_, lang, cluster)))
    if raster:
        add_coverage_overlay(fmap, {lid: g for lid, g in map_layers.items() if lid != "districts"},
                             catalog_layers["districts"], 100, lang)
    return fmap


@st.cache_data(show_spinner=False, max_entries=32)
def _catalog_map_page(shown_ids: tuple, lang: str, unit: str, basemap: str, tdt_key, district, cluster, raster: bool) -> str:
    """The browsing map of catalog layers alone, as a page: built once per view, for every session."""
    catalog_layers = _layers()
    return map_page(_page_map({lid: catalog_layers[lid] for lid in shown_ids}, _tables(unit)[0], lang, unit, basemap,
                              tdt_key, district, cluster, raster))


def _with_parcels(fmap):
    if parcels is not None:
        st.caption(pt["shown"].format(shown=add_parcel_layer(fmap, parcels, lang, BASEMAPS[basemap][2]), n=len(parcels)))
    return fmap


view = (lang, unit, basemap, tdt_key, district, cluster, raster)
# Browsing shows the map as a plain page (light and quick to draw; its text is escaped by the map builder);
# drawing a proposed park needs the interactive map, which sends the drawings back (and only them: other
# map events do not rerun the page).
if st.toggle(t["draw_mode"], key="draw_mode", help=t["draw_help"]):
    state = st_folium(_with_parcels(_page_map(map_layers, cov, *view, draw=True)), height=MAP_HEIGHT,
                      use_container_width=True, returned_objects=["all_drawings"], key="map")
    drawn = (state or {}).get("all_drawings")
    # The map is redrawn after each change and then reports no drawings: keep the last ones drawn
    # until the planner clears them, so the what-if does not flicker away. They are kept with the
    # coordinates they were drawn in (GCJ-02 over AMap), so a later basemap change does not move them.
    if drawn and drawn != st.session_state.get("drawings"):
        st.session_state["drawings"], st.session_state["drawings_offset"] = drawn, BASEMAPS[basemap][2]
        st.rerun()
    st.caption(t["draw_help"])
elif uploaded is None and proposed is None and parcels is None:  # catalog layers alone
    st.iframe(_catalog_map_page(tuple(shown), *view), height=MAP_HEIGHT)
else:
    st.iframe(map_page(_with_parcels(_page_map(map_layers, cov, *view))), height=MAP_HEIGHT)
if st.session_state.get("drawings") and st.button(t["clear_proposed"]):
    st.session_state["drawings"] = st.session_state["drawings_offset"] = None
    st.rerun()
if proposed is not None:
    city = supply[supply["target_id"] == "city_sz20_parks_area"].iloc[0]
    st.info(t["whatif"].format(n=len(proposed), supplied=city["supplied"], value=city["value"], unit=unit_label(unit, lang),
                               met=MET_LABELS[city["met_status"]][0 if lang == "zh" else 1]))
    st.download_button(t["download_proposed"], layers_geojson({"proposed": proposed}),
                       "proposed_parks.geojson", key="dl_proposed")

if cluster:
    c = clusters.set_index("cluster_id").loc[cluster]
    st.subheader(c["name_zh"] if lang == "zh" else f"{c['name_en']} ({c['name_zh']})")
    lines = cluster_lines(c, gaps, lang)
    sep = "：" if lang == "zh" else ": "
    for key in ("opinion", "carried", "gap_pairs"):
        st.markdown(f"**{t[key]}**{sep}{lines['gaps' if key == 'gap_pairs' else key]}")
    if lines.get("plan_areas"):  # a future industry: the "6+5" core carrying areas its action plan names
        st.markdown(f"**{t['plan_areas']}**{sep}{lines['plan_areas']}")


def _table(df, name, area_unit=None):
    """The table as a planner reads it (names, words, units, rounded: landplan.display), and as CSV.

    A small table is drawn in full as plain HTML (light to draw, reads and prints as it is); a larger
    one in a scrollable grid. The CSV is what is shown (a few kB, made now: no deferred file to lose).
    """
    shown = display_table(name, df, lang, area_unit)
    if len(shown) <= 30 and len(shown.columns) <= 12:
        st.html(html_table(shown, name))
    else:
        st.dataframe(shown, hide_index=True, width="stretch")
    if shown.attrs.get("note"):
        st.caption(shown.attrs["note"])
    st.download_button(t["download"], shown.to_csv(index=False).encode("utf-8-sig"), f"{name}_{unit}.csv",
                       "text/csv", key=f"dl_{name}")


# only the open tab is drawn (choosing another reruns the page): the first page stays light
tabs = st.tabs([t["coverage"], t["targets"], t["overlaps"], t["gaps"], t["catalog"], t["downloads"]],
               key="tables", on_change="rerun")
if tabs[0].open:
    with tabs[0]:
        shown_cov = cov.drop(columns=["name_en" if lang == "zh" else "name_zh"], errors="ignore")  # one name, as targets
        _table(shown_cov if not district else shown_cov[shown_cov["zone_id"] == district], "coverage", unit)
if tabs[1].open:
    with tabs[1]:
        sel = supply if not district else target_supply(unit=unit, district=district, supply_layers=whatif_layers)
        st.caption(basis_summary_text(sel, lang))  # how many targets are measured, only indicative, not measurable
        _table(sel, "targets")
if tabs[2].open:
    with tabs[2]:
        ov_shown = overlaps_in_district(ov, district) if district else ov
        where = t["overlaps_in"].format(d=district_names[district]) if district else ""
        st.write(f"{t['double']}{where}: {ov_shown.attrs.get('double_counted', 0.0):.2f} {unit_label(unit, lang)}")
        if len(ov_shown):
            _table(ov_shown.drop(columns="geometry"), "overlaps", unit)
        else:
            st.info(t["no_overlaps"].format(where=where.strip(" （）()") or t["all"]))
if tabs[3].open:
    with tabs[3]:
        g = gaps[gaps["gap"]]
        if district:
            g = g[g["district_ids"].map(lambda v: district in v)]
        _table(g, "cluster_gaps")
if tabs[4].open:
    with tabs[4]:
        st.html(html_table(display_table("catalog", _catalog(), lang), "catalog"))
if tabs[5].open:
    with tabs[5]:
        whatif = {"coverage": cov, "targets": supply} if proposed is not None else None
        sheets = shown_tables({"coverage": base_cov if up_role != "instead" or user_cov is None else cov,
                               "targets": base_supply, "overlaps": ov.drop(columns="geometry"),
                               "cluster_gaps": gaps, "upload_coverage": user_cov}, lang, unit, whatif=whatif,
                              proposed=proposed)
        if proposed is not None:
            st.caption(t["whatif_sheets"])
        st.download_button(t["tables_xlsx"], tables_xlsx(sheets), f"landplan_tables_{unit}.xlsx", key="dl_xlsx")
        # layers and meeting reports (for the focused district or the city, uploads and drawings included) are
        # made on a click, in a status box, and kept for the session; the download then carries the bytes (a
        # deferred file could be lost by a rerun: "Deferred file not found"); a failure says why
        scope = district or "city"
        key = (scope, unit, lang, tuple(map_layers), zlib.crc32(up.getvalue()) if up is not None else None, up_role,
               up_official, str(st.session_state.get("drawings")))
        files = {"gpkg": ("GeoPackage", "landplan_layers.gpkg", None, lambda: layers_gpkg(map_layers)),
                 "geojson": ("GeoJSON", "landplan_layers.geojson", None, lambda: layers_geojson(map_layers)),
                 "report_xlsx": (t["report_xlsx"], f"landplan_report_{scope}_{unit}.xlsx", None,
                                 lambda: report_xlsx(scope, unit, lang, supply_layers=whatif_layers)),
                 "report_pdf": (t["report_pdf"], f"landplan_atlas_{scope}_{unit}.pdf", "application/pdf",
                                lambda: report_pdf(scope, unit, lang, supply_layers=whatif_layers))}
        for name, (what, filename, mime, make) in files.items():
            data = prepared(st.session_state, name, key)
            if data is None and st.button(t["report_make"].format(what=what), key=f"make_{name}"):
                try:
                    with page_status(t["report_running"].format(what=what), t["report_done"].replace("{what}", what)):
                        data = prepared(st.session_state, name, key, make)
                except LandplanError as exc:
                    st.error(t["report_failed"].format(what=what, err=_msg(exc)))
                except Exception as exc:  # noqa: BLE001 - say why, keep the page
                    st.error(t["report_failed"].format(what=what, err=f"{type(exc).__name__}: {exc}"))
            if data is not None:
                st.download_button(t["download_file"].format(name=filename), data, filename, mime, key=f"dl_{name}")
if parcel_tables:
    st.subheader(pt["title"])
    for name, df in parcel_tables.items():
        _table(df, name, unit)
