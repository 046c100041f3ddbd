"""The ``landplan`` command."""

from __future__ import annotations

import argparse
import sys

from geo.errors import LandplanError
from geo.units import AREA_UNITS, unit_help

from . import output
from .messages import BilingualParser, report_lines, say
from .report import add_report_args

#: the columns ``landplan clusters`` lists
CLUSTER_COLUMNS = [
    "cluster_id",
    "name_zh",
    "name_en",
    "kind",
    "opinion_districts",
    "opinion_verb",
    "source",
]


def _cmd_layers(args) -> None:
    from layers.catalog import catalog_rows  # rows as dicts, written without pandas

    output.write_rows(catalog_rows(), args.format)


def _cmd_clusters(args) -> None:
    from layers.catalog import cluster_rows

    output.write_rows(cluster_rows(), args.format, CLUSTER_COLUMNS)


def _district(name):
    """A district given by id, Chinese name (龙岗区, 龙岗) or English name (Longgang); None stays
    None."""
    from layers.names import district_id

    return district_id(name) if name else None


def _supply_layers(args):
    """The layers in effect (layers.scenario): --parks instead of the 20 parks (--official:
    measured), --proposed."""
    if not (getattr(args, "parks", None) or getattr(args, "proposed", None)):
        return None
    from layers.scenario import layers_in_effect

    parks = proposed = None
    if args.parks:
        parks = _read(args, args.parks)
        report_lines(parks)
    if args.proposed:
        proposed = _read(args, args.proposed)
        report_lines(proposed)
    return layers_in_effect(parks, "instead", bool(args.official), proposed)


def _shipped_only(args) -> bool:
    """No user layer is given: the answer depends only on what landplan ships (and can be kept,
    landplan.cli.cache)."""
    return not (getattr(args, "parks", None) or getattr(args, "proposed", None))


def _cmd_targets(args) -> None:
    def produce():
        from layers.targets import target_supply

        df = target_supply(
            unit=args.unit, district=_district(args.district), supply_layers=_supply_layers(args)
        )
        if (
            args.format == "table"
        ):  # a terminal's width: the figures in words, then the sources as numbered notes
            output.write_targets_table(df)
            return
        output.write(df, args.format)

    if _shipped_only(args):
        from .cache import kept_answer

        kept_answer(args, produce)
    else:
        produce()


def _cmd_gaps(args) -> None:
    def produce():
        from layers.gaps import gaps_table

        output.write(
            gaps_table(
                unit=args.unit,
                district=_district(args.district),
                supply_layers=_supply_layers(args),
            ),
            args.format,
        )

    if _shipped_only(args):
        from .cache import kept_answer

        kept_answer(args, produce)
    else:
        produce()


def _cmd_report(args) -> None:
    from .report import write

    write(args, _supply_layers(args))


def _read(args, spec, mask=None, columns=None):
    import layers

    return layers.resolve_layer(
        spec,
        layer=getattr(args, "layer", None),
        encoding=getattr(args, "encoding", None),
        crs=getattr(args, "crs", None),
        mask=mask,
        columns=columns,
    )


def _cmd_area(args) -> None:
    import pandas as pd

    import layers
    from geo.analysis import coverage
    from geo.area import area, require_polygons

    gdf = _read(args, args.layer_spec)
    report_lines(gdf)
    require_polygons(gdf, "an area calculation")
    if args.by:
        zones = layers.resolve_layer(args.by)
        df = coverage(
            gdf, by=zones.assign(_zid=layers.feature_ids(zones)), zone_id="_zid", unit=args.unit
        )
        for line in df.attrs.get("warnings", []):
            say(line, "warning")
        df = df.rename(columns={"zone_id": "id", "covered_area": "area"})[
            ["id", "area", "zone_area", "covered_pct", "feature_count", "unit"]
        ]
        from .coverage import zone_names

        df.insert(1, "name_zh", zone_names(zones, df["id"], "zh"))
    else:
        areas = area(gdf, args.unit, ellipsoidal=args.ellipsoidal)
        df = pd.DataFrame(
            {
                "id": layers.feature_ids(gdf).to_numpy(),
                "name_zh": gdf["name_zh"].to_numpy() if "name_zh" in gdf else None,
                "area": areas.to_numpy(),
                "unit": args.unit,
                "method": areas.attrs["method"],
            }
        )  # the CRS each feature was measured in
        if "precision" in gdf:
            df["precision"] = gdf["precision"].to_numpy()
    output.write(df, args.format)


