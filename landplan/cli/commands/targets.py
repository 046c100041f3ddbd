"""``landplan targets``: each land and floor-space target against what counts toward it."""

from __future__ import annotations

from .. import output
from ..common import add_command, add_supply, add_unit, district_arg, shipped_only, supply_layers

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
    add_unit(sp)
    add_supply(sp)


def run(args) -> None:
    """The targets command: kept between runs when it depends only on the shipped layers."""
    if shipped_only(args):
        from ..cache import kept_answer  # hashlib: not loaded by ``landplan --help``

        kept_answer(args, lambda: _write(args))
    else:
        _write(args)


def _write(args) -> None:
    from layers.targets import target_supply

    df = target_supply(
        unit=args.unit, district=district_arg(args.district), supply_layers=supply_layers(args)
    )
    if args.format == "table":
        # a terminal's width: the figures in words, then the sources as numbered notes, then what
        # the sources state beside the targets (context figures, never counted as targets)
        from layers.context import context_figures

        context = context_figures(district_arg(args.district), args.unit)
        output.write_targets_table(df, context=context)
        return
    output.write(df, args.format)
