"""The meeting workbook (.xlsx): one sheet per table of a plan, each with scope, date, data version
and unit.

The sheets are written by :mod:`.sheets` and :mod:`.lists` (in the order of ``text.SHEETS``, titled
in the report's language), their cells by :mod:`.cells`.
"""

from __future__ import annotations

import io

from .block_sheet import _blocks_sheet, has_blocks
from .data import report_data
from .sheets import WRITERS
from .text import SHEETS, ReportData


def report_xlsx(plan, lang: str = "zh", unit: str = "km2") -> bytes:
    """The meeting workbook (.xlsx bytes) of a plan: summary, districts, parks, clusters, overlaps,
    gaps, the contiguous industrial blocks (a plan with parcels), sources.

    Parameters
    ----------
    plan : layers.plan.Plan or ReportData
        The plan (:func:`layers.plan.compute_plan`; its focus is the scope), or its
        :func:`report_data` already made.
    lang : {'zh', 'en'}, default 'zh'
    unit : str, default 'km2'

    Returns
    -------
    bytes
    """
    from openpyxl import Workbook

    data = plan if isinstance(plan, ReportData) else report_data(plan, lang, unit)
    wb = Workbook()
    wb.remove(wb.active)
    for key in SHEETS:
        if key == "sources" and has_blocks(data):  # the parcels' blocks, before the sources
            _blocks_sheet(wb.create_sheet(data.w["sheets"]["blocks"]), data)
        WRITERS[key](wb.create_sheet(data.w["sheets"][key]), data)
    wb.properties.title = "landplan report"
    wb.properties.keywords = data.version
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
