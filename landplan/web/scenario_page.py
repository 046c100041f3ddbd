"""The page's scenarios: save the what-if under a name, open a saved one, compare two side by side.

Its words are ``scenarios`` in ``landplan/present/text/zh.yaml`` and ``en.yaml``.

The store is the command line's (:func:`layers.store.open_store`: ``$LANDPLAN_STORE`` or
``~/.landplan/plans.gpkg``). The page script calls :func:`in_effect` (an opened scenario becomes the
page's what-if), :func:`sidebar` (save / open) and :func:`compare_tab` (the plans of two saved
scenarios side by side). Only editors save (:func:`landplan.web.auth.require_editor`, checked in
:func:`save_whatif` itself), under their signed-in identity when sign-in is configured.
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import pandas as pd

from geo.areas import area
from geo.crs import to_offset
from geo.errors import LandplanError, in_language
from geo.units import unit_label
from layers.compare import compare_plans as plans_side_by_side
from layers.store import open_store
from layers.units import in_unit

from ..present.text import text
from ..present.words import MISSING
from ..report.comparison import change_tables, comparison_xlsx, parts_text
from .assets import use_local_assets
from .auth import Visitor, require_editor, shown_identity
from .map_frame import ZOOM_SNAP, framed, legend_strip, view_bounds
from .mapping import SHENZHEN_CENTER, add_basemap, display_layer, map_page, tooltip_safe
from .tables import html_table

COLORS = {"a": "#2166ac", "b": "#e66101"}
_OPEN = "scenario_open"  # session key: the opened scenario (a layers.store.Scenario)


def store(spec=None):
    """The plan store the page uses: the command line's default (``$LANDPLAN_STORE`` or
    ``~/.landplan/plans.gpkg``)."""
    return open_store(spec)


def save_whatif(
    visitor: Visitor,
    name: str,
    note: str = "",
    by: str = "",
    upload=None,
    role: str = "beside",
    official: bool = False,
    proposed=None,
    parcels=None,
    spec=None,
):
    """Save the page's what-if (upload and its role, proposed parks, parcels) as a new version of
    ``name``, for ``visitor``: refused unless they may edit; saved by their signed-in identity
    (``by``, typed, counts only without sign-in; empty: the login name)."""
    require_editor(visitor)
    if visitor.signed:
        by = visitor.identity
    if not (name or "").strip():
        raise LandplanError("请填写方案名称。", "Give the scenario a name.")
    return store(spec).save(
        name.strip(),
        upload=upload,
        role=role,
        official=official,
        proposed=proposed,
        parcels=parcels,
        note=note or "",
        by=(by or "").strip() or None,
    )


def versions(spec=None) -> pd.DataFrame:
    """Every saved version, newest first (name, version, saved_at, saved_by, note, ...)."""
    df = store(spec).versions()
    return df.iloc[::-1].reset_index(drop=True)


def version_label(row, lang: str = "zh") -> str:
    """'name 第 2 版 · 2026-12-01T10:00:00+00:00 · 王工' for a choice."""
    return text(lang)["scenarios"]["version"].format(
        name=row["name"],
        version=int(row["version"]),
        at=str(row["saved_at"]).replace("T", " ")[:16],
        by=row["saved_by"] or MISSING,
    )


def open_scenario(name: str, version: int | None = None, spec=None):
    """A saved scenario with all its layers; parcels are marked synthetic when every row says so."""
    sc = store(spec).open(name, version)
    if (
        sc.parcels is not None
        and "synthetic" in sc.parcels.columns
        and sc.parcels["synthetic"].astype(bool).all()
    ):
        sc.parcels.attrs["synthetic"] = True
    return sc


def open_into(state, name: str, version: int | None = None) -> None:
    """Open saved scenario ``name`` (its latest version, or ``version``) as the page's what-if."""
    state[_OPEN] = open_scenario(name, version)


def in_effect(state, upload, role, official, proposed, parcels):
    """The page's what-if with an opened scenario (``state[_OPEN]``) in it.

    The page's own upload and parcels win over the scenario's; drawn parks are added to the
    scenario's proposed parks (open, draw, save: a new version). Returns (upload, role, official,
    proposed, parcels).
    """
    sc = state.get(_OPEN)
    if sc is None:
        return upload, role, official, proposed, parcels
    if upload is None and sc.upload is not None:
        upload, role, official = sc.upload, sc.role, sc.official
    if sc.proposed is not None and len(sc.proposed):
        proposed = (
            sc.proposed
            if proposed is None
            else gpd.GeoDataFrame(
                pd.concat([sc.proposed.to_crs(proposed.crs), proposed], ignore_index=True),
                crs=proposed.crs,
            )
        )
    if parcels is None and sc.parcels is not None:
        parcels = sc.parcels
    return upload, role, official, proposed, parcels


