"""``landplan raster coverage|zonal``: coverage rasters, and zonal statistics of a raster."""

from __future__ import annotations

from .. import output
from ..common import add_command, add_unit, split_list


def register(subparsers) -> None:
    """Add ``landplan raster coverage`` and ``landplan raster zonal``."""
    rp = subparsers.add_parser(
        "raster",
        help="coverage rasters and zonal statistics of rasters (GeoTIFF, EPSG:4547)",
        description="coverage rasters and zonal statistics of rasters (GeoTIFF, EPSG:4547)",
    )
    rsub = rp.add_subparsers(dest="raster_command", required=True, metavar="RASTER_COMMAND")

    p = add_command(
        rsub,
        "coverage",
        "GeoTIFF (EPSG:4547) counting how many layers cover each cell, "
        "plus a companion FILE_uncovered.tif of uncovered target land",
        run,
    )
    add_unit(p)
    p.add_argument("--out", required=True, metavar="FILE.tif")
    p.add_argument("--cell", type=float, default=10.0, help="cell size in metres (default 10)")
    p.add_argument(
        "--layers",
        action="append",
        metavar="LAYERS",
        help="park/zone layers to count (catalog ids or files; default "
        "sz20_parks,longgang_parks,pingshan_zones)",
    )
    p.add_argument(
        "--extent", default="districts", help="area the raster covers (default: the districts)"
    )
    p.add_argument(
        "--target", help="target land for the uncovered companion (default: the whole extent)"
    )
    p = add_command(
        rsub,
        "zonal",
        "statistics of a raster within each feature: area per class "
        "(categorical) or mean/min/max (continuous), nodata left out",
        run,
    )
    add_unit(p)
    p.add_argument("raster", metavar="RASTER")
    p.add_argument(
        "--by", required=True, metavar="LAYER", help="features to summarise in (catalog id or file)"
    )
    p.add_argument("--band", type=int, default=1, help="band number (default 1)")
    kind = p.add_mutually_exclusive_group()
    kind.add_argument(
        "--categorical", action="store_true", help="treat values as classes (area per class)"
    )
    kind.add_argument(
        "--continuous", action="store_true", help="treat values as measurements (mean/min/max)"
    )


def run(args) -> None:
    """The raster command: its subcommand."""
    {"coverage": _coverage, "zonal": _zonal}[args.raster_command](args)


def _coverage(args) -> None:
    import pandas as pd

    import layers
    from geo.raster import coverage_raster, write_raster
    from layers.loading import polygon_features

    ids = split_list(args.layers) or ["sz20_parks", "longgang_parks", "pingshan_zones"]
    chosen = {lid: polygon_features(layers.resolve_layer(lid)) for lid in ids}
    extent = layers.resolve_layer(args.extent)
    target = layers.resolve_layer(args.target) if args.target else None
    count, uncovered, profile = coverage_raster(chosen, extent, cell=args.cell, target=target)
    indicative = [
        lid
        for lid, g in chosen.items()
        if "precision" in g and (g["precision"] == "indicative").any()
    ]
    tags = {
        "layers": ",".join(ids),
        "cell_m": args.cell,
        "extent": args.extent,
        "values": "number of layers covering the cell centre; 255 = outside the extent",
        "precision": ("indicative outlines: " + ",".join(indicative))
        if indicative
        else "as loaded",
        "source": "landplan raster coverage; outlines from the landplan catalog (layers/catalog) "
        "or the user's files",
    }
    out = args.out
    write_raster(out, count, profile, tags, "layers covering / 覆盖图层数")
    companion = (
        str(out)[:-4] + "_uncovered.tif"
        if str(out).lower().endswith(".tif")
        else str(out) + "_uncovered.tif"
    )
    write_raster(
        companion,
        uncovered,
        profile,
        {
            **tags,
            "values": f"1 = land of {args.target or args.extent} covered by none of the layers; "
            "0 = covered or not target land; 255 = outside the extent",
        },
        "uncovered target land / 未覆盖目标用地",
    )
    cell_unit = args.cell * args.cell
    from geo.units import convert_area

    rows = [
        {
            "raster": str(out),
            "what": f"cells covered by {k} layer(s)" if k else "cells covered by no layer",
            "area": convert_area(float((count == k).sum()) * cell_unit, "m2", args.unit),
            "unit": args.unit,
        }
        for k in range(0, len(ids) + 1)
        if (count == k).any()
    ]
    rows.append(
        {
            "raster": companion,
            "what": "uncovered target land",
            "area": convert_area(float((uncovered == 1).sum()) * cell_unit, "m2", args.unit),
            "unit": args.unit,
        }
    )
    df = pd.DataFrame(rows)
    df["crs"] = "EPSG:4547" if profile["crs"].to_epsg() == 4547 else profile["crs"].to_string()
    df["cell_m"] = args.cell
    df["precision"] = tags["precision"]
    output.write(df, args.format)


def _zonal(args) -> None:
    import layers
    from geo.raster import zonal_stats
    from layers.units import in_unit

    zones = layers.resolve_layer(args.by)
    zones = zones.assign(_zid=layers.feature_ids(zones).to_numpy())
    cat = True if args.categorical else (False if args.continuous else None)
    df = in_unit(
        zonal_stats(args.raster, zones, zone_id="_zid", band=args.band, categorical=cat),
        args.unit,
    )
    if "precision" in zones:
        df.insert(1, "zone_precision", df["zone_id"].map(zones.set_index("_zid")["precision"]))
    df["source"] = f"{args.raster} band {args.band}; zones: {args.by}"
    output.write(df, args.format)
