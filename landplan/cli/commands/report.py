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
    sp.add_argument(
        "--parcels",
        metavar="LAYER",
        help="a parcel layer (land-use code, supply status): its accounting, the targets it "
        "measures and its contiguous industrial blocks (连片产业空间) join the papers",
    )
    sp.add_argument("--landuse-col", metavar="COL", help="column with the land-use code (用地代码)")
    sp.add_argument("--status-col", metavar="COL", help="column with the supply status (供应状态)")
    add_ledger(sp)
    sp.set_defaults(run=run)


def run(args) -> None:
    """The report command."""
    write_papers(args, _with_parcels(args, scenario_arg(args)), progress=progress_arg(args))


def _with_parcels(args, scenario):
    """The what-if with the ``--parcels`` layer read and prepared (read as the other commands read
    a parcel layer; what was repaired is said)."""
    if not args.parcels:
        return scenario
    from dataclasses import replace

    from layers.store import Scenario

    from ..common import read_parcels_arg
    from ..messages import report_lines

    parcels = read_parcels_arg(args)
    report_lines(parcels)
    return Scenario("", parcels=parcels) if scenario is None else replace(scenario, parcels=parcels)
