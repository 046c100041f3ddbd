"""`landplan blocks PARCELS`: contiguous industrial blocks (连片产业空间) and where they lie.

The parcels whose land-use codes count (``--counts``, default M1,M0) are joined where they touch or
lie closer than ``--gap`` metres; each block is listed with its parcels' area, the land it
encloses and the industrial share, whether it is of square-kilometre scale (``--min-area``) and
mainly industrial (``--min-share``), its compactness, and the parks and districts it lies in
(``--by``). What the words mean exactly is in :mod:`geo.blocks`; the computing is
:func:`layers.blocks.blocks`.
"""

from __future__ import annotations

import json
import sys

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

#: the parts of the answer, in order, with their headings in the table format
PARTS = {
    "blocks": "# 连片产业地块 / contiguous industrial blocks",
    "zones": "# 地块所在园区与分区 / where the blocks lie",
    "classes": "# 按用地代码与供应状态 / by land-use code and supply status",
}


def register(subparsers) -> None:
    """Add ``landplan blocks``."""
    sp = add_command(
        subparsers,
        "blocks",
        "contiguous industrial blocks (连片产业空间): parcels whose codes count, joined where they "
        "touch or lie closer than a gap; area, enclosed land and industrial share, "
        "square-kilometre scale, compactness, and the parks and districts each lies in (with "
        "--format json an object {blocks, zones, classes}; the table and CSV have three parts)",
        run,
    )
    sp.add_argument(
        "parcels", metavar="PARCELS", help="parcel layer (GeoPackage, Shapefile, GeoJSON, ...)"
    )
    sp.add_argument(
        "--counts",
        action="append",
        metavar="CODES",
        help="land-use codes that count (default M1,M0); a mixed code counts by its first code",
    )
    sp.add_argument(
        "--gap",
        default="20",
        metavar="METRES",
        help="parcels closer than this (or touching) are joined (default 20)",
    )
    sp.add_argument(
        "--min-area",
        default="1km2",
        metavar="AREA",
        help="square-kilometre scale from this area up, with its unit (default 1km2; e.g. 100ha, "
        "1500mu)",
    )
    sp.add_argument(
        "--min-share",
        default="0.6",
        metavar="SHARE",
        help="mainly industrial (产业用地为主) from this share of the block and the land it "
        "encloses (default 0.6)",
    )
    sp.add_argument(
        "--by",
        action="append",
        metavar="ZONES",
        help="zone layers the blocks are placed in (default sz20_parks,districts); repeat or "
        "comma-separate",
    )
    sp.add_argument("--landuse-col", metavar="COL", help="column with the land-use code (用地代码)")
    sp.add_argument("--status-col", metavar="COL", help="column with the supply status (供应状态)")
    sp.add_argument(
        "--out",
        metavar="FILE.gpkg",
        help="also write the blocks' outlines (in the CRS areas are measured in, EPSG:4547 in "
        "Shenzhen) and the two tables, every field, areas in m²",
    )
    add_input(sp)
    add_unit(sp)


def run(args) -> None:
    """The blocks command: check the arguments, read the parcels, find the blocks, write them."""
    from geo.blocks import check_gap
    from geo.units import normalize_unit, parse_area
    from layers.blocks import BY, COUNTS, blocks, check_share
    from layers.parcel_totals import zone_layer

    from ...progress import cli_progress

    gap = check_gap(args.gap)
    if args.out:
        _check_out(args.out)
    min_area = parse_area(args.min_area)
    min_share = check_share(args.min_share)
    unit = normalize_unit(args.unit)
    counts = split_list(args.counts) or list(COUNTS)
    by = split_list(args.by) if args.by is not None else list(BY)
    for spec in by:  # an unknown zone layer is said before the parcels are read
        zone_layer(spec)
    with cli_progress("读取地块 / reading parcels", total=2, quiet=args.quiet) as progress:
        parcels = _read(args)
        progress.step("连片地块 / blocks")
        found = blocks(parcels, counts, gap, min_area, min_share, by)
        progress.step()
    for line in found.attrs["report"] + found.attrs["notes"]:
        say(line, "note")
    if found.empty:
        from geo.errors import bilingual

        say(bilingual("没有计入的地块，也就没有连片地块。", "no parcel counts: no block"), "note")
    if args.out:
        _write(found, args.out)
    tables = {
        "blocks": blocks_table(found, by, unit),
        "zones": _in_unit(found.attrs["zones"], unit),
        "classes": _in_unit(found.attrs["classes"], unit),
    }
    if args.format == "json":
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
                sys.stdout.write(PARTS[name] + "\n")
                df = _for_reading(name, df)
                if df.empty:
                    sys.stdout.write("（无 / none）\n")
                    continue
            output.write(df, args.format)
            if args.format == "table" and name == "blocks" and len(found):
                sys.stdout.write(f"来源 / source: {found['source'].iloc[0]}\n")
    keep_until_exit(parcels, found)


