"""The ``landplan parcels`` and ``landplan raster`` commands (registered by landplan.cli.main)."""

from __future__ import annotations

import json
import sys

from geo.errors import bilingual

from . import output


def _split(values) -> list[str]:
    """'a,b' and repeated flags -> ['a', 'b']."""
    out = []
    for v in values or []:
        out.extend(s.strip() for s in str(v).split(",") if s.strip())
    return out


def _notes(lines) -> None:
    from .messages import say  # bilingual report lines: Chinese line first, then English

    for line in lines:
        say(line, "note")


def _cmd_parcels(args) -> None:
    import pandas as pd

    from layers.parcel_totals import parcel_accounting, parcel_targets, zone_layer
    from layers.parcels import read_parcels

    by = _split(args.by)
    counts = _split(args.counts)
    if not by and not counts:
        from geo.errors import LandplanError

        raise LandplanError(
            "请指定 --by 分区图层（如 sz20_parks、districts）或 --counts 用地代码。",
            "Say what to report: --by ZONES (e.g. sz20_parks, districts) and/or --counts CODES.",
        )
    if by and not counts:  # a whole GeoPackage against shipped zones: read and summed as arrays
        from .parcels_arrays import short_road

        if short_road(args, by):
            return
    mask = None
    if by and "districts" not in by and not counts:  # only parcels touching the zones are read
        mask = pd.concat([zone_layer(b)[["geometry"]].to_crs(4326) for b in by], ignore_index=True)
    from ..progress import cli_progress

    steps = 1 + bool(by) + bool(counts)
    with cli_progress("读取地块 / reading parcels", total=steps, quiet=args.quiet) as progress:
        parcels = read_parcels(
            args.parcels,
            args.landuse_col,
            args.status_col,
            layer=args.layer,
            encoding=args.encoding,
            crs=args.crs,
            mask=mask,
        )
        progress.step("用地核算 / accounting" if by else "目标 / targets")
        tables = {}
        if by:
            tables["accounting"] = parcel_accounting(
                parcels, by=by, unit=args.unit, engine=args.engine, scheduler=args.scheduler
            )
            progress.step("目标 / targets")
        if counts:
            tables["targets"] = parcel_targets(
                parcels, counts, statuses=_split(args.count_status) or None, unit=args.unit
            )
            progress.step()
    _notes(parcels.attrs.get("report", []))
    if by:
        if tables["accounting"].empty:
            _notes([bilingual("分区内没有地块。", "no parcel lies in the zones")])
        if tables["accounting"].attrs.get("double_counted", 0):
            twice = f"{tables['accounting'].attrs['double_counted']:.2f} {args.unit}"
            _notes(
                [
                    bilingual(
                        f"不同类别的地块相互重叠：各类别行重复计算了 {twice}；（全部）行只计一次。",
                        f"parcels of different classes overlap: the class rows double-count "
                        f"{twice}; the (all) rows count it once.",
                    )
                ]
            )
    if len(tables) == 1:
        output.write(next(iter(tables.values())), args.format)
    elif args.format == "json":
        json.dump(
            {k: output.records(v) for k, v in tables.items()},
            sys.stdout,
            ensure_ascii=False,
            indent=1,
        )
        sys.stdout.write("\n")
    else:
        for i, (name, df) in enumerate(tables.items()):
            if i:
                sys.stdout.write("\n")
            if args.format == "table":
                sys.stdout.write(
                    {
                        "accounting": "# 地块用地核算 / parcel accounting\n",
                        "targets": "# 目标与地块供给 / targets against parcel supply\n",
                    }[name]
                )
            output.write(df, args.format)


def _cmd_raster_coverage(args) -> None:
    import pandas as pd

    import layers
    from geo.raster import coverage_raster, write_raster
    from layers.load import polygon_features

    ids = _split(args.layers) or ["sz20_parks", "longgang_parks", "pingshan_zones"]
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


def _cmd_raster_zonal(args) -> None:
    import layers
    from geo.raster import zonal_stats

    zones = layers.resolve_layer(args.by)
    zones = zones.assign(_zid=layers.feature_ids(zones).to_numpy())
    cat = True if args.categorical else (False if args.continuous else None)
    df = zonal_stats(
        args.raster, zones, zone_id="_zid", band=args.band, categorical=cat, unit=args.unit
    )
    if "precision" in zones:
        df.insert(1, "zone_precision", df["zone_id"].map(zones.set_index("_zid")["precision"]))
    df["source"] = f"{args.raster} band {args.band}; zones: {args.by}"
    output.write(df, args.format)


def register(sub, add, add_input, add_unit) -> None:
    """Add the parcels and raster commands to the landplan parser (``add`` etc. are
    landplan.cli.main's helpers)."""
    sp = add(
        "parcels",
        _cmd_parcels,
        "parcel accounting: area by land-use code and supply status per zone (地块用地核算), "
        "and the targets the chosen codes feed (with both --by and --counts, JSON is an object "
        "{accounting: [...], targets: [...]} and the table/CSV output has two parts)",
    )
    sp.add_argument(
        "parcels", metavar="FILE", help="parcel layer (Shapefile, GeoPackage, GeoJSON, ...)"
    )
    sp.add_argument(
        "--by",
        action="append",
        metavar="ZONES",
        help="zone layer(s): sz20_parks, districts, any catalog id or a file; repeat or "
        "comma-separate",
    )
    sp.add_argument(
        "--landuse-col",
        metavar="COL",
        help="column with the land-use code (用地代码), e.g. M1, M0, W1",
    )
    sp.add_argument("--status-col", metavar="COL", help="column with the supply status (供应状态)")
    sp.add_argument(
        "--counts",
        action="append",
        metavar="CODES",
        help="land-use codes that count toward the land targets, e.g. M1,M0",
    )
    sp.add_argument(
        "--count-status",
        action="append",
        metavar="STATUS",
        help="only parcels with these supply statuses count toward the targets",
    )
    sp.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help="local (one process) or dask (partitioned spatially over a Dask cluster)",
    )
    sp.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler address (tcp://host:8786); default: a local cluster",
    )
    add_input(sp)
    add_unit(sp)

    rp = sub.add_parser(
        "raster",
        help="coverage rasters and zonal statistics of rasters (GeoTIFF, EPSG:4547)",
        description="coverage rasters and zonal statistics of rasters (GeoTIFF, EPSG:4547)",
    )
    rsub = rp.add_subparsers(dest="raster_command", required=True, metavar="RASTER_COMMAND")

    def radd(name, func, help_):
        p = add(name, func, help_, parent=rsub)
        add_unit(p)
        return p

    p = radd(
        "coverage",
        _cmd_raster_coverage,
        "GeoTIFF (EPSG:4547) counting how many layers cover each cell, "
        "plus a companion FILE_uncovered.tif of uncovered target land",
    )
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
    p = radd(
        "zonal",
        _cmd_raster_zonal,
        "statistics of a raster within each feature: area per class "
        "(categorical) or mean/min/max (continuous), nodata left out",
    )
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
