"""The ``landplan parcels`` and ``landplan raster`` commands (registered by landplan.cli)."""
from __future__ import annotations

import json
import sys

from . import output


def _split(values) -> list[str]:
    """'a,b' and repeated flags -> ['a', 'b']."""
    out = []
    for v in values or []:
        out.extend(s.strip() for s in str(v).split(",") if s.strip())
    return out


def _notes(lines) -> None:
    for line in lines:
        print(f"landplan: note: {line}", file=sys.stderr)


def _cmd_parcels(args) -> None:
    import pandas as pd

    from layers.parcels import parcel_accounting, parcel_targets, read_parcels, zone_layer
    by = _split(args.by)
    counts = _split(args.counts)
    if not by and not counts:
        from geo.errors import LandplanError
        raise LandplanError("Say what to report: --by ZONES (e.g. sz20_parks, districts) and/or --counts CODES.",
                            "请指定 --by 分区图层（如 sz20_parks、districts）或 --counts 用地代码。")
    mask = None
    if by and "districts" not in by and not counts:  # only parcels touching the zones are read
        mask = pd.concat([zone_layer(b)[["geometry"]].to_crs(4326) for b in by], ignore_index=True)
    parcels = read_parcels(args.parcels, args.landuse_col, args.status_col, layer=args.layer,
                           encoding=args.encoding, crs=args.crs, mask=mask)
    _notes(parcels.attrs.get("report", []))
    tables = {}
    if by:
        tables["accounting"] = parcel_accounting(parcels, by=by, unit=args.unit, engine=args.engine,
                                                 scheduler=args.scheduler)
        if tables["accounting"].attrs.get("double_counted", 0):
            _notes([f"parcels of different classes overlap: the class rows double-count "
                    f"{tables['accounting'].attrs['double_counted']:.6g} {args.unit}; the (all) rows count it once."])
    if counts:
        tables["targets"] = parcel_targets(parcels, counts, statuses=_split(args.count_status) or None,
                                           unit=args.unit)
    if len(tables) == 1:
        output.write(next(iter(tables.values())), args.format)
    elif args.format == "json":
        json.dump({k: output.records(v) for k, v in tables.items()}, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for i, (name, df) in enumerate(tables.items()):
            if i:
                sys.stdout.write("\n")
            if args.format == "table":
                sys.stdout.write({"accounting": "# 地块用地核算 / parcel accounting\n",
                                  "targets": "# 目标与地块供给 / targets against parcel supply\n"}[name])
            output.write(df, args.format)


def register(sub, add, add_input, add_unit) -> None:
    """Add the parcels command to the landplan parser (``add`` etc. are landplan.cli's helpers)."""
    sp = add("parcels", _cmd_parcels,
             "parcel accounting: area by land-use code and supply status per zone (地块用地核算), "
             "and the targets the chosen codes feed")
    sp.add_argument("parcels", metavar="FILE", help="parcel layer (Shapefile, GeoPackage, GeoJSON, ...)")
    sp.add_argument("--by", action="append", metavar="ZONES",
                    help="zone layer(s): sz20_parks, districts, any catalog id or a file; repeat or comma-separate")
    sp.add_argument("--landuse-col", metavar="COL", help="column with the land-use code (用地代码), e.g. M1, M0, W1")
    sp.add_argument("--status-col", metavar="COL", help="column with the supply status (供应状态)")
    sp.add_argument("--counts", action="append", metavar="CODES",
                    help="land-use codes that count toward the land targets, e.g. M1,M0")
    sp.add_argument("--count-status", action="append", metavar="STATUS",
                    help="only parcels with these supply statuses count toward the targets")
    sp.add_argument("--engine", choices=["local", "dask"], default="local",
                    help="local (one process) or dask (partitioned spatially over a Dask cluster)")
    sp.add_argument("--scheduler", metavar="ADDRESS",
                    help="Dask scheduler address (tcp://host:8786); default: a local cluster")
    add_input(sp)
    add_unit(sp)
