"""landplan — 深圳产业用地与园区规划 / Shenzhen industrial land and parks.

Thin page: reads widgets, calls library functions, draws.
"""
import streamlit as st
from streamlit_folium import st_folium

from pathlib import Path

import layers
from landplan.assets import install_static, use_local_assets
from landplan.mapping import LABELS, catalog_map

install_static(Path(__file__).parent)

st.set_page_config(page_title="landplan 深圳产业用地", layout="wide")

lang = st.sidebar.radio("语言 / Language", ["zh", "en"], format_func=lambda v: {"zh": "中文", "en": "English"}[v])
lab = LABELS[lang]
title = {"zh": "深圳产业用地与园区规划", "en": "Shenzhen industrial land and parks"}[lang]
st.title(title)


@st.cache_data(show_spinner=False)
def _layers():
    return {lid: layers.load(lid) for lid in layers.LAYER_IDS}


@st.cache_data(show_spinner=False)
def _catalog():
    return layers.catalog()


all_layers = _layers()
shown = st.sidebar.multiselect(
    {"zh": "图层", "en": "Layers"}[lang], list(layers.LAYER_IDS),
    default=["districts", "sz20_parks"], format_func=lambda lid: lab.get(lid, lid))
st.caption({"zh": "园区与片区边界为示意（虚线），官方边界未公开；面积在 EPSG:4547 中计算。",
            "en": "Park and zone outlines are indicative (dashed): official outlines are not published. "
                  "Areas are computed in EPSG:4547."}[lang])
basemap = st.sidebar.selectbox({"zh": "底图", "en": "Basemap"}[lang], ["OpenStreetMap", "CartoDB positron", None],
                               format_func=lambda b: b or {"zh": "无（离线）", "en": "None (offline)"}[lang])
fmap = use_local_assets(catalog_map({lid: all_layers[lid] for lid in shown}, lang=lang, tiles=basemap))
st_folium(fmap, height=560,
          use_container_width=True, returned_objects=[])
st.subheader({"zh": "图层目录", "en": "Layer catalog"}[lang])
st.dataframe(_catalog(), hide_index=True, use_container_width=True)
