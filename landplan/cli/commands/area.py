"""``landplan area LAYER [--by ZONES]``: the area of every feature, or the layer's area per zone.

The districts' outlines take in some sea: beside their area, the published land area and a note.
"""

from __future__ import annotations

from .. import output
from ..common import (
    add_command,
    add_input,
    add_unit,
    land_area_columns,
    read_layer_arg,
    say_land_area_note,
)
from ..messages import layer_help, report_lines, say

HELP = "area of every feature of a layer (catalog id or file), or per zone with --by"

#: the columns of ``area --by`` (the coverage table's, renamed: the layer's area in each zone);
#: the published land area and its source when the zones are the districts
BY_ZONE = {
    "zone_id": "id",
    "name_zh": "name_zh",
    "covered_area": "area",
    "zone_area": "zone_area",
    "published_land_area": "published_land_area",
    "covered_pct": "covered_pct",
    "feature_count": "feature_count",
    "unit": "unit",
    "land_area_source": "land_area_source",
}


def register(subparsers) -> None:
    """Add ``landplan area``."""
    sp = add_command(subparsers, "area", HELP, run)
    sp.add_argument("layer_spec", metavar="LAYER", help=layer_help())
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
    from geo.areas import require_polygons

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

    read = in_zones(gdf, layers.resolve_layer(args.by))
    table = zone_table(read).in_unit(args.unit)
    for line in table.warnings:
        say(line, "warning")
    names = {old: new for old, new in BY_ZONE.items() if old in table.columns}
    rows = [{new: row[old] for old, new in names.items()} for row in table.rows]
    output.write_rows(rows, args.format, land_area_columns(list(names.values()), args.format))
    zones = read.zones
    if zones.published_land_area is not None:  # the districts: their outlines take in some sea
        say_land_area_note(zones.ids, "zone_area", "covered_pct")


def _by_feature(args, gdf) -> None:
    import numpy as np
    import pandas as pd

    import layers
    from geo.areas import area
    from geo.units import convert_area
    from layers.kept import zones_of

    m2 = area(gdf, ellipsoidal=args.ellipsoidal)
    areas = convert_area(m2, "m2", args.unit)
    df = pd.DataFrame(
        {
            "id": layers.feature_ids(gdf).to_numpy(),
            "name_zh": gdf["name_zh"].to_numpy() if "name_zh" in gdf else None,
            "area": areas.to_numpy(),
            "unit": args.unit,
            "method": m2.attrs["method"],  # the CRS each feature was measured in
        }
    )
    if "precision" in gdf:
        df["precision"] = gdf["precision"].to_numpy()
    land = zones_of(gdf) if gdf.attrs.get("layer_id") == "districts" else None
    if land is not None and land.published_land_area is not None:
        # beside each outline's area, the district's published land area (the outlines take in
        # some sea)
        df.insert(
            3,
            "published_land_area",
            convert_area(np.asarray(land.published_land_area, dtype=float), "m2", args.unit),
        )
        if args.format != "table":
            df["land_area_source"] = land.land_area_source
    output.write(df, args.format)
    if land is not None and land.published_land_area is not None:
        say_land_area_note(land.ids, "area")