def opened_key(state):
    """The opened scenario as (name, version), for keys of files made from the what-if (None when
    none is open)."""
    sc = state.get(_OPEN)
    return None if sc is None else (sc.name, sc.version)


def _msg(exc, lang):
    return in_language(exc, lang).replace("\n", "  \n")


def sidebar(st, lang: str, visitor: Visitor, upload, role, official, proposed, parcels) -> None:
    """Save (editors: name, note, and who when sign-in is not configured) and open in the sidebar
    (inside an expander the page makes); the saved versions."""
    tx, ta = text(lang)["scenarios"], text(lang)["auth"]
    try:
        where = store().where
    except LandplanError as exc:
        st.error(_msg(exc, lang))
        return
    st.caption(tx["store"].format(where=where))
    if not visitor.may_edit:
        st.caption(ta["viewer_note"])
    else:
        _save_form(st, lang, visitor, where, upload, role, official, proposed, parcels)
    try:
        saved = versions()
    except LandplanError as exc:
        st.error(_msg(exc, lang))
        return
    if saved.empty:
        return
    labels = {i: version_label(r, lang) for i, r in saved.iterrows()}
    pick = st.selectbox(tx["open"], list(labels), format_func=labels.get, key="scenario_pick")
    cols = st.columns(2)
    if cols[0].button(tx["open_btn"], key="scenario_open_btn"):
        row = saved.loc[pick]
        try:
            st.session_state[_OPEN] = open_scenario(row["name"], int(row["version"]))
            st.rerun()
        except LandplanError as exc:
            st.error(_msg(exc, lang))
    if st.session_state.get(_OPEN) is not None and cols[1].button(
        tx["close"], key="scenario_close_btn"
    ):
        st.session_state[_OPEN] = None
        st.rerun()


def _save_form(st, lang, visitor, where, upload, role, official, proposed, parcels) -> None:
    tx, ta = text(lang)["scenarios"], text(lang)["auth"]
    with st.form("scenario_save", clear_on_submit=False, border=False):
        name = st.text_input(tx["name"], key="scenario_name")
        note = st.text_input(tx["note"], key="scenario_note")
        if visitor.signed:
            st.caption(ta["saved_as"].format(who=shown_identity(visitor)))
            by = ""
        else:
            by = st.text_input(tx["by"], key="scenario_by")
        if st.form_submit_button(tx["save"]):
            try:
                sc = save_whatif(visitor, name, note, by, upload, role, official, proposed, parcels)
                st.success(tx["saved"].format(name=sc.name, version=sc.version, where=where))
            except LandplanError as exc:
                st.error(_msg(exc, lang))


def opened_caption(st, lang: str) -> None:
    """One line saying which saved scenario the what-if comes from (nothing when none is open)."""
    sc = st.session_state.get(_OPEN)
    if sc is not None:
        st.info(
            text(lang)["scenarios"]["opened"].format(
                name=sc.name,
                version=sc.version,
                by=sc.saved_by or MISSING,
                at=sc.saved_at.replace("T", " ")[:16],
                parts=parts_text(sc, lang),
            )
        )


# --- two scenarios side by side
# ------------------------------------------------------------------------


