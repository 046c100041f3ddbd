"""The ``landplan`` command."""
from __future__ import annotations

import argparse
import sys

from geo.errors import LandplanError, split_bilingual

from . import output


def _cmd_layers(args) -> None:
    import layers
    output.write(layers.catalog(), args.format)


def _cmd_clusters(args) -> None:
    import layers
    df = layers.clusters()
    cols = ["cluster_id", "name_zh", "name_en", "kind", "opinion_districts", "opinion_verb", "source"]
    output.write(df[cols], args.format)


def _cmd_targets(args) -> None:
    from layers.gaps import target_supply
    df = target_supply(unit=args.unit, district=args.district)
    if args.format == "table":
        df = df[["target_id", "name_zh", "target_text_zh", "supplied", "shortfall", "indicative_extent", "met_status",
                 "basis", "unit", "year", "year_inferred", "source"]]
    output.write(df, args.format)


def _cmd_gaps(args) -> None:
    from layers.gaps import gaps_table
    output.write(gaps_table(unit=args.unit, district=args.district), args.format)


def _cmd_report(args) -> None:
    from .reports import write_report
    path = write_report(args.out, scope=args.scope, unit=args.unit, lang=args.lang)
    print(f"已写出 {path}\nwrote {path}", file=sys.stderr)


def _read(args, spec, mask=None, columns=None):
    import layers
    return layers.resolve_layer(spec, layer=getattr(args, "layer", None), encoding=getattr(args, "encoding", None),
                                crs=getattr(args, "crs", None), mask=mask, columns=columns)


_KINDS_ZH = {"repaired": "已修复", "warning": "警告", "note": "说明"}


def say(message, kind: str | None = None) -> None:
    """Print a message (bilingual line or LandplanError) to stderr: the Chinese line first, then the English one."""
    zh, en = split_bilingual(message)
    for label, text in ((_KINDS_ZH.get(kind, kind), zh), (kind, en)):
        if text:
            print(f"landplan: {label}: {text}" if label else f"landplan: {text}", file=sys.stderr)


def _report(gdf) -> None:
    repairs, warnings = gdf.attrs.get("repairs", []), gdf.attrs.get("warnings", [])
    for line in gdf.attrs.get("report", []):
        say(line, "repaired" if line in repairs else "warning" if line in warnings else "note")


def _cmd_area(args) -> None:
    import pandas as pd

    import layers
    from geo.analysis import coverage
    from geo.area import area, require_polygons
    gdf = _read(args, args.layer_spec)
    _report(gdf)
    require_polygons(gdf, "an area calculation")
    if args.by:
        zones = layers.resolve_layer(args.by)
        df = coverage(gdf, by=zones.assign(_zid=layers.feature_ids(zones)), zone_id="_zid", unit=args.unit)
        for line in df.attrs.get("warnings", []):
            say(line, "warning")
        df = df.rename(columns={"zone_id": "id", "covered_area": "area"})[["id", "area", "zone_area", "covered_pct",
                                                                            "feature_count", "unit"]]
    else:
        areas = area(gdf, args.unit, ellipsoidal=args.ellipsoidal)
        df = pd.DataFrame({"id": layers.feature_ids(gdf).to_numpy(),
                           "name_zh": gdf["name_zh"].to_numpy() if "name_zh" in gdf else None,
                           "area": areas.to_numpy(),
                           "unit": args.unit,
                           "method": areas.attrs["method"]})  # the CRS each feature was measured in
        if "precision" in gdf:
            df["precision"] = gdf["precision"].to_numpy()
    output.write(df, args.format)


def _cmd_coverage(args) -> None:
    import layers
    from geo.analysis import coverage
    zones = layers.resolve_layer(args.by)
    # only the geometry of features touching a zone is read: coverage needs nothing else
    gdf = _read(args, args.layer_spec, mask=zones, columns=[])
    _report(gdf)
    df = coverage(gdf, by=zones.assign(_zid=layers.feature_ids(zones)), zone_id="_zid", unit=args.unit)
    for line in df.attrs.get("warnings", []):
        say(line, "warning")
    output.write(df, args.format)


def _cmd_overlaps(args) -> None:
    import layers
    from geo.analysis import overlaps
    a = _read(args, args.layer_spec)
    _report(a)
    b = layers.resolve_layer(args.with_) if args.with_ else None
    a = a.assign(_id=layers.feature_ids(a))
    if b is not None:
        b = b.assign(_id=layers.feature_ids(b))
    df = overlaps(a, b, id_col="_id", unit=args.unit)
    output.write(df.drop(columns="geometry"), args.format)


