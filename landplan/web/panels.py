"""The page's larger blocks of widgets: the upload and parcel boxes in the sidebar, a cluster's
lines, the downloads tab of the plan. Each reads its widgets, calls the library and draws;
``streamlit_app.py`` calls them in order."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import streamlit as st

from geo.errors import LandplanError
from geo.io.formats import accepted

from ..present.tables import cluster_lines
from ..progress import page_status
from . import page_data as data
from .downloads import page_files, plan_tables, prepared, tables_xlsx
from .uploads import MAX_FEATURES, MAX_UPLOAD_MB, refused_upload
from .widgets import kept_choice, message, once

#: the attribute encodings offered (a Shapefile's .cpg or .dbf header, or detection, otherwise)
ENCODINGS = ["", "utf-8", "gbk", "gb18030", "big5", "cp1252", "latin-1", "cp1250", "cp1251"]


@dataclass
class Upload:
    """The upload box's choices: file, encoding, CRS, role, official; the layer read (or None)."""

    file: object = None
    encoding: str = ""
    crs: str = ""
    role: str = "beside"
    official: bool = False
    layer: object = None


@dataclass
class Parcels:
    """The sidebar's parcel box: the codes that count and the parcels read (or None)."""

    counts: str = "M1,M0"
    layer: object = None


def upload_box(t: dict, lang: str) -> Upload:
    """The upload box: a file, its encoding and CRS if unstated, beside/instead, official.

    Its widgets keep their choices through a language switch (which changes their labels).
    """
    st.sidebar.markdown(f"**{t['upload']}**")
    # every file is taken: what landplan does not read is refused below in the page's words, not
    # by Streamlit's uploader in English on hover
    u = Upload(
        st.sidebar.file_uploader(
            t["upload_help"].format(
                formats=accepted(lang)[:1].upper() + accepted(lang)[1:],
                mb=MAX_UPLOAD_MB,
                n=f"{MAX_FEATURES:,}",
            ),
            type=None,
            key="upload_file",
        )
    )
    u.encoding = kept_choice(
        st.sidebar.selectbox,
        t["encoding"],
        ENCODINGS,
        "upload_encoding",
        lang,
        format_func=lambda e: t["encodings"].get(e, e) or t["auto"],
    )
    u.crs = st.sidebar.text_input(
        t["crs"], placeholder="EPSG:4547 / gcj02 / bd09", key="upload_crs"
    )
    u.role = kept_choice(
        st.sidebar.radio,
        t["role"],
        ["beside", "instead"],
        "upload_role",
        lang,
        format_func=lambda r: t[r],
        horizontal=True,
    )
    if u.file is None:
        return u
    u.official = st.sidebar.checkbox(t["official"], help=t["official_help"], key="upload_official")
    name, raw = u.file.name, u.file.getvalue()
    refusal = refused_upload(name, len(raw))  # by name and size: said at once, in words
    if refusal is not None:
        st.sidebar.error(message(refusal, lang))
        return u
    # those with geometry first: none preselects a table
    choice = data.upload_layers_once(name, raw)
    layer = (
        st.sidebar.selectbox(t["gpkg_layer"], choice, key="upload_layer")
        if len(choice) > 1
        else None
    )
    try:
        u.layer = once(
            "_read_sig",
            (name, zlib.crc32(raw), u.encoding, u.crs, layer),
            t["reading"],
            t["read_done"],
            data.read_upload_once,
            name,
            raw,
            encoding=u.encoding,
            crs=u.crs.strip() or None,
            layer=layer,
        )
        warnings = u.layer.attrs.get("warnings", [])
        for line in u.layer.attrs.get("report", []):
            (st.sidebar.warning if line in warnings else st.sidebar.info)(message(line, lang))
        st.sidebar.success(t["loaded"].format(n=len(u.layer), name=name))
    except LandplanError as exc:
        st.sidebar.error(message(exc, lang))
    except Exception as exc:  # noqa: BLE001 - an unforeseen file must not take the page down
        st.sidebar.error(t["upload_failed"].format(err=type(exc).__name__))
    return u


