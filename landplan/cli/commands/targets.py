"""``landplan targets``: each land and floor-space target against what counts toward it."""

from __future__ import annotations

from .. import output
from ..common import (
    add_command,
    add_ledger,
    add_supply,
    add_unit,
    district_arg,
    plan_arg,
    shipped_only,
)

HELP = "each land and floor-space target against what counts toward it: supplied, shortfall, met"


def register(subparsers) -> None:
    """Add ``landplan targets``."""
    sp = add_command(subparsers, "targets", HELP, run)
    sp.add_argument(
        "--district",
        metavar="DISTRICT",
        help="only targets of one district: id, Chinese or English name (longgang, 龙岗区, 龙岗, "
        "Longgang)",
    )
    sp.add_argument(
        "--by-phase",
        action="store_true",
        help="the supply of each park phase (启动区/拓展区/储备区: the column --phase-col "
        "names, or found among phase, tier, 阶段 …) for the targets the parks count toward",
    )
    add_unit(sp)
    add_supply(sp)
    add_ledger(sp)


def run(args) -> None:
    """The targets command: the plan's targets (the what-if of --parks/--proposed, the progress
    ledger's latest entries beside them); kept between runs when it depends only on the shipped
    layers."""
    if shipped_only(args):
        from ..cache import kept_answer  # hashlib: not loaded by ``landplan --help``

        kept_answer(args, lambda: _write(args))
    else:
        _write(args)


def _write(args) -> None:
    from layers.units import in_unit

    district = district_arg(args.district)
    plan = plan_arg(args, district)
    phases = in_unit(plan.phase_supply, args.unit)
    if args.by_phase:
        output.write(phases, args.format)
        return
    df = in_unit(plan.targets, args.unit)
    if args.format == "table":
        # a terminal's width: the figures in words, then the sources as numbered notes, then what
        # the sources state beside the targets (context figures, never counted as targets)
        from layers.context import context_figures

        output.write_targets_table(df, context=in_unit(context_figures(district), args.unit))
        if len(phases):  # the parks state their phases: each phase's share, in words
            from ...present.tables import display_table
            from ...present.text import text

            print(
                f"\n== {text('zh')['page']['phase_supply']} / {text('en')['page']['phase_supply']}"
            )
            output.write(display_table("phase_supply", phases, "zh", args.unit), "table")
        return
    output.write(df, args.format)
