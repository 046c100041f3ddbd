"""``landplan report --out FILE.xlsx|FILE.pdf``: the meeting papers (workbook or atlas)."""

from __future__ import annotations

from ..common import add_quiet, add_supply, supply_layers
from ..papers import add_report_args, write_papers


def register(subparsers) -> None:
    """Add ``landplan report``."""
    sp = subparsers.add_parser(
        "report",
        help="workbook (.xlsx) or printable A4 atlas (.pdf) for a land-supply meeting",
        description="Workbook (.xlsx) or printable A4 atlas (.pdf) for a land-supply meeting: "
        "targets vs supply, coverage, parks, clusters, overlaps, gaps, sources. 供地会报告。",
    )
    add_report_args(sp)
    add_quiet(sp)
    add_supply(sp)
    sp.set_defaults(run=run)


def run(args) -> None:
    """The report command."""
    write_papers(args, supply_layers(args))
