"""``landplan scenario``: save, list, show, compare and report named scenarios in the plan store.

Geometry libraries are imported by the commands, not here: ``landplan --help`` stays quick.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from geo.errors import LandplanError, split_bilingual

from .. import output
from ..common import add_command, add_input, add_unit
from ..papers import add_report_args, write_papers


def _store(args):
    from layers.store import open_store

    return open_store(args.store)


def _read_many(args, specs):
    """One layer from several (catalog ids, files or postgresql:// tables with --layer), in
    EPSG:4326."""
    import geopandas as gpd
    import pandas as pd

    import layers

    if not specs:
        return None
    parts = []
    for spec in specs:
        gdf = layers.resolve_layer(
            spec, layer=args.layer, encoding=args.encoding, crs=args.crs, for_area=False
        )
        for line in gdf.attrs.get(
            "report", []
        ):  # what was guessed or repaired on reading, Chinese first
            zh, en = split_bilingual(line)
            print("\n".join(f"landplan: {t}" for t in (zh, en) if t), file=sys.stderr)
        parts.append(gdf.to_crs(4326))
    return (
        gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=4326)
        if len(parts) > 1
        else parts[0]
    )


def _cmd_save(args) -> None:
    from ...report.comparison import parts_text

    store = _store(args)
    parcels = None
    if args.parcels:
        from ..common import read_parcels_arg

        parcels = read_parcels_arg(args, layer=args.layer if not args.add else None)
    sc = store.save(
        args.name,
        upload=_read_many(args, args.add),
        role=args.role,
        official=args.official,
        proposed=_read_many(args, args.proposed),
        parcels=parcels,
        note=args.note or "",
        by=args.by,
    )
    print(
        f"已保存方案 {sc.name!r} 第 {sc.version} 版（{store.where}）：{parts_text(sc, 'zh')}\n"
        f"saved scenario {sc.name!r} version {sc.version} in {store.where}: {parts_text(sc, 'en')}",
        file=sys.stderr,
    )
    _write_info(sc.info(), args.format)


def _write_info(info: dict, fmt: str) -> None:
    """A scenario's record: in words for the table, every field (parts as JSON) for CSV and JSON."""
    import pandas as pd

    from ...report.comparison import scenario_row

    if fmt == "table":
        output.write(pd.DataFrame([scenario_row(info, "zh", headers="both")]), fmt)
    else:
        output.write(
            pd.DataFrame(
                [
                    {k: v for k, v in info.items() if k != "parts"}
                    | {"parts": json.dumps(info["parts"], ensure_ascii=False)}
                ]
            ),
            fmt,
        )


def _cmd_list(args) -> None:
    store = _store(args)
    df = store.list()
    if df.empty and args.format == "table":
        print(f"{store.where} 中还没有方案\nno scenarios in {store.where} yet", file=sys.stderr)
        return
    if args.format == "table":
        from ...report.comparison import scenarios_listing

        df = scenarios_listing(df)
    output.write(df, args.format)


def _cmd_show(args) -> None:
    store = _store(args)
    sc = store.open(args.name, args.version, parts=())
    info = sc.info()
    versions = store.versions(args.name)
    if args.format == "json":
        info["versions"] = output.records(versions)
        json.dump(info, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return
    _write_info(info, args.format)
    if args.format == "table" and len(versions) > 1:  # the others beside it, under a heading
        from ...report.comparison import scenarios_listing

        print(f"\n== 全部 {len(versions)} 个版本 / all {len(versions)} versions")
        output.write(scenarios_listing(versions), args.format)


def _open(store, name, version):
    """A scenario with the layers its figures use (its parcels measure the targets they can)."""
    return store.open(name, version, parts=("upload", "proposed", "parcels"))


def _counts(args) -> tuple:
    codes = tuple(c.strip() for c in (args.counts or "").split(",") if c.strip())
    if not codes:
        raise LandplanError(
            "请用 --counts 指定地块中计入目标的用地代码，例如 --counts M1,M0。",
            "Say which land-use codes of the parcels count, e.g. --counts M1,M0.",
        )
    return codes


def _cmd_diff(args) -> None:
    from layers.compare import compare_scenarios
    from layers.units import in_unit

    from ...present.text import text
    from ...report.comparison import change_tables, comparison_xlsx

    store = _store(args)
    a, b = _open(store, args.a, args.a_version), _open(store, args.b, args.b_version)
    comp = compare_scenarios(a, b, counts=_counts(args), store=store)
    comp = {k: in_unit(v, args.unit) for k, v in comp.items()}
    if args.out:
        out = Path(args.out)
        if out.suffix.lower() != ".xlsx":
            raise LandplanError(
                f"对比结果写为工作簿，文件须以 .xlsx 结尾：{out.name!r}。",
                "The comparison is written as a workbook: the file must end in .xlsx, not "
                f"{out.name!r}.",
            )
        if not out.parent.exists():
            raise LandplanError(
                f"文件夹 {str(out.parent)!r} 不存在。",
                f"The folder {str(out.parent)!r} does not exist.",
            )
        out.write_bytes(comparison_xlsx(comp, a.info(), b.info(), args.lang))
        print(f"已写出 {out}\nwrote {out}", file=sys.stderr)
        return
    if args.format == "json":
        json.dump(
            {
                "a": a.info(),
                "b": b.info(),
                "targets": output.records(comp["targets"]),
                "districts": output.records(comp["districts"]),
            },
            sys.stdout,
            ensure_ascii=False,
            indent=1,
        )
        print()
        return
    if args.format == "csv":  # ids and full precision, for scripts
        for key in ("targets", "districts"):
            output.write(comp[key].assign(table=key), "csv")
        return
    print(f"A = {a.name} v{a.version}   B = {b.name} v{b.version}")
    shown = change_tables(comp, args.lang)
    titles = text(args.lang)["scenarios"]
    for key in ("targets", "districts"):
        print(f"\n== {titles[key]}")
        output.write(shown[key], "table")


def _cmd_report(args) -> None:
    from layers.compare import scenario_ledger

    store = _store(args)
    sc = _open(store, args.name, args.version)
    write_papers(
        args,
        sc,
        f"（方案 {sc.name} 第 {sc.version} 版）",
        f" (scenario {sc.name} version {sc.version})",
        parcel_counts=_counts(args),
        progress=scenario_ledger(store, sc),  # the ledger as it stood when it was saved
    )


def _add_counts(p) -> None:
    p.add_argument(
        "--counts",
        default="M1,M0",
        metavar="CODES",
        help="land-use codes of a scenario's parcels that count toward the targets parcels measure "
        "(default M1,M0)",
    )


def _subcommand(ssub, name: str, help_: str):
    """``landplan scenario NAME``: with --format, --quiet and --store."""
    p = add_command(ssub, name, help_, run)
    p.add_argument(
        "--store",
        metavar="URL",
        help="GeoPackage path or postgresql://user@host:port/db "
        "(default: $LANDPLAN_STORE or ~/.landplan/plans.gpkg)",
    )
    return p


def register(subparsers) -> None:
    """Add ``landplan scenario save|list|show|diff|report``."""
    sp = subparsers.add_parser(
        "scenario",
        help="named, versioned scenarios in the plan store (save, list, show, diff, report)",
        description="Named, versioned scenarios (方案) in the plan store: a GeoPackage "
        "(~/.landplan/plans.gpkg or $LANDPLAN_STORE) or a PostGIS database "
        "(--store postgresql://user@host:port/db).",
    )
    ssub = sp.add_subparsers(dest="scenario_command", required=True, metavar="SCENARIO_COMMAND")
    p = _subcommand(ssub, "save", "save the scenario under NAME (a new version if NAME exists)")
    p.add_argument("name", metavar="NAME")
    p.add_argument(
        "--add",
        action="append",
        metavar="FILE_OR_LAYER",
        help="park layer(s) to use: a file, catalog id or postgresql:// URL with --layer; "
        "repeatable",
    )
    p.add_argument(
        "--role",
        choices=["beside", "instead"],
        default="beside",
        help="the added layers are shown beside the 20 parks, or counted instead of them",
    )
    p.add_argument(
        "--official",
        action="store_true",
        help="the added layers are official outlines (their supply is a measurement)",
    )
    p.add_argument(
        "--proposed",
        action="append",
        metavar="FILE_OR_LAYER",
        help="proposed parks (a what-if) added to the parks in effect; repeatable",
    )
    p.add_argument("--parcels", metavar="FILE", help="a parcel layer kept with the scenario")
    p.add_argument(
        "--landuse-col",
        metavar="COL",
        help="the parcels' land-use code column (default: found among the usual names)",
    )
    p.add_argument(
        "--status-col",
        metavar="COL",
        help="the parcels' supply-status column (default: found among the usual names)",
    )
    p.add_argument("--note", metavar="TEXT", help="a note saved with this version")
    p.add_argument("--by", metavar="WHO", help="who saves (default: the operating-system user)")
    add_input(p)
    _subcommand(ssub, "list", "the saved scenarios: name, versions, saved at, by, note")
    p = _subcommand(ssub, "show", "one scenario (latest version unless --version) and its versions")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--version", type=int, metavar="N")
    p = _subcommand(
        ssub,
        "diff",
        "two scenarios side by side per target and per district: A, B and the change (the "
        "progress ledger's figures as each stood when it was saved)",
    )
    p.add_argument("a", metavar="A")
    p.add_argument("b", metavar="B")
    p.add_argument("--a-version", type=int, metavar="N", help="version of A (default: latest)")
    p.add_argument("--b-version", type=int, metavar="N", help="version of B (default: latest)")
    p.add_argument(
        "--out", metavar="FILE.xlsx", help="write the comparison workbook instead of printing"
    )
    p.add_argument(
        "--lang",
        choices=["zh", "en"],
        default="zh",
        help="language of the table and of the workbook's sheets in words: zh (default) or en",
    )
    add_unit(p)
    _add_counts(p)
    p = _subcommand(
        ssub, "report", "the meeting papers (.xlsx workbook or .pdf atlas) for one scenario"
    )
    p.add_argument("name", metavar="NAME")
    p.add_argument("--version", type=int, metavar="N")
    add_report_args(p)
    _add_counts(p)


def run(args) -> None:
    """The scenario command: its subcommand."""
    {
        "save": _cmd_save,
        "list": _cmd_list,
        "show": _cmd_show,
        "diff": _cmd_diff,
        "report": _cmd_report,
    }[args.scenario_command](args)
