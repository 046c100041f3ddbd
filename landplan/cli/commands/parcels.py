"""``landplan parcels FILE``: parcel accounting per zone, and the targets the chosen codes feed."""

from __future__ import annotations

import json
import sys

from geo.errors import bilingual

from .. import output
from ..common import (
    add_command,
    add_input,
    add_unit,
    keep_until_exit,
    read_parcels_arg,
    split_list,
)
from ..messages import say

HELP = (
    "parcel accounting: area by land-use code and supply status per zone (地块用地核算), "
    "and the targets the chosen codes feed (with both --by and --counts, JSON is an object "
    "{accounting: [...], targets: [...]} and the table/CSV output has two parts)"
)


def register(subparsers) -> None:
    """Add ``landplan parcels``."""
    sp = add_command(subparsers, "parcels", HELP, run)
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


def run(args) -> None:
    """The parcels command."""
    import pandas as pd

    from layers.parcel_totals import parcel_accounting, parcel_targets, zone_layer
    from layers.units import in_unit

    by = split_list(args.by)
    counts = split_list(args.counts)
    if not by and not counts:
        from geo.errors import LandplanError

        raise LandplanError(
            "请指定 --by 分区图层（如 sz20_parks、districts）或 --counts 用地代码。",
            "Say what to report: --by ZONES (e.g. sz20_parks, districts) and/or --counts CODES.",
        )
    if by and not counts and _short_road(args, by):
        return
    mask = None
    if by and "districts" not in by and not counts:  # only parcels touching the zones are read
        mask = pd.concat([zone_layer(b)[["geometry"]].to_crs(4326) for b in by], ignore_index=True)
    from ...progress import cli_progress

    steps = 1 + bool(by) + bool(counts)
    with cli_progress("读取地块 / reading parcels", total=steps, quiet=args.quiet) as progress:
        parcels = read_parcels_arg(args, mask=mask)
        progress.step("用地核算 / accounting" if by else "目标 / targets")
        tables = {}
        if by:
            tables["accounting"] = in_unit(
                parcel_accounting(parcels, by=by, engine=args.engine, scheduler=args.scheduler),
                args.unit,
            )
            progress.step("目标 / targets")
        if counts:
            tables["targets"] = in_unit(
                parcel_targets(parcels, counts, statuses=split_list(args.count_status) or None),
                args.unit,
            )
            progress.step()
    _notes(parcels.attrs.get("report", []))
    if by:
        _notes(_accounting_notes(tables["accounting"], args.unit))
    _write(tables, args.format)


def _short_road(args, by: list[str]) -> bool:
    """The accounting of a whole GeoPackage by shipped zone layers, read and summed as arrays
    (:mod:`layers.parcel_arrays`): the same notes and table as the usual road. False, with nothing
    said, when it cannot be taken (another file type, ``--crs``, ``--encoding``, Dask, a user's
    zones, ``LANDPLAN_CACHE=off``): the usual road follows."""
    from layers.catalog_tables import LAYER_IDS

    if (
        any(b not in LAYER_IDS for b in by)
        or args.crs is not None
        or args.encoding is not None
        or args.engine != "local"
        or not str(args.parcels).lower().endswith(".gpkg")
    ):
        return False
    from layers.kept import kept_zones
    from layers.parcel_arrays import parcel_accounting_arrays, read_parcel_arrays
    from layers.units import in_unit

    kept = kept_zones(by[0])
    if kept is None:
        return False
    parcels = read_parcel_arrays(
        args.parcels, args.landuse_col, args.status_col, args.layer, kept.reference_lonlat
    )
    if parcels is None:
        return False
    table = parcel_accounting_arrays(parcels, by)
    if table is None:
        return False
    table = in_unit(table, args.unit)
    _notes(parcels.report)
    _notes(_accounting_notes(table, args.unit))
    output.write(table, args.format)
    keep_until_exit(parcels)
    return True


def _write(tables: dict, fmt: str) -> None:
    """One table as the format writes it; two (accounting, targets) as one JSON object, or one
    after the other under a heading (table) or a blank line (CSV)."""
    if len(tables) == 1:
        output.write(next(iter(tables.values())), fmt)
    elif fmt == "json":
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
            if fmt == "table":
                sys.stdout.write(
                    {
                        "accounting": "# 地块用地核算 / parcel accounting\n",
                        "targets": "# 目标与地块供给 / targets against parcel supply\n",
                    }[name]
                )
            output.write(df, fmt)


def _accounting_notes(accounting, unit: str) -> list[str]:
    """What to say beside the accounting: no parcel in the zones; the area the class rows count
    twice where parcels of different classes overlap."""
    lines = []
    if accounting.empty:
        lines.append(bilingual("分区内没有地块。", "no parcel lies in the zones"))
    if accounting.attrs.get("double_counted", 0):
        twice = f"{accounting.attrs['double_counted']:.2f} {unit}"
        lines.append(
            bilingual(
                f"不同类别的地块相互重叠：各类别行重复计算了 {twice}；（全部）行只计一次。",
                f"parcels of different classes overlap: the class rows double-count "
                f"{twice}; the (all) rows count it once.",
            )
        )
    return lines


def _notes(lines) -> None:
    """Bilingual report lines, each said as a note: Chinese line first, then English."""
    for line in lines:
        say(line, "note")
