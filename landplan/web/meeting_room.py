"""The page in the meeting room: the headline figures at the top (the plan's, worded by
:func:`landplan.present.plan_text.headline`), the map's frame as tall as the window allows, and the
presenting view (no sidebar, a larger map and larger figures) for the projector."""

from __future__ import annotations

import streamlit as st

from ..present import plan_text

#: the key of the container that holds the page's map (its frame's height is set by style)
MAP_KEY = "page_map"
#: the map frame's height: the window's, less what lies above it (title, figures) and the switches
#: under it (drawing, presenting), within limits
MAP_HEIGHT_CSS = "clamp(380px, calc(100vh - 340px), 860px)"
PRESENTING_MAP_HEIGHT_CSS = "max(420px, calc(100vh - 330px))"


def headline(plan, lang: str, unit: str) -> None:
    """The headline figures of ``plan`` (focused on the page's district) as ``st.metric`` in a
    row: the 20 parks' supply against their target and its basis, the targets met / not met /
    unknown, the focus's coverage."""
    figures = plan_text.headline(plan, lang, unit)
    for col, f in zip(st.columns([1.3, 1, 1], gap="small"), figures):
        col.metric(
            f["label"],
            f["value"],
            f["note"],
            delta_color=f["tone"],
            delta_arrow="off",
            help=f["help"],
            border=True,
        )


def room_style(presenting: bool) -> None:
    """The page's style for the meeting room: the map frame fills the window's height; presenting,
    the sidebar is hidden and the map and the figures are larger. The selectors are Streamlit
    1.67's (its test ids, and the ``st-key-`` class of a keyed container)."""
    height = PRESENTING_MAP_HEIGHT_CSS if presenting else MAP_HEIGHT_CSS
    frame = f".st-key-{MAP_KEY} [data-testid=stElementContainer]:has(iframe)"
    style = f""".st-key-{MAP_KEY} iframe, {frame}
  {{height: {height} !important; flex: 0 0 auto !important;}}
[data-testid=stMainBlockContainer] {{padding: 3rem 2rem 4rem;}}
[data-testid=stMain] h1 {{font-size: 2.25rem; padding: 0.25rem 0 0.5rem;}}
[data-testid=stMetric] .stMarkdownEllipsis, [data-testid=stMetric] .stMarkdownEllipsis p {{
  white-space: normal; text-overflow: clip;}}
[data-testid=stMetricValue] {{font-size: 1.6rem; line-height: 1.25;}}"""
    if presenting:
        style += """
[data-testid=stSidebar], [data-testid=stSidebarCollapsedControl],
[data-testid=stExpandSidebarButton] {display: none !important;}
[data-testid=stMainBlockContainer] {padding: 2rem 2rem 4rem; max-width: 100%;}
[data-testid=stMetricValue] {font-size: 2.75rem;}
[data-testid=stMetricLabel] p {font-size: 1.15rem;}
[data-testid=stMetricDelta] p {font-size: 1.05rem;}"""
    st.html(f"<style>\n{style}\n</style>")
