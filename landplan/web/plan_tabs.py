"""The page's tabs, each drawn from the plan in effect (:class:`layers.plan.Plan`, focused on the
page's district): coverage, targets, overlaps, cluster gaps, the parcel tables, and the caption
about precision. Each reads the plan, converts to the page's unit and draws; none decides what
counts."""

from __future__ import annotations

import streamlit as st

from layers.overlaps import KINDS
from layers.supply import basis_summary_text
from layers.units import in_unit

from ..chart_data import coverage_bars, target_figures
from ..present import plan_text
from ..present.text import text
from .charts import coverage_chart, targets_charts
from .plan_view import parcel_measured, proposed_count
from .tables import show_table

#: the page's tabs, in order (only the open one is drawn: choosing another reruns the page)
TABS = ("coverage", "targets", "ledger", "overlaps", "gaps", "catalog", "downloads", "compare")


def page_tabs(lang: str) -> dict:
    """The page's tabs by name (:data:`TABS`), labelled in ``lang``."""
    words = text(lang)
    t = words["page"]
    labels = {name: t.get(name, "") for name in TABS}
    labels["compare"] = words["scenarios"]["compare"]
    tabs = st.tabs(list(labels.values()), key="tables", on_change="rerun")
    return dict(zip(TABS, tabs))


def open_tab(tabs: dict) -> str:
    """The name of the open tab among :func:`page_tabs`' (the first when none says)."""
    return next((name for name, tab in tabs.items() if tab.open), TABS[0])


def precision_caption(plan, lang: str) -> None:
    """What the plan's outlines are: the parks in effect under the title, every layer and the area
    method in a box that opens."""
    lines = plan_text.precision_lines(plan, lang)
    # the parks in effect (and the proposed parks among them, said next)
    st.caption("  \n".join(lines[: 2 if proposed_count(plan) else 1]))
    with st.expander(text(lang)["page"]["precision"]):
        st.markdown("\n".join(f"- {line}" for line in lines))


def _where(plan, lang: str) -> str:
    """'坪山区内' for a district in focus, '全市' for the city."""
    t = text(lang)["page"]
    if plan.focus is None:
        return t["all"]
    row = plan.districts.iloc[0]
    return t["overlaps_in"].format(d=row["name_zh" if lang == "zh" else "name_en"])


def coverage_tab(plan, lang: str, unit: str) -> None:
    """The districts in focus covered by the parks in effect (and by an upload shown beside them),
    with the covered area and the land under any park or zone, each place once, in words."""
    st.caption(plan_text.coverage_line(plan, lang, unit))
    show_table(plan.coverage, "coverage", lang, unit)
    bars = coverage_bars(in_unit(plan.coverage, unit), plan.precisions(), lang)
    st.altair_chart(coverage_chart(bars, lang), width="stretch")
    st.caption(text(lang)["charts"]["coverage_note"])
    if plan.upload_coverage is not None:
        st.markdown(f"**{text(lang)['sheets']['upload_coverage']}**")
        show_table(plan.upload_coverage, "upload_coverage", lang, unit)
    st.caption(plan_text.parks_total_line(plan, lang, unit))


def targets_tab(plan, lang: str, unit: str) -> None:
    """The targets in focus against what counts toward them, and how many rest on what."""
    st.caption(basis_summary_text(plan.targets, lang))
    show_table(plan.targets, "targets", lang, unit)
    if len(plan.phase_supply):  # the parks state their phases: each phase's share
        st.markdown(f"**{text(lang)['page']['phase_supply']}**")
        show_table(plan.phase_supply, "phase_supply", lang, unit)
    if len(plan.targets):
        figs = target_figures(in_unit(plan.targets, unit), lang)
        st.markdown(f"**{text(lang)['charts']['targets_title']}**")
        for chart in targets_charts(figs, lang):
            st.altair_chart(chart, width="stretch")
        st.caption(text(lang)["charts"]["targets_note"])


def overlaps_tab(plan, lang: str, unit: str) -> None:
    """The overlaps in focus, grouped by kind (double counts, nesting, the same place in two
    layers), under the land counted twice."""
    t = text(lang)["page"]
    where = _where(plan, lang)
    st.markdown(f"**{where}**{t['sep']}{plan_text.double_line(plan, lang, unit)}")
    ov = plan.overlaps
    if not len(ov):
        st.info(t["no_overlaps"].format(where=where))
        return
    for kind in KINDS:
        part = ov[ov["kind"] == kind]
        if len(part):
            words = plan_text.overlap_kind(kind, lang)
            st.markdown(f"**{words[:1].upper() + words[1:]}**{t['sep']}{len(part)}")
            show_table(part.drop(columns="geometry"), f"overlaps_{kind}", lang, unit, "overlaps")


def gaps_tab(plan, lang: str, unit: str) -> None:
    """The places in focus the Opinion names for a cluster that no park or zone carries."""
    g = plan.cluster_gaps
    show_table(g[g["gap"].astype(bool)], "cluster_gaps", lang, unit)


def parcel_tables(plan, lang: str, unit: str) -> None:
    """The parcels' accounting in the parks in effect and districts in focus, and the targets in
    focus they measure (nothing without parcels)."""
    if plan.parcels is None:
        return
    st.subheader(text(lang)["parcels"]["title"])
    show_table(plan.parcel_accounting, "parcel_accounting", lang, unit)
    measured = parcel_measured(plan)
    if len(measured):
        st.markdown(f"**{text(lang)['sheets']['parcel_targets']}**")
        show_table(measured, "parcel_targets", lang, unit, "targets")
