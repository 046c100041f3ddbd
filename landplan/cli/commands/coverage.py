"""``landplan coverage LAYER --by ZONES``: how much of each zone a layer covers.

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
    add_unit,
    keep_until_exit,
    land_area_columns,
    say_land_area_note,
)
from ..messages import layer_help, say, say_report

HELP = "per zone: zone area, area covered by the layer, %%, feature count"


def register(subparsers) -> None:
    """Add ``landplan coverage``."""
    sp = add_command(subparsers, "coverage", HELP, run)
    sp.add_argument("layer_spec", metavar="LAYER", help=layer_help())
    sp.add_argument("--by", metavar="ZONES", required=True)
    add_input(sp)
    add_unit(sp)


def run(args) -> None:
    """The coverage command."""
    from layers.zone_coverage import read_for_coverage, zone_table

    read = read_for_coverage(
        args.layer_spec, args.by, layer=args.layer, encoding=args.encoding, crs=args.crs
    )
    say_report(read.report, read.repairs, read.warnings)
    table = zone_table(read, args.unit)
    for line in table.warnings:
        say(line, "warning")
    output.write_rows(table.rows, args.format, land_area_columns(table.columns, args.format))
    land = read.zones
    if land.published_land_area is not None:  # the districts: their outlines take in some sea
        say_land_area_note(land.ids, land.land_area_source, "zone_area", "covered_pct")
    keep_until_exit(read)  # the features as read: freed by the process's end, not one by one
