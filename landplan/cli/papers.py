"""The meeting papers' arguments (``--out``, ``--scope``, ``--lang``, ``--unit``) and writing them:
one for ``landplan report`` and ``landplan scenario report``."""

from __future__ import annotations

import sys

from geo.units import OFFERED_UNITS, unit_help


def add_report_args(sp) -> None:
    """The report's arguments (the units offered to planners: km2, ha, mu)."""
    sp.add_argument(
        "--scope",
        default="city",
        metavar="city|DISTRICT",
        help="city (default, also 全市) or a district: id, Chinese or English name (pingshan, "
        "坪山区, Pingshan)",
    )
    sp.add_argument(
        "--lang",
        choices=["zh", "en"],
        default="zh",
        help="zh (Chinese, default) or en (English)",
    )
    sp.add_argument(
        "--unit",
        default="km2",
        choices=OFFERED_UNITS,
        help="area unit: " + unit_help(OFFERED_UNITS),
    )
    sp.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help="FILE.xlsx (workbook), FILE.pdf (atlas) or FILE.gpkg (meeting map with a QGIS "
        "project)",
    )


def write_papers(
    args,
    scenario=None,
    what_zh: str = "",
    what_en: str = "",
    parcel_counts=("M1", "M0"),
    progress=None,
) -> None:
    """Write the workbook or atlas ``args.out`` asks for, of the plan of ``scenario`` (a
    :class:`layers.store.Scenario`, saved or not; None: the catalog) focused on ``args.scope``,
    with the progress ledger ``progress`` (:func:`layers.plan.compute_plan`), with a progress
    bar, and say where it is."""
    from layers.plan import compute_plan

    from ..progress import cli_progress
    from ..report import write_report

    with cli_progress("正在生成报告 / writing the report", quiet=getattr(args, "quiet", False)):
        plan = compute_plan(scenario, args.scope, parcel_counts, progress=progress)
        path = write_report(args.out, plan, lang=args.lang, unit=args.unit)
    print(f"已写出 {path}{what_zh}\nwrote {path}{what_en}", file=sys.stderr)