def _cmd_convert(args) -> None:
    from geo.crs import reproject
    from geo.io import read_layer, write_layer
    gdf = read_layer(args.input, layer=args.layer, encoding=args.encoding, crs=args.from_)
    _report(gdf)
    out = reproject(gdf, args.to or "EPSG:4326")
    for note in write_layer(out, args.output):
        say(note, "note")
    print(f"已写出 {args.output}：{len(out)} 个要素\nwrote {args.output}: {len(out)} feature{'' if len(out) == 1 else 's'}",
          file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="landplan",
        description="Industrial land and parks of Shenzhen: layers, clusters, targets, areas. "
                    "深圳产业用地与园区规划工具。")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name, func, help_, parent=None):
        """A command (under ``parent``'s subcommands, default the top level) with --format."""
        sp = (parent or sub).add_parser(name, help=help_, description=help_)
        sp.add_argument("--format", choices=output.FORMATS, default="table",
                        help="output format (table, csv, or json: an array of row objects)")
        sp.set_defaults(func=func)
        return sp

    def add_input(sp):
        sp.add_argument("--crs", help="coordinate system of the input when the file does not say "
                                       "(EPSG code, WKT, .prj, CGCS2000, gcj02, bd09)")
        sp.add_argument("--encoding", help="attribute text encoding (e.g. gbk, gb18030, utf-8)")
        sp.add_argument("--layer", help="layer name inside a GeoPackage or File Geodatabase, or a KML folder")

    def add_unit(sp):
        sp.add_argument("--unit", default="km2", choices=["km2", "ha", "mu", "m2", "wan_m2"],
                        help="area unit: km2, ha (公顷), mu (亩), m2, wan_m2 (万m²)")

    sp = add("area", _cmd_area, "area of every feature of a layer (catalog id or file), or per zone with --by")
    sp.add_argument("layer_spec", metavar="LAYER")
    sp.add_argument("--by", metavar="ZONES", help="report the layer's (union) area inside each zone of ZONES")
    sp.add_argument("--ellipsoidal", action="store_true", help="geodesic area on the ellipsoid instead of EPSG:4547")
    add_input(sp)
    add_unit(sp)
    sp = add("coverage", _cmd_coverage, "per zone: zone area, area covered by the layer, %%, feature count")
    sp.add_argument("layer_spec", metavar="LAYER")
    sp.add_argument("--by", metavar="ZONES", required=True)
    add_input(sp)
    add_unit(sp)
    sp = add("overlaps", _cmd_overlaps, "every pair of overlapping features, within a layer or between two")
    sp.add_argument("layer_spec", metavar="LAYER")
    sp.add_argument("--with", dest="with_", metavar="LAYER2")
    add_input(sp)
    add_unit(sp)
    sp = add("convert", _cmd_convert, "convert a layer between formats and coordinate systems (gcj02/bd09 included)")
    sp.add_argument("input", metavar="IN")
    sp.add_argument("output", metavar="OUT")
    sp.add_argument("--from", dest="from_", metavar="CRS", help="the input's CRS when the file does not say")
    sp.add_argument("--to", metavar="CRS", help="target CRS (default: WGS84)")
    sp.add_argument("--encoding")
    sp.add_argument("--layer")
    add("layers", _cmd_layers, "list the shipped layers and tables: id, kind, feature count, precision mix, source")
    add("clusters", _cmd_clusters, "list the 20+8 clusters with the districts the Opinion names for each")
    sp = add("targets", _cmd_targets, "each land and floor-space target against what counts toward it: "
                                      "supplied, shortfall, met")
    sp.add_argument("--district", metavar="ID", help="only targets of one district (e.g. longgang, pingshan)")
    add_unit(sp)
    sp = add("gaps", _cmd_gaps, "targets not met, cluster x district pairs without a carrying park or zone, "
                                "and records without an outline")
    sp.add_argument("--district", metavar="ID", help="only gaps in one district")
    add_unit(sp)
    sp = sub.add_parser("report", help="workbook (.xlsx) or printable A4 atlas (.pdf) for a land-supply meeting",
                        description="Workbook (.xlsx) or printable A4 atlas (.pdf) for a land-supply meeting: "
                                    "targets vs supply, coverage, parks, clusters, overlaps, gaps, sources. 供地会报告。")
    sp.add_argument("--scope", default="city", metavar="city|DISTRICT_ID", help="city (default) or a district id")
    sp.add_argument("--lang", choices=["zh", "en"], default="zh", help="zh (Chinese) or en (Chinese, then English)")
    sp.add_argument("--unit", default="km2", choices=["km2", "ha", "mu"], help="area unit: km2, ha (公顷), mu (亩)")
    sp.add_argument("--out", required=True, metavar="FILE", help="FILE.xlsx (workbook) or FILE.pdf (atlas)")
    sp.set_defaults(func=_cmd_report)
    from .cli_parcels import register
    register(sub, add, add_input, add_unit)
    return p


def main(argv=None) -> int:
    import gc
    import warnings
    parser = build_parser()
    args = parser.parse_args(argv)
    # library warnings (GDAL via pyogrio, shapely) are not for the user: what matters is in the report lines
    warnings.simplefilter("ignore")
    if argv is None:  # the console script: the modules loaded by now live until exit, so the collector
        gc.freeze()   # need not scan them again, above all at exit (~0.12 s less per run)
    try:
        args.func(args)
    except LandplanError as exc:  # one sentence: Chinese line first, then English
        say(exc)
        return 2
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