def _cmd_coverage(args) -> None:
    from .coverage import run

    run(args)


def _cmd_overlaps(args) -> None:
    import layers
    from layers.summary import layer_overlaps

    a = _read(args, args.layer_spec)
    report_lines(a)
    b = layers.resolve_layer(args.with_) if args.with_ else None
    # one definition with the page and the reports: the same park in two layers (same_as) is no
    # overlap
    df = layer_overlaps(a, b, unit=args.unit).drop(columns=["geometry", "a_id", "b_id"])
    df = df.rename(columns={"a_feature": "a_id", "b_feature": "b_id"})
    output.write(
        df[
            [
                "a_layer",
                "a_id",
                "a_name_zh",
                "b_layer",
                "b_id",
                "b_name_zh",
                "area",
                "unit",
                "a_name_en",
                "b_name_en",
            ]
        ],
        args.format,
    )


def _cmd_convert(args) -> None:
    import layers
    from geo.crs import reproject
    from geo.io import write_layer
    from geo.io.sql import is_db_url

    to_db = is_db_url(
        args.output
    )  # --layer then names the table written (the input is a catalog id or a file)
    gdf = layers.resolve_layer(
        args.input,
        layer=None if to_db else args.layer,
        encoding=args.encoding,
        crs=args.from_,
        for_area=False,
    )
    report_lines(gdf)
    out = reproject(gdf, args.to or "EPSG:4326")
    for note in write_layer(out, args.output, layer=args.layer if to_db else None):
        say(note, "note")
    print(
        f"已写出 {args.output}：{len(out)} 个要素\nwrote {args.output}: {len(out)} "
        f"feature{'' if len(out) == 1 else 's'}",
        file=sys.stderr,
    )


