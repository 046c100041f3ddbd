"""The meeting workbook's sheet of contiguous industrial blocks (:attr:`layers.plan.Plan.blocks`):
the page's table (:func:`landplan.present.block_table.blocks_table`, the same headers), its areas
at full precision in formatted cells, the settings and source under it."""

from __future__ import annotations

from ..present.block_table import blocks_table
from ..present.text import text
from .cells import _meta_rows, _note, _write_table
from .text import ReportData, _area_fmt


def has_blocks(d: ReportData) -> bool:
    """Whether the plan has parcels, and so a blocks sheet."""
    return d.plan.blocks is not None


def _blocks_sheet(ws, d: ReportData) -> None:
    top = _meta_rows(ws, d, d.w["titles"]["blocks"]) + 1
    shown = blocks_table(d.plan.blocks, d.lang, d.unit, exact=True)
    u = f"（{d.unit_text()}）" if d.lang == "zh" else f"({d.unit_text()})"
    cols = [(c, _area_fmt(d.unit) if c.endswith(u) else None) for c in shown.columns]
    wide = tuple(i for i, c in enumerate(shown.columns) if c in _zone_heads(d))
    nxt = _write_table(ws, top, cols, shown.values.tolist(), wrap_cols=wide)
    ws.freeze_panes = ws.cell(row=top + 1, column=2)
    _note(ws, nxt, shown.attrs["note"])


def _zone_heads(d: ReportData) -> tuple:
    w = text(d.lang)["blocks"]
    return (w["parks"], w["districts"])
