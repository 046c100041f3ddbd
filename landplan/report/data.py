"""A plan as the papers show it (:func:`report_data`): its tables converted once to the report's
unit, its precision notes and sources in the report's language."""

from __future__ import annotations

import datetime as _dt

from geo.errors import LandplanError
from geo.units import OFFERED_UNITS, normalize_unit
from layers.gap_table import gap_details
from layers.units import in_unit

from ..present import plan_text
from .sources import sources_table
from .text import ReportData, _phases_in


def check_unit(unit: str) -> str:
    """The unit of a report: one of the units offered to planners, any accepted spelling."""
    unit = normalize_unit(unit)
    if unit not in OFFERED_UNITS:
        raise LandplanError(
            f"报告单位可用 {'、'.join(OFFERED_UNITS)}，不支持 {unit!r}。",
            f"Reports are in {', '.join(OFFERED_UNITS)}, not {unit!r}.",
        )
    return unit


def report_data(plan, lang: str = "zh", unit: str = "km2") -> ReportData:
    """A plan (:func:`layers.plan.compute_plan`) as the papers show it: its tables in ``unit``, its
    precision notes and sources in ``lang``. The plan's focus is the report's scope.

    Parameters
    ----------
    plan : layers.plan.Plan
    lang : {'zh', 'en'}, default 'zh'
    unit : str, default 'km2'
        km2, ha or mu (the units offered to planners).

    Returns
    -------
    ReportData

    Raises
    ------
    LandplanError
        An unknown language or a unit reports are not made in.
    """
    if lang not in ("zh", "en"):
        raise LandplanError(
            f"未知语言 {lang!r}；可用 zh 或 en。", f"Unknown language {lang!r}; use zh or en."
        )
    unit = check_unit(unit)
    data = ReportData(
        plan,
        lang,
        unit,
        _dt.date.today().isoformat(),
        coverage=in_unit(plan.coverage, unit),
        phases=_phases_in(plan.phases, unit),
        targets=in_unit(plan.targets, unit),
        clusters=plan.cluster_gaps,
        overlaps=in_unit(plan.overlaps, unit),
        parks=in_unit(plan.park_pieces, unit, from_unit="m2"),
        gaps=gap_details(in_unit(plan.gaps, unit)),
        notes=plan_text.precision_lines(plan, lang),
    )
    data.sources = sources_table(data)
    return data
