"""The meeting workbook (.xlsx): one sheet per table of the figures, each with scope, date, data
version, unit.

The sheets are written by :mod:`.sheets` (in the order and with the titles of ``text.SHEETS``),
their cells by :mod:`.cells`.
"""

from __future__ import annotations

import io

from .sheets import WRITERS
from .text import SHEETS, ReportData, report_data


def report_xlsx(
    scope: str = "city",
    unit: str = "km2",
    lang: str = "zh",
    supply_layers=None,
    upload=None,
    upload_role: str = "beside",
    proposed=None,
    data: ReportData | None = None,
) -> bytes:
    """The meeting workbook (.xlsx bytes): summary, districts, parks, clusters, overlaps, gaps,
    sources.

    ``upload``/``upload_role``/``proposed`` are the page's uploaded and drawn layers (see
    :func:`layers.scenario.layers_in_effect`); ``supply_layers`` gives the layers in effect
    directly.
    """
    from openpyxl import Workbook

    if data is None:
        data = report_data(
            scope,
            unit,
            lang,
            supply_layers,
            upload=upload,
            upload_role=upload_role,
            proposed=proposed,
        )
    wb = Workbook()
    wb.remove(wb.active)
    for key, title in SHEETS:
        WRITERS[key](wb.create_sheet(title), data)
    wb.properties.title = "landplan report"
    wb.properties.keywords = data.version
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
