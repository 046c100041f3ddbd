"""Reports for land-supply meetings (供地会): a workbook (.xlsx), a printable A4 atlas (.pdf) and a
meeting map for QGIS (.gpkg: the layers, styles and a project).

Both render one computed plan (:func:`layers.plan.compute_plan`): its focus is the report's
scope, its tables the figures, its layers the sentences about precision
(:mod:`landplan.present.plan_text`). The report decides nothing: it converts the plan's tables once
to its
unit and words them in its language. Indicative outlines are marked as such on every sheet and
page; official and proposed ones as what they are.

- :mod:`.data`: a plan in the report's unit and language (:func:`report_data`); :mod:`.text`: its
  words, names for ids, numbers as printed (:class:`ReportData`);
  :mod:`.sources`: the sources table
- :mod:`.workbook`: the .xlsx, one sheet per table (:mod:`.sheets`, :mod:`.lists`), its cells
  (:mod:`.cells`)
- :mod:`.atlas`: the .pdf: its page layout (:mod:`.layout`), cover and summary
  (:mod:`.summary_pages`), charts (:mod:`.chart_pages`), overview and district pages
  (:mod:`.map_pages`), maps (:mod:`.maps`),
  a font with Chinese glyphs (:mod:`.fonts`)
- :mod:`.meeting_gpkg`: the .gpkg, its styles and project (:mod:`.qgis_styles`)
"""

from __future__ import annotations

from pathlib import Path

from geo.errors import LandplanError
from geo.units import OFFERED_UNITS as UNITS  # noqa: F401 - the units a report is in

from .atlas import report_pdf
from .data import report_data
from .fonts import cjk_font
from .meeting_gpkg import meeting_gpkg, write_meeting_gpkg
from .text import SHEETS, ReportData
from .workbook import report_xlsx

__all__ = [
    "SHEETS",
    "SUFFIXES",
    "UNITS",
    "ReportData",
    "cjk_font",
    "meeting_gpkg",
    "report_data",
    "report_pdf",
    "report_xlsx",
    "write_report",
]

SUFFIXES = (".xlsx", ".pdf", ".gpkg")


def write_report(out: str | Path, plan, lang: str = "zh", unit: str = "km2") -> Path:
    """Write a plan's workbook (.xlsx), atlas (.pdf) or QGIS meeting map (.gpkg) to ``out``,
    chosen by its suffix.

    Parameters
    ----------
    out : str or pathlib.Path
        FILE.xlsx, FILE.pdf or FILE.gpkg, in a folder that exists.
    plan : layers.plan.Plan
        The plan (:func:`layers.plan.compute_plan`); its focus is the report's scope.
    lang : {'zh', 'en'}, default 'zh'
    unit : str, default 'km2'
        km2, ha or mu.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    LandplanError
        Another suffix, a folder that does not exist, an unknown language or unit.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise LandplanError(
            "报告文件须以 .xlsx（工作簿）、.pdf（图集）或 .gpkg（QGIS 会议地图）结尾："
            f"{out.name!r}。",
            "The report file must end in .xlsx (workbook), .pdf (atlas) or .gpkg (QGIS meeting "
            f"map), not {out.name!r}.",
        )
    if not out.parent.exists():
        raise LandplanError(
            f"文件夹 {str(out.parent)!r} 不存在。",
            f"The folder {str(out.parent)!r} does not exist.",
        )
    if suffix == ".gpkg":  # written in place: GDAL and SQLite write to a file
        return write_meeting_gpkg(out, plan, lang, unit)
    make = report_xlsx if suffix == ".xlsx" else report_pdf
    out.write_bytes(make(plan, lang, unit))
    return out
