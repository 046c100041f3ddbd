"""landplan — 深圳产业用地与园区规划 / Shenzhen industrial land and parks.

Thin page: reads widgets, calls library functions, draws.
"""
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

import layers
from geo.units import unit_label
from landplan.assets import install_static, use_local_assets
from landplan.mapping import LABELS, catalog_map
from layers.gaps import cluster_gaps, target_supply
from layers.summary import catalog_overlaps, district_coverage

install_static(Path(__file__).parent)
st.set_page_config(page_title="landplan 深圳产业用地", layout="wide")

T = {
    "zh": {"title": "深圳产业用地与园区规划", "layers": "图层", "basemap": "底图", "offline": "无（离线）",
           "unit": "面积单位", "district": "聚焦行政区", "all": "全市", "cluster": "产业集群",
           "note": "园区与片区边界为示意（虚线），官方边界未公开；面积在 EPSG:4547 中计算，不在偏移坐标上计算。",
           "coverage": "分区覆盖", "targets": "目标与供给", "overlaps": "重叠", "gaps": "集群缺口",
           "catalog": "图层目录", "download": "下载 CSV", "opinion": "《意见》指定区", "carried": "承载园区/片区",
           "gap_pairs": "缺口（意见指定但无园区承载）", "none": "无", "double": "重复计算面积合计"},
    "en": {"title": "Shenzhen industrial land and parks", "layers": "Layers", "basemap": "Basemap",
           "offline": "None (offline)", "unit": "Area unit", "district": "Focus district", "all": "Whole city",
           "cluster": "Industry cluster",
           "note": "Park and zone outlines are indicative (dashed): official outlines are not published. "
                   "Areas are computed in EPSG:4547, never on offset display copies.",
           "coverage": "Coverage by district", "targets": "Targets vs supply", "overlaps": "Overlaps",
           "gaps": "Cluster gaps", "catalog": "Layer catalog", "download": "Download CSV",
           "opinion": "Districts named by the Opinion", "carried": "Carried by parks/zones",
           "gap_pairs": "Gaps (named by the Opinion, no park carries it)", "none": "none",
           "double": "Total area counted twice"},
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


@st.cache_data(show_spinner=False)
def _clusters():
    return layers.clusters()


all_layers = _layers()
shown = st.sidebar.multiselect(t["layers"], list(layers.LAYER_IDS), default=["districts", "sz20_parks"],
                               format_func=lambda lid: lab.get(lid, lid))
unit = st.sidebar.radio(t["unit"], ["km2", "ha", "mu"], horizontal=True, format_func=lambda u: unit_label(u, lang))
districts = all_layers["districts"]
district = st.sidebar.selectbox(t["district"], [None] + list(districts["district_id"]),
                                format_func=lambda d: t["all"] if d is None else
                                districts.set_index("district_id").loc[d, "name_zh" if lang == "zh" else "name_en"])
clusters = _clusters()
cluster = st.sidebar.selectbox(t["cluster"], [None] + list(clusters["cluster_id"]),
                               format_func=lambda c: "—" if c is None else
                               clusters.set_index("cluster_id").loc[c, "name_zh" if lang == "zh" else "name_en"])
basemap = st.sidebar.selectbox(t["basemap"], ["OpenStreetMap", "CartoDB positron", None],
                               format_func=lambda b: b or t["offline"])

cov, supply, ov, gaps = _tables(unit)
st.caption(t["note"])
focus = districts[districts["district_id"] == district] if district else None
fmap = use_local_assets(catalog_map({lid: all_layers[lid] for lid in shown}, lang=lang, tiles=basemap,
                                    district_coverage=cov, overlap_areas=ov, focus=focus))
st_folium(fmap, height=560, use_container_width=True, returned_objects=[], key="map")

if cluster:
    c = clusters.set_index("cluster_id").loc[cluster]
    g = gaps[gaps["cluster_id"] == cluster]
    st.subheader(c["name_zh"] if lang == "zh" else c["name_en"])
    st.write(f"**{t['opinion']}**: {'、'.join(c['opinion_districts']) or t['none']}  ({c['source']})")
    st.write(f"**{t['carried']}**: {', '.join(sorted({f for v in g['carried_by'] for f in v})) or t['none']}")
    st.write(f"**{t['gap_pairs']}**: {'、'.join(g[g['gap']]['place_zh']) or t['none']}")


def _table(df, name):
    """Rounded for reading; the CSV download keeps full precision."""
    st.dataframe(df.round({c: 2 for c in df.select_dtypes("float").columns}), hide_index=True,
                 use_container_width=True)
    st.download_button(t["download"], df.to_csv(index=False).encode("utf-8-sig"), f"{name}_{unit}.csv",
                       "text/csv", key=f"dl_{name}")


tabs = st.tabs([t["coverage"], t["targets"], t["overlaps"], t["gaps"], t["catalog"]])
with tabs[0]:
    _table(cov if not district else cov[cov["zone_id"] == district], "coverage")
with tabs[1]:
    sel = supply if not district else target_supply(unit=unit, district=district)
    _table(sel.drop(columns=["name_en" if lang == "zh" else "name_zh"]), "targets")
with tabs[2]:
    st.write(f"{t['double']}: {ov.attrs.get('double_counted', 0.0):.2f} {unit_label(unit, lang)}")
    _table(ov.drop(columns="geometry"), "overlaps")
with tabs[3]:
    g = gaps[gaps["gap"]]
    if district:
        g = g[g["district_ids"].map(lambda v: district in v)]
    _table(g, "cluster_gaps")
with tabs[4]:
    st.dataframe(_catalog(), hide_index=True, use_container_width=True)
