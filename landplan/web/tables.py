"""The page's tables: shown as a planner reads them (``landplan.present.tables``), small ones as
plain
HTML, with a CSV."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from layers.units import in_unit

from ..present.tables import display_table
from ..present.text import text

# Plain tables on the page: a thin rule under each row, numbers right-aligned, Chinese in the page's
# font.
_TABLE_CSS = """<style>
table.landplan-table {border-collapse: collapse; width: 100%; font-size: 0.9rem;}
table.landplan-table th {font-weight: 600; color: rgba(49, 51, 63, 0.75); text-align: left;
  vertical-align: bottom; word-break: keep-all;}
table.landplan-table th, table.landplan-table td {padding: 0.35rem 0.5rem;
  border-bottom: 1px solid rgba(49, 51, 63, 0.12);}
div.landplan-scroll {overflow-x: auto;}
div.landplan-tall {max-height: 40rem; overflow-y: auto;}
div.landplan-tall th {position: sticky; top: 0; background: white;}
</style>"""
# a table up to this long is plain HTML (in a scroll box past 30 rows); a longer one, a grid
HTML_ROWS = 300
HTML_COLUMNS = 12


def _is_number(col: pd.Series) -> bool:
    """A column of figures (whole counts beside decimals, missing ones as None included)."""
    if pd.api.types.is_numeric_dtype(col):
        return True
    given = col[col.notna()]
    return bool(
        len(given)
        and given.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)).all()
    )


def html_table(shown: pd.DataFrame, table_id: str) -> str:
    """A table as plain HTML (st.html): light for the browser to draw, every cell and header escaped
    as text,
    numbers right-aligned with 2 decimals and thousands separators, missing values as —; past 30
    rows in a box that scrolls under its header."""
    numbers = [c for c in shown.columns if _is_number(shown[c])]
    styled = (
        shown.style.set_uuid(table_id)
        .hide(axis="index")
        .format(precision=2, thousands=",", na_rep="—", escape="html")
        .format_index(escape="html", axis=1)
        .set_properties(subset=numbers, **{"text-align": "right"})
        .set_table_styles(
            [
                {
                    "selector": f"th.col{shown.columns.get_loc(c)}",
                    "props": [("text-align", "right")],
                }
                for c in numbers
            ]
            + [
                {"selector": f"td.col{len(shown.columns) - 1}", "props": [("min-width", "14em")]}
                for _ in [0]
                if len(shown.columns) and shown.columns[-1] not in numbers
            ]
        )
        .set_table_attributes('class="landplan-table"')
    )
    box = "landplan-scroll landplan-tall" if len(shown) > 30 else "landplan-scroll"
    return _TABLE_CSS + f'<div class="{box}">' + styled.to_html() + "</div>"


def show_table(df: pd.DataFrame, name: str, lang: str, unit: str, kind: str | None = None) -> None:
    """Draw a library table (areas in m²) in ``unit`` as a planner reads it (names, words, units,
    rounded: :func:`landplan.present.tables.display_table` of ``kind``, default ``name``), and
    offer it as
    CSV (``name`` names the file and the button).

    A table up to ``HTML_ROWS`` rows and ``HTML_COLUMNS`` columns is plain HTML (light to draw,
    reads and prints as it is); a larger one a scrollable grid. The CSV is what is shown (a few kB,
    made now: no deferred file to lose).
    """
    shown = display_table(kind or name, in_unit(df, unit), lang, unit)
    if len(shown) <= HTML_ROWS and len(shown.columns) <= HTML_COLUMNS:
        st.html(html_table(shown, name))
    else:  # as words, the figures as the HTML tables write them (the grid says None for none)
        numbers = [c for c in shown.columns if _is_number(shown[c])]
        st.dataframe(
            grid_text(shown),
            hide_index=True,
            width="stretch",
            column_config={c: st.column_config.TextColumn(alignment="right") for c in numbers},
        )
    if shown.attrs.get("note"):
        st.caption(shown.attrs["note"])
    st.download_button(
        text(lang)["page"]["download"],
        shown.to_csv(index=False).encode("utf-8-sig"),
        f"{name}_{unit}.csv",
        "text/csv",
        key=f"dl_{name}",
    )


def grid_text(shown: pd.DataFrame) -> pd.DataFrame:
    """A table for the grid as the HTML tables write it: figures with 2 decimals and thousands
    separators (counts whole), a missing value as —."""

    def cell(v, number):
        if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
            return "—"
        if number and isinstance(v, (int, np.integer)) and not isinstance(v, bool):
            return f"{int(v):,}"
        return f"{float(v):,.2f}" if number else str(v)

    return pd.DataFrame(
        {c: [cell(v, _is_number(shown[c])) for v in shown[c]] for c in shown.columns}
    )
