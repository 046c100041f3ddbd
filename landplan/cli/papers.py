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
        help="zh (Chinese) or en (Chinese, then English)",
    )
    sp.add_argument(
        "--unit",
        default="km2",
        choices=OFFERED_UNITS,
        help="area unit: " + unit_help(OFFERED_UNITS),
    )
    sp.add_argument(
        "--out", required=True, metavar="FILE", help="FILE.xlsx (workbook) or FILE.pdf (atlas)"
    )


def write_papers(
    args,
    supply_layers=None,
    what_zh: str = "",
    what_en: str = "",
    parcels=None,
    parcel_counts=("M1", "M0"),
) -> None:
    """Write the workbook or atlas ``args.out`` asks for, with a progress bar, and say where it
    is."""
    from layers.names import scope_id

    from ..progress import cli_progress
    from ..report import write_report

    scope = scope_id(args.scope)
    with cli_progress("正在生成报告 / writing the report", quiet=getattr(args, "quiet", False)):
        path = write_report(
            args.out,
            scope=scope,
            unit=args.unit,
            lang=args.lang,
            supply_layers=supply_layers,
            parcels=parcels,
            parcel_counts=parcel_counts,
        )
    print(f"已写出 {path}{what_zh}\nwrote {path}{what_en}", file=sys.stderr)