def comparison_map(
    a,
    b,
    lang: str = "zh",
    unit: str = "km2",
    basemap: str = "none",
    tianditu_key: str | None = None,
) -> folium.Map:
    """A map of the parks in effect of two plans (of saved scenarios): A blue and filled, B orange
    and dashed, districts in grey, fitted to the city, the legend under it."""
    import layers

    tx = text(lang)["scenarios"]
    m = folium.Map(
        location=SHENZHEN_CENTER, zoom_start=10, tiles=None, control_scale=True, zoom_snap=ZOOM_SNAP
    )
    offset = add_basemap(m, basemap, tianditu_key)

    def shown(gdf):
        g = to_offset(gdf, offset) if offset else display_layer(gdf)
        return g.set_geometry(g.geometry.simplify(0.0001))

    d = layers.load("districts")
    name_col = "name_zh" if lang == "zh" else "name_en"
    folium.GeoJson(
        tooltip_safe(
            shown(
                gpd.GeoDataFrame(
                    {tx["districts_layer"]: d[name_col]}, geometry=d.geometry, crs=d.crs
                )
            )
        ).to_json(),
        name=tx["districts_layer"],
        style_function=lambda f: {"color": "#777777", "weight": 1, "fillOpacity": 0},
        tooltip=folium.GeoJsonTooltip(fields=[tx["districts_layer"]]),
    ).add_to(m)
    for side, plan in (("a", a), ("b", b)):
        sc, parks = plan.scenario, plan.parks
        parks = parks[parks.geometry.notna() & parks.geom_type.isin(["Polygon", "MultiPolygon"])]
        label = tx["map_label"].format(side=tx[side], name=sc.name, version=sc.version)
        names = (
            parks[name_col].fillna(parks.get("name_zh"))
            if name_col in parks.columns
            else pd.Series([MISSING] * len(parks), index=parks.index)
        )
        frame = gpd.GeoDataFrame(
            {
                tx["scenario"]: label,
                tx["feature_name"]: names.fillna(MISSING).astype(str),
                tx["area"]: [f"{v:.2f} {unit_label(unit, lang)}" for v in area(parks, unit)],
            },
            geometry=parks.geometry,
            crs=parks.crs,
        )
        color = COLORS[side]
        style = (
            {"color": color, "weight": 2, "fillColor": color, "fillOpacity": 0.3}
            if side == "a"
            else {"color": color, "weight": 3, "fillOpacity": 0, "dashArray": "8 5"}
        )
        folium.GeoJson(
            tooltip_safe(shown(frame)).to_json(),
            name=html.escape(label),
            style_function=lambda f, s=style: s,
            tooltip=folium.GeoJsonTooltip(fields=list(frame.columns[:-1])),
        ).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    sa, sb = a.scenario, b.scenario
    legend = [
        (
            f"background:{COLORS['a']}55;border:2px solid {COLORS['a']}",
            tx["map_label"].format(side="A", name=sa.name, version=sa.version),
        ),
        (
            f"border:2px dashed {COLORS['b']}",
            tx["map_label"].format(side="B", name=sb.name, version=sb.version),
        ),
    ]
    framed(m, view_bounds(shown(d)), legend_strip(tx["legend"], legend))
    return m


def saved_plan(name: str, version: int | None = None, spec=None):
    """The city's plan of a saved scenario version (:func:`layers.plan.compute_plan`) with the
    progress ledger as it stood when it was saved, computed once per store, name and version."""
    from .page_data import saved_plan as plan_of

    s = store(spec)
    if version is None:
        version = int(versions(spec).query("name == @name")["version"].max())
    return plan_of(s.where, name, int(version), lambda n, v: open_scenario(n, v, spec), s)


def compare_plans(a, b, unit: str = "km2") -> dict[str, pd.DataFrame]:
    """Two plans' targets and districts side by side: A, B and the change (B − A), with the basis
    and the ledger's figures each was saved with (:func:`layers.compare.compare_plans`; nothing is
    measured again)."""
    return {k: in_unit(v, unit) for k, v in plans_side_by_side(a, b).items()}


def compare_tab(
    st,
    lang: str,
    unit: str,
    basemap: str = "none",
    tianditu_key: str | None = None,
    map_height: int = 520,
) -> None:
    """Choose A and B among the saved versions; the map with both, the tables of changes, the
    workbook."""
    tx = text(lang)["scenarios"]
    try:
        saved = versions()
        where = store().where
    except LandplanError as exc:
        st.error(_msg(exc, lang))
        return
    if saved.empty:
        st.info(tx["empty"].format(where=where))
        return
    labels = {i: version_label(r, lang) for i, r in saved.iterrows()}
    cols = st.columns(2)
    ia = cols[0].selectbox(
        tx["a"],
        list(labels),
        index=min(1, len(labels) - 1),
        format_func=labels.get,
        key="compare_a",
    )
    ib = cols[1].selectbox(tx["b"], list(labels), index=0, format_func=labels.get, key="compare_b")
    if ia == ib:
        st.warning(tx["same"])
        return
    try:
        a, b = (saved_plan(saved.loc[i, "name"], int(saved.loc[i, "version"])) for i in (ia, ib))
        comp = compare_plans(a, b, unit)
    except LandplanError as exc:
        st.error(_msg(exc, lang))
        return
    st.iframe(
        map_page(use_local_assets(comparison_map(a, b, lang, unit, basemap, tianditu_key))),
        height=map_height,
    )
    st.caption(tx["map_caption"])
    shown = change_tables(comp, lang)
    only = st.checkbox(tx["only_changed"], value=False, key="compare_only_changed")
    for key in ("targets", "districts"):
        st.markdown(f"**{tx[key]}**")
        df = shown[key]
        df = df[df.attrs["changed"]] if only else df
        if df.empty:
            st.info(tx["no_change"])
        else:
            st.html(html_table(df, f"compare_{key}"))
    st.caption(tx["basis_note"])
    st.download_button(
        tx["xlsx"],
        comparison_xlsx(comp, a.scenario.info(), b.scenario.info(), lang),
        f"landplan_compare_{unit}.xlsx",
        key="dl_compare",
    )