def build_parser() -> argparse.ArgumentParser:
    p = BilingualParser(
        prog="landplan",
        description="Industrial land and parks of Shenzhen: layers, clusters, targets, areas. "
        "深圳产业用地与园区规划工具。",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name, func, help_, parent=None):
        """A command (under ``parent``'s subcommands, default the top level) with --format."""
        sp = (parent or sub).add_parser(name, help=help_, description=help_)
        sp.add_argument(
            "--format",
            choices=output.FORMATS,
            default="table",
            help="output format (table, csv, or json: an array of row objects)",
        )
        add_quiet(sp)
        sp.set_defaults(func=func)
        return sp

    def add_quiet(sp):
        sp.add_argument(
            "-q",
            "--quiet",
            action="store_true",
            help="no progress bar (none is shown anyway when stderr is not a terminal)",
        )

    def add_input(sp):
        sp.add_argument(
            "--crs",
            help="coordinate system of the input when the file does not say "
            "(EPSG code, WKT, .prj, CGCS2000, gcj02, bd09)",
        )
        sp.add_argument("--encoding", help="attribute text encoding (e.g. gbk, gb18030, utf-8)")
        sp.add_argument(
            "--layer",
            help="layer name inside a GeoPackage or File Geodatabase, a KML folder, "
            "or the table of a postgresql:// database",
        )

    def add_unit(sp):
        sp.add_argument(
            "--unit", default="km2", choices=AREA_UNITS, help="area unit: " + unit_help()
        )

    sp = add(
        "area",
        _cmd_area,
        "area of every feature of a layer (catalog id or file), or per zone with --by",
    )
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
    sp = add(
        "coverage",
        _cmd_coverage,
        "per zone: zone area, area covered by the layer, %%, feature count",
    )
    sp.add_argument("layer_spec", metavar="LAYER")
    sp.add_argument("--by", metavar="ZONES", required=True)
    add_input(sp)
    add_unit(sp)
    sp = add(
        "overlaps",
        _cmd_overlaps,
        "every pair of overlapping features, within a layer or between two",
    )
    sp.add_argument("layer_spec", metavar="LAYER")
    sp.add_argument("--with", dest="with_", metavar="LAYER2")
    add_input(sp)
    add_unit(sp)
    sp = add(
        "convert",
        _cmd_convert,
        "convert a layer between formats and coordinate systems (gcj02/bd09 included)",
    )
    sp.add_argument("input", metavar="IN")
    sp.add_argument("output", metavar="OUT")
    sp.add_argument(
        "--from", dest="from_", metavar="CRS", help="the input's CRS when the file does not say"
    )
    sp.add_argument("--to", metavar="CRS", help="target CRS (default: WGS84)")
    sp.add_argument("--encoding")
    sp.add_argument("--layer")
    add(
        "layers",
        _cmd_layers,
        "list the shipped layers and tables: id, kind, feature count, precision mix, source",
    )
    add(
        "clusters",
        _cmd_clusters,
        "list the 20+8 clusters with the districts the Opinion names for each",
    )

    def add_supply(sp):
        sp.add_argument(
            "--parks",
            metavar="LAYER",
            help="a park layer (file or catalog id) counted instead of the "
            "20 parks: a proposal unless --official",
        )
        sp.add_argument(
            "--official",
            action="store_true",
            help="--parks holds official or surveyed outlines: their area is measured supply",
        )
        sp.add_argument(
            "--proposed", metavar="LAYER", help="proposed parks (what-if) added to the parks"
        )
        add_input(sp)

    sp = add(
        "targets",
        _cmd_targets,
        "each land and floor-space target against what counts toward it: supplied, shortfall, met",
    )
    sp.add_argument(
        "--district",
        metavar="DISTRICT",
        help="only targets of one district: id, Chinese or English name (longgang, 龙岗区, 龙岗, "
        "Longgang)",
    )
    add_unit(sp)
    add_supply(sp)
    sp = add(
        "gaps",
        _cmd_gaps,
        "targets not met, cluster x district pairs without a carrying park or zone, "
        "and records without an outline",
    )
    sp.add_argument(
        "--district",
        metavar="DISTRICT",
        help="only gaps in one district (id, 龙岗区, 龙岗 or Longgang)",
    )
    add_unit(sp)
    add_supply(sp)
    sp = sub.add_parser(
        "report",
        help="workbook (.xlsx) or printable A4 atlas (.pdf) for a land-supply meeting",
        description="Workbook (.xlsx) or printable A4 atlas (.pdf) for a land-supply meeting: "
        "targets vs supply, coverage, parks, clusters, overlaps, gaps, sources. 供地会报告。",
    )
    add_report_args(sp)
    add_quiet(sp)
    add_supply(sp)
    sp.set_defaults(func=_cmd_report)
    from .parcels import register

    register(sub, add, add_input, add_unit)
    from . import blocks as cli_blocks

    cli_blocks.register(sub, add, add_input, add_unit)
    from . import scenario as cli_scenario

    cli_scenario.register(sub, add, add_input, add_unit)
    return p


def main(argv=None) -> int:
    import gc
    import warnings

    parser = build_parser()
    args = parser.parse_args(argv)
    # library warnings (GDAL via pyogrio, shapely) are not for the user: what matters is in the
    # report lines
    warnings.simplefilter("ignore")
    if (
        argv is None
    ):  # the console script: the modules loaded by now live until exit, so the collector
        gc.freeze()  # need not scan them again, above all at exit (~0.12 s less per run)
    try:
        args.func(args)
    except LandplanError as exc:  # one sentence: Chinese line first, then English
        say(exc)
        return 2
    except BrokenPipeError:
        return 0
    finally:
        if argv is not None:  # called in a program: what a command kept is its to free
            _KEPT.clear()
    return 0


#: what a command keeps from being freed (:func:`keep_until_exit`)
_KEPT: list = []


def keep_until_exit(*objects) -> None:
    """Keep ``objects`` until the process ends: :func:`console` then exits without freeing them.

    A command that read 100,000 parcels would otherwise spend 0.1-0.2 s, after its answer is
    written, freeing the geometries one by one.
    """
    _KEPT.extend(objects)


def console() -> None:
    """The ``landplan`` console script: :func:`main`, then exit without the interpreter's
    teardown.

    Everything a command writes is flushed and closed by the time it returns, and nothing runs at
    exit that the command needs (a Dask cluster it started is closed before it returns); freeing
    every object of a big read one by one at exit would only add time, so when no other thread is
    left the process ends at once, as mypy's does.
    """
    import os
    import threading

    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader (e.g. ``| head``) has gone: nothing more to say
        os._exit(code)
    if threading.active_count() == 1:
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    console()
