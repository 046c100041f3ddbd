"""Reports for land-supply meetings (供地会): a workbook (.xlsx) and a printable A4 atlas (.pdf).

The figures are :mod:`layers.meeting`'s (the functions the ``landplan`` command prints), so a
report equals ``landplan coverage/targets/gaps`` for the same scope and unit; these modules only
write them. Indicative outlines are marked as such on every sheet and page.

- :mod:`.text`: the report's language, labels, numbers as printed, notes and sources
  (:class:`ReportData`)
- :mod:`.workbook`: the .xlsx, one sheet per table (:mod:`.sheets`), its cells (:mod:`.cells`)
- :mod:`.atlas`: the .pdf: its page layout (:mod:`.layout`), cover and summary
  (:mod:`.summary_pages`), overview and district pages (:mod:`.map_pages`), maps (:mod:`.maps`),
  a font with Chinese glyphs (:mod:`.fonts`)
"""

from __future__ import annotations

from pathlib import Path

from geo.errors import LandplanError
from geo.units import OFFERED_UNITS as UNITS  # noqa: F401 - the units a report is in

from .atlas import report_pdf
from .fonts import cjk_font
from .text import SHEETS, ReportData, report_data
from .workbook import report_xlsx

__all__ = [
    "SHEETS",
    "SUFFIXES",
    "UNITS",
    "ReportData",
    "cjk_font",
    "report_data",
    "report_pdf",
    "report_xlsx",
    "write_report",
]

SUFFIXES = (".xlsx", ".pdf")


def write_report(
    out: str | Path,
    scope: str = "city",
    unit: str = "km2",
    lang: str = "zh",
    supply_layers=None,
    parcels=None,
    parcel_counts=("M1", "M0"),
) -> Path:
    """Write the workbook (.xlsx) or the atlas (.pdf) to ``out``, chosen by its suffix (a scenario's
    ``parcels`` measure the targets they can: :func:`report_data`)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise LandplanError(
            f"报告文件须以 .xlsx（工作簿）或 .pdf（图集）结尾：{out.name!r}。",
            f"The report file must end in .xlsx (workbook) or .pdf (atlas), not {out.name!r}.",
        )
    if not out.parent.exists():
        raise LandplanError(
            f"文件夹 {str(out.parent)!r} 不存在。",
            f"The folder {str(out.parent)!r} does not exist.",
        )
    make = report_xlsx if suffix == ".xlsx" else report_pdf
    data = (
        report_data(scope, unit, lang, supply_layers, parcels=parcels, parcel_counts=parcel_counts)
        if parcels is not None
        else None
    )
    out.write_bytes(make(scope, unit, lang, supply_layers=supply_layers, data=data))
    return out
