"""``landplan report --out FILE.xlsx|FILE.pdf|FILE.gpkg``: the meeting papers (workbook, atlas or
QGIS meeting map)."""

from __future__ import annotations

from ..common import add_ledger, add_quiet, add_supply, progress_arg, scenario_arg
from ..papers import add_report_args, write_papers


def register(subparsers) -> None:
    """Add ``landplan report``."""
    sp = subparsers.add_parser(
        "report",
        help="workbook (.xlsx), printable A4 atlas (.pdf) or QGIS meeting map (.gpkg) for a "
        "land-supply meeting",
        description="Workbook (.xlsx), printable A4 atlas (.pdf) or QGIS meeting map (.gpkg: "
        "styled layers and a project) for a land-supply meeting: targets vs supply, coverage, "
        "parks, clusters, overlaps, gaps, sources. 供地会报告。",
    )
    add_report_args(sp)
    add_quiet(sp)
    add_supply(sp)
    add_ledger(sp)
    sp.set_defaults(run=run)


def run(args) -> None:
    """The report command."""
    write_papers(args, scenario_arg(args), progress=progress_arg(args))
