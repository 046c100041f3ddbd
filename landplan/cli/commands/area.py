"""``landplan area LAYER [--by ZONES]``: the area of every feature, or the layer's area per zone."""

from __future__ import annotations

from .. import output
from ..common import add_command, add_input, add_unit, read_layer_arg
from ..messages import report_lines, say

HELP = "area of every feature of a layer (catalog id or file), or per zone with --by"

#: the columns of ``area --by`` (the coverage table's, renamed: the layer's area in each zone)
BY_ZONE = {
    "zone_id": "id",
    "name_zh": "name_zh",
    "covered_area": "area",
    "zone_area": "zone_area",
    "covered_pct": "covered_pct",
    "feature_count": "feature_count",
    "unit": "unit",
}


def register(subparsers) -> None:
    """Add ``landplan area``."""
    sp = add_command(subparsers, "area", HELP, run)
    sp.add_argument("layer_spec", metavar="LAYER")
    sp.add_argument(
        "--by", metavar="ZONES", help="report the layer's (union) area inside each zone of ZONES"
    )
    sp.add_argument(
        "--ellipsoidal",
        action="store_true",
        help="geodesic area on the ellipsoid instead of EPSG:4547",
    )
    add_input(sp)
    add_unit(sp)


def run(args) -> None:
    """The area command."""
    from geo.area import require_polygons

    gdf = read_layer_arg(args, args.layer_spec)
    report_lines(gdf)
    require_polygons(gdf, "an area calculation")
    if args.by:
        _by_zone(args, gdf)
    else:
        _by_feature(args, gdf)


def _by_zone(args, gdf) -> None:
    import layers
    from layers.zone_coverage import in_zones, zone_table

    table = zone_table(in_zones(gdf, layers.resolve_layer(args.by)), args.unit)
    for line in table.warnings:
        say(line, "warning")
    rows = [{new: row[old] for old, new in BY_ZONE.items()} for row in table.rows]
    output.write_rows(rows, args.format, list(BY_ZONE.values()))


def _by_feature(args, gdf) -> None:
    import pandas as pd

    import layers
    from geo.area import area

    areas = area(gdf, args.unit, ellipsoidal=args.ellipsoidal)
    df = pd.DataFrame(
        {
            "id": layers.feature_ids(gdf).to_numpy(),
            "name_zh": gdf["name_zh"].to_numpy() if "name_zh" in gdf else None,
            "area": areas.to_numpy(),
            "unit": args.unit,
            "method": areas.attrs["method"],  # the CRS each feature was measured in
        }
    )
    if "precision" in gdf:
        df["precision"] = gdf["precision"].to_numpy()
    output.write(df, args.format)
