"""The workbook's cells: a sheet's title and meta rows (scope, date, data version, unit) and a
table written with a bold header, number formats, wrapped columns, fitted widths and a total row."""

from __future__ import annotations

import unicodedata

import numpy as np

from .text import ReportData


def _width(s) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(s))


def _write_table(
    ws,
    top: int,
    columns: list[tuple],
    rows: list[list],
    total: list | None = None,
    wrap_cols: tuple = (),
) -> int:
    """Header at row ``top``, then rows, then an optional bold total row. Returns the next free row.

    ``columns``: (header, number_format or None).
    """
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="999999")
    for j, (head, _) in enumerate(columns, start=1):
        c = ws.cell(row=top, column=j, value=head)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDDDDD")
        c.alignment = Alignment(wrap_text=True, vertical="center")
        c.border = Border(bottom=thin)
    r = top
    for row in rows:
        r += 1
        for j, v in enumerate(row, start=1):
            if isinstance(v, float) and np.isnan(v):
                v = None
            if isinstance(v, (list, tuple, np.ndarray)):
                v = "；".join(map(str, v))
            c = ws.cell(row=r, column=j, value=v.item() if hasattr(v, "item") else v)
            fmt = columns[j - 1][1]
            if fmt and isinstance(c.value, (int, float)):
                c.number_format = fmt
            if j - 1 in wrap_cols:
                c.alignment = Alignment(wrap_text=True, vertical="top")
    if total is not None:
        r += 1
        for j, v in enumerate(total, start=1):
            c = ws.cell(row=r, column=j, value=v)
            c.font = Font(bold=True)
            c.border = Border(top=thin)
            fmt = columns[j - 1][1]
            if fmt and isinstance(v, (int, float)):
                c.number_format = fmt
    # fitted widths: the widest cell of each column (headers wrap), capped for long texts
    for j, (head, _) in enumerate(columns, start=1):
        letter = ws.cell(row=top, column=j).column_letter
        widths = [min(_width(head), 24)]
        for rr in range(top + 1, r + 1):
            v = ws.cell(row=rr, column=j).value
            if isinstance(v, float):
                v = f"{v:,.2f}"
            widths.append(_width(v) if v is not None else 0)
        cap = 60 if (j - 1) in wrap_cols else 48
        ws.column_dimensions[letter].width = max(6, min(cap, max(widths) + 2))
    return r + 2  # a blank row before any note


def _meta_rows(ws, d: ReportData, title: str) -> int:
    """The sheet's title, then scope, date, data version and unit (row 2); the next free row."""
    from openpyxl.styles import Alignment, Font

    m = d.w["meta"]
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
    for j, (label, value) in enumerate(
        [
            (m["scope"], d.scope_name()),
            (m["date"], d.date),
            (m["version"], d.version),
            (m["unit"], d.unit_text()),
        ]
    ):
        ws.cell(row=2, column=1 + 2 * j, value=label).font = Font(bold=True)
        ws.cell(row=2, column=2 + 2 * j, value=value)
    for c in ws[2]:
        c.alignment = Alignment(vertical="top")
    return 3


def _note(ws, row: int, text: str, width: int = 12) -> int:
    """A note under a table, merged across ``width`` columns and wrapped; the next free row."""
    from openpyxl.styles import Alignment

    ws.cell(row=row, column=1, value=text).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.row_dimensions[row].height = 15 * (1 + _width(text) // 160)
    return row + 1