def _read(args):
    """The parcels: a GeoPackage read as arrays when it can be (no ``--crs``, ``--encoding``),
    else as the other commands read a parcel layer."""
    if args.crs is None and args.encoding is None:
        from layers.parcel_arrays import read_parcel_arrays

        arrays = read_parcel_arrays(args.parcels, args.landuse_col, args.status_col, args.layer)
        if arrays is not None:
            return arrays
    return read_parcels_arg(args)


def _in_unit(df, unit: str):
    """A table's ``*_m2`` columns in ``unit`` (renamed without the suffix), with a unit column."""
    from geo.units import convert_area

    out = df.copy()
    areas = [c for c in out.columns if str(c).endswith("_m2")]
    for c in areas:
        out[c] = convert_area(out[c].astype(float), "m2", unit)
    out = out.rename(columns={c: c[: -len("_m2")] for c in areas})
    if areas:
        out["unit"] = unit
    return out


def blocks_table(found, by, unit: str):
    """The blocks as the command lists them: figures in ``unit``, and per zone layer the zones each
    block reaches (names, the share of the block in each, indicative outlines said so)."""
    df = _in_unit(found.drop(columns=found.geometry.name), unit)
    df = df.rename(columns={"enclosed": "enclosed_area", "outline": "outline_area"})
    zones = found.attrs["zones"]
    at = df.columns.get_loc("outline_area") + 1
    for j, layer in enumerate(by):
        mine = zones[zones["zone_layer"] == _layer_id(layer)]
        text: dict = {}
        for b, name, precision, share in zip(
            mine["block_id"].tolist(),
            mine["zone_name_zh"].tolist(),
            mine["zone_precision"].tolist(),
            mine["share_of_block"].tolist(),
        ):
            mark = "（示意）" if precision == "indicative" else ""
            text.setdefault(b, []).append(f"{name}{mark} {_percent(share, 0)}")
        df.insert(
            at + j, layer, [("、".join(text[b]) if b in text else "") for b in df["block_id"]]
        )
    return df


def _percent(share: float, decimals: int) -> str:
    """A share as a reader reads it: '59%', '0.5%', '<1%' (never 0% for a part that is there)."""
    low = 10.0**-decimals
    if 0 < share * 100 < low:
        return f"<{low:g}%"
    return f"{share * 100:.{decimals}f}%"


def _for_reading(name: str, df):
    """A part as the table format shows it: shares in per cent, compactness to three decimals,
    zones and their layers by name (the ids stay in JSON and CSV), the source once under the
    table."""
    df = df.copy()
    if name == "blocks":
        df = df.drop(columns=["source"] + ([] if df["synthetic"].any() else ["synthetic"]))
        df["industrial_share"] = [_percent(v, 1) for v in df["industrial_share"]]
        df["compactness"] = [f"{v:.3f}" for v in df["compactness"]]
    elif name == "zones":
        from layers.names import layer_label

        df = df.drop(columns=["zone_id"])
        df["zone_layer"] = [layer_label(v, "zh") for v in df["zone_layer"]]
        df["share_of_block"] = [_percent(v, 1) for v in df["share_of_block"]]
    return df


def _layer_id(spec: str) -> str:
    """The ``zone_layer`` value of the zones of ``spec`` (a catalog id, or a file's layer id)."""
    from layers.parcel_totals import zone_layer

    return zone_layer(spec).attrs["layer_id"]


def _check_out(path) -> None:
    """Refuse an ``--out`` that is not a GeoPackage, before any work."""
    from pathlib import Path

    from geo.errors import LandplanError

    if Path(path).suffix.lower() != ".gpkg":
        raise LandplanError(
            f"--out 须为 GeoPackage（.gpkg）文件，而不是 {path}。",
            f"--out must be a GeoPackage (.gpkg) file, not {path}.",
        )


def _write(found, path) -> None:
    """The blocks (outlines, in the CRS their areas are measured in) and the two tables beside
    them, to a GeoPackage, areas in m²."""
    from pathlib import Path

    import pyogrio

    from geo.errors import bilingual

    Path(path).unlink(missing_ok=True)
    pyogrio.write_dataframe(found, path, layer="blocks", driver="GPKG")
    pyogrio.write_dataframe(found.attrs["zones"], path, layer="block_zones", driver="GPKG")
    pyogrio.write_dataframe(found.attrs["classes"], path, layer="block_classes", driver="GPKG")
    say(
        bilingual(
            f"已写出 {path}：{len(found)} 个连片地块（图层 blocks、block_zones、block_classes，"
            f"面积单位平方米，坐标系 {_epsg(found.crs)}）。",
            f"wrote {path}: {len(found)} blocks (layers blocks, block_zones, block_classes; "
            f"areas in m²; {_epsg(found.crs)})",
        ),
        "note",
    )


def _epsg(crs) -> str:
    code = crs.to_epsg() if crs is not None else None
    return f"EPSG:{code}" if code else str(getattr(crs, "name", crs))