def parcel_box(pt: dict, t: dict, lang: str, upload: Upload) -> Parcels:
    """The parcel box (地块): parcels (land-use code, supply status) and the codes that count.

    Read once; the plan accounts the parcels in the parks in effect and districts, and measures
    the targets parcels can.
    """
    file = st.sidebar.file_uploader(pt["upload"], type=None, key="parcel_upload")
    cols = st.sidebar.text_input(pt["cols"], placeholder="landuse,status", key="parcel_cols")
    p = Parcels(st.sidebar.text_input(pt["counts"], value="M1,M0", key="parcel_counts"))
    if file is None:
        return p
    raw = file.getvalue()
    refusal = refused_upload(file.name, len(raw))
    if refusal is not None:
        st.sidebar.error(message(refusal, lang))
        return p
    sig = (file.name, zlib.crc32(raw), cols, upload.encoding, upload.crs)
    try:
        p.layer = once(
            "_parcel_sig",
            sig,
            t["parcels_running"],
            t["parcels_done"],
            data.read_parcel_upload_once,
            file.name,
            raw,
            cols,
            encoding=upload.encoding,
            crs=upload.crs.strip() or None,
        )
        for line in p.layer.attrs.get("report", []):
            st.sidebar.info(message(line, lang))
    except LandplanError as exc:
        st.sidebar.error(message(exc, lang))
    return p


def cluster_box(t: dict, lang: str, cluster: str, clusters, gaps) -> None:
    """A chosen cluster: where the Opinion puts it, which parks carry it, its gaps.

    A future industry also shows the "6+5" carrying areas its action plan names.
    """
    c = clusters.set_index("cluster_id").loc[cluster]
    st.subheader(c["name_zh"] if lang == "zh" else f"{c['name_en']} ({c['name_zh']})")
    lines = cluster_lines(c, gaps, lang)
    for key in ("opinion", "carried", "gap_pairs"):
        st.markdown(f"**{t[key]}**{t['sep']}{lines['gaps' if key == 'gap_pairs' else key]}")
    if lines.get("plan_areas"):
        st.markdown(f"**{t['plan_areas']}**{t['sep']}{lines['plan_areas']}")


def downloads_tab(t: dict, lang: str, unit: str, plan, on_map: dict, key) -> None:
    """The tables workbook, the layers and the meeting reports of ``plan`` (focused as the page).

    The workbook is the plan's tables as the tabs show them. The other files are made on a click
    in a status box and kept for the session under ``key`` (what the page shows: a new focus,
    unit, language, upload or drawing makes them again); the download then carries the bytes (a
    deferred file could be lost by a rerun); a failure says why.
    """
    st.download_button(
        t["tables_xlsx"],
        tables_xlsx(plan_tables(plan, lang, unit)),
        f"landplan_tables_{plan.focus or 'city'}_{unit}.xlsx",
        key="dl_xlsx",
    )
    for name, (what, filename, mime, make) in page_files(plan, lang, unit, on_map).items():
        made = prepared(st.session_state, name, key)
        if made is None and st.button(t["report_make"].format(what=what), key=f"make_{name}"):
            try:
                done = t["report_done"].replace("{what}", what)
                with page_status(t["report_running"].format(what=what), done):
                    made = prepared(st.session_state, name, key, make)
            except LandplanError as exc:
                st.error(t["report_failed"].format(what=what, err=message(exc, lang)))
            except Exception as exc:  # noqa: BLE001 - say why, keep the page
                err = f"{type(exc).__name__}: {exc}"
                st.error(t["report_failed"].format(what=what, err=err))
        if made is not None:
            label = t["download_file"].format(name=filename)
            st.download_button(label, made, filename, mime, key=f"dl_{name}")
