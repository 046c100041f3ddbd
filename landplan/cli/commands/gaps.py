"""``landplan gaps``: targets not met, cluster x district pairs without a carrier, records without
an outline."""

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

HELP = (
    "targets not met, cluster x district pairs without a carrying park or zone, "
    "and records without an outline"
)


def register(subparsers) -> None:
    """Add ``landplan gaps``."""
    sp = add_command(subparsers, "gaps", HELP, run)
    sp.add_argument(
        "--district",
        metavar="DISTRICT",
        help="only gaps in one district (id, 龙岗区, 龙岗 or Longgang)",
    )
    add_unit(sp)
    add_supply(sp)
    add_ledger(sp)


def run(args) -> None:
    """The gaps command: kept between runs when it depends only on the shipped layers."""
    if shipped_only(args):
        from ..cache import kept_answer  # hashlib: not loaded by ``landplan --help``

        kept_answer(args, lambda: _write(args))
    else:
        _write(args)


def _write(args) -> None:
    from layers.gap_table import gap_details
    from layers.units import in_unit

    plan = plan_arg(args, district_arg(args.district))
    gaps = gap_details(in_unit(plan.gaps, args.unit))
    if args.format == "table":
        output.write_gaps_table(gaps)
    else:
        output.write(gaps, args.format)
