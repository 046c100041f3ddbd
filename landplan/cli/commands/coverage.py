"""``landplan coverage [LAYER --by ZONES]``: how much of each zone a layer covers; without LAYER,
the plan's coverage of the districts by the parks in effect (the catalog's 20 parks, or
--parks/--proposed).

The layer is read where it meets the zones and measured by :mod:`layers.zone_coverage`, which
picks the road (a GeoPackage against a shipped layer is read without pandas or geopandas); the
command says what the read found, then writes the table (for the districts, with their published
land area beside the outline's area, and a note that the outlines take in some sea).
"""

from __future__ import annotations

from .. import output
from ..common import (
    add_command,
    add_input,
    add_supply,
    add_unit,
    district_arg,
    keep_until_exit,
    land_area_columns,
    plan_arg,
    say_land_area_note,
)
from ..messages import layer_help, say, say_report

HELP = "per zone: zone area, area covered by the layer, %%, feature count"


def register(subparsers) -> None:
    """Add ``landplan coverage``."""
    sp = add_command(subparsers, "coverage", HELP, run)
    sp.add_argument(
        "layer_spec",
        metavar="LAYER",
        nargs="?",
        help=layer_help() + " Without LAYER: the districts' coverage by the parks in effect.",
    )
    sp.add_argument("--by", metavar="ZONES", help="the zones (needed with LAYER)")
    sp.add_argument(
        "--district",
        metavar="DISTRICT",
        help="without LAYER: one district (id, Chinese or English name)",
    )
    add_input(sp)
    add_unit(sp)
    add_supply(sp, reading=False)


def run(args) -> None:
    """The coverage command."""
    if args.layer_spec is None:
        _plan_coverage(args)
        return
    if not args.by:
        from geo.errors import LandplanError

        raise LandplanError(
            "请用 --by 给出分区图层（例如 --by districts），或不给 LAYER 以查看计划的分区覆盖。",
            "Give the zones with --by (e.g. --by districts), or give no LAYER for the plan's "
            "coverage of the districts.",
        )
    from layers.zone_coverage import read_for_coverage, zone_table

    read = read_for_coverage(
        args.layer_spec, args.by, layer=args.layer, encoding=args.encoding, crs=args.crs
    )
    say_report(read.report, read.repairs, read.warnings)
    table = zone_table(read).in_unit(args.unit)
    for line in table.warnings:
        say(line, "warning")
    output.write_rows(table.rows, args.format, land_area_columns(table.columns, args.format))
    land = read.zones
    if land.published_land_area is not None:  # the districts: their outlines take in some sea
        say_land_area_note(land.ids, "zone_area", "covered_pct")
    keep_until_exit(read)  # the features as read: freed by the process's end, not one by one


def _plan_coverage(args) -> None:
    from layers.units import in_unit

    plan = plan_arg(args, district_arg(args.district))
    table = plan.coverage
    phases = plan.phases
    if len(phases.columns) > 2:  # the parks state their phases: each phase's covered area
        by_phase = phases.set_index("zone_id").add_prefix("covered_area_")
        table = table.join(by_phase, on="zone_id")
    table = in_unit(table, args.unit)
    for line in table.attrs.get("warnings", []):
        say(line, "warning")
    output.write(table[land_area_columns(list(table.columns), args.format)], args.format)
    say_land_area_note(list(table["zone_id"]), "zone_area", "covered_pct")
